"""Structure: year-mismatch is ours; layout issues of the reader are kept; cells follow moved columns."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, clean_training_row, validate_built, with_fault

from kc_excel.validation.runner import lines_of, validate_workbook
from kc_excel.workbook.reader import read_workbook

SHEET = "Đăng ký"


def test_year_mismatch(tmp_path):
    built = build_registration(tmp_path / "y.xlsx", [clean_machine_row(), clean_training_row()])
    assert validate_built(built, expected_year=2023).flatten("sheet", "cell", "code") == [(None, None, "year-mismatch")]
    assert validate_built(built, expected_year=2022).flatten("code") == []


def test_reordered_retyped_columns_point_at_the_right_cell(tmp_path):
    from kc_excel.workbook.layout import REGISTRATION

    keys = list(REGISTRATION.keys)
    keys.remove("tong")
    keys.insert(2, "tong")  # Tổng moved to column C
    built = build_registration(tmp_path / "r.xlsx", with_fault({"tong": 410}), columns=keys,
                               headers={"tong": "TONG KINH PHI (trieu dong)"}, extra_columns={1: "Ghi chú thêm"})
    report = validate_built(built)
    codes = report.flatten("sheet", "cell", "code")
    assert (SHEET, built.cell("tong", 1), "sum-mismatch") in codes
    assert built.cell("tong", 1).startswith("D")  # after STT, the extra column and Tên đề án
    assert any(code == "layout-altered" for _, _, code in codes)
    assert report.issues[[c for _, _, c in codes].index("sum-mismatch")].column == "TONG KINH PHI (trieu dong)"


def test_legacy_encoding_from_the_reader_is_kept_and_text_converted(tmp_path):
    built = build_registration(tmp_path / "tcvn3.xlsx", with_fault({"co_so": "C¬ së méc §øc Thµnh"}))
    data = read_workbook(built.path)
    report = validate_workbook(data)
    assert report.flatten("sheet", "cell", "code") == [(SHEET, built.cell("co_so", 1), "legacy-encoding")]
    assert lines_of(data, report)[1].co_so == "Cơ sở mộc Đức Thành"

