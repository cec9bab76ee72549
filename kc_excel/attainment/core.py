"""Target attainment, the pure core: Thực hiện, Tỷ lệ đạt, Tiến độ kỳ vọng and Đánh giá (contract §2.5).

Everything is exact :class:`~decimal.Decimal` (28 significant digits for
quotients); floats appear only when a caller renders JSON. The functions
:func:`ratio`, :func:`status`, :func:`cagr` and :func:`yoy_change` are also the
bodies of the ``KC_TYLE``, ``KC_DANHGIA`` and ``KC_TANGTRUONG`` formulas.

Rules of Đánh giá, in order (``lo``/``hi`` are tối thiểu/tối đa; a point
target has ``hi = lo``; with only one bound given both equal it):

1. no Thực hiện → ``Chưa có số liệu`` (never silently zero);
2. Thực hiện = 0 and Càng cao càng tốt → ``Chưa thực hiện``;
3. no target at all → ``Chưa có số liệu`` (the indicator cannot be judged);
4. Cộng dồn and the period not over (as of before December of Đến năm):
   Càng cao: > hi ``Vượt``, = hi ``Đạt``, Tỷ lệ đạt ≥ Tiến độ kỳ vọng ``Đúng
   tiến độ`` (also when lo = 0), else ``Chậm tiến độ``;
   Càng thấp (mirror): > hi ``Không đạt`` (the cap is already spent), Tỷ lệ
   đạt ≤ Tiến độ kỳ vọng ``Đúng tiến độ``, else ``Chậm tiến độ``;
5. otherwise (period over, Kỳ cuối, Bình quân): Càng cao: > hi ``Vượt``, ≥ lo
   ``Đạt``, else ``Không đạt`` once the period is over and ``Chưa đạt`` while
   it is not (a 2021-2025 growth target at 2023-12 is not yet failed);
   Càng thấp: < lo ``Vượt``, ≤ hi ``Đạt``, else ``Không đạt``/``Chưa đạt`` alike.

A call without a period or as-of month is judged by rule 5 as final (``Không đạt``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping

from kc_excel.attainment.pace import AsOf, expected_pace, period_over
from kc_excel.models import CUMULATIVE, HIGHER_IS_BETTER, LATEST, LOWER_IS_BETTER, MEAN, Result, Target
from kc_excel.numbers import float_to_decimal
from kc_excel.validation.issues import Issue, make_issue

VUOT = "Vượt"
DAT = "Đạt"
DUNG_TIEN_DO = "Đúng tiến độ"
CHAM_TIEN_DO = "Chậm tiến độ"
CHUA_DAT = "Chưa đạt"
KHONG_DAT = "Không đạt"
CHUA_THUC_HIEN = "Chưa thực hiện"
CHUA_CO_SO_LIEU = "Chưa có số liệu"
STATUSES = (VUOT, DAT, DUNG_TIEN_DO, CHAM_TIEN_DO, CHUA_DAT, KHONG_DAT, CHUA_THUC_HIEN, CHUA_CO_SO_LIEU)

Number = Decimal | int | float | str


def to_decimal(value: Number | None) -> Decimal | None:
    """Decimal of an int/float/Decimal/plain numeric string (a float as Excel displays it)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("Giá trị logic không phải là số")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"'{value}' không phải là số")
        return float_to_decimal(value)
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"'{value}' không phải là số") from exc


def bounds(target_min: Number | None, target_max: Number | None) -> tuple[Decimal | None, Decimal | None]:
    """(lo, hi): a point target has hi = lo; a single given bound stands for both.

    ValueError when tối thiểu is above tối đa (the programme reader says ``invalid-value`` for it)."""
    lo, hi = to_decimal(target_min), to_decimal(target_max)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"chỉ tiêu tối thiểu {lo} lớn hơn tối đa {hi}")
    return (lo if lo is not None else hi), (hi if hi is not None else lo)


def _lower_is_better(direction: str | None) -> bool:
    return direction == LOWER_IS_BETTER


def ratio(actual: Number | None, target_min: Number | None, target_max: Number | None = None,
          direction: str = HIGHER_IS_BETTER) -> Decimal | None:
    """Tỷ lệ đạt: Thực hiện / tối thiểu (Càng thấp càng tốt: / tối đa); None without a non-zero target."""
    value = to_decimal(actual)
    lo, hi = bounds(target_min, target_max)
    denominator = hi if _lower_is_better(direction) else lo
    if value is None or denominator is None or denominator == 0:
        return None
    return value / denominator


