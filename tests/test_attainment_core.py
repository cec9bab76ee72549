"""The pure attainment core on the Đồng Nai seed figures (seeds 001 and 004) and on edge cases."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kc_excel.attainment import (
    CHAM_TIEN_DO, CHUA_CO_SO_LIEU, CHUA_DAT, CHUA_THUC_HIEN, DAT, DUNG_TIEN_DO, KHONG_DAT, VUOT, AsOf, aggregate,
    cagr, evaluate, expected_pace, merge_results, ratio, status, yoy_change, yoy_changes,
)
from kc_excel.models import CUMULATIVE, LATEST, LOWER_IS_BETTER, MEAN, Result, Target

AS_OF = AsOf(2023, 12)


def seed_targets() -> list[Target]:
    """Chương trình khuyến công Đồng Nai 2021-2025 (seed 001) and the figures of seed 004."""
    return [
        Target(code="KHOI_SU", name="Đào tạo khởi sự, quản trị doanh nghiệp", unit="học viên",
               target_min=D(1500), from_year=2021, to_year=2025),
        Target(code="MAY_MOC", name="Hỗ trợ cơ sở ứng dụng máy móc thiết bị", unit="cơ sở",
               target_min=D(47), from_year=2021, to_year=2025),
        Target(code="TRUYEN_THONG", name="Chuyên đề khuyến công trên Đài PT-TH", unit="chuyên đề",
               target_min=D(120), from_year=2021, to_year=2025),
        Target(code="NHAN_HIEU", name="Hỗ trợ xây dựng, đăng ký nhãn hiệu", unit="cơ sở",
               target_min=D(2), from_year=2021, to_year=2025),
        Target(code="GIAI_NGAN", name="Kinh phí khuyến công giải ngân", unit="đồng",
               target_min=D(23_308_200_000), from_year=2021, to_year=2023),
        Target(code="TANG_TRUONG", name="Tăng trưởng giá trị sản xuất CNNT bình quân", unit="%",
               target_min=D("0.05"), target_max=D("0.054"), aggregation=MEAN, from_year=2021, to_year=2025),
        Target(code="XUAT_KHAU", name="Giá trị xuất khẩu", unit="USD",
               target_min=D(900_000_000), aggregation=LATEST, from_year=2021, to_year=2025),
    ]


def seed_results() -> list[Result]:
    """Totals of seed 004 for 2021-2023 (the split between years is illustrative, the sums are the seed's)."""
    yearly = {"KHOI_SU": (150, 134, 200), "MAY_MOC": (5, 6, 8), "TRUYEN_THONG": (24, 24, 24),
              "NHAN_HIEU": (0, 0, 0), "GIAI_NGAN": (3_100_000_000, 4_816_387_314, 5_300_000_000)}
    results = [Result(code=c, year=2021 + i, value=D(v)) for c, vs in yearly.items() for i, v in enumerate(vs)]
    results.append(Result(code="TANG_TRUONG", year=2023, value=D("0.034")))
    results.append(Result(code="XUAT_KHAU", year=2023, value=D(902_389_000)))
    return results


def by_code(report):
    return {row.target.code: row for row in report.rows}


def test_seed_figures_as_of_2023_12():
    rows = by_code(evaluate(seed_targets(), seed_results(), AS_OF))
    summary = {c: (r.actual, round(r.ratio * 100, 2) if r.ratio is not None else None, r.status)
               for c, r in rows.items()}
    assert summary == {
        "KHOI_SU": (D(484), D("32.27"), CHAM_TIEN_DO),
        "MAY_MOC": (D(19), D("40.43"), CHAM_TIEN_DO),
        "TRUYEN_THONG": (D(72), D("60.00"), DUNG_TIEN_DO),
        "NHAN_HIEU": (D(0), D("0.00"), CHUA_THUC_HIEN),
        "GIAI_NGAN": (D(13_216_387_314), D("56.70"), KHONG_DAT),
        "TANG_TRUONG": (D("0.034"), D("68.00"), CHUA_DAT),
        "XUAT_KHAU": (D(902_389_000), D("100.27"), VUOT),
    }
    assert rows["KHOI_SU"].expected_pace == D("0.6")
    assert rows["GIAI_NGAN"].expected_pace == 1
    assert rows["XUAT_KHAU"].expected_pace is None and rows["TANG_TRUONG"].expected_pace is None


def test_json_is_fractions_and_numbers():
    doc = evaluate(seed_targets(), seed_results(), AS_OF).to_json()
    first = doc["indicators"][0]
    assert doc["as_of"] == "2023-12"
    assert first["actual"] == 484 and isinstance(first["actual"], int)
    assert first["expected_pace"] == 0.6
    assert abs(first["ratio"] - 484 / 1500) < 1e-12


@pytest.mark.parametrize("args, expected", [
    ((2021, 2025, 2023, 12), D("0.6")),
    ((2021, 2025, 2021, 1), D(1) / 60),
    ((2021, 2025, 2020, 12), D(0)),          # before the period starts
    ((2021, 2025, 2027, 6), D(1)),           # capped
    ((2021, 2023, 2023, 12), D(1)),
    ((2024, 2024, 2024, 6), D("0.5")),
])
def test_expected_pace(args, expected):
    assert expected_pace(*args) == expected


def test_as_of_parsing():
    assert AsOf.parse("2023-12") == AsOf(2023, 12)
    for bad in ("2023-13", "2023/12", "2023", ""):  # 12/2023 is accepted (issue 13 item 7)
        with pytest.raises(ValueError):
            AsOf.parse(bad)


def test_ratio_directions_and_missing_targets():
    assert ratio(484, 1500) == D(484) / D(1500)
    assert ratio(D(6), D(4), D(8), LOWER_IS_BETTER) == D("0.75")
    assert ratio(D(6), D(4), None, LOWER_IS_BETTER) == D("1.5")
    assert ratio(5, 0) is None and ratio(5, None) is None and ratio(None, 10) is None
    assert ratio(5, None, 10) == D("0.5")  # only tối đa given: it is the target


@pytest.mark.parametrize("actual, tmin, tmax, direction, aggregation, expected", [
    (None, 10, None, None, CUMULATIVE, CHUA_CO_SO_LIEU),
    (0, 10, None, None, CUMULATIVE, CHUA_THUC_HIEN),
    (0, 0, None, None, CUMULATIVE, CHUA_THUC_HIEN),
    (5, None, None, None, CUMULATIVE, CHUA_CO_SO_LIEU),     # no target: cannot be judged
    (5, 0, None, None, CUMULATIVE, VUOT),                   # zero target, no ZeroDivisionError
    (12, 10, None, None, CUMULATIVE, VUOT),
    (10, 10, None, None, CUMULATIVE, DAT),
    (6, 10, None, None, CUMULATIVE, DUNG_TIEN_DO),          # 60% against 60%
    (5, 10, None, None, CUMULATIVE, CHAM_TIEN_DO),
    (11, 10, 12, None, CUMULATIVE, DUNG_TIEN_DO),           # range: above tối thiểu, below tối đa
    (12, 10, 12, None, CUMULATIVE, DAT),
    (5, 10, None, None, LATEST, CHUA_DAT),              # period not over: not yet failed
    (11, 10, 12, None, MEAN, DAT),
    (13, 10, 12, None, MEAN, VUOT),
    # Càng thấp càng tốt (mirrored)
    (3, 4, 8, LOWER_IS_BETTER, LATEST, VUOT),
    (8, 4, 8, LOWER_IS_BETTER, LATEST, DAT),
    (9, 4, 8, LOWER_IS_BETTER, MEAN, CHUA_DAT),
    (0, 4, None, LOWER_IS_BETTER, LATEST, VUOT),             # 0 is not "Chưa thực hiện" when lower is better
    (6, None, 10, LOWER_IS_BETTER, CUMULATIVE, DUNG_TIEN_DO),  # 60% of the cap, 60% of the time
    (7, None, 10, LOWER_IS_BETTER, CUMULATIVE, CHAM_TIEN_DO),
    (11, None, 10, LOWER_IS_BETTER, CUMULATIVE, KHONG_DAT),
    (0, None, 0, LOWER_IS_BETTER, CUMULATIVE, DUNG_TIEN_DO),
])
def test_status_rules(actual, tmin, tmax, direction, aggregation, expected):
    kwargs = {"direction": direction} if direction else {}
    assert status(actual, tmin, tmax, aggregation=aggregation, from_year=2021, to_year=2025,
                  as_of_year=2023, as_of_month=12, **kwargs) == expected


def test_cumulative_when_period_over_uses_final_rules():
    assert status(9, 10, None, "Càng cao càng tốt", CUMULATIVE, 2021, 2023, 2023, 12) == KHONG_DAT
    assert status(9, 10, None, "Càng cao càng tốt", CUMULATIVE, 2021, 2023, 2023, 6) == DUNG_TIEN_DO  # 90% ≥ 30/36
    assert status(9, 10) == KHONG_DAT  # no period given: judged as over


def test_aggregation():
    values = {2021: D(1), 2022: D(2), 2023: D(6)}
    assert aggregate(values, CUMULATIVE) == 9
    assert aggregate(values, LATEST) == 6
    assert aggregate(values, MEAN) == 3
    assert aggregate({}, MEAN) is None


def test_results_outside_period_or_after_as_of_are_left_out_and_reported():
    target = Target(code="X", name="X", target_min=D(10), from_year=2021, to_year=2025)
    results = [Result(code="X", year=2020, value=D(4), sheet="Kết quả", cell="C2"),
               Result(code="X", year=2022, value=D(3)),
               Result(code="X", year=2024, value=D(5), cell="C4"),
               Result(code="Y", year=2022, value=D(1))]
    report = evaluate([target], results, AsOf(2023, 6))
    assert report.rows[0].actual == 3
    assert [(i.code, i.cell) for i in report.issues] == [
        ("result-outside-period", "C2"), ("result-after-as-of", "C4"), ("unknown-indicator", None)]


def test_as_of_before_period_starts():
    target = Target(code="X", name="X", target_min=D(10), from_year=2026, to_year=2030)
    report = evaluate([target], [Result(code="X", year=2025, value=D(2))], AsOf(2025, 12))
    row = report.rows[0]
    assert (row.actual, row.expected_pace, row.status) == (None, D(0), CHUA_CO_SO_LIEU)
    assert [i.code for i in report.issues] == ["result-outside-period"]


def test_duplicate_results_are_errors_naming_both_cells():
    a = Result(code="X", year=2022, value=D(3), file="/d/a.xlsx", sheet="Kết quả", cell="C2")
    b = Result(code="X", year=2022, value=D(4), file="/d/b.xlsx", sheet="Kết quả", cell="C7")
    merged, issues = merge_results([a, b])
    assert merged == [a]
    assert [(i.code, i.severity, i.file, i.cell) for i in issues] == [("duplicate-result", "error", "/d/b.xlsx", "C7")]
    assert "a.xlsx!Kết quả!C2" in issues[0].message and "b.xlsx!Kết quả!C7" in issues[0].message


def test_growth_functions():
    assert cagr(100, 121, 2) == D("0.1")
    assert abs(cagr(D("70000"), D("73396"), 1) - D("0.04851428571428571428571428571")) < D("1e-25")
    assert cagr(50, 0, 3) == -1
    for bad in ((0, 5, 1), (5, -1, 1), (5, 6, 0)):
        with pytest.raises(ValueError):
            cagr(*bad)
    assert yoy_change(D(73396), D(73000)) == D(73000) / D(73396) - 1
    assert yoy_change(0, 5) is None
    assert yoy_changes({2021: D(100), 2022: D(110), 2024: D(121)}) == {2022: D("0.1")}


def test_core_imports_no_adapter():
    import subprocess
    import sys

    code = ("import sys, kc_excel.attainment, kc_excel.attainment.checks, kc_excel.attainment.plan; "
            "print(sorted(m for m in ('typer', 'click', 'xlwings', 'openpyxl', 'rich') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_below_minimum_is_not_yet_failed_while_the_period_runs():
    """Contract §2.5 (amended): 3,4 % mean growth against 5-5,4 % for 2021-2025."""
    growth = dict(target_min=D("0.05"), target_max=D("0.054"), aggregation=MEAN, from_year=2021, to_year=2025)
    assert status(D("0.034"), **growth, as_of_year=2023, as_of_month=12) == CHUA_DAT
    assert status(D("0.034"), **growth, as_of_year=2025, as_of_month=12) == KHONG_DAT
    assert status(D("0.034"), **growth, as_of_year=2026, as_of_month=1) == KHONG_DAT
    assert status(D("0.034"), D("0.05"), D("0.054"), aggregation=LATEST) == KHONG_DAT  # no period: final
    assert status(9, 4, 8, LOWER_IS_BETTER, LATEST, 2021, 2025, 2023, 12) == CHUA_DAT  # mirrored


def test_report_formula_says_chua_dat_while_running_and_khong_dat_after():
    from kc_excel.attainment.formulas import RowCells, status_formula

    target = Target(code="G", name="G", target_min=D("0.05"), target_max=D("0.054"), aggregation=MEAN,
                    from_year=2021, to_year=2025)
    running, over = status_formula(target, RowCells(7), 2023, 12), status_formula(target, RowCells(7), 2025, 12)
    assert '"Chưa đạt"' in running and '"Không đạt"' not in running
    assert '"Không đạt"' in over and '"Chưa đạt"' not in over
