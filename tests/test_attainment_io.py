"""Programme/results workbooks → targets, results and stated-figure checks, with issues at their cells."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kc_excel.attainment import AsOf
from kc_excel.attainment.checks import check_stated
from kc_excel.attainment.examples import SEED_004
from kc_excel.attainment.io import attainment_from, read_programme, read_results, read_stated
from kc_excel.errors import InputError
from kc_excel.workbook.reader import read_workbook
from attainment_books import SEED_RESULTS, programme_book, results_book

AS_OF = AsOf(2023, 12)


def test_seed_workbooks_give_the_seed_attainment(tmp_path):
    programme = read_workbook(programme_book(tmp_path / "ct.xlsx"))
    results = read_workbook(results_book(tmp_path / "kq.xlsx"))
    outcome = attainment_from(programme, [results], AS_OF)
    got = {r.target.code: (r.actual, r.status) for r in outcome.report.rows}
    assert got == {"KHOI_SU": (484, "Chậm tiến độ"), "MAY_MOC": (19, "Chậm tiến độ"),
                   "TRUYEN_THONG": (72, "Đúng tiến độ"), "NHAN_HIEU": (0, "Chưa thực hiện"),
                   "GIAI_NGAN": (D("13216.387314"), "Không đạt"), "TANG_TRUONG": (D("0.034"), "Chưa đạt"),
                   "XUAT_KHAU": (902_389_000, "Vượt")}
    growth = next(t for t in read_programme(programme)[0] if t.code == "TANG_TRUONG")
    assert (growth.target_min, growth.target_max, growth.aggregation) == (D("0.05"), D("0.054"), "Bình quân")
    assert outcome.errors == 0
    assert (outcome.info.province_name, outcome.info.from_year, outcome.info.to_year) == ("Tỉnh Đồng Nai", 2021, 2025)


def test_results_keep_their_cells(tmp_path):
    results, issues = read_results(read_workbook(results_book(tmp_path / "kq.xlsx")))
    assert issues == []
    first = results[0]
    assert (first.code, first.year, first.value, first.sheet, first.cell) == ("KHOI_SU", 2021, 150, "Kết quả", "C4")


def test_two_results_files_merge_and_a_repeated_value_is_an_error(tmp_path):
    programme = read_workbook(programme_book(tmp_path / "ct.xlsx"))
    first = read_workbook(results_book(tmp_path / "a.xlsx", SEED_RESULTS[:6]))
    second = read_workbook(results_book(tmp_path / "b.xlsx", [*SEED_RESULTS[6:], SEED_RESULTS[0] | {"thuc_hien": 999}]))
    outcome = attainment_from(programme, [first, second], AS_OF)
    rows = {r.target.code: r for r in outcome.report.rows}
    assert rows["KHOI_SU"].actual == 484 and rows["XUAT_KHAU"].actual == 902_389_000
    duplicates = [(i.code, i.file.rsplit("/", 1)[-1], i.cell) for i in outcome.issues if i.code == "duplicate-result"]
    assert duplicates == [("duplicate-result", "b.xlsx", f"C{4 + len(SEED_RESULTS) - 6}")]
    assert "a.xlsx!Kết quả!C4" in next(i for i in outcome.issues if i.code == "duplicate-result").message
    assert outcome.errors == 1


def test_bad_rows_are_issues_at_their_cells(tmp_path):
    records = [
        {"ma_chi_tieu": "A", "chi_tieu": "A", "toi_thieu": "mười", "tu_nam": 2021, "den_nam": 2025},
        {"ma_chi_tieu": "B", "chi_tieu": "B", "toi_thieu": 5, "chieu": "ngang", "tu_nam": 2021, "den_nam": 2025},
        {"ma_chi_tieu": "C", "chi_tieu": "C", "toi_thieu": 5, "tu_nam": 2025, "den_nam": 2021},
        {"ma_chi_tieu": "D", "chi_tieu": "D", "tu_nam": 2021, "den_nam": 2025},
        {"ma_chi_tieu": "E", "chi_tieu": "E", "toi_thieu": 5, "tu_nam": 2021, "den_nam": 2025},
        {"ma_chi_tieu": "E", "chi_tieu": "E again", "toi_thieu": 6, "tu_nam": 2021, "den_nam": 2025},
    ]
    targets, issues = read_programme(read_workbook(programme_book(tmp_path / "ct.xlsx", records)))
    assert [t.code for t in targets] == ["E"]
    assert [(i.code, i.cell) for i in issues] == [
        ("not-a-number", "E4"), ("invalid-value", "G5"), ("period-reversed", "J6"), ("required-missing", "E7"),
        ("duplicate-indicator", "A9")]


def test_a_results_workbook_is_not_a_programme(tmp_path):
    with pytest.raises(InputError) as raised:
        read_programme(read_workbook(results_book(tmp_path / "kq.xlsx")))
    assert "ChiTieu" in raised.value.message


def test_seed_004_stated_figures_flag_the_misstated_reduction(tmp_path):
    data = read_workbook(results_book(tmp_path / "kq.xlsx", stated=SEED_004))
    figures, problems = read_stated(data)
    assert problems == [] and len(figures) == len(SEED_004)
    issues = check_stated(figures)
    assert [(i.code, i.sheet, i.cell) for i in issues] == [("stated-difference-mismatch", "Số liệu công bố", "D8")]
    assert "10091812686" in issues[0].message.replace(".", "")


@pytest.mark.parametrize("raw, kind, decimals", [
    ("56,7%", "Tỷ lệ", 3), ("56,70%", "Tỷ lệ", 4), (0.567, "Tỷ lệ", 3), ("57%", "Tỷ lệ", 2),
    ("10.225.812.686", "Chênh lệch", 0), (10225812686, "Chênh lệch", 0), ("1,5", "Tổng", 1), (73396.0, "Tổng", 0)])
def test_stated_precision(raw, kind, decimals):
    from kc_excel.attainment.io import stated_decimals

    assert stated_decimals(raw, kind) == decimals


def test_rate_stated_both_ways_is_consistent(tmp_path):
    figures = [{"ma": "A", "gia_tri": 13_216_387_314}, {"ma": "B", "gia_tri": 23_308_200_000},
               {"ma": "R1", "loai": "Tỷ lệ", "gia_tri": "56,7%", "thanh_phan": "A / B"},
               {"ma": "R2", "loai": "Tỷ lệ", "gia_tri": "56,70%", "thanh_phan": "A / B"},
               {"ma": "R3", "loai": "tỷ lệ", "gia_tri": 56.7, "thanh_phan": "A / B"},
               {"ma": "R4", "loai": "Tỷ lệ", "gia_tri": "56,8%", "thanh_phan": "A/B"},
               {"ma": "T", "loai": "Tổng", "gia_tri": "36.524.587.314", "thanh_phan": "A + B"}]
    stated, problems = read_stated(read_workbook(results_book(tmp_path / "kq.xlsx", stated=figures)))
    assert problems == []
    assert [(i.code, i.cell) for i in check_stated(stated)] == [("stated-rate-mismatch", "D10")]  # R4 only


@pytest.mark.parametrize("typed, expected", [("cong don", "Cộng dồn"), ("CỘNG DỒN", "Cộng dồn"),
                                             ("  Kỳ   cuối ", "Kỳ cuối"), ("Bình quân", "Bình quân")])
def test_aggregation_accepts_the_options_however_accented(tmp_path, typed, expected):
    row = {"ma_chi_tieu": "A", "chi_tieu": "A", "toi_thieu": 5, "cong_don": typed, "tu_nam": 2021, "den_nam": 2025}
    targets, issues = read_programme(read_workbook(programme_book(tmp_path / "ct.xlsx", [row])))
    assert issues == [] and targets[0].aggregation == expected


@pytest.mark.parametrize("key, typed", [("cong_don", "Không cộng dồn (lấy năm cuối)"), ("cong_don", "lũy kế"),
                                        ("chieu", "Theo báo cáo"), ("chieu", "cao"), ("chieu", "Càng cao")])
def test_anything_else_is_an_issue_naming_the_options(tmp_path, key, typed):
    row = {"ma_chi_tieu": "A", "chi_tieu": "A", "toi_thieu": 5, key: typed, "tu_nam": 2021, "den_nam": 2025}
    targets, issues = read_programme(read_workbook(programme_book(tmp_path / "ct.xlsx", [row])))
    assert targets == [] and [i.code for i in issues] == ["invalid-value"]
    options = "Cộng dồn | Kỳ cuối | Bình quân" if key == "cong_don" else "Càng cao càng tốt | Càng thấp càng tốt"
    assert options in issues[0].message and typed in issues[0].message
