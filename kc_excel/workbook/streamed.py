"""Streaming xlsx writing (xlsxwriter in ``constant_memory`` mode): the plan and the round's ``SoTheoDoi.xlsx``.

Templates and reports, small and styled cell by cell, are built in memory with
openpyxl (:mod:`kc_excel.workbook.writer`); a workbook of this module is written
to its path as it goes. The plan of a large province (thousands of files, a hundred thousand lines)
must be written fast and in little memory, so rows are streamed to disk as
they are written. Two details matter:

- **Text stays text.** :meth:`Sheet.text` always writes a string cell
  (``t="inlineStr"``), never a formula, whatever the text looks like
  (``=HYPERLINK(…)``, ``=cmd|'/C calc'!A0``, ``@SUM(…)``, ``+1+1``); characters
  XML cannot hold are dropped.
- **Excel Tables over streamed rows.** xlsxwriter refuses ``add_table`` in
  ``constant_memory`` mode and, for a large range, indexes every cell of it.
  :meth:`Sheet.table` declares the table over its header and one row (the
  header cells are then written by us as inline strings) and widens the
  table's range to the real last row before anything is written, which is
  exactly the XML a full ``add_table`` would produce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable, NamedTuple, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_range

from kc_excel.workbook.frame import FONT, chars_per_line

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TABLE_STYLE = "Table Style Medium 2"

MONEY_FORMAT = "#,##0,,"
"""Money cells hold integer đồng (exact in Excel's doubles up to 2^53) shown in triệu đồng."""
MONEY_DECIMAL_FORMAT = "#,##0.######,,"
"""The same, when the amount is not a whole number of triệu (shown to the đồng)."""
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy hh:mm"
STATUS_COLOURS = {"Hợp lệ": "#C6EFCE", "Có lỗi": "#FFC7CE", "Chưa nộp": "#FFEB9C",
                  "Không đọc được": "#FFC7CE", "Bị thay thế": "#D9D9D9"}


def clean_text(value: Any) -> str:
    return _ILLEGAL_XML.sub("", str(value))


class StreamedBook(NamedTuple):
    """An xlsxwriter workbook being streamed to its path, and its cell formats by name."""

    wb: xlsxwriter.Workbook
    formats: dict[str, Any]


def new_streamed_workbook(path: str) -> StreamedBook:
    """A streaming xlsxwriter workbook at ``path`` with the plan's cell formats (by name)."""
    wb = xlsxwriter.Workbook(path, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "remove_timezone": True, "use_zip64": True,
    })
    base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
    formats = {
        "text": wb.add_format(base),
        "wrap": wb.add_format({**base, "text_wrap": True}),
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
        "note": wb.add_format({**base, "italic": True}),
        "header": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                 "text_wrap": True, "align": "center", "valign": "vcenter"}),
        "money": wb.add_format({**base, "num_format": MONEY_FORMAT}),
        "money_total": wb.add_format({**base, "num_format": MONEY_FORMAT, "bold": True, "top": 1}),
        "count": wb.add_format({**base, "num_format": COUNT_FORMAT}),
        "count_total": wb.add_format({**base, "num_format": COUNT_FORMAT, "bold": True, "top": 1}),
        "number": wb.add_format({**base, "num_format": "General"}),
        "label_total": wb.add_format({**base, "bold": True, "top": 1}),
        "date": wb.add_format({**base, "num_format": DATE_FORMAT}),
        "group": wb.add_format({**base, "num_format": '"Nhóm "0'}),
        "money_decimals": wb.add_format({"num_format": MONEY_DECIMAL_FORMAT}),
        **{f"status:{name}": wb.add_format({"bg_color": colour}) for name, colour in STATUS_COLOURS.items()},
    }
    return StreamedBook(wb, formats)


@dataclass
class Sheet:
    """A worksheet written top to bottom (rows in increasing order)."""

    ws: Any
    formats: dict[str, Any]

    def text(self, row: int, col: int, value: Any, fmt: str = "text") -> None:
        if value is None:
            return
        text = clean_text(value)
        if text:
            self.ws.write_string(row, col, text, self.formats[fmt])

    def number(self, row: int, col: int, value: Any, fmt: str = "number") -> None:
        if value is None:
            return
        self.ws.write_number(row, col, float(value) if isinstance(value, Decimal) else value, self.formats[fmt])

    def date(self, row: int, col: int, value: date | datetime | None) -> None:
        if value is not None:
            self.ws.write_datetime(row, col, value, self.formats["date"])

    def formula(self, row: int, col: int, formula: str, value: Any, fmt: str) -> None:
        if _plain_formula(formula) and not self.ws.use_future_functions:
            # What write_formula does for a formula of Excel 2007 functions only, minus ~30 regex
            # passes for newer functions (none here): the same XML, much faster for thousands of cells.
            self.ws._prepare_formula = _strip_equals
            try:
                self.ws.write_formula(row, col, formula, self.formats[fmt],
                                      float(value) if isinstance(value, Decimal) else value)
            finally:
                del self.ws._prepare_formula
            return
        self.ws.write_formula(row, col, formula, self.formats[fmt],
                              float(value) if isinstance(value, Decimal) else value)

    def cell(self, row: int, col: int, value: Any, kind: str) -> None:
        """Write by kind: text (always a string), money/count (int), number, date."""
        if kind in ("text", "wrap"):
            self.text(row, col, value, kind)
        elif kind == "date":
            self.date(row, col, value)
        else:
            self.number(row, col, value, kind)

    def table(self, name: str, headers: Sequence[str], header_row: int, rows: int, *,
              first_col: int = 0, widths: Sequence[float] | None = None) -> int:
        """Declare Table ``name`` with ``headers`` at ``header_row`` over ``rows`` data rows; return its last row."""
        ws, last_col = self.ws, first_col + len(headers) - 1
        last_row = header_row + max(rows, 1)
        ws._write_single_row(header_row)  # flush the rows above the table
        ws.constant_memory = False
        try:
            ws.add_table(header_row, first_col, header_row + 1, last_col,
                         {"name": name, "style": TABLE_STYLE, "columns": [{"header": h} for h in headers]})
        finally:
            ws.constant_memory = True
        ws.table.clear()  # header cells are written below as inline strings
        spec = ws.tables[-1]
        spec["range"] = spec["a_range"] = spec["autofilter"] = xl_range(header_row, first_col, last_row, last_col)
        ws.set_row(header_row, 48)
        for j, header in enumerate(headers):
            ws.write_string(header_row, first_col + j, header, self.formats["header"])
            if widths:
                ws.set_column(first_col + j, first_col + j, widths[j])
        return last_row


