"""Where each unit of a round stands (pure): status, lateness, counts.

Statuses (one per expected unit):

- ``Đã duyệt``: a version was accepted (and not reopened);
- ``Có lỗi``: the latest version has errors (or cannot be read);
- ``Hợp lệ``: the latest version has none;
- ``Chưa nộp``: nothing received.

``days_late`` is counted on the unit's *first* version: whole days, in
Vietnam time (UTC+7), from the deadline to the day it was received; 0 when
on time, None when nothing was received. A unit is on time when its first
version came by the deadline, even if corrections came later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Sequence

from kc_excel.consolidate.core import HAS_ERRORS, MISSING, VALID
from kc_excel.consolidate.core import STATUSES_EN as PLAN_STATUSES_EN
from kc_excel.rounds.register import Approval, Version

ACCEPTED = "Đã duyệt"
STATUSES = (MISSING, HAS_ERRORS, VALID, ACCEPTED)
"""A unit's status in a round: the plan's words (:mod:`kc_excel.consolidate.core`), and Đã duyệt."""
STATUSES_EN = {**{status: PLAN_STATUSES_EN[status] for status in (MISSING, HAS_ERRORS, VALID)}, ACCEPTED: "Accepted"}
"""The statuses in English, for ``--lang en`` on screen (the register, the view and ``--json`` keep the contract's words)."""
VIETNAM = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class UnitStatus:
    code: str
    name: str
    status: str
    versions: list[Version]
    days_late: int | None
    approval: Approval | None

    @property
    def latest(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    @property
    def latest_valid(self) -> Version | None:
        return next((v for v in reversed(self.versions) if v.valid), None)

    @property
    def accepted(self) -> Version | None:
        if self.approval is None:
            return None
        return next((v for v in self.versions if v.number == self.approval.version), None)

    def to_json(self) -> dict[str, Any]:
        latest = self.latest
        return {"code": self.code, "name": self.name, "status": self.status, "versions": len(self.versions),
                "last_received": latest.received_at if latest else None, "days_late": self.days_late,
                "errors": latest.errors if latest else None,
                "accepted_version": self.approval.version if self.approval else None,
                "accepted_by": self.approval.accepted_by if self.approval else None,
                "accepted_at": self.approval.accepted_at if self.approval else None}


def vietnam_date(moment: str) -> date:
    """The calendar day in Vietnam of an ISO 8601 time (a time without offset is taken as UTC)."""
    when = datetime.fromisoformat(moment)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(VIETNAM).date()


def vietnam_text(moment: str | None) -> str | None:
    """An ISO 8601 time as staff read it, in Vietnam time: ``18/05/2021 09:00``."""
    if not moment:
        return None
    when = datetime.fromisoformat(moment)
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return when.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def days_late(received_at: str, deadline: date) -> int:
    return max(0, (vietnam_date(received_at) - deadline).days)


def unit_statuses(expected: Sequence[tuple[str, str]], versions: Sequence[Version],
                  approvals: dict[str, Approval], deadline: date) -> list[UnitStatus]:
    """One :class:`UnitStatus` per expected (code, name), in the given order."""
    by_unit: dict[str, list[Version]] = {}
    for version in versions:
        if version.unit_code is not None and version.number is not None:
            by_unit.setdefault(version.unit_code, []).append(version)
    statuses = []
    for code, name in expected:
        mine = sorted(by_unit.get(code, []), key=lambda v: v.number or 0)
        approval = approvals.get(code)
        if approval is not None:
            status = ACCEPTED
        elif not mine:
            status = MISSING
        else:
            status = VALID if mine[-1].valid else HAS_ERRORS
        late = days_late(mine[0].received_at, deadline) if mine else None
        statuses.append(UnitStatus(code, name, status, mine, late, approval))
    return statuses


def counts(statuses: Sequence[UnitStatus]) -> dict[str, int]:
    submitted = [s for s in statuses if s.versions]
    return {"expected": len(statuses), "submitted": len(submitted),
            "on_time": sum(1 for s in submitted if s.days_late == 0),
            "late": sum(1 for s in submitted if s.days_late),
            "missing": len(statuses) - len(submitted),
            "with_errors": sum(1 for s in statuses if s.status == HAS_ERRORS),
            "accepted": sum(1 for s in statuses if s.status == ACCEPTED)}


def days_to_deadline(deadline: date, today: date | None = None) -> int:
    """Days left until the deadline (negative: days past it), in Vietnam time."""
    today = today or datetime.now(VIETNAM).date()
    return (deadline - today).days
