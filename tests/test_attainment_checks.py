"""Consistency checks of stated figures (totals, rates, differences) within their stated precision."""

from __future__ import annotations

from decimal import Decimal as D

from kc_excel.attainment.checks import StatedFigure, check_stated, kind_of, tolerance


def test_kinds_and_tolerance():
    assert [kind_of(t) for t in ("tong", "TỶ LỆ", "Chenh lech", None, "khác")] == [
        "Tổng", "Tỷ lệ", "Chênh lệch", "Số liệu", None]
    assert tolerance(3) == D("0.0005") and tolerance(0) == D("0.5")


def _fig(code, kind, value, decimals=0, parts=None):
    return StatedFigure(code=code, kind=kind, value=D(value), decimals=decimals, parts=parts, cell=f"D{code}")


def test_stated_checks_total_rate_difference_and_precision():
    base = [_fig("A", "Số liệu", 300), _fig("B", "Số liệu", 200), _fig("C", "Số liệu", 7)]
    cases = [
        _fig("T1", "Tổng", 507, parts="A + B + C"),
        _fig("T2", "Tổng", 500, parts="A + B + C"),
        _fig("R1", "Tỷ lệ", "0.6667", 4, parts="B / A"),     # 66,67%
        _fig("R2", "Tỷ lệ", "0.667", 3, parts="B / A"),      # 66,7%
        _fig("R3", "Tỷ lệ", "0.67", 2, parts="B / A"),       # 67%: 66,67% rounds to 67%
        _fig("R4", "Tỷ lệ", "0.6", 1, parts="B / A"),        # 60%: 66,67% is not 60%
        _fig("R5", "Tỷ lệ", "0.66", 2, parts="B / A"),
        _fig("D1", "Chênh lệch", 100, parts="A - B"),
        _fig("D2", "Chênh lệch", 101, parts="A - B"),
        _fig("X1", "Tổng", 1, parts="A + NOPE"),
        _fig("X2", "Chênh lệch", 1, parts="A - B - C"),
        _fig("X3", "Tỷ lệ", 1, parts="A / Z0"),
    ]
    issues = check_stated([*base, *cases, _fig("Z0", "Số liệu", 0)])
    assert [(i.code, i.cell) for i in issues] == [
        ("stated-total-mismatch", "DT2"), ("stated-rate-mismatch", "DR4"), ("stated-rate-mismatch", "DR5"),
        ("stated-difference-mismatch", "DD2"), ("stated-figure-invalid", "DX1"), ("stated-figure-invalid", "DX2"),
        ("stated-figure-invalid", "DX3")]
