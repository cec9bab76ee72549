"""`kc-excel validate`: exit codes, the --json document (against the contract's schema), --annotate, --help."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from builders import build_registration, clean_machine_row, clean_training_row, with_fault
from conftest import SCHEMAS
from openpyxl import Workbook, load_workbook

from kc_excel.cli import main


def _validator():
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    issue = json.loads((SCHEMAS / "issue.schema.json").read_text(encoding="utf-8"))
    validate = json.loads((SCHEMAS / "validate.schema.json").read_text(encoding="utf-8"))
    resource = Resource.from_contents(issue)
    registry = Registry().with_resources([("issue.schema.json", resource), ("kc-excel/issue.schema.json", resource),
                                          ("kc-excel/issue", resource)])
    return Draft202012Validator(validate, registry=registry)


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["validate", "--json", *args])
    document = json.loads(capsys.readouterr().out)
    _validator().validate(document)
    return code, document


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def clean(tmp_path):
    return build_registration(tmp_path / "sach.xlsx", [clean_machine_row(), clean_training_row()])


@pytest.fixture
def faulty(tmp_path):
    rows = with_fault({"tong": 410, "dia_diem": "Phường Tân Phong"})
    rows.append(clean_machine_row(stt=4))  # duplicate of row 0: a warning
    return build_registration(tmp_path / "loi.xlsx", rows)


def test_clean_file_exit_0_with_a_summary(capsys, clean):
    assert main(["validate", str(clean.path)]) == 0
    assert "0 lỗi" in capsys.readouterr().out


def test_errors_exit_1_and_table_names_file_cell_code(capsys, faulty):
    assert main(["validate", str(faulty.path)]) == 1
    shown = capsys.readouterr().out
    for text in ("loi.xlsx", faulty.cell("tong", 1), "sum-mismatch", "location-outside-unit", "Tổng kinh phí"):
        assert text in shown


def test_json_document_matches_the_contract(capsys, faulty, clean):
    code, document = run_json(capsys, str(faulty.path), str(clean.path))
    assert code == 1 and document["valid"] is False
    bad, good = document["files"]
    assert [(i["sheet"], i["cell"], i["code"], i["severity"]) for i in bad["issues"]] == [
        ("Đăng ký", faulty.cell("dia_diem", 1), "location-outside-unit", "error"),
        ("Đăng ký", faulty.cell("tong", 1), "sum-mismatch", "error"),
        ("Đăng ký", faulty.cell("ten_de_an", 3), "duplicate-line", "warning"),
    ]
    assert bad["sha256"] == sha256(faulty.path) and bad["kind"] == "dang-ky" and bad["valid"] is False
    assert good["valid"] is True and good["issues"] == []
    assert document["summary"] == {"errors": 2, "warnings": 1, "truncated": False}
    assert bad["issues"][1]["value"] == 410 and bad["issues"][1]["row"] == faulty.row(1)


def test_json_english_messages(capsys, faulty):
    assert main(["--lang", "en", "validate", "--json", str(faulty.path)]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["files"][0]["issues"][1]["message"].startswith("Total does not equal the sum of the sources")


def test_unusable_file_exit_2_even_beside_errors(capsys, tmp_path, faulty):
    other = tmp_path / "khac.xlsx"
    wb = Workbook()
    wb.active["A1"] = "Danh sách cán bộ"
    wb.save(other)
    code, document = run_json(capsys, str(faulty.path), str(other))
    assert code == 2
    assert [i["code"] for i in document["files"][1]["issues"]] == ["not-a-kc-workbook"]
    assert "Không phải biểu mẫu khuyến công" in document["files"][1]["issues"][0]["message"]


def test_missing_file_exit_2(capsys, tmp_path):
    code, document = run_json(capsys, str(tmp_path / "khong-co.xlsx"))
    assert code == 2 and document["files"][0]["issues"][0]["code"] == "file-not-found"


def test_year_option(capsys, clean):
    code, document = run_json(capsys, "--year", "2023", str(clean.path))
    assert code == 1 and [i["code"] for i in document["files"][0]["issues"]] == ["year-mismatch"]


def test_annotate_marks_cells_and_lists_issues_without_touching_the_input(capsys, tmp_path, faulty):
    before = sha256(faulty.path)
    out = tmp_path / "build" / "danh-dau.xlsx"
    assert main(["validate", str(faulty.path), "--annotate", str(out)]) == 1
    assert sha256(faulty.path) == before
    book = load_workbook(out)
    sheet = book["Đăng ký"]
    tong, dup = sheet[faulty.cell("tong", 1)], sheet[faulty.cell("ten_de_an", 3)]
    assert tong.fill.fgColor.rgb == "FFFFC7CE" and "sum-mismatch" in tong.comment.text
    assert dup.fill.fgColor.rgb == "FFFFEB9C" and "duplicate-line" in dup.comment.text
    assert sheet[faulty.cell("tong", 0)].comment is None
    issues = book["Lỗi"]
    rows = [[c.value for c in r] for r in issues.iter_rows(min_row=1, max_row=issues.max_row)]
    assert rows[0] == ["STT", "Trang tính", "Ô", "Mã lỗi", "Mức độ", "Nội dung"]
    assert [r[2:4] for r in rows[1:]] == [[faulty.cell("dia_diem", 1), "location-outside-unit"],
                                          [faulty.cell("tong", 1), "sum-mismatch"],
                                          [faulty.cell("ten_de_an", 3), "duplicate-line"]]
    assert issues["C3"].hyperlink.location == f"'Đăng ký'!{faulty.cell('tong', 1)}"
    assert rows[2][4] == "Lỗi" and rows[3][4] == "Cảnh báo"


def test_annotate_refuses_several_files_or_xls(capsys, tmp_path, clean, faulty):
    out = tmp_path / "x.xlsx"
    assert main(["validate", str(clean.path), str(faulty.path), "--annotate", str(out)]) == 2
    xls = tmp_path / "cu.xls"
    xls.write_bytes(b"")
    assert main(["validate", str(xls), "--annotate", str(out)]) == 2
    assert not out.exists()
    assert "--annotate" in capsys.readouterr().err


def test_text_starting_with_equals_stays_text(tmp_path):
    from kc_excel.validation.annotate import set_text

    wb = Workbook()
    set_text(wb.active["A1"], "=HYPERLINK(\"http://x\")")
    wb.save(tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_help_lists_the_options(capsys):
    assert main(["validate", "--help"]) == 0
    shown = capsys.readouterr().out
    for option in ("--json", "--annotate", "--norms", "--year"):
        assert option in shown


@pytest.mark.libreoffice
def test_annotated_copy_opens_in_libreoffice(soffice, tmp_path, faulty):
    from kc_excel.libreoffice import convert

    out = tmp_path / "danh-dau.xlsx"
    assert main(["validate", str(faulty.path), "--annotate", str(out)]) == 1
    back = convert(out, "ods", tmp_path / "lo")
    again = convert(back, "xlsx", tmp_path / "lo2")
    book = load_workbook(again)
    assert book["Lỗi"]["D3"].value == "sum-mismatch"
    assert book["Đăng ký"][faulty.cell("tong", 1)].comment is not None


@pytest.mark.slow
def test_whole_corpus_through_validate_json_exit_2(capsys):
    from conftest import CORPUS

    from kc_excel.validation.issues import CODES

    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    assert len(files) == 412
    code = main(["validate", "--json", *map(str, files)])
    document = json.loads(capsys.readouterr().out)
    _validator().validate(document)
    assert code == 2
    assert [f["path"] for f in document["files"]] == list(map(str, files))
    wrong = [(f["path"], [i["code"] for i in f["issues"]]) for f in document["files"]
             if len(f["issues"]) != 1 or not CODES[f["issues"][0]["code"]].file_level]
    assert wrong == []
    assert all(f["issues"][0]["message"] and "Traceback" not in f["issues"][0]["message"] for f in document["files"])


def test_norms_option_overrides_the_default_caps(capsys, tmp_path, clean):
    # The province caps MAY_MOC at 30 %: the clean 150/400 = 37,5 % line now exceeds it.
    norms = tmp_path / "dinh-muc.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Định mức"
    ws.append(["Hoạt động", "Tỷ lệ hỗ trợ tối đa (%)", "Mức hỗ trợ tối đa (triệu đồng)", "Tính theo", "Văn bản",
               "Ngày hiệu lực"])
    ws.append(["MAY_MOC", 30, 200, "cơ sở", "Quyết định 12/2021/QĐ-UBND", "01/01/2021"])
    wb.save(norms)
    code, document = run_json(capsys, "--norms", str(norms), str(clean.path))
    assert code == 1
    assert [(i["cell"], i["code"]) for i in document["files"][0]["issues"]] == [
        (clean.cell("kcdp", 0), "support-ratio-exceeded")]
    assert "Quyết định 12/2021/QĐ-UBND" in document["files"][0]["issues"][0]["message"]


def test_bad_norms_file_exit_2(capsys, tmp_path, clean):
    bad = tmp_path / "khong-co.xlsx"
    assert main(["validate", "--norms", str(bad), str(clean.path)]) == 2
    assert "khong-co.xlsx" in capsys.readouterr().err