def status(actual: Number | None, target_min: Number | None, target_max: Number | None = None,
           direction: str = HIGHER_IS_BETTER, aggregation: str = CUMULATIVE,
           from_year: int | None = None, to_year: int | None = None,
           as_of_year: int | None = None, as_of_month: int | None = None) -> str:
    """Đánh giá of one indicator, exactly one of :data:`STATUSES` (rules in the module docstring)."""
    value = to_decimal(actual)
    lower = _lower_is_better(direction)
    if value is None:
        return CHUA_CO_SO_LIEU
    if value == 0 and not lower:
        return CHUA_THUC_HIEN
    lo, hi = bounds(target_min, target_max)
    if lo is None or hi is None:
        return CHUA_CO_SO_LIEU
    timed = None not in (from_year, to_year, as_of_year, as_of_month)
    running = timed and not period_over(to_year, as_of_year, as_of_month)
    if aggregation == CUMULATIVE and running:
        pace = expected_pace(from_year, to_year, as_of_year, as_of_month)
        return _on_track_lower(value, hi, pace) if lower else _on_track_higher(value, lo, hi, pace)
    short = CHUA_DAT if running else KHONG_DAT
    return _final_lower(value, lo, hi, short) if lower else _final_higher(value, lo, hi, short)


def _on_track_higher(value: Decimal, lo: Decimal, hi: Decimal, pace: Decimal) -> str:
    if value > hi:
        return VUOT
    if value == hi:
        return DAT
    achieved = ratio(value, lo)
    return DUNG_TIEN_DO if achieved is None or achieved >= pace else CHAM_TIEN_DO


def _on_track_lower(value: Decimal, hi: Decimal, pace: Decimal) -> str:
    if value > hi:
        return KHONG_DAT
    achieved = ratio(value, None, hi, LOWER_IS_BETTER)
    return DUNG_TIEN_DO if achieved is None or achieved <= pace else CHAM_TIEN_DO


def _final_higher(value: Decimal, lo: Decimal, hi: Decimal, short: str = KHONG_DAT) -> str:
    return VUOT if value > hi else DAT if value >= lo else short


def _final_lower(value: Decimal, lo: Decimal, hi: Decimal, short: str = KHONG_DAT) -> str:
    return VUOT if value < lo else DAT if value <= hi else short


def aggregate(values: Mapping[int, Decimal], aggregation: str = CUMULATIVE) -> Decimal | None:
    """Thực hiện from yearly values: Cộng dồn = sum, Kỳ cuối = latest year, Bình quân = mean; None if empty."""
    if not values:
        return None
    if aggregation == LATEST:
        return values[max(values)]
    total = sum(values.values(), Decimal(0))
    if aggregation == MEAN:
        return total / len(values)
    return total


def cagr(start: Number, end: Number, years: Number) -> Decimal:
    """Compound average annual growth (end/start)^(1/years) − 1, e.g. 100 → 121 over 2 years = 0,1.

    Exact to 28 significant digits (Decimal power); ValueError if start ≤ 0, end < 0 or years ≤ 0.
    """
    first, last, span = to_decimal(start), to_decimal(end), to_decimal(years)
    if first is None or last is None or span is None:
        raise ValueError("Thiếu giá trị đầu kỳ, cuối kỳ hoặc số năm")
    if first <= 0 or last < 0:
        raise ValueError("Giá trị đầu kỳ phải lớn hơn 0 và cuối kỳ không âm")
    if span <= 0:
        raise ValueError("Số năm phải lớn hơn 0")
    if last == 0:
        return Decimal(-1)
    try:
        return (last / first) ** (Decimal(1) / span) - 1
    except ArithmeticError:  # decimal.Overflow and friends: said in words, never as an exception's repr
        raise ValueError("kết quả quá lớn (số năm quá nhỏ so với mức tăng)") from None


def yoy_change(previous: Number | None, current: Number | None) -> Decimal | None:
    """Year-on-year change current/previous − 1 (0,05 = +5%); None without a non-zero previous value."""
    before, now = to_decimal(previous), to_decimal(current)
    if before is None or now is None or before == 0:
        return None
    return now / before - 1


def yoy_changes(values: Mapping[int, Number]) -> dict[int, Decimal | None]:
    """Change of each year against the year before (years without a predecessor are left out)."""
    return {year: yoy_change(values[year - 1], values[year]) for year in sorted(values) if year - 1 in values}


@dataclass(frozen=True)
class Attainment:
    """One row of the report: an indicator, its Thực hiện and its Đánh giá."""

    target: Target
    actual: Decimal | None
    ratio: Decimal | None
    expected_pace: Decimal | None
    status: str
    values: dict[int, Decimal] = field(default_factory=dict)
    results: tuple[Result, ...] = ()
    excluded: tuple[Issue, ...] = ()
    """Results of this indicator left out (outside the period, after the as-of year)."""

    @property
    def notes(self) -> list[str]:
        """Short Vietnamese notes for the report's Ghi chú column."""
        notes = []
        if self.values:
            notes.append("Số liệu các năm: " + ", ".join(str(y) for y in sorted(self.values)))
        notes.extend(issue.detail for issue in self.excluded)
        return notes

    def to_json(self) -> dict:
        """The contract §4 object: fractions and JSON numbers."""
        t = self.target
        return {"code": t.code, "name": t.name, "unit": t.unit, "target_min": json_number(t.target_min),
                "target_max": json_number(t.target_max), "actual": json_number(self.actual),
                "ratio": json_number(self.ratio), "expected_pace": json_number(self.expected_pace),
                "status": self.status}


