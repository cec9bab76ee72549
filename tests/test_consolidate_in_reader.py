"""Validation inside the reader processes (a reader task): same plan as validating in this process."""

from __future__ import annotations

import os
import time
from pathlib import Path

from consolidate_helpers import district, machine_line, registration
from kc_excel.consolidate import consolidate_folder
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


def test_a_task_runs_in_the_reader_with_its_extra_and_a_failing_task_gives_the_data_back(tmp_path):
    inbox = _inbox(tmp_path)
    paths = sorted(inbox.iterdir())
    extras = [p.stem for p in paths]
    outcomes = [o for _, o in read_many(paths, workers=2, task=CountRows(), extras=extras)]
    kinds = [type(o).__name__ for o in outcomes]
    assert kinds == ["tuple", "tuple", "FileLevelError"], kinds  # DangKy_…_CamMy, DangKy_…_TanPhu, broken
    assert [o[0] for o in outcomes[:2]] == extras[:2] and all(o[1] >= 1 for o in outcomes[:2])
    failed = [o for _, o in read_many(paths, workers=1, task=Fails())]
    assert [isinstance(o, WorkbookData) for o in failed[:2]] == [True, True]
    assert isinstance(failed[2], FileLevelError)


def test_plan_is_the_same_whether_validated_in_the_readers_or_here(tmp_path, monkeypatch):
    inbox = _inbox(tmp_path)
    options = dict(province="Đồng Nai", year=2022, output=None, level="district", cache_dir=False)
    in_reader = consolidate_folder(inbox, **options).plan
    monkeypatch.setattr("kc_excel.consolidate.parallel.IN_READER", False)
    here = consolidate_folder(inbox, **options).plan
    monkeypatch.setattr("kc_excel.consolidate.parallel.validation_processes", lambda readers, files: 1)
    pooled = consolidate_folder(inbox, **options).plan
    assert list(pooled.lines) == list(here.lines) and pooled.totals == here.totals
    assert in_reader.totals == here.totals and in_reader.totals["tong"] == 700_500_000
    assert list(in_reader.lines) == list(here.lines) and len(in_reader.lines) == 2
    assert [i.to_json() for i in in_reader.issues] == [i.to_json() for i in here.issues]
    assert {ln.source.unit_code for ln in in_reader.lines} == {TAN_PHU.code}
    assert any(i.severity == "error" and i.row is not None for i in in_reader.issues)  # Cẩm Mỹ's line


def test_a_failing_validation_in_the_reader_is_redone_here_and_raises_here(tmp_path, monkeypatch):
    inbox = _inbox(tmp_path)
    monkeypatch.setattr("kc_excel.consolidate.parallel._task_of", lambda validator: Fails())
    outcome = consolidate_folder(inbox, province="Đồng Nai", year=2022, output=None, level="district",
                                 cache_dir=False)
    assert outcome.plan.totals["tong"] == 700_500_000
    assert {ln.source.unit_code for ln in outcome.plan.lines} == {TAN_PHU.code}


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
