"""Activity groups, activities, units of measure, facility types and funding sources.

The nine activity groups are the contents of khuyến công in Điều 4 Nghị định
45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP. Activities (hoạt động)
are what a registration line names; each belongs to one group, lists the units
of measure (đơn vị tính) its số lượng may be counted in, and says whether it
supports one facility (cơ sở thụ hưởng required). Data: ``data/*.json``.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kc_excel.catalog.names import Entry, NameIndex
from kc_excel.errors import UnknownNameError
from kc_excel.text import fold

DECREE_SOURCE = "Điều 4 Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP"

FACILITY_TYPES: tuple[str, ...] = ("DNNVV", "HTX", "Tổ hợp tác", "Hộ kinh doanh", "Nghệ nhân", "Cơ quan/đơn vị")
"""Loại hình of a cơ sở thụ hưởng (contract §2.1, column 7)."""

FUNDING_SOURCES: tuple[tuple[str, str], ...] = (
    ("kcqg", "Khuyến công quốc gia"),
    ("kcdp", "Khuyến công địa phương"),
    ("doi_ung", "Vốn đối ứng"),
    ("khac", "Nguồn khác"),
)
"""Funding sources (nguồn kinh phí) as (key, label), in the order of the registration columns."""


class ActivityGroup(BaseModel):
    """One of the nine contents of Điều 4 (``number`` = the Khoản)."""

    model_config = ConfigDict(frozen=True)

    number: int = Field(ge=1, le=9)
    title: str
    source: str
    text: str = ""  # the clause's wording (Decree 45/2012 as codified)


class Activity(BaseModel):
    """A khuyến công activity (hoạt động) of the catalogue."""

    model_config = ConfigDict(frozen=True)

    code: str
    label: str
    group: int = Field(ge=1, le=9)
    units: tuple[str, ...] = Field(min_length=1)
    supports_facility: bool
    source: str
    aliases: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """``"MAY_MOC - Ứng dụng máy móc thiết bị tiên tiến"``: how dropdowns show it."""
        return f"{self.code} - {self.label}"


def _load(name: str) -> dict[str, Any]:
    with resources.files("kc_excel.catalog").joinpath("data").joinpath(name).open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _groups() -> tuple[ActivityGroup, ...]:
    return tuple(ActivityGroup(**g) for g in _load("activity_groups.json")["groups"])


@cache
def _activities() -> tuple[Activity, ...]:
    return tuple(Activity(**a) for a in _load("activities.json")["activities"])


def activity_groups() -> list[ActivityGroup]:
    """The nine activity groups, in the order of Điều 4."""
    return list(_groups())


def activity_group(number: int) -> ActivityGroup:
    """The group with this Khoản number (1-9)."""
    for g in _groups():
        if g.number == number:
            return g
    raise KeyError(number)


def activity_name(code: str) -> str:
    """What a message calls an activity: its catalogue name ("Hội thảo, diễn đàn chuyên đề"), never the
    internal code (issue 16); a code the catalogue does not know is shown as it is."""
    return next((a.label for a in _activities() if a.code == code), code)


def activities() -> list[Activity]:
    """Every activity of the catalogue, grouped by Điều 4 order."""
    return list(_activities())


def _units_in_order() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for a in _activities():
        seen.update(dict.fromkeys(a.units))
    return tuple(seen)


UNITS_OF_MEASURE: tuple[str, ...] = _units_in_order()
"""Every unit of measure (đơn vị tính) allowed by some activity."""


@cache
def _activity_index() -> NameIndex[Activity]:
    entries = [
        Entry(a, a.code, a.label, a.code, aliases=(a.display, a.code.replace("_", " "), *a.aliases))
        for a in _activities()
    ]
    return NameIndex(entries, "hoạt động", "activity")


_CODE_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z_ ]*?)\s*[-–—:]\s*(\S.*)$")


def find_activity(text: object) -> Activity:
    """The activity named by a code, a label, ``"CODE - label"`` or an alias, in any case, with or without diacritics.

    Raises :class:`~kc_excel.errors.UnknownNameError` (``.suggestions`` lists close matches).
    """
    if isinstance(text, Activity):
        return text
    raw = "" if text is None else str(text).strip()
    m = _CODE_LABEL.match(raw)
    if m:
        code = re.sub(r"\s+", "_", m.group(1).strip()).upper()
        for a in _activities():
            if a.code == code:
                return a
        try:
            return _activity_index().find(m.group(2))
        except UnknownNameError:
            pass
    return _activity_index().find(raw)


@cache
def _unit_keys() -> dict[str, str]:
    return {fold(u): u for u in UNITS_OF_MEASURE}


def find_unit_of_measure(text: object) -> str:
    """The catalogue spelling of a unit of measure typed in any case, with or without diacritics."""
    raw = "" if text is None else str(text).strip()
    found = _unit_keys().get(fold(raw))
    if found:
        return found
    close = [_unit_keys()[k] for k in difflib.get_close_matches(fold(raw), list(_unit_keys()), n=3, cutoff=0.6)]
    hint = f" Có phải: {', '.join(close)}?" if close else ""
    raise UnknownNameError(
        f"Đơn vị tính “{raw}” không có trong danh mục ({', '.join(UNITS_OF_MEASURE)}).{hint}",
        suggestions=close,
        message_en=f"Unknown unit of measure “{raw}”.",
    )
