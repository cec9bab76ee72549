"""`kc-excel attainment` end to end: exit codes, --json against the contract schema, the report, --pdf."""

from __future__ import annotations

import json

import jsonschema
import pytest

from kc_excel.cli import main
from attainment_books import SEED_RESULTS, programme_book, results_book
from conftest import SCHEMAS


@pytest.fixture
def books(tmp_path):
    return programme_book(tmp_path / "ChuongTrinh.xlsx"), results_book(tmp_path / "KetQua.xlsx")


def run(capsys, *args):
    code = main(["attainment", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_matches_the_contract_and_the_seed(books, tmp_path, capsys):
    programme, results = books
    out = tmp_path / "DanhGia.xlsx"
    code, stdout, _ = run(capsys, "--programme", programme, "--results", results, "--as-of", "2023-12",
                          "-o", out, "--json")
    assert code == 0 and out.exists()
    document = json.loads(stdout)
    schema = json.loads((SCHEMAS / "attainment.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    rows = {i["code"]: i for i in document["indicators"]}
    assert document["as_of"] == "2023-12"
    assert (rows["KHOI_SU"]["actual"], round(rows["KHOI_SU"]["ratio"], 4), rows["KHOI_SU"]["expected_pace"],
            rows["KHOI_SU"]["status"]) == (484, 0.3227, 0.6, "Chậm tiến độ")
    assert (round(rows["GIAI_NGAN"]["ratio"], 4), rows["GIAI_NGAN"]["expected_pace"], rows["GIAI_NGAN"]["status"]) == \
        (0.567, 1, "Không đạt")
    assert (rows["TANG_TRUONG"]["target_min"], rows["TANG_TRUONG"]["target_max"], rows["TANG_TRUONG"]["actual"],
            rows["TANG_TRUONG"]["expected_pace"], rows["TANG_TRUONG"]["status"]) == (0.05, 0.054, 0.034, None, "Chưa đạt")
    assert rows["XUAT_KHAU"]["status"] == "Vượt" and rows["NHAN_HIEU"]["status"] == "Chưa thực hiện"
    assert rows["TRUYEN_THONG"]["status"] == "Đúng tiến độ" and rows["MAY_MOC"]["status"] == "Chậm tiến độ"


def test_table_on_stdout_without_json(books, tmp_path, capsys):
    code, stdout, _ = run(capsys, "--programme", books[0], "--results", books[1], "--as-of", "2023-12",
                          "-o", tmp_path / "r.xlsx")
    assert code == 0
    assert "32,27%" in stdout and "Chậm tiến độ" in stdout and "13.216,3873" in stdout  # triệu đồng


def test_duplicate_result_across_files_exits_1_and_still_reports(books, tmp_path, capsys):
    again = results_book(tmp_path / "KetQua2.xlsx", [SEED_RESULTS[0] | {"thuc_hien": 151}])
    out = tmp_path / "r.xlsx"
    code, _, stderr = run(capsys, "--programme", books[0], "--results", books[1], "--results", again,
                          "--as-of", "2023-12", "-o", out)
    assert code == 1 and out.exists()
    assert "duplicate-result" in stderr and "KetQua2.xlsx" in stderr


@pytest.mark.parametrize("as_of", ["2023-13", "2023/12", "2023", "1999-12", "12/2101"])  # 12/2023 is accepted (issue 13 item 7)
def test_bad_as_of_exits_2_without_output(books, tmp_path, capsys, as_of):
    out = tmp_path / "r.xlsx"
    code, _, stderr = run(capsys, "--programme", books[0], "--results", books[1], "--as-of", as_of, "-o", out)
    assert code == 2 and not out.exists() and "--as-of" in stderr and "Traceback" not in stderr


def test_unusable_inputs_exit_2_without_output(books, tmp_path, capsys):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"this is not a workbook")
    out = tmp_path / "r.xlsx"
    for programme, results in ((junk, books[1]), (books[1], books[1])):
        code, _, stderr = run(capsys, "--programme", programme, "--results", results, "--as-of", "2023-12", "-o", out)
        assert code == 2 and not out.exists() and "Traceback" not in stderr


def test_output_must_not_overwrite_an_input(books, capsys):
    before = books[1].read_bytes()
    code, _, _ = run(capsys, "--programme", books[0], "--results", books[1], "--as-of", "2023-12", "-o", books[1])
    assert code == 2 and books[1].read_bytes() == before


def test_pdf_without_libreoffice_is_a_clear_error(books, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("kc_excel.cli.attainment.find_soffice", lambda: None)
    out = tmp_path / "r.xlsx"
    code, _, stderr = run(capsys, "--programme", books[0], "--results", books[1], "--as-of", "2023-12",
                          "-o", out, "--pdf")
    assert code == 2 and "LibreOffice" in stderr and not out.exists()


@pytest.mark.libreoffice
def test_pdf_with_libreoffice(books, tmp_path, capsys, soffice):
    out = tmp_path / "r.xlsx"
    code, _, _ = run(capsys, "--programme", books[0], "--results", books[1], "--as-of", "2023-12", "-o", out, "--pdf")
    assert code == 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_help_text(capsys):
    code = main(["attainment", "--help"])
    text = capsys.readouterr().out
    assert code == 0 and "--as-of" in text and "Đánh giá thực hiện" in text


def test_shipped_dong_nai_examples_as_of_2023_12(tmp_path, capsys):
    """The `make demo` run: the Đồng Nai examples give the seed 004 verdicts."""
    from conftest import EXAMPLES

    code, stdout, _ = run(capsys, "--programme", EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx",
                          "--results", EXAMPLES / "KetQua_DongNai_2021-2023.xlsx", "--as-of", "2023-12",
                          "-o", tmp_path / "DanhGia.xlsx", "--json")
    assert code == 0
    prefixes = ("Đào tạo khởi sự", "Hỗ trợ cơ sở CNNT ứng dụng máy móc", "Chuyên đề khuyến công",
                "Hỗ trợ cơ sở CNNT xây dựng", "Kinh phí khuyến công", "Tăng trưởng giá trị sản xuất", "Giá trị xuất khẩu")
    picked = [(i["actual"], round(i["ratio"] * 100, 2), i["status"])
              for i in json.loads(stdout)["indicators"] if i["name"].startswith(prefixes)]
    assert sorted(picked) == sorted([
        (484, 32.27, "Chậm tiến độ"), (19, 40.43, "Chậm tiến độ"), (72, 60.0, "Đúng tiến độ"),
        (0, 0.0, "Chưa thực hiện"), (13_216.387314, 56.7, "Không đạt"), (0.034, 68.0, "Chưa đạt"),
        (902_389_000, 100.27, "Vượt")])


def test_stated_figures_are_checked_and_listed_in_the_report(books, tmp_path, capsys):
    import openpyxl

    from kc_excel.attainment.examples import SEED_004

    results = results_book(tmp_path / "KetQua_SoLieu.xlsx", stated=SEED_004)
    out = tmp_path / "r.xlsx"
    code, _, stderr = run(capsys, "--programme", books[0], "--results", results, "--as-of", "2023-12", "-o", out)
    assert code == 0  # a misstated published figure is a warning, not a data error
    assert "[stated-difference-mismatch] KetQua_SoLieu.xlsx!Số liệu công bố!D8" in stderr
    assert "10.091.812.686" in stderr
    notes = [r for r in openpyxl.load_workbook(out)["Ghi chú"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[3], r[4]) for r in notes] == [("stated-difference-mismatch", "Số liệu công bố", "D8")]


def test_json_carries_the_issues_met_on_the_way(books, tmp_path, capsys):
    again = results_book(tmp_path / "KetQua2.xlsx", [SEED_RESULTS[0] | {"thuc_hien": 151}])
    code, stdout, _ = run(capsys, "--programme", books[0], "--results", books[1], "--results", again,
                          "--as-of", "2023-12", "-o", tmp_path / "r.xlsx", "--json")
    document = json.loads(stdout)
    jsonschema.validate(document, json.loads((SCHEMAS / "attainment.schema.json").read_text(encoding="utf-8")))
    assert code == 1 and "duplicate-result" in [issue["code"] for issue in document["issues"]]
