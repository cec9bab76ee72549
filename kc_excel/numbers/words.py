"""Amounts in Vietnamese words (đọc số) as accounting documents write them, and back.

Rules of :func:`read_amount` (Vietnamese accounting usage):

- digits: không, một, hai, ba, bốn, năm, sáu, bảy, tám, chín;
- tens: ``mười`` (10-19), ``hai mươi``… ; units after ``mươi``: 1 → ``mốt``
  (21 hai mươi mốt, but 11 mười một), 5 → ``lăm`` after any ten (15 mười lăm,
  25 hai mươi lăm, but 5 năm, 105 một trăm linh năm); 4 stays ``bốn``;
- a zero ten before a unit is ``linh`` (``lẻ`` with ``le=True``):
  101 một trăm linh một;
- inside a number every group of three digits after the first is read in
  full, with ``không trăm``: 2021 hai nghìn không trăm hai mươi mốt,
  1.005.000 một triệu không trăm linh năm nghìn; groups that are all zero are
  skipped (một tỷ, một triệu);
- scales: ``nghìn`` (``ngàn`` with ``ngan=True``), ``triệu``, ``tỷ``, then
  ``nghìn tỷ`` (10^12), ``triệu tỷ`` … (the part above tỷ is read as a number
  followed by ``tỷ``);
- negative numbers start with ``Âm``; a fractional part is read after
  ``phẩy``: leading zeros as ``không`` then the rest as a number when it has at
  most three digits (1,05 một phẩy không năm; 3,25 ba phẩy hai mươi lăm),
  digit by digit when longer. Amounts are never rounded silently;
- the first letter is a capital and ``unit`` ("đồng" by default, "" or
  ``None`` for none) ends the text;
- a float is read as Excel displays it (:func:`~kc_excel.numbers.float_to_decimal`:
  ``6624040000 * 1.1`` is "Bảy tỷ hai trăm tám mươi sáu triệu bốn trăm bốn
  mươi bốn nghìn"); text and Decimal are read exactly, digit for digit, up to
  :data:`MAX_WHOLE_DIGITS` digits before the decimal mark and
  :data:`MAX_FRACTION_DIGITS` after it; a longer number is refused with a
  message rather than rounded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kc_excel.numbers.parse import NotANumberError, parse_number
from kc_excel.text import fold, nfc

MAX_WHOLE_DIGITS = 36
"""Whole part read in words up to 10^36 - 1 (nghìn tỷ tỷ tỷ); larger numbers are refused."""
MAX_FRACTION_DIGITS = 30
"""Digits after the decimal mark read in words; more are refused, never rounded."""

MAX_WORDS_LENGTH = 2000
"""Longer text is not an amount in words (the longest amount read here is ~600 characters)."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
BILLION = 10**9


def read_amount(number: Any, unit: str | None = "đồng", *, le: bool = False, ngan: bool = False) -> str:
    """``number`` in Vietnamese words: 2021 → "Hai nghìn không trăm hai mươi mốt đồng"."""
    value = parse_number(number)
    sign = "âm " if value < 0 else ""
    whole_text, _, fraction = format(value.copy_abs(), "f").partition(".")  # exact: no context rounding
    fraction = fraction.rstrip("0")
    whole_text = whole_text.lstrip("0") or "0"
    if len(whole_text) > MAX_WHOLE_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        raise NotANumberError(number, f"quá dài để đọc thành chữ (tối đa {MAX_WHOLE_DIGITS} chữ số phần nguyên, "
                                      f"{MAX_FRACTION_DIGITS} chữ số thập phân)",
                              f"is too long to read in words (at most {MAX_WHOLE_DIGITS} whole digits, "
                              f"{MAX_FRACTION_DIGITS} decimals)")
    words = _integer_words(int(whole_text), le=le, ngan=ngan)
    if fraction:
        words = f"{words} phẩy {_fraction_words(fraction, le=le, ngan=ngan)}"
    text = f"{sign}{words} {(unit or '').strip()}".strip()
    return text[0].upper() + text[1:]


def _integer_words(number: int, *, le: bool, ngan: bool, full: bool = False) -> str:
    """Words of a whole number ≥ 0; ``full`` reads a leading group as "không trăm …"."""
    if number == 0:
        return DIGITS[0]
    above, below = divmod(number, BILLION)
    parts = []
    if above:
        parts.append(_integer_words(above, le=le, ngan=ngan, full=full) + " tỷ")
    if below:
        parts.append(_below_billion(below, le=le, ngan=ngan, full=full or bool(above)))
    return " ".join(parts)


