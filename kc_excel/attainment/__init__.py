"""Target attainment (contract §2.5): programme targets + results → Đánh giá.

Public API (pure, Decimal in and out; also the bodies of the KC_TYLE,
KC_TIENDO, KC_DANHGIA and KC_TANGTRUONG formulas)::

    ratio(actual, target_min, target_max=None, direction="Càng cao càng tốt") -> Decimal | None
    expected_pace(from_year, to_year, as_of_year, as_of_month) -> Decimal
    status(actual, tmin, tmax, direction, aggregation, from_year, to_year, as_of_year, as_of_month) -> str
    cagr(start, end, years) -> Decimal;  yoy_change(previous, current) -> Decimal | None
    evaluate(targets, results, as_of) -> AttainmentReport;  merge_results(results) -> (results, issues)

Reading workbooks lives in :mod:`kc_excel.attainment.io`, the report
workbook in :mod:`kc_excel.attainment.report`, stated-figure checks in
:mod:`kc_excel.attainment.checks`.
"""

from kc_excel.attainment.core import (
    CHAM_TIEN_DO, CHUA_CO_SO_LIEU, CHUA_DAT, CHUA_THUC_HIEN, DAT, DUNG_TIEN_DO, KHONG_DAT, STATUSES, VUOT,
    Attainment, AttainmentReport, aggregate, attain, cagr, evaluate, merge_results, ratio, status,
    yoy_change, yoy_changes,
)
from kc_excel.attainment.pace import AsOf, expected_pace, months_elapsed, period_months, period_over

__all__ = [
    "AsOf", "Attainment", "AttainmentReport", "STATUSES",
    "VUOT", "DAT", "DUNG_TIEN_DO", "CHAM_TIEN_DO", "CHUA_DAT", "KHONG_DAT", "CHUA_THUC_HIEN", "CHUA_CO_SO_LIEU",
    "aggregate", "attain", "cagr", "evaluate", "expected_pace", "merge_results", "months_elapsed",
    "period_months", "period_over", "ratio", "status", "yoy_change", "yoy_changes",
]
