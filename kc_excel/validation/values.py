"""Cell values as the rules see them: exact numbers, amounts in integer đồng, clean text.

Excel hands us ``int``/``float``/``str``/``bool``/dates. Numbers typed as text
in Vietnamese style ("1.500", "1,5", "17.331 triệu đồng", "1 tỷ 650 triệu")
go through :func:`kc_excel.numbers.parse_number`. A float is read as Excel
shows it (15 significant digits), so ``52.199999999999996`` from a formula is
``52.2`` and not a "too precise" amount.

Money cells go through :func:`kc_excel.numbers.to_dong`: plain numbers are in
the workbook's money unit (``_kc.don_vi_tien``, triệu đồng by default), text
naming its own unit ("1 tỷ 650 triệu", "500 nghìn đồng") is taken as stated.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from kc_excel.numbers import parse_number
from kc_excel.numbers.parse import float_to_decimal, format_vn
from kc_excel.text import clean
from kc_excel.workbook.layout import DONG_PER_MONEY_UNIT, MONEY_UNIT_DEFAULT

CLEAN_CACHE_MAX_LENGTH = 200
"""Texts up to this length have their clean form remembered (names, units, places recur in every file)."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str | None:
    """Clean text of a cell (NFC, one tone style, single spaces), None when blank.

    A whole number stored as a float (``123.0``) reads as ``"123"``.
    """
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return _clean(text) if len(text) <= CLEAN_CACHE_MAX_LENGTH else clean(text)


@lru_cache(maxsize=16_384)
def _clean(text: str) -> str:
    return clean(text)


def to_decimal(value: Any) -> Decimal:
    """An exact number from a cell value; ``ValueError`` (Vietnamese message) if it is not one."""
    if value.__class__ is float and math.isfinite(value):  # what Excel stores: the common case first
        return float_to_decimal(value)
    if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
        raise ValueError(f"'{value}' không phải là số")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"'{value}' không phải là số")
        return float_to_decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"'{value}' không phải là số")
        return value
    if isinstance(value, str):
        number = parse_number(value)  # NotANumberError (a ValueError) with a Vietnamese message
        if not number.is_finite():
            raise ValueError(f"'{value}' không phải là số")
        return number
    raise ValueError(f"'{value}' không phải là số")


def dong_per_unit(money_unit: str | None) -> int:
    return DONG_PER_MONEY_UNIT.get(money_unit or MONEY_UNIT_DEFAULT, DONG_PER_MONEY_UNIT[MONEY_UNIT_DEFAULT])


def fmt_trieu(dong: int | Decimal, money_unit: str | None = MONEY_UNIT_DEFAULT, *, lang: str = "vi") -> str:
    """An amount in the workbook's unit, Vietnamese style: 17331000000 đồng → "17.331" ("17,331" in English)."""
    value = Decimal(dong) / dong_per_unit(money_unit)
    return format_vn(value, None, lang=lang)


def fmt_number(value: int | Decimal | float) -> str:
    """Vietnamese digits, all of the number's decimals (1500.5 → "1.500,5"): :func:`format_vn`."""
    return format_vn(value, None)


def fmt_number_en(value: int | Decimal | float) -> str:
    """English digits for ``detail_en``: 1500.5 → "1,500.5"."""
    return format_vn(value, None, lang="en")


def shown(value: Any, lang: str = "vi") -> str:
    """A cell value as a person would write it: 13.0 → "13", -50.5 → "-50,5" ("-50.5" in English)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    number = to_decimal(value)
    return fmt_number(number) if lang == "vi" else fmt_number_en(number)
