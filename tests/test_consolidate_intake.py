"""Intake: what a unit sends instead of a registration is refused by name, never silently skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kc_excel.consolidate import consolidate_folder, intake
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
