"""Reading a consolidation's inputs: every candidate read, identified and validated, then placed in its unit.

The reading half of :mod:`~kc_excel.consolidate.run`, shared with a round's ``receive`` and
``plan``, and free of the plan writer (``round receive`` does not import it):

- :func:`expected_units`: the province's units at a level, from the catalogue;
- :func:`read_all`: each file found in the result cache (:mod:`~kc_excel.consolidate.cache`,
  by SHA-256 and the name it was identified under) is not read again; the others are
  parsed, identified, template-checked and validated in sandboxed reader processes
  (:mod:`~kc_excel.consolidate.parallel`), each giving back one
  :class:`~kc_excel.consolidate.cache.Analysed`; a file the intake or a reader could not
  use keeps its file-level issue;
- :func:`place`: the parent sets each line's unit, file name and e-mail
  (:meth:`~kc_excel.models.PlanLine.placed`) and makes the :class:`~kc_excel.consolidate.core.SubmittedFile`;
  a file that could not be read gets only a file-name attribution;
- :func:`analyse`: both, for a list of candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from kc_excel.catalog import find_province, provinces, units_of
from kc_excel.consolidate.cache import Analysed, ResultCache
from kc_excel.consolidate.core import ExpectedUnit, SubmittedFile
from kc_excel.consolidate.identify import Identity, UnitMatcher
from kc_excel.consolidate.intake import Candidate
from kc_excel.consolidate.parallel import Validator, read_and_validate, start_readers
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

def expected_units(province: str, level: str) -> tuple[Any, dict[str, Any], str]:
    """(catalog province, its catalogue units by code, level ``xa``/``huyen``); UnknownNameError for a bad province."""
    level = LEVELS.get(level, level)
    era = "old" if level == "huyen" else "new"
    if fold(province) in NATIONWIDE:
        units = {u.code: u for p in provinces(era=era) for u in units_of(p, level=level)}
        return Nationwide(), units, level
    found = find_province(province, era=era)
    return found, {u.code: u for u in units_of(found, level=level)}, level


def analyse(candidates: list[Candidate], expected: list[ExpectedUnit], *, cache: ResultCache,
            catalog_units: dict[str, Any] | None = None, workers: int = 2, norms: dict | None = None,
            key: bytes | None = None, progress: Progress | None = None) -> list[SubmittedFile]:
    """Every candidate as a :class:`SubmittedFile`, cached ones without reading, in candidate order."""
    validator = Validator(expected, catalog_units or {}, norms, key)
    found = read_all(candidates, validator, cache=cache, workers=workers, progress=progress)
    return [place(candidate, analysed, validator.matcher) for candidate, analysed in zip(candidates, found)]


def read_all(candidates: list[Candidate], validator: Validator, *, cache: ResultCache, workers: int = 2,
             progress: Progress | None = None) -> list[Analysed]:
    """Every candidate as the cache, its intake error or a reader running ``validator`` gave it, in order."""
    readers = start_readers(validator, workers)
    found: dict[int, Analysed] = {}
    to_read: list[tuple[int, Candidate, str | None]] = []
    ticks = _Ticks(len(candidates), progress)
    try:
        for index, candidate in enumerate(candidates):
            sha = None if candidate.error else sha256_or_none(candidate.path, max_bytes=ReadLimits().max_file_bytes)
            analysed = _known(candidate, sha, cache)
            if analysed is None:
                to_read.append((index, candidate, sha))
                readers.start(len(to_read))  # a reader starts up while the other files are hashed
                continue
            found[index] = ticks(analysed)
        analysed_files = read_and_validate([(c.path, c.display, sha) for _, c, sha in to_read], readers)
        try:
            for (index, _, sha), analysed in zip(to_read, analysed_files):
                analysed.sha256 = analysed.sha256 or sha or ""
                if analysed.read_error is None:  # a timeout or crash may be transient: never cached
                    cache.put(analysed)
                found[index] = ticks(analysed)
        finally:
            analysed_files.close()  # its reading thread has stopped before the readers are closed
    finally:
        readers.close()
    return [found[i] for i in range(len(candidates))]


@dataclass
class _Ticks:
    """Counts the files done and tells ``progress`` (done, total)."""

    total: int
    progress: Progress | None
    done: int = 0

    def __call__(self, result: Analysed) -> Analysed:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)
        return result


def _known(candidate: Candidate, sha: str | None, cache: ResultCache) -> Analysed | None:
    """The file's result without reading it: from the cache, or its intake error; None: to be read."""
    analysed = cache.get(sha, candidate.display) if sha else None
    if analysed is None and candidate.error is not None:
        analysed = Analysed(sha256=sha or "", display=candidate.display, read_error=candidate.error,
                            issues=[make_issue(candidate.error, candidate.detail_vi, detail_en=candidate.detail_en,
                                               file=candidate.display)])
    return analysed


def place(candidate: Candidate, analysed: Analysed, matcher: UnitMatcher) -> SubmittedFile:
    """Place a file as its reader identified it: unit, provenance (file name, e-mail) and issue positions.

    A file that could not be read has no ``_kc``: only its file name may say whose it is."""
    identity = analysed.identity or _identity_from_name(candidate.display, matcher)
    issues = tuple(i.at(file=candidate.display) for i in analysed.issues)
    lines = [line.placed(unit_code=identity.unit_code, unit_name=identity.unit_name, file=candidate.display,
                          sha256=analysed.sha256, email_from=candidate.email_from, email_date=candidate.email_date)
             for line in analysed.lines]
    return SubmittedFile(path=candidate.display, sha256=analysed.sha256 or None, mtime=candidate.mtime,
                         unit_code=identity.unit_code, unit_name=identity.unit_name,
                         province_code=identity.province_code, year=identity.year, kind=identity.kind,
                         created=identity.created, lines=tuple(lines), row_count=analysed.row_count, issues=issues,
                         read_error=analysed.read_error, email_from=candidate.email_from,
                         email_date=candidate.email_date, identity=analysed.outcome, level=identity.level)


def _identity_from_name(display: str, matcher: UnitMatcher) -> Identity:
    unit = matcher.in_filename(display)
    return Identity(unit.code if unit else None, unit.name if unit else None, None, None, None, None)


__all__ = ["LEVELS", "NATIONWIDE", "Nationwide", "Progress", "analyse", "expected_units", "place", "read_all"]
