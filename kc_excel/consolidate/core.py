"""The pure core of consolidation: per-file results → the provincial plan (Kế hoạch khuyến công tỉnh).

Nothing here touches the disk. The pipeline (:mod:`kc_excel.consolidate.run`)
reads and validates each file into a :class:`SubmittedFile`; :func:`build_plan`
then decides, for every unit the province expects:

- which file counts: the most trusted (:func:`~kc_excel.consolidate.trust.trust_rank`:
  a signed file is never superseded by an unsigned one), then the newest
  version by ``_kc.ngay_tao``, then file time (e-mail date for attachments),
  then name; older ones are ``Bị thay thế`` with a ``superseded-version`` warning, and
  two different files that only file time orders (one template sent twice) add
  ``version-order-uncertain`` naming both and their totals;
- files whose template identity failed (forged, neighbour's, edited ``_kc``)
  are credited to no unit; files of another level than the plan's
  (``_kc.cap_don_vi``) are rejected with one ``level-mismatch``; when every
  signed file fails its signature, one ``signing-key-mismatch`` says the key
  of this machine differs (:mod:`~kc_excel.consolidate.trust`);
- files of another province (``unit-not-in-province``) or year
  (``year-mismatch``) are rejected, and so are files attributed to no unit
  (``unit-unidentified``); kc workbooks of another kind (a programme, results,
  an earlier plan) are skipped with the warning ``not-a-registration``;
- units with no file are ``Chưa nộp`` (``unit-missing``), units whose only
  files cannot be read are ``Không đọc được``;
- lines are accepted from the used file only when it has no error (and, with
  ``strict=True``, no warning either);
- the same facility with the same activity in two units is flagged
  ``duplicate-across-units`` (a warning: the lines stay accepted).

Totals are conserved by construction: :attr:`Plan.lines` holds every accepted
line exactly once, and every total is an integer sum over it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from operator import attrgetter
from typing import Iterable, Sequence

from stdnum.vn import mst

from kc_excel.catalog import activity_name
from kc_excel.consolidate.trust import is_discredited, key_mismatch, level_mismatch, trust_rank
from kc_excel.models import PlanLine
from kc_excel.text import fold
from kc_excel.validation.issues import Issue, IssueCounts, Severity, make_issue
from kc_excel.validation.values import fmt_trieu
from kc_excel.workbook.layout import MONEY_KEYS, Kind

REGISTRATION_KIND = Kind.REGISTRATION

VALID = "Hợp lệ"
HAS_ERRORS = "Có lỗi"
MISSING = "Chưa nộp"
UNREADABLE = "Không đọc được"
SUPERSEDED = "Bị thay thế"
STATUSES = (VALID, HAS_ERRORS, MISSING, UNREADABLE, SUPERSEDED)
STATUSES_EN = {VALID: "Valid", HAS_ERRORS: "Has errors", MISSING: "Not sent", UNREADABLE: "Unreadable",
               SUPERSEDED: "Superseded"}
"""The statuses in English, for ``--lang en`` on screen (the workbook and ``--json`` keep the contract's words)."""
UNKNOWN_UNIT = "(không xác định)"


@dataclass(frozen=True)
class ExpectedUnit:
    """A unit of the province that should send a registration (xã/phường or, before 2025, huyện)."""

    code: str
    name: str


@dataclass(frozen=True)
class SubmittedFile(IssueCounts):
    """One submitted file after reading, identification and validation.

    ``lines`` are the file's lines as converted by validation (provenance
    set); ``issues`` every issue of the file (reading, identification,
    validation). ``read_error`` is the file-level code when the file could not
    be read at all. ``unit_code`` is the unit the file was attributed to
    (``None``: nobody); ``row_count`` the number of data rows in the file.
    """

    path: str
    sha256: str | None = None
    mtime: float = 0.0
    unit_code: str | None = None
    unit_name: str | None = None
    province_code: str | None = None
    year: int | None = None
    kind: str | None = None
    created: datetime | None = None
    lines: tuple[PlanLine, ...] = ()
    row_count: int = 0
    issues: tuple[Issue, ...] = ()
    read_error: str | None = None
    email_from: str | None = None
    email_date: str | None = None
    identity: str = "not-checked"
    """Outcome of the template identity check (:data:`kc_excel.signing.SignatureOutcome`)."""
    level: str | None = None
    """``_kc.cap_don_vi`` as the file states it (``xa``, ``huyen``)."""


@dataclass(frozen=True)
class UnitRow:
    """One row of ``TinhTrang`` (and of ``units`` in ``--json``)."""

    code: str | None
    name: str
    status: str
    file: str | None = None
    rows: int | None = None
    errors: int | None = None
    warnings: int | None = None
    created: datetime | None = None
    sha256: str | None = None
    expected: bool = True
    left_out: int | None = None
    """Integer đồng of the lines read from a file that was left out (status Có lỗi); None when not known."""

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "status": self.status, "file": self.file,
                "rows": self.rows, "errors": self.errors, "warnings": self.warnings}


