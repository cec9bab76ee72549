"""The runner: registry, order and cap, plan lines of accepted rows, one-row checks, file-level reports."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, clean_training_row, validate_built, with_fault

from kc_excel.validation.issues import CODES
from kc_excel.validation.registry import codes, registered
from kc_excel.validation.runner import check_row, lines_of, validate_file, validate_workbook
from kc_excel.workbook.reader import read_workbook

CONTRACT_ROW_CODES = {"required-missing", "not-a-number", "negative-amount", "too-precise-amount", "unknown-activity",
                      "unknown-unit-of-measure", "unit-mismatch", "unknown-location", "location-outside-unit",
                      "invalid-tax-code", "missing-tax-code", "sum-mismatch", "support-ratio-exceeded",
                      "support-cap-exceeded", "double-funding", "duplicate-line", "month-out-of-range",
                      "year-mismatch", "formula-overwritten"}


def test_every_contract_rule_is_registered_with_its_code_severity():
    assert CONTRACT_ROW_CODES <= set(codes())
    for entry in registered():
        assert entry.severity == CODES[entry.code].severity


def test_issues_sorted_by_row_then_column_and_capped(tmp_path):
    rows = [clean_machine_row(stt=i + 1, ten_de_an=f"Máy {i}", tong=410, dia_diem="Xã Ở Đâu") for i in range(4)]
    built = build_registration(tmp_path / "many.xlsx", rows)
    data = read_workbook(built.path)
    report = validate_workbook(data)
    expected = []
    for i in range(4):
        expected += [(built.cell("dia_diem", i), "unknown-location"), (built.cell("tong", i), "sum-mismatch")]
    assert report.flatten("cell", "code") == expected and not report.truncated
    capped = validate_workbook(data, limit=3)
    assert capped.flatten("cell", "code") == expected[:3] and capped.truncated


def test_lines_of_accepts_rows_without_errors_in_dong_with_provenance(tmp_path):
    rows = with_fault({"tong": 410})
    rows.append(clean_machine_row(stt=4, ten_de_an="Máy 4", dia_diem="Xã Phú Lộc", kcdp=150, doi_ung=250, tong=400))
    rows[3]["ten_de_an"] = rows[0]["ten_de_an"]  # a duplicate: a warning, still accepted
    built = build_registration(tmp_path / "lines.xlsx", rows)
    data = read_workbook(built.path)
    report = validate_workbook(data)
    lines = lines_of(data, report)
    assert [line.row for line in lines] == [built.row(0), built.row(2), built.row(3)]
    first = lines[0]
    assert (first.tong, first.kcdp, first.doi_ung, first.hoat_dong) == (400_000_000, 150_000_000, 250_000_000, "MAY_MOC")
    assert first.sha256 == data.sha256 and first.unit_code == "734"
    assert first.sheet == "Đăng ký" and first.dia_diem == "Xã Phú Lộc"


def test_check_row_gives_template_cells_of_the_row():
    values = ["1", "Máy ép", "MAY_MOC", "", "Cơ sở A", "0100233480", "DNNVV", "", "cơ sở", 1,
              410, 0, 150, 250, 0, 3, 13, ""]
    assert [(i.cell, i.code) for i in check_row(values, row=7)] == [
        ("F7", "invalid-tax-code"), ("K7", "sum-mismatch"), ("Q7", "month-out-of-range")]
    assert check_row([[None] * 18]) == []
    assert all(i.sheet is None for i in check_row(values))


def test_validate_file_turns_a_file_level_error_into_one_issue(tmp_path):
    bogus = tmp_path / "letter.xlsx"
    bogus.write_bytes(b"not a zip at all")
    result = validate_file(bogus)
    assert [i.code for i in result.report.issues] in (["file-corrupt"], ["file-unsupported-format"], ["file-unreadable"])
    assert result.file_level and not result.valid and result.data is None
    assert result.sha256 is not None and len(result.sha256) == 64


def test_validate_file_of_a_clean_workbook(tmp_path):
    built = build_registration(tmp_path / "ok.xlsx", [clean_machine_row(), clean_training_row()])
    result = validate_file(built.path)
    assert result.valid and result.kind == "dang-ky" and result.unit["code"] == "734"
    assert validate_built(built).issues == []
