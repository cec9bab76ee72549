"""Excel formulas of the DanhGia report, mirroring :mod:`kc_excel.attainment.core` cell by cell.

Each data row gets live formulas for Tỷ lệ đạt and Đánh giá, so staff can
retype Thực hiện (or a target) and see both recompute in Excel 2010+ or
LibreOffice. Only IF/AND/OR and arithmetic are used. The branch that depends
on Chiều đánh giá, Cách cộng dồn and whether the period is over is chosen when
the report is written (those are properties of the indicator and the as-of
month, shown in their own columns); the comparisons themselves stay live.
"""

from __future__ import annotations

from dataclasses import dataclass

from kc_excel.attainment.core import (
    CHAM_TIEN_DO, CHUA_CO_SO_LIEU, CHUA_DAT, CHUA_THUC_HIEN, DAT, DUNG_TIEN_DO, KHONG_DAT, VUOT,
)
from kc_excel.attainment.pace import period_over
from kc_excel.models import CUMULATIVE, LOWER_IS_BETTER, Target


@dataclass(frozen=True)
class RowCells:
    """Column letters of one report row: targets D/E, Thực hiện F, Tỷ lệ đạt G, Tiến độ kỳ vọng H."""

    row: int
    tmin: str = "D"
    tmax: str = "E"
    actual: str = "F"
    ratio: str = "G"
    pace: str = "H"

    def ref(self, column: str) -> str:
        return f"{column}{self.row}"


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _lo_hi(target: Target, cells: RowCells) -> tuple[str | None, str | None]:
    """Cells of (lo, hi): a missing bound is replaced by the other one, as in core.bounds."""
    lo = cells.tmin if target.target_min is not None else cells.tmax if target.target_max is not None else None
    hi = cells.tmax if target.target_max is not None else lo
    return (None, None) if lo is None else (cells.ref(lo), cells.ref(hi))


def ratio_formula(target: Target, cells: RowCells) -> str:
    """``=IF(OR(F7="",D7="",D7=0),"",F7/D7)``; the denominator is tối đa for Càng thấp càng tốt."""
    lo, hi = _lo_hi(target, cells)
    denominator = (hi if target.direction == LOWER_IS_BETTER else lo) or cells.ref(cells.tmin)
    actual = cells.ref(cells.actual)
    return f'=IF(OR({actual}="",{denominator}="",{denominator}=0),"",{actual}/{denominator})'


def status_formula(target: Target, cells: RowCells, as_of_year: int, as_of_month: int) -> str:
    """The Đánh giá formula of one row (rules as in core.status)."""
    f = cells.ref(cells.actual)
    lower = target.direction == LOWER_IS_BETTER
    lo, hi = _lo_hi(target, cells)
    empty = f'IF({f}="",{_q(CHUA_CO_SO_LIEU)},'
    if lo is None:
        inner = _q(CHUA_CO_SO_LIEU) if lower else f'IF({f}=0,{_q(CHUA_THUC_HIEN)},{_q(CHUA_CO_SO_LIEU)})'
        return f"={empty}{inner})"
    running = not period_over(target.to_year, as_of_year, as_of_month)
    on_track = target.aggregation == CUMULATIVE and running
    short = _q(CHUA_DAT if running else KHONG_DAT)
    g, h = cells.ref(cells.ratio), cells.ref(cells.pace)
    if lower and on_track:
        inner = (f'IF({f}>{hi},{_q(KHONG_DAT)},'
                 f'IF(OR({g}="",{g}<={h}),{_q(DUNG_TIEN_DO)},{_q(CHAM_TIEN_DO)}))')
    elif lower:
        inner = f'IF({f}<{lo},{_q(VUOT)},IF({f}<={hi},{_q(DAT)},{short}))'
    elif on_track:
        inner = (f'IF({f}=0,{_q(CHUA_THUC_HIEN)},IF({f}>{hi},{_q(VUOT)},IF({f}={hi},{_q(DAT)},'
                 f'IF(OR({g}="",{g}>={h}),{_q(DUNG_TIEN_DO)},{_q(CHAM_TIEN_DO)}))))')
    else:
        inner = f'IF({f}=0,{_q(CHUA_THUC_HIEN)},IF({f}>{hi},{_q(VUOT)},IF({f}>={lo},{_q(DAT)},{short})))'
    return f"={empty}{inner})"