@dataclass
class Plan(IssueCounts):
    """The consolidated plan: who sent what, every accepted line, every issue."""

    province_code: str
    province_name: str
    year: int
    level: str
    units: list[UnitRow] = field(default_factory=list)
    lines: list[PlanLine] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        """Integer đồng per money column over the accepted lines."""
        return {key: sum(map(attrgetter(key), self.lines)) for key in MONEY_KEYS}

    @property
    def rejected(self) -> bool:
        """True when a file was rejected or a used file has errors (exit code 1)."""
        return self.errors > 0 or any(u.status in (HAS_ERRORS, UNREADABLE) for u in self.units)


def _version_key(result: SubmittedFile) -> tuple:
    created = result.created.replace(tzinfo=None) if result.created else datetime.min
    return (trust_rank(result), created, result.mtime, result.path)


def _rejection(result: SubmittedFile, province_code: str, year: int,
               expected: dict[str, ExpectedUnit]) -> Issue | None:
    """Why a readable file cannot count for any expected unit (None: it can)."""
    where = {"file": result.path, "sheet": "_kc"}
    if result.kind and result.kind != REGISTRATION_KIND:
        vi, en = Kind.NAMES.get(result.kind, (f"loại biểu '{result.kind}'", f"kind '{result.kind}'"))
        return make_issue("not-a-registration", f"tệp là {vi}",
                          detail_en=f"the file is a {en}", value=result.kind, **where)
    if province_code and result.province_code and result.province_code != province_code:
        return make_issue("unit-not-in-province",
                          f"tệp thuộc tỉnh mã {result.province_code}, đang tổng hợp tỉnh mã {province_code}",
                          detail_en=f"the file is of province {result.province_code}, not {province_code}",
                          value=result.province_code, **where)
    if result.year is not None and result.year != year:
        return make_issue("year-mismatch", f"tệp ghi năm {result.year}, kế hoạch đang tổng hợp là năm {year}",
                          detail_en=f"the file is for {result.year}, the plan is for {year}",
                          value=result.year, **where)
    if result.unit_code is None:
        return make_issue("unit-unidentified", f"tệp {result.path}",
                          detail_en=f"file {result.path}", file=result.path)
    if result.unit_code not in expected:
        name = result.unit_name or result.unit_code
        return make_issue("unit-not-in-province",
                          f"{name} (mã {result.unit_code}) không thuộc danh sách đơn vị của tỉnh ở cấp này",
                          detail_en=f"{name} ({result.unit_code}) is not a unit of the province at this level",
                          value=result.unit_code, **where)
    return None


def _of_other_level(result: SubmittedFile, level: str) -> bool:
    return (result.level in ("xa", "huyen") and result.level != level
            and (result.kind or REGISTRATION_KIND) == REGISTRATION_KIND)


def _is_accepted(result: SubmittedFile, strict: bool) -> bool:
    return result.read_error is None and result.errors == 0 and not (strict and result.warnings)


