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
