"""The round's operations, one call per CLI command (no I/O beyond the round folder; no adapter).

Every operation that changes the register holds :func:`~.register.write_lock`
and ends by rewriting ``SoTheoDoi.xlsx`` (:mod:`.view`); read-only ones
rewrite the view too (under the same lock), so the workbook staff open is
never older than the register.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from kc_excel.catalog import find_unit
from kc_excel.consolidate.core import UNREADABLE, ExpectedUnit
from kc_excel.consolidate.identify import canonical_code
from kc_excel.consolidate import warm_readers
from kc_excel.consolidate.reading import expected_units
from kc_excel.errors import ConfigError
from kc_excel.outputs import write_atomically
from kc_excel.i18n import tr
from kc_excel.rounds import register, who  # noqa: F401 - who: re-exported for the adapters
from kc_excel.rounds.diff import Diff, diff_versions
from kc_excel.rounds.receive import gather, line_records, money_totals, read, received_time, template_version
from kc_excel.rounds.register import LogEntry, RoundInfo, Version
from kc_excel.rounds.status import UnitStatus, counts, unit_statuses
from kc_excel.rounds.view import VIEW, write_view
from kc_excel.validation.issues import CODES, Issue, make_issue
from kc_excel.workbook.layout import Kind
from kc_excel.workbook.parse import sha256_of, sha256_or_none

RECEIVED_FOLDER = "nhan"
"""The round's workbook for staff (:mod:`.view`); never taken as an input."""
LEVELS = {"commune": "xa", "district": "huyen"}


@dataclass
class Round:
    """An open round: its folder, register connection, settings and expected units."""

    folder: Path
    db: sqlite3.Connection
    info: RoundInfo
    province: Any
    units: dict[str, Any]

    @property
    def level(self) -> str:
        return LEVELS[self.info.level]

    @property
    def deadline(self) -> date:
        return date.fromisoformat(self.info.deadline)

    def expected(self) -> list[tuple[str, str]]:
        return [(u.code, u.name) for u in self.units.values()]

    def unit(self, text: str) -> Any:
        """A unit of the round by name in any spelling or by code (UnknownNameError otherwise)."""
        return find_unit(self.province, text, level=self.level)

    def statuses(self) -> list[UnitStatus]:
        return unit_statuses(self.expected(), register.versions(self.db), register.approvals(self.db), self.deadline)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Round:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load(folder: str | Path) -> Round:
    folder = Path(folder)
    db = register.connect(folder)
    info = register.round_info(db)
    province, units, _ = expected_units(info.province, info.level)
    return Round(folder, db, info, province, units)


def open_round(folder: str | Path, *, province: str, year: int, deadline: date, level: str, by: str) -> Round:
    """Create the round folder's register (ConfigError if it already is a round)."""
    folder = Path(folder)
    found, _, _ = expected_units(province, level)  # an unknown province fails before anything is written
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RECEIVED_FOLDER).mkdir(exist_ok=True)
    with register.write_lock(folder):
        db = register.connect(folder, create=True)
        try:
            register.open_round(db, RoundInfo(found.name, canonical_code(found.code), year, level,
                                              deadline.isoformat(), register.now(), by))
        except BaseException:
            db.close()
            raise
        db.close()
    current = load(folder)
    refresh_view(current)
    return current


# --- receive ------------------------------------------------------------------------------------

@dataclass
class ReceiveOutcome:
    recorded: list[Version] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    """Inputs whose bytes were already recorded (nothing new)."""
    ignored: list[str] = field(default_factory=list)
    """Inputs that hold nothing to record: lock or temporary files, e-mails without a spreadsheet attached."""
    diffs: list[tuple[Version, Diff]] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(not v.valid or v.unit_code is None for v in self.recorded)


def receive(current: Round, paths: Sequence[str | Path], *, by: str, workers: int = 1,
            key: bytes | None = None) -> ReceiveOutcome:
    """Record every new input of ``paths``: copy into ``nhan/``, then one transaction per input (``key``:
    the province key the templates are signed with, None when this machine has none)."""
    outcome = ReceiveOutcome()
    warm_readers()  # before mail parsing starts the fork server
    with ExitStack() as stack:
        found, outcome.ignored = gather(paths, stack, exclude=[current.folder / VIEW])
        fresh = [(c, carrier) for c, carrier in found if not _known_bytes(current.db, c)]
        outcome.already = [c.display for c, _ in found if (c, _) not in fresh]
        received = read(fresh, [_expected(u) for u in current.units.values()], current.units,
                        province_code=current.info.province_code or "", province_name=current.info.province,
                        year=current.info.year, level=current.level, key=key, workers=workers)
        with register.write_lock(current.folder):
            _remove_stale_copies(current.folder)
            for item in received:
                version = _record(current, item, by)
                if version is None:
                    outcome.already.append(item.candidate.display)
                    continue
                outcome.recorded.append(version)
                previous = _previous(current, version)
                if previous is not None:
                    outcome.diffs.append((version, diff_versions(version.unit_code or "", previous.number or 0,
                                                                 previous.lines, version.number or 0, version.lines)))
            refresh_view(current)
    return outcome


