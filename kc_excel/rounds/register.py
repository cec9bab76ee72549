"""The round register (sổ theo dõi): ``DOT/so-theo-doi.sqlite``, the one source of truth of a round.

This module owns every line of SQL of the rounds package; the rest calls the
functions below, named in the domain's words (:func:`record_version`,
:func:`accept`, :func:`reopen`, :func:`append_log`).

- **Schema versioned** by ``PRAGMA user_version``; :data:`MIGRATIONS` are
  applied in order, each in its own transaction, when a register is opened
  (an older register is brought up to date; a newer one is refused).
- **One transaction per change**: a version is inserted together with its log
  entry, so a ``kill -9`` leaves either both or neither (SQLite's rollback
  journal). The round folder may sit on a network share, so the journal mode
  is ``DELETE`` (never WAL) and ``synchronous=FULL``.
- **One writer at a time**: :func:`write_lock` (a ``filelock`` beside the
  database) is held around every change, so two ``receive`` at once both
  land, one after the other, with distinct version numbers.
- **Append-only log**: triggers refuse any ``UPDATE`` or ``DELETE`` on ``log``.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator


from kc_excel.consolidate.safety import output_lock
from kc_excel.errors import ConfigError

DATABASE = "so-theo-doi.sqlite"
LOCK_TIMEOUT_SECONDS = 120.0

_V1 = """
CREATE TABLE round (id INTEGER PRIMARY KEY CHECK (id = 1), province TEXT NOT NULL, province_code TEXT,
    year INTEGER NOT NULL, level TEXT NOT NULL, deadline TEXT NOT NULL, opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL);
CREATE TABLE version (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, unit_code TEXT, unit_name TEXT,
    number INTEGER, stored TEXT NOT NULL, original_name TEXT NOT NULL, received_at TEXT NOT NULL,
    sender TEXT, template_version TEXT, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
    unreadable INTEGER NOT NULL DEFAULT 0, issues TEXT NOT NULL, lines TEXT NOT NULL,
    line_count INTEGER NOT NULL, totals TEXT NOT NULL, after_acceptance INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, UNIQUE (unit_code, number));
CREATE TABLE approval (unit_code TEXT PRIMARY KEY, version INTEGER NOT NULL, accepted_by TEXT NOT NULL,
    accepted_at TEXT NOT NULL);
CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL,
    by TEXT NOT NULL, unit TEXT, version INTEGER, reason TEXT, detail TEXT);
"""
_V2 = """
CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN SELECT RAISE(ABORT, 'log is append-only'); END;
CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'log is append-only'); END;
CREATE INDEX version_unit ON version (unit_code, number);
"""
_V3 = """
ALTER TABLE version ADD COLUMN carrier TEXT;
"""
_V4 = """
UPDATE version SET lines = (SELECT json_group_array(json_set(line.value, '$.has_errors', json('false')))
    FROM json_each(version.lines) AS line);
"""
"""Every line read is kept, marked ``has_errors``; before, only lines without an error were (so all false)."""
_V5 = """
CREATE TABLE version_v5 (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, unit_code TEXT, unit_name TEXT,
    number INTEGER, stored TEXT NOT NULL, original_name TEXT NOT NULL, received_at TEXT NOT NULL,
    sender TEXT, template_version TEXT, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
    unreadable INTEGER NOT NULL DEFAULT 0, issues TEXT NOT NULL, lines TEXT NOT NULL,
    line_count INTEGER NOT NULL, totals TEXT NOT NULL, after_acceptance INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, carrier TEXT, UNIQUE (sha256, original_name),
    UNIQUE (unit_code, number));
