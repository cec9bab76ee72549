"""Consolidating a folder: intake → readers → the parent merges → the plan workbook.

:func:`consolidate_folder` is the one call of the CLI and the ribbon; a round's
``receive`` and ``plan`` use the same reading path (:mod:`~kc_excel.consolidate.reading`:
:func:`~kc_excel.consolidate.reading.read_all`, :func:`~kc_excel.consolidate.reading.place`,
:func:`~kc_excel.consolidate.reading.analyse`).

1. the expected units: the province's communes/wards (``level="xa"``, the
   new province) or, for plans before 2026, its pre-2025 districts
   (``level="huyen"``, the old province), from the catalogue; without a
   level, the one the files state (``_kc.cap_don_vi``: all ``huyen`` → districts);
2. the output lock is taken (a second run on the same output waits, then fails);
3. intake (:class:`~kc_excel.consolidate.intake.Intake`) lists the files and
   the spreadsheet attachments of ``.eml`` mails;
4. readers: each file found in the result cache (:mod:`~kc_excel.consolidate.cache`,
   by SHA-256 and the name it was identified under) is not read again; the others
   are parsed, identified, template-checked and validated in sandboxed reader
   processes (:mod:`~kc_excel.consolidate.parallel`), each giving back one
   :class:`~kc_excel.consolidate.cache.Analysed`; a file the intake or a reader
   could not use keeps its file-level issue and only a file-name attribution;
5. the parent merges: :func:`~kc_excel.consolidate.reading.place` sets each line's unit, file name and e-mail
   (:meth:`~kc_excel.models.PlanLine.placed`) and makes the :class:`SubmittedFile`;
   :func:`~kc_excel.consolidate.core.build_plan` decides, and the plan is
   written atomically (:mod:`~kc_excel.consolidate.safety`).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kc_excel.consolidate.cache import ResultCache, context_key, fingerprint
from kc_excel.consolidate.core import UNREADABLE, ExpectedUnit, Plan, SubmittedFile, build_plan
from kc_excel.consolidate.identify import canonical_code
from kc_excel.consolidate.intake import Candidate, Intake, Skipped
from kc_excel.consolidate import warm_readers
from kc_excel.consolidate.reading import Progress, analyse, expected_units
from kc_excel.consolidate.safety import LOCK_TIMEOUT_SECONDS, lock_path, output_lock
from kc_excel.consolidate.trust import stated_levels
from kc_excel.errors import InputError, UnknownNameError
from kc_excel.outputs import backup_path, make_way, write_atomically
from kc_excel.validation.issues import make_issue
from kc_excel.workbook.frame import Profile
from kc_excel.workbook.layout import Kind
from kc_excel.workbook.plan_book import write_plan


@dataclass
class Consolidation:
    plan: Plan
    output: Path | None
    files: int
    cache_hits: int = 0
    inventory: list[dict] = field(default_factory=list)
    """Every input (file, e-mail part, skipped entry) with what became of it: ``--json`` ``inputs``."""

    @property
    def read(self) -> int:
        """Files and e-mail parts read (with or without errors in their data)."""
        return sum(1 for entry in self.inventory if entry["status"] == READ)

    @property
    def left_out(self) -> int:
        """Inputs not read, each with its reason in ``Lỗi``: unreadable ones and shown skipped entries."""
        return sum(1 for entry in self.inventory if entry["status"] in (UNREADABLE, SKIPPED))


READ, SKIPPED, NOT_SHOWN = "Đọc được", "Bỏ qua", "Không phải bài nộp"


def inventory(results: list[SubmittedFile], skipped: list[Skipped]) -> list[dict]:
    """Every input with its fate: read, unreadable (with its code) or skipped (with the reason)."""
    entries = [{"entry": r.path, "status": READ if r.read_error is None else UNREADABLE, "unit": r.unit_code,
                "reason": r.read_error} for r in results]
    return entries + [{"entry": s.display, "status": SKIPPED if s.shown else NOT_SHOWN, "unit": None,
                       "reason": s.reason_vi} for s in skipped]


def consolidate_folder(folder: str | Path, *, province: str, year: int, output: str | Path | None,
                       level: str | None = None, recursive: bool = False, strict: bool = False,
                       workers: int = 2, cache_dir: Path | None = None, norms: dict | None = None,
                       norms_key: str = "", key: bytes | None = None, lock_timeout: float = LOCK_TIMEOUT_SECONDS,
                       progress: Progress | None = None, profile: Profile | None = None) -> Consolidation:
    """Consolidate the registrations in ``folder`` into the plan workbook ``output`` (None: no file).

    ``level`` None: the level the files state (``_kc.cap_don_vi``): district
    when every file that states one says ``huyen``, else commune; files of
    the other level are then rejected with one ``level-mismatch``. ``cache_dir`` None: no result cache;
    ``key``: the province key templates are signed with (None: this machine has none, see
    :func:`kc_excel.signing.load_key`); both come from the caller's settings (:mod:`kc_excel.settings`). ``profile``
    fills the document frame of the plan's first page (see :mod:`kc_excel.workbook.frame`).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"Không tìm thấy thư mục {folder}.", path=folder,
                         message_en=f"Folder not found: {folder}.")
    at = _Level(province, level or "commune", cache_dir, norms_key, key)
    out = Path(output) if output is not None else None
    warm_readers()  # before make_way and mail parsing start the fork server
    if out is not None:
        make_way(out, (Kind.PLAN,))  # only an earlier plan is replaced (and kept as .bak)
    exclude = () if out is None else (out, backup_path(out), lock_path(out))
    lock = output_lock(out, timeout=lock_timeout) if out is not None else nullcontext()
    with lock, Intake(folder, recursive=recursive, exclude=exclude) as intake:
        candidates = intake.collect()
        results = at.analyse(candidates, workers=workers, norms=norms, key=key, progress=progress)
        if level is None and stated_levels(results) == {"huyen"} and at.level != "huyen":
            district = _Level.at_district(province, cache_dir, norms_key, key)
            if district is not None:
                at, results = district, district.analyse(candidates, workers=workers, norms=norms, key=key)
        plan = build_plan(results, at.expected, province_code=canonical_code(at.province.code) or "",
                          province_name=at.province.name, year=year, level=at.level, strict=strict)
        plan.issues.extend(skipped_issues(intake.skipped))
        if out is not None:
            write_atomically(out, lambda temp: write_plan(plan, temp, profile=profile))
    return Consolidation(plan, out, len(candidates), at.cache.hits, inventory(results, intake.skipped))


