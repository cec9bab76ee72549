"""Place rules: unknown-location, location-outside-unit (district files before 2026, communes after)."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, validate_built, with_fault

SHEET = "Đăng ký"


def test_unknown_location(tmp_path):
    built = build_registration(tmp_path / "l.xlsx", with_fault({"dia_diem": "Xã Không Tồn Tại"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("dia_diem", 1), "unknown-location")]


def test_location_outside_unit(tmp_path):
    # Phường Tân Phong is in Biên Hòa, not in Huyện Tân Phú.
    built = build_registration(tmp_path / "o.xlsx", with_fault({"dia_diem": "Phường Tân Phong"}))
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [(SHEET, built.cell("dia_diem", 1), "location-outside-unit")]
    assert "Huyện Tân Phú" in report.issues[0].message


def test_commune_level_file_accepts_only_itself(tmp_path):
    from kc_excel.catalog import find_province, units_of

    communes = units_of(find_province("Đồng Nai"), level="xa")
    own, other = communes[0], communes[1]
    meta = {"cap_don_vi": "xa", "ma_don_vi": own.code, "ten_don_vi": own.name, "nam": "2026"}
    rows = [clean_machine_row(dia_diem=own.short.upper()), clean_machine_row(stt=2, ten_de_an="Máy sấy", dia_diem=other.name)]
    built = build_registration(tmp_path / "x.xlsx", rows, meta=meta)
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("dia_diem", 1), "location-outside-unit")]


def test_unit_given_from_outside_replaces_the_kc_sheet(tmp_path):
    # Consolidation may know the unit from elsewhere: Xã Phú Lộc is not in Huyện Vĩnh Cửu (735).
    built = build_registration(tmp_path / "u.xlsx", [clean_machine_row()])
    assert validate_built(built, unit="735").flatten("cell", "code") == [(built.cell("dia_diem", 0), "location-outside-unit")]
    assert validate_built(built).flatten("cell", "code") == []
