"""Tax codes: invalid-tax-code (stdnum.vn.mst; 12-digit personal numbers), tax-code-leading-zero, missing-tax-code."""

from __future__ import annotations

import random
from datetime import date

from builders import build_registration, clean_machine_row, validate_built, with_fault
from stdnum.vn import mst

from kc_excel.validation.rules.tax import CCCD_PROVINCES, is_valid_tax_code, why_invalid

SHEET = "Đăng ký"


def test_invalid_tax_code(tmp_path):
    rows = [
        clean_machine_row(),
        clean_machine_row(stt=2, ten_de_an="Máy 2", ma_so_thue="0100233480"),     # wrong check digit
        clean_machine_row(stt=3, ten_de_an="Máy 3", ma_so_thue="0314409058-002"),  # branch: fine
        clean_machine_row(stt=4, ten_de_an="Máy 4", ma_so_thue="075202001234", loai_hinh="Hộ kinh doanh"),  # personal
        clean_machine_row(stt=5, ten_de_an="Máy 5", ma_so_thue="999202001234", loai_hinh="Hộ kinh doanh"),  # no province 999
        clean_machine_row(stt=6, ten_de_an="Máy 6", ma_so_thue=100233488),          # number: leading zero lost
        clean_machine_row(stt=7, ten_de_an="Máy 7", ma_so_thue=75202001234, loai_hinh="Hộ kinh doanh"),  # 12 → 11
        clean_machine_row(stt=8, ten_de_an="Máy 8", ma_so_thue="0314409058/001"),  # "/" instead of "-"
        clean_machine_row(stt=9, ten_de_an="Máy 9", ma_so_thue="075299001234", loai_hinh="Hộ kinh doanh"),  # born 2099
    ]
    built = build_registration(tmp_path / "t.xlsx", rows)
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("ma_so_thue", 1), "invalid-tax-code"),
        (SHEET, built.cell("ma_so_thue", 4), "invalid-tax-code"),
        (SHEET, built.cell("ma_so_thue", 5), "tax-code-leading-zero"),
        (SHEET, built.cell("ma_so_thue", 6), "tax-code-leading-zero"),
        (SHEET, built.cell("ma_so_thue", 7), "invalid-tax-code"),
        (SHEET, built.cell("ma_so_thue", 8), "invalid-tax-code"),
    ]
    messages = {issue.cell: issue.message for issue in report.issues}
    assert messages[built.cell("ma_so_thue", 6)].startswith(
        "Mã số thuế mất số 0 ở đầu: ô chứa số 75202001234, đọc là '075202001234'. Định dạng cột là Văn bản (Text)")
    assert "dấu '/'" in messages[built.cell("ma_so_thue", 7)]
    assert "chữ số kiểm tra" not in messages[built.cell("ma_so_thue", 7)]
    assert "năm sinh 2099" in messages[built.cell("ma_so_thue", 8)]


def test_missing_tax_code(tmp_path):
    built = build_registration(tmp_path / "m.xlsx", with_fault({"ma_so_thue": None, "loai_hinh": "HTX"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("ma_so_thue", 1), "missing-tax-code")]


def test_is_valid_tax_code():
    assert is_valid_tax_code("0100233488") and is_valid_tax_code("0314409058-002")
    assert not is_valid_tax_code("0100233480") and not is_valid_tax_code("12345")
    assert is_valid_tax_code("075202001234") and not is_valid_tax_code("003202001234")
    assert is_valid_tax_code(75202001234)  # read with its zero put back (and a warning from the rule)
    assert not is_valid_tax_code("0314409058/001")


def test_birth_year_in_the_future_is_invalid():
    today = date(2026, 12, 4)
    assert is_valid_tax_code("001226001234", today=today)  # male, born 2026
    assert not is_valid_tax_code("001227001234", today=today)  # male, born 2027
    assert not is_valid_tax_code("001327001234", today=today)  # female, born 2027
    assert is_valid_tax_code("001099001234", today=today)  # male, born 1999
    assert not is_valid_tax_code("001401001234", today=today)  # born 2101
    assert why_invalid("001227001234", today=today)[0] == "năm sinh 2027 trong số định danh cá nhân chưa tới (sau năm 2026)"


def _with_separators(rng: random.Random, digits: str) -> str:
    if len(digits) == 13 and rng.random() < 0.5:
        return digits[:10] + rng.choice(["-", " ", "."]) + digits[10:]
    return digits


def test_agrees_with_stdnum_on_enterprise_and_branch_codes():
    """python-stdnum is the oracle for 10- and 13-digit codes, valid ones made with its own check digit."""
    rng = random.Random(13)
    valid = 0
    for _ in range(3000):
        body = "".join(rng.choice("0123456789") for _ in range(9))
        digits = body + (mst.calc_check_digit(body) if rng.random() < 0.6 else rng.choice("0123456789"))
        if rng.random() < 0.5:
            digits += f"{rng.randrange(0, 1000):03d}"
        text = _with_separators(rng, digits)
        assert is_valid_tax_code(text) == mst.is_valid(text), text
        valid += mst.is_valid(text)
    assert valid > 1000


def test_slash_before_the_branch_is_named_not_the_check_digit():
    assert mst.is_valid("0314409058-001")  # the same code with "-" is valid
    assert why_invalid("0314409058/001") == (
        "có dấu '/': mã chi nhánh viết sau dấu gạch ngang '-' (ví dụ 0314409058-001)",
        "contains '/': the branch suffix follows a '-' (e.g. 0314409058-001)")


def test_every_personal_number_typed_as_a_number_gets_its_zero_back():
    rng = random.Random(12)
    for province in sorted(p for p in CCCD_PROVINCES if p >= 10):  # 001-009 lose two zeros: not recoverable
        code = f"{province:03d}{rng.choice('0123')}{rng.randrange(0, 26):02d}{rng.randrange(10**6):06d}"
        assert code.startswith("0")
        assert is_valid_tax_code(int(code)) and is_valid_tax_code(float(int(code)))
