"""Consolidating a folder: intake → read (parallel, sandboxed) → validate → core → plan workbook.

:func:`consolidate_folder` is the one call the CLI and the ribbon make. Steps:

1. the expected units: the province's communes/wards (``level="xa"``, the
   new province) or, for plans before 2026, its pre-2025 districts
   (``level="huyen"``, the old province), from the catalogue;
2. the output lock is taken (a second run on the same output waits, then fails);
3. :class:`~kc_excel.consolidate.intake.Intake` lists the files (and the
   spreadsheet attachments of ``.eml`` mails);
4. each file's SHA-256 is looked up in the result cache; the others are read
   by :func:`kc_excel.workbook.reader.read_many` in resource-limited worker
   processes, and identified, validated and turned into plan lines
   (:func:`~kc_excel.validation.runner.validate_and_accept`) right there, in
   the same workers (:mod:`~kc_excel.consolidate.parallel`): this process
   receives compact results and only merges;
5. :func:`~kc_excel.consolidate.core.build_plan` decides, and the plan is
   written atomically (:mod:`~kc_excel.consolidate.safety`).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from kc_excel.consolidate.cache import Analysed, ResultCache, default_cache_dir, fingerprint
from kc_excel.consolidate.core import ExpectedUnit, FileResult, Plan, build_plan
from kc_excel.consolidate.identify import Identity, UnitMatcher, canonical_code, identify, template_issues
from kc_excel.consolidate.intake import Candidate, Intake
from kc_excel.consolidate.output import write_plan
from kc_excel.workbook.frame import Profile
from kc_excel.consolidate.parallel import Validator, read_and_validate, start_readers
from kc_excel.consolidate.safety import LOCK_TIMEOUT_SECONDS, backup_path, output_lock, write_atomically
from kc_excel.consolidate.warmup import start_readers_server
from kc_excel.errors import InputError, OutputError
from kc_excel.identity import load_key
from kc_excel.consolidate.lines import pack
from kc_excel.models import PlanLine
from kc_excel.text import fold
from kc_excel.validation.issues import make_issue
from kc_excel.workbook.limits import ReadLimits
from kc_excel.workbook.parse import sha256_or_none

NATIONWIDE = {"toan quoc", "ca nuoc", "all", "*"}
"""``--province "toàn quốc"``: every unit of the country is expected (a national roll-up; the stress benchmark)."""


@dataclass(frozen=True)
class Nationwide:
    code: str = ""
    name: str = "Toàn quốc"


LEVELS = {"commune": "xa", "xa": "xa", "district": "huyen", "huyen": "huyen"}
Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    plan: Plan
    output: Path | None
    files: int
    cache_hits: int = 0


def expected_units(province: str, level: str) -> tuple[Any, dict[str, Any], str]:
    """(catalog province, its catalogue units by code, level ``xa``/``huyen``); UnknownNameError for a bad province."""
    from kc_excel.catalog import find_province, units_of

    level = LEVELS.get(level, level)
    era = "old" if level == "huyen" else "new"
    if fold(province) in NATIONWIDE:
        from kc_excel.catalog import provinces

        units = {u.code: u for p in provinces(era=era) for u in units_of(p, level=level)}
        return Nationwide(), units, level
    found = find_province(province, era=era)
    return found, {u.code: u for u in units_of(found, level=level)}, level


def consolidate_folder(folder: str | Path, *, province: str, year: int, output: str | Path | None,
                       level: str = "commune", recursive: bool = False, strict: bool = False,
                       workers: int = 2, cache_dir: Path | None | bool = True, norms: dict | None = None,
                       norms_key: str = "", lock_timeout: float = LOCK_TIMEOUT_SECONDS,
                       progress: Progress | None = None, profile: Profile | None = None) -> Outcome:
    """Consolidate the registrations in ``folder`` into the plan workbook ``output`` (None: no file).

    ``profile`` fills the document frame of the plan's first page (see :mod:`kc_excel.workbook.frame`)."""
    start_readers_server()
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"Không tìm thấy thư mục {folder}.", path=folder,
                         message_en=f"Folder not found: {folder}.")
    catalog_province, units, level = expected_units(province, level)
    expected = [ExpectedUnit(u.code, u.name) for u in units.values()]
    out = Path(output) if output is not None else None
    if out is not None and out.exists():
        _refuse_to_overwrite_an_input(out)
    directory = default_cache_dir() if cache_dir is True else (cache_dir or None)
    cache = ResultCache(directory, fingerprint(norms_key))
    exclude = () if out is None else (out, backup_path(out))
    lock = output_lock(out, timeout=lock_timeout) if out is not None else nullcontext()
    with lock, Intake(folder, recursive=recursive, exclude=exclude) as intake:
        candidates = intake.collect()
        results = analyse(candidates, expected, cache=cache, catalog_units=units, workers=workers,
                          norms=norms, key=load_key(), progress=progress)
        plan = build_plan(results, expected, province_code=canonical_code(catalog_province.code) or "",
                          province_name=catalog_province.name, year=year, level=level, strict=strict)
        if out is not None:
            write_atomically(out, lambda temp: write_plan(plan, temp, profile=profile), keep_backup=True)
    return Outcome(plan, out, len(candidates), cache.hits)


