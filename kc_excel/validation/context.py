"""What a rule receives: a file's registration rows, parsed once, with Excel positions.

:class:`FileContext` wraps a :class:`~kc_excel.workbook.data.WorkbookData` and
the options of a run (norms, expected year, unit); :class:`Row` wraps one data
row of table ``DangKy`` and knows, for every column key, its cell (A1), its
header text, its clean text and its exact number or amount in đồng.
Rules build issues through :meth:`Row.issue`, so every issue carries file,
sheet, cell, row, column header and value the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, Callable, TypeVar

from kc_excel.text import fold
from kc_excel.validation.issues import Issue, make_issue
from kc_excel.validation.values import is_blank, text_of, to_decimal
from kc_excel.workbook.data import Record, Table, WorkbookData, a1
from kc_excel.workbook.layout import DONG_PER_MONEY_UNIT, MONEY_KEYS, MONEY_UNIT_DEFAULT, REGISTRATION, Kind, Meta

T = TypeVar("T")

NUMBER_KEYS = ("so_luong", *MONEY_KEYS, "thang_bat_dau", "thang_ket_thuc")
"""Columns of ``DangKy`` that hold numbers."""

_TOTAL_LABELS = ("tong cong", "cong", "tong so", "tong")
MAX_DONG = 10**15
"""Larger amounts (a million tỷ đồng) are typing accidents, reported as not-a-number."""


@dataclass(frozen=True)
class Parsed:
    """A parsed number cell: ``value`` (None when blank or bad) and the problem code, if any."""

    value: Any = None
    problem: str | None = None  # "not-a-number" | "too-precise-amount"
    message: str = ""
    message_en: str = ""


def _money(value: Any, money_unit: str) -> Parsed:
    """An amount cell in integer đồng (plain numbers in ``money_unit``, text may name its own unit)."""
    from kc_excel.numbers import TooPreciseError, to_dong

    if isinstance(value, float):
        value = to_decimal(value)  # as Excel shows it: 15 significant digits
    try:
        dong = to_dong(value, money_unit)
    except TooPreciseError as error:
        return Parsed(None, "too-precise-amount", str(error), error.message_en)
    if abs(dong) > MAX_DONG:
        return Parsed(None, "not-a-number", f"'{value}' quá lớn", f"'{value}' is too large")
    return Parsed(dong)


class Row:
    """One data row of the registration table, parsed lazily and once."""

    def __init__(self, record: Record, ctx: FileContext, index: int) -> None:
        self.record = record
        self.ctx = ctx
        self.index = index
        self._parsed: dict[str, Parsed] = {}
        self._texts: dict[str, str | None] = {}
        self._keys: dict[str, str] = {}
        self._money: tuple[dict[str, int] | None] | None = None

    @property
    def sheet(self) -> str:
        return self.record.sheet

    @property
    def number_row(self) -> int:
        return self.record.row

    def has_column(self, key: str) -> bool:
        return key in self.record.cells or (self.ctx.table is not None and key in self.ctx.table.columns)

    def raw(self, key: str) -> Any:
        return self.record.value(key)

    def blank(self, key: str) -> bool:
        return is_blank(self.raw(key))

    def text(self, key: str) -> str | None:
        """The cell's clean text (computed once per cell: every rule asks)."""
        try:
            return self._texts[key]
        except KeyError:
            text = self._texts[key] = text_of(self.raw(key))
            return text

    def key_text(self, key: str) -> str:
        """A matching key of the cell's text (fold), "" when blank."""
        try:
            return self._keys[key]
        except KeyError:
            value = self.text(key)
            found = self._keys[key] = fold(value) if value else ""
            return found

    def cell_ref(self, key: str) -> str | None:
        cell = self.record.cell(key)
        if cell is not None:
            return cell.ref
        return self.ctx.table.column_ref(key, self.record.row) if self.ctx.table is not None else None

    def parsed(self, key: str) -> Parsed:
        if key not in self._parsed:
            self._parsed[key] = self._parse(key)
        return self._parsed[key]

    def _parse(self, key: str) -> Parsed:
        value = self.raw(key)
        if is_blank(value):
            return Parsed()
        try:
            if key in MONEY_KEYS:
                return _money(value, self.ctx.money_unit)
            return Parsed(to_decimal(value))
        except ValueError as error:
            return Parsed(None, "not-a-number", str(error), getattr(error, "message_en", str(error)))

    def number(self, key: str) -> Decimal | None:
        return self.parsed(key).value

    def amount(self, key: str) -> int | None:
        """The amount of a money column in integer đồng; None when blank or unusable."""
        return self.parsed(key).value

    def money(self) -> dict[str, int] | None:
        """All five money columns in đồng (blank = 0), or None if any is unusable or all are blank."""
        if self._money is None:
            self._money = (self._money_of(),)
        found = self._money[0]
        return None if found is None else dict(found)

    def _money_of(self) -> dict[str, int] | None:
        if all(self.blank(k) for k in MONEY_KEYS):
            return None
        if any(self.parsed(k).problem for k in MONEY_KEYS):
            return None
        return {k: self.amount(k) or 0 for k in MONEY_KEYS}

    def issue(self, code: str, key: str, detail: str = "", detail_en: str = "", *,
              value: Any = None, **extra: Any) -> Issue:
        """An issue of ``code`` at this row's cell of column ``key``."""
        return make_issue(code, detail, detail_en=detail_en, file=self.ctx.path, sheet=self.sheet,
                          cell=self.cell_ref(key), row=self.record.row, column=self.ctx.header(key),
                          value=self.raw(key) if value is None else value, **extra)


