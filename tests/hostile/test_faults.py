"""Faults while writing and reading: every run ends with a clear message, the right exit code,
other files' data intact, and either the old output or a complete new one.

How each fault is produced (they must work when CI runs as root):

- **read-only folder**: the folder is ``chmod 0555``. Root ignores permission
  bits through ``CAP_DAC_OVERRIDE``, so when we are root the CLI runs in a
  subprocess whose capability bounding set drops ``CAP_DAC_OVERRIDE`` and
  ``CAP_DAC_READ_SEARCH`` (``prctl(PR_CAPBSET_DROP)`` before ``exec``): the
  process is still uid 0 and owns the folder, but the kernel now enforces the
  owner's ``r-x`` bits, exactly as for a user on a read-only share.
- **disk full**: ``RLIMIT_FSIZE`` in the subprocess with ``SIGXFSZ`` ignored, so
  a write past the limit fails with ``EFBIG`` as a full disk fails with ``ENOSPC``.
- **killed while writing**: ``SIGKILL`` to the CLI's process group at seeded
  random moments spanning the whole run (reading, writing, renaming).
- **racing runs**: a lock held by the test, then two real runs started together.
- **a reader crash or hang**: the reader's fault-injection switch
  (``KC_EXCEL_FAULT_INJECTION=1``): a file starting ``KC-FAULT:abort`` makes its
  worker call ``os.abort()``, ``KC-FAULT:hang`` makes it sleep past the timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from filelock import FileLock

from hostile import genuine
from hostile.helpers import (KC_EXCEL, consolidate_args, drop_root_override as _drop_root_override,
                             file_size_limit as _file_size_limit, kill_trials, leftovers, plan_totals, run_cli,
                             subprocess_env)

KILL_TRIALS = int(os.environ.get("KC_FAULT_TRIALS", "20"))


def kc(*args: str | Path, preexec=None, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(KC_EXCEL), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=preexec, env=env or subprocess_env())


def assert_clear(proc: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "Lỗi nội bộ" not in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


@pytest.fixture
def three_units(tmp_path, province_key):
    """A folder with the files of three communes (2 lines each) and their expected totals."""
    folder = tmp_path / "nop"
    folder.mkdir()
    expected = []
    for unit in genuine.communes()[:3]:
        lines = [genuine.clean_line(unit, 1), genuine.clean_line(unit, 2, tong=100, kcdp=40, doi_ung=60)]
        genuine.write_genuine(folder / f"DangKy_2026_{unit.code}.xlsx", unit, lines, key=province_key)
        expected.extend(lines)
    return folder, expected


# --- read-only folder --------------------------------------------------------------------------------

def test_read_only_output_folder_keeps_the_old_plan(tmp_path, three_units):
    folder, expected = three_units
    out_dir = tmp_path / "ke-hoach"
    plan = out_dir / "plan.xlsx"
    assert run_cli(*consolidate_args(folder, plan)).code == 0
    old = genuine.sha256(plan)
    before = sorted(p.name for p in out_dir.iterdir())
    out_dir.chmod(0o555)
    try:
        proc = kc(*consolidate_args(folder, plan), preexec=_drop_root_override)
    finally:
        out_dir.chmod(0o755)
    assert_clear(proc, 2, "Lỗi")
    assert str(out_dir) in proc.stderr
    assert genuine.sha256(plan) == old
    assert sorted(p.name for p in out_dir.iterdir()) == before
    assert plan_totals(plan) == (len(expected), genuine.expected_total_dong(expected))


def test_read_only_folder_for_the_annotated_copy(tmp_path, base):
    out_dir = tmp_path / "ro"
    out_dir.mkdir()
    out_dir.chmod(0o555)
    try:
        proc = kc("validate", base, "--annotate", out_dir / "danh-dau.xlsx", preexec=_drop_root_override)
    finally:
        out_dir.chmod(0o755)
    assert_clear(proc, 2, "Không ghi được")
    assert list(out_dir.iterdir()) == []


# --- disk full ---------------------------------------------------------------------------------------

def test_disk_full_while_writing_the_plan_keeps_the_old_one(tmp_path, three_units):
    folder, expected = three_units
    plan = tmp_path / "out" / "plan.xlsx"
    assert run_cli(*consolidate_args(folder, plan)).code == 0
    old = genuine.sha256(plan)
    genuine.write_genuine(folder / "DangKy_new.xlsx", genuine.communes()[5], key=None)
    proc = kc(*consolidate_args(folder, plan, "--no-cache"), preexec=_file_size_limit(4096))
    assert_clear(proc, 2, "Không ghi được")
    assert genuine.sha256(plan) == old
    assert leftovers(plan.parent) == []
    assert plan_totals(plan) == (len(expected), genuine.expected_total_dong(expected))


def test_disk_full_while_writing_the_annotated_copy(tmp_path, base):
    out = tmp_path / "out" / "danh-dau.xlsx"
    out.parent.mkdir()
    proc = kc("validate", base, "--annotate", out, preexec=_file_size_limit(4096))
    assert_clear(proc, 2, "Không ghi được")
    assert list(out.parent.iterdir()) == []


# --- killed at random moments ------------------------------------------------------------------------

def test_killed_at_random_moments_leaves_the_old_plan_or_a_complete_new_one(tmp_path, three_units, province_key):
    folder, expected = three_units
    plan = folder / "KeHoach_2026.xlsx"  # in the input folder: leftovers must not break the next run
    assert run_cli(*consolidate_args(folder, plan)).code == 0
    old = plan_totals(plan)
    extra_unit = genuine.communes()[3]
    extra = [genuine.clean_line(extra_unit, 1, tong=1000, kcdp=200, doi_ung=800)]
    genuine.write_genuine(folder / f"DangKy_2026_{extra_unit.code}.xlsx", extra_unit, extra, key=province_key)
    new = (old[0] + 1, old[1] + genuine.expected_total_dong(extra))
    old_copy = tmp_path / "old-plan.xlsx"
    shutil.copyfile(plan, old_copy)
    started = time.monotonic()
    assert kc(*consolidate_args(folder, tmp_path / "timing.xlsx")).returncode == 0  # also fills the cache
    full = time.monotonic() - started
    args = [str(KC_EXCEL), *consolidate_args(folder, plan)]
    seen = kill_trials(args, plan, old_copy, {"old": old, "new": new}, trials=KILL_TRIALS, seed=20260107,
                       full_seconds=full)
    print(f"\nkill trials: {seen}")
    assert seen["partial/broken"] == 0, seen
    assert seen["old"] + seen["new"] == KILL_TRIALS and seen["old"] > 0, seen
    final = run_cli(*consolidate_args(folder, plan, "--json"))
    assert final.code == 0, final.err
    document = json.loads(final.out)
    assert (document["rows"], document["totals"]["tong"]) == new
    assert all(u["file"] is None or not Path(u["file"]).name.startswith(".") for u in document["units"])
    assert plan_totals(plan) == new


# --- an output aimed at an input ---------------------------------------------------------------------

def test_output_aimed_at_a_submission_is_refused_and_the_submission_kept(three_units):
    folder, _ = three_units
    target = sorted(folder.glob("*.xlsx"))[0]
    before = genuine.sha256(target)
    result = run_cli(*consolidate_args(folder, target))
    assert result.code == 2, result.err
    assert "không ghi đè" in result.err.lower()
    assert genuine.sha256(target) == before
    assert not (folder / (target.name + ".bak")).exists()


# --- two runs, one output ----------------------------------------------------------------------------

def test_a_run_waits_for_the_lock_then_gives_up_with_the_lock_message(tmp_path, three_units):
    folder, expected = three_units
    plan = tmp_path / "plan.xlsx"
    assert run_cli(*consolidate_args(folder, plan)).code == 0
    old = genuine.sha256(plan)
    with FileLock(str(plan) + ".lock"):
        started = time.monotonic()
        proc = kc(*consolidate_args(folder, plan), env=subprocess_env(KC_EXCEL_LOCK_TIMEOUT="1"))
        waited = time.monotonic() - started
    assert_clear(proc, 2, "đang được một lần tổng hợp khác ghi")
    assert waited >= 1
    assert genuine.sha256(plan) == old


def test_two_racing_runs_both_finish_and_the_plan_is_complete(tmp_path, three_units):
    folder, expected = three_units
    plan = tmp_path / "plan.xlsx"
    args = [str(KC_EXCEL), *consolidate_args(folder, plan, "--no-cache")]
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=subprocess_env(KC_EXCEL_LOCK_TIMEOUT="60")) for _ in range(2)]
    results = [(p.wait(120), p.stderr.read()) for p in runs]
    assert [code for code, _ in results] == [0, 0], results
    assert plan_totals(plan) == (len(expected), genuine.expected_total_dong(expected))
    assert leftovers(tmp_path) == []


# --- a reader crash and a hang in a folder of 100 ------------------------------------------------------

@pytest.fixture(scope="module")
def folder_of_100(tmp_path_factory, province_key):
    """98 genuine files of 98 communes of Thanh Hóa, one that crashes the reader, one that hangs it."""
    from kc_excel import catalog

    province = catalog.find_province("Thanh Hóa")
    units = catalog.units_of(province, level="xa")[:100]
    folder = tmp_path_factory.mktemp("hundred")
    expected = []
    for unit in units[:98]:
        lines = [genuine.clean_line(unit, 1)]
        genuine.write_genuine(folder / f"DangKy_2026_{unit.code}.xlsx", unit, lines, key=province_key,
                              of_province=province)
        expected.extend(lines)
    crash = folder / f"DangKy_2026_{units[98].code}.xlsx"
    crash.write_bytes(b"KC-FAULT:abort" + b"\0" * 100)
    hang = folder / f"DangKy_2026_{units[99].code}.xlsx"
    hang.write_bytes(b"KC-FAULT:hang" + b"\0" * 100)
    return province, folder, expected, (units[98], units[99])


@pytest.mark.slow
def test_a_crashing_and_a_hanging_file_among_100_do_not_stop_the_others(tmp_path, folder_of_100):
    province, folder, expected, (crashed, hung) = folder_of_100
    hashes = {p: genuine.sha256(p) for p in folder.iterdir()}
    plan = tmp_path / "plan.xlsx"
    args = ["consolidate", folder, "--province", province.name, "--year", str(genuine.YEAR), "-o", plan,
            "--json", "--no-cache"]
    started = time.monotonic()
    proc = kc(*args, env=subprocess_env(KC_EXCEL_FAULT_INJECTION="1"), timeout=300)
    elapsed = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    document = json.loads(proc.stdout)
    status = {u["code"]: u for u in document["units"] if u["file"]}
    assert status[crashed.code]["status"] == "Không đọc được"
    assert status[hung.code]["status"] == "Không đọc được"
    assert sum(u["status"] == "Hợp lệ" for u in status.values()) == 98
    assert document["rows"] == 98
    assert document["totals"]["tong"] == genuine.expected_total_dong(expected)
    messages = {i["code"]: i["message"] for i in document["issues"] if i["code"].startswith("file-")}
    assert "file-unreadable" in messages and "file-too-large" in messages, messages
    assert plan_totals(plan) == (98, genuine.expected_total_dong(expected))
    assert {p: genuine.sha256(p) for p in folder.iterdir()} == hashes
    assert elapsed < 120