def receipt(outcome: ReceiveOutcome, names: dict[str, str]) -> list[str]:
    """What ``receive`` tells people: one line per recorded input, then each resubmission's diff summary."""
    lines = [_received_line(version, names) for version in outcome.recorded]
    for version, change in outcome.diffs:
        name = names.get(version.unit_code or "")
        lines.append("  " + tr(change.summary(name), change.summary_en(name)))
    return lines


def _received_line(version: Version, names: dict[str, str]) -> str:
    if version.unit_code is None:
        return _outside_line(version)
    name = names.get(version.unit_code)
    verdict = tr("hợp lệ", "valid") if version.valid else tr(f"{version.errors} lỗi", f"{version.errors} errors")
    text = tr(f"Đã nhận {version.original_name} → {name}, lần {version.number or '-'}: {verdict}, "
              f"{version.line_count} dòng.",
              f"Received {version.original_name} → {name}, version {version.number or '-'}: {verdict}, "
              f"{version.line_count} lines.")
    if version.after_acceptance:
        text += tr(" Cảnh báo: đơn vị đã được duyệt; bản này chưa được dùng (received-after-acceptance).",
                   " Warning: the unit is accepted; this version is not used (received-after-acceptance).")
    return text


def _outside_line(version: Version) -> str:
    """A file kept in the register but no version of any unit: what it is and why, in words."""
    kind = next((i.get("value") for i in version.issues if i["code"] == "not-a-registration"), None)
    if kind is not None:
        vi, en = Kind.NAMES.get(str(kind), (str(kind), str(kind)))
        return tr(f"Đã nhận {version.original_name}: đây là {vi}, không phải phiếu đăng ký, nên không ghi thành "
                  f"lần nộp của đơn vị nào (not-a-registration). Nếu đơn vị gửi nhầm tệp, đề nghị gửi lại phiếu "
                  f"đăng ký.",
                  f"Received {version.original_name}: this is a {en} workbook, not a registration, so it is no "
                  f"unit's version (not-a-registration). If the unit sent the wrong file, ask for the registration.")
    shown = [i for i in version.issues if i.get("severity") == "error"] or version.issues
    why = " ".join(f"{_rendered(i)} ({i['code']})" for i in shown) or tr("không xác định được đơn vị nộp.",
                                                                        "the submitting unit is not identified.")
    return tr(f"Đã nhận {version.original_name}: không ghi thành lần nộp của đơn vị nào trong đợt. Lý do: {why}",
              f"Received {version.original_name}: no unit's version in this round. Why: {why}")


def _rendered(issue: dict[str, Any]) -> str:
    """A recorded issue's message in the current language (from its code and details)."""
    if issue["code"] not in CODES:
        return str(issue.get("message") or issue["code"])
    again = Issue(issue["code"], CODES[issue["code"]].severity, issue.get("detail") or "", issue.get("detail_en") or "")
    return tr(again.render("vi"), again.render("en"))


def _expected(unit: Any) -> Any:
    return ExpectedUnit(unit.code, unit.name)


def _known_bytes(db: sqlite3.Connection, candidate: Any) -> bool:
    sha = None if candidate.error else sha256_or_none(candidate.path)
    return sha is not None and register.has_version(db, sha, candidate.display)


def _record(current: Round, item: Any, by: str) -> Version | None:
    """Copy the input into ``nhan/`` (idempotent, by SHA-256), then record it in one transaction."""
    result, row = item.result, item.row
    sha = result.sha256 or sha256_of(item.candidate.path)
    stored = store(current.folder, item.candidate.path, sha)
    carrier = store(current.folder, item.carrier, sha256_of(item.carrier)) if item.carrier != item.candidate.path else None
    lines = line_records(result.lines, item.issues)
    unit_code = row.code if row is not None and row.code in current.units else None
    found = list(item.issues)
    if unit_code is not None and register.approval(current.db, unit_code) is not None:  # under the write lock
        found.append(make_issue("received-after-acceptance", f"{current.units[unit_code].name}: {item.candidate.display}",
                                detail_en=f"{current.units[unit_code].name}: {item.candidate.display}",
                                file=item.candidate.display))
    issues = [i.to_json() | {"detail": i.detail, "detail_en": i.detail_en} for i in found]
    errors = sum(1 for i in found if i.severity == "error")
    version = Version(
        sha256=sha, unit_code=unit_code, unit_name=current.units[unit_code].name if unit_code else result.unit_name,
        number=None, stored=stored, original_name=item.candidate.display, received_at=received_time(item.candidate),
        sender=item.candidate.email_from, template_version=template_version(item.meta), errors=errors,
        warnings=len(found) - errors, unreadable=result.read_error is not None or (row is not None and row.status == UNREADABLE),
        issues=issues, lines=lines, line_count=result.row_count, totals=money_totals(lines),
        recorded_at=register.now(), recorded_by=by, carrier=carrier)
    return register.record_version(current.db, version)


