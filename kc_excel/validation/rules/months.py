"""Months: Tháng bắt đầu/kết thúc are whole numbers 1-12 and the end is not before the start."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from kc_excel.validation.context import FileContext
from kc_excel.validation.issues import Issue
from kc_excel.validation.registry import rule
from kc_excel.validation.values import shown

MONTH_KEYS = ("thang_bat_dau", "thang_ket_thuc")


def is_month(value: Decimal) -> bool:
    """A whole number 1-12, compared exactly (``12,0000000000000001`` is not a month)."""
    return 1 <= value <= 12 and value == value.to_integral_value()


@rule("month-out-of-range", scope="file")
def month_out_of_range(ctx: FileContext) -> Iterator[Issue]:
    bad = set()
    for row in ctx.rows:
        for key in MONTH_KEYS:
            month = row.number(key)
            if month is None or is_month(month):
                continue
            bad.add(row.index)
            header = ctx.header(key)
            raw = row.raw(key)
            yield row.issue("month-out-of-range", key, f"{header} = {shown(raw)}, phải là số nguyên từ 1 đến 12",
                            f"{header} = {shown(raw, 'en')}, must be a whole number 1-12")
    for row in ctx.rows:
        start, end = row.number("thang_bat_dau"), row.number("thang_ket_thuc")
        if row.index in bad or start is None or end is None or end >= start:
            continue
        yield row.issue("month-out-of-range", "thang_ket_thuc",
                        f"tháng kết thúc {shown(end)} trước tháng bắt đầu {shown(start)}",
                        f"end month {shown(end, 'en')} is before start month {shown(start, 'en')}")
