"""The reader's sandbox: a file that crashes, hangs or exhausts its worker costs only itself."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from builders import CLEAN_ROW, build_registration
from kc_excel.errors import FileLevelError
from kc_excel.workbook.data import WorkbookData
from kc_excel.workbook.reader import ReadLimits, read_many, read_workbook
from kc_excel.workbook.sandbox import FAULT_ENV

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="rlimits and signals are POSIX")


def _fault_file(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(f"KC-FAULT:{kind}".encode() + bytes(100))
    return path


@POSIX
def test_a_crashing_file_is_isolated_and_the_next_one_still_reads(tmp_path, monkeypatch):
    monkeypatch.setenv(FAULT_ENV, "1")
    good = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW]).path
    paths = [good, _fault_file(tmp_path, "abort"), good, _fault_file(tmp_path, "oom"), good]
    outcomes = list(read_many(paths, workers=2))
    assert [p for p, _ in outcomes] == paths
    kinds = [o.code if isinstance(o, FileLevelError) else "ok" for _, o in outcomes]
    assert kinds == ["ok", "file-unreadable", "ok", "file-too-large", "ok"]
    assert "abort.xlsx" in outcomes[1][1].message and "SIGABRT" in outcomes[1][1].message


@POSIX
@pytest.mark.parametrize("kind, limits", [("hang", {"timeout_seconds": 1.5}), ("cpu", {"cpu_seconds": 1})])
def test_hanging_or_spinning_reader_is_stopped(tmp_path, monkeypatch, kind, limits):
    monkeypatch.setenv(FAULT_ENV, "1")
    good = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW]).path
    started = time.monotonic()
    outcomes = [o for _, o in read_many([_fault_file(tmp_path, kind), good], workers=1, limits=ReadLimits(**limits))]
    assert time.monotonic() - started < 10
    assert isinstance(outcomes[0], FileLevelError) and outcomes[0].code == "file-too-large"
    assert isinstance(outcomes[1], WorkbookData)


@POSIX
def test_a_cell_at_the_end_of_the_grid_is_too_large_not_a_crash(tmp_path):
    wb = Workbook()
    wb.active["A1"], wb.active["XFD1048576"] = "STT", 1
    wb.save(tmp_path / "xa.xlsx")
    good = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW]).path
    outcomes = [o for _, o in read_many([tmp_path / "xa.xlsx", good], workers=1)]
    assert outcomes[0].code == "file-too-large" and isinstance(outcomes[1], WorkbookData)


def test_fault_markers_do_nothing_without_the_switch(tmp_path, monkeypatch):
    monkeypatch.delenv(FAULT_ENV, raising=False)
    with pytest.raises(FileLevelError) as caught:
        read_workbook(_fault_file(tmp_path, "abort"))
    assert caught.value.code == "file-corrupt"


def test_read_many_keeps_input_order(tmp_path):
    paths = []
    for i in range(5):
        paths.append(build_registration(tmp_path / f"u{i}.xlsx", [{**CLEAN_ROW, "tong": 100 + i}]).path)
    paths.insert(2, tmp_path / "khong-co.xlsx")
    outcomes = list(read_many(paths, workers=2))
    assert [p.name for p, _ in outcomes] == [p.name for p in paths]
    assert outcomes[2][1].code == "file-not-found"
    assert [o.tables["dang-ky"].records[0].value("tong") for _, o in outcomes if not isinstance(o, Exception)] == [
        100, 101, 102, 103, 104]


FORK_SERVER_TASK = '''
import gc, os, sys

class ModulesAtStart:
    """Notes, when its reader starts (before any file), whether pandera is already imported."""

    def prepare(self):
        self.pandera_at_start = "pandera" in sys.modules

    def __call__(self, data, extra):
        return (self.pandera_at_start, os.getppid(), gc.get_freeze_count() > 0 and gc.isenabled(),
                sys.modules.get("hypothesis") is not None)
'''

FORK_SERVER_RUN = '''
import os, sys
sys.path.insert(0, sys.argv[1])
from modules_at_start import ModulesAtStart
from kc_excel.workbook.reader import read_many
from kc_excel.workbook.sandbox import preload

if sys.argv[3] == "preload":
    preload("kc_excel.validation.preload")
(_, (pandera_at_start, parent, frozen, hypothesis)), = read_many([sys.argv[2]], workers=1, task=ModulesAtStart())
print(pandera_at_start, parent != os.getpid(), frozen, hypothesis)
'''


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server on Windows (spawn)")
@pytest.mark.parametrize("mode, expected", [("preload", "True True True False"),
                                                  ("none", "False True True False")])
def test_readers_fork_from_a_server_that_imported_what_preload_names(tmp_path, mode, expected):
    import subprocess

    (tmp_path / "modules_at_start.py").write_text(FORK_SERVER_TASK, encoding="utf-8")
    good = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW]).path
    done = subprocess.run([sys.executable, "-c", FORK_SERVER_RUN, str(tmp_path), str(good), mode],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    # forked from the server (not this process), preloaded or not, with what the server imported frozen
    # and the garbage collector on again (the server imports with it off),
    # and without hypothesis (installed here for the tests; pandera would import it with itself)
    assert done.stdout.split("\n")[-2] == expected
