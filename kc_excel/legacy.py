"""Legacy Vietnamese encodings (TCVN3/ABC and VNI) → Unicode NFC in one tone-mark style.

Old templates were typed in 8-bit fonts: TCVN3 (``.VnTime``, ``.VnArial``,
capitals-only ``.VnTimeH``) or VNI (``VNI-Times``). Read from .xlsx such text
is Latin-1 look-alikes: ``"§ång Nai"`` (TCVN3) or ``"Ñoàng Nai"`` (VNI) for
"Đồng Nai", ``"Hµ Néi"`` for "Hà Nội". The tables are data in
:mod:`kc_excel.legacy_tables`.

Detection (:func:`detect_encoding`):

1. The text may hold only ASCII, characters of the encoding's table and a few
   neutral ones (no-break space, °, ², quotes, dashes, €): a Vietnamese letter
   outside Latin-1 (ộ, ư, đ…) or a foreign letter means Unicode text.
2. With a legacy font name (``.Vn*`` → TCVN3, ``VNI-*`` → VNI) the font is
   evidence: the cell showed the decoded letters. The text is converted when it
   holds a *strong* character (one of the table that is not a Vietnamese
   letter: ``µ § © « ¬ ñ ö ø``…), or when, decoded, at least as many of its
   words are well-formed Vietnamese syllables as before and most of them are
   (VNI ``"Xaõ Phuù Laâm"``, every character also a Unicode letter, is
   "Xã Phú Lâm"; "Café Sài Gòn" stays).
3. Without a font the decoded text must read better than the text: with a
   strong character, at least 75 % of the words with special characters
   become well-formed syllables, one of them newly ("X· Giao Ninh" → "Xã Giao
   Ninh"; "5 µm", "½", "©" stay); without one, every such word becomes
   well-formed and at least one was not ("Xaõ Phuù Laâm"). A well-formed
   syllable (:func:`is_well_formed`) is an onset and a rhyme with one tone
   mark on the vowel Vietnamese puts it on (old "hoà" or new "hòa" style), so
   "Xaõ" (tone on the o) is not one. Unicode text made of well-formed words
   is never converted without a legacy font, and the conversion of such text
   is never converted again.

Limits: a legacy word spelt only with letters that are also Unicode
Vietnamese letters (TCVN3 ``"mét"`` for "một") is left alone unless another
word of the cell has a strong character. TCVN3 capitals other than Ă Â Ê Ô Ơ
Ư Đ exist only in the capitals fonts: pass the font (``.VnTimeH``) to get them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from kc_excel.legacy_tables import NEUTRAL, ONSETS, RHYMES, STOP_CODAS, TCVN3, VNI, VNI_MARKS
from kc_excel.text import normalize_tone

ENCODINGS = ("tcvn3", "vni")
VIETNAMESE_LETTERS = frozenset(TCVN3)
"""The 134 Vietnamese letters with a diacritic (lower and upper case, đ/Đ included)."""

_TCVN3_CAPITALS = "ĂÂÊÔƠƯĐ"
_TCVN3_DECODE = {code: letter for letter, code in TCVN3.items()
                 if letter.islower() or letter in _TCVN3_CAPITALS}
_VNI_PAIRS = {code: letter for letter, code in VNI.items() if len(code) == 2}
_VNI_PAIRS |= {code[0] + code[1].swapcase(): letter for code, letter in list(_VNI_PAIRS.items())
               if code[0] + code[1].swapcase() not in _VNI_PAIRS}
_VNI_SINGLES = {code: letter for letter, code in VNI.items() if len(code) == 1}
_VNI_SINGLES |= VNI_MARKS | {mark.upper(): combining for mark, combining in VNI_MARKS.items()}

_REPERTOIRE = {
    "tcvn3": frozenset(_TCVN3_DECODE),
    "vni": frozenset("".join(VNI.values())) - frozenset("aeiouyAEIOUY"),
}
_STRONG = {name: chars - VIETNAMESE_LETTERS for name, chars in _REPERTOIRE.items()}
_WORD = {name: re.compile("[A-Za-z" + re.escape("".join(sorted(chars))) + "]+")
         for name, chars in _REPERTOIRE.items()}
_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")
_STOP_TONES = frozenset("\u0301\u0323")  # sắc, nặng
MIN_VALID_SHARE = 0.75
_VOWELS = "aăâeêioôơuưy"
_UNIT_PREFIXES = frozenset("µ")  # micro (TCVN3 à): weak evidence on its own
_MODIFIED_VOWELS = "ăâêôơư"


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies: ``.VnTime`` → "tcvn3", ``VNI-Times`` → "vni"."""
    name = (font or "").strip().lower()
    if name.startswith(".vn"):
        return "tcvn3"
    if name.startswith(("vni-", "vni ")):
        return "vni"
    return None