@dataclass(frozen=True)
class AttainmentReport:
    """Every indicator as of one month, plus the issues met while computing."""

    as_of: AsOf
    rows: tuple[Attainment, ...]
    issues: tuple[Issue, ...] = ()

    def to_json(self) -> dict:
        return {"as_of": str(self.as_of), "indicators": [row.to_json() for row in self.rows]}


def json_number(value: Decimal | None) -> int | float | None:
    """A JSON number: integers stay exact ints, other values become floats (display only)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def attain(target: Target, results: Iterable[Result], as_of: AsOf, excluded: Iterable[Issue] = ()) -> Attainment:
    """One indicator: aggregate its results (already filtered to its period and the as-of year)."""
    used = tuple(sorted(results, key=lambda r: r.year))
    values = {r.year: r.value for r in used}
    actual = aggregate(values, target.aggregation)
    pace = None
    if target.aggregation == CUMULATIVE:
        pace = expected_pace(target.from_year, target.to_year, as_of.year, as_of.month)
    verdict = status(actual, target.target_min, target.target_max, target.direction, target.aggregation,
                     target.from_year, target.to_year, as_of.year, as_of.month)
    return Attainment(target, actual, ratio(actual, target.target_min, target.target_max, target.direction),
                      pace, verdict, values, used, tuple(excluded))


def evaluate(targets: Iterable[Target], results: Iterable[Result], as_of: AsOf) -> AttainmentReport:
    """All indicators of a programme as of ``as_of``; results are assumed merged (see :func:`merge_results`).

    Results outside an indicator's period or after the as-of year are left out
    and reported (``result-outside-period``, ``result-after-as-of``); results
    of codes the programme lacks give ``unknown-indicator``.
    """
    targets = list(targets)
    known = {t.code: t for t in targets}
    kept: dict[str, list[Result]] = {t.code: [] for t in targets}
    left_out: dict[str, list[Issue]] = {t.code: [] for t in targets}
    issues: list[Issue] = []
    for result in results:
        target = known.get(result.code)
        problem = _exclusion(result, target, as_of)
        if problem is None:
            kept[result.code].append(result)
            continue
        issues.append(problem)
        if target is not None:
            left_out[result.code].append(problem)
    rows = tuple(attain(t, kept[t.code], as_of, left_out[t.code]) for t in targets)
    return AttainmentReport(as_of, rows, tuple(issues))


def _where(result: Result) -> dict:
    return {"file": result.file, "sheet": result.sheet, "cell": result.cell, "value": str(result.value)}


def _exclusion(result: Result, target: Target | None, as_of: AsOf) -> Issue | None:
    if target is None:
        return make_issue("unknown-indicator", f"'{result.code}' (năm {result.year})",
                          detail_en=f"'{result.code}' (year {result.year})", **_where(result))
    if not target.from_year <= result.year <= target.to_year:
        return make_issue(
            "result-outside-period",
            f"{result.code} năm {result.year} ngoài giai đoạn {target.from_year}-{target.to_year}, không tính",
            detail_en=f"{result.code} year {result.year} is outside {target.from_year}-{target.to_year}; left out",
            **_where(result))
    if result.year > as_of.year:
        return make_issue(
            "result-after-as-of", f"{result.code} năm {result.year} sau thời điểm đánh giá {as_of.label_vi}, không tính",
            detail_en=f"{result.code} year {result.year} is after the as-of month {as_of}; left out", **_where(result))
    return None


def merge_results(results: Iterable[Result]) -> tuple[list[Result], list[Issue]]:
    """Merge results of several files: the first value of an indicator and year wins, a second is
    a ``duplicate-result`` error naming both cells (never a silent overwrite)."""
    first: dict[tuple[str, int], Result] = {}
    merged: list[Result] = []
    issues: list[Issue] = []
    for result in results:
        key = (result.code, result.year)
        if key in first:
            issues.append(_duplicate(first[key], result))
            continue
        first[key] = result
        merged.append(result)
    return merged, issues


def _place(result: Result) -> str:
    parts = [p for p in (result.file and result.file.rsplit("/", 1)[-1], result.sheet, result.cell) if p]
    return "!".join(parts) if parts else "?"


def _duplicate(kept: Result, again: Result) -> Issue:
    return make_issue(
        "duplicate-result",
        f"{again.code} năm {again.year}: {again.value} ở {_place(again)} trùng với {kept.value} ở {_place(kept)}",
        detail_en=f"{again.code} year {again.year}: {again.value} at {_place(again)} repeats {kept.value} "
                  f"at {_place(kept)}",
        **_where(again))
