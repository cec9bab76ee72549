"""Intake: what a unit sends instead of a registration is refused by name, never silently skipped."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kc_excel.consolidate import intake
from kc_excel.consolidate.run import consolidate_folder
from kc_excel.consolidate.intake import Intake

from consolidate_helpers import district, machine_line, registration

WRONG_FORMATS = ("bieu-mau.xlsb", "so-lieu.csv", "nen-lai.zip", "libre.fods")


def test_unsupported_workbooks_and_archives_are_collected_for_refusal(tmp_path):
    for name in (*WRONG_FORMATS, "cong-van.pdf", "anh.jpg"):
        (tmp_path / name).write_bytes(b"x")
    with Intake(tmp_path) as found:
        assert sorted(c.display for c in found.collect()) == sorted(WRONG_FORMATS)


@pytest.mark.parametrize("name", ["DangKy_2022_738_Huyen-Thong-Nhat.xlsb", "DangKy_2022_738_Huyen-Thong-Nhat.zip"])
def test_a_unit_that_sent_the_wrong_format_is_told_so(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    good = registration(folder, district("Tân Phú"), [machine_line(district("Tân Phú"))])
    wrong = folder / name
    shutil.make_archive(str(tmp_path / "z"), "zip", folder)  # any non-workbook bytes will do
    wrong.write_bytes((tmp_path / "z.zip").read_bytes())
    outcome = consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, level="district",
                                 cache_dir=False)
    codes = {(i.code, Path(i.file or "").name) for i in outcome.plan.issues}
    assert ("file-unsupported-format", name) in codes
    assert good.name not in {Path(i.file or "").name for i in outcome.plan.issues if i.severity == "error"}
    assert outcome.plan.rejected


def test_an_oversized_saved_email_is_refused_without_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "MAX_EMAIL_BYTES", 1000)
    mail = tmp_path / "thu.eml"
    mail.write_bytes(b"From: a@example.com\r\n\r\n" + b"x" * 2000)
    with Intake(tmp_path) as found:
        (candidate,) = found.collect()
    assert candidate.error == "file-too-large" and candidate.path == mail


def test_every_folder_entry_is_a_candidate_a_refusal_or_skipped_with_a_reason(tmp_path):
    import os

    (tmp_path / "thu-muc.xlsx").mkdir()
    os.mkfifo(tmp_path / "ong.xlsx")
    (tmp_path / "hong.xlsx").symlink_to(tmp_path / "khong-co.xlsx")
    (tmp_path / "hong.pdf").symlink_to(tmp_path / "khong-co.pdf")
    (tmp_path / "con").mkdir()
    (tmp_path / "lien-ket-thu-muc").symlink_to(tmp_path / "con")
    os.mkfifo(tmp_path / "ong-khac")
    for name in ("~$a.xlsx", "cong-van.pdf", "a.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    with Intake(tmp_path) as found:
        candidates = found.collect()
        skipped = {s.display: s.reason_en for s in found.skipped}
    refused = {c.display: c.detail_en for c in candidates if c.error == "input-not-a-file"}
    assert refused == {"thu-muc.xlsx": "a folder, not a file", "ong.xlsx": "not a regular file (FIFO, device…)",
                       "hong.xlsx": "a dangling link"}
    assert [c.display for c in candidates if c.error is None] == ["a.xlsx"]
    assert set(skipped) == {"hong.pdf", "con", "lien-ket-thu-muc", "ong-khac", "~$a.xlsx", "cong-van.pdf"}
    assert skipped["con"].startswith("a subfolder") and skipped["lien-ket-thu-muc"].startswith("a link")


def test_a_fifo_named_like_a_workbook_is_that_entrys_issue_and_never_opened(tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    registration(folder, district("Tân Phú"), [machine_line(district("Tân Phú"))])
    os.mkfifo(folder / "DangKy_2022_739.xlsx")  # opening it would block forever
    (folder / "cong-van.pdf").write_bytes(b"%PDF")
    outcome = consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, level="district",
                                 cache_dir=False)
    codes = {(i.code, i.file) for i in outcome.plan.issues}
    assert {("input-not-a-file", "DangKy_2022_739.xlsx"), ("input-skipped", "cong-van.pdf")} <= codes
    assert (outcome.read, outcome.left_out) == (1, 2)


def test_temporary_folders_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    import subprocess
    import sys
    import time

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    killed = tmp_path / f"{intake.TEMP_PREFIX}{dead}-abcd"
    (killed / "0001").mkdir(parents=True)
    (killed / "0001" / "phieu.xlsx").write_bytes(b"x")
    mine = tmp_path / f"{intake.TEMP_PREFIX}{os.getpid()}-efgh"
    legacy_old, legacy_new = tmp_path / f"{intake.TEMP_PREFIX}old1", tmp_path / f"{intake.TEMP_PREFIX}new1"
    for folder in (mine, legacy_old, legacy_new):
        folder.mkdir()
    os.utime(legacy_old, (time.time() - 2 * intake.STALE_AFTER_SECONDS,) * 2)
    assert sorted(intake.sweep_stale(tmp_path)) == sorted([killed, legacy_old])
    assert mine.exists() and legacy_new.exists()


def test_the_runs_own_output_backup_and_lock_in_the_folder_are_counted_not_warned_about(tmp_path):
    registration(tmp_path, district("Tân Phú"), [machine_line(district("Tân Phú"))])
    plan = tmp_path / "ke-hoach.xlsx"
    for _ in range(2):
        outcome = consolidate_folder(tmp_path, province="Đồng Nai", year=2022, output=plan, level="district",
                                     cache_dir=False)
    assert (tmp_path / "ke-hoach.xlsx.bak").exists()
    assert not [i for i in outcome.plan.issues if i.code == "input-skipped"]
    own = {e["entry"] for e in outcome.inventory if e["status"] == "Không phải bài nộp"}
    assert {"ke-hoach.xlsx", "ke-hoach.xlsx.bak"} <= own
    assert (outcome.read, outcome.left_out) == (1, 0)
