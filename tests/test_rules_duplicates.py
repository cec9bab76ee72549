"""duplicate-line: the second of two identical lines gets a warning."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, clean_training_row, validate_built

from kc_excel.validation.issues import Severity

SHEET = "Đăng ký"


def test_duplicate_line(tmp_path):
    rows = [clean_machine_row(), clean_training_row(),
            clean_machine_row(stt=3, ten_de_an="  HỖ TRỢ ỨNG DỤNG MÁY ÉP GẠCH KHÔNG NUNG ")]
    built = build_registration(tmp_path / "d.xlsx", rows)
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [(SHEET, built.cell("ten_de_an", 2), "duplicate-line")]
    assert report.issues[0].severity == Severity.WARNING and report.valid
    assert f"dòng {built.row(0)}" in report.issues[0].message
