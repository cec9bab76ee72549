"""Issue 14 item 4: every file knows whose it is (province and years from ``_kc``)."""

from __future__ import annotations

import pytest

from kc_excel.attainment import AsOf
from kc_excel.attainment.checks import check_stated
from kc_excel.attainment.io import attainment_from, read_stated, with_plan
from kc_excel.cli import main
from kc_excel.errors import InputError
from kc_excel.workbook.layout import Meta
from kc_excel.workbook.reader import read_workbook

from attainment_books import programme_book, results_book

AS_OF = AsOf(2023, 12)


def _with_meta(path, **changes):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["_kc"]
    for row in ws.iter_rows():
        if row[0].value in changes:
            row[1].value = changes[row[0].value]
    wb.save(path)
    return path


def test_results_of_another_province_are_refused(tmp_path):
    programme = read_workbook(programme_book(tmp_path / "ct.xlsx"))
    other = read_workbook(_with_meta(results_book(tmp_path / "kq.xlsx"), **{Meta.PROVINCE_CODE: "79",
                                                                            Meta.PROVINCE_NAME: "Thành phố Hồ Chí Minh"}))
    with pytest.raises(InputError) as refused:
        attainment_from(programme, [other], AS_OF)
    assert refused.value.code == "province-mismatch"
    assert "Thành phố Hồ Chí Minh (mã 79)" in str(refused.value) and "Tỉnh Đồng Nai (mã 75)" in str(refused.value)


def test_results_of_years_outside_the_period_are_refused(tmp_path):
    programme = read_workbook(programme_book(tmp_path / "ct.xlsx"))
    later = read_workbook(_with_meta(results_book(tmp_path / "kq.xlsx"), **{Meta.FROM_YEAR: "2026",
                                                                            Meta.TO_YEAR: "2030"}))
    with pytest.raises(InputError, match="2026-2030 nằm ngoài giai đoạn 2021-2025") as refused:
        attainment_from(programme, [later], AS_OF)
    assert refused.value.code == "period-mismatch"


def test_the_command_line_refuses_with_exit_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "DanhGia.xlsx"
    other = _with_meta(results_book(tmp_path / "kq.xlsx"), **{Meta.PROVINCE_CODE: "79"})
    code = main(["attainment", "--programme", str(programme_book(tmp_path / "ct.xlsx")), "--results", str(other),
                 "--as-of", "2023-12", "-o", str(out)])
    assert code == 2 and not out.exists() and "kq.xlsx" in capsys.readouterr().err


def test_a_plan_of_another_province_or_year_is_refused(tmp_path):
    from test_attainment_plan import plan_book

    programme = read_workbook(programme_book(tmp_path / "ct.xlsx"))
    outcome = attainment_from(programme, [read_workbook(results_book(tmp_path / "kq.xlsx"))], AS_OF)
    assert with_plan(outcome, plan_book(tmp_path / "ok.xlsx")).info.plan == ()  # 2022, Đồng Nai: accepted
    with pytest.raises(InputError) as refused:
        with_plan(outcome, _with_meta(plan_book(tmp_path / "hcm.xlsx"), **{Meta.PROVINCE_CODE: "79"}))
    assert refused.value.code == "province-mismatch"
    with pytest.raises(InputError, match="kế hoạch năm 2027 nằm ngoài giai đoạn 2021-2025") as refused:
        with_plan(outcome, _with_meta(plan_book(tmp_path / "2027.xlsx"), **{Meta.YEAR: "2027"}))
    assert refused.value.code == "period-mismatch"


def test_a_repeated_stated_code_is_an_issue_and_the_first_value_stays(tmp_path):
    figures = [{"ma": "A", "loai": "Số liệu", "gia_tri": 100}, {"ma": "B", "loai": "Số liệu", "gia_tri": 50},
               {"ma": "a", "loai": "Số liệu", "gia_tri": 900}, {"ma": "D", "loai": "Chênh lệch", "gia_tri": 50,
                                                              "thanh_phan": "A - B"}]
    stated, problems = read_stated(read_workbook(results_book(tmp_path / "kq.xlsx", stated=figures)))
    assert [(p.code, p.severity) for p in problems] == [("duplicate-stated-figure", "error")]
    assert [f.code for f in stated] == ["A", "B", "D"] and check_stated(stated) == []  # 100 - 50 = 50
