"""Name matching for catalogue lookups: provinces, units, activities.

Users type names every way: with or without diacritics, any case, extra
spaces, either tone-mark style (Hoà/Hòa), with or without a kind prefix
("Tỉnh", "Thành phố", "TP.", "Huyện", "Quận", "Thị xã", "TX", "Xã", "Phường",
"Đặc khu", "Thị trấn"). :class:`NameIndex` resolves such text to exactly one
entry, in tiers (full name, short name, code, alias), and raises
:class:`~kc_excel.errors.UnknownNameError` for no match (with close matches
from :mod:`difflib`) or for an ambiguous one (listing the codes). Diacritics
tell two units apart only when the user typed some: "thanh an" is both Xã
Thanh An and Xã Thạnh An, never one picked silently.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from kc_excel.errors import UnknownNameError
from kc_excel.text import fold, normalize_tone, strip_diacritics

T = TypeVar("T")

# Folded prefix spellings -> canonical folded kind. Single letters need a dot.
_KIND_SPELLINGS = {
    "thanh pho": "thanh pho", "tp": "thanh pho", "t.p": "thanh pho",
    "thi xa": "thi xa", "tx": "thi xa", "t.x": "thi xa",
    "thi tran": "thi tran", "tt": "thi tran", "t.t": "thi tran",
    "dac khu": "dac khu", "tinh": "tinh", "huyen": "huyen", "quan": "quan",
    "xa": "xa", "phuong": "phuong",
    "q.": "quan", "h.": "huyen", "p.": "phuong", "x.": "xa",
}
_PREFIX = re.compile(
    r"^(thanh pho|thi xa|thi tran|dac khu|tinh|huyen|quan|xa|phuong|t\.p|t\.x|t\.t|tp|tx|tt)"
    r"(?:\s*\.\s*|\s+)(?P<rest>\S.*)$"
    r"|^(?P<letter>[qhpx]\.)\s*(?P<rest2>\S.*)$"
)
# "Phường Phước Long (mã 25217)" and "25217 - Phường Phước Long" carry their code.
_CODE_SUFFIX = re.compile(r"\(\s*(?:ma\s*)?(\d+)\s*\)\s*$")
_CODE_PREFIX = re.compile(r"^(\d+)\s*[-–—:]\s*\S")


def squash(text: str) -> str:
    """A spaceless matching key: folded, letters and digits only (``"Bà Rịa - Vũng Tàu"`` → ``"bariavungtau"``)."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def split_kind(text: str) -> tuple[str | None, str]:
    """Split a folded kind prefix off: ``"TP. Biên Hoà"`` → ``("thanh pho", "bien hoa")``."""
    folded = fold(text)
    m = _PREFIX.match(folded)
    if not m:
        return None, folded
    if m.group("letter"):
        return _KIND_SPELLINGS[m.group("letter")], m.group("rest2").strip()
    return _KIND_SPELLINGS[m.group(1)], m.group("rest").strip()


def has_diacritics(text: str) -> bool:
    """Did the user type tone marks or letters like ă, đ? Only then may they tell two units apart."""
    return strip_diacritics(text) != text


def _accented(text: str) -> str:
    return " ".join(normalize_tone(text).lower().split())


