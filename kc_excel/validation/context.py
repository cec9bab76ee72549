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

from kc_excel.numbers import TooPreciseError, to_dong
from kc_excel.text import fold
from kc_excel.validation.issues import Issue, make_issue
from kc_excel.validation.values import is_blank, text_of, to_decimal
from kc_excel.workbook.data import Record, Table, WorkbookData
from kc_excel.workbook.error_cells import is_error_value
from kc_excel.workbook.layout import (DONG_PER_MONEY_UNIT, MAX_YEAR, MIN_YEAR, MONEY_KEYS, MONEY_UNIT_DEFAULT,
                                      REGISTRATION, Kind, Meta)

T = TypeVar("T")

NUMBER_KEYS = ("so_luong", *MONEY_KEYS, "thang_bat_dau", "thang_ket_thuc")
"""Columns of ``DangKy`` that hold numbers."""

SHARED_TEXT_LENGTH = 100
"""Number cells typed as text up to this length share their parse within a file (see FileContext.number_of)."""
MAX_DONG = 10**15
"""Larger amounts (a million tỷ đồng) are typing accidents, reported as not-a-number."""


@dataclass(frozen=True)
class Parsed:
    """A parsed number cell: ``value`` (None when blank or bad) and the problem code, if any."""

    value: Any = None
    problem: str | None = None  # "not-a-number" | "too-precise-amount"
    message: str = ""
    message_en: str = ""


BLANK = Parsed()
"""What a blank number cell parses to (shared: Parsed is frozen)."""
_new, _set = object.__new__, object.__setattr__


def _good(value: Any) -> Parsed:
    """``Parsed(value)``, without the frozen dataclass's four ``object.__setattr__`` calls (one per number cell)."""
    parsed = _new(Parsed)
    _set(parsed, "__dict__", {"value": value, "problem": None, "message": "", "message_en": ""})
    return parsed


def _money(value: Any, money_unit: str) -> Parsed:
    """An amount cell in integer đồng (plain numbers in ``money_unit``, text may name its own unit)."""
    if isinstance(value, float):
        value = to_decimal(value)  # as Excel shows it: 15 significant digits
    try:
        dong = to_dong(value, money_unit)
    except TooPreciseError as error:
        return Parsed(None, "too-precise-amount", str(error), error.message_en)
    if abs(dong) > MAX_DONG:
        return Parsed(None, "not-a-number", f"'{value}' quá lớn", f"'{value}' is too large")
    return _good(dong)


def _number(value: Any, key: str, money_unit: str) -> Parsed:
    """A non-blank number cell of column ``key`` parsed: an amount in đồng for money columns.

    An Excel error value (``#DIV/0!``) is unusable, never 0; the reader reports it as ``formula-error``.
    """
    if is_error_value(value):
        return Parsed(None, "formula-error", f"'{value}' là giá trị lỗi", f"'{value}' is an error value")
    try:
        if key in MONEY_KEYS:
            return _money(value, money_unit)
        return _good(to_decimal(value))
    except ValueError as error:
        return Parsed(None, "not-a-number", str(error), getattr(error, "message_en", str(error)))