INSERT INTO version_v5 (id, sha256, unit_code, unit_name, number, stored, original_name, received_at, sender, template_version, errors, warnings, unreadable, issues, lines, line_count, totals, after_acceptance, recorded_at, recorded_by, carrier) SELECT id, sha256, unit_code, unit_name, number, stored, original_name, received_at, sender, template_version, errors, warnings, unreadable, issues, lines, line_count, totals, after_acceptance, recorded_at, recorded_by, carrier FROM version;
DROP TABLE version;
ALTER TABLE version_v5 RENAME TO version;
CREATE INDEX version_unit ON version (unit_code, number);
CREATE INDEX version_sha ON version (sha256)
"""
"""A receipt is its bytes *and* its name: the same bytes whose crediting depended on their name may be
received again under another name and credited then (:func:`has_version`)."""
MIGRATIONS = (_V1, _V2, _V3, _V4, _V5)
"""Schema step ``i`` brings ``user_version`` from ``i`` to ``i + 1``; never edit a step, add one."""
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class RoundInfo:
    province: str
    province_code: str | None
    year: int
    level: str
    """``commune`` or ``district`` (contract vocabulary)."""
    deadline: str
    opened_at: str
    opened_by: str


@dataclass(frozen=True)
class Version:
    """One received file, as recorded (money in integer đồng; ``lines`` as JSON-ready dicts).

    ``line_count`` is the number of data rows in the file; ``lines`` are every line read from it,
    each marked ``has_errors`` (true when an error names its row), and ``totals`` their sums: the
    diffs compare them. A plan never takes a line of a version with errors (:mod:`.plan`).
    """

    sha256: str
    unit_code: str | None
    unit_name: str | None
    number: int | None
    stored: str
    original_name: str
    received_at: str
    sender: str | None
    template_version: str | None
    errors: int
    warnings: int
    unreadable: bool
    issues: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    line_count: int
    totals: dict[str, int]
    after_acceptance: bool = False
    recorded_at: str = ""
    recorded_by: str = ""
    carrier: str | None = None
    """The stored copy of the e-mail an attachment came in (``nhan/<sha256>.eml``), else None."""

    @property
    def valid(self) -> bool:
        return not self.unreadable and self.errors == 0


@dataclass(frozen=True)
class Approval:
    unit_code: str
    version: int
    accepted_by: str
    accepted_at: str


@dataclass(frozen=True)
class LogEntry:
    at: str
    action: str
    by: str
    unit: str | None = None
    version: int | None = None
    reason: str | None = None
    detail: Any = field(default=None)

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "action": self.action, "by": self.by, "unit": self.unit, "version": self.version,
                "reason": self.reason, "detail": self.detail}


def now() -> str:
    """The current time, ISO 8601 with offset (UTC)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def database_path(folder: Path) -> Path:
    return Path(folder) / DATABASE


def write_lock(folder: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> AbstractContextManager[None]:
    """Hold the round's write lock (``so-theo-doi.sqlite.lock``, the outputs' lock); another writer waits
    up to ``timeout``."""
    return output_lock(database_path(folder), timeout=timeout,
                       busy=(f"Một lệnh khác đang ghi sổ theo dõi của đợt {folder}; thử lại sau.",
                             f"Another command is writing the register of {folder}; try again."))


def connect(folder: Path, *, create: bool = False) -> sqlite3.Connection:
    """The register of ``folder``, migrated to :data:`SCHEMA_VERSION` (ConfigError if it is not a round)."""
    path = database_path(folder)
    if not create and not path.is_file():
        raise ConfigError(f"{folder} chưa phải thư mục đợt thu phiếu (không có {DATABASE}). "
                          f"Chạy: kc-excel round open {folder} ...",
                          message_en=f"{folder} is not a collection round (no {DATABASE}); run `round open` first.")
    db = sqlite3.connect(str(path), isolation_level=None, timeout=60.0)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=FULL")
    migrate(db)
    return db


def migrate(db: sqlite3.Connection) -> int:
    """Apply the missing schema steps (each in one transaction); return the schema version."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise ConfigError(f"Sổ theo dõi được tạo bởi phiên bản kc-excel mới hơn (lược đồ {current}); hãy cập nhật "
                          f"kc-excel.", message_en=f"The register has a newer schema ({current}); update kc-excel.")
    for step in range(current, SCHEMA_VERSION):
        with transaction(db):
            for statement in filter(str.strip, MIGRATIONS[step].split(";\n")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {step + 1}")
    return SCHEMA_VERSION


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _append(db: sqlite3.Connection, entry: LogEntry) -> None:
    db.execute("INSERT INTO log (at, action, by, unit, version, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (entry.at, entry.action, entry.by, entry.unit, entry.version, entry.reason,
                None if entry.detail is None else json.dumps(entry.detail, ensure_ascii=False)))


def append_log(db: sqlite3.Connection, entry: LogEntry) -> None:
    """One log entry in its own transaction (``remind``, ``plan``)."""
    with transaction(db):
        _append(db, entry)


def open_round(db: sqlite3.Connection, info: RoundInfo) -> None:
    """Record the round's settings (once) and log ``open``."""
    with transaction(db):
        if db.execute("SELECT 1 FROM round").fetchone() is not None:
            raise ConfigError("Đợt này đã được mở; không mở lại.", message_en="This round is already open.")
        db.execute("INSERT INTO round VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                   (info.province, info.province_code, info.year, info.level, info.deadline, info.opened_at,
                    info.opened_by))
        _append(db, LogEntry(info.opened_at, "open", info.opened_by,
                             detail={"province": info.province, "year": info.year, "deadline": info.deadline}))


def round_info(db: sqlite3.Connection) -> RoundInfo:
    row = db.execute("SELECT * FROM round").fetchone()
    if row is None:
        raise ConfigError("Sổ theo dõi chưa có thông tin đợt (lệnh open bị gián đoạn?); chạy lại round open.",
                          message_en="The register has no round settings; run `round open` again.")
    return RoundInfo(row["province"], row["province_code"], row["year"], row["level"], row["deadline"],
                     row["opened_at"], row["opened_by"])


