"""The runner: every registered rule over a workbook, issues collected, sorted and capped.

- :func:`validate_workbook` checks a :class:`~kc_excel.workbook.data.WorkbookData`
  already read; the reader's own issues (layout-altered, legacy-encoding, …)
  come first into the same report.
- :func:`validate_file` reads a file (in the reader's resource-limited child
  process) and validates it; a file that cannot be used becomes a one-issue
  report with its file-level code.
- :func:`lines_of` turns the accepted rows (no error on the row) into
  :class:`~kc_excel.models.PlanLine` values in integer đồng with provenance.
- :func:`check_row` checks one registration row given in template column
  order (for the ``KC_KIEMTRA`` formula).

Issues are sorted by (sheet in workbook order, row, column) and capped at
:data:`MAX_ISSUES` per file (``Report.truncated`` tells).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from kc_excel.errors import ConfigError, FileLevelError
from kc_excel.validation.context import FileContext, Row
from kc_excel.validation.inchild import ValidateInChild
from kc_excel.validation.issues import CODES, Issue, Report, Severity, make_issue
from kc_excel.validation.registry import registered
from kc_excel.workbook.data import Cell, Record, Table, WorkbookData
from kc_excel.workbook.layout import REGISTRATION, Kind, Meta
from kc_excel.workbook.parse import sha256_or_none
from kc_excel.workbook.reader import ReadLimits, read_many

MAX_ISSUES = 10_000


def validate_workbook(data: WorkbookData, *, norms: dict | None = None, expected_year: int | None = None,
                      unit: Any = None, limit: int = MAX_ISSUES) -> Report:
    """Run every rule for the workbook's kind; return the sorted, capped report.

    ``norms`` replaces the default support norms (``--norms FILE``);
    ``expected_year`` is the plan year being checked (``year-mismatch``);
    ``unit`` is the submitting unit when known from outside the file (a
    catalogue ``Unit`` or its code/name) and then replaces ``_kc`` for the
    location checks.
    """
    ctx = FileContext(data, norms=norms, expected_year=expected_year, unit=unit)
    return _validate(ctx, limit)


def validate_and_accept(data: WorkbookData, *, norms: dict | None = None, expected_year: int | None = None,
                        unit: Any = None, limit: int = MAX_ISSUES) -> tuple[Report, list]:
    """:func:`validate_workbook` and, when the report is valid, :func:`lines_of` in one pass.

    The accepted lines are built from the rows validation already parsed (one
    parse per cell instead of two); same report, same lines.
    """
    ctx = FileContext(data, norms=norms, expected_year=expected_year, unit=unit)
    report = _validate(ctx, limit)
    return report, (_accepted(ctx, report) if report.valid else [])


def _validate(ctx: FileContext, limit: int) -> Report:
    data = ctx.data
    kept: dict[Severity, list[Issue]] = {Severity.ERROR: [], Severity.WARNING: []}
    tally = {Severity.ERROR: 0, Severity.WARNING: 0}
    _collect(kept, data.issues, limit, tally)
    kind = ctx.kind
    if kind is not None:
        row_rules = registered(scope="row", kind=kind)
        for row in ctx.rows:
            for entry in row_rules:
                _collect(kept, entry.func(row), limit, tally)
        for entry in registered(scope="file", kind=kind):
            _collect(kept, entry.func(ctx), limit, tally)
    order = _order(data)
    listed = [*sorted(kept[Severity.ERROR], key=order), *sorted(kept.get(Severity.WARNING, []), key=order)]
    report = Report(limit=limit)
    report.add(sorted(listed[:limit], key=order))  # when cut: the first errors by position, then warnings
    report.truncated = report.truncated or sum(tally.values()) > limit
    if report.truncated:  # the list is cut, the counts are not (2.858 errors are never "2857 lỗi")
        report.found = (tally[Severity.ERROR], tally[Severity.WARNING])
    return report


def _collect(kept: dict, issues: Iterable[Issue], limit: int, tally: dict) -> None:
    """Keep up to ``limit + 1`` issues of each severity (errors are listed before warnings when the list is
    cut), count every one by severity."""
    for issue in issues:
        tally[issue.severity] = tally.get(issue.severity, 0) + 1
        same = kept.setdefault(issue.severity, [])
        if len(same) <= limit:
            same.append(issue)


def _order(data: WorkbookData):
    sheets = {name: i for i, name in enumerate(data.sheet_names)}

    def key(issue: Issue) -> tuple[int, int, int, str]:
        sheet = -1 if issue.sheet is None else sheets.get(issue.sheet, len(sheets))
        return sheet, issue.row or 0, _column_number(issue.cell), issue.code

    return key


def _column_number(cell: str | None) -> int:
    number = 0
    for ch in (cell or "").lstrip("$"):
        if not ch.isalpha():
            break
        number = number * 26 + ord(ch.upper()) - 64
    return number


# --- files ---------------------------------------------------------------------------------

@dataclass
class ValidatedFile:
    """One file's validation: what the CLI, the ribbon and consolidation need about it."""

    path: str
    sha256: str | None
    report: Report
    data: WorkbookData | None = None

    @property
    def kind(self) -> str | None:
        kind = FileContext(self.data).kind if self.data is not None else None
        return kind if kind in Kind.ALL else None

    @property
    def unit(self) -> dict[str, str] | None:
        meta = self.data.meta if self.data is not None else {}
        fields = {"code": meta.get(Meta.UNIT_CODE), "name": meta.get(Meta.UNIT_NAME),
                  "level": meta.get(Meta.UNIT_LEVEL), "province_code": meta.get(Meta.PROVINCE_CODE)}
        return {k: v for k, v in fields.items() if v} or None

    @property
    def file_level(self) -> bool:
        """True when the file could not be used at all (a file-level issue)."""
        return any(CODES[i.code].file_level for i in self.report.issues if i.code in CODES)

    @property
    def valid(self) -> bool:
        return self.report.valid

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "kind": self.kind, "unit": self.unit,
                "valid": self.valid, "errors": self.report.errors, "warnings": self.report.warnings,
                "truncated": self.report.truncated, "cut": self.report.cut_notice(Path(self.path).name),
                "issues": [i.to_json() for i in self.report.issues]}