class _Level:
    """The province's expected units at one level, and that level's result cache."""

    def __init__(self, province: str, level: str, cache_dir: Path | None, norms_key: str,
                 key: bytes | None) -> None:
        self.province, self.units, self.level = expected_units(province, level)
        self.expected = [ExpectedUnit(u.code, u.name) for u in self.units.values()]
        directory = cache_dir or None
        if directory is not None and self.level == "huyen":
            directory = Path(directory) / "huyen"  # each level keeps its own cache folder
        self.cache = ResultCache(directory, fingerprint(context_key(norms_key, self.expected, key)))

    @classmethod
    def at_district(cls, province: str, cache_dir: Path | None, norms_key: str, key: bytes | None) -> _Level | None:
        """The pre-2025 level, None when the province did not exist then (the files then stay mismatched)."""
        try:
            return cls(province, "district", cache_dir, norms_key, key)
        except UnknownNameError:
            return None

    def analyse(self, candidates: list[Candidate], **options: Any) -> list[SubmittedFile]:
        return analyse(candidates, self.expected, cache=self.cache, catalog_units=self.units, **options)


def skipped_issues(skipped: list[Skipped]) -> list:
    """``input-skipped`` (warning) for each shown skipped entry, at its name."""
    return [make_issue("input-skipped", s.reason_vi, detail_en=s.reason_en, file=s.display, value=s.display)
            for s in skipped if s.shown]


__all__ = ["Consolidation", "consolidate_folder", "inventory", "skipped_issues"]
