"""Finding a layout's table in a sheet and turning its rows into records.

A table is located (see :func:`locate_tables`) in this order:

1. an Excel Table (ListObject) named like the layout's table (``DangKy``);
2. a sheet named like the layout's sheet (``Đăng ký``), header row scanned;
3. any sheet whose first rows hold a header row where at least half of the
   layout's columns match.

Headers match through :func:`kc_excel.text.fold` of the header and of each
column's ``header`` and ``aliases``, so retyped headers without diacritics,
in another case, reordered or among extra columns are all found. One header
row serves one layout only (the best-matching one).

Records are the rows below the header row, down to the sheet's last row:
fully blank rows (a number alone in ``STT`` counts as blank) are skipped, the
totals row is found by place and formulas (:mod:`kc_excel.workbook.totals`,
one rule for every table) and kept apart as ``Table.totals``; rows below an
Excel Table or below the totals row are kept with ``in_table=False``; a row
whose only content lies outside the table's columns is listed in
``Table.unaccounted``. The one exception is the signing block our templates
put under the table (contact, date line, "NGƯỜI LẬP BIỂU", "CHỦ TỊCH UBND…"),
recognised by its place and words: from the first row below the table that is
text only and names it, rows holding only text are that block, not lines; a
row with a number there is still a line. Nothing else below the header is
passed over in silence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from kc_excel.legacy import normalize_legacy
from kc_excel.text import fold
from kc_excel.workbook.data import Cell, Record, Table
from kc_excel.workbook.error_cells import is_error_value
from kc_excel.workbook.layout import TableLayout
from kc_excel.workbook.ooxml import ListObject
from kc_excel.workbook.totals import Line, totals_row

NOT_CONTENT_KEYS = frozenset({"stt"})
_PARENS = re.compile(r"\([^)]*\)")
_EDGE_PUNCT = re.compile(r"^[\s*:.\-]+|[\s*:.\-]+$")
_NUMBERING = re.compile(r"^\s*\d+(\.\d+)*\.?\s*$")
_SIGNING_BLOCK = re.compile(r"nguoi lien he|nguoi lap bieu|chu tich ubnd|\bngay\b.*\bthang\b.*\bnam\b")
"""Words (folded) that start the signing block under a registration table (:func:`kc_excel.workbook.frame.unit_footer`)."""

Rows = list[list[Any]]
CellMaker = Callable[[str, int, int, Any], Cell]


def header_fold(value: Any) -> str:
    """The matching key of a header cell: folded, without edge punctuation and required-marks."""
    if not isinstance(value, str) or not value:
        return ""
    return _header_fold(value) if len(value) <= 200 else ""


@lru_cache(maxsize=8192)
def _header_fold(value: str) -> str:
    return _EDGE_PUNCT.sub("", fold(value))


@lru_cache(maxsize=4096)
def legacy_fold(value: Any) -> str:
    """The matching key of a header typed in TCVN3/VNI (converted first), "" when not legacy text."""
    if not isinstance(value, str) or value.isascii() or len(value) > 200:
        return ""
    converted, encoding = normalize_legacy(value)
    return header_fold(converted) if encoding else ""


def _lookup(index: dict[str, str], text: str) -> str | None:
    if not text:
        return None
    return index.get(text) or index.get(_EDGE_PUNCT.sub("", _PARENS.sub("", text)).strip())


def header_index(layout: TableLayout) -> dict[str, str]:
    """folded header/alias → column key; exact headers win over aliases."""
    index: dict[str, str] = {}
    for column in layout.columns:
        for alias in column.aliases:
            index.setdefault(header_fold(alias), column.key)
    for column in layout.columns:
        index[header_fold(column.header)] = column.key
    return index


def match_header_row(values: list[Any], index: dict[str, str], span: tuple[int, int] | None = None
                     ) -> tuple[dict[str, int], list[int]]:
    """Column key → 1-based column, and the 1-based columns of unmatched non-blank headers."""
    matched: dict[str, int] = {}
    extras: list[int] = []
    first, last = span or (1, len(values))
    for col in range(first, min(last, len(values)) + 1):
        text = header_fold(values[col - 1])
        if not text:
            continue
        key = _lookup(index, text) or _lookup(index, legacy_fold(values[col - 1]))
        if key and key not in matched:
            matched[key] = col
        else:
            extras.append(col)
    return matched, extras


@dataclass
class Location:
    """Where a layout's table sits: sheet, header row, matched columns, ListObject if any."""

    layout: TableLayout
    sheet: str
    header_row: int
    columns: dict[str, int]
    extras: list[int] = field(default_factory=list)
    list_object: ListObject | None = None
    found_by: str = "header"
    key: str = ""
    """The layout's key in ``layout.LAYOUTS`` (WorkbookData.tables uses the same key)."""

    def __post_init__(self) -> None:
        self.key = self.key or self.layout.kind

    @property
    def score(self) -> float:
        return len(self.columns) / len(self.layout.columns)