def _same_accents(raw: str, hits: list[Entry[T]]) -> list[Entry[T]]:
    """The hits whose name matches ``raw`` diacritics included ("Đông Tiến" is not "Đồng Tiến")."""
    typed = _accented(raw)
    return [e for e in hits
            if typed in (_accented(e.short), _accented(e.full)) or typed.endswith(" " + _accented(e.short))]


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One matchable catalogue entry: its value and the names it answers to."""

    value: T
    code: str
    full: str
    short: str
    kind: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.full} (mã {self.code})"


class NameIndex(Generic[T]):
    """Resolve typed text to one entry; ``what`` names the entries in messages ("tỉnh", "xã, phường")."""

    def __init__(self, entries: Iterable[Entry[T]], what: str, what_en: str) -> None:
        self.entries = list(entries)
        self.what, self.what_en = what, what_en
        self._full: dict[str, list[Entry[T]]] = defaultdict(list)
        self._short: dict[str, list[Entry[T]]] = defaultdict(list)
        self._code: dict[str, list[Entry[T]]] = defaultdict(list)
        self._alias: dict[str, list[Entry[T]]] = defaultdict(list)
        for e in self.entries:
            self._full[squash(e.full)].append(e)
            self._short[squash(e.short)].append(e)
            self._code[e.code.strip().lstrip("0") or "0"].append(e)
            for a in {squash(a) for a in e.aliases} - {squash(e.full), squash(e.short)}:
                self._alias[a].append(e)

    def find(self, text: object) -> T:
        raw = "" if text is None else str(text).strip()
        if not raw:
            raise UnknownNameError(f"Chưa nhập tên {self.what}.", message_en=f"No {self.what_en} name given.")
        for hits in self._tiers(raw):
            unique = list({id(e): e for e in hits}.values())
            if len(unique) > 1 and has_diacritics(raw):  # "thanh an" may be Thanh An or Thạnh An: both
                unique = _same_accents(raw, unique) or unique
            if len(unique) == 1:
                return unique[0].value
            if unique:
                raise self._ambiguous(raw, unique)
        raise self._unknown(raw)

    def _tiers(self, raw: str) -> Iterable[list[Entry[T]]]:
        kind, rest = split_kind(raw)
        full_keys = {squash(raw)} | ({squash(f"{kind} {rest}")} if kind else set())
        yield [e for k in full_keys for e in self._full.get(k, [])]
        short = [e for k in {squash(rest), squash(raw)} for e in self._short.get(k, [])]
        if kind and len(short) > 1:
            short = [e for e in short if fold(e.kind) == kind] or short
        yield short
        labelled = _CODE_SUFFIX.search(fold(raw)) or _CODE_PREFIX.match(fold(raw))
        code = labelled.group(1) if labelled else fold(raw)
        if code.isdigit():
            yield self._code.get(code.lstrip("0") or "0", [])
        yield [e for k in {squash(rest), squash(raw)} for e in self._alias.get(k, [])]

    def _ambiguous(self, raw: str, hits: list[Entry[T]]) -> UnknownNameError:
        listing = "; ".join(e.label for e in hits)
        return UnknownNameError(
            f"“{raw}” khớp với nhiều {self.what}: {listing}. Hãy ghi đủ tên có dấu, kèm loại (ví dụ “Xã …”, “Phường …”), hoặc dùng mã.",
            suggestions=[e.full for e in hits],
            message_en=f"“{raw}” matches several {self.what_en}: {listing}. Write the full name with its diacritics and kind, or use the code.",
        )

    def _unknown(self, raw: str) -> UnknownNameError:
        close = self.suggest(raw)
        hint = f" Có phải: {', '.join(close)}?" if close else ""
        hint_en = f" Did you mean: {', '.join(close)}?" if close else ""
        return UnknownNameError(
            f"Không tìm thấy {self.what} “{raw}”.{hint}",
            suggestions=close,
            message_en=f"Unknown {self.what_en} “{raw}”.{hint_en}",
        )

    def suggest(self, raw: str, n: int = 5) -> list[str]:
        """Full names of the entries closest to ``raw`` (by folded short and full name)."""
        _, rest = split_kind(raw)
        keys: dict[str, Entry[T]] = {}
        for e in self.entries:
            keys.setdefault(fold(e.short), e)
            keys.setdefault(fold(e.full), e)
        found: list[str] = []
        for probe in (rest, fold(raw)):
            for key in difflib.get_close_matches(probe, list(keys), n=n, cutoff=0.6):
                if keys[key].full not in found:
                    found.append(keys[key].full)
        return found[:n]
