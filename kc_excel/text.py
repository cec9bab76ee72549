"""Vietnamese text: Unicode NFC, one tone-mark style, and folding for name matching.

Legacy 8-bit encodings (TCVN3/ABC, VNI) are converted in :mod:`kc_excel.legacy`.

- :func:`nfc` composes text (``"Hoa\\u0300"`` becomes ``"Hoà"``).
- :func:`normalize_tone` writes the mark on the main vowel in the "Hòa" style
  used by the official administrative-unit lists (``"Hoà"`` → ``"Hòa"``,
  ``"Thuỵ"`` → ``"Thụy"``), leaving syllables with a final consonant alone.
- :func:`fold` gives a matching key: no diacritics, ``đ`` → ``d``, lower case,
  single spaces. ``fold("Tỉnh  Đồng Nai") == "tinh dong nai"``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_VOWEL_MARKS = {
    # base: (grave, acute, hook, tilde, dot)
    "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ", "o": "òóỏõọ", "u": "ùúủũụ",
    "A": "ÀÁẢÃẠ", "E": "ÈÉẺẼẸ", "Y": "ỲÝỶỸỴ", "O": "ÒÓỎÕỌ", "U": "ÙÚỦŨỤ",
}
_MARK_OF = {ch: (base, i) for base, marks in _VOWEL_MARKS.items() for i, ch in enumerate(marks)}

# oà/oá/... uỳ/uý/... oè/oé/... at the end of a syllable (no final consonant),
# and not the "qu" consonant (quý keeps its mark on y).
_OLD_STYLE = re.compile(
    r"(?<![qQ])([oOuU])([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?![^\W\d_])"
)
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _move_mark(match: re.Match[str]) -> str:
    first, marked = match.group(1), match.group(2)
    base, mark = _MARK_OF[marked]
    if (first.lower(), base.lower()) not in _PAIRS:
        return match.group(0)
    return _VOWEL_MARKS[first][mark] + base


def normalize_tone(text: str) -> str:
    """NFC text with tone marks in the "Hòa" style (oà → òa, oè → òe, uỳ → ùy)."""
    return _OLD_STYLE.sub(_move_mark, nfc(text))


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """A matching key: no diacritics, lower case, single spaces, trimmed."""
    return _fold(str(text))


@lru_cache(maxsize=65_536)
def _fold(text: str) -> str:
    # Cached: the same headers, unit names and catalogue words are folded again for every row.
    return _SPACES.sub(" ", strip_diacritics(nfc(text)).lower()).strip()


def match_option(text: object, options: "tuple[str, ...] | list[str]") -> str | None:
    """The option of a closed list that ``text`` is, forgiving accents, case, spacing and tone-mark style
    ("cong don" → "Cộng dồn"); None for anything else ("Không cộng dồn (lấy năm cuối)" is not "Cộng dồn")."""
    key = fold(str(text))
    return next((option for option in options if fold(option) == key), None)


def clean(text: str) -> str:
    """Text as we store it: NFC, one tone style, trimmed, inner whitespace kept single."""
    return _SPACES.sub(" ", normalize_tone(text)).strip()


def readable(text: str) -> str:
    """Text as a message shows it: characters that print nothing (control, soft hyphen and other
    format characters, as old TCVN3/VNI text holds) become "�" (line breaks and tabs a space) instead of a ``\\xad`` escape."""
    return "".join(" " if ch.isspace() else "\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch
                   for ch in text)