def best_header_row(sheet: str, rows: Rows, layout: TableLayout, scan_rows: int,
                    found_by: str = "header", key: str = "") -> Location | None:
    """The row among the first ``scan_rows`` matching most columns (at least half, and at least two)."""
    index = header_index(layout)
    best: Location | None = None
    for row_no, values in enumerate(rows[:scan_rows], start=1):
        if not any(isinstance(v, str) and v for v in values):
            continue
        matched, extras = match_header_row(values, index)
        if best is None or len(matched) > len(best.columns):
            best = Location(layout, sheet, row_no, matched, extras, found_by=found_by, key=key)
    needed = max(2, (len(layout.columns) + 1) // 2)
    return best if best is not None and len(best.columns) >= needed else None


def from_list_object(lo: ListObject, rows: Rows, layout: TableLayout, key: str = "") -> Location:
    """The location given by an Excel Table: its header row and column span."""
    header_row = lo.first_row if lo.header_rows else max(lo.first_row - 1, 1)
    values = rows[header_row - 1] if header_row - 1 < len(rows) else []
    matched, extras = match_header_row(values, header_index(layout), (lo.first_col, lo.last_col))
    return Location(layout, lo.sheet, header_row, matched, extras, list_object=lo, found_by="table", key=key)


def assign(candidates: Iterable[Location]) -> dict[str, Location]:
    """Best-scoring candidate per layout key; one header row is given to one layout only."""
    taken: set[tuple[str, int]] = set()
    chosen: dict[str, Location] = {}
    rank = {"table": 0, "sheet": 1, "header": 2}
    for loc in sorted(candidates, key=lambda c: (rank[c.found_by], -c.score)):
        spot = (loc.sheet, loc.header_row)
        if loc.key in chosen or spot in taken:
            continue
        chosen[loc.key] = loc
        taken.add(spot)
    return chosen


# --- records ------------------------------------------------------------------------

def build_table(loc: Location, rows: Rows, make_cell: CellMaker, max_rows: int,
                formula_rows: frozenset[int] | set[int] = frozenset()) -> Table:
    """Read the records of a located table (raw values, positions kept); every non-blank row is accounted for.

    Each row below the header is a record, the totals row (:mod:`kc_excel.workbook.totals`),
    blank, or, when its only content lies outside the table's columns (or is a
    non-numeric STT), listed in ``Table.unaccounted``. Rows below an Excel Table or
    below the totals row are records with ``in_table=False``. ``formula_rows``: rows
    holding a formula, read even when they show no value (a totals row saved without
    cached values).
    """
    sheet, lo = loc.sheet, loc.list_object
    header = rows[loc.header_row - 1] if loc.header_row - 1 < len(rows) else []
    table = Table(
        layout=loc.layout, sheet=sheet, header_row=loc.header_row,
        columns={k: make_cell(sheet, loc.header_row, c, _at(header, c)) for k, c in loc.columns.items()},
        extra_headers=[make_cell(sheet, loc.header_row, c, _at(header, c)) for c in loc.extras],
        ref=lo.ref if lo else None, found_by=loc.found_by)
    lo_totals = lo.last_row if lo and lo.totals_rows else None
    lines = _lines(loc, rows, make_cell, max_rows, table, {*formula_rows, lo_totals})
    totals_at = totals_row(lines, loc.header_row, list_object_totals=lo_totals)
    table_end = lo.last_row - lo.totals_rows if lo else totals_at
    block = _signing_block(lines, table_end)
    for row_no, cells in lines:
        if row_no == totals_at:
            table.totals_row, table.totals = row_no, cells
            continue
        if all(cell.value is None for cell in cells.values()):
            continue  # a formula row showing nothing (no cached value), not the totals: a blank row
        if block is not None and row_no >= block and _text_only(cells.values()):
            continue  # the signing block (contact, date line, signatures), not a line
        inside = table_end is None or row_no <= table_end
        table.records.append(Record(sheet, row_no, cells, in_table=inside))
    if block is not None:
        table.unaccounted = [cell for cell in table.unaccounted if cell.row < block or not _text_only([cell])]
    return table


def _signing_block(lines: list[Line], table_end: int | None) -> int | None:
    """The first row of the signing block below the table: text only, with one of its words; else None."""
    if table_end is None:
        return None
    for row_no, cells in lines:
        if row_no > table_end and _text_only(cells.values()) and any(
                isinstance(cell.value, str) and _SIGNING_BLOCK.search(fold(cell.value)) for cell in cells.values()):
            return row_no
    return None


def _text_only(cells: Iterable[Cell]) -> bool:
    """Every non-empty value is text (no number, date, boolean or error value)."""
    return all(cell.value is None or (isinstance(cell.value, str) and not is_error_value(cell.value))
               for cell in cells)


def _lines(loc: Location, rows: Rows, make_cell: CellMaker, max_rows: int, table: Table,
           always: set[int | None]) -> list[Line]:
    """The non-blank rows below the header (and the ``always`` rows: formulas, totals) as (row, cells).

    A row with content only outside the table's columns goes to ``table.unaccounted``.
    """
    content, stt = _content_columns(loc), loc.columns.get("stt")
    lines: list[Line] = []
    last = max([len(rows), *(row for row in always if row is not None)])
    for row_no in range(loc.header_row + 1, last + 1):
        values = rows[row_no - 1] if row_no <= len(rows) else []
        if row_no in always or not _blank_at(values, content):
            if len(lines) >= max_rows:
                raise OverflowError(f"more than {max_rows} rows in table {loc.layout.table}")
            lines.append((row_no, _cells(loc, values, row_no, make_cell)))
            continue
        col = _stray_content(values, stt)
        if col is not None:
            table.unaccounted.append(make_cell(loc.sheet, row_no, col, values[col - 1]))
    return lines


def _stray_content(values: list[Any], stt: int | None) -> int | None:
    """The first column of a row (blank in the table's columns) that still holds something, else None."""
    for col, value in enumerate(values, start=1):
        if value is None or (isinstance(value, str) and not value.strip()) or value == "":
            continue
        if col == stt and _numbering(value):
            continue
        return col
    return None


def _numbering(value: Any) -> bool:
    """An STT as pre-numbered rows hold it: a number, or digits and dots ("1", "1.", "1.2")."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(_NUMBERING.match(value))


def _at(values: list[Any], col: int) -> Any:
    return values[col - 1] if 0 < col <= len(values) else None


def _cells(loc: Location, values: list[Any], row_no: int, make_cell: CellMaker) -> dict[str, Cell]:
    sheet, width = loc.sheet, len(values)  # _at inlined: this runs for every cell of every table
    return {key: make_cell(sheet, row_no, col, values[col - 1] if 0 < col <= width else None)
            for key, col in loc.columns.items()}


def _content_columns(loc: Location) -> list[int]:
    """The columns whose values make a row non-blank (an STT alone does not)."""
    return [col for key, col in loc.columns.items() if key not in NOT_CONTENT_KEYS]


def _blank_at(values: list[Any], columns: list[int]) -> bool:
    width = len(values)
    for col in columns:
        value = values[col - 1] if 0 < col <= width else None
        if value is None:
            continue
        if isinstance(value, str):
            if value.strip():
                return False
        elif value != "":
            return False
    return True
