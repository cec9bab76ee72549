"""The actual parse of one workbook, run inside the sandboxed child process.

:func:`parse_workbook` = :func:`~kc_excel.workbook.sniff.sniff` (format,
encryption, zip and XML guards) → python-calamine for every value →
:mod:`~kc_excel.workbook.ooxml` for Excel Tables, formulas and, when some
style uses a TCVN3/VNI font, cell fonts (.xlsx family only) → :mod:`~kc_excel.workbook.tables` to locate each layout's table
→ :class:`~kc_excel.workbook.data.WorkbookData` with the reading-time issues
(legacy-encoding, row-outside-table, rows-unaccounted, formula-error, layout-altered, missing-column,
template-outdated). Call it directly only on trusted files; untrusted ones go
through :func:`kc_excel.workbook.reader.read_workbook`.
"""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from kc_excel.foreign_errors import MALFORMED, reading_error
from kc_excel.legacy import font_encoding, normalize_legacy
from kc_excel.text import fold, nfc, readable
from kc_excel.validation.issues import Issue, make_issue
from kc_excel.validation.values import shown
from kc_excel.workbook import ooxml
from kc_excel.workbook.checks import layout_issues
from kc_excel.workbook.data import Cell, Table, WorkbookData, a1, new_cell
from kc_excel.workbook.error_cells import is_error_value, mark_errors, ods_errors, xls_errors
from kc_excel.workbook.layout import LAYOUTS, META_SHEET, REGISTRATION, TEMPLATE_VERSION, Kind, Meta, TableLayout
from kc_excel.workbook.limits import ReadLimits, file_error
from kc_excel.workbook.sniff import sniff
from kc_excel.workbook.tables import Location, assign, best_header_row, build_table, from_list_object

