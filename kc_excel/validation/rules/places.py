"""Places: Địa điểm must be a commune (xã, phường) of the submitting unit and of the province.

The submitting unit comes from ``_kc`` (``ma_tinh``, ``ma_don_vi``,
``cap_don_vi``) or from the run's ``unit`` option. A district (``huyen``,
plans up to 2025) is checked against its pre-2025 communes; a commune
(``xa``, since July 2025) against itself; a province-level file against every
commune of the province. When the unit cannot be identified the rules stay
silent (the reader and consolidation report unidentified units).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from kc_excel.catalog import communes_of, find_province, find_unit, units_of
from kc_excel.errors import KcError
from kc_excel.text import fold
from kc_excel.validation.context import FileContext, Row
from kc_excel.validation.issues import Issue
from kc_excel.validation.registry import rule
from kc_excel.workbook.layout import Level, Meta

_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu)\s+")


@dataclass(frozen=True)
class Area:
    """Commune keys of the submitting unit (``own``) and of its province (``province``)."""

    unit_name: str
    own: frozenset[str] | None
    province: frozenset[str]


def place_key(text: str) -> str:
    """Matching key of a commune name: folded, first part before a comma, without "Xã"/"Phường"."""
    first = fold(text).split(",")[0].strip()
    return _PREFIX.sub("", first)


def _keys(units: list[Any]) -> frozenset[str]:
    keys: set[str] = set()
    for unit in units:
        keys.update({place_key(unit.name), place_key(unit.short), fold(unit.name)})
    return frozenset(keys)


def _era(ctx: FileContext, level: str) -> str:
    if level == Level.DISTRICT:
        return "old"
    if level == Level.COMMUNE:
        return "new"
    year = str(ctx.meta.get(Meta.YEAR) or "").strip()
    return "old" if year.isdigit() and int(year) < 2026 else "new"


def _province_communes(province: Any, era: str) -> list[Any]:
    if era == "new":
        return list(units_of(province, level="xa"))
    return [c for district in units_of(province, level="huyen") for c in communes_of(district)]


_PROVINCE_KEYS: dict[tuple[str, str, str], frozenset[str]] = {}


def _province_keys(province: Any, era: str) -> frozenset[str]:
    """The commune keys of a province, computed once per process (the catalogue does not change)."""
    key = (province.code, province.name, era)
    if key not in _PROVINCE_KEYS:
        _PROVINCE_KEYS[key] = _keys(_province_communes(province, era))
    return _PROVINCE_KEYS[key]


def area_of(ctx: FileContext) -> Area | None:
    return ctx.memo("area", lambda: _area(ctx))


def _area(ctx: FileContext) -> Area | None:
    meta = ctx.meta
    level = str(meta.get(Meta.UNIT_LEVEL) or "").strip()
    era = _era(ctx, level)
    try:
        unit = ctx.unit if ctx.unit is not None and not isinstance(ctx.unit, str) else None
        province_text = str(meta.get(Meta.PROVINCE_CODE) or meta.get(Meta.PROVINCE_NAME) or "").strip()
        if unit is not None:
            province = find_province(unit.province_code, era=unit.era)
            era = unit.era
        elif province_text:
            province = find_province(province_text, era=era)
        else:
            return None
        everything = _province_keys(province, era)
        if unit is None and level in (Level.DISTRICT, Level.COMMUNE):
            unit_text = str(ctx.unit or meta.get(Meta.UNIT_CODE) or meta.get(Meta.UNIT_NAME) or "").strip()
            unit = find_unit(province, unit_text, level=level) if unit_text else None
    except KcError:
        return None
    if unit is None:
        return Area(province.name, None, everything)
    return Area(unit.name, _keys(list(communes_of(unit))), everything)


@rule("unknown-location")
def unknown_location(row: Row) -> Iterator[Issue]:
    text, area = row.text("dia_diem"), area_of(row.ctx)
    if text is None or area is None or not area.province:
        return
    if place_key(text) not in area.province and fold(text) not in area.province:
        yield row.issue("unknown-location", "dia_diem", f"'{text}' không phải xã, phường của tỉnh",
                        f"'{text}' is not a commune of the province")


@rule("location-outside-unit")
def location_outside_unit(row: Row) -> Iterator[Issue]:
    text, area = row.text("dia_diem"), area_of(row.ctx)
    if text is None or area is None or area.own is None:
        return
    key = place_key(text)
    if (key in area.province or fold(text) in area.province) and key not in area.own and fold(text) not in area.own:
        yield row.issue("location-outside-unit", "dia_diem", f"'{text}' không thuộc {area.unit_name}",
                        f"'{text}' is not in {area.unit_name}")
