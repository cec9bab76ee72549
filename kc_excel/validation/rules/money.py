"""Money: sum-mismatch, double-funding, support-ratio-exceeded, support-cap-exceeded.

All arithmetic is on integer đồng; a line is checked only when its five money
cells are all usable numbers (bad cells are reported by the number rules).
Norms (định mức hỗ trợ) come from :func:`kc_excel.catalog.default_norms` or
from ``--norms FILE`` (:func:`kc_excel.catalog.norms_file.load_norms`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from kc_excel.catalog import activity_name
from kc_excel.text import fold
from kc_excel.validation.context import Row
from kc_excel.validation.issues import Issue
from kc_excel.validation.registry import rule
from kc_excel.validation.rules.lookups import activity_of
from kc_excel.validation.values import dong_per_unit, fmt_number, fmt_number_en, fmt_trieu

_UNIT_WORD = {"trieu-dong": ("triệu đồng", "million đồng"), "dong": ("đồng", "đồng"),
              "nghin-dong": ("nghìn đồng", "thousand đồng"), "ty-dong": ("tỷ đồng", "billion đồng")}


def _unit_words(row: Row) -> tuple[str, str]:
    return _UNIT_WORD.get(row.ctx.money_unit, _UNIT_WORD["trieu-dong"])


def _vi(row: Row, dong: int | Decimal) -> str:
    """An amount in the workbook's money unit, Vietnamese digits: 17331000000 → "17.331"."""
    return fmt_trieu(dong, row.ctx.money_unit)


def _en(row: Row, dong: int | Decimal) -> str:
    return fmt_number_en(Decimal(dong) / dong_per_unit(row.ctx.money_unit))


def _money_text(row: Row, dong: int | Decimal) -> tuple[str, str]:
    vi, en = _unit_words(row)
    return f"{_vi(row, dong)} {vi}", f"{_en(row, dong)} {en}"


@rule("sum-mismatch")
def sum_mismatch(row: Row) -> Iterator[Issue]:
    money = row.money()
    if money is None:
        return
    parts = [money[k] for k in ("kcqg", "kcdp", "doi_ung", "khac")]
    if money["tong"] == sum(parts):
        return
    vi, en = _unit_words(row)
    yield row.issue("sum-mismatch", "tong",
                    f"{_vi(row, money['tong'])} ≠ {' + '.join(_vi(row, p) for p in parts)} = "
                    f"{_vi(row, sum(parts))} ({vi})",
                    f"{_en(row, money['tong'])} ≠ {' + '.join(_en(row, p) for p in parts)} = "
                    f"{_en(row, sum(parts))} ({en})")


@rule("double-funding")
def double_funding(row: Row) -> Iterator[Issue]:
    kcqg, kcdp = row.amount("kcqg"), row.amount("kcdp")
    if kcqg and kcdp and kcqg > 0 and kcdp > 0:
        qg, dp = _money_text(row, kcqg), _money_text(row, kcdp)
        yield row.issue("double-funding", "kcqg", f"KCQG {qg[0]} và KCĐP {dp[0]} trên cùng một dòng",
                        f"national {qg[1]} and local {dp[1]} on the same line")


def _support(row: Row) -> tuple[Any, dict[str, int], str] | None:
    """(norm, money, cell key) for a line with a norm and khuyến công funds, else None."""
    money, activity = row.money(), activity_of(row)
    if money is None or activity is None or money["kcqg"] + money["kcdp"] <= 0:
        return None
    norm = row.ctx.norms().get(activity.code)
    if norm is None:
        return None
    return norm, money, ("kcqg" if money["kcqg"] > 0 else "kcdp")


@rule("support-ratio-exceeded")
def support_ratio_exceeded(row: Row) -> Iterator[Issue]:
    found = _support(row)
    if found is None or found[0].max_ratio is None or found[1]["tong"] <= 0:
        return
    norm, money, key = found
    support, total = money["kcqg"] + money["kcdp"], money["tong"]
    if support <= Decimal(norm.max_ratio) * total:
        return
    share = Decimal(support) * 100 / total
    limit = Decimal(norm.max_ratio) * 100
    s, t = _money_text(row, support), _money_text(row, total)
    yield row.issue("support-ratio-exceeded", key,
                    f"kinh phí khuyến công {s[0]} bằng {fmt_number(round(share, 2))}% tổng kinh phí {t[0]}, "
                    f"vượt mức {fmt_number(limit)}% của định mức cho “{activity_name(norm.activity)}” ({norm.source})",
                    f"khuyến công funds {s[1]} are {fmt_number_en(round(share, 2))}% of the total {t[1]}, "
                    f"above the {fmt_number_en(limit)}% of the norm for “{activity_name(norm.activity)}” ({norm.source})")


def cap_of(norm: Any, row: Row) -> tuple[Decimal, Decimal] | None:
    """(cap in đồng, multiplier) of a line, or None when the norm's amount does not describe it.

    The norm is "per" a unit of measure (200 triệu đồng per cơ sở): a line
    counted in that unit is capped at max_amount × Số lượng; a line without a
    unit at max_amount × 1. A line counted in another unit (KHOI_SU's 10
    triệu per doanh nghiệp founded vs a class counted in học viên) is not
    capped by it: only the ratio applies.
    """
    quantity, unit = row.number("so_luong"), row.text("don_vi_tinh")
    per = fold(str(norm.per or ""))
    if unit is None or not per:
        return Decimal(norm.max_amount), Decimal(1)
    if fold(unit) != per:
        return None
    multiplier = quantity if quantity is not None and quantity > 0 else Decimal(1)
    return Decimal(norm.max_amount) * multiplier, multiplier


@rule("support-cap-exceeded")
def support_cap_exceeded(row: Row) -> Iterator[Issue]:
    found = _support(row)
    if found is None or found[0].max_amount is None:
        return
    norm, money, key = found
    support = money["kcqg"] + money["kcdp"]
    capped = cap_of(norm, row)
    if capped is None or support <= capped[0]:
        return
    cap, multiplier = capped
    s, c, each = _money_text(row, support), _money_text(row, cap), _money_text(row, norm.max_amount)
    times = f" × {fmt_number(multiplier)} {row.text('don_vi_tinh')}" if multiplier != 1 else ""
    times_en = f" × {fmt_number_en(multiplier)} {row.text('don_vi_tinh')}" if multiplier != 1 else ""
    yield row.issue("support-cap-exceeded", key,
                    f"kinh phí khuyến công {s[0]} vượt mức tối đa {c[0]} "
                    f"({each[0]}/{norm.per}{times}, định mức cho “{activity_name(norm.activity)}”, {norm.source})",
                    f"khuyến công funds {s[1]} exceed the cap {c[1]} "
                    f"({each[1]} per {norm.per}{times_en}, norm for “{activity_name(norm.activity)}”, {norm.source})")
