"""Low-level xlsx writing of the workbooks built in memory with openpyxl.

Every workbook kc-excel writes is written through :mod:`kc_excel.workbook`:
templates, the profile and the attainment report from these openpyxl pieces;
the consolidated plan (:mod:`.plan_book`) and a round's ``SoTheoDoi.xlsx`` are
streamed with xlsxwriter (:mod:`.streamed`), fast and in little memory; every
``_kc`` sheet by :func:`kc_excel.workbook.meta.write_meta`; every file is put in
place by :func:`kc_excel.outputs.write_atomically`. So every file looks and
behaves the same in Excel 2010+ and LibreOffice:

- :func:`new_workbook` / :func:`save_workbook`: an empty openpyxl workbook, and
  its save to a path (``write_atomically(path, partial(save_workbook, wb))``
  makes it all-or-nothing).
- :func:`write_title`: the title block above a table.
- :func:`add_table`: an Excel Table (ListObject) with exact headers, optional
  pre-sized empty rows and a totals row of ``SUBTOTAL(109, range)`` formulas.
- :func:`add_choices` / :func:`add_list_validation` / :func:`add_number_validation`:
  dropdowns and numeric checks. Choice lists live on the hidden sheet ``_ds``
  behind workbook-level defined names, because an inline list is limited to
  255 characters and Excel 2007 cannot point a validation at another sheet.
- :func:`protect` and :func:`unlock`: sheet protection *without password*
  (staff can lift it with Xem lại > Bỏ bảo vệ trang tính) with data cells unlocked.
- :class:`Styled`: a value with a font, for cells that must keep one
  (legacy ``.VnTime`` text in examples).

Number formats. An xlsx number format is stored with the *invariant* symbols
("," thousands, "." decimals); Excel and LibreOffice render them with the
separators of the user's locale, so ``#,##0`` shows ``17.331`` on a Vietnamese
Windows. :data:`INTEGER_FORMAT` is used for counts and money; a conditional
format switches non-integer values to :data:`DECIMAL_FORMAT` (``#,##0.######``,
exact to 1 đồng when the unit is triệu đồng) so that ``300`` never shows a
dangling separator ("300,") and ``1,5`` still shows its decimals.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from kc_excel.workbook.frame import FONT
from kc_excel.workbook.layout import TEXT_FORMAT, protect


INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.######"
PERCENT_FORMAT = "0.0%"
LIST_SHEET = "_ds"
"""Hidden sheet holding the dropdown lists (one column per list)."""
TOTAL_LABEL = "Cộng"
TABLE_STYLE = "TableStyleMedium2"

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOLD = Font(name=FONT, bold=True)
TITLE_FONT = Font(name=FONT, bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class Styled:
    """A cell value with its own font name (e.g. ``Styled("§ång Nai", ".VnTime")``)."""

    value: Any
    font: str | None = None


@dataclass(frozen=True)
class TableRange:
    """Where :func:`add_table` put a table: 1-based rows, columns by header."""

    name: str
    header_row: int
    first_row: int
    last_row: int
    totals_row: int | None
    first_col: int
    headers: tuple[str, ...]

    def col(self, header: str) -> int:
        """1-based column number of ``header``."""
        return self.first_col + self.headers.index(header)

    def letter(self, header: str) -> str:
        return get_column_letter(self.col(header))

    def data_range(self, header: str) -> str:
        """A1 range of the data cells of one column, e.g. ``"K7:K36"``."""
        letter = self.letter(header)
        return f"{letter}{self.first_row}:{letter}{self.last_row}"

    @property
    def ref(self) -> str:
        last = self.totals_row or self.last_row
        return f"{get_column_letter(self.first_col)}{self.header_row}:" \
               f"{get_column_letter(self.first_col + len(self.headers) - 1)}{last}"


def new_workbook() -> Workbook:
    """An empty workbook (no default sheet) with fixed document properties."""
    wb = Workbook()
    wb.remove(wb.active)
    wb._fonts = IndexedList([Font(name=FONT, size=11)])  # every unstyled cell: Times New Roman (Decree 30)
    wb.properties.creator = "kc-excel"
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores no cached values: recalculate on open
    return wb


def set_created(wb: Workbook, when: datetime) -> None:
    """Stamp the document properties (used for deterministic example files)."""
    wb.properties.created = when.replace(tzinfo=None)
    wb.properties.modified = when.replace(tzinfo=None)


def write_title(ws: Worksheet, lines: Sequence[str], *, width: int, bold_first: bool = True) -> int:
    """Write title lines from row 1, each merged over ``width`` columns; return the next free row."""
    for row, text in enumerate(lines, start=1):
        cell = ws.cell(row, 1, text)
        cell.font = TITLE_FONT if (row == 1 and bold_first) else Font(name=FONT, italic=row > 1)
        cell.alignment = Alignment(horizontal="center" if row == 1 else "left")
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return len(lines) + 1


@dataclass(frozen=True)
class Formula:
    """A live Excel formula we wrote ourselves (``Formula("=SUM(A1:A3)")``).

    Only values wrapped in ``Formula`` become formulas: every plain ``str`` is
    written as text, so a submission's "=HYPERLINK(...)" or "+1+1" can never
    turn into a formula in our outputs.
    """

    text: str


def write_value(cell, value: Any) -> None:
    """Write ``value`` into an openpyxl cell: text stays text, ``Formula`` is a formula."""
    if isinstance(value, Styled):
        write_value(cell, value.value)
        if value.font:
            cell.font = Font(name=value.font)
    elif isinstance(value, Formula):
        cell.value = value.text
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would take a leading "=" as a formula
    else:
        cell.value = value


def add_table(ws: Worksheet, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]] = (), *,
              header_row: int = 1, first_col: int = 1, min_rows: int = 0,
              totals: Mapping[str, str] | None = None, widths: Sequence[float] | None = None) -> TableRange:
    """Write an Excel Table named ``name`` with exact ``headers`` and ``rows`` of values.

    The data area has at least ``min_rows`` rows (empty ones are pre-sized for
    people to fill in). ``totals`` maps a header to ``"sum"`` (a
    ``SUBTOTAL(109, range)`` formula that ignores filtered-out rows) or to a
    label (e.g. ``{"STT": "Cộng"}``); with ``totals`` the table gets a totals row.
    """
    rows = [list(r) for r in rows]
    data_rows = max(len(rows), min_rows, 1)
    first_row, last_row = header_row + 1, header_row + data_rows
    for j, header in enumerate(headers):
        cell = ws.cell(header_row, first_col + j, header)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if widths:
            ws.column_dimensions[get_column_letter(first_col + j)].width = widths[j]
    for i, values in enumerate(rows):
        for j, value in enumerate(values):
            if value is not None:
                write_value(ws.cell(first_row + i, first_col + j), value)
    for r in range(first_row, last_row + 1):
        for j in range(len(headers)):
            ws.cell(r, first_col + j).border = BORDER
    totals_row = last_row + 1 if totals else None
    result = TableRange(name, header_row, first_row, last_row, totals_row, first_col, tuple(headers))
    table = Table(displayName=name, name=name, ref=result.ref, totalsRowCount=1 if totals else None)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    # The filter covers header and data rows only (Excel repairs a filter over the totals row).
    table.autoFilter = AutoFilter(ref=f"{get_column_letter(first_col)}{header_row}:"
                                      f"{get_column_letter(first_col + len(headers) - 1)}{last_row}")
    table._initialise_columns()
    for column, header in zip(table.tableColumns, headers):
        column.name = header  # must equal the header cell, or Excel "repairs" the table
    if totals:
        _write_totals(ws, table, result, totals)
    ws.add_table(table)
    return result


def _write_totals(ws: Worksheet, table: Table, where: TableRange, totals: Mapping[str, str]) -> None:
    for column, header in zip(table.tableColumns, where.headers):
        spec = totals.get(header)
        cell = ws.cell(where.totals_row, where.col(header))
        cell.font, cell.border = BOLD, BORDER
        if spec == "sum":
            formula = f"SUBTOTAL(109,{where.data_range(header)})"
            column.totalsRowFunction = "custom"
            column.totalsRowFormula = TableFormula(attr_text=formula)
            cell.value = f"={formula}"
        elif spec:
            column.totalsRowLabel = spec
            cell.value = spec


def set_number_format(ws: Worksheet, cell_range: str, number_format: str = INTEGER_FORMAT, *,
                      decimals_when_needed: bool = False) -> None:
    """Apply a number format to a range; optionally show decimals only for non-integers.

    With ``decimals_when_needed`` the range gets :data:`INTEGER_FORMAT` and a
    conditional format ``MOD(x,1)<>0`` → :data:`DECIMAL_FORMAT` (Excel 2007+,
    LibreOffice), so whole numbers never show a trailing decimal separator.
    """
    for row in ws[cell_range]:
        for cell in row:
            cell.number_format = INTEGER_FORMAT if decimals_when_needed else number_format
    if decimals_when_needed:
        top_left = cell_range.split(":")[0]
        style = DifferentialStyle(numFmt=NumberFormat(numFmtId=200, formatCode=DECIMAL_FORMAT))
        rule = FormulaRule(formula=[f"AND(ISNUMBER({top_left}),MOD({top_left},1)<>0)"])
        rule.dxf = style
        ws.conditional_formatting.add(cell_range, rule)


def add_choices(wb: Workbook, name: str, values: Sequence[str]) -> str:
    """Put a dropdown list on the hidden ``_ds`` sheet behind the defined name ``name``; return it."""
    if LIST_SHEET in wb.sheetnames:
        ws = wb[LIST_SHEET]
    else:
        ws = wb.create_sheet(LIST_SHEET)
        ws.sheet_state = "hidden"
        protect(ws)
    col = 1 if ws.max_column == 1 and ws.cell(1, 1).value is None else ws.max_column + 1
    values = list(values) or [""]
    for row, value in enumerate(values, start=1):
        ws.cell(row, col, value)
    letter = get_column_letter(col)
    ref = f"{quote_sheetname(LIST_SHEET)}!${letter}$1:${letter}${len(values)}"
    wb.defined_names[name] = DefinedName(name, attr_text=ref)
    return name


def add_list_validation(ws: Worksheet, cell_range: str, source: str, *, strict: bool = False,
                        title: str = "", prompt: str = "") -> DataValidation:
    """A dropdown on ``cell_range`` from ``source`` (a defined name or a ``"a,b"`` literal list).

    ``strict=False`` (the default for catalogue columns) lets people type a
    value not in the list after a warning; the validator checks it anyway.
    """
    formula = f'"{source}"' if "," in source and not source.startswith("=") else source
    dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                        errorStyle="stop" if strict else "warning",
                        showErrorMessage=True, showInputMessage=bool(prompt))
    _texts(dv, title, prompt)
    ws.add_data_validation(dv)
    dv.add(cell_range)
    return dv


def add_number_validation(ws: Worksheet, cell_range: str, *, whole: bool = False,
                          minimum: float | int | None = None, maximum: float | int | None = None,
                          exclusive_minimum: bool = False, title: str = "", prompt: str = "") -> DataValidation:
    """A numeric check on ``cell_range``: whole or decimal, between/≥/> bounds."""
    kind = "whole" if whole else "decimal"
    if minimum is not None and maximum is not None:
        dv = DataValidation(type=kind, operator="between", formula1=str(minimum), formula2=str(maximum))
    elif exclusive_minimum:
        dv = DataValidation(type=kind, operator="greaterThan", formula1=str(minimum))
    else:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(minimum or 0))
    dv.allow_blank, dv.errorStyle, dv.showErrorMessage = True, "stop", True
    dv.showInputMessage = bool(prompt)
    _texts(dv, title, prompt)
    ws.add_data_validation(dv)
    dv.add(cell_range)
    return dv


def _texts(dv: DataValidation, title: str, prompt: str) -> None:
    # Excel limits the title to 32 and the messages to 255 characters.
    dv.errorTitle = dv.promptTitle = (title or "Giá trị không hợp lệ")[:32]
    dv.prompt = prompt[:255] or None
    dv.error = (prompt or "Giá trị không hợp lệ.")[:255]


def unlock(ws: Worksheet, cell_range: str) -> None:
    """Mark the cells of ``cell_range`` as unlocked (editable on a protected sheet)."""
    for row in ws[cell_range]:
        for cell in row:
            cell.protection = Protection(locked=False)


def write_text_sheet(wb: Workbook, title: str, paragraphs: Sequence[str], *, width: float = 110) -> Worksheet:
    """An instructions sheet: one wrapped paragraph per row in column A, protected."""
    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = width
    for row, text in enumerate(paragraphs, start=1):
        cell = ws.cell(row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = TITLE_FONT if row == 1 else Font(name=FONT, bold=text.endswith(":"))
    protect(ws)
    return ws


def save_workbook(wb: Workbook, path: str | Path, *, fixed_time: datetime | None = None) -> None:
    """Save ``wb`` to ``path`` (a new file: :func:`~kc_excel.outputs.write_atomically` gives the temp path).

    openpyxl's zip archive is closed here even when writing fails (a full disk):
    left to the garbage collector, it would fail again there and print
    "Exception ignored" at exit. With ``fixed_time`` the file is byte-for-byte
    reproducible (document properties and zip entry times set to it), for
    committed example files.
    """
    archive = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    try:
        wb.properties.modified = datetime.now(timezone.utc).replace(tzinfo=None)
        ExcelWriter(wb, archive).save()  # what openpyxl's save_workbook does, which leaves the archive open
    finally:
        try:
            archive.close()  # no-op after a successful save
        except OSError:
            pass  # the writing error itself is already on its way up
    if fixed_time is not None:
        _reproducible(str(path), fixed_time)


def _reproducible(path: str, when: datetime) -> None:
    """Rewrite the zip with fixed entry times and a fixed ``dcterms:modified``."""
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when.tzinfo else \
        when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
