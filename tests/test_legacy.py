"""Legacy TCVN3 (ABC) and VNI text → Unicode (kc_excel.legacy): tables, detection, round trips."""

from __future__ import annotations

import os
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHARED
from kc_excel.legacy import (
    ENCODINGS,
    detect_encoding,
    font_encoding,
    from_unicode,
    is_capitals_font,
    is_vietnamese_syllable,
    is_well_formed,
    normalize_legacy,
    to_unicode,
)
from kc_excel.legacy_tables import TCVN3, VNI
from kc_excel.text import normalize_tone

SEEDS = SHARED / "seeds"
TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
BASES = "aăâeêioôơuưy"
LOWER = [unicodedata.normalize("NFC", base + tone) for base in BASES for tone in ["", *TONES]
         if base + tone not in set("aeiouy")] + ["đ"]
UPPER = [letter.upper() for letter in LOWER]
TCVN3_CAPITALS = "ĂÂÊÔƠƯĐ"

DISTRICTS = ("Thành phố Biên Hòa, Thành phố Long Khánh, Huyện Tân Phú, Huyện Định Quán, "
             "Huyện Xuân Lộc, Huyện Cẩm Mỹ, Huyện Thống Nhất, Huyện Trảng Bom, Huyện Vĩnh Cửu, "
             "Huyện Long Thành, Huyện Nhơn Trạch")
SEED_PARAGRAPH = (  # seed 001, second paragraph
    "Ngày 05/11/2020 UBND tỉnh Đồng Nai đã ban hành Kế hoạch số 13406/KH-UBND về việc hỗ trợ phát "
    "triển ngành nghề nông thôn và làng nghề trên địa bàn tỉnh Đồng Nai giai đoạn 2021-2025. Theo đó "
    "mục đích là phát triển làng nghề, ngành nghề nông thôn trên cơ sở ứng dụng khoa học kỹ thuật vào "
    "sản xuất để đa dạng hóa sản phẩm về mẫu mã, kiểu dáng, nâng cao năng suất chất lượng, khả năng "
    "cạnh tranh; giải quyết việc làm và tăng thu nhập cho người dân; góp phần thúc đẩy chuyển dịch cơ "
    "cấu kinh tế theo hướng công nghiệp hóa, hiện đại hóa nông nghiệp, nông thôn.")
SEED_HEADING = ("HỖ TRỢ PHÁT TRIỂN NGÀNH NGHỀ NÔNG THÔN VÀ LÀNG NGHỀ TRÊN ĐỊA BÀN TỈNH ĐỒNG NAI "
                "GIAI ĐOẠN 2021-2025")


# ---------------------------------------------------------------- the tables

def test_the_134_letters():
    assert len(LOWER) == 67 and len(set(LOWER + UPPER)) == 134


@pytest.mark.parametrize("table", [TCVN3, VNI], ids=["tcvn3", "vni"])
def test_tables_cover_every_letter(table):
    assert set(table) == set(LOWER + UPPER)


def test_vni_sequences_are_distinct():
    assert len(set(VNI.values())) == 134


def test_tcvn3_codes_are_distinct_for_lower_case_and_the_seven_capitals():
    codes = [TCVN3[letter] for letter in LOWER + list(TCVN3_CAPITALS)]
    assert len(set(codes)) == 74
    assert all(0xA1 <= ord(code) <= 0xFE for code in codes)  # same in Latin-1 and Windows-1252


def test_tcvn3_capitals_use_the_lower_case_code():
    for letter in UPPER:
        if letter not in TCVN3_CAPITALS:
            assert TCVN3[letter] == TCVN3[letter.lower()]


# ---------------------------------------------------------------- known legacy strings (typed by hand)

@pytest.mark.parametrize(("legacy", "unicode", "encoding"), [
    ("§ång Nai", "Đồng Nai", "tcvn3"),
    ("Hµ Néi", "Hà Nội", "tcvn3"),
    ("B¶o Th¾ng", "Bảo Thắng", "tcvn3"),
    ("M\u00adêng Kh\u00ad¬ng", "Mường Khương", "tcvn3"),
    ("Thµnh phè Biªn Hßa", "Thành phố Biên Hòa", "tcvn3"),
    ("Khuyªn c«ng", "Khuyên công", "tcvn3"),
    ("Ñoàng Nai", "Đồng Nai", "vni"),
    ("Xin chaøo caùc baïn", "Xin chào các bạn", "vni"),
    ("Haø Noäi", "Hà Nội", "vni"),
    ("Tröôøng Thaønh", "Trường Thành", "vni"),
    ("Thaønh phoá Bieân Hoøa", "Thành phố Biên Hòa", "vni"),
])
def test_known_strings_are_detected_and_converted(legacy, unicode, encoding):
    assert detect_encoding(legacy) == encoding
    assert normalize_legacy(legacy) == (unicode, encoding)
    assert to_unicode(legacy, encoding) == unicode