def _row(result: SubmittedFile, code: str | None, name: str, status: str, *, expected: bool,
         strict: bool = False) -> UnitRow:
    errors, warnings = result.errors, result.warnings
    if strict and status == HAS_ERRORS:
        errors, warnings = errors + warnings, 0
    return UnitRow(code, name, status, result.path, result.row_count, errors, warnings,
                   result.created, result.sha256, expected)


def build_plan(files: Iterable[SubmittedFile], expected: Sequence[ExpectedUnit], *, province_code: str,
               province_name: str, year: int, level: str = "xa", strict: bool = False) -> Plan:
    """Consolidate per-file results into a :class:`Plan` (pure; see the module docstring)."""
    plan = Plan(province_code, province_name, year, level)
    files, key_issue = key_mismatch(list(files))
    plan.issues.extend([key_issue] if key_issue else [])
    per_unit, stray = _sort_files(plan, files, {u.code: u for u in expected}, province_code, year)
    for unit in expected:
        _consolidate_unit(plan, unit, per_unit.get(unit.code, []), strict)
    for result, status in stray:
        plan.units.append(_row(result, result.unit_code, result.unit_name or UNKNOWN_UNIT, status,
                               expected=False))
    plan.issues.extend(find_duplicates(plan.lines))
    return plan


def _sort_files(plan: Plan, files: list[SubmittedFile], by_code: dict[str, ExpectedUnit], province_code: str,
                year: int) -> tuple[dict[str, list[SubmittedFile]], list[tuple[SubmittedFile, str]]]:
    """(files per expected unit, files credited to no unit with their status); issues go to ``plan``."""
    per_unit: dict[str, list[SubmittedFile]] = defaultdict(list)
    stray: list[tuple[SubmittedFile, str]] = []
    other_level = [r for r in files if r.read_error is None and _of_other_level(r, plan.level)]
    level_issue, other_ids = level_mismatch(other_level, plan.level), {id(r) for r in other_level}
    for result in files:
        if result.read_error is not None:
            if result.unit_code in by_code:
                per_unit[result.unit_code].append(result)
            else:
                stray.append((result, UNREADABLE))
            plan.issues.extend(result.issues)
            continue
        problem = _rejection(result, province_code, year, by_code)
        if problem is not None and problem.code == "not-a-registration":
            plan.issues.append(problem)  # another kind of kc workbook (programme, results, a plan): skipped
            continue
        if is_discredited(result):  # forged, a neighbour's or an edited _kc: nobody's file
            plan.issues.extend(result.issues)
            stray.append((replace(result, unit_code=None, unit_name=None), HAS_ERRORS))
            continue
        shared = id(result) in other_ids  # level-mismatch: said once (below), counted in each file's row
        problem = level_issue if shared else problem
        if problem is not None:
            plan.issues.extend(result.issues if shared else [*result.issues, problem])
            stray.append((replace(result, issues=(*result.issues, problem)), HAS_ERRORS))
            continue
        per_unit[result.unit_code].append(result)
    plan.issues.extend([level_issue] if level_issue else [])
    return per_unit, stray


def _consolidate_unit(plan: Plan, unit: ExpectedUnit, results: list[SubmittedFile], strict: bool) -> None:
    readable = sorted((r for r in results if r.read_error is None), key=_version_key)
    unreadable = [r for r in results if r.read_error is not None]
    if not readable:
        if unreadable:
            first, *others = unreadable
            plan.units.append(_row(first, unit.code, unit.name, UNREADABLE, expected=True))
            plan.units.extend(_row(r, unit.code, unit.name, UNREADABLE, expected=False) for r in others)
        else:
            plan.units.append(UnitRow(unit.code, unit.name, MISSING))
            plan.issues.append(make_issue("unit-missing", f"{unit.name} (mã {unit.code}) chưa gửi phiếu đăng ký",
                                          detail_en=f"{unit.name} ({unit.code}) sent no registration",
                                          value=unit.code))
        return
    used, older = readable[-1], readable[:-1]
    accepted = _is_accepted(used, strict)
    row = _row(used, unit.code, unit.name, VALID if accepted else HAS_ERRORS, expected=True, strict=strict)
    plan.units.append(row if accepted else replace(row, left_out=sum(line.tong or 0 for line in used.lines)))
    plan.issues.extend(_strict(used.issues) if strict else used.issues)
    if accepted:
        plan.lines.extend(used.lines)
    for old in reversed(older):
        if _order_uncertain(old, used):
            plan.issues.append(_uncertain_order(old, used))
        plan.units.append(_row(old, unit.code, unit.name, SUPERSEDED, expected=False))
        plan.issues.append(make_issue("superseded-version", f"{old.path} được thay bằng {used.path}",
                                      detail_en=f"{old.path} is replaced by {used.path}",
                                      file=old.path, value=used.path))
    plan.units.extend(_row(r, unit.code, unit.name, UNREADABLE, expected=False) for r in unreadable)


