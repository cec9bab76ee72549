"""Receiving inputs into a round: the consolidation's intake, sandboxed reader and validator, reused.

- :func:`gather`: PATHs (files, folders, ``.eml``, any mix) → intake candidates
  (:class:`~kc_excel.consolidate.intake.Intake`: a folder as ``consolidate``
  lists it; a single file through :meth:`Intake.entry`);
- :func:`read`: the candidates go the consolidation's one path
  (:func:`kc_excel.consolidate.reading.read_all`: read, identified and validated
  in the resource-limited readers, here by :class:`RoundValidator`; no result
  cache), are placed (:func:`kc_excel.consolidate.reading.place`) and judged as
  ``consolidate`` judges a file (:func:`~kc_excel.consolidate.core.build_plan`
  on that one file: another province, year or kind, no unit, errors);
- :func:`to_version`: what the register records of it.

For a version with errors the validator also keeps *every* line read, those
with an error too (:func:`line_records` marks each ``has_errors``), so the diff
to the next version shows what really changed; those lines never reach a plan
(``round plan`` reads the chosen files again, as ``consolidate`` does, and
takes no line of a version with errors).
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from kc_excel.consolidate.cache import Analysed, ResultCache
from kc_excel.consolidate.core import ExpectedUnit, SubmittedFile, UnitRow, build_plan
from kc_excel.consolidate.intake import EMAIL_EXTENSION, Candidate, Intake, is_ignored, scan
from kc_excel.consolidate.parallel import Validator
from kc_excel.consolidate.reading import place, read_all
from kc_excel.errors import InputError
from kc_excel.models import LINE_FIELDS, PlanLine
from kc_excel.validation.context import FileContext, Row
from kc_excel.validation.issues import Issue
from kc_excel.validation.lines import line_values, provenance
from kc_excel.workbook.layout import MONEY_KEYS, Meta


class RoundValidator(Validator):
    """The consolidation's validator; a version with errors also keeps every line read (for diffs)."""

    def __call__(self, data: Any, display: str, sha: str | None) -> Analysed:
        analysed = super().__call__(data, display, sha)
        if analysed.lines or not any(i.severity == "error" for i in analysed.issues):
            return analysed
        analysed.lines = [_line_read(row) for row in FileContext(data).rows]
        return analysed


def _line_read(row: Row) -> PlanLine:
    """The PlanLine of a row as read, an error on it or not: its values as parsed (a month 13, a negative
    amount kept as written; a cell that is no number blank, money 0), unchecked."""
    try:
        return PlanLine.as_read(**line_values(row))
    except (ValueError, TypeError, ArithmeticError):  # a value the parsers themselves refuse: its texts only
        texts = ("ten_de_an", "hoat_dong", "don_vi_thuc_hien", "co_so", "loai_hinh", "dia_diem", "don_vi_tinh",
                 "ghi_chu")
        values: dict[str, Any] = {key: row.text(key) for key in texts}
        values.update({key: row.amount(key) or 0 for key in MONEY_KEYS})
        values.update(ten_de_an=values["ten_de_an"] or "", hoat_dong=values["hoat_dong"] or "")
        return PlanLine.as_read(**values, **provenance(row))


@dataclass(frozen=True)
class Received:
    """One input after reading: the candidate, what consolidation makes of it, and its ``_kc``."""

    candidate: Candidate
    carrier: Path
    """The file as given (the ``.eml`` for an attachment): copied unchanged into ``nhan/``."""
    result: SubmittedFile
    row: UnitRow | None
    issues: tuple[Issue, ...]
    meta: dict[str, str]