def test_old_tone_style_becomes_the_hoa_style():
    assert to_unicode("Thanh Ho¸", "tcvn3") == "Thanh Hóa"  # "Hoá" in the file
    assert to_unicode("Thanh Hoaù", "vni") == "Thanh Hóa"


# ---------------------------------------------------------------- round trips through the full tables

@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("text", [DISTRICTS, SEED_PARAGRAPH, DISTRICTS + ". " + SEED_PARAGRAPH])
def test_long_samples_round_trip_without_font(encoding, text):
    legacy = from_unicode(text, encoding)
    assert legacy != text
    assert detect_encoding(legacy) == encoding
    assert normalize_legacy(legacy) == (normalize_tone(text), encoding)


@pytest.mark.parametrize(("font", "encoding"), [(".VnTime", "tcvn3"), (".VnArial", "tcvn3"),
                                                ("VNI-Times", "vni"), ("VNI-Helve", "vni")])
def test_long_samples_round_trip_with_font(font, encoding):
    legacy = from_unicode(DISTRICTS + ". " + SEED_PARAGRAPH, encoding)
    assert normalize_legacy(legacy, font) == (normalize_tone(DISTRICTS + ". " + SEED_PARAGRAPH), encoding)


def test_every_letter_round_trips():
    lower = " ".join(LOWER) + " " + " ".join(TCVN3_CAPITALS)
    assert normalize_legacy(from_unicode(lower, "tcvn3"), ".VnTime") == (lower, "tcvn3")
    both = " ".join(LOWER + UPPER)
    assert normalize_legacy(from_unicode(both, "vni"), "VNI-Times") == (both, "vni")


def test_capitals_font_gives_capitals():
    upper = " ".join(UPPER)
    legacy = from_unicode(upper, "tcvn3")
    assert normalize_legacy(legacy, ".VnTimeH") == (upper, "tcvn3")
    assert normalize_legacy(from_unicode(SEED_HEADING, "tcvn3"), ".VnArialH") == (SEED_HEADING, "tcvn3")


def test_heading_in_vni_keeps_its_capitals():
    legacy = from_unicode(SEED_HEADING, "vni")
    assert normalize_legacy(legacy) == (SEED_HEADING, "vni")


def test_font_names():
    assert font_encoding(".VnTime") == "tcvn3" and font_encoding(" .vnarial narrow ") == "tcvn3"
    assert font_encoding("VNI-Times") == "vni" and font_encoding("vni-helve") == "vni"
    assert font_encoding("Times New Roman") is None and font_encoding(None) is None
    assert is_capitals_font(".VnTimeH") and is_capitals_font(".VnArial NarrowH")
    assert not is_capitals_font(".VnTime") and not is_capitals_font("VNI-TimesH")


# ---------------------------------------------------------------- no false positives

ORDINARY = ["Café", "naïve", "50%", "Đồng Nai", "Hà Nội", "Müller", "São Paulo", "Señor Peña",
            "© 2024 Sở Công Thương", "©", "½ kg", "5 µm", "Crème brûlée", "Straße", "Ångström",
            "Føroyar", "Tân Phú", "mét", "Cà phê", "20°C ± 2", "Zürich – Genève", "déjà vu", "Ω",
            "1.500 học viên", "KHUYẾN CÔNG", "Nguyễn Thị Ánh", "«Hòa»", "x² + y³", "Ÿ", ""]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_not_legacy(text):
    assert detect_encoding(text) is None
    assert normalize_legacy(text) == (text, None)


@pytest.mark.parametrize("text", ["Hà Nội", "Đồng Nai", "Nguyễn"])
def test_unicode_in_a_legacy_font_is_left_alone(text):
    for font in (".VnTime", ".VnTimeH", "VNI-Times"):
        assert normalize_legacy(text, font) == (text, None)


