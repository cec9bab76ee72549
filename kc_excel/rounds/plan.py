"""``round plan``: the provincial plan from the versions a round chose, written as ``consolidate`` writes it.

For each expected unit one version is chosen:

- its accepted version, else its latest valid one (with ``accepted_only``
  a valid but unaccepted version is left out with the error
  ``version-not-accepted``);
- a unit with only faulty versions: its latest one, so the plan lists it as
  ``Có lỗi`` with its issues and takes none of its lines;
- a unit that sent nothing: ``Chưa nộp``, as in ``consolidate``.

The chosen stored copies (``nhan/<sha256>``) are read, validated and
consolidated by the same code as ``consolidate`` (:func:`kc_excel.consolidate.reading.analyse`,
:func:`~kc_excel.consolidate.core.build_plan`,
:func:`~kc_excel.workbook.plan_book.write_plan`), so the totals equal those
of ``consolidate`` on those files. Provenance: each line's ``Tệp nguồn``
names the original file, the version and who accepted it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kc_excel.consolidate.cache import ResultCache, context_key, fingerprint
from kc_excel.consolidate.core import ExpectedUnit, SubmittedFile, Plan, build_plan
from kc_excel.consolidate.identify import canonical_code
from kc_excel.consolidate.intake import Candidate
from kc_excel.consolidate.reading import analyse
from kc_excel.consolidate.safety import output_lock
from kc_excel.outputs import make_way, write_atomically
from kc_excel.rounds.register import Version
from kc_excel.rounds.status import UnitStatus, vietnam_text
from kc_excel.validation.issues import make_issue
from kc_excel.workbook.layout import Kind
from kc_excel.workbook.plan_book import write_plan


@dataclass(frozen=True)
class Choice:
    status: UnitStatus
    version: Version
    used: bool
    """False: listed as left out (faulty, or not accepted with ``accepted_only``)."""


def choose(statuses: list[UnitStatus], *, accepted_only: bool = False) -> list[Choice]:
    """The version each unit contributes (see the module docstring); units with none are absent."""
    choices = []
    for status in statuses:
        chosen = status.accepted or (None if accepted_only else status.latest_valid)
        if chosen is not None:
            choices.append(Choice(status, chosen, True))
        elif status.versions:
            fallback = status.latest_valid or status.latest
            choices.append(Choice(status, fallback, False))
    return choices


def display_name(choice: Choice) -> str:
    """``DangKy.xlsx (lần 2; duyệt: an, 21/05/2026 09:00 giờ VN)``: the version and who accepted it, when."""
    version, approval = choice.version, choice.status.approval
    accepted = f"; duyệt: {approval.accepted_by}, {vietnam_text(approval.accepted_at)} giờ VN" \
        if approval is not None and approval.version == version.number else "; chưa duyệt"
    return f"{version.original_name} (lần {version.number}{accepted})"


def build_round_plan(current: Any, *, accepted_only: bool = False, workers: int = 2, key: bytes | None = None,
                     cache_dir: Path | None = None) -> tuple[Plan, list[Choice]]:
    """The plan of the round ``current`` (:class:`~kc_excel.rounds.service.Round`) and the choices made
    (``key``: the province key, None when this machine has none; ``cache_dir`` None: no result cache)."""
    choices = choose(current.statuses(), accepted_only=accepted_only)
    expected = [ExpectedUnit(u.code, u.name) for u in current.units.values()]
    candidates = [Candidate(current.folder / c.version.stored, display_name(c), 0.0, c.version.sender,
                            c.version.received_at) for c in choices]
    cache = ResultCache(cache_dir, fingerprint(context_key("", expected, key)))
    results = analyse(candidates, expected, cache=cache,
                      catalog_units=current.units, workers=workers, key=key)
    results = [_left_out(r, c) if not c.used and c.version.valid else r for r, c in zip(results, choices)]
    plan = build_plan(results, expected, province_code=canonical_code(current.province.code) or "",
                      province_name=current.province.name, year=current.info.year, level=current.level)
    return plan, choices


def _left_out(result: SubmittedFile, choice: Choice) -> SubmittedFile:
    """A valid version left out by ``accepted_only``: no lines, and the error that says why."""
    issue = make_issue("version-not-accepted", f"{choice.status.name}, lần {choice.version.number}",
                       detail_en=f"{choice.status.name}, version {choice.version.number}", file=result.path,
                       value=choice.version.number)
    return replace(result, lines=(), issues=(*result.issues, issue))


def write_round_plan(current: Any, output: str | Path, *, accepted_only: bool = False, workers: int = 2,
                     key: bytes | None = None, cache_dir: Path | None = None) -> tuple[Plan, list[Choice]]:
    """Build the plan and write it atomically to ``output`` (only an earlier plan is replaced)."""
    out = Path(output)
    make_way(out, (Kind.PLAN,))  # only an earlier plan is replaced (and kept as .bak)
    plan, choices = build_round_plan(current, accepted_only=accepted_only, workers=workers, key=key,
                                     cache_dir=cache_dir)
    with output_lock(out):
        write_atomically(out, lambda temp: write_plan(plan, temp))
    return plan, choices