def _order_uncertain(old: SubmittedFile, used: SubmittedFile) -> bool:
    """Two different files that only their file times order: the same trust and template creation time."""
    return old.sha256 != used.sha256 and _version_key(old)[:2] == _version_key(used)[:2]


def _uncertain_order(old: SubmittedFile, used: SubmittedFile) -> Issue:
    """``version-order-uncertain``: which file was used, which left out, and what the choice is worth."""
    money = [sum(line.tong for line in f.lines) for f in (used, old)]
    vi, en = (fmt_trieu(m) for m in money), (fmt_trieu(m, lang="en") for m in money)
    (used_vi, old_vi), (used_en, old_en) = vi, en
    return make_issue("version-order-uncertain",
                      f"dùng {used.path} (tổng {used_vi} triệu), bỏ {old.path} (tổng {old_vi} triệu)",
                      detail_en=f"{used.path} used (total {used_en} million), {old.path} left out "
                                f"(total {old_en} million)", file=old.path, value=used.path)


def _strict(issues: Iterable[Issue]) -> list[Issue]:
    """With --strict every warning of a used file counts as an error."""
    return [replace(i, severity=Severity.ERROR) for i in issues]


# --- across units -----------------------------------------------------------------


def facility_key(line: PlanLine) -> str | None:
    """Who a line supports: a valid tax code, else the folded name + commune; None if neither."""
    if line.ma_so_thue:
        digits = "".join(ch for ch in line.ma_so_thue if ch.isdigit())
        if _valid_tax_code(digits):
            return f"mst:{digits[:10]}" if len(digits) == 10 else f"mst:{digits}"
    if line.co_so and line.co_so.strip():
        return f"ten:{fold(line.co_so)}|{fold(line.dia_diem or '')}"
    return None


def _valid_tax_code(digits: str) -> bool:
    try:
        return bool(digits) and mst.is_valid(digits)
    except Exception:  # noqa: BLE001 - stdnum raises several types on odd input
        return False


def find_duplicates(lines: Sequence[PlanLine]) -> list[Issue]:
    """``duplicate-across-units`` for each line whose facility+activity an earlier unit already has."""
    first_seen: dict[tuple[str, str], PlanLine] = {}
    issues: list[Issue] = []
    for line in lines:
        key = facility_key(line)
        if key is None or line.file is None:
            continue
        seen = first_seen.setdefault((key, line.hoat_dong), line)
        if seen is line or seen.unit_code == line.unit_code:
            continue
        issues.append(_duplicate_issue(line, seen))
    return issues


def _duplicate_issue(line: PlanLine, seen: PlanLine) -> Issue:
    a, b = seen, line
    what, activity = line.co_so or line.ma_so_thue, activity_name(line.hoat_dong)
    detail = (f"{what} — {activity}: {b.unit_name} ({b.file}, dòng {b.row}) "
              f"và {a.unit_name} ({a.file}, dòng {a.row})")
    detail_en = (f"{what} — {activity}: {b.unit_name} ({b.file}, row {b.row}) "
                 f"and {a.unit_name} ({a.file}, row {a.row})")
    return make_issue("duplicate-across-units", detail, detail_en=detail_en, file=b.file, sheet=b.sheet,
                      row=b.row, value=line.ma_so_thue or line.co_so)