def store(folder: Path, source: Path, sha: str) -> str:
    """``source`` copied unchanged to ``nhan/<sha256><ext>`` (atomically; kept if already there)."""
    name = f"{sha}{source.suffix.lower()}"
    target = folder / RECEIVED_FOLDER / name
    if not target.exists():
        write_atomically(target, partial(shutil.copyfile, source))
    return f"{RECEIVED_FOLDER}/{name}"


def _remove_stale_copies(folder: Path) -> None:
    """Half-written copies a killed ``receive`` left in ``nhan/`` (the write lock is held: none is in progress)."""
    for stale in (folder / RECEIVED_FOLDER).glob(".*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass


def _previous(current: Round, version: Version) -> Version | None:
    if version.unit_code is None or not version.number or version.number < 2:
        return None
    return next((v for v in register.versions(current.db, version.unit_code) if v.number == version.number - 1), None)


# --- approval, diff, log ----------------------------------------------------------------------------

def accept(current: Round, unit_text: str, *, by: str, number: int | None = None) -> Version:
    """Accept ``number`` (default: the latest valid version); only a version without errors."""
    unit = current.unit(unit_text)
    mine = register.versions(current.db, unit.code)
    if number is None:
        chosen = next((v for v in reversed(mine) if v.valid), None)
        if chosen is None:
            raise ConfigError(f"{unit.name} chưa có phiên bản hợp lệ nào để duyệt.",
                              message_en=f"{unit.name} has no valid version to accept.")
    else:
        chosen = _numbered(unit, mine, number)
        if not chosen.valid:
            raise ConfigError(f"{unit.name}, lần {number} có {chosen.errors} lỗi: không duyệt được phiên bản có lỗi.",
                              message_en=f"{unit.name} version {number} has errors and cannot be accepted.")
    with register.write_lock(current.folder):
        register.accept(current.db, unit.code, chosen.number or 0, by, register.now())
        refresh_view(current)
    return chosen


def _numbered(unit: Any, mine: list[Version], number: int) -> Version:
    chosen = next((v for v in mine if v.number == number), None)
    if chosen is None:
        raise ConfigError(f"{unit.name} không có lần nộp {number} (có {len(mine)} lần).",
                          message_en=f"{unit.name} has no version {number} ({len(mine)} versions).")
    return chosen


def reopen(current: Round, unit_text: str, *, by: str, reason: str) -> int:
    """Lift the unit's approval (the version it held is returned); a reason is required."""
    unit = current.unit(unit_text)
    if not reason.strip():
        raise ConfigError("Cần ghi lý do mở lại (--reason).", message_en="A reason is required (--reason).")
    held = register.approval(current.db, unit.code)
    if held is None:
        raise ConfigError(f"{unit.name} chưa được duyệt; không có gì để mở lại.",
                          message_en=f"{unit.name} is not accepted; nothing to reopen.")
    with register.write_lock(current.folder):
        register.reopen(current.db, unit.code, held.version, by, register.now(), reason.strip())
        refresh_view(current)
    return held.version


def diff(current: Round, unit_text: str, *, from_version: int | None = None, to_version: int | None = None) -> Diff:
    unit = current.unit(unit_text)
    mine = register.versions(current.db, unit.code)
    if len(mine) < 1:
        raise ConfigError(f"{unit.name} chưa nộp phiếu nào.", message_en=f"{unit.name} has not submitted.")
    to_v = _numbered(unit, mine, to_version if to_version is not None else mine[-1].number or 1)
    from_number = from_version if from_version is not None else max(1, (to_v.number or 1) - 1)
    from_v = _numbered(unit, mine, from_number)
    return diff_versions(unit.name, from_v.number or 0, from_v.lines, to_v.number or 0, to_v.lines)


def status_document(current: Round) -> dict[str, Any]:
    statuses = current.statuses()
    return {"round": {"province": current.info.province, "year": current.info.year, "level": current.info.level,
                      "deadline": current.info.deadline},
            "units": [s.to_json() for s in statuses], "counts": counts(statuses)}


def log(current: Round, entry: LogEntry) -> None:
    """Log an action that changes no version (``remind``, ``plan``)."""
    with register.write_lock(current.folder):
        register.append_log(current.db, entry)
        refresh_view(current)


def touch_view(current: Round) -> Path:
    """Rewrite ``SoTheoDoi.xlsx`` after a read-only command, under the write lock."""
    with register.write_lock(current.folder):
        return refresh_view(current)


def refresh_view(current: Round) -> Path:
    """Rewrite ``SoTheoDoi.xlsx`` (the caller holds the write lock)."""
    return write_view(current)
