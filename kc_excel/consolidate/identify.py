"""Which unit, province, year and kind a submitted file is.

The ``_kc`` sheet says it (``ma_don_vi``, ``ten_don_vi``, ``ma_tinh``, ``nam``,
``loai_bieu``, ``ngay_tao``). Only when the file carries no unit at all (a form
typed from scratch, an old template) is the unit looked for in the file name,
e.g. ``DangKy_Xa_Phu_Hoa_2026.xlsx`` or ``Huyện Tân Phú.xls``, and the warning
``unit-identified-by-filename`` says so. A name matching two units is not
guessed: the file stays unattributed (``unit-name-ambiguous`` names both).
Whether the ``_kc`` identity is genuine: :func:`verify_template`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

from kc_excel.consolidate.core import ExpectedUnit
from kc_excel.signing import IdentityCheck, check_identity
from kc_excel.text import fold
from kc_excel.validation.issues import Issue, Severity, make_issue
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
    level: str | None = None
    """``_kc.cap_don_vi`` (``huyen``, ``xa``) as the file states it."""


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
        self.by_name: dict[str, list[ExpectedUnit]] = {}
        """Folded full and short names → every unit answering to it (two when names differ only in tone marks)."""
        for unit in expected:
            folded = _words(unit.name).strip()
            for key in {folded, _short(folded)}:
                if key:
                    self.by_name.setdefault(key, []).append(unit)
                    self._keys.setdefault(key.split(" ", 1)[0], []).append((f" {key} ", unit))

    def code(self, code: str | None) -> ExpectedUnit | None:
        return self.by_code.get(canonical_code(code))

    def names(self, name: str | None) -> list[ExpectedUnit]:
        """Every unit whose folded name (full, else without its kind) is ``name``'s: none, one, or several."""
        if not name:
            return []
        folded = _words(name).strip()
        return self.by_name.get(folded) or self.by_name.get(_short(folded)) or []

    def name(self, name: str | None) -> ExpectedUnit | None:
        """The one unit of that name; None when no unit or several have it (never one picked silently)."""
        found = self.names(name)
        return found[0] if len(found) == 1 else None

    def code_in_filename(self, filename: str) -> ExpectedUnit | None:
        """The unit whose official code is a word of the file name (``DangKy_2026_26503_...``), if exactly one."""
        stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        found = {self.exact_codes[w].code: self.exact_codes[w] for w in _words(stem).split() if w in self.exact_codes}
        return next(iter(found.values())) if len(found) == 1 else None

    def in_filename(self, filename: str) -> ExpectedUnit | None:
        found = self.candidates_in_filename(filename)
        return found[0] if len(found) == 1 else None

    def candidates_in_filename(self, filename: str) -> list[ExpectedUnit]:
        """The units whose name (the longest found) or code is in the file name; several when it is ambiguous."""
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
            return []
        longest = max(length for length, _ in hits.values())
        return sorted((unit for length, unit in hits.values() if length == longest), key=lambda u: u.code)


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
    """Identity from ``_kc`` metadata, falling back to the file name for the unit only.

    A name (in ``_kc`` or the file name) that folds to several units is not
    guessed: the file stays unattributed with ``unit-name-ambiguous`` naming them.
    """
    unit_code = canonical_code(meta.get(Meta.UNIT_CODE))
    unit_name = (meta.get(Meta.UNIT_NAME) or "").strip() or None
    issues: tuple[Issue, ...] = ()
    if unit_code is not None:
        found = matcher.code(unit_code)
        unit_code, unit_name = (found.code, found.name) if found else (unit_code, unit_name)
    elif unit_name is not None and (named := matcher.names(unit_name)):
        unit_code, unit_name, issues = _by_name(named, unit_name, filename, "_kc")
    elif found_units := matcher.candidates_in_filename(filename):
        unit_code, unit_name, issues = _by_name(found_units, filename, filename, None)
        if unit_code is not None:
            issues = (make_issue("unit-identified-by-filename", f"tệp {filename} được tính cho {unit_name}",
                                 detail_en=f"file {filename} is counted for {unit_name}",
                                 file=filename, value=unit_code),)
    return Identity(
        unit_code=unit_code,
        unit_name=unit_name,
        province_code=canonical_code(meta.get(Meta.PROVINCE_CODE)),
        year=_year(meta.get(Meta.YEAR)),
        kind=(meta.get(Meta.KIND) or "").strip() or None,
        created=_created(meta.get(Meta.CREATED)),
        issues=issues,
        level=(meta.get(Meta.UNIT_LEVEL) or "").strip() or None,
    )