def validate_file(path: str | Path, *, norms: dict | None = None, expected_year: int | None = None,
                  unit: Any = None, limits: Any = None, limit: int = MAX_ISSUES) -> ValidatedFile:
    """Read and validate one file in a resource-limited child; a file-level problem is a one-issue report."""
    return validate_files([path], norms=norms, expected_year=expected_year, unit=unit, limits=limits, workers=1,
                          limit=limit)[0]


def validate_files(paths: Iterable[str | Path], *, norms: dict | None = None, expected_year: int | None = None,
                   workers: int = 2, unit: Any = None, limits: Any = None,
                   limit: int = MAX_ISSUES) -> list[ValidatedFile]:
    """Read and validate several files in the reader's child processes (reading and rules under the same
    per-file memory, CPU and time limits as ``consolidate``), in input order; at most ``limit`` issues
    listed per file (the counts stay exact)."""
    task = ValidateInChild(norms=norms, expected_year=expected_year, unit=unit, limit=limit)
    paths = list(paths)
    results = []
    outcomes = read_many([Path(p) for p in paths], workers=workers, limits=limits or ReadLimits(), task=task)
    for path, (_, outcome) in zip(paths, outcomes):
        if isinstance(outcome, FileLevelError):
            results.append(_unread(outcome, path))
            continue
        data, report = outcome
        results.append(ValidatedFile(str(path), data.sha256, report, data))
    return results


def _unread(error: FileLevelError, path: str | Path) -> ValidatedFile:
    """A file the reader could not use: its one file-level issue, unless it is a norms workbook (checked so)."""
    report = Report()
    if error.code == "not-a-kc-workbook" and _is_norms(path):
        report.add(_norms_issues(path))
    else:
        report.add([file_issue(error, path)])
    return ValidatedFile(str(path), sha256_or_none(path), report)


VALIDATED_KINDS = (Kind.REGISTRATION, Kind.PROGRAMME, Kind.RESULTS)
def check_by_kind(data: WorkbookData, **options: Any) -> Report:
    """Each kind by its own rules: registration, programme, results (the rules); any other file is refused
    with what it is (``kind-not-validated``, exit 2) instead of called valid. Norms workbooks, which the
    reader declines, are checked by the norms reader (:func:`_unread`)."""
    kind = FileContext(data).kind
    if kind in VALIDATED_KINDS:
        return validate_workbook(data, **options)
    report = Report()
    vi, en = Kind.NAMES.get(kind, (f"loại biểu '{kind}'", f"kind '{kind}'")) if kind else \
        ("không có bảng của biểu mẫu nào", "no table of any template")
    report.add([*data.issues, make_issue("kind-not-validated", f"tệp là {vi}" if kind else vi,
                                         detail_en=f"the file is: {en}" if kind else en, file=data.path)])
    return report


