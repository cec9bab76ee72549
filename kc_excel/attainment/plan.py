"""Plan vs programme: the quantities of a consolidated yearly plan against the programme's yearly share.

For every Cộng dồn indicator of the programme that names a Hoạt động, the
yearly share is tối thiểu / number of years of its period (47 cơ sở over
2021-2025 → 9,4 a year); the plan's Số lượng of the same activity and unit of
measure (table ``TongHop`` of a ``ke-hoach`` workbook written by
``kc-excel consolidate``) is compared with it. Pure computation here;
:func:`plan_quantities` turns the rows of ``TongHop`` into quantities, which
:func:`kc_excel.attainment.plan_file.read_plan_file` reads from the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Iterable, Sequence

from kc_excel.attainment.core import to_decimal
from kc_excel.catalog import find_activity
from kc_excel.errors import UnknownNameError
from kc_excel.models import CUMULATIVE, Target
from kc_excel.text import fold

PLAN_TABLE = "TongHop"
PLAN_HEADERS = {"activity": "Mã hoạt động", "unit": "Đơn vị tính", "quantity": "Số lượng"}


@dataclass(frozen=True)
class PlanQuantity:
    """One row of ``TongHop``: an activity, a unit of measure and the planned Số lượng."""

    activity: str
    unit: str | None
    quantity: Decimal


@dataclass(frozen=True)
class PlanComparison:
    """One programme indicator against the plan of one year."""

    target: Target
    activity: str
    year: int
    yearly_share: Decimal
    planned: Decimal
    ratio: Decimal | None
    shared_with: tuple[str, ...] = ()
    """Other indicators of the same activity and unit: the plan's quantity cannot be split between them, so
    it is compared once, with the sum of their yearly shares (``group_ratio``), and ``ratio`` is None."""
    group_share: Decimal | None = None
    group_ratio: Decimal | None = None

    @property
    def not_planned(self) -> bool:
        """The plan has nothing of this activity and unit (never shown as a ratio of 0 %)."""
        return self.planned == 0


def activity_code(text: str | None) -> str | None:
    """The catalogue code of a Hoạt động given as code or label; None when it is not in the catalogue."""
    if not text:
        return None
    try:
        return find_activity(text).code
    except UnknownNameError:
        return None


def plan_quantities(rows: Iterable[Sequence[Any]], headers: Sequence[Any]) -> list[PlanQuantity]:
    """Rows of ``TongHop`` (values in header order) → quantities; rows without an activity are skipped."""
    where = {key: _index(headers, header) for key, header in PLAN_HEADERS.items()}
    if where["activity"] is None or where["quantity"] is None:
        raise ValueError(f"bảng {PLAN_TABLE} thiếu cột {PLAN_HEADERS['activity']} hoặc {PLAN_HEADERS['quantity']}")
    found = []
    for row in rows:
        code = activity_code(_at(row, where["activity"]))
        quantity = _at(row, where["quantity"])
        if code is None or quantity in (None, ""):
            continue
        unit = _at(row, where["unit"])
        found.append(PlanQuantity(code, str(unit).strip() if unit else None, to_decimal(quantity)))
    return found


def _index(headers: Sequence[Any], wanted: str) -> int | None:
    folded = [fold(str(h)) if h is not None else "" for h in headers]
    return folded.index(fold(wanted)) if fold(wanted) in folded else None


def _at(row: Sequence[Any], index: int | None) -> Any:
    return row[index] if index is not None and index < len(row) else None


def compare_plan(targets: Iterable[Target], quantities: Iterable[PlanQuantity], year: int) -> list[PlanComparison]:
    """Cộng dồn indicators with a Hoạt động whose period holds ``year``, against the planned quantities."""
    quantities = list(quantities)
    compared = []
    for target in targets:
        code = activity_code(target.activity)
        if code is None or target.aggregation != CUMULATIVE or target.target_min is None:
            continue
        if not target.from_year <= year <= target.to_year:
            continue
        share = target.target_min / (target.to_year - target.from_year + 1)
        planned = sum((q.quantity for q in quantities if q.activity == code and _same_unit(q.unit, target.unit)),
                      Decimal(0))
        compared.append(PlanComparison(target, code, year, share, planned,
                                       planned / share if share and planned else None))
    return [_shared(c, compared) for c in compared]


def _shared(item: PlanComparison, every: list[PlanComparison]) -> PlanComparison:
    """One plan figure is never counted against two indicators: shared rows get the group's ratio only."""
    group = [c for c in every if c.activity == item.activity and fold(c.target.unit or "") == fold(item.target.unit or "")]
    if len(group) == 1:
        return item
    share = sum((c.yearly_share for c in group), Decimal(0))
    ratio = item.planned / share if share and item.planned else None
    return replace(item, ratio=None, shared_with=tuple(c.target.code for c in group if c is not item),
                   group_share=share, group_ratio=ratio)


def _same_unit(plan_unit: str | None, target_unit: str | None) -> bool:
    """Units match by folded text; an indicator without a unit takes every unit of its activity."""
    return target_unit is None or fold(plan_unit or "") == fold(target_unit)
