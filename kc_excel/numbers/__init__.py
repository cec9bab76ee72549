"""Vietnamese numbers: parsing typed amounts, formatting, and reading amounts in words (đọc số).

- :func:`parse_number` turns a cell value (``int``/``float``/``Decimal`` or text
  such as ``"1.500"``, ``"1,5"``, ``"17.331 triệu đồng"``, ``"1 tỷ 650 triệu"``,
  ``"56,7%"``) into an exact :class:`~decimal.Decimal`.
- :func:`to_dong` gives an amount in integer đồng from a money cell (in triệu
  đồng by default), raising :class:`TooPreciseError` below one đồng.
- :func:`float_to_decimal` is the one rule for a float from Excel: read as
  Excel displays it (15 significant digits, trailing zeros dropped).
- :func:`format_vn` / :func:`format_percent_vn` write Vietnamese digits (the one
  number formatter; ``lang="en"`` for English marks).
- :func:`read_amount` reads an amount in words as accounting documents do
  ("Hai nghìn không trăm hai mươi mốt đồng"); :func:`words_to_number` reads
  such words back.

Every error is a :class:`ValueError` with a Vietnamese message.
"""

from __future__ import annotations

from kc_excel.numbers.parse import (
    MAX_TEXT_LENGTH,
    NotANumberError,
    TooPreciseError,
    float_to_decimal,
    format_percent_vn,
    format_vn,
    parse_money_to_dong,
    parse_number,
    states_own_unit,
    to_dong,
)
from kc_excel.numbers.words import read_amount, words_to_number

__all__ = [
    "MAX_TEXT_LENGTH",
    "NotANumberError",
    "TooPreciseError",
    "float_to_decimal",
    "format_percent_vn",
    "format_vn",
    "parse_money_to_dong",
    "parse_number",
    "read_amount",
    "states_own_unit",
    "to_dong",
    "words_to_number",
]
