"""What the reader hands to the rest of kc-excel: values with their Excel positions.

Everything here is a plain, picklable dataclass, because reading happens in a
resource-limited child process (see :mod:`kc_excel.workbook.reader`) and the
result crosses the process boundary.

Positions are as the user sees them: sheet name, A1 reference, 1-based row and
column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kc_excel.validation.issues import Issue
from kc_excel.workbook.layout import TableLayout


def column_letter(col: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


@dataclass(frozen=True)
class Cell:
    """One cell's value as read (str, int, float, bool, datetime/date or None).

    ``formula`` is the formula text when the cell held one (openpyxl path);
    ``font`` the font name when it matters (legacy TCVN3/VNI detection).
    """

    sheet: str
    row: int
    col: int
    value: Any
    formula: str | None = None
    font: str | None = None

    @property
    def ref(self) -> str:
        return a1(self.row, self.col)

    def __reduce__(self) -> tuple:
        # Positional rebuild: cells cross the reader's process boundary by the thousand.
        return (Cell, (self.sheet, self.row, self.col, self.value, self.formula, self.font))

    @property
    def is_blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


_new = object.__new__
_set = object.__setattr__


def new_cell(sheet: str, row: int, col: int, value: Any, formula: str | None = None, font: str | None = None) -> Cell:
    """``Cell(sheet, row, col, value, formula, font)``, built at half the cost.

    The reader builds every cell of a table (hundreds per file): the frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    here the instance dictionary is given whole. Same fields, same equality,
    hash, repr and pickling.
    """
    cell = _new(Cell)
    _set(cell, "__dict__", {"sheet": sheet, "row": row, "col": col, "value": value, "formula": formula, "font": font})
    return cell


@dataclass
class Record:
    """One data row of a table: its cells by column key (absent key = no such column)."""

    sheet: str
    row: int
    cells: dict[str, Cell]
    in_table: bool = True

    def value(self, key: str) -> Any:
        cell = self.cells.get(key)
        return None if cell is None else cell.value

    def cell(self, key: str) -> Cell | None:
        return self.cells.get(key)


@dataclass
class Table:
    """A data table found in a workbook, matched against a layout.

    ``columns`` maps a layout key to the header cell where it was found
    (reordered or retyped headers included); ``extra_headers`` are header cells
    that match no layout column. ``ref`` is the Excel Table range when the data
    sat in a ListObject, else ``None``.
    """

    layout: TableLayout
    sheet: str
    header_row: int
    columns: dict[str, Cell]
    records: list[Record] = field(default_factory=list)
    extra_headers: list[Cell] = field(default_factory=list)
    ref: str | None = None
    totals_row: int | None = None
    """Row of the totals line (see :mod:`kc_excel.workbook.totals`), not a record."""
    totals: dict[str, Cell] = field(default_factory=dict)
    """Cells of the totals line by column key (``formula`` set where a formula sits)."""
    found_by: str = "header"
    """How the table was located: "table" (Excel Table name), "sheet" (sheet name) or "header"."""
    unaccounted: list[Cell] = field(default_factory=list)
    """First non-blank cell of each row below the header that is no record: its content lies
    outside the table's columns (or is a non-numeric STT alone). Reported as ``rows-unaccounted``."""

    def column_ref(self, key: str, row: int) -> str | None:
        header = self.columns.get(key)
        return None if header is None else a1(row, header.col)


@dataclass
class WorkbookData:
    """A workbook as read: metadata from ``_kc``, tables, and reading-time issues."""

    path: str
    sha256: str
    format: str
    sheet_names: list[str]
    meta: dict[str, str]
    tables: dict[str, Table]
    issues: list[Issue] = field(default_factory=list)
    formulas: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        return self.meta.get("loai_bieu")