def has_version(db: sqlite3.Connection, sha256: str, name: str) -> bool:
    """Already recorded: these bytes under this very name, or credited to a unit by what they say (``_kc``).

    The same bytes under another name are read again when their crediting depended on their name:
    credited to no unit (a neighbour's code in the name) or to a unit found by the name alone
    (``unit-identified-by-filename``, a file whose ``_kc`` names no unit)."""
    return db.execute(
        "SELECT 1 FROM version WHERE sha256 = ? AND (original_name = ? OR (unit_code IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM json_each(version.issues) WHERE json_extract(value, '$.code') = 'unit-identified-by-filename')))",
        (sha256, name)).fetchone() is not None


def record_version(db: sqlite3.Connection, version: Version) -> Version | None:
    """Insert ``version`` (numbered next for its unit) and its log entry in one transaction.

    Returns the version as recorded, or None when it was already recorded (:func:`has_version`).
    """
    with transaction(db):
        if has_version(db, version.sha256, version.original_name):
            return None
        number = None
        if version.unit_code is not None:
            last = db.execute("SELECT MAX(number) FROM version WHERE unit_code = ?", (version.unit_code,)).fetchone()[0]
            number = (last or 0) + 1
        after = version.unit_code is not None and approval(db, version.unit_code) is not None
        recorded = replace(version, number=number, after_acceptance=after)
        db.execute(
            "INSERT INTO version (sha256, unit_code, unit_name, number, stored, original_name, received_at, sender, "
            "template_version, errors, warnings, unreadable, issues, lines, line_count, totals, after_acceptance, "
            "recorded_at, recorded_by, carrier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (recorded.sha256, recorded.unit_code, recorded.unit_name, number, recorded.stored, recorded.original_name,
             recorded.received_at, recorded.sender, recorded.template_version, recorded.errors, recorded.warnings,
             int(recorded.unreadable), _dump(recorded.issues), _dump(recorded.lines), recorded.line_count,
             _dump(recorded.totals), int(after), recorded.recorded_at, recorded.recorded_by, recorded.carrier))
        _append(db, LogEntry(recorded.recorded_at, "receive", recorded.recorded_by, recorded.unit_code, number,
                             detail={"file": recorded.original_name, "sha256": recorded.sha256,
                                     "errors": recorded.errors, "after_acceptance": after}))
    return recorded


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def versions(db: sqlite3.Connection, unit_code: str | None = None) -> list[Version]:
    """Recorded versions (all, or one unit's), in the order received."""
    sql, args = "SELECT * FROM version ORDER BY id", ()
    if unit_code is not None:
        sql, args = "SELECT * FROM version WHERE unit_code = ? ORDER BY number", (unit_code,)
    return [_version(row) for row in db.execute(sql, args)]


def _version(row: sqlite3.Row) -> Version:
    return Version(row["sha256"], row["unit_code"], row["unit_name"], row["number"], row["stored"],
                   row["original_name"], row["received_at"], row["sender"], row["template_version"], row["errors"],
                   row["warnings"], bool(row["unreadable"]), json.loads(row["issues"]), json.loads(row["lines"]),
                   row["line_count"], json.loads(row["totals"]), bool(row["after_acceptance"]), row["recorded_at"],
                   row["recorded_by"], row["carrier"])


def approval(db: sqlite3.Connection, unit_code: str) -> Approval | None:
    row = db.execute("SELECT * FROM approval WHERE unit_code = ?", (unit_code,)).fetchone()
    return None if row is None else Approval(row["unit_code"], row["version"], row["accepted_by"], row["accepted_at"])


def approvals(db: sqlite3.Connection) -> dict[str, Approval]:
    return {row["unit_code"]: Approval(row["unit_code"], row["version"], row["accepted_by"], row["accepted_at"])
            for row in db.execute("SELECT * FROM approval")}


def accept(db: sqlite3.Connection, unit_code: str, number: int, by: str, at: str) -> None:
    """Lock ``unit_code`` on version ``number`` (replacing an earlier approval) and log it."""
    with transaction(db):
        db.execute("INSERT OR REPLACE INTO approval VALUES (?, ?, ?, ?)", (unit_code, number, by, at))
        _append(db, LogEntry(at, "accept", by, unit_code, number))


def reopen(db: sqlite3.Connection, unit_code: str, version: int | None, by: str, at: str, reason: str) -> None:
    """Lift ``unit_code``'s approval and log it with its reason."""
    with transaction(db):
        db.execute("DELETE FROM approval WHERE unit_code = ?", (unit_code,))
        _append(db, LogEntry(at, "reopen", by, unit_code, version, reason))


def log_entries(db: sqlite3.Connection) -> list[LogEntry]:
    return [LogEntry(row["at"], row["action"], row["by"], row["unit"], row["version"], row["reason"],
                     None if row["detail"] is None else json.loads(row["detail"]))
            for row in db.execute("SELECT * FROM log ORDER BY id")]
