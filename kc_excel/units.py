"""Đơn vị tính decides how an indicator's numbers are read (docs/attainment.md, "Reading numbers by Đơn vị tính").

Percent indicators (Đơn vị tính ``%``) hold fractions (5,4 % is 0,054):

- text with ``%`` ("5 %", "5,0 %", "5,4%") is what it says;
- a bare number of 1 or more is in percent points (5 → 5 % = 0,05);
- a bare number below 1 is already a fraction (0,05 → 5 %, as in a cell
  formatted 0,0 %), so 1 % must be typed 1 or "1 %", never 0,01 % ;
- an indicator with bare numbers of both kinds (0,05 next to 5,4) is
  ambiguous: the fraction is flagged ``percent-scale-ambiguous``.

Money indicators (đồng, nghìn đồng, triệu đồng, tỷ đồng) are read in their
own unit: a bare number is in that unit, text with a magnitude or currency word
("1,5 tỷ", "1.500 triệu", "900 nghìn đồng") says its own unit and is
converted; a bare whole number that would be implausibly large in the unit
(10^14 đồng or more, e.g. 1.500.000.000 in a triệu-đồng column) was typed in
đồng, and is read so with the warning ``money-unit-assumed``. Reports show
every money indicator in triệu đồng (:data:`REPORT_MONEY_UNIT`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from kc_excel.numbers import format_vn, parse_number, states_own_unit
from kc_excel.text import fold
from kc_excel.validation.issues import make_issue
from kc_excel.validation.values import shown
from kc_excel.workbook.layout import DONG_PER_MONEY_UNIT

REPORT_MONEY_UNIT = "triệu đồng"
IMPLAUSIBLE_DONG = Decimal(10) ** 14
"""An amount of 100 nghìn tỷ đồng or more is no khuyến công figure: the number was typed in another unit."""

EXPLICIT, POINTS, FRACTION, PLAIN, DONG_ASSUMED = "explicit", "points", "fraction", "plain", "dong-assumed"
_MAGNITUDE = re.compile(r"(\d[\d.,]*)\s*(tỷ|tỉ|triệu|tr|nghìn|ngàn)\b[^\d]*$", re.IGNORECASE)
_EXPONENTS = {"ty": 9, "ti": 9, "trieu": 6, "tr": 6, "nghin": 3, "ngan": 3}


@dataclass(frozen=True)
class Reading:
    """A value in the indicator's unit and how it was read (one of the scale constants above)."""

    value: Decimal
    scale: str = PLAIN


def is_percent(unit: str | None) -> bool:
    return (unit or "").strip() == "%"


def dong_per(unit: str | None) -> int | None:
    """Đồng per unit of a money unit ("triệu đồng" → 1.000.000); None for any other unit."""
    key = fold(unit or "").replace(" ", "-").rstrip(".")
    if key in ("vnd", "vnđ"):
        key = "dong"
    return DONG_PER_MONEY_UNIT.get(key)


def is_money(unit: str | None) -> bool:
    return dong_per(unit) is not None


def read_in_unit(raw: Any, unit: str | None) -> Reading:
    """``raw`` (a cell value) in the unit of measure ``unit``; ValueError when it is no number."""
    value = parse_number(raw)
    text = raw.strip() if isinstance(raw, str) else None
    if is_percent(unit):
        if text is not None and text.endswith("%"):
            return Reading(value, EXPLICIT)
        return Reading(value / 100, POINTS) if abs(value) >= 1 else Reading(value, FRACTION)
    factor = dong_per(unit)
    if factor is None:
        return Reading(value)
    if states_own_unit(raw):
        return Reading(value / factor, EXPLICIT)
    if implausible_amount(value, unit):
        return Reading(value / factor, DONG_ASSUMED)
    return Reading(value)


def implausible_amount(value: Decimal, unit: str | None) -> bool:
    """A bare whole number too large for a money ``unit`` above đồng: 10^14 đồng or more (100000000 triệu)."""
    factor = dong_per(unit) or 1
    return factor > 1 and value == value.to_integral_value() and abs(value) * factor >= IMPLAUSIBLE_DONG


