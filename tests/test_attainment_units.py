"""Issue 14 item 1: an indicator's Đơn vị tính decides how its numbers are read (answers computed by hand)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kc_excel.attainment import AsOf
from kc_excel.attainment.checks import TOTAL, StatedFigure, check_stated
from kc_excel.attainment.io import attainment_from, read_stated, stated_decimals
from kc_excel.units import (
    DONG_ASSUMED, EXPLICIT, FRACTION, POINTS, read_in_unit, report_unit, to_report_unit,
)
from kc_excel.workbook.reader import read_workbook

from attainment_books import programme_book, results_book

AS_OF = AsOf(2023, 12)


def _target(code, unit, low, high=None, how="Cộng dồn", years=(2021, 2025)):
    return {"ma_chi_tieu": code, "chi_tieu": code, "don_vi_tinh": unit, "toi_thieu": low, "toi_da": high,
            "chieu": "Càng cao càng tốt", "cong_don": how, "tu_nam": years[0], "den_nam": years[1]}


def _run(tmp_path, targets, results):
    programme = read_workbook(programme_book(tmp_path / "ct.xlsx", targets))
    outcome = attainment_from(programme, [read_workbook(results_book(tmp_path / "kq.xlsx", results))], AS_OF)
    return {r.target.code: r for r in outcome.report.rows}, outcome.issues


@pytest.mark.parametrize("raw", [5, "5", "5 %", "5,0 %", "5%", 0.05, "0,05"])
def test_percent_reads_five_every_way(raw):
    assert read_in_unit(raw, "%").value == D("0.05")


def test_percent_scales_are_named():
    assert [read_in_unit(raw, "%").scale for raw in ("5,4 %", 5.4, 0.054)] == [EXPLICIT, POINTS, FRACTION]
    assert read_in_unit("0,05 %", "%").value == D("0.0005")  # the % sign says it: 0,05 %


def test_percent_target_typed_5_against_result_5_4_percent(tmp_path):
    """Target 5 (meaning 5 %), tối đa 5,4 %, Kỳ cuối; result "5,4 %": 0,054 / 0,05 = 108 %, at tối đa → Đạt."""
    rows, issues = _run(tmp_path, [_target("TL", "%", 5, "5,4 %", how="Kỳ cuối", years=(2021, 2023))],
                        [{"ma_chi_tieu": "TL", "nam": 2023, "thuc_hien": "5,4 %"}])
    assert (rows["TL"].actual, rows["TL"].ratio, rows["TL"].status) == (D("0.054"), D("1.08"), "Đạt")
    assert not [i for i in issues if i.severity == "error"]


def test_results_typed_3_4_against_a_5_to_5_4_percent_target(tmp_path):
    """Bình quân of 3,4 (points) = 3,4 %; 0,034 / 0,05 = 68 %, below tối thiểu before 2025 ends → Chưa đạt."""
    rows, _ = _run(tmp_path, [_target("TT", "%", 0.05, 0.054, how="Bình quân")],
                   [{"ma_chi_tieu": "TT", "nam": y, "thuc_hien": 3.4} for y in (2021, 2022, 2023)])
    assert (rows["TT"].actual, rows["TT"].ratio, rows["TT"].status) == (D("0.034"), D("0.68"), "Chưa đạt")


def test_a_fraction_next_to_percent_points_is_flagged(tmp_path):
    """0,05 (read as 5 %) next to 5,4 (read as 5,4 %) in one indicator: the 0,05 cell is ambiguous."""
    rows, issues = _run(tmp_path, [_target("TL", "%", "5 %", how="Kỳ cuối")],
                        [{"ma_chi_tieu": "TL", "nam": 2021, "thuc_hien": 0.05},
                         {"ma_chi_tieu": "TL", "nam": 2022, "thuc_hien": 5.4}])
    flagged = [i for i in issues if i.code == "percent-scale-ambiguous"]
    assert [(i.cell, i.severity) for i in flagged] == [("C4", "warning")]
    assert "5 %" in flagged[0].message and "5,4 %" in flagged[0].message
    assert rows["TL"].values == {2021: D("0.05"), 2022: D("0.054")}


def test_percent_points_alone_are_not_ambiguous(tmp_path):
    _, issues = _run(tmp_path, [_target("TL", "%", 5, 5.4, how="Kỳ cuối")],
                     [{"ma_chi_tieu": "TL", "nam": 2021, "thuc_hien": "4,9"}, {"ma_chi_tieu": "TL", "nam": 2022,
                                                                               "thuc_hien": 0}])
    assert not [i for i in issues if i.code == "percent-scale-ambiguous"]


@pytest.mark.parametrize("raw", ["1,5 tỷ", "1.500 triệu", "1.500", 1500, "1.500.000.000 đồng", "1 tỷ 500 triệu"])
def test_money_reads_in_its_own_unit(raw):
    assert read_in_unit(raw, "triệu đồng").value == 1500


def test_money_typed_in_dong_in_a_trieu_column_is_read_as_dong_and_said():
    reading = read_in_unit("1.500.000.000", "triệu đồng")
    assert (reading.value, reading.scale) == (1500, DONG_ASSUMED)
    assert read_in_unit(1_500_000_000, "đồng").value == 1_500_000_000  # plausible in đồng: as typed
    assert read_in_unit("2,5 tỷ", "tỷ đồng").value == D("2.5")


def test_money_words_mixed_in_a_trieu_indicator(tmp_path):
    """"1,5 tỷ" + "1.500" in triệu đồng = 3.000 triệu; 3.000 / 5.000 = 60 % = 36/60 months → Đúng tiến độ."""
    rows, issues = _run(tmp_path, [_target("KP", "triệu đồng", 5000)],
                        [{"ma_chi_tieu": "KP", "nam": 2021, "thuc_hien": "1,5 tỷ"},
                         {"ma_chi_tieu": "KP", "nam": 2022, "thuc_hien": "1.500"}])
    assert (rows["KP"].actual, rows["KP"].ratio, rows["KP"].status) == (3000, D("0.6"), "Đúng tiến độ")
    assert issues == []


def test_money_indicators_are_reported_in_trieu_dong(tmp_path):
    """A đồng indicator: 23.308.200.000 đồng target, 13.216.387.314 đồng done → 23.308,2 and 13.216,387314 triệu."""
    rows, _ = _run(tmp_path, [_target("KP", "đồng", 23_308_200_000, years=(2021, 2023))],
                   [{"ma_chi_tieu": "KP", "nam": 2021, "thuc_hien": 13_216_387_314}])
    row = rows["KP"]
    assert (row.target.unit, row.target.target_min, row.actual) == ("triệu đồng", D("23308.2"), D("13216.387314"))
    assert row.ratio == D("13216.387314") / D("23308.2")
    assert (report_unit("USD"), to_report_unit(D(5), "cơ sở")) == ("USD", 5)


def test_a_dong_amount_in_a_trieu_column_is_a_warning_at_its_cell(tmp_path):
    rows, issues = _run(tmp_path, [_target("KP", "triệu đồng", 5000)],
                        [{"ma_chi_tieu": "KP", "nam": 2021, "thuc_hien": 1_500_000_000}])
    assert rows["KP"].actual == 1500
    assert [(i.code, i.cell) for i in issues] == [("money-unit-assumed", "C4")]
    assert "'1.500.000.000' đọc là" in issues[0].message and ".0'" not in issues[0].message  # one formatter


@pytest.mark.parametrize("raw, decimals", [("10,09 tỷ", -7), ("36.524,6 triệu", -5), ("1 tỷ 650 triệu", -6),
                                           ("1.500", 0), ("56,7%", 1)])
def test_stated_precision_with_magnitude_words(raw, decimals):
    assert stated_decimals(raw, "Số liệu") == decimals


def _stated(code, kind, value, parts=None):
    return {"ma": code, "noi_dung": code, "loai": kind, "gia_tri": value, "thanh_phan": parts}


def test_rounded_stated_figures_with_magnitude_words_pass(tmp_path):
    """10.091.812.686 written "10,09 tỷ" (±5 triệu) and 36.524.612.345 written "36.524,6 triệu" (±50.000) pass;
    "10,08 tỷ" is 11.812.686 đồng off and is flagged."""
    figures = [_stated("A", "Số liệu", 23_308_200_000), _stated("B", "Số liệu", 13_216_387_314),
               _stated("C", "Chênh lệch", "10,09 tỷ", "A - B"), _stated("D", "Chênh lệch", "10,08 tỷ", "A - B"),
               _stated("E", "Số liệu", 20_000_000_000), _stated("F", "Số liệu", 16_524_612_345),
               _stated("G", "Tổng", "36.524,6 triệu", "E + F")]
    stated, problems = read_stated(read_workbook(results_book(tmp_path / "kq.xlsx", stated=figures)))
    assert problems == []
    flagged = check_stated(stated)
    assert [(i.code, i.detail.split(":")[0]) for i in flagged] == [("stated-difference-mismatch", "D")]


def test_a_total_is_checked_by_the_checker():
    figures = [StatedFigure("A", "Số liệu", D(100)), StatedFigure("B", "Số liệu", D(50)),
               StatedFigure("T", TOTAL, D(999), parts="A + B")]
    assert [i.code for i in check_stated(figures)] == ["stated-total-mismatch"]


def test_the_first_stated_total_in_a_workbook_is_checked(tmp_path):
    figures = [_stated("T", "Tổng", 999, "A + B"), _stated("A", "Số liệu", 100), _stated("B", "Số liệu", 50)]
    stated, _ = read_stated(read_workbook(results_book(tmp_path / "kq.xlsx", stated=figures)))
    assert [i.code for i in check_stated(stated)] == ["stated-total-mismatch"]