def gather(paths: Sequence[str | Path], stack: ExitStack, *,
           exclude: Sequence[Path] = ()) -> tuple[list[tuple[Candidate, Path]], list[str]]:
    """Intake candidates of ``paths`` with the file each came in (the intakes close with ``stack``), and the
    inputs that gave none: lock and temporary files, e-mails without a spreadsheet attached, the round's own
    files (``exclude``: its ``SoTheoDoi.xlsx``)."""
    own = {Path(p).resolve() for p in exclude}
    found: list[tuple[Candidate, Path]] = []
    unused: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            intake = stack.enter_context(Intake(path, exclude=tuple(own)))
            taken = [(c, _carrier(path, c)) for c in intake.collect()]
            carriers = {carrier for _, carrier in taken}
            unused.extend(str(p) for p in scan(path) if p.suffix.lower() == EMAIL_EXTENSION and p not in carriers)
            found.extend(taken)
        elif path.is_file() and (is_ignored(path.name) or path.resolve() in own):
            unused.append(str(path))
        elif path.is_file():
            intake = stack.enter_context(Intake(path.parent))
            taken = [(c, path) for c in intake.entry(path, path.name)]
            unused.extend([] if taken else [str(path)])
            found.extend(taken)
        else:
            raise InputError(f"Không tìm thấy {path}.", path=path, message_en=f"Not found: {path}.")
    return found, unused


def _carrier(folder: Path, candidate: Candidate) -> Path:
    """The folder entry a candidate came from: itself, or the ``.eml`` it was attached to."""
    parts = candidate.display.split("/")
    for depth in range(1, len(parts) + 1):
        entry = folder.joinpath(*parts[:depth])
        if entry.suffix.lower() == EMAIL_EXTENSION and entry.is_file():
            return entry
    return candidate.path


def read(found: list[tuple[Candidate, Path]], expected: Sequence[ExpectedUnit], catalog_units: dict[str, Any], *,
         province_code: str, province_name: str, year: int, level: str, key: bytes | None,
         workers: int = 1) -> list[Received]:
    """Read, validate and judge every candidate (see the module docstring), in order."""
    validator = RoundValidator(expected, catalog_units, None, key)
    analysed = read_all([candidate for candidate, _ in found], validator, cache=ResultCache(None, ""),
                        workers=workers)
    received = []
    for (candidate, carrier), one in zip(found, analysed):
        result = place(candidate, one, validator.matcher)
        plan = build_plan([result], expected, province_code=province_code, province_name=province_name, year=year,
                          level=level)
        row = next((u for u in plan.units if u.file == result.path), None)  # None: skipped (another kind)
        issues = tuple(i for i in plan.issues if i.file == result.path)
        received.append(Received(candidate, carrier, result, row, issues, one.meta))
    return received


def line_record(line: PlanLine, has_errors: bool = False) -> dict[str, Any]:
    """A plan line as the register keeps it: JSON-ready, money integer đồng, quantity exact text, and
    whether an error is on its row."""
    record = {name: getattr(line, name) for name in LINE_FIELDS}
    if isinstance(record.get("so_luong"), Decimal):
        record["so_luong"] = str(record["so_luong"])
    record["sheet"], record["row"] = line.sheet, line.row
    record["has_errors"] = has_errors
    return record


def line_records(lines: Sequence[PlanLine], issues: Sequence[Issue]) -> list[dict[str, Any]]:
    """Every line read, as :func:`line_record`, marked ``has_errors`` when an error names its row."""
    faulty = {(i.sheet, i.row) for i in issues if i.severity == "error" and i.row is not None}
    return [line_record(line, (line.sheet, line.row) in faulty) for line in lines]


def received_time(candidate: Candidate) -> str:
    """The e-mail's ``Date:`` for an attachment, else the file's modification time (ISO 8601, offset)."""
    if candidate.email_date:
        try:
            return datetime.fromisoformat(candidate.email_date).isoformat()
        except ValueError:
            pass
    return datetime.fromtimestamp(candidate.mtime, tz=timezone.utc).isoformat(timespec="seconds")


def money_totals(lines: Sequence[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(int(line.get(key) or 0) for line in lines) for key in MONEY_KEYS}


def template_version(meta: dict[str, str]) -> str | None:
    return (meta.get(Meta.VERSION) or "").strip() or None
