"""Money rules: sum-mismatch, support-ratio-exceeded, support-cap-exceeded, double-funding."""

from __future__ import annotations

from decimal import Decimal

from builders import build_registration, validate_built, with_fault

from kc_excel.catalog import default_norms

SHEET = "Đăng ký"


def test_sum_mismatch(tmp_path):
    built = build_registration(tmp_path / "s.xlsx", with_fault({"tong": 410}))
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [(SHEET, built.cell("tong", 1), "sum-mismatch")]
    assert "410 ≠ 0 + 150 + 250 + 0 = 400" in report.issues[0].message


def test_sum_is_exact_to_the_dong(tmp_path):
    # 400,000001 triệu is 1 đồng more than 150 + 250.
    built = build_registration(tmp_path / "s.xlsx", with_fault({"tong": "400,000001"}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("tong", 1), "sum-mismatch")]


def test_support_ratio_exceeded(tmp_path):
    # MAY_MOC: at most 50 %; 180 of 300 is 60 % (and 180 ≤ the 200 triệu cap).
    built = build_registration(tmp_path / "r.xlsx", with_fault({"tong": 300, "kcdp": 180, "doi_ung": 120}))
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [(SHEET, built.cell("kcdp", 1), "support-ratio-exceeded")]
    assert "60%" in report.issues[0].message and "50%" in report.issues[0].message
    assert_names_not_codes(report.issues[0], "Ứng dụng máy móc thiết bị tiên tiến")


def test_support_cap_exceeded_per_facility(tmp_path):
    # 250 triệu for 1 cơ sở > 200; the same 250 for 2 cơ sở is within 400.
    rows = with_fault({"tong": 600, "kcdp": 250, "doi_ung": 350})
    rows.append({**rows[1], "stt": 4, "ten_de_an": "Máy cho hai cơ sở", "so_luong": 2})
    built = build_registration(tmp_path / "c.xlsx", rows)
    report = validate_built(built)
    assert report.flatten("sheet", "cell", "code") == [(SHEET, built.cell("kcdp", 1), "support-cap-exceeded")]
    assert_names_not_codes(report.issues[0], "Ứng dụng máy móc thiết bị tiên tiến")


def assert_names_not_codes(issue, name: str) -> None:
    """Issue 16: staff read the activity's name, in Vietnamese and English, never its internal code."""
    for lang in ("vi", "en"):
        text = issue.render(lang)
        assert f"“{name}”" in text and "MAY_MOC" not in text, text


def test_norms_from_option_override_the_default(tmp_path):
    norms = dict(default_norms())
    norms["MAY_MOC"] = norms["MAY_MOC"].model_copy(update={"max_ratio": Decimal("0.3")})
    built = build_registration(tmp_path / "n.xlsx", with_fault({}))
    # 150/400 = 37,5 % > 30 % for every MAY_MOC line (rows 0 and 1).
    assert validate_built(built, norms=norms).flatten("cell", "code") == [
        (built.cell("kcdp", 0), "support-ratio-exceeded"), (built.cell("kcdp", 1), "support-ratio-exceeded")]


def test_double_funding(tmp_path):
    built = build_registration(tmp_path / "d.xlsx", with_fault({"kcqg": 50, "kcdp": 100}))
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("kcqg", 1), "double-funding")]
