"""Catalogue rules: unknown-activity, unknown-unit-of-measure, unit-mismatch, unknown-facility-type."""

from __future__ import annotations

from builders import build_registration, validate_built, with_fault

SHEET = "Đăng ký"


def test_unknown_activity(tmp_path):
    built = build_registration(tmp_path / "a.xlsx", with_fault({"hoat_dong": "Hỗ trợ làm đường giao thông"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("hoat_dong", 1), "unknown-activity")]


def test_activity_by_label_without_diacritics_is_known(tmp_path):
    built = build_registration(tmp_path / "a.xlsx", with_fault({"hoat_dong": "ung dung may moc thiet bi tien tien"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == []


def test_unknown_unit_of_measure(tmp_path):
    built = build_registration(tmp_path / "u.xlsx", with_fault({"don_vi_tinh": "cái"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("don_vi_tinh", 1), "unknown-unit-of-measure")]


def test_unit_mismatch(tmp_path):
    built = build_registration(tmp_path / "m.xlsx", with_fault({"don_vi_tinh": "lớp"}))
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [(SHEET, built.cell("don_vi_tinh", 1), "unit-mismatch")]
    assert "cơ sở, đề án" in report.issues[0].message
    for lang in ("vi", "en"):  # issue 16: the activity's name, not its code
        text = report.issues[0].render(lang)
        assert "“Ứng dụng máy móc thiết bị tiên tiến”" in text and "MAY_MOC" not in text, text


def test_unknown_facility_type(tmp_path):
    built = build_registration(tmp_path / "f.xlsx", with_fault({"loai_hinh": "Công ty cổ phần"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("loai_hinh", 1), "unknown-facility-type")]