class FileContext:
    """One workbook under validation, with the run's options."""

    def __init__(self, data: WorkbookData, *, norms: dict | None = None, expected_year: int | None = None,
                 unit: Any = None) -> None:
        self.data = data
        self.norms_override = norms
        self.expected_year = expected_year
        self.unit = unit
        self.table: Table | None = registration_table(data)
        self._cache: dict[str, Any] = {}

    @property
    def path(self) -> str | None:
        return self.data.path or None

    @property
    def meta(self) -> dict[str, str]:
        return self.data.meta

    @property
    def kind(self) -> str | None:
        """``_kc.loai_bieu``, else the kind of the first table found (a file without ``_kc``)."""
        return self.data.kind or next((t.layout.kind for t in self.data.tables.values()), None)

    @property
    def money_unit(self) -> str:
        """``_kc.don_vi_tien`` when it is a known unit, else triệu đồng."""
        unit = str(self.meta.get(Meta.MONEY_UNIT) or "").strip()
        return unit if unit in DONG_PER_MONEY_UNIT else MONEY_UNIT_DEFAULT

    def header(self, key: str) -> str:
        """The column's header text as the file shows it, else the template's."""
        if self.table is not None:
            cell = self.table.columns.get(key)
            if cell is not None and isinstance(cell.value, str) and cell.value.strip():
                return cell.value.strip()
        try:
            return REGISTRATION.column(key).header
        except KeyError:
            return key

    @cached_property
    def rows(self) -> list[Row]:
        """The data rows of ``DangKy``: blank rows and a totals row left out."""
        if self.table is None:
            return []
        records = [r for r in self.table.records if not is_blank_record(r) and not is_totals_record(r)]
        return [Row(record, self, i) for i, record in enumerate(records)]

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """Compute once per file (catalogue look-ups, schema checks)."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def norms(self) -> dict:
        if self.norms_override is not None:
            return self.norms_override
        from kc_excel.catalog import default_norms

        return self.memo("default-norms", default_norms)

    def meta_issue(self, code: str, key: str, detail: str, detail_en: str, value: Any) -> Issue:
        """An issue about a ``_kc`` entry (cell B of its row when known)."""
        return make_issue(code, detail, detail_en=detail_en, file=self.path, value=value,
                          column=key)


def registration_table(data: WorkbookData) -> Table | None:
    for table in data.tables.values():
        if table.layout.kind == Kind.REGISTRATION:
            return table
    return None


def is_blank_record(record: Record) -> bool:
    return all(is_blank(cell.value) for cell in record.cells.values())


def is_totals_record(record: Record) -> bool:
    """A "Tổng cộng" row: labelled so in STT/Tên đề án, or holding SUBTOTAL/SUM formulas in money cells."""
    for key in ("stt", "ten_de_an"):
        value = record.value(key)
        if isinstance(value, str) and fold(value).rstrip(":") in _TOTAL_LABELS:
            return True
    formulas = [record.cells[k].formula for k in MONEY_KEYS if k in record.cells]
    return any(f and ("SUBTOTAL(" in f.upper() or f.upper().startswith("=SUM(")) for f in formulas)


def template_ref(key: str, row: int) -> str:
    """The cell of column ``key`` on ``row`` in the template's column order (A = STT)."""
    return a1(row, REGISTRATION.keys.index(key) + 1)
