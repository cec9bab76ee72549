"""Issue 14 item 6: ``validate`` knows every kind it is given, and its counts are exact when the list is cut."""

from __future__ import annotations

import json

import openpyxl
import pytest

from kc_excel.cli import main
from kc_excel.validation import runner
from kc_excel.validation.render import summary

from attainment_books import SEED_PROGRAMME, SEED_RESULTS, programme_book, results_book
from builders import build_registration, clean_machine_row
from test_attainment_plan import plan_book
from test_norms_in_force import _norms


def _json(capsys, *args):
    code = main(["validate", "--json", *map(str, args)])
    return code, json.loads(capsys.readouterr().out)


def test_a_plan_is_refused_with_exit_2_saying_what_it_is(tmp_path, capsys):
    code, document = _json(capsys, plan_book(tmp_path / "KeHoach.xlsx"))
    issues = document["files"][0]["issues"]
    assert code == 2 and document["valid"] is False
    assert [i["code"] for i in issues] == ["kind-not-validated"]
    assert "kế hoạch khuyến công tỉnh đã tổng hợp" in issues[0]["message"]


def test_a_workbook_of_no_template_is_refused(tmp_path, capsys):
    path = tmp_path / "la.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Bảng chấm công"
    wb.save(path)
    code, document = _json(capsys, path)
    assert code == 2 and document["valid"] is False
    assert [i["code"] for i in document["files"][0]["issues"]] in (["not-a-kc-workbook"], ["kind-not-validated"])


def test_a_programme_is_validated_by_its_own_rules(tmp_path, capsys):
    rows = [*SEED_PROGRAMME, SEED_PROGRAMME[0] | {"chi_tieu": "lặp lại"},
            SEED_PROGRAMME[1] | {"ma_chi_tieu": "X", "cong_don": "Không cộng dồn (lấy năm cuối)"}]
    code, document = _json(capsys, programme_book(tmp_path / "ct.xlsx", rows))
    found = [(i["code"], i["cell"]) for i in document["files"][0]["issues"]]
    assert code == 1 and document["valid"] is False
    assert ("duplicate-indicator", "A11") in found and ("invalid-value", "H12") in found


def test_results_are_validated_by_their_own_rules(tmp_path, capsys):
    stated = [{"ma": "A", "loai": "Số liệu", "gia_tri": 100}, {"ma": "B", "loai": "Số liệu", "gia_tri": 50},
              {"ma": "T", "loai": "Chênh lệch", "gia_tri": 999, "thanh_phan": "A - B"}]
    book = results_book(tmp_path / "kq.xlsx", [*SEED_RESULTS, SEED_RESULTS[0] | {"thuc_hien": 151}], stated=stated)
    code, document = _json(capsys, book)
    codes = [i["code"] for i in document["files"][0]["issues"]]
    assert code == 1 and "duplicate-result" in codes and "stated-difference-mismatch" in codes


def test_a_clean_programme_and_results_pass(tmp_path, capsys):
    code, document = _json(capsys, programme_book(tmp_path / "ct.xlsx"), results_book(tmp_path / "kq.xlsx"))
    assert code == 0 and document["valid"] is True


def test_norms_workbooks_are_validated_by_the_norms_rules(tmp_path, capsys):
    good = _norms(tmp_path / "dm.xlsx", [["MAY_MOC", 40, 300, "", "NQ", "01/01/2025"]])
    code, document = _json(capsys, good)
    assert code == 0 and document["files"][0]["issues"] == []
    bad = _norms(tmp_path / "dm2.xlsx", [["MAY_MOC", 40, 100000000, "", "NQ", "01/01/2025"]])
    code, document = _json(capsys, bad)
    issues = document["files"][0]["issues"]
    assert code == 1 and [i["code"] for i in issues] == ["norms-invalid"] and "ô C3" in issues[0]["message"]


@pytest.fixture
def many_errors(tmp_path):
    """12 lines whose Tổng kinh phí is not the sum of its sources: 12 sum-mismatch errors."""
    return build_registration(tmp_path / "dk.xlsx", [clean_machine_row(stt=i + 1, tong=999) for i in range(12)])


def test_counts_are_exact_when_the_list_is_cut(many_errors):
    from kc_excel.workbook.reader import read_workbook

    data = read_workbook(many_errors.path)
    whole = runner.validate_workbook(data)
    cut = runner.validate_workbook(data, limit=5)
    assert (cut.truncated, cut.listed, cut.errors, cut.warnings) == (True, 5, whole.errors, whole.warnings)
    assert whole.errors == 12 and not whole.truncated and whole.cut_notice() is None
    assert cut.cut_notice("dk.xlsx") == f"dk.xlsx: danh sách đã bị cắt, chỉ liệt kê 5 trong {12 + whole.warnings} " \
                                        f"vấn đề (12 lỗi, {whole.warnings} cảnh báo)"


def test_the_cut_is_said_in_json_text_and_the_annotated_copy(many_errors, tmp_path, capsys):
    code, document = _json(capsys, many_errors.path, "--max-issues", "5")
    entry = document["files"][0]
    assert code == 1 and entry["truncated"] is True and len(entry["issues"]) == 5
    assert entry["errors"] == document["summary"]["errors"] == 12 and document["summary"]["truncated"] is True
    assert "chỉ liệt kê 5 trong" in entry["cut"]
    result = runner.validate_file(many_errors.path, limit=5)
    assert "12 lỗi" in summary([result]) and "chỉ liệt kê 5 trong" in summary([result])
    out = tmp_path / "danh-dau.xlsx"
    assert main(["validate", str(many_errors.path), "--max-issues", "5", "--annotate", str(out)]) == 1
    sheet = openpyxl.load_workbook(out)["Lỗi"]
    assert "chỉ liệt kê 5 trong" in str(sheet.cell(7, 6).value)


def test_errors_are_listed_before_warnings_when_the_list_is_cut(tmp_path):
    """A cut list never hides errors behind warnings: with room for 5, the 5 listed are errors."""
    from kc_excel.validation.issues import Severity
    from kc_excel.workbook.reader import read_workbook

    rows = [clean_machine_row(stt=i + 1, tong=999) for i in range(12)]
    built = build_registration(tmp_path / "dk.xlsx", rows)
    data = read_workbook(built.path)
    whole = runner.validate_workbook(data)
    assert whole.warnings > 0, "the file must also carry warnings for this test to mean anything"
    cut = runner.validate_workbook(data, limit=whole.warnings)
    assert cut.truncated and [i.severity for i in cut.issues] == [Severity.ERROR] * whole.warnings
