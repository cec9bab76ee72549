"""Conversion tables of the legacy Vietnamese 8-bit encodings TCVN3 (ABC) and VNI, as data.

Text typed in a legacy font reaches us from .xlsx as the Unicode characters of
the Windows-1252/Latin-1 code points the font draws as Vietnamese letters
(TCVN3 ``"§ång Nai"`` and VNI ``"Ñoàng Nai"`` are "Đồng Nai"). Each table maps
every one of the 134 Vietnamese letters with a diacritic (67 lower case,
67 upper case, đ/Đ included) to its legacy spelling; the decoders are the
inverse tables (:mod:`kc_excel.legacy`). Tone order in each row: huyền (grave),
sắc (acute), hỏi (hook), ngã (tilde), nặng (dot below).

- TCVN3 (TCVN 5712:1993, VN3; fonts ``.VnTime``, ``.VnArial``…): one code per
  lower-case letter (``ư`` is U+00AD, the soft hyphen). Only Ă Â Ê Ô Ơ Ư Đ
  have upper-case codes; headings used the upper-case fonts (``.VnTimeH``,
  ``.VnArialH``…), which draw the lower-case codes as capitals.
- VNI (VNI Windows; fonts ``VNI-Times``, ``VNI-Helve``…): a base letter followed
  by a mark character (``aø`` = à, ``oà`` = ồ, ``ôù`` = ớ); ơ/ư/đ and the i-vowels
  and ỵ are single characters (``ô``, ``ö``, ``ñ``, ``ì í æ ó ò``, ``î``).
"""

from __future__ import annotations

TCVN3 = {
    # lower case: every letter has its own code
    "à": "µ", "á": "¸", "ả": "¶", "ã": "·", "ạ": "¹",
    "ă": "¨", "ằ": "»", "ắ": "¾", "ẳ": "¼", "ẵ": "½", "ặ": "Æ",
    "â": "©", "ầ": "Ç", "ấ": "Ê", "ẩ": "È", "ẫ": "É", "ậ": "Ë",
    "è": "Ì", "é": "Ð", "ẻ": "Î", "ẽ": "Ï", "ẹ": "Ñ",
    "ê": "ª", "ề": "Ò", "ế": "Õ", "ể": "Ó", "ễ": "Ô", "ệ": "Ö",
    "ì": "×", "í": "Ý", "ỉ": "Ø", "ĩ": "Ü", "ị": "Þ",
    "ò": "ß", "ó": "ã", "ỏ": "á", "õ": "â", "ọ": "ä",
    "ô": "«", "ồ": "å", "ố": "è", "ổ": "æ", "ỗ": "ç", "ộ": "é",
    "ơ": "¬", "ờ": "ê", "ớ": "í", "ở": "ë", "ỡ": "ì", "ợ": "î",
    "ù": "ï", "ú": "ó", "ủ": "ñ", "ũ": "ò", "ụ": "ô",
    "ư": "\u00ad", "ừ": "õ", "ứ": "ø", "ử": "ö", "ữ": "÷", "ự": "ù",
    "ỳ": "ú", "ý": "ý", "ỷ": "û", "ỹ": "ü", "ỵ": "þ",
    "đ": "®",
    # upper case: Ă Â Ê Ô Ơ Ư Đ have codes; every other capital with a mark is written with
    # the lower-case code and shown as a capital by the .VnTimeH-style fonts
    "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§",
    "À": "µ", "Á": "¸", "Ả": "¶", "Ã": "·", "Ạ": "¹",
    "Ằ": "»", "Ắ": "¾", "Ẳ": "¼", "Ẵ": "½", "Ặ": "Æ",
    "Ầ": "Ç", "Ấ": "Ê", "Ẩ": "È", "Ẫ": "É", "Ậ": "Ë",
    "È": "Ì", "É": "Ð", "Ẻ": "Î", "Ẽ": "Ï", "Ẹ": "Ñ",
    "Ề": "Ò", "Ế": "Õ", "Ể": "Ó", "Ễ": "Ô", "Ệ": "Ö",
    "Ì": "×", "Í": "Ý", "Ỉ": "Ø", "Ĩ": "Ü", "Ị": "Þ",
    "Ò": "ß", "Ó": "ã", "Ỏ": "á", "Õ": "â", "Ọ": "ä",
    "Ồ": "å", "Ố": "è", "Ổ": "æ", "Ỗ": "ç", "Ộ": "é",
    "Ờ": "ê", "Ớ": "í", "Ở": "ë", "Ỡ": "ì", "Ợ": "î",
    "Ù": "ï", "Ú": "ó", "Ủ": "ñ", "Ũ": "ò", "Ụ": "ô",
    "Ừ": "õ", "Ứ": "ø", "Ử": "ö", "Ữ": "÷", "Ự": "ù",
    "Ỳ": "ú", "Ý": "ý", "Ỷ": "û", "Ỹ": "ü", "Ỵ": "þ",
}