def _by_name(units: list[ExpectedUnit], claim: str, filename: str,
             sheet: str | None) -> tuple[str | None, str | None, tuple[Issue, ...]]:
    """(code, name, issues) of a name claim: the one unit, or nobody and ``unit-name-ambiguous``."""
    if len(units) == 1:
        return units[0].code, units[0].name, ()
    listing = "; ".join(f"{u.name} (mã {u.code})" for u in units)
    issue = make_issue("unit-name-ambiguous", f"“{claim}” có thể là {listing}",
                       detail_en=f"“{claim}” may be {listing}", file=filename, sheet=sheet,
                       value="; ".join(u.code for u in units))
    return None, None, (issue,)


@dataclass(frozen=True)
class Verdict:
    """The template identity check of one registration: its outcome (:data:`kc_excel.signing.SignatureOutcome`,
    or ``not-checked`` for another kind of workbook) and the issues saying so."""

    outcome: str
    issues: tuple[Issue, ...] = ()


def verify_template(meta: Mapping[str, str], filename: str, matcher: UnitMatcher, key: bytes | None) -> Verdict:
    """The template identity check (:mod:`kc_excel.signing`) of a registration, as issues.

    - unsigned (an older template): ``template-unsigned`` (warning, accepted);
    - older signed template (signature over the identity only):
      ``template-signed-legacy`` (warning), unless its unit name is not the
      catalogue's name of the signed unit (``template-identity-mismatch``);
    - ``_kc`` keys missing, renamed, repeated, extra, or a money unit other
      than the template's: ``layout-altered`` as an error;
    - signed, with the province key on this machine: a bad signature, a
      ``_kc`` edited to claim another unit or year, or a file renamed after
      another unit (a unit *code* in the file name, as in the names our
      templates get, differs from the signed one) is
      ``template-identity-mismatch`` (error);
    - signed, but this machine has no key: not verifiable, nothing said
      (copy ``province.key`` from the centre's machine to check).

    After ``layout-altered`` or ``template-identity-mismatch`` the file is
    credited to no unit (:func:`kc_excel.consolidate.core.build_plan`).
    """
    if (meta.get(Meta.KIND) or "dang-ky") != "dang-ky":
        return Verdict("not-checked")
    named = matcher.code_in_filename(filename)  # a unit name in free text is too weak a claim
    check = check_identity(meta, key, claimed_unit=named.code if named else None)
    where = {"file": filename, "sheet": "_kc"}
    if check.outcome == "legacy":
        check = _legacy_name(meta, matcher) or check
    if check.outcome == "unsigned":
        return Verdict("unsigned", (make_issue("template-unsigned", check.detail, detail_en=check.detail_en, **where),))
    if check.outcome == "legacy":
        return Verdict("legacy", (make_issue("template-signed-legacy", check.detail, detail_en=check.detail_en,
                                             **where),))
    if check.outcome == "altered":
        return Verdict("altered", (make_issue("layout-altered", check.detail, detail_en=check.detail_en,
                                              severity=Severity.ERROR, **where),))
    if check.outcome in ("bad-signature", "mismatch"):
        return Verdict(check.outcome, (make_issue("template-identity-mismatch", check.detail,
                                                  detail_en=check.detail_en, value=meta.get(Meta.IDENTITY),
                                                  **where),))
    return Verdict(check.outcome)


def _legacy_name(meta: Mapping[str, str], matcher: UnitMatcher) -> Any:
    """An older signature does not cover ``ten_don_vi``: it must then be the signed unit's own name."""
    unit = matcher.code(meta.get(Meta.UNIT_CODE))
    written = meta.get(Meta.UNIT_NAME) or ""
    if unit is None or fold(written) == fold(unit.name):
        return None
    return IdentityCheck("mismatch", f"tên đơn vị trong tệp là “{written}” nhưng biểu mẫu được cấp cho {unit.name}",
                         f"the file names the unit “{written}” but the template was issued to {unit.name}")