def is_capitals_font(font: str | None) -> bool:
    """TCVN3 capitals-only fonts (``.VnTimeH``, ``.VnArialH``…) draw every letter as a capital."""
    return font_encoding(font) == "tcvn3" and (font or "").strip().endswith("H")


def to_unicode(text: str, encoding: str, *, uppercase: bool = False) -> str:
    """Decode legacy ``text`` (no detection): NFC, "Hòa" tone style; ``uppercase`` for ``.VnTimeH``."""
    decoded = _decode(text, encoding)
    return normalize_tone(decoded.upper() if uppercase else decoded)


def from_unicode(text: str, encoding: str) -> str:
    """Encode Unicode text as the legacy font would store it (for tests and examples).

    TCVN3 capitals other than Ă Â Ê Ô Ơ Ư Đ get their lower-case code (what a
    ``.VnTimeH`` heading stores).
    """
    table = _table(encoding)
    return "".join(table.get(char, char) for char in unicodedata.normalize("NFC", text))


def detect_encoding(text: str, font: str | None = None) -> str | None:
    """"tcvn3", "vni" or None (Unicode or undecidable); see the module docstring for the rules."""
    if not isinstance(text, str) or text.isascii():
        return None
    hinted = font_encoding(font)
    if hinted:
        return hinted if _reads_with_font(text, hinted) else None
    scores = {name: score for name in ENCODINGS if (score := _plausibility(text, name)) is not None}
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def normalize_legacy(text: str, font: str | None = None) -> tuple[str, str | None]:
    """``(converted text, encoding)`` for legacy text, ``(text, None)`` unchanged otherwise."""
    encoding = detect_encoding(text, font)
    if encoding is None:
        return text, None
    return to_unicode(text, encoding, uppercase=is_capitals_font(font)), encoding


def is_vietnamese_syllable(word: str) -> bool:
    """A possible Vietnamese syllable: onset + rhyme, one tone, stop rhymes only with sắc/nặng."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [char for char in decomposed if char in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in _TONES))
    for onset in ONSETS:
        rhyme = base[len(onset):]
        if not base.startswith(onset) or rhyme not in RHYMES:
            continue
        if not rhyme.endswith(STOP_CODAS) or (tones and tones[0] in _STOP_TONES):
            return True
    return False


def is_well_formed(word: str) -> bool:
    """A Vietnamese syllable with its tone mark where Vietnamese writes it (old "hoà" or new "hòa" style).

    "Xã" is; the VNI spelling "Xaõ" (tone on the o) and "Phuù" are not.
    """
    if not is_vietnamese_syllable(word):
        return False
    lower = unicodedata.normalize("NFC", word.lower())
    marked = [index for index, char in enumerate(lower)
              if any(mark in _TONES for mark in unicodedata.normalize("NFD", char))]
    if not marked:
        return True
    base = unicodedata.normalize("NFC", "".join(char for char in unicodedata.normalize("NFD", lower)
                                                if char not in _TONES))
    return len(base) == len(lower) and marked[0] in _tone_positions(base)


def _tone_positions(base: str) -> set[int]:
    """Where the tone mark may sit in a toneless syllable (indexes into ``base``)."""
    positions = set()
    for onset in ONSETS:
        rhyme = base[len(onset):]
        if not base.startswith(onset) or rhyme not in RHYMES:
            continue
        nucleus = len(rhyme) - len(rhyme.lstrip(_VOWELS))
        modified = [index for index, char in enumerate(rhyme[:nucleus]) if char in _MODIFIED_VOWELS]
        if modified:
            choices = {modified[-1]}
        elif nucleus < len(rhyme) or nucleus == 1:
            choices = {nucleus - 1}
        elif nucleus == 2:
            choices = {0, 1} if rhyme in ("oa", "oe", "uy") else {0}
        else:
            choices = {1}
        positions |= {len(onset) + choice for choice in choices}
    return positions


def _table(encoding: str) -> dict[str, str]:
    if encoding == "tcvn3":
        return TCVN3
    if encoding == "vni":
        return VNI
    raise ValueError(f"bảng mã '{encoding}' không được hỗ trợ (dùng: {', '.join(ENCODINGS)})")


def _decode(text: str, encoding: str) -> str:
    _table(encoding)
    if encoding == "tcvn3":
        return "".join(_TCVN3_DECODE.get(char, char) for char in text)
    out, index = [], 0
    while index < len(text):
        pair = text[index:index + 2]
        if pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            index += 2
            continue
        out.append(_VNI_SINGLES.get(text[index], text[index]))
        index += 1
    return unicodedata.normalize("NFC", "".join(out))


def _fits(text: str, encoding: str) -> bool:
    """Only ASCII, characters of the encoding's table and neutral ones."""
    repertoire = _REPERTOIRE[encoding]
    return all(char.isascii() or char in repertoire or char in NEUTRAL for char in text)