def test_seed_files_are_not_legacy():
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed texts missing in {SEEDS}")
        pytest.skip(f"seed texts missing in {SEEDS}")
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert detect_encoding(text) is None, path.name
        for line in text.splitlines():
            assert detect_encoding(line) is None, line
            for word in line.split():
                assert detect_encoding(word) is None, word


def test_syllables():
    for word in ["Đồng", "Nai", "khuyến", "trường", "quốc", "giữa", "nghiệp", "hòa", "ấy", "uyên"]:
        assert is_vietnamese_syllable(word), word
    for word in ["naùve", "Mỹller", "â", "ẵ", "Nếi", "bác̀", "tàc", "caphe"]:
        assert not is_vietnamese_syllable(word), word


# ---------------------------------------------------------------- properties

ASCII_PART = "abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY0123456789 .,;:-/()%"
vietnamese = st.text(alphabet=st.sampled_from(LOWER + UPPER + list(ASCII_PART)), max_size=60)
tcvn3_text = st.text(alphabet=st.sampled_from(LOWER + list(TCVN3_CAPITALS) + list(ASCII_PART)), max_size=60)
tcvn3_capitals = st.text(alphabet=st.sampled_from(UPPER + list(ASCII_PART.upper())), max_size=60)


@given(vietnamese)
@settings(max_examples=300)
def test_vni_round_trip(text):
    assert to_unicode(from_unicode(text, "vni"), "vni") == normalize_tone(text)


@given(tcvn3_text)
@settings(max_examples=300)
def test_tcvn3_round_trip(text):
    assert to_unicode(from_unicode(text, "tcvn3"), "tcvn3") == normalize_tone(text)


@given(tcvn3_capitals)
def test_tcvn3_capitals_round_trip(text):
    assert to_unicode(from_unicode(text, "tcvn3"), "tcvn3", uppercase=True) == normalize_tone(text)


SYLLABLES = sorted({word.strip(".,;:()") for word in (DISTRICTS + " " + SEED_PARAGRAPH + " " + SEED_HEADING).split()
                    if not word.strip(".,;:()").isascii()})
unicode_sentences = st.lists(st.sampled_from(SYLLABLES + ["và", "2025", "-", "UBND"]), max_size=12).map(" ".join)


@given(unicode_sentences)
@settings(max_examples=300, deadline=None)
def test_unicode_vietnamese_is_never_detected(text):
    assert normalize_legacy(text) == (text, None)
    assert normalize_legacy(text, "Times New Roman") == (text, None)


@given(vietnamese)
@settings(max_examples=300, deadline=None)
def test_letter_soup_is_converted_only_when_it_reads_better(text):
    """Random letters may be legacy text by chance ("Xaõ" is VNI for Xã): then the result reads as Vietnamese."""
    once, encoding = normalize_legacy(text)
    if encoding is not None:
        words = [w for w in re.findall(r"[^\W\d_]+", once) if not w.isascii()]  # letters only: "0ỊT" is "ỊT"
        assert sum(map(is_well_formed, words)) >= 0.75 * len(words)


@given(unicode_sentences | unicode_sentences.map(str.upper), st.sampled_from([None, ".VnTime", ".VnTimeH", "VNI-Times"]))
@settings(max_examples=300, deadline=None)
def test_conversion_is_idempotent(text, font):
    """The converted text is Unicode: read again (without the legacy font that drew the old bytes) it stays.

    Letter soup may read as legacy text by chance (see above), so the text here is Vietnamese.
    """
    encoding = font_encoding(font) or "vni"
    once, _ = normalize_legacy(from_unicode(text, encoding), font)
    assert normalize_legacy(once) == (once, None)
    assert normalize_legacy(once, "Arial") == (once, None)


@given(st.text(max_size=40), st.sampled_from([None, ".VnTime", ".VnTimeH", "VNI-Times", "Arial"]))
@settings(max_examples=500, deadline=None)
def test_any_text_converts_at_most_once(text, font):
    once, encoding = normalize_legacy(text, font)
    if font_encoding(font) is None:
        assert normalize_legacy(once, font) == (once, None)
    words = [word for word in re.findall(r"[^\W\d_]+", once) if not word.isascii()]
    # Text a legacy font refused may be the other encoding; letter soup a font decoded ("¤U" in
    # .VnTime is "ÔU") may read as legacy text again, so only Vietnamese output must stay put.
    if encoding is not None and all(map(is_well_formed, words)):
        assert normalize_legacy(once) == (once, None)
