"""An accepted registration row as a :class:`~kc_excel.models.PlanLine` (integer đồng, provenance).

The line's own checks (money non-negative integer đồng, months 1-12) raise ``ValueError`` in
:meth:`PlanLine.__post_init__` (``tests/test_consolidate_core.py``). The rules refuse such rows
first, so an accepted row passes them; should one ever fail, the file is reported with
``file-check-failed``, never half-taken (:mod:`kc_excel.workbook.sandbox`).
"""

from __future__ import annotations

from decimal import Decimal

from typing import Any

from kc_excel.models import PlanLine
from kc_excel.validation.context import Row
from kc_excel.validation.rules.lookups import activity_of, facility_type, unit_of_measure
from kc_excel.validation.rules.tax import tax_code_text
from kc_excel.workbook.layout import MONEY_KEYS, Meta


def provenance(row: Row) -> dict[str, Any]:
    """The provenance fields of a row's line: the unit ``_kc`` names, the file, sheet and row."""
    meta, data = row.ctx.meta, row.ctx.data
    return {"unit_code": meta.get(Meta.UNIT_CODE) or None, "unit_name": meta.get(Meta.UNIT_NAME) or None,
            "file": data.path, "sheet": row.sheet, "row": row.number_row, "sha256": data.sha256}


def _whole(value: Decimal | None) -> int | None:
    return int(value) if value is not None and value == value.to_integral_value() else None


def plan_line(row: Row) -> PlanLine:
    """The PlanLine of a row that passed validation (catalogue spellings, amounts in đồng)."""
    return PlanLine(**line_values(row))


def line_values(row: Row) -> dict[str, Any]:
    """A row's values as a plan line holds them (catalogue spellings, amounts in đồng, provenance), unchecked:
    :func:`plan_line` checks them; a round keeps a row with an error as read (``PlanLine.as_read``)."""
    activity = activity_of(row)
    kind, unit = row.text("loai_hinh"), row.text("don_vi_tinh")
    tax = None if row.blank("ma_so_thue") else tax_code_text(row.raw("ma_so_thue"))
    return dict(
        stt=_whole(row.number("stt")) if _is_number(row, "stt") else None,
        ten_de_an=row.text("ten_de_an") or "",
        hoat_dong=activity.code if activity is not None else (row.text("hoat_dong") or ""),
        don_vi_thuc_hien=row.text("don_vi_thuc_hien"),
        co_so=row.text("co_so"),
        ma_so_thue=tax,
        loai_hinh=(facility_type(kind) or kind) if kind else None,
        dia_diem=row.text("dia_diem"),
        don_vi_tinh=(unit_of_measure(unit) or unit) if unit else None,
        so_luong=row.number("so_luong"),
        **{key: row.amount(key) or 0 for key in MONEY_KEYS},
        thang_bat_dau=_whole(row.number("thang_bat_dau")),
        thang_ket_thuc=_whole(row.number("thang_ket_thuc")),
        ghi_chu=row.text("ghi_chu"),
        **provenance(row),
    )


def _is_number(row: Row, key: str) -> bool:
    return row.parsed(key).problem is None