_CALL = re.compile(r"[A-Za-z_][A-Za-z0-9._]*\(")
PLAIN_FUNCTIONS = frozenset({"SUM", "SUMIFS", "COUNTIFS", "SUBTOTAL", "IF", "AND", "OR", "ISNUMBER", "MOD"})
"""Functions of Excel 2007 that xlsxwriter writes as they are (no ``_xlfn.`` prefix to add)."""


def _plain_formula(formula: str) -> bool:
    """True when every ``NAME(`` in ``formula`` (string literals included) is in :data:`PLAIN_FUNCTIONS`."""
    return (not formula.startswith("{") and "_xlfn." not in formula
            and all(call[:-1] in PLAIN_FUNCTIONS for call in _CALL.findall(formula)))


def _strip_equals(formula: str, expand_future_functions: bool = False) -> str:
    """xlsxwriter's ``_prepare_formula`` for a plain formula: only the leading "=" goes."""
    return formula[1:] if formula.startswith("=") else formula


def stream_rows(sheet: Sheet, first_row: int, kinds: Sequence[str], rows: Iterable[Sequence[Any]],
                widths: Sequence[float] | None = None) -> int:
    """Write data rows straight into the sheet's XML stream (the fast path for ``ChiTiet``).

    ``kinds[j]`` is the kind of column ``j``: ``text`` (an inline string,
    never a formula), or a number format name (``money``, ``count``,
    ``number``), or ``wrap`` (text that wraps). With the column ``widths``
    each row is given the height its longest wrapped text needs (neither
    Excel nor LibreOffice sizes rows on opening a file). Returns the last row
    written. The XML is what xlsxwriter itself writes in constant_memory mode,
    minus a method call per cell.
    """
    ws = sheet.ws
    ws._write_single_row(first_row)  # flush the rows above
    styles = [sheet.formats[kind]._get_xf_index() for kind in kinds]
    is_text = [kind in ("text", "wrap") for kind in kinds]
    refs = [f'<c r="{xl_col_to_name(j)}' for j in range(len(kinds))]
    value_tags = [f'" s="{style}"><v>' for style in styles]  # after the row number of a number cell
    write, row = ws.fh.write, first_row - 1
    escaped: dict[tuple[int, Any], str] = {}  # (column, text) → cell XML after the reference
    wrapped = [(j, chars_per_line(widths[j])) for j, kind in enumerate(kinds) if kind == "wrap"] if widths else []
    for row, values in enumerate(rows, start=first_row):
        n = str(row + 1)
        lines = max([-(-len(values[j]) // chars) for j, chars in wrapped if values[j].__class__ is str] or [1])
        cells = [f'<row r="{n}" ht="{lines * WRAPPED_LINE_HEIGHT + 2}" customHeight="1">' if lines > 1
                 else f'<row r="{n}">']
        for j, value in enumerate(values):
            if value is None:
                continue
            if is_text[j]:
                text = value.__class__ is str
                tail = escaped.get((j, value)) if text else None
                if tail is None:
                    tail = _inline_string(value, styles[j])
                    if text:  # unit, file, SHA-256... repeat for every line of a file
                        if len(escaped) >= _ESCAPED_MAX:
                            escaped.clear()
                        escaped[(j, value)] = tail
                if tail:
                    cells.append(f'{refs[j]}{n}"{tail}')
            else:
                cells.append(f"{refs[j]}{n}{value_tags[j]}{_number_text(value)}</v></c>")
        cells.append("</row>")
        write("".join(cells))
    if row >= first_row:
        ws._check_dimensions(row, len(kinds) - 1)
        ws.previous_row = row
    return row


def _number_text(value: Any) -> str:
    """A number as xlsxwriter writes it (``%.16G``); integer đồng below 10^16 are their digits."""
    if value.__class__ is int and -10**16 < value < 10**16:
        return str(value)
    return f"{float(value) if isinstance(value, Decimal) else value:.16G}"


_ESCAPED_MAX = 4096
WRAPPED_LINE_HEIGHT = 14.5
"""Points per line of wrapped 11-point Times New Roman text."""


def _inline_string(value: Any, style: int) -> str:
    """The XML of a text cell after its reference (``""`` when nothing printable is left)."""
    text = _ILLEGAL_XML.sub("", str(value))
    if not text:
        return ""
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def column_range(sheet: str, col: int, first_row: int, last_row: int) -> str:
    """``'Chi tiết'!$O$6:$O$45`` (0-based row/col in, A1 out)."""
    letter = xl_col_to_name(col)
    return f"'{sheet}'!${letter}${first_row + 1}:${letter}${last_row + 1}"


def a1(row: int, col: int, *, absolute_col: bool = True) -> str:
    return f"{'$' if absolute_col else ''}{xl_col_to_name(col)}{row + 1}"
