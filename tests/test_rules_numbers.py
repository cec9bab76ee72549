"""Number rules: not-a-number, too-precise-amount, negative-amount, not-positive; Vietnamese text accepted."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, clean_training_row, validate_built, with_fault

SHEET = "Đăng ký"


def test_clean_rows_raise_nothing(tmp_path):
    built = build_registration(tmp_path / "clean.xlsx", [clean_machine_row(), clean_training_row()])
    assert validate_built(built).flatten("sheet", "cell", "code") == []


def test_not_a_number(tmp_path):
    built = build_registration(tmp_path / "nan.xlsx", with_fault({"doi_ung": "hai trăm năm mươi tr", "so_luong": "một ít"}))
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("so_luong", 1), "not-a-number"),
        (SHEET, built.cell("doi_ung", 1), "not-a-number"),
    ]


def test_too_precise_amount(tmp_path):
    # 400,0000005 triệu = 400.000.000,5 đồng: half a đồng.
    built = build_registration(tmp_path / "precise.xlsx", with_fault({"tong": "400,0000005"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("tong", 1), "too-precise-amount")]


def test_negative_amount(tmp_path):
    # 395 = 150 + 250 + (-5): the sum holds, only the sign is wrong.
    built = build_registration(tmp_path / "neg.xlsx", with_fault({"tong": 395, "khac": -5}))
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [(SHEET, built.cell("khac", 1), "negative-amount")]
    assert "-5" in report.issues[0].message


def test_not_positive_quantity(tmp_path):
    built = build_registration(tmp_path / "qty.xlsx", with_fault({"so_luong": 0}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("so_luong", 1), "not-positive")]


def test_vietnamese_text_numbers_are_accepted(tmp_path):
    rows = [
        # 1 tỷ 650 triệu = 150 + 1.500 (triệu): text in Vietnamese style.
        clean_machine_row(tong="1 tỷ 650 triệu", kcdp="150", doi_ung="1.500"),
        # 17.331 triệu đồng = 150 + 17.181
        clean_machine_row(stt=2, ten_de_an="Máy cắt", tong="17.331 triệu đồng", kcdp=150, doi_ung="17.181"),
        clean_machine_row(stt=3, ten_de_an="Máy sấy", tong="400,5", kcdp="150,5", doi_ung=250),
    ]
    built = build_registration(tmp_path / "text.xlsx", rows)
    assert validate_built(built).flatten("sheet", "cell", "code") == []
