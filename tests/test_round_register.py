"""The round register: schema migration, append-only log, kill -9 during receive, concurrent receives; diffs; lateness."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from kc_excel.rounds import register
from kc_excel.rounds.diff import diff_versions
from kc_excel.rounds.status import days_late

from round_helpers import (CAM_MY, DINH_QUAN, TAN_PHU, THONG_NHAT, XUAN_LOC, faulty_line, machine_line, open_round,
                           register_rows, submission)

ROOT = Path(__file__).resolve().parent.parent


def receive_process(dot: Path, *paths: Path, by: str = "tester") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "kc_excel", "round", "receive", str(dot), *map(str, paths),
                             "--by", by], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def assert_consistent(dot: Path) -> list[tuple]:
    """Integrity, one log entry per version, every stored copy present and unchanged; returns the versions."""
    assert register_rows(dot, "PRAGMA integrity_check") == [("ok",)]
    rows = register_rows(dot, "SELECT sha256, unit_code, number, stored FROM version ORDER BY id")
    receives = register_rows(dot, "SELECT detail FROM log WHERE action = 'receive'")
    assert len(receives) == len(rows)
    for sha, _, _, stored in rows:
        assert hashlib.sha256((dot / stored).read_bytes()).hexdigest() == sha
    numbers: dict[str, list[int]] = {}
    for _, unit, number, _ in rows:
        numbers.setdefault(unit, []).append(number)
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())
    return rows


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    for unit in (TAN_PHU, CAM_MY, XUAN_LOC, DINH_QUAN):
        submission(folder, unit, [machine_line(unit, 1), machine_line(unit, 2)], day=19)
    submission(folder, THONG_NHAT, [faulty_line(THONG_NHAT)], day=19)
    return folder


def test_kill_9_at_random_points_leaves_the_register_consistent_and_a_rerun_completes_it(tmp_path, inbox, capsys):
    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    process = receive_process(dot, inbox)  # killed as soon as the first version is committed
    while process.poll() is None and not register_rows(dot, "SELECT 1 FROM version"):
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert 1 <= len(assert_consistent(dot)) <= 5
    rng = random.Random(17)
    for delay in sorted(rng.uniform(0.2, 3.0) for _ in range(3)):
        process = receive_process(dot, inbox)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert_consistent(dot)
    finished = receive_process(dot, inbox)
    # 1 when this run records the faulty unit's file; 0 when a killed run already had
    # recorded everything (same bytes again record nothing new).
    assert finished.wait(timeout=120) in (0, 1), finished.stderr.read().decode()
    rows = assert_consistent(dot)
    files = sorted(inbox.glob("*.xlsx"))
    assert sorted(sha for sha, *_ in rows) == sorted(hashlib.sha256(f.read_bytes()).hexdigest() for f in files)
    assert all(number == 1 for _, _, number, _ in rows)
    assert sorted(p.name for p in (dot / "nhan").iterdir()) == sorted(Path(stored).name for *_, stored in rows)


def test_a_copy_stored_before_a_crash_is_recorded_by_the_rerun(tmp_path, inbox, capsys):
    from round_helpers import run

    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    one = inbox / f"DangKy_2022_{TAN_PHU.code}.xlsx"
    sha = hashlib.sha256(one.read_bytes()).hexdigest()
    (dot / "nhan" / f"{sha}.xlsx").write_bytes(one.read_bytes())  # copied, then killed before the commit
    assert run(capsys, "receive", dot, one)[0] == 0
    assert register_rows(dot, "SELECT sha256, number FROM version") == [(sha, 1)]


def test_two_concurrent_receives_both_land_each_file_once(tmp_path, inbox, capsys):
    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    files = sorted(inbox.glob("*.xlsx"))
    resubmission = submission(tmp_path / "lan2", TAN_PHU, [machine_line(TAN_PHU, 1, tong=500, doi_ung=350)], day=21)
    first = receive_process(dot, *files[:3], by="A")
    second = receive_process(dot, *files[2:], resubmission, by="B")  # files[2] is in both
    assert first.wait(timeout=120) in (0, 1) and second.wait(timeout=120) in (0, 1)
    rows = assert_consistent(dot)
    assert len(rows) == len(files) + 1 == len({sha for sha, *_ in rows})
    assert sorted(n for _, unit, n, _ in rows if unit == TAN_PHU.code) == [1, 2]
    assert {by for (by,) in register_rows(dot, "SELECT by FROM log WHERE action = 'receive'")} == {"A", "B"}


def test_an_older_register_is_migrated_and_the_log_is_append_only(tmp_path):
    tmp_path.joinpath("so-theo-doi.sqlite").touch()
    with sqlite3.connect(tmp_path / "so-theo-doi.sqlite") as db:
        for statement in filter(str.strip, register.MIGRATIONS[0].split(";\n")):
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
        db.execute("INSERT INTO log (at, action, by) VALUES ('2026-01-01T00:00:00+00:00', 'open', 'x')")
    db = register.connect(tmp_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == register.SCHEMA_VERSION == 5
    assert "carrier" in [row[1] for row in db.execute("PRAGMA table_info(version)")]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE log SET by = 'y'")
    assert [e.by for e in register.log_entries(db)] == ["x"]
    db.execute("PRAGMA user_version = 99")
    with pytest.raises(Exception, match="mới hơn"):
        register.connect(tmp_path)


def line(n: int, **changes) -> dict:
    base = {"stt": n, "ten_de_an": f"Đề án {n}", "hoat_dong": "MAY_MOC", "co_so": f"Cơ sở {n}", "dia_diem": "Xã A",
            "so_luong": "1", "tong": 100_000_000 * n, "kcdp": 0, "doi_ung": 100_000_000 * n, "row": 6 + n}
    base.update(changes)
    return base


def test_a_reordered_renumbered_file_is_no_change():
    old = [line(1), line(2), line(3)]
    new = [line(3, stt=1, row=7), line(1, stt=2, row=8), line(2, stt=3, row=9)]
    result = diff_versions("X", 1, old, 2, new)
    assert (result.added, result.removed, result.changed) == ([], [], [])


def test_lines_match_by_identity_then_stt_as_last_resort():
    old = [line(1), line(2), line(3)]
    new = [line(1, co_so="Cơ sở Một", tong=150_000_000),      # beneficiary renamed: matched by activity + name
           line(2, ten_de_an="Đề án hai (sửa)"),               # project renamed: matched by beneficiary + place
           line(3, ten_de_an="Khác", co_so="Khác", dia_diem="Xã B")]  # everything renamed: matched by STT
    result = diff_versions("X", 1, old, 2, new)
    assert (result.added, result.removed) == ([], [])
    assert sorted((c.key, c.old, c.new) for c in result.changed) == sorted([
        ("co_so", "Cơ sở 1", "Cơ sở Một"), ("tong", 100_000_000, 150_000_000),
        ("ten_de_an", "Đề án 2", "Đề án hai (sửa)"),
        ("ten_de_an", "Đề án 3", "Khác"), ("co_so", "Cơ sở 3", "Khác"), ("dia_diem", "Xã A", "Xã B")])
    assert result.summary("Xã Phú Lâm") == \
        "Xã Phú Lâm, lần 2: 0 dòng thêm, 0 dòng bỏ, 6 ô thay đổi; tổng kinh phí 600 → 650 triệu"


def test_days_late_are_counted_in_vietnam_time():
    deadline = date(2021, 5, 20)
    assert days_late("2021-05-20T16:59:00+00:00", deadline) == 0   # 23:59 in Vietnam
    assert days_late("2021-05-20T17:00:00+00:00", deadline) == 1   # 00:00 on the 21st in Vietnam
    assert days_late("2021-05-23T09:00:00+07:00", deadline) == 3
    assert days_late("2021-05-01T09:00:00+07:00", deadline) == 0


def test_lines_recorded_before_schema_4_are_marked_without_errors(tmp_path):
    tmp_path.joinpath("so-theo-doi.sqlite").touch()
    with sqlite3.connect(tmp_path / "so-theo-doi.sqlite") as db:
        for step in register.MIGRATIONS[:3]:
            for statement in filter(str.strip, step.split(";\n")):
                db.execute(statement)
        db.execute("PRAGMA user_version = 3")
        db.execute("INSERT INTO version (sha256, stored, original_name, received_at, errors, warnings, issues, lines, "
                   "line_count, totals, recorded_at, recorded_by) VALUES ('s', 'x', 'x', 't', 0, 0, '[]', ?, 2, '{}', "
                   "'t', 'x')", (json.dumps([{"ten_de_an": "A", "tong": 1}, {"ten_de_an": "B", "tong": 2}]),))
    db = register.connect(tmp_path)
    [version] = register.versions(db)
    assert version.lines == [{"ten_de_an": "A", "tong": 1, "has_errors": False},
                             {"ten_de_an": "B", "tong": 2, "has_errors": False}]


def test_a_busy_register_is_said_as_such_and_no_lock_file_is_left(tmp_path, inbox, capsys):
    from filelock import FileLock

    from kc_excel.errors import OutputError
    from round_helpers import run

    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    assert run(capsys, "receive", dot, inbox / f"DangKy_2022_{TAN_PHU.code}.xlsx")[0] == 0
    assert not (dot / "so-theo-doi.sqlite.lock").exists()  # the outputs' lock: removed when released
    assert not list((dot / "nhan").glob(".*.tmp"))  # the stored copy was written through write_atomically
    with FileLock(str(dot / "so-theo-doi.sqlite.lock")):
        with pytest.raises(OutputError) as busy:
            with register.write_lock(dot, timeout=0.2):
                pass
    assert "đang ghi sổ theo dõi" in str(busy.value) and "writing the register" in busy.value.message_en
