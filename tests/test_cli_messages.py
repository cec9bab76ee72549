"""Every message of the command line in Vietnamese, English with --lang en (issue 13 item 7).

Usage errors come from click in English; kc-excel says them in Vietnamese,
exits 2, and names where to find help. Also: --lang is read in one place and
checked, --as-of takes the ways staff write a month, --year is 2000-2100, a
missing input file says so, close matches print once, the validate table has a
severity column, and no .lock file is left beside an output.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from builders import build_registration, clean_machine_row
from typer._click.exceptions import BadParameter

from kc_excel.attainment.pace import AsOf
from kc_excel.cli import main
from kc_excel.cli.usage import usage_message
from kc_excel.consolidate.safety import lock_path, output_lock
from kc_excel.errors import OutputError
from kc_excel.i18n import LanguageError, set_lang, split_lang

ENGLISH = ("Missing", "Invalid value", "No such", "requires an argument", "Did you mean", "Usage:", "Error")


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    yield
    set_lang("vi")


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(("args", "expected"), [
    (["validate"], "Thiếu tham số 'FILE'."),
    (["consolidate", "."], "Thiếu tùy chọn '--province'."),
    (["consolidate", ".", "--province", "Hà Nội"], "Thiếu tùy chọn '--year'."),
    (["foo"], "Không có lệnh 'foo'."),
    (["validate", "--bogus", "x.xlsx"], "Không có tùy chọn '--bogus'."),
    (["validate", "--year", "abc", "x.xlsx"], "Giá trị không hợp lệ cho '--year': cần một số nguyên."),
    (["validate", "x.xlsx", "--year"], "Tùy chọn '--year' cần một giá trị."),
    (["attainment", "--programme", "a.xlsx"], "Thiếu tùy chọn '--results'."),
    (["template", "registration", "--province", "Hà Nội"], "Thiếu tùy chọn '--year'"),
    (["consolidate", ".", "--province", "Hà Nội", "--year", "2026", "--workers", "0"],
     "Giá trị không hợp lệ cho '--workers': cần một số lớn hơn hoặc bằng 1."),
    (["validate", "x.xlsx", "--max-issues", "0"], "Giá trị không hợp lệ cho '--max-issues': cần một số lớn hơn hoặc bằng 1."),
])
def test_usage_errors_in_vietnamese(capsys, args, expected):
    code, text = run(capsys, *args)
    assert code == 2
    assert expected in text
    assert "--help" in text  # where to look next
    assert not [word for word in ENGLISH if word in text], text


@pytest.mark.parametrize(("args", "expected"), [
    (["--lang", "en", "validate"], "Missing argument 'FILE'."),
    (["--lang=en", "consolidate", "."], "Missing option '--province'."),
    (["validate", "--lang", "en", "--year", "abc", "x.xlsx"], "Invalid value for '--year'"),
    (["--lang", "en", "validate", "x.xlsx", "--max-issues", "0"], "greater than or equal to 1"),
])
def test_usage_errors_in_english_with_lang_en(capsys, args, expected):
    code, text = run(capsys, *args)
    assert code == 2 and expected in text


def test_close_command_match_is_suggested_once(capsys):
    code, text = run(capsys, "validat")
    assert code == 2
    assert "Không có lệnh 'validat'. Có phải ý bạn là 'validate'?" in text
    assert text.count("'validate'") == 1


def test_close_name_matches_print_once(capsys, tmp_path):
    code, text = run(capsys, "template", "registration", "--province", "Ha Noj", "--year", "2025", "--unit", "x",
                     "-o", str(tmp_path / "t.xlsx"))
    assert code == 2
    assert text.count("Thành phố Hà Nội") == 1, text


@pytest.mark.parametrize("value", ["fr", "EN", "", "vi-VN"])
def test_other_languages_are_refused(capsys, value):
    code, text = run(capsys, "--lang", value, "validate", "x.xlsx")
    assert code == 2
    assert "--lang" in text and "dùng vi (tiếng Việt) hoặc en" in text


def test_lang_without_value_is_refused(capsys):
    code, text = run(capsys, "validate", "x.xlsx", "--lang")
    assert code == 2 and "--lang không hợp lệ" in text


def test_lang_is_parsed_in_one_place():
    assert split_lang(["--lang", "en", "validate", "a.xlsx"]) == ("en", ["validate", "a.xlsx"])
    assert split_lang(["validate", "--lang=vi"]) == ("vi", ["validate"])
    assert split_lang(["validate"]) == (None, ["validate"])
    with pytest.raises(LanguageError):
        split_lang(["--lang", "de"])


@pytest.mark.parametrize("text", ["2023-12", "12/2023", "12-2023", "T12/2023", " t12/2023 ", "Tháng 12/2023"])
def test_as_of_accepts_the_ways_staff_write_a_month(text):
    assert AsOf.parse(text) == AsOf(2023, 12)


@pytest.mark.parametrize("text", ["2023/12", "13/2023", "12/23", "T13/2023", "2023-12-01", "abc"])
def test_as_of_refuses_other_text(text):
    with pytest.raises(ValueError):
        AsOf.parse(text)


def test_as_of_error_on_the_command_line_names_the_forms(capsys, tmp_path):
    code, text = run(capsys, "attainment", "--programme", "p.xlsx", "--results", "r.xlsx", "--as-of", "2023/12",
                     "-o", str(tmp_path / "d.xlsx"))
    assert code == 2
    assert "12/2023" in text and "T12/2023" in text


@pytest.mark.parametrize(("year", "ok"), [("1999", False), ("1800", False), ("2101", False), ("20255", False),
                                          ("2000", True), ("2100", True)])
def test_year_is_between_2000_and_2100(capsys, tmp_path, year, ok):
    code, text = run(capsys, "validate", "--year", year, str(tmp_path / "khong-co.xlsx"))
    if ok:
        assert "--year" not in text and "Không tìm thấy tệp" in text
    else:
        assert code == 2
        assert f"Giá trị không hợp lệ cho '--year': năm phải từ 2000 đến 2100, không phải {int(year)}" in text


def test_consolidate_and_template_check_the_year_too(capsys, tmp_path):
    code, text = run(capsys, "consolidate", str(tmp_path), "--province", "Hà Nội", "--year", "1999",
                     "-o", str(tmp_path / "kh.xlsx"))
    assert code == 2 and "năm phải từ 2000 đến 2100" in text
    code, text = run(capsys, "template", "registration", "--province", "Hà Nội", "--year", "3000", "--all",
                     "-o", str(tmp_path))
    assert code == 2 and "năm phải từ 2000 đến 2100" in text


def test_missing_input_file_says_not_found(capsys, tmp_path):
    code, text = run(capsys, "validate", str(tmp_path / "khong-co.xlsx"))
    assert code == 2
    assert "Không tìm thấy tệp" in text and "khong-co.xlsx" in text
    assert "lưu lại" not in text and "Excel" not in text


def test_permission_error_while_running_is_a_vietnamese_message(capsys, tmp_path, monkeypatch):
    from kc_excel.workbook import templates

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "t.xlsx"))

    monkeypatch.setattr(templates, "write_registration", refuse)
    code, text = run(capsys, "template", "registration", "--province", "Hà Nội", "--year", "2025",
                     "--unit", "Phường Ba Đình", "-o", str(tmp_path / "t.xlsx"))
    assert code == 2
    assert "Không có quyền đọc/ghi" in text and "t.xlsx" in text
    assert "Permission denied" not in text and "Lỗi nội bộ" not in text


@pytest.mark.parametrize(("message", "expected"), [
    ("File 'kh.xlsx' is not readable.", "không có quyền đọc 'kh.xlsx'"),
    ("Directory 'out' is not writable.", "không có quyền ghi 'out'"),
    ("Path 'x.xlsx' does not exist.", "không tìm thấy tệp hoặc thư mục 'x.xlsx'"),
    ("'kh.xlsx': Permission denied", "không có quyền truy cập 'kh.xlsx'"),
])
def test_click_permission_and_path_errors_are_translated(message, expected):
    error = BadParameter(message, param_hint="'--output'")
    text = usage_message(error)
    assert text.startswith(f"Giá trị không hợp lệ cho '--output': {expected}")
    assert text.endswith("\nXem cách dùng: kc-excel --help")


def test_validate_table_has_a_severity_column(capsys, tmp_path):
    rows = [clean_machine_row(ma_so_thue="0100233480"),  # wrong check digit: an error
            clean_machine_row(stt=2, ten_de_an="Máy 2", ma_so_thue=100233488)]  # lost its zero: a warning
    built = build_registration(tmp_path / "dk.xlsx", rows)
    code, text = run(capsys, "validate", str(built.path))
    assert code == 1
    assert "Mức độ" in text
    lines = [line for line in text.splitlines() if "tax-code" in line]
    assert any("lỗi" in line and "invalid-tax-code" in line for line in lines)
    assert any("cảnh báo" in line and "tax-code-leading-zero" in line for line in lines)
    code, text = run(capsys, "--lang", "en", "validate", str(built.path))
    assert "Severity" in text and "warning" in text


def test_no_lock_file_is_left_beside_the_output(tmp_path):
    output = tmp_path / "ke-hoach.xlsx"
    with output_lock(output):
        assert lock_path(output).exists()
    assert not lock_path(output).exists()
    with output_lock(output):  # and the next run takes the lock again
        assert lock_path(output).exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.timeout(60)  # it looped for ever (issue 12, "Hangs")
def test_validate_returns_on_a_cell_with_two_currency_words(capsys, tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [clean_machine_row(khac="150 triệu đồng VND")])
    code, text = run(capsys, "validate", "--json", str(built.path))
    assert code in (0, 1) and '"valid"' in text


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc (a folder no file can be made in)")
def test_an_unwritable_output_folder_is_said_as_such_not_as_a_lock(capsys, tmp_path):
    with pytest.raises(OutputError) as caught:
        with output_lock(Path("/proc/kc-ke-hoach.xlsx"), timeout=1):
            pass
    assert "Không ghi được vào thư mục /proc" in str(caught.value) and "khóa" not in str(caught.value)
    built = build_registration(tmp_path / "dk.xlsx", [clean_machine_row()])
    code, text = run(capsys, "validate", str(built.path), "--annotate", "/proc/kc_loi.xlsx")
    assert code == 2 and "Không ghi được vào thư mục /proc" in text
    assert "No such file" not in text and "Permission denied" not in text


def test_folder_errors_carry_no_english_errno_text(tmp_path):
    from kc_excel.outputs import unwritable_folder

    for number, text in ((errno.ENOENT, "No such file or directory"), (errno.EACCES, "Permission denied"),
                         (errno.ENOSPC, "No space left on device")):
        message = str(unwritable_folder(tmp_path / "x.xlsx", OSError(number, text)))
        assert message.startswith(f"Không ghi được vào thư mục {tmp_path}") and text not in message


def test_consolidate_in_english_says_statuses_and_amounts_in_english(tmp_path, capsys, monkeypatch):
    """--lang en: the table's statuses and the summary's amounts in English (the workbook keeps the contract's
    Vietnamese statuses)."""
    from conftest import EXAMPLES

    monkeypatch.setenv("KC_EXCEL_CACHE_DIR", str(tmp_path / "cache"))
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("DangKy_2022_731_Thanh-pho-Bien-Hoa.xlsx", "DangKy_2022_734_Huyen-Tan-Phu.xlsx"):
        (inbox / name).write_bytes((EXAMPLES / name).read_bytes())
    code, text = run(capsys, "--lang", "en", "consolidate", str(inbox), "--province", "Đồng Nai", "--year", "2022",
                     "-o", str(tmp_path / "plan.xlsx"))
    assert code in (0, 1)
    assert "Not sent" in text and "Valid" in text and "Chưa nộp" not in text and "Hợp lệ" not in text
    total = text.split("Total ", 1)[1].split(" million VND", 1)[0]
    assert re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", total), total  # "8,635" or "12.5": English marks
    code, text = run(capsys, "consolidate", str(inbox), "--province", "Đồng Nai", "--year", "2022",
                     "-o", str(tmp_path / "plan.xlsx"))
    assert "Chưa nộp" in text and "Not sent" not in text