def _refuse_to_overwrite_an_input(out: Path) -> None:
    """Only an earlier plan (``_kc.loai_bieu = ke-hoach``) may be replaced; never a submission or other file."""
    kind = None
    try:
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("_kc").to_python()
        kind = next((str(r[1]) for r in rows if len(r) > 1 and r[0] == "loai_bieu"), None)
    except Exception:  # noqa: BLE001 - not readable as a kc workbook: not a plan
        kind = None
    if kind != "ke-hoach":
        raise OutputError(f"Tệp {out} đã có và không phải kế hoạch tổng hợp do kc-excel ghi; không ghi đè. "
                          f"Chọn tên tệp kết quả khác.", path=out,
                          message_en=f"{out} exists and is not a plan written by kc-excel; not overwritten.")


def analyse(candidates: list[Candidate], expected: list[ExpectedUnit], *, cache: ResultCache,
            catalog_units: dict[str, Any] | None = None, workers: int = 2, norms: dict | None = None,
            key: bytes | None = None, progress: Progress | None = None) -> list[FileResult]:
    """Every candidate as a :class:`FileResult`, cached ones without reading, in candidate order."""
    matcher = UnitMatcher(expected)
    validator = Validator(expected, catalog_units or {}, norms)
    readers = start_readers(validator, workers)
    found: dict[int, FileResult] = {}
    to_read: list[tuple[int, Candidate, str | None]] = []
    done, total = 0, len(candidates)
    try:
        for index, candidate in enumerate(candidates):
            sha = None if candidate.error else sha256_or_none(candidate.path, max_bytes=ReadLimits().max_file_bytes)
            analysed = _known(candidate, sha, cache, matcher)
            if analysed is None:
                to_read.append((index, candidate, sha))
                readers.start(len(to_read))  # a reader starts up while the other files are hashed
                continue
            found[index] = _assemble(candidate, analysed, matcher, key)
            done += 1
            if progress:
                progress(done, total)
        items = [(candidate.path, candidate.display, sha) for _, candidate, sha in to_read]
        analysed_files = read_and_validate(items, validator, workers=workers, readers=readers)
        try:
            for (index, candidate, _), analysed in zip(to_read, analysed_files):
                if analysed.read_error is None:  # a timeout or crash may be transient: never cached
                    cache.put(analysed)
                found[index] = _assemble(candidate, analysed, matcher, key)
                done += 1
                if progress:
                    progress(done, total)
        finally:
            analysed_files.close()  # its reading thread has stopped before the readers are closed
    finally:
        readers.close()
    return [found[i] for i in range(len(candidates))]


def _known(candidate: Candidate, sha: str | None, cache: ResultCache, matcher: UnitMatcher) -> Analysed | None:
    """The file's result without reading it: from the cache, or its intake error; None: to be read."""
    analysed = cache.get(sha) if sha else None
    if analysed is not None:
        identity = identify(analysed.meta, candidate.display, matcher)
        if analysed.read_error is None and identity.unit_code != analysed.unit_hint:
            analysed = None
    if analysed is None and candidate.error is not None:
        analysed = Analysed(sha256=sha or "", read_error=candidate.error or "file-unreadable",
                            issues=[make_issue(candidate.error or "file-unreadable", file=candidate.display)])
    return analysed


def _assemble(candidate: Candidate, analysed: Analysed, matcher: UnitMatcher, key: bytes | None) -> FileResult:
    """Place an analysed file: identity, provenance (unit, file name, e-mail) and issue positions."""
    if analysed.read_error is None:
        identity = identify(analysed.meta, candidate.display, matcher)
        checks = template_issues(analysed.meta, candidate.display, matcher, key)
        issues = tuple(i.at(file=candidate.display) for i in (*identity.issues, *checks, *analysed.issues))
    else:
        identity = _identity_from_name(candidate.display, matcher)
        issues = tuple(i.at(file=candidate.display) for i in analysed.issues)
    lines = tuple(_place(line, candidate, analysed.sha256, identity) for line in analysed.lines)
    return FileResult(path=candidate.display, sha256=analysed.sha256 or None, mtime=candidate.mtime,
                      unit_code=identity.unit_code, unit_name=identity.unit_name,
                      province_code=identity.province_code, year=identity.year, kind=identity.kind,
                      created=identity.created, lines=lines, row_count=analysed.row_count, issues=issues,
                      read_error=analysed.read_error, email_from=candidate.email_from,
                      email_date=candidate.email_date)


def _identity_from_name(display: str, matcher: UnitMatcher) -> Identity:
    unit = matcher.in_filename(display)
    return Identity(unit.code if unit else None, unit.name if unit else None, None, None, None, None)


def _place(line: PlanLine, candidate: Candidate, sha256: str, identity: Identity) -> Any:
    """The packed line, its provenance set to the unit, the file as shown, and the e-mail."""
    return pack(line, unit_code=identity.unit_code, unit_name=identity.unit_name, file=candidate.display,
                sha256=sha256, email_from=candidate.email_from, email_date=candidate.email_date)


__all__ = ["Outcome", "analyse", "consolidate_folder", "expected_units"]