def _is_norms(path: str | Path) -> bool:
    # heavy: norms_file imports openpyxl (+0.2 s), which validate's parent needs only for a declined file
    from kc_excel.catalog.norms_file import looks_like_norms

    return looks_like_norms(Path(path))


def _norms_issues(path: str | Path) -> list[Issue]:
    # heavy: as in _is_norms
    from kc_excel.catalog.norms_file import load_norms_in_force

    try:
        load_norms_in_force(path)  # the reader's file checks and limits, then the norms rules
    except ConfigError as problem:
        return [make_issue("norms-invalid", str(problem), detail_en=problem.message_en or "", file=str(path))]
    except Exception as problem:  # noqa: BLE001 - openpyxl on a hostile file: the file's fault, said so
        return [make_issue("file-unreadable", f"tệp định mức không đọc được ({problem.__class__.__name__})",
                           detail_en=f"the norms workbook cannot be read ({problem.__class__.__name__})",
                           file=str(path))]
    return []


def file_issue(error: FileLevelError, path: str | Path) -> Issue:
    """The one issue of a file that cannot be used, with the reader's specific detail."""
    code = error.code if error.code in CODES else "file-unreadable"
    return make_issue(code, _detail(error.message, code, "vi", path), detail_en=_detail(error.message_en, code, "en", path),
                      file=str(path))


def _detail(message: str, code: str, lang: str, path: str | Path) -> str:
    """The part of a reader message beyond the code's own title and fix ("(…)" detail), else ""."""
    info = CODES[code]
    fix = info.fix_en if lang == "en" else info.fix_vi
    text = message.strip()
    text = text[: -len(fix)].strip() if fix and text.endswith(fix) else text
    if "(" in text and text.rstrip(".").endswith(")"):
        return text[text.index("(") + 1: text.rstrip(".").rindex(")")]
    name = Path(path).name
    title = (info.title_en if lang == "en" else info.title_vi).lower()
    plain = text.rstrip(".")
    return "" if plain.lower() in (f"tệp {name}: {title}", f"file {name}: {title}") else plain


# --- plan lines ------------------------------------------------------------------------------

def lines_of(data: WorkbookData, report: Report) -> list:
    """The accepted rows of ``DangKy`` as PlanLines (integer đồng, with provenance).

    A row with an error in ``report`` (from :func:`validate_workbook` of the
    same data) is left out; warnings do not block. A truncated report accepts
    nothing: its rows were not all checked.
    """
    return _accepted(FileContext(data), report)


def _accepted(ctx: FileContext, report: Report) -> list:
    # heavy: validation.lines imports every rule module, the catalogue and pydantic (~0.15 s), which validate's parent never needs
    from kc_excel.validation.lines import plan_line

    if report.truncated:
        return []
    rejected = {(i.sheet, i.row) for i in report.issues if i.severity == Severity.ERROR and i.row is not None}
    return [plan_line(row) for row in ctx.rows if (row.sheet, row.number_row) not in rejected]


# --- one row (KC_KIEMTRA) --------------------------------------------------------------------

def check_row(values: list, *, row: int = 1, meta: dict[str, str] | None = None,
              norms: dict | None = None) -> list[Issue]:
    """Issues of one registration row given in template column order (A = STT … R = Ghi chú).

    No file or sheet context: cells are the template's column letters on
    ``row`` (e.g. ``K1``); ``meta`` (``_kc`` entries) enables the location checks.
    """
    flat = _flatten(values)
    header_cells = {key: Cell("", 0, i + 1, column.header) for i, (key, column)
                    in enumerate(zip(REGISTRATION.keys, REGISTRATION.columns))}
    cells = {key: Cell("", row, i + 1, flat[i] if i < len(flat) else None)
             for i, key in enumerate(REGISTRATION.keys)}
    table = Table(layout=REGISTRATION, sheet="", header_row=0, columns=header_cells,
                  records=[Record("", row, cells)])
    data = WorkbookData(path="", sha256="", format="", sheet_names=[], meta=dict(meta or {}),
                        tables={Kind.REGISTRATION: table})
    report = validate_workbook(data, norms=norms)
    return [i.at(sheet=None, file=None) for i in report.issues]


def _flatten(values: Any) -> list:
    if isinstance(values, (list, tuple)) and len(values) == 1 and isinstance(values[0], (list, tuple)):
        return list(values[0])
    return list(values) if isinstance(values, (list, tuple)) else [values]


__all__ = ["MAX_ISSUES", "Row", "ValidatedFile", "check_row", "file_issue", "lines_of",
           "validate_and_accept", "validate_file", "validate_files", "validate_workbook"]