OOXML_FORMATS = ("xlsx", "xlsm", "xltx")
SMALL_SHEET_CELLS = 200_000
"""A sheet up to this many cells (A1 to its last cell) is converted once, whole, when first looked at."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_or_none(path: str | Path, *, max_bytes: int | None = None) -> str | None:
    """SHA-256 of a regular file no larger than ``max_bytes``; None otherwise (a device, a FIFO, unreadable)."""
    path = Path(path)
    try:
        if not path.is_file() or (max_bytes is not None and path.stat().st_size > max_bytes):
            return None  # /dev/zero or a FIFO would be read without end; the reader reports the file
        return sha256_of(path)
    except OSError:
        return None


def parse_workbook(path: str | Path, limits: ReadLimits = ReadLimits()) -> WorkbookData:
    """Read ``path`` in this process; FileLevelError when it cannot be used."""
    path = Path(path)
    fmt = sniff(path, limits)
    try:
        with path.open("rb") as handle:  # calamine picks the format from the content, not the name
            book = CalamineWorkbook.from_filelike(handle)
        return _Reader(path, fmt, book, limits).read()
    except (OverflowError, MemoryError, *MALFORMED) as exc:  # a malformed file; anything else is a bug
        raise reading_error(path, exc) from None


class _Reader:
    """One workbook being read: calamine book, OOXML extras, cached sheet rows."""

    def __init__(self, path: Path, fmt: str, book: Any, limits: ReadLimits) -> None:
        self.path, self.fmt, self.book, self.limits = path, fmt, book, limits
        self.sheet_names: list[str] = list(book.sheet_names)
        self.hidden = hidden_sheets(book)
        self.rows: dict[str, list[list[Any]]] = {}
        self.issues: list[Issue] = []
        self.formulas: dict[tuple[str, str], str] = {}
        self.archive: zipfile.ZipFile | None = None
        self.package = ooxml.Package()
        self.scans: dict[str, ooxml.SheetScan] = {}
        self.legacy_fonts = False
        """Some cell style uses a TCVN3/VNI font: cell fonts are then looked up (else Cell.font stays None)."""

    def read(self) -> WorkbookData:
        if self.fmt in OOXML_FORMATS:
            self.archive = zipfile.ZipFile(self.path)
            self.package = ooxml.read_package(self.archive)
            self.legacy_fonts = any(
                font_encoding(name) for name in set(self.package.style_fonts) if name)
        try:
            meta = self._meta()
            locations = self._locate(meta)
            tables = {key: self._table(loc) for key, loc in locations.items()}
        finally:
            if self.archive is not None:
                self.archive.close()
        if not tables and not meta:
            names = "/".join(layout.table for layout in LAYOUTS.values() if layout.kind in Kind.ALL)
            raise file_error("not-a-kc-workbook", self.path, f"không tìm thấy bảng {names}", f"no {names} table found")
        self._layout_issues(meta, tables)
        return WorkbookData(path=str(self.path), sha256=sha256_of(self.path), format=self.fmt,
                            sheet_names=self.sheet_names, meta=meta, tables=tables,
                            issues=self.issues, formulas=self.formulas)

    # --- sheets and meta ------------------------------------------------------------
    def sheet_rows(self, name: str) -> list[list[Any]]:
        """Every row of a sheet from A1 (row 1 at index 0), as Python values."""
        if name not in self.rows:
            self.rows[name] = self.book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return self.rows[name]

    def head_rows(self, name: str) -> list[list[Any]]:
        """The rows scanned for a header: a big sheet is not converted whole just to be looked at."""
        if name in self.rows:
            return self.rows[name]
        sheet = self.book.get_sheet_by_name(name)
        end = sheet.end or (0, 0)
        if (end[0] + 1) * (end[1] + 1) <= SMALL_SHEET_CELLS:
            self.rows[name] = sheet.to_python(skip_empty_area=False)
            return self.rows[name]
        return sheet.to_python(skip_empty_area=False, nrows=self.limits.header_scan_rows)

    def _top_rows(self, name: str, count: int) -> list[list[Any]]:
        """The first ``count`` rows of a sheet, without converting (or keeping) the rest."""
        if name in self.rows:
            return self.rows[name][:count]
        return self.book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=count)

    def _meta(self) -> dict[str, str]:
        name = next((s for s in self.sheet_names if s.strip().lower() == META_SHEET), None)
        if name is None:
            return {}
        meta: dict[str, str] = {}
        for values in self.sheet_rows(name):
            if values and isinstance(values[0], str) and values[0].strip():
                key, seen = values[0].strip(), 1
                while key in meta:  # a repeated key is kept as ``key#2`` (kc_excel.signing.altered_keys)
                    seen += 1
                    key = f"{values[0].strip()}#{seen}"
                meta[key] = meta_text(values[1] if len(values) >= 2 else None)
        return meta

    # --- locating tables -----------------------------------------------------------------
    def _locate(self, meta: dict[str, str]) -> dict[str, Location]:
        chosen = self._locate_any(meta)
        self._refuse_hidden_registration(chosen)
        return chosen

    def _locate_any(self, meta: dict[str, str]) -> dict[str, Location]:
        candidates: list[Location] = []
        scan_rows = self.limits.header_scan_rows
        for key, layout in LAYOUTS.items():
            lo = self._list_object(layout)
            if lo is not None and lo.sheet in self.sheet_names:
                candidates.append(from_list_object(lo, self.sheet_rows(lo.sheet), layout, key))
                continue
            for sheet in self.sheet_names:
                if fold(sheet) == fold(layout.sheet):
                    found = best_header_row(sheet, self.head_rows(sheet), layout, scan_rows, "sheet", key)
                    candidates.extend([found] if found else [])
        chosen = assign(candidates)
        if meta.get(Meta.KIND) in {loc.layout.kind for loc in chosen.values()}:
            return chosen  # our own workbook, its table found by name: no need to scan every sheet
        scanned = [best_header_row(sheet, self.head_rows(sheet), layout, scan_rows, key=key)
                   for key, layout in LAYOUTS.items() for sheet in self.sheet_names
                   if fold(sheet) != META_SHEET]
        return assign([*candidates, *(loc for loc in scanned if loc)])

    def _list_object(self, layout: TableLayout) -> ooxml.ListObject | None:
        """The one Excel Table named like the layout's table; a second one is a file-level error."""
        name = fold(layout.table)
        found = [lo for lo in self.package.tables if name in (fold(lo.name), fold(lo.display_name))]
        if len(found) > 1:
            where = ", ".join(f"{lo.sheet}!{lo.ref}" for lo in found)
            raise file_error("table-duplicated", self.path, f"{len(found)} bảng {layout.table}: {where}",
                             f"{len(found)} tables {layout.table}: {where}")
        return found[0] if found else None

    def _refuse_hidden_registration(self, chosen: dict[str, Location]) -> None:
        """Registration data are read only from a visible sheet; on a hidden one they are a file-level error."""
        located = [loc.sheet for loc in chosen.values() if loc.layout.kind == Kind.REGISTRATION]
        scan_rows = self.limits.header_scan_rows
        scanned = [sheet for sheet in self.sheet_names if sheet in self.hidden and fold(sheet) != META_SHEET
                   and best_header_row(sheet, self._top_rows(sheet, scan_rows), REGISTRATION, scan_rows)]
        sheets = sorted({sheet for sheet in [*located, *scanned] if sheet in self.hidden})
        if sheets:
            names = ", ".join(sheets)
            raise file_error("hidden-sheet-data", self.path, f"trang ẩn: {names}", f"hidden sheet: {names}")

    # --- cells and tables -------------------------------------------------------------------
    def _table(self, loc: Location) -> Table:
        scan = self._scan(loc.sheet)
        sheet_formulas = {(r, c): f for (r, c), f in scan.formulas.items() if r >= loc.header_row}
        for (r, c), formula in sheet_formulas.items():
            self.formulas[(loc.sheet, a1(r, c))] = formula

        fonts = self.package.font_of if self.legacy_fonts else None
        formula_rows = {r for r, _ in sheet_formulas}
        rows = self.sheet_rows(loc.sheet)
        mark_errors(rows, self._errors(loc.sheet, scan))

        def make_cell(sheet: str, row: int, col: int, value: Any) -> Cell:
            # Called for every cell of the table: the common cases (a number, a blank, ASCII text) come first.
            formula = sheet_formulas.get((row, col)) if row in formula_rows else None
            if not isinstance(value, str):
                return new_cell(sheet, row, col, value, formula)
            if not value:
                return new_cell(sheet, row, col, None, formula)
            if value[0] in "#Ee" and is_error_value(value):
                self._error_issue(sheet, row, col, value, formula)
            font = fonts(scan.styles.get((row, col), 0)) if fonts else None
            text = value if value.isascii() else self._text(sheet, row, col, value, font)
            return new_cell(sheet, row, col, text, formula, font)

        table_columns = set(loc.columns.values())
        table = build_table(loc, rows, make_cell, self.limits.max_rows,
                            {r for r, c in sheet_formulas if c in table_columns})
        self._outside_issues(table)
        return table

    def _errors(self, sheet: str, scan: ooxml.SheetScan) -> dict[tuple[int, int], str]:
        """Error cells of a sheet (#DIV/0!…), which calamine reads as blanks; see :mod:`.error_cells`."""
        try:
            if self.fmt == "xls":
                return xls_errors(self.path, sheet, self.sheet_names.index(sheet))
            if self.fmt == "ods":
                return ods_errors(self.path, sheet)
        except Exception as exc:  # xlrd or expat on a file calamine could read: say so, never pass it as clean
            raise file_error("file-corrupt", self.path, f"không kiểm tra được các ô lỗi: {type(exc).__name__}",
                             f"error cells cannot be checked: {type(exc).__name__}") from None
        return scan.errors

    def _error_issue(self, sheet: str, row: int, col: int, value: str, formula: str | None) -> None:
        shown, shown_en = (f"{value} (công thức {formula})", f"{value} (formula {formula})") if formula else (value, value)
        self.issues.append(make_issue(
            "formula-error", f"ô {a1(row, col)} chứa {shown}, không phải giá trị dùng được",
            detail_en=f"cell {a1(row, col)} holds {shown_en}, not a usable value",
            file=str(self.path), sheet=sheet, cell=a1(row, col), row=row, value=value))

    def _scan(self, sheet: str) -> ooxml.SheetScan:
        part = self.package.sheet_parts.get(sheet)
        if self.archive is None or part is None:
            return ooxml.SheetScan()
        if sheet not in self.scans:
            full = ooxml.scan_sheet if self.legacy_fonts else ooxml.scan_formulas
            self.scans[sheet] = full(self.archive, part)
        return self.scans[sheet]

    def _text(self, sheet: str, row: int, col: int, value: str, font: str | None) -> str:
        if value.isascii():
            return value
        text = nfc(value)
        converted, encoding = _legacy(text, font)
        if encoding:
            self.issues.append(make_issue(
                "legacy-encoding", f"“{readable(text)}” (bảng mã {encoding.upper()}) → “{readable(converted)}”",
                detail_en=f"“{readable(text)}” ({encoding.upper()}) → “{readable(converted)}”",
                file=str(self.path), sheet=sheet, cell=a1(row, col), row=row, value=value))
            return converted
        return text

    def _outside_issues(self, table: Table) -> None:
        for record in table.records:
            if not record.in_table:
                first = min(table.columns.values(), key=lambda c: c.col, default=None)
                where = f"({table.ref})" if table.ref else f"(dưới dòng cộng {table.totals_row})"
                where_en = f"({table.ref})" if table.ref else f"(below totals row {table.totals_row})"
                self.issues.append(make_issue(
                    "row-outside-table", f"dòng {record.row} nằm dưới bảng {table.layout.table} {where}",
                    detail_en=f"row {record.row} lies below table {table.layout.table} {where_en}",
                    file=str(self.path), sheet=table.sheet, row=record.row,
                    cell=a1(record.row, first.col if first else 1)))
        for cell in table.unaccounted:
            self.issues.append(make_issue(
                "rows-unaccounted", f"dòng {cell.row} có {_quoted(cell.value)} ở ô {cell.ref}, ngoài các cột của bảng "
                f"{table.layout.table}", detail_en=f"row {cell.row} holds {_quoted(cell.value, 'en')} in {cell.ref}, "
                f"outside the "
                f"columns of table {table.layout.table}", file=str(self.path), sheet=table.sheet, row=cell.row,
                cell=cell.ref, value=cell.value))

    # --- layout checks --------------------------------------------------------------------------
    def _layout_issues(self, meta: dict[str, str], tables: dict[str, Table]) -> None:
        self.issues[:0] = layout_issues(str(self.path), meta, tables, TEMPLATE_VERSION)


def hidden_sheets(book: Any) -> frozenset[str]:
    """Names of the hidden and very hidden sheets (every format calamine reads says so)."""
    return frozenset(m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible)


@lru_cache(maxsize=16384)
def _quoted(value: Any, lang: str = "vi") -> str:
    """A stray cell's value in a message: text in quotes, a number as people write it (700, never 700.0)."""
    return f"'{readable(value)}'" if isinstance(value, str) else shown(value, lang)


def _legacy(text: str, font: str | None) -> tuple[str, str | None]:
    """normalize_legacy, remembered: the same labels (units, communes, activities) recur in every file."""
    return normalize_legacy(text, font)


def meta_text(value: Any) -> str:
    """A ``_kc`` value as text: 2025.0 → "2025", dates as ISO, text NFC and trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return nfc(str(value)).strip()