def _below_billion(number: int, *, le: bool, ngan: bool, full: bool) -> str:
    thousand = "ngàn" if ngan else "nghìn"
    groups = [(number // 10**6, "triệu"), (number // 1000 % 1000, thousand), (number % 1000, "")]
    parts = []
    for group, scale in groups:
        if group:
            parts.append(f"{_group_words(group, full=full, le=le)} {scale}".strip())
            full = True
    return " ".join(parts)


def _group_words(group: int, *, full: bool, le: bool) -> str:
    """One group of three digits (1-999); ``full`` adds "không trăm" / "linh" as inside a number."""
    hundreds, tens, units = group // 100, group // 10 % 10, group % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ" if le else "linh")
    else:
        words.append("mười" if tens == 1 else f"{DIGITS[tens]} mươi")
    if units:
        words.append(_unit_word(units, tens))
    return " ".join(words)


def _unit_word(units: int, tens: int) -> str:
    if units == 1 and tens >= 2:
        return "mốt"
    if units == 5 and tens >= 1:
        return "lăm"
    return DIGITS[units]


def _fraction_words(fraction: str, *, le: bool, ngan: bool) -> str:
    if len(fraction) > 3:
        return " ".join(DIGITS[int(digit)] for digit in fraction)
    significant = fraction.lstrip("0")
    zeros = [DIGITS[0]] * (len(fraction) - len(significant))
    return " ".join([*zeros, _integer_words(int(significant), le=le, ngan=ngan)])


# ---------------------------------------------------------------- words → number

_DIGIT_OF = {fold(word): value for value, word in enumerate(DIGITS)} | {"mot": 1, "lam": 5, "tu": 4}
_SCALE_OF = {"nghin": 3, "ngan": 3, "trieu": 6}
_STRUCTURE = {"muoi", "tram", "nghin", "ngan", "trieu", "ty", "ti"}
_TRAILING_IGNORED = {"chan"}  # "... đồng chẵn"


def words_to_number(text: str) -> Decimal:
    """The number written in Vietnamese words (the inverse of :func:`read_amount`).

    The unit after the last number word ("đồng", "USD", "chẵn") is ignored;
    any other unknown word raises :class:`NotANumberError`.
    """
    if len(str(text)) > MAX_WORDS_LENGTH:
        raise NotANumberError(str(text)[:20] + "…", f"dài hơn {MAX_WORDS_LENGTH} ký tự nên không phải là số",
                              f"is longer than {MAX_WORDS_LENGTH} characters, so it is not a number")
    tokens = fold(nfc(str(text))).replace(",", " ").split()
    negative = bool(tokens) and tokens[0] == "am"
    tokens = _without_unit(tokens[1:] if negative else tokens, text)
    if "phay" in tokens:
        cut = tokens.index("phay")
        whole, fraction = _read_integer(tokens[:cut], text), _read_fraction(tokens[cut + 1:], text)
        value = Decimal(f"{whole}.{fraction}")
    else:
        value = Decimal(_read_integer(tokens, text))
    return value.copy_negate() if negative else value  # exact: no context rounding


def _is_number_word(token: str) -> bool:
    return token in _DIGIT_OF or token in _STRUCTURE or token in ("phay", "linh", "le")


def _without_unit(tokens: list[str], text: str) -> list[str]:
    end = len(tokens)
    while end and not _is_number_word(tokens[end - 1]):
        end -= 1
    if not end or any(not _is_number_word(token) for token in tokens[:end]):
        raise NotANumberError(text)
    return tokens[:end]


def _read_integer(tokens: list[str], text: str) -> int:
    if not tokens:
        raise NotANumberError(text)
    total = section = current = 0
    pending: int | None = None
    for token in tokens:
        if token in ("linh", "le"):
            continue
        if token in _DIGIT_OF:
            if pending is not None:
                raise NotANumberError(text)
            pending = _DIGIT_OF[token]
        elif token == "muoi":
            current, pending = current + (10 if pending is None else pending * 10), None
        elif token == "tram":
            current, pending = current + (pending or 0) * 100, None
        elif token in _SCALE_OF:
            section, current, pending = section + (current + (pending or 0)) * 10 ** _SCALE_OF[token], 0, None
        elif token in ("ty", "ti"):
            total, section, current, pending = (total + section + current + (pending or 0)) * BILLION, 0, 0, None
        else:
            raise NotANumberError(text)
    return total + section + current + (pending or 0)


def _read_fraction(tokens: list[str], text: str) -> str:
    if not tokens:
        raise NotANumberError(text)
    if not any(token in _STRUCTURE for token in tokens):
        if any(token not in _DIGIT_OF for token in tokens):
            raise NotANumberError(text)
        return "".join(str(_DIGIT_OF[token]) for token in tokens)
    zeros = 0
    while zeros + 1 < len(tokens) and tokens[zeros] == "khong" and tokens[zeros + 1] != "tram":
        zeros += 1
    return "0" * zeros + str(_read_integer(tokens[zeros:], text))
