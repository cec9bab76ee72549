"""Tax codes: invalid-tax-code (stdnum.vn.mst; 12-digit personal numbers), missing-tax-code."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, validate_built, with_fault

from kc_excel.validation.rules.tax import is_valid_tax_code

SHEET = "Đăng ký"


def test_invalid_tax_code(tmp_path):
    rows = [
        clean_machine_row(),
        clean_machine_row(stt=2, ten_de_an="Máy 2", ma_so_thue="0100233480"),     # wrong check digit
        clean_machine_row(stt=3, ten_de_an="Máy 3", ma_so_thue="0314409058-002"),  # branch: fine
        clean_machine_row(stt=4, ten_de_an="Máy 4", ma_so_thue="075202001234", loai_hinh="Hộ kinh doanh"),  # personal
        clean_machine_row(stt=5, ten_de_an="Máy 5", ma_so_thue="999202001234", loai_hinh="Hộ kinh doanh"),  # no province 999
        clean_machine_row(stt=6, ten_de_an="Máy 6", ma_so_thue=100233488),          # number: leading zero lost
    ]
    built = build_registration(tmp_path / "t.xlsx", rows)
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("ma_so_thue", 1), "invalid-tax-code"),
        (SHEET, built.cell("ma_so_thue", 4), "invalid-tax-code"),
    ]


def test_missing_tax_code(tmp_path):
    built = build_registration(tmp_path / "m.xlsx", with_fault({"ma_so_thue": None, "loai_hinh": "HTX"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("ma_so_thue", 1), "missing-tax-code")]


def test_is_valid_tax_code():
    assert is_valid_tax_code("0100233488") and is_valid_tax_code("0314409058-002")
    assert not is_valid_tax_code("0100233480") and not is_valid_tax_code("12345")
    assert is_valid_tax_code("075202001234") and not is_valid_tax_code("003202001234")
