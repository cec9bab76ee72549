"""A generated legacy-text test set for kc_excel.legacy (issue 13 item 2), with its own encoders.

The encoders below are written here from the encodings' rules, not taken from
:mod:`kc_excel.legacy_tables`: TCVN3 (ABC) as one row of six codes per vowel
(no tone, huyền, sắc, hỏi, ngã, nặng), VNI as a base letter followed by a
mark character chosen by the letter's modifier and tone.

The strings: unit names of the catalogue (every province's communes and the
provinces), sentences of the domain, 1-3-word fragments of both, and place
names of ethnic-minority areas (with syllables that are not Vietnamese:
Krông, H'Drai, Ea, M'gar).
"""

from __future__ import annotations

import random
import unicodedata
from functools import cache

from kc_excel.text import normalize_tone

# ------------------------------------------------------------------ the encoders

_TONE_INDEX = {"": 0, "\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_BASE_OF = {"a": "a", "ă": "ă", "â": "â", "e": "e", "ê": "ê", "i": "i", "o": "o", "ô": "ô", "ơ": "ơ",
            "u": "u", "ư": "ư", "y": "y"}

TCVN3_ROWS = {  # base: no tone, huyền, sắc, hỏi, ngã, nặng
    "a": "aµ¸¶·¹", "ă": "¨»¾¼½Æ", "â": "©ÇÊÈÉË", "e": "eÌÐÎÏÑ", "ê": "ªÒÕÓÔÖ", "i": "i×ÝØÜÞ",
    "o": "oßãáâä", "ô": "«åèæçé", "ơ": "¬êíëìî", "u": "uïóñòô", "ư": "\u00adõøö÷ù", "y": "yúýûüþ",
}
TCVN3_CAPITALS = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§", "đ": "®"}

_VNI_PLAIN_TONES = ["", "ø", "ù", "û", "õ", "ï"]
_VNI_CIRCUMFLEX = ["â", "à", "á", "å", "ã", "ä"]
_VNI_BREVE = ["ê", "è", "é", "ú", "ü", "ë"]
_VNI_I = ["i", "ì", "í", "æ", "ó", "ò"]
_VNI_HORN = {"ơ": "ô", "ư": "ö"}


def _split(letter: str) -> tuple[str, int] | None:
    """A Vietnamese vowel letter → (base vowel with its modifier, tone index); None for others."""
    decomposed = unicodedata.normalize("NFD", letter.lower())
    tone = "".join(ch for ch in decomposed if ch in _TONE_INDEX and ch)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_INDEX or not ch))
    return (base, _TONE_INDEX[tone]) if base in _BASE_OF else None


def encode_tcvn3(text: str) -> str:
    """Text as a .VnTime font stores it; capitals with a tone mark get the lower-case code."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in TCVN3_CAPITALS:
            out.append(TCVN3_CAPITALS[char])
            continue
        parts = _split(char)
        if parts is None or (parts[1] == 0 and parts[0] in "aeiouy"):
            out.append(char)
            continue
        base, tone = parts
        code = TCVN3_ROWS[base][tone]
        if char.isupper() and tone == 0 and base in "ăâêôơư":
            code = TCVN3_CAPITALS[base.upper()]
        out.append(code)
    return "".join(out)


def _vni_lower(base: str, tone: int) -> str:
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == 5:
        return "î"
    if base in _VNI_HORN:
        return _VNI_HORN[base] + _VNI_PLAIN_TONES[tone]
    if base in "âêô":
        return unicodedata.normalize("NFD", base)[0] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    return base + _VNI_PLAIN_TONES[tone]


def encode_vni(text: str) -> str:
    """Text as a VNI-Times font stores it."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ":
            out.append("ñ" if char == "đ" else "Ñ")
            continue
        parts = _split(char)
        if parts is None or (parts[1] == 0 and parts[0] in "aeiouy"):
            out.append(char)
            continue
        code = _vni_lower(*parts)
        out.append(code.upper() if char.isupper() else code)
    return "".join(out)


ENCODERS = {"tcvn3": encode_tcvn3, "vni": encode_vni}
FONTS = {"tcvn3": ".VnTime", "vni": "VNI-Times"}


def shown(text: str, encoding: str) -> str:
    """What the font showed: TCVN3's normal fonts draw a toned capital's code as a small letter."""
    if encoding == "vni":
        return normalize_tone(text)
    kept = "".join(char.lower() if char.isupper() and char not in TCVN3_CAPITALS and _split(char)
                   and _split(char)[1] else char for char in unicodedata.normalize("NFC", text))
    return normalize_tone(kept)


# ------------------------------------------------------------------ the strings