VNI = {
    # lower case
    "à": "aø", "á": "aù", "ả": "aû", "ã": "aõ", "ạ": "aï",
    "ă": "aê", "ằ": "aè", "ắ": "aé", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
    "â": "aâ", "ầ": "aà", "ấ": "aá", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
    "è": "eø", "é": "eù", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
    "ê": "eâ", "ề": "eà", "ế": "eá", "ể": "eå", "ễ": "eã", "ệ": "eä",
    "ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "ò": "oø", "ó": "où", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
    "ô": "oâ", "ồ": "oà", "ố": "oá", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
    "ơ": "ô", "ờ": "ôø", "ớ": "ôù", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï",
    "ù": "uø", "ú": "uù", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
    "ư": "ö", "ừ": "öø", "ứ": "öù", "ử": "öû", "ữ": "öõ", "ự": "öï",
    "ỳ": "yø", "ý": "yù", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
    "đ": "ñ",
    # upper case: the same sequences in capitals
    "À": "AØ", "Á": "AÙ", "Ả": "AÛ", "Ã": "AÕ", "Ạ": "AÏ",
    "Ă": "AÊ", "Ằ": "AÈ", "Ắ": "AÉ", "Ẳ": "AÚ", "Ẵ": "AÜ", "Ặ": "AË",
    "Â": "AÂ", "Ầ": "AÀ", "Ấ": "AÁ", "Ẩ": "AÅ", "Ẫ": "AÃ", "Ậ": "AÄ",
    "È": "EØ", "É": "EÙ", "Ẻ": "EÛ", "Ẽ": "EÕ", "Ẹ": "EÏ",
    "Ê": "EÂ", "Ề": "EÀ", "Ế": "EÁ", "Ể": "EÅ", "Ễ": "EÃ", "Ệ": "EÄ",
    "Ì": "Ì", "Í": "Í", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò",
    "Ò": "OØ", "Ó": "OÙ", "Ỏ": "OÛ", "Õ": "OÕ", "Ọ": "OÏ",
    "Ô": "OÂ", "Ồ": "OÀ", "Ố": "OÁ", "Ổ": "OÅ", "Ỗ": "OÃ", "Ộ": "OÄ",
    "Ơ": "Ô", "Ờ": "ÔØ", "Ớ": "ÔÙ", "Ở": "ÔÛ", "Ỡ": "ÔÕ", "Ợ": "ÔÏ",
    "Ù": "UØ", "Ú": "UÙ", "Ủ": "UÛ", "Ũ": "UÕ", "Ụ": "UÏ",
    "Ư": "Ö", "Ừ": "ÖØ", "Ứ": "ÖÙ", "Ử": "ÖÛ", "Ữ": "ÖÕ", "Ự": "ÖÏ",
    "Ỳ": "YØ", "Ý": "YÙ", "Ỷ": "YÛ", "Ỹ": "YÕ", "Ỵ": "Î",
    "Đ": "Ñ",
}

VNI_MARKS = {
    # a VNI mark character with no base letter before it is drawn as a floating accent; the ones
    # that are not Vietnamese letters themselves become combining marks. The tone comes first so
    # that NFC never composes a non-Vietnamese Latin-1 letter (u + circumflex would give "û").
    "ø": "\u0300", "û": "\u0309", "ï": "\u0323",
    "å": "\u0309\u0302", "ä": "\u0323\u0302", "ü": "\u0306\u0303", "ë": "\u0323\u0306",
}

NEUTRAL = frozenset("\u00a0°±²³´º¿€™") | frozenset(chr(code) for code in range(0x2000, 0x2070))
"""Non-ASCII characters found in legacy and Unicode text alike (spaces, degree, quotes, dashes)."""

ONSETS = ("ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "kr", "pl", "bl", "gl", "pr", "dr",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
"""Initial consonants (phụ âm đầu), longest first; kr, pl, bl, gl, pr, dr as place names of the
Central Highlands write them (Krông, Kon Plông, Đắk Glei, Chư Prông, Pơng Drang)."""

RHYMES = frozenset("""
a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu i ia ich im in inh ip it iu
iêc iêm iên iêng iêp iêt iêu yêm yên yêng yêt yêu
o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay
oăc oăm oăn oăng oăt oe oen oeo oet oong ooc
ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uân uâng uât uây uê uênh uêch
uy uya uych uyn uynh uyp uyt uyu uyên uyêt uôc uôi uôm uôn uông uôt uơ
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu y
ynh yt
ak ăk âk ek êk ik ok ôk ơk uk ưk
""".split())
"""Rhymes (vần) without their tone mark: a syllable is an onset and one of these (ynh, yt after qu:
Quỳnh, quýt; the -k rhymes of place names: Đắk, Lắk, Đăk, Ngọk, Búk)."""

STOP_CODAS = ("c", "ch", "p", "t")
"""A syllable ending in these takes only the sắc or nặng tone."""
