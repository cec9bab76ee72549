"""Old fonts measured on a generated set (issue 13 item 2): rates with and without the font, no Unicode altered.

The set (tests/legacy_corpus.py) holds 2,400 strings: catalogue unit names,
domain sentences, 1-3-word fragments and ethnic-minority place names, each
encoded in TCVN3 and in VNI by encoders written in the test. Each encoded
string is read with its font (.VnTime / VNI-Times) and without one (as
KC_CHUANHOA reads a bare string). The README's table shows the rates this
test measures; the test asserts the thresholds.
"""

from __future__ import annotations

import pytest
from legacy_corpus import ENCODERS, FONTS, SENTENCES, catalogue_names, generated_set, shown

from kc_excel.legacy import normalize_legacy
from kc_excel.udfs import KC_CHUANHOA

WITH_FONT, WITHOUT_FONT = 0.99, 0.95


def _rate(encoding: str, font: str | None) -> tuple[float, int]:
    encode = ENCODERS[encoding]
    cases = [(encode(text), shown(text, encoding)) for _, text in generated_set()]
    cases = [(legacy, expected) for legacy, expected in cases if legacy != expected]
    right = sum(1 for legacy, expected in cases if normalize_legacy(legacy, font)[0] == expected)
    return right / len(cases), len(cases)


def test_the_set_is_large_and_mixed():
    kinds = [kind for kind, _ in generated_set()]
    assert len(kinds) >= 2000
    assert {kinds.count(kind) >= 30 for kind in ("sentence", "unit", "fragment", "minority")} == {True}


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_with_the_font(encoding):
    rate, count = _rate(encoding, FONTS[encoding])
    assert count >= 2000
    assert rate >= WITH_FONT, f"{encoding} with {FONTS[encoding]}: {rate:.2%}"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_without_a_font(encoding):
    rate, count = _rate(encoding, None)
    assert count >= 2000
    assert rate >= WITHOUT_FONT, f"{encoding} without a font: {rate:.2%}"


@pytest.mark.parametrize("font", [None, "Arial", "Times New Roman"])
def test_no_unicode_text_is_altered(font):
    """Every catalogue name, the sentences and the set's own Unicode strings stay as they are."""
    texts = [*catalogue_names(), *SENTENCES, *(text for _, text in generated_set())]
    assert len(texts) > 5000
    assert [text for text in texts if normalize_legacy(text, font) != (text, None)] == []


def test_unicode_the_legacy_font_cannot_draw_is_left_alone():
    """In a .Vn or VNI cell, text with a letter outside the font's table (ộ, ư, đ …) is Unicode."""
    texts = [text for text in catalogue_names() if any(ch in text for ch in "ộưđĐờữ")]
    assert len(texts) > 1000
    for font in (".VnTime", "VNI-Times"):
        assert [text for text in texts if normalize_legacy(text, font)[1] is not None] == []


@pytest.mark.parametrize(("legacy", "font", "expected"), [
    ("Xaõ Phuù Laâm", "VNI-Times", "Xã Phú Lâm"),  # every character is also a Unicode letter
    ("CHÍNH SAÙCH KHUYEÁN COÂNG", "VNI-Times", "CHÍNH SÁCH KHUYẾN CÔNG"),
    ("Lòng Có", ".VnTime", "Lũng Cú"),  # TCVN3 made only of Unicode letters: the font decides
    ("Ba Tô", "VNI-Times", "Ba Tơ"),
    ("X· Giao Ninh", None, "Xã Giao Ninh"),  # short name, no font
    ("Xaõ Phuù Laâm", None, "Xã Phú Lâm"),
    ("§¾k Glei", None, "Đắk Glei"),
    ("5 µm", None, "5 µm"),  # a unit, not TCVN3 "5 àm"
    ("Hà Nội", "VNI-Times", "Hà Nội"),  # ộ is no VNI character: Unicode
    ("Café Sài Gòn", "VNI-Times", "Café Sài Gòn"),  # decoded, too few of its words read as Vietnamese
])
def test_issue_examples(legacy, font, expected):
    assert normalize_legacy(legacy, font)[0] == expected


def test_kc_chuanhoa_reads_short_names_without_a_font():
    assert KC_CHUANHOA("X· Giao Ninh") == "Xã Giao Ninh"
    assert KC_CHUANHOA("Xaõ Phuù Laâm") == "Xã Phú Lâm"
