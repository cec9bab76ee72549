"""Numbers typed the Vietnamese way, read exactly; amounts in integer đồng; Vietnamese digits.

Reading rules of :func:`parse_number` (contract §2.1), in order:

- ``int``/``Decimal`` are taken as they are; a ``float`` (what Excel stores) is
  read as Excel displays it, by :func:`float_to_decimal` (the one float rule of
  kc-excel): ``1.1`` is ``Decimal("1.1")``, ``0.1 + 0.2`` is ``Decimal("0.3")``,
  ``6624040000 * 1.1`` is ``Decimal("7286444000")``; NaN, infinities and
  booleans are not numbers.
- Text is NFC-normalised; non-breaking and thin spaces count as spaces; the
  text is trimmed.
- ``(1.500)`` is negative (accounting style); a leading ``+``, ``-`` or ``−``
  gives the sign.
- A trailing ``%`` divides by 100: ``"56,7%"`` → ``0.567``.
- Thousands and decimal marks:

  * ``","`` is the decimal mark: ``"1,5"`` = 1.5, ``"1,500"`` = 1.5;
  * several ``"."`` are thousands separators: ``"1.500.000"`` = 1500000;
  * a single ``"."`` followed by exactly three digits (and led by 1-3 digits,
    not ``0``) is a thousands separator: ``"1.500"`` = 1500;
  * any other single ``"."`` is a decimal point, without error:
    ``"1.5"`` = 1.5, ``"0.500"`` = 0.5, ``"1500.000"`` = 1500;
  * both marks: the last one is the decimal mark and the other one must group
    by thousands: ``"1.500,75"`` (Vietnamese) and ``"1,500.5"`` (English);
    several ``","`` group thousands: ``"1,500,000"`` = 1500000;
  * ``"1,5E+3"``/``"1.5e3"`` (scientific notation as Excel shows it) is accepted.

- Magnitude words multiply the number before them and add up from large to
  small: ``"17.331 triệu"`` = 17331000000, ``"1 tỷ 650 triệu"`` = 1650000000,
  ``"2,5 tỷ"``, ``"500 nghìn"``/``"500 ngàn"``, ``"2 nghìn tỷ"`` (also without
  diacritics: ``ty``, ``ti``, ``trieu``, ``tr``, ``nghin``, ``ngan``).
- Currency words at the end are dropped: ``đồng``, ``đ``, ``₫``, ``VND``,
  ``VNĐ``, ``USD``.

Anything else raises :class:`NotANumberError` (a ``ValueError``) whose message
is Vietnamese: ``'abc' không phải là số``. Text longer than
:data:`MAX_TEXT_LENGTH` characters is refused before any other work ("dài hơn
100 ký tự nên không phải là số"), and every step after that is a single pass
over the text, so parsing takes time linear in a bounded input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

from kc_excel.text import fold, nfc
from kc_excel.workbook.layout import DONG_PER_MONEY_UNIT, MONEY_UNIT_DEFAULT

MAX_TEXT_LENGTH = 100
"""Longer text is not a number (keeps Decimal arithmetic small and exact)."""

_EXACT = Context(prec=500, Emax=10_000, Emin=-10_000)
_SPACE_LIKE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
                             "\t": " ", "\u2212": "-"})
_TOKEN = re.compile(r"[.,]?[0-9][0-9.,]*|[^\W\d_]+|\S")
_SCIENTIFIC = re.compile(r"([0-9]+(?:[.,][0-9]+)?)[eE]([+-]?[0-9]{1,2})")
_DIGITS = re.compile(r"[0-9]+")
_MAGNITUDES = {"ty": 9, "ti": 9, "trieu": 6, "tr": 6, "nghin": 3, "ngan": 3}
_CURRENCIES = {"dong": "dong", "d": "dong", "₫": "dong", "vnd": "dong", "usd": "usd"}


class NotANumberError(ValueError):
    """A value that is not a number (issue ``not-a-number``); ``str()`` is Vietnamese."""

    def __init__(self, value: Any, reason: str = "không phải là số",
                 reason_en: str = "is not a number") -> None:
        shown = value if isinstance(value, str) else str(value)
        super().__init__(f"'{shown}' {reason}")
        self.value = value
        self.message_en = f"'{shown}' {reason_en}"


class TooPreciseError(ValueError):
    """An amount with a fraction of a đồng (issue ``too-precise-amount``)."""

    def __init__(self, value: Any, dong: Decimal) -> None:
        shown = format_vn(dong, max(0, -dong.normalize().as_tuple().exponent))
        super().__init__(f"'{value}' lẻ hơn 1 đồng ({shown} đồng): làm tròn đến đồng")
        self.value = value
        self.dong = dong
        self.message_en = f"'{value}' is more precise than 1 đồng ({dong} đồng): round it to the đồng"


def _too_long(text: str) -> NotANumberError:
    error = NotANumberError(text[:20] + "…", f"dài hơn {MAX_TEXT_LENGTH} ký tự nên không phải là số",
                            f"is longer than {MAX_TEXT_LENGTH} characters, so it is not a number")
    error.value = text
    return error


@dataclass(frozen=True)
class _Parsed:
    value: Decimal
    scaled: bool = False  # a magnitude word (tỷ, triệu, nghìn) was given
    currency: str | None = None  # "dong" or "usd" when a currency word was given
    percent: bool = False


def float_to_decimal(value: float) -> Decimal:
    """A float from Excel as Excel displays it: 15 significant digits, trailing zeros of the fraction dropped.

    The one rule for turning a float into a Decimal in kc-excel: the binary
    noise of a formula (``52.199999999999996``, ``7286444000.000001``) is not
    read as digits the user never saw. Whole numbers have no exponent
    (``1e16`` → ``10000000000000000``). ``value`` must be finite.
    """
    text = format(value, ".15g")  # "%g" drops the trailing zeros of the fraction
    number = Decimal(text)
    return _plain(number) if "e" in text else number


def parse_number(value: Any) -> Decimal:
    """An exact number from a cell value or Vietnamese-style text (see the module docstring)."""
    return _parse(value).value


def _parse(value: Any) -> _Parsed:
    if isinstance(value, bool) or value is None:
        raise NotANumberError("" if value is None else value)
    if isinstance(value, int):
        return _Parsed(Decimal(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotANumberError(value)
        return _Parsed(float_to_decimal(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumberError(value)
        return _Parsed(value)
    if isinstance(value, str):
        return _parse_text(value)
    raise NotANumberError(value)


def _parse_text(text: str) -> _Parsed:
    if len(text) > 4 * MAX_TEXT_LENGTH:  # before any work on it: NFC and the regexes stay small
        raise _too_long(text)
    body = nfc(text).translate(_SPACE_LIKE).strip()
    if not body:
        raise NotANumberError(text)
    if len(body) > MAX_TEXT_LENGTH:
        raise _too_long(text)
    negative = body.startswith("(") and body.endswith(")")
    if negative:
        body = body[1:-1].strip()
    if body[:1] in ("+", "-"):
        if negative and body[0] == "-":
            raise NotANumberError(text)
        negative = negative or body[0] == "-"
        body = body[1:].strip()
    percent = body.endswith("%")
    if percent:
        body = body[:-1].strip()
    with localcontext(_EXACT):
        parsed = _parse_body(body, text)
        if percent and (parsed.scaled or parsed.currency):
            raise NotANumberError(text)
        number = parsed.value.scaleb(-2) if percent else parsed.value
        number = _plain(-number if negative else number)
    return _Parsed(number, parsed.scaled, parsed.currency, percent)


def _parse_body(body: str, original: str) -> _Parsed:
    scientific = _SCIENTIFIC.fullmatch(body)
    if scientific:
        return _Parsed(Decimal(scientific.group(1).replace(",", ".")).scaleb(int(scientific.group(2))))
    tokens = _TOKEN.findall(body)
    currency = None
    while tokens and fold(tokens[-1]) in _CURRENCIES:
        word = _CURRENCIES[fold(tokens.pop())]  # pop first: every pass shortens the list
        if currency and word != currency:  # "150 đồng USD": which one?
            raise NotANumberError(original)
        currency = currency or word
    terms = _terms(tokens, original)
    total, previous_scale = Decimal(0), None
    for number, scale in terms:
        if previous_scale is not None and (scale >= previous_scale or number >= 10 ** (previous_scale - scale)):
            raise NotANumberError(original)
        total += number.scaleb(scale)
        previous_scale = scale
    scaled = any(scale for _, scale in terms)
    return _Parsed(total, scaled, currency)


def _terms(tokens: list[str], original: str) -> list[tuple[Decimal, int]]:
    """``["1", "tỷ", "650", "triệu"]`` → ``[(1, 9), (650, 6)]``; a bare number only alone."""
    terms: list[tuple[Decimal, int]] = []
    for token in tokens:
        word = fold(token)
        if word in _MAGNITUDES and terms:
            number, scale = terms[-1]
            terms[-1] = (number, scale + _MAGNITUDES[word])
            continue
        number = _digits(token)
        if number is None or (terms and terms[-1][1] == 0):
            raise NotANumberError(original)
        terms.append((number, 0))
    if not terms or (len(terms) > 1 and terms[-1][1] == 0):
        raise NotANumberError(original)
    return terms


_GROUPED = {".": re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+"), ",": re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")}
_SINGLE_DOT_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")


def _digits(token: str) -> Decimal | None:
    """One number token by the mark rules of the module docstring; None if it is not one."""
    if not token or not (_DIGITS.match(token) or token[0] in ".,"):
        return None
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        decimal_mark = "," if token.rfind(",") > token.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _, fraction = token.rpartition(decimal_mark)
        if not (_GROUPED[thousands].fullmatch(whole) and _DIGITS.fullmatch(fraction)):
            return None
        return Decimal(whole.replace(thousands, "") + "." + fraction)
    if dots + commas > 1:
        mark = "." if dots else ","
        return Decimal(token.replace(mark, "")) if _GROUPED[mark].fullmatch(token) else None
    if dots + commas == 0:
        return Decimal(token) if _DIGITS.fullmatch(token) else None
    if _SINGLE_DOT_THOUSANDS.fullmatch(token):
        return Decimal(token.replace(".", ""))
    whole, _, fraction = token.replace(",", ".").partition(".")
    if not _DIGITS.fullmatch(fraction) or not (_DIGITS.fullmatch(whole) or whole == ""):
        return None
    return Decimal((whole or "0") + "." + fraction)


def _plain(number: Decimal) -> Decimal:
    """Whole numbers without an exponent (``1.7331E+13`` → ``17331000000000``)."""
    with localcontext(_EXACT):
        if number == number.to_integral_value() and number.as_tuple().exponent > 0:
            return number.quantize(Decimal(1))
    return number


def states_own_unit(value: Any) -> bool:
    """True when text names its own money unit ("17.331 triệu đồng", "1 tỷ 650 triệu", "500 đồng")."""
    if not isinstance(value, str):
        return False
    try:
        parsed = _parse_text(value)
    except ValueError:
        return False
    return parsed.scaled or parsed.currency is not None


def to_dong(value: Any, unit: str = MONEY_UNIT_DEFAULT) -> int:
    """The amount in integer đồng of a money cell whose column is in ``unit`` (triệu đồng by default).

    Plain numbers are in ``unit``; text with its own magnitude or currency word
    ("1 tỷ 650 triệu đồng", "500 nghìn", "1.500 đồng") is taken as stated, in
    đồng. Negative amounts are returned (the validator reports them). A float
    is read as Excel shows it, to 15 significant digits, so the binary noise of
    a formula (``52.199999999999996``) is not taken for a fraction of a đồng.
    Raises :class:`NotANumberError` (also for percentages and USD amounts) and
    :class:`TooPreciseError` when the amount has a fraction of a đồng.
    """
    if isinstance(value, float) and math.isfinite(value):
        value = float_to_decimal(value)
    number = _plain_amount(value)
    if number is not None:  # the common case, a number in ``unit``: no text rules to apply
        dong = _EXACT.multiply(number, _dong_per(unit))
        if dong == dong.to_integral_value(context=_EXACT):
            return int(dong)
    parsed = _parse(value)
    if parsed.percent:
        raise NotANumberError(value, "là tỷ lệ phần trăm, không phải số tiền",
                              "is a percentage, not an amount of money")
    if parsed.currency == "usd":
        raise NotANumberError(value, "không phải là số tiền đồng", "is not an amount in đồng")
    factor = 1 if (parsed.scaled or parsed.currency) else _dong_per(unit)
    with localcontext(_EXACT):
        dong = parsed.value * factor
        if dong != dong.to_integral_value():
            raise TooPreciseError(value, dong)
        return int(dong)


parse_money_to_dong = to_dong


def _plain_amount(value: Any) -> Decimal | None:
    """A finite Decimal or int as :func:`_parse` reads it (unscaled, no currency); None for anything else.

    Shortcut of :func:`to_dong` for the cells that are plain numbers (nearly
    all of them): the same Decimal, without building a :class:`_Parsed`.
    """
    kind = value.__class__
    if kind is Decimal:
        return value if value.is_finite() else None
    if kind is int:
        return Decimal(value)
    return None


_FACTORS: dict[str, int] = {}
"""Money unit as given → đồng per unit (every amount cell asks; folding the name each time is wasted)."""


def _dong_per(unit: str) -> int:
    factor = _FACTORS.get(unit) if unit.__class__ is str else None
    if factor is None:
        factor = _factor_of(unit)
        if unit.__class__ is str and len(_FACTORS) < 64:
            _FACTORS[unit] = factor
    return factor


def _factor_of(unit: str) -> int:
    key = fold(unit or MONEY_UNIT_DEFAULT).replace(" ", "-")
    if key not in DONG_PER_MONEY_UNIT:
        known = ", ".join(DONG_PER_MONEY_UNIT)
        raise ValueError(f"đơn vị tiền '{unit}' không hợp lệ (dùng một trong: {known})")
    return DONG_PER_MONEY_UNIT[key]


def format_vn(value: Any, decimals: int | None = 0, *, at_most: int | None = None, lang: str = "vi") -> str:
    """Digits as Vietnamese write them, rounded half up: the one number formatter of kc-excel.

    17331 → "17.331", (56.7, 2) → "56,70", -1500 → "-1.500". ``decimals=None``
    shows the number's own decimals without trailing zeros (1500.50 → "1.500,5"),
    at most ``at_most`` of them. ``lang="en"`` swaps the marks ("1,500.5").
    A float is read by :func:`float_to_decimal`.
    """
    if decimals is not None and decimals < 0:
        raise ValueError("số chữ số thập phân phải ≥ 0")
    number = parse_number(value)
    if decimals is None:
        own = max(0, -number.normalize(_EXACT).as_tuple().exponent)
        decimals = own if at_most is None else min(own, at_most)
    with localcontext(_EXACT):
        rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = format(rounded.copy_abs(), "f").partition(".")
    thousands, decimal_mark = (".", ",") if lang == "vi" else (",", ".")
    grouped = f"{int(whole):,}".replace(",", thousands)
    return f"{sign}{grouped}{decimal_mark}{fraction}" if fraction else f"{sign}{grouped}"


def format_percent_vn(fraction: Any, decimals: int = 2) -> str:
    """A fraction as a Vietnamese percentage: 0.3227 → "32,27%"."""
    with localcontext(_EXACT):
        return format_vn(parse_number(fraction).scaleb(2), decimals) + "%"


__all__ = [
    "MAX_TEXT_LENGTH",
    "NotANumberError",
    "TooPreciseError",
    "float_to_decimal",
    "format_percent_vn",
    "format_vn",
    "parse_money_to_dong",
    "parse_number",
    "states_own_unit",
    "to_dong",
]