class Row:
    """One data row of the registration table, parsed lazily and once.

    Every rule asks the same cells again (about 1,800 look-ups per file of 40
    rows), so the look-ups below are written for speed: plain dict reads, no
    exception on a first look-up.
    """

    def __init__(self, record: Record, ctx: FileContext, index: int) -> None:
        self.record = record
        self.ctx = ctx
        self.index = index
        self._cells = record.cells
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
        cell = self._cells.get(key)
        return None if cell is None else cell.value

    def blank(self, key: str) -> bool:
        return is_blank(self.raw(key))

    def text(self, key: str) -> str | None:
        """The cell's clean text (computed once per cell: every rule asks)."""
        texts = self._texts
        if key in texts:
            return texts[key]
        text = texts[key] = text_of(self.raw(key))
        return text

    def key_text(self, key: str) -> str:
        """A matching key of the cell's text (fold), "" when blank."""
        keys = self._keys
        if key in keys:
            return keys[key]
        value = self.text(key)
        found = keys[key] = fold(value) if value else ""
        return found

    def cell_ref(self, key: str) -> str | None:
        cell = self.record.cell(key)
        if cell is not None:
            return cell.ref
        return self.ctx.table.column_ref(key, self.record.row) if self.ctx.table is not None else None

    def parsed(self, key: str) -> Parsed:
        found = self._parsed.get(key)
        if found is None:
            found = self._parsed[key] = self._parse(key)
        return found

    def _parse(self, key: str) -> Parsed:
        value = self.raw(key)
        if is_blank(value):
            return BLANK
        return self.ctx.number_of(value, key)

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
        amounts: dict[str, int] = {}
        given = False  # all five blank → None (a blank cell parses to value None, no problem)
        for key in MONEY_KEYS:
            parsed = self.parsed(key)
            if parsed.problem:
                return None
            given = given or parsed.value is not None
            amounts[key] = parsed.value or 0
        return amounts if given else None

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
        self.activities: dict[str, Any] = {}
        """Hoạt động text → (Activity or None, suggestions), for :func:`.rules.lookups.activity_lookup`."""
        self._numbers: dict[tuple[bool, type, Any], Parsed] = {}

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

    @cached_property
    def money_unit(self) -> str:
        """``_kc.don_vi_tien`` when it is a known unit, else triệu đồng."""
        unit = str(self.meta.get(Meta.MONEY_UNIT) or "").strip()
        return unit if unit in DONG_PER_MONEY_UNIT else MONEY_UNIT_DEFAULT

    def number_of(self, value: Any, key: str) -> Parsed:
        """A non-blank cell of number column ``key`` parsed, once per distinct value in the file.

        Months, quantities, zero amounts and round sums recur on many rows.
        Only values whose equality means the same result are shared: exact
        ``float``, ``int`` and short ``str`` (not ``Decimal("1.0") == 1``, not
        ``bool``); a float zero only for money (``-0.0`` is 0 đồng too, but
        ``Decimal("-0")`` as a number).
        """
        kind = value.__class__
        money = key in MONEY_KEYS
        if kind is float:
            shared = money or value != 0
        else:
            shared = kind is int or (kind is str and len(value) <= SHARED_TEXT_LENGTH)
        if not shared:
            return _number(value, key, self.money_unit)
        memo_key = (money, kind, value)
        found = self._numbers.get(memo_key)
        if found is None:
            found = self._numbers[memo_key] = _number(value, key, self.money_unit)
        return found

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
        """The data rows of ``DangKy`` (the reader has set the totals row apart), blank rows left out."""
        if self.table is None:
            return []
        records = [r for r in self.table.records if not is_blank_record(r)]
        return [Row(record, self, i) for i, record in enumerate(records)]

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """Compute once per file (catalogue look-ups, schema checks)."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def norms(self) -> dict:
        """The support norms of this file: ``--norms`` in force for its plan year, else the defaults."""
        chosen = self.norms_override
        if chosen is not None and hasattr(chosen, "for_year"):  # a NormsInForce: pick by the plan year
            return self.memo("norms-in-force", lambda: chosen.for_year(self.plan_year()))
        if chosen is not None:
            return chosen
        if "default-norms" not in self._cache:  # asked for every row: no import statement on the way
            # heavy: the catalogue (pydantic models, +0.1 s) stays out of validate's parent, which reads no norms
            from kc_excel.catalog import default_norms

            self._cache["default-norms"] = default_norms()
        return self._cache["default-norms"]

    def plan_year(self) -> int | None:
        """The run's ``--year``, else the year the file's ``_kc`` states (None when neither is usable)."""
        if self.expected_year:
            return self.expected_year
        text = str(self.data.meta.get(Meta.YEAR) or "").strip()
        return int(text) if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR else None

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
