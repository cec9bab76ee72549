"""The readers identify and validate (a reader task); the parent only places; a failing task loses no file."""

from __future__ import annotations

import os
import time
from pathlib import Path

from consolidate_helpers import district, machine_line, registration
from kc_excel.consolidate.run import consolidate_folder
from kc_excel.errors import FileLevelError
from kc_excel.workbook.data import WorkbookData
from kc_excel.workbook.reader import read_many
from kc_excel.workbook.sandbox import Sandbox

TAN_PHU, CAM_MY = district("Tân Phú"), district("Cẩm Mỹ")


class CountRows:
    """A picklable task: the number of records with the extra it was given."""

    def __call__(self, data: WorkbookData, extra: str) -> tuple[str, int]:
        return extra, sum(len(t.records) for t in data.tables.values())


class Fails:
    def __call__(self, data: WorkbookData, extra: object) -> None:
        raise RuntimeError("a bug in the task")


class Prepared:
    """A task that notes, in its own process, that it was prepared (before its first file)."""

    def __init__(self, marker: Path) -> None:
        self.marker, self.ready = marker, False

    def prepare(self) -> None:
        self.ready = True
        self.marker.write_text(str(os.getpid()))

    def __call__(self, data: WorkbookData, extra: object) -> tuple[bool, int]:
        return self.ready, os.getpid()


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    registration(inbox, TAN_PHU, [machine_line(TAN_PHU, 1), machine_line(TAN_PHU, 2, tong=300.5, doi_ung=150.5)])
    registration(inbox, CAM_MY, [machine_line(CAM_MY, 1, kcdp=390)])  # above the 50 % norm: rejected
    (inbox / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return inbox


def test_a_task_runs_in_the_reader_with_its_extra_and_a_failing_task_is_the_files_check_failure(tmp_path):
    inbox = _inbox(tmp_path)
    paths = sorted(inbox.iterdir())
    extras = [p.stem for p in paths]
    outcomes = [o for _, o in read_many(paths, workers=2, task=CountRows(), extras=extras)]
    kinds = [type(o).__name__ for o in outcomes]
    assert kinds == ["tuple", "tuple", "FileLevelError"], kinds  # DangKy_…_CamMy, DangKy_…_TanPhu, broken
    assert [o[0] for o in outcomes[:2]] == extras[:2] and all(o[1] >= 1 for o in outcomes[:2])
    failed = [o for _, o in read_many(paths, workers=1, task=Fails())]
    assert all(isinstance(o, FileLevelError) for o in failed)
    assert [o.code for o in failed] == ["file-check-failed", "file-check-failed", "file-corrupt"], failed
    assert all("RuntimeError" in o.message and paths[i].name in o.message for i, o in enumerate(failed[:2]))


def test_files_are_identified_and_validated_in_the_readers_and_only_placed_here(tmp_path, monkeypatch):
    inbox = _inbox(tmp_path)

    def not_here(*args, **kwargs):
        raise AssertionError("identified a second time, in the parent")

    # the readers are forked from the fork server, not from this process: only the parent is patched
    monkeypatch.setattr("kc_excel.consolidate.identify.identify", not_here)
    monkeypatch.setattr("kc_excel.consolidate.identify.verify_template", not_here)
    outcome = consolidate_folder(inbox, province="Đồng Nai", year=2022, output=None, level="district",
                                 cache_dir=False)
    plan = outcome.plan
    assert plan.totals["tong"] == 700_500_000 and len(plan.lines) == 2
    assert {(ln.unit_code, ln.unit_name, ln.file) for ln in plan.lines} == {
        (TAN_PHU.code, TAN_PHU.name, f"DangKy_2022_{TAN_PHU.code}.xlsx")}
    assert any(i.severity == "error" and i.row is not None for i in plan.issues)  # Cẩm Mỹ's line
    statuses = {u.file: u.status for u in plan.units if u.file}
    assert statuses == {f"DangKy_2022_{TAN_PHU.code}.xlsx": "Hợp lệ", f"DangKy_2022_{CAM_MY.code}.xlsx": "Có lỗi",
                        "broken.xlsx": "Không đọc được"}


def test_a_file_whose_check_fails_in_its_reader_is_reported_never_lost(tmp_path):
    """A defect of ours while checking a file (here: a norms table the rules cannot use) is that
    file's error, with the cause; every other input is still there and the run fails (exit 1)."""
    inbox = _inbox(tmp_path)
    registration(inbox, district("Xuân Lộc"), [machine_line(district("Xuân Lộc"), 1, kcdp=0, doi_ung=400)])
    outcome = consolidate_folder(inbox, province="Đồng Nai", year=2022, output=None, level="district",
                                 cache_dir=tmp_path / "cache", norms={"MAY_MOC": "not a norm"})
    failed = [i for i in outcome.plan.issues if i.code == "file-check-failed"]
    names = {unit: f"DangKy_2022_{unit.code}.xlsx" for unit in (TAN_PHU, CAM_MY, district("Xuân Lộc"))}
    assert sorted(i.file for i in failed) == sorted([names[TAN_PHU], names[CAM_MY]])
    assert all("AttributeError" in i.detail and i.severity == "error" for i in failed)
    assert "lỗi của chương trình" in failed[0].render("vi")
    assert {e["entry"]: e["status"] for e in outcome.inventory} == {
        names[TAN_PHU]: "Không đọc được", names[CAM_MY]: "Không đọc được", names[district("Xuân Lộc")]: "Đọc được",
        "broken.xlsx": "Không đọc được"}
    assert outcome.plan.rejected and outcome.plan.totals["tong"] == 400_000_000  # Xuân Lộc's line, no norm asked
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1  # a failed check is never cached


def test_readers_started_ahead_prepare_their_task_before_any_file(tmp_path):
    marker = tmp_path / "prepared"
    readers = Sandbox(1, task=Prepared(marker))
    readers.start()
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists()  # prepared while no file was given yet
        first = sorted(_inbox(tmp_path).iterdir())[:1]
        outcomes = [o for _, o in read_many(first, sandbox=readers)]
        assert outcomes == [(True, int(marker.read_text()))]  # that same process read the file
        assert readers._idle and readers._idle[0].process.is_alive()  # the caller's readers stay open
    finally:
        readers.close()


def test_validate_reports_a_failing_check_as_consolidate_does_never_rechecking_outside_the_limits(tmp_path):
    from kc_excel.validation.runner import validate_file

    inbox = _inbox(tmp_path)
    path = next(p for p in sorted(inbox.iterdir()) if p.name != "broken.xlsx")
    result = validate_file(path, norms={"MAY_MOC": "not a norm"})
    [issue] = result.report.issues
    assert issue.code == "file-check-failed" and "AttributeError" in issue.detail and issue.file == str(path)
    assert result.report.errors == 1