def to_report_unit(value: Decimal | None, unit: str | None) -> Decimal | None:
    """A money value of ``unit`` in triệu đồng (other units unchanged)."""
    factor = dong_per(unit)
    if value is None or factor is None:
        return value
    return value * factor / DONG_PER_MONEY_UNIT["trieu-dong"]


def report_unit(unit: str | None) -> str | None:
    """The unit a report shows: triệu đồng for every money unit."""
    return REPORT_MONEY_UNIT if is_money(unit) else unit


def mixed_percent_scales(readings: Iterable[Reading]) -> bool:
    """True when bare numbers of one indicator were read both as points (≥ 1) and as fractions (< 1, not 0)."""
    scales = {r.scale for r in readings if r.value != 0}
    return POINTS in scales and FRACTION in scales


def stated_exponent(raw: Any) -> int:
    """Power of ten of the last magnitude word of a stated figure ("10,09 tỷ" → 9; "1.500" → 0)."""
    if not isinstance(raw, str):
        return 0
    match = _MAGNITUDE.search(raw.strip())
    return _EXPONENTS.get(fold(match.group(2)), 0) if match else 0


def stated_fraction_digits(raw: str) -> int:
    """Digits after the decimal comma of the number before the last magnitude word ("36.524,6 triệu" → 1)."""
    match = _MAGNITUDE.search(raw.strip())
    number = match.group(1) if match else ""
    return len(number.rsplit(",", 1)[1]) if "," in number else 0


class Readings:
    """How the numbers of each indicator were read, with their cells; the Đơn vị tính of each programme code."""

    def __init__(self) -> None:
        self.units: dict[str, str | None] = {}
        self.found: list[tuple[str | None, Reading, dict[str, Any]]] = []

    def add(self, code: str | None, reading: Reading, where: dict[str, Any]) -> None:
        self.found.append((code, reading, where))

    def issues(self) -> list:
        """``money-unit-assumed`` for each amount read in đồng, ``percent-scale-ambiguous`` for each fraction
        of an indicator that also has percent points."""
        by_code: dict[str | None, list[Reading]] = {}
        for code, reading, _ in self.found:
            by_code.setdefault(code, []).append(reading)
        issues = []
        for code, reading, where in self.found:
            if reading.scale == DONG_ASSUMED:
                issues.append(make_issue("money-unit-assumed", _assumed(code, reading, where), **where))
            elif reading.scale == FRACTION and reading.value and mixed_percent_scales(by_code[code]):
                points = next(r for r in by_code[code] if r.scale == POINTS)
                issues.append(make_issue("percent-scale-ambiguous", _ambiguous(code, reading, points, where),
                                         **where))
        return issues


def percent_text(value: Decimal, lang: str = "vi") -> str:
    """A fraction as the percentage a % indicator's cell shows: 0,054 → "5,4 %" ("5.4 %" in English)."""
    return f"{format_vn(value * 100, None, at_most=6, lang=lang)} %"


def _ambiguous(code: str | None, reading: Reading, points: Reading, where: dict[str, Any]) -> str:
    return (f"{code}: '{_shown(where.get('value'))}' đọc là {percent_text(reading.value)} (phân số) nhưng cùng chỉ tiêu "
            f"có số đọc theo điểm phần trăm ({percent_text(points.value)}); nếu ý là {_shown(where.get('value'))} % "
            f"hãy gõ kèm dấu %")


def _shown(value: Any) -> str:
    """The cell's value as typed: 1500000000.0 read from a float cell shows as "1.500.000.000"."""
    return shown(value)


def _assumed(code: str | None, reading: Reading, where: dict[str, Any]) -> str:
    return f"{code}: '{_shown(where.get('value'))}' đọc là {format_vn(reading.value, None, at_most=6)} theo đơn vị tính"
