"""Which unit, province, year and kind a submitted file is.

The ``_kc`` sheet says it (``ma_don_vi``, ``ten_don_vi``, ``ma_tinh``, ``nam``,
``loai_bieu``, ``ngay_tao``). Only when the file carries no unit at all (a form
typed from scratch, an old template) is the unit looked for in the file name,
e.g. ``DangKy_Xa_Phu_Hoa_2026.xlsx`` or ``Huyện Tân Phú.xls``, and the warning
``unit-identified-by-filename`` says so. A name matching two units is not
guessed: the file stays unattributed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Sequence

from kc_excel.consolidate.core import ExpectedUnit
from kc_excel.text import fold
from kc_excel.validation.issues import Issue, make_issue
from kc_excel.workbook.layout import Meta

_PREFIXES = ("thanh pho", "thi xa", "thi tran", "dac khu", "huyen", "quan", "phuong", "xa")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_INTEGER = re.compile(r"^\s*0*(\d+)(?:\.0+)?\s*$")


@dataclass(frozen=True)
class Identity:
    unit_code: str | None
    unit_name: str | None
    province_code: str | None
    year: int | None
    kind: str | None
    created: datetime | None
    issues: tuple[Issue, ...] = ()


def canonical_code(value: object) -> str | None:
    """``"00026"``, ``"26"`` and ``"26.0"`` are the same official code; other text is kept trimmed."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    match = _INTEGER.match(text)
    return match.group(1) if match else text


def _words(text: str) -> str:
    return " " + _NOT_WORD.sub(" ", fold(text)).strip() + " "


def _short(folded: str) -> str:
    for prefix in _PREFIXES:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1:]
    return folded


class UnitMatcher:
    """Finds an expected unit by code or name (metadata) or inside a file name."""

    def __init__(self, expected: Sequence[ExpectedUnit]) -> None:
        self.by_code = {canonical_code(u.code): u for u in expected}
        self.exact_codes = {u.code: u for u in expected}
        self._keys: dict[str, list[tuple[str, ExpectedUnit]]] = {}
        """Name keys by their first word (a file name is only compared with keys it could contain)."""
        self.by_name: dict[str, ExpectedUnit] = {}
        for unit in expected:
            folded = _words(unit.name).strip()
            self.by_name.setdefault(folded, unit)
            self.by_name.setdefault(_short(folded), unit)
            for key in {folded, _short(folded)}:
                if key:
                    self._keys.setdefault(key.split(" ", 1)[0], []).append((f" {key} ", unit))

    def code(self, code: str | None) -> ExpectedUnit | None:
        return self.by_code.get(canonical_code(code))

    def name(self, name: str | None) -> ExpectedUnit | None:
        if not name:
            return None
        folded = _words(name).strip()
        return self.by_name.get(folded) or self.by_name.get(_short(folded))

    def code_in_filename(self, filename: str) -> ExpectedUnit | None:
        """The unit whose official code is a word of the file name (``DangKy_2026_26503_...``), if exactly one."""
        stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        found = {self.exact_codes[w].code: self.exact_codes[w] for w in _words(stem).split() if w in self.exact_codes}
        return next(iter(found.values())) if len(found) == 1 else None

    def in_filename(self, filename: str) -> ExpectedUnit | None:
        stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        words = _words(stem)
        hits: dict[str, tuple[int, ExpectedUnit]] = {}
        for word in set(words.split()):
            for key, unit in self._keys.get(word, ()):
                if key in words:
                    best = hits.get(unit.code, (0, unit))[0]
                    hits[unit.code] = (max(best, len(key)), unit)
            unit = self.exact_codes.get(word) if word.isdigit() else None  # "2026" is no code "02026"
            if unit is not None:
                hits[unit.code] = (1000, unit)
        if not hits:
            return None
        longest = max(length for length, _ in hits.values())
        winners = [unit for length, unit in hits.values() if length == longest]
        return winners[0] if len(winners) == 1 else None


def _year(value: str | None) -> int | None:
    match = _INTEGER.match(value or "")
    return int(match.group(1)) if match else None


def _created(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def identify(meta: Mapping[str, str], filename: str, matcher: UnitMatcher) -> Identity:
    """Identity from ``_kc`` metadata, falling back to the file name for the unit only."""
    unit_code = canonical_code(meta.get(Meta.UNIT_CODE))
    unit_name = (meta.get(Meta.UNIT_NAME) or "").strip() or None
    issues: tuple[Issue, ...] = ()
    if unit_code is not None:
        found = matcher.code(unit_code)
        unit_code, unit_name = (found.code, found.name) if found else (unit_code, unit_name)
    elif unit_name is not None and (found := matcher.name(unit_name)) is not None:
        unit_code, unit_name = found.code, found.name
    elif (found := matcher.in_filename(filename)) is not None:
        unit_code, unit_name = found.code, found.name
        issues = (make_issue("unit-identified-by-filename", f"tệp {filename} được tính cho {found.name}",
                             detail_en=f"file {filename} is counted for {found.name}",
                             file=filename, value=found.code),)
    return Identity(
        unit_code=unit_code,
        unit_name=unit_name,
        province_code=canonical_code(meta.get(Meta.PROVINCE_CODE)),
        year=_year(meta.get(Meta.YEAR)),
        kind=(meta.get(Meta.KIND) or "").strip() or None,
        created=_created(meta.get(Meta.CREATED)),
        issues=issues,
    )


def template_issues(meta: Mapping[str, str], filename: str, matcher: UnitMatcher, key: bytes | None) -> tuple[Issue, ...]:
    """The template identity check (:mod:`kc_excel.identity`) of a registration, as issues.

    - unsigned (an older template): ``template-unsigned`` (warning, accepted);
    - signed, with the province key on this machine: a bad signature, a
      ``_kc`` edited to claim another unit or year, or a file renamed after
      another unit (a unit *code* in the file name, as in the names our
      templates get, differs from the signed one) is
      ``template-identity-mismatch`` (error: the file's lines are not taken);
    - signed, but this machine has no key: not verifiable, nothing said
      (copy ``province.key`` from the centre's machine to check).
    """
    from kc_excel.identity import check_identity

    if (meta.get(Meta.KIND) or "dang-ky") != "dang-ky":
        return ()
    signed = bool(meta.get(Meta.IDENTITY) and meta.get(Meta.SIGNATURE))
    if signed and key is None:
        return ()
    named = matcher.code_in_filename(filename)  # a unit name in free text is too weak a claim
    check = check_identity(meta, key, claimed_unit=named.code if named else None)
    where = {"file": filename, "sheet": "_kc"}
    if check.outcome == "unsigned":
        return (make_issue("template-unsigned", check.detail, detail_en="no identity or signature", **where),)
    if check.outcome in ("bad-signature", "mismatch"):
        return (make_issue("template-identity-mismatch", check.detail, detail_en=check.outcome,
                           value=meta.get(Meta.IDENTITY), **where),)
    return ()
