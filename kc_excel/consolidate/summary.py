"""Totals of a plan in Python, exactly (integer đồng): per activity and unit of measure, per
activity group (nội dung hoạt động, Điều 4 NĐ 45/2012), per submitting unit.

The plan workbook shows the same totals as live formulas over ``ChiTiet``;
these values are written as the formulas' cached results and are what tests
compare LibreOffice's recalculation with.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Callable, Iterable, Sequence

from kc_excel.catalog import activities, activity_groups
from kc_excel.consolidate.core import Plan
from kc_excel.models import PlanLine
from kc_excel.workbook.layout import MONEY_KEYS

OTHER_GROUP = 0
OTHER_GROUP_TITLE = "Hoạt động khác"


@dataclass(frozen=True)
class ActivityInfo:
    group: int
    group_title: str
    label: str
    order: int


@dataclass(frozen=True)
class Total:
    """One summary row: its keys, the number of lines, Số lượng and the money in đồng."""

    key: tuple
    count: int
    so_luong: Decimal
    money: dict[str, int]


def activity_info(code: str) -> ActivityInfo:
    """Group and label of an activity code from the catalogue (unknown codes: group 0)."""
    titles = {g.number: g.title for g in activity_groups()}
    for order, activity in enumerate(activities()):
        if activity.code == code:
            return ActivityInfo(activity.group, titles.get(activity.group, ""), activity.label, order)
    return ActivityInfo(OTHER_GROUP, OTHER_GROUP_TITLE, code, 10_000)


def group_titles() -> dict[int, str]:
    return {g.number: g.title for g in activity_groups()}


def _totals(lines: Iterable[PlanLine], key_of: Callable[[PlanLine], tuple]) -> dict[tuple, Total]:
    """A Total per key (in order of first appearance): lines grouped first, then each column summed at once."""
    groups: dict[tuple, list[PlanLine]] = defaultdict(list)
    for line in lines:
        groups[key_of(line)].append(line)
    return {key: Total(key, len(group), sum((line.so_luong or 0 for line in group), Decimal(0)),
                       {name: sum(map(attrgetter(name), group)) for name in MONEY_KEYS})
            for key, group in groups.items()}


def by_activity(lines: Sequence[PlanLine]) -> list[tuple[ActivityInfo, str, Total]]:
    """(activity info, code, total) per (activity, đơn vị tính), in catalogue order."""
    infos = {code: activity_info(code) for code in {line.hoat_dong for line in lines}}
    totals = _totals(lines, lambda line: (line.hoat_dong, line.don_vi_tinh or ""))
    ordered = sorted(totals.values(), key=lambda t: (infos[t.key[0]].group, infos[t.key[0]].order,
                                                      t.key[0], t.key[1]))
    return [(infos[t.key[0]], t.key[0], t) for t in ordered]


def by_group(lines: Sequence[PlanLine]) -> list[tuple[int, str, Total]]:
    """(group number, title, total) for every activity group of the catalogue (zeros included)."""
    titles = group_titles()
    group_of = {code: activity_info(code).group for code in {line.hoat_dong for line in lines}}
    totals = _totals(lines, lambda line: (group_of[line.hoat_dong],))
    if OTHER_GROUP in {g for (g,) in totals}:
        titles[OTHER_GROUP] = OTHER_GROUP_TITLE
    empty = dict.fromkeys(MONEY_KEYS, 0)
    return [(number, title, totals.get((number,), Total((number,), 0, Decimal(0), dict(empty))))
            for number, title in sorted(titles.items())]


def by_unit(plan: Plan) -> list[tuple[str | None, str, str, Total]]:
    """(code, name, status, total) per expected unit, in the order of ``TinhTrang``."""
    totals = _totals(plan.lines, lambda line: (line.unit_code,))
    empty = dict.fromkeys(MONEY_KEYS, 0)
    return [(u.code, u.name, u.status, totals.get((u.code,), Total((u.code,), 0, Decimal(0), dict(empty))))
            for u in plan.units if u.expected]
