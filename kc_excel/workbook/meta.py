"""The hidden ``_kc`` sheet (contract §2): the one writer of it, for every workbook kc-excel writes.

Column A holds the key, column B the value as text, one row per key, in the
order of :data:`~kc_excel.workbook.layout.META_KEYS` (each workbook writes the
keys it has: a template its identity, the plan its totals, a report its as-of
month). A key that is not in that list is our own bug and raises ValueError,
so a new key is added to the layout first, where the readers see it too.

Templates, reports and the profile are openpyxl workbooks: their ``_kc`` is
hidden and protected, its values stored as text cells (format ``@``). The plan
is streamed with xlsxwriter (:class:`~kc_excel.workbook.streamed.StreamedBook`):
its ``_kc`` is hidden, its values inline strings (an empty value is no cell).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from kc_excel.workbook.layout import META_KEYS, META_SHEET, TEXT_FORMAT, protect
from kc_excel.workbook.streamed import Sheet, StreamedBook

if TYPE_CHECKING:
    from openpyxl import Workbook

_ORDER = {key: position for position, key in enumerate(META_KEYS)}


def meta_rows(entries: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, value as text) in layout order; None is ""; ValueError for a key the layout does not list."""
    unknown = [key for key in entries if key not in _ORDER]
    if unknown:
        raise ValueError(f"_kc keys not in layout.META_KEYS: {unknown}")
    return [(key, "" if entries[key] is None else str(entries[key])) for key in sorted(entries, key=_ORDER.get)]


def write_meta(book: Workbook | StreamedBook, entries: Mapping[str, Any]) -> None:
    """Add the hidden ``_kc`` sheet with ``entries`` to ``book`` (openpyxl, or a streamed xlsxwriter book)."""
    rows = meta_rows(entries)
    if isinstance(book, StreamedBook):
        _write_streamed(book, rows)
    else:
        _write_openpyxl(book, rows)


def _write_openpyxl(wb: Workbook, rows: list[tuple[str, str]]) -> None:
    ws = wb.create_sheet(META_SHEET)
    for row, (key, text) in enumerate(rows, start=1):
        ws.cell(row, 1, key)
        ws.cell(row, 2, text).number_format = TEXT_FORMAT
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40
    ws.sheet_state = "hidden"
    protect(ws)


def _write_streamed(book: StreamedBook, rows: list[tuple[str, str]]) -> None:
    sheet = Sheet(book.wb.add_worksheet(META_SHEET), book.formats)
    for row, (key, text) in enumerate(rows):
        sheet.text(row, 0, key)
        sheet.text(row, 1, text)
    sheet.ws.hide()