SENTENCES = [
    "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật sản xuất sản phẩm công nghiệp nông thôn.",
    "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất.",
    "Tổ chức hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu.",
    "Đào tạo nghề, truyền nghề cho lao động nông thôn.",
    "Nâng cao năng lực quản lý cho cơ sở công nghiệp nông thôn.",
    "Chương trình khuyến công quốc gia giai đoạn 2021-2025.",
    "Kế hoạch khuyến công địa phương năm 2025 của tỉnh.",
    "Kinh phí khuyến công địa phương hỗ trợ tối đa năm mươi phần trăm.",
    "Vốn đối ứng của cơ sở công nghiệp nông thôn.",
    "Xây dựng và đăng ký nhãn hiệu cho sản phẩm làng nghề.",
    "Cơ sở sản xuất chè búp khô tại xã vùng cao.",
    "Hộ kinh doanh dệt thổ cẩm của đồng bào dân tộc thiểu số.",
    "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh.",
    "Hỗ trợ lập dự án đầu tư, thuê tư vấn, trợ giúp kỹ thuật.",
    "Sửa chữa, nâng cấp hệ thống xử lý ô nhiễm môi trường tại cụm công nghiệp.",
    "Chế biến nông sản, lâm sản, thủy sản quy mô nhỏ.",
    "Sản xuất hàng thủ công mỹ nghệ xuất khẩu.",
    "Máy sấy, máy đóng gói, lò nung gốm tiết kiệm năng lượng.",
    "Báo cáo kết quả thực hiện sáu tháng đầu năm.",
    "Ủy ban nhân dân huyện phê duyệt danh mục đề án.",
    "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp.",
    "Sở Công Thương tổng hợp kế hoạch gửi Bộ Công Thương.",
    "Người liên hệ: ông Nguyễn Văn Hùng, điện thoại 0912345678.",
    "Địa chỉ: thôn Đông, xã Phú Lộc, huyện Lộc Ninh.",
    "Tập huấn khởi sự doanh nghiệp cho học viên nữ.",
    "Mua sắm thiết bị chế biến gỗ, mây tre đan.",
    "Ghi chú: số liệu ước thực hiện đến hết tháng mười hai.",
    "Giải quyết việc làm và tăng thu nhập cho người dân.",
    "Góp phần thúc đẩy chuyển dịch cơ cấu kinh tế nông thôn.",
    "Đề án khuyến công điểm về sản xuất sạch hơn.",
]

MINORITY_PLACES = [
    "Mường Nhé", "Sìn Hồ", "Pác Nặm", "Đắk Glei", "Krông Pắc", "Ia H'Drai", "Xín Mần", "Mù Cang Chải",
    "Bắc Hà", "Lũng Cú", "Phìn Ngan", "Hầu Thào", "Tà Xùa", "Chiềng Khoa", "Nậm Pồ", "Ea H'leo",
    "Buôn Đôn", "Đăk Pơ", "Kon Plông", "Cư M'gar", "Mường Lát", "Sà Phìn", "Lả Nhì Thàng", "Pờ Ly Ngài",
    "Nà Hang", "Bản Giốc", "Phong Thổ", "Tủa Chùa", "Mường Chà", "Chiềng Sinh", "Bó Mười", "Tả Van",
    "Bắc Yên", "Mai Châu", "Quan Sơn", "Kỳ Sơn", "Nậm Cắn", "Đắk Mil", "Krông Bông", "Lắk",
    "Chư Prông", "Ia Grai", "Đắk R'lấp", "Tu Mơ Rông", "Ngọc Linh", "A Lưới", "Hồng Vân", "Nam Đông",
    "Tây Giang", "Đông Giang", "Phước Sơn", "Sơn Tây", "Ba Tơ", "Mường Khương", "Si Ma Cai", "Hoàng Su Phì",
    "Quản Bạ", "Đồng Văn", "Mèo Vạc", "Yên Minh", "Bảo Lạc", "Hà Quảng", "Trùng Khánh", "Ba Bể",
    "Pác Bó", "Thông Nông", "Sốp Cộp", "Mường Tè", "Phìn Hồ", "Bản Lầu",
]


@cache
def catalogue_names() -> tuple[str, ...]:
    from kc_excel import catalog

    names = []
    for province in catalog.provinces():
        names.append(province.name)
        names.extend(unit.name for unit in catalog.units_of(province))
    return tuple(dict.fromkeys(names))


def _fragments(rng: random.Random, texts: list[str], count: int) -> list[str]:
    out = []
    while len(out) < count:
        words = rng.choice(texts).rstrip(".").split()
        size = rng.randint(1, min(3, len(words)))
        start = rng.randrange(len(words) - size + 1)
        fragment = " ".join(words[start:start + size]).strip(",:;")
        if not fragment.isascii():
            out.append(fragment)
    return out


@cache
def generated_set(size: int = 2400, seed: int = 13) -> tuple[tuple[str, str], ...]:
    """``size`` (kind, Unicode text) pairs with at least one letter that an encoding changes."""
    rng = random.Random(seed)
    names = [name for name in catalogue_names() if not name.isascii()]
    pool = ([("sentence", s) for s in SENTENCES] + [("minority", p) for p in MINORITY_PLACES]
            + [("unit", n) for n in rng.sample(names, size // 2)])
    pool += [("fragment", f) for f in _fragments(rng, SENTENCES + names, size - len(pool))]
    return tuple(pool[:size])
