"""month-out-of-range: months 1-12, whole, end not before start."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, validate_built

SHEET = "Đăng ký"


def test_month_out_of_range(tmp_path):
    rows = [
        clean_machine_row(),
        clean_machine_row(stt=2, ten_de_an="Máy 2", thang_bat_dau=13),                   # P3
        clean_machine_row(stt=3, ten_de_an="Máy 3", thang_bat_dau=9, thang_ket_thuc=4),  # Q4: ends before it starts
        clean_machine_row(stt=4, ten_de_an="Máy 4", thang_ket_thuc=9.5),                  # Q5: not a whole month
    ]
    built = build_registration(tmp_path / "m.xlsx", rows)
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("thang_bat_dau", 1), "month-out-of-range"),
        (SHEET, built.cell("thang_ket_thuc", 2), "month-out-of-range"),
        (SHEET, built.cell("thang_ket_thuc", 3), "month-out-of-range"),
    ]
