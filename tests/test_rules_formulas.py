"""formula-overwritten: a totals-row cell typed over with a number (warning)."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, clean_training_row, validate_built

SHEET = "Đăng ký"


def test_formula_overwritten(tmp_path):
    rows = [clean_machine_row(), clean_training_row()]
    totals = {"tong": "=SUBTOTAL(109,K2:K3)", "kcqg": "=SUBTOTAL(109,L2:L3)", "kcdp": 210,
              "doi_ung": "=SUBTOTAL(109,N2:N3)", "khac": "=SUBTOTAL(109,O2:O3)"}
    built = build_registration(tmp_path / "f.xlsx", rows, totals=totals)
    report = validate_built(built)
    totals_row = built.row(len(rows))
    assert report.flatten("sheet", "cell", "code") == [
        (SHEET, f"{built.columns['kcdp']}{totals_row}", "formula-overwritten")]
    assert report.valid  # a warning only
