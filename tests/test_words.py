"""Amounts in Vietnamese words (đọc số, issue 6 item 1): kc_excel.numbers.read_amount / words_to_number.

Every expected text below was written by hand from the accounting rules
(mốt, lăm, linh/lẻ, không trăm, nghìn/ngàn, tỷ, nghìn tỷ), not produced by the code.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kc_excel.numbers import NotANumberError, read_amount, words_to_number

BY_HAND = [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (4, "Bốn đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi bốn đồng"),
    (25, "Hai mươi lăm đồng"),
    (55, "Năm mươi lăm đồng"),
    (99, "Chín mươi chín đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (1_000, "Một nghìn đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_100, "Một nghìn một trăm đồng"),
    (2_021, "Hai nghìn không trăm hai mươi mốt đồng"),
    (3_005, "Ba nghìn không trăm linh năm đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (40_004, "Bốn mươi nghìn không trăm linh bốn đồng"),
    (200_015, "Hai trăm nghìn không trăm mười lăm đồng"),
    (250_000, "Hai trăm năm mươi nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (1_500_000, "Một triệu năm trăm nghìn đồng"),
    (21_000_000, "Hai mươi mốt triệu đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
    (1_650_000_000, "Một tỷ sáu trăm năm mươi triệu đồng"),
    (17_331_000_000, "Mười bảy tỷ ba trăm ba mươi mốt triệu đồng"),
    (23_308_200_000, "Hai mươi ba tỷ ba trăm linh tám triệu hai trăm nghìn đồng"),
    (13_216_387_314,
     "Mười ba tỷ hai trăm mười sáu triệu ba trăm tám mươi bảy nghìn ba trăm mười bốn đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (1_200_000_000_000, "Một nghìn hai trăm tỷ đồng"),
    (5_000_021_000_000, "Năm nghìn tỷ không trăm hai mươi mốt triệu đồng"),
    (999_999_999_999_999,
     "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
     "chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"),
    (-1_500, "Âm một nghìn năm trăm đồng"),
]


@pytest.mark.parametrize(("number", "words"), BY_HAND)
def test_read_amount_by_hand(number, words):
    assert read_amount(number) == words


@pytest.mark.parametrize(("number", "words"), BY_HAND)
def test_words_read_back(number, words):
    assert words_to_number(words) == number


def test_table_is_large_enough():
    assert len({number for number, _ in BY_HAND}) >= 40


@pytest.mark.parametrize(("number", "options", "words"), [
    (101, {"le": True}, "Một trăm lẻ một đồng"),
    (1_005_000, {"le": True}, "Một triệu không trăm lẻ năm nghìn đồng"),
    (2_021, {"ngan": True}, "Hai ngàn không trăm hai mươi mốt đồng"),
    (1_000_000_000_000, {"ngan": True}, "Một ngàn tỷ đồng"),
    (1_001, {"le": True, "ngan": True}, "Một ngàn không trăm lẻ một đồng"),
    (121, {"le": True}, "Một trăm hai mươi mốt đồng"),  # lẻ only replaces linh
])
def test_options(number, options, words):
    assert read_amount(number, **options) == words
    assert words_to_number(words) == number


@pytest.mark.parametrize(("number", "unit", "words"), [
    (Decimal("1.5"), "", "Một phẩy năm"),
    ("1,5", "", "Một phẩy năm"),
    (Decimal("0.05"), "", "Không phẩy không năm"),
    (Decimal("3.25"), "triệu đồng", "Ba phẩy hai mươi lăm triệu đồng"),
    (Decimal("56.7"), "%", "Năm mươi sáu phẩy bảy %"),
    (Decimal("1.2345"), "", "Một phẩy hai ba bốn năm"),
    (Decimal("1.50"), "đồng", "Một phẩy năm đồng"),  # never rounded silently to 2 đồng
    (Decimal("-0.5"), "", "Âm không phẩy năm"),
    (1_500, "học viên", "Một nghìn năm trăm học viên"),  # seed 001: 1.500 học viên
    (47, "cơ sở", "Bốn mươi bảy cơ sở"),  # seed 001: 47 cơ sở CNNT
    (17_331, "triệu đồng", "Mười bảy nghìn ba trăm ba mươi mốt triệu đồng"),
])
def test_units_and_decimals(number, unit, words):
    assert read_amount(number, unit) == words


def test_float_is_read_as_shown():
    assert read_amount(1.1, "") == "Một phẩy một"


@pytest.mark.parametrize(("words", "number"), [
    ("hai muoi mot dong", 21),  # without diacritics
    ("Mười", 10),
    ("một trăm lẻ năm", 105),
    ("hai mươi tư", 24),
    ("Một triệu đồng chẵn", 1_000_000),
    ("  Hai   nghìn không trăm hai mươi mốt  đồng ", 2_021),
    ("Một tỷ không trăm linh một tỷ", 1_000_000_001_000_000_000),
    ("ba phẩy một bốn", Decimal("3.14")),
])
def test_words_to_number_variants(words, number):
    assert words_to_number(words) == number


@pytest.mark.parametrize("words", ["", "đồng", "abc", "hai ba", "một xyz nghìn", "phẩy năm", "một phẩy"])
def test_words_to_number_rejects(words):
    with pytest.raises(NotANumberError):
        words_to_number(words)


def test_read_amount_rejects_text_that_is_not_a_number():
    with pytest.raises(ValueError, match="không phải là số"):
        read_amount("abc")


@given(st.integers(min_value=0, max_value=10**15 - 1), st.booleans(), st.booleans())
@settings(max_examples=500)
def test_round_trip_integers(number, le, ngan):
    assert words_to_number(read_amount(number, le=le, ngan=ngan)) == number


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4,
                   allow_nan=False, allow_infinity=False))
def test_round_trip_decimals(number):
    assert words_to_number(read_amount(number, "")) == number


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_first_letter_capital_and_unit_last(number):
    words = read_amount(number)
    assert words[0].isupper() and words[1:] == words[1:].lower()
    assert words.endswith(" đồng")