def _has_strong(text: str, encoding: str) -> bool:
    strong = _STRONG[encoding]
    return any(char in strong for char in text)


def _reads_with_font(text: str, encoding: str) -> bool:
    """In a cell of a legacy font: a strong character, or words that become Vietnamese when decoded."""
    if not _fits(text, encoding):
        return False
    if _has_strong(text, encoding):
        return True
    # The font draws these characters as the legacy letters: what staff saw is the decoded text,
    # unless it reads worse as Vietnamese than the text as it stands.
    reading = _reading(text, encoding)
    return (reading is not None and reading.after >= reading.before
            and reading.after >= MIN_VALID_SHARE * reading.words)


class _Reading(NamedTuple):
    words: int  # words with a non-ASCII character
    before: int  # of them, well-formed Vietnamese syllables as they stand
    after: int  # well-formed once decoded
    gained: int  # well-formed once decoded and not before
    gained_letters: int


def _reading(text: str, encoding: str) -> _Reading | None:
    """How ``text`` reads before and after decoding; None when decoding leaves non-Vietnamese letters."""
    converted = _decode(text, encoding)
    if converted == text or any(not (char.isascii() or char in VIETNAMESE_LETTERS or char in NEUTRAL)
                                for char in converted):
        return None
    words = [word for word in _WORD[encoding].findall(text) if not word.isascii()]
    readings = [(is_well_formed(word), _decode(word, encoding)) for word in words]
    after = [(was, decoded) for was, decoded in readings if is_well_formed(decoded)]
    gained = [decoded for was, decoded in after if not was]
    return _Reading(len(words), sum(was for was, _ in readings), len(after), len(gained), sum(map(len, gained)))


def _plausibility(text: str, encoding: str) -> tuple[int, float] | None:
    """(words made Vietnamese, share of valid words) when ``text`` reads as ``encoding``, else None.

    With a strong character: most words (:data:`MIN_VALID_SHARE`) read as
    Vietnamese once decoded, one of them newly. Without one (every character is
    also a Unicode letter, VNI "Xaõ Phuù Laâm"): no word is Vietnamese as it
    stands and every word is once decoded.
    """
    if not _fits(text, encoding):
        return None
    reading = _reading(text, encoding)
    if reading is None or not reading.words:
        return None
    share = reading.after / reading.words
    strong = {char for char in text if char in _STRONG[encoding]}
    if strong and strong <= _UNIT_PREFIXES:  # "5 µm", "10 µg": a unit, unless several words read as Vietnamese
        plausible = reading.gained >= 2 and share == 1
    elif strong:  # "X· Giao Ninh" is Xã Giao Ninh
        plausible = reading.gained and share >= MIN_VALID_SHARE and reading.gained_letters >= 2
    else:  # "Xaõ Phuù Laâm"; not one letter ("â" stays)
        plausible = reading.gained and reading.after == reading.words and reading.gained_letters >= 2
    return (reading.gained, share) if plausible else None
