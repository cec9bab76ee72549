"""Plan vs programme: a consolidated plan's quantities against the programme's yearly share."""

from __future__ import annotations

from decimal import Decimal as D
from functools import partial

import openpyxl
import pytest

from kc_excel.attainment.plan import compare_plan, plan_quantities
from kc_excel.attainment.plan_file import read_plan_file
from kc_excel.cli import main
from kc_excel.errors import InputError
from kc_excel.models import LATEST, Target
from kc_excel.outputs import write_atomically
from kc_excel.workbook import writer as w
from kc_excel.workbook.meta import write_meta
from attainment_books import programme_book, results_book

HEADERS = ["Nhóm", "Mã hoạt động", "Hoạt động", "Đơn vị tính", "Số lượng", "Số đề án"]
ROWS = [[2, "KHOI_SU", "Đào tạo khởi sự", "học viên", 300, 6],
        [3, "MAY_MOC", "Ứng dụng máy móc", "cơ sở", 14, 14],
        [3, "Ứng dụng máy móc thiết bị tiên tiến", None, "đề án", 2, 2],
        [6, "TRUYEN_THONG", "Truyền thông", "cuốn", 2600, 2],
        [None, "Tổng cộng", None, None, None, 24]]


def plan_book(path, year="2022"):
    wb = w.new_workbook()
    ws = wb.create_sheet("Tổng hợp")
    w.add_table(ws, "TongHop", HEADERS, ROWS, header_row=4)
    write_meta(wb, {"loai_bieu": "ke-hoach", "nam": year, "ma_tinh": "75", "ten_tinh": "Tỉnh Đồng Nai"})
    return write_atomically(path, partial(w.save_workbook, wb))


def _t(code, activity, unit, tmin, **kw):
    return Target(code=code, name=code, activity=activity, unit=unit, target_min=D(tmin),
                  from_year=kw.pop("from_year", 2021), to_year=kw.pop("to_year", 2025), **kw)


def test_yearly_share_against_plan():
    quantities = plan_quantities(ROWS, HEADERS)
    assert [(q.activity, q.unit, q.quantity) for q in quantities] == [
        ("KHOI_SU", "học viên", 300), ("MAY_MOC", "cơ sở", 14), ("MAY_MOC", "đề án", 2), ("TRUYEN_THONG", "cuốn", 2600)]
    targets = [_t("CT02", "Đào tạo khởi sự, quản trị doanh nghiệp", "học viên", 1500),
               _t("CT05", "MAY_MOC", "cơ sở", 47),
               _t("CT17", "TRUYEN_THONG", "cuốn", 8000), _t("CT18", "TRUYEN_THONG", "cuốn", 5000),
               _t("CT04", "MO_HINH", "mô hình", 2),
               _t("X1", None, "cơ sở", 5), _t("X2", "MAY_MOC", "cơ sở", 5, aggregation=LATEST),
               _t("X3", "MAY_MOC", "cơ sở", 5, from_year=2023, to_year=2025)]
    compared = {c.target.code: c for c in compare_plan(targets, quantities, 2022)}
    rows = {code: (c.yearly_share, c.planned, c.ratio, c.shared_with) for code, c in compared.items()}
    # CT17 and CT18 share the plan's 2.600 cuốn: no ratio of its own, one ratio of the group (2600 / (1600+1000))
    assert rows == {"CT02": (300, 300, 1, ()), "CT05": (D("9.4"), 14, D(14) / D("9.4"), ()),
                    "CT17": (1600, 2600, None, ("CT18",)), "CT18": (1000, 2600, None, ("CT17",)),
                    "CT04": (D("0.4"), 0, None, ())}  # nothing planned: no ratio of 0
    assert [(compared[c].group_share, compared[c].group_ratio) for c in ("CT17", "CT18")] == [(2600, 1), (2600, 1)]
    assert compared["CT04"].not_planned and not compared["CT05"].not_planned


def test_plan_sheet_never_shows_zero_plan_as_a_ratio_nor_counts_one_figure_twice():
    from kc_excel.attainment import AsOf, evaluate
    from kc_excel.attainment.report import ReportInfo, build_report

    targets = [_t("CT17", "TRUYEN_THONG", "cuốn", 8000), _t("CT18", "TRUYEN_THONG", "cuốn", 5000),
               _t("CT04", "MO_HINH", "mô hình", 2)]
    compared = compare_plan(targets, plan_quantities(ROWS, HEADERS), 2022)
    wb = build_report(evaluate(targets, [], AsOf(2023, 12)), ReportInfo(plan=tuple(compared)))
    rows = {r[0]: r for r in wb["So với kế hoạch"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["CT04"][7:9] == (None, "không có trong kế hoạch năm")
    assert rows["CT17"][8] is None and rows["CT18"][8] is None
    assert "2.600 cuốn tính chung cho “CT17”, “CT18”" in rows["CT17"][9]  # the indicators' names (= codes here) and "(2.600): 100,00%" in rows["CT17"][9]


def test_read_plan_file_and_reject_other_kinds(tmp_path):
    year, quantities = read_plan_file(plan_book(tmp_path / "KeHoach.xlsx"))
    assert year == 2022 and len(quantities) == 4
    with pytest.raises(InputError):
        read_plan_file(results_book(tmp_path / "kq.xlsx"))


def test_cli_plan_sheet(tmp_path, capsys):
    out = tmp_path / "DanhGia.xlsx"
    code = main(["attainment", "--programme", str(programme_book(tmp_path / "ct.xlsx", _activities())),
                 "--results", str(results_book(tmp_path / "kq.xlsx")), "--as-of", "2023-12", "-o", str(out),
                 "--plan", str(plan_book(tmp_path / "KeHoach.xlsx"))])
    capsys.readouterr()
    assert code == 0
    ws = openpyxl.load_workbook(out)["So với kế hoạch"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True)]
    assert [(r[0], r[6], r[7]) for r in rows] == [("KHOI_SU", 300, 300), ("MAY_MOC", 9.4, 14)]
    assert rows[0][8] == '=IF(OR(G5="",G5=0,H5=""),"",H5/G5)'
    assert [(r[2], r[10]) for r in rows] == [("Đào tạo khởi sự, quản trị doanh nghiệp", "KHOI_SU"),
                                            ("Ứng dụng máy móc thiết bị tiên tiến", "MAY_MOC")]
    assert ws.column_dimensions["A"].hidden and ws.print_area.endswith("$B$1:$J$6")  # codes kept, not printed
    assert all(c.alignment.wrap_text for c in ws[4]) and ws.row_dimensions[4].height >= 30  # headers show whole


def _activities():
    from attainment_books import SEED_PROGRAMME

    codes = {"KHOI_SU": "KHOI_SU", "MAY_MOC": "Ứng dụng máy móc thiết bị tiên tiến"}
    return [r | {"hoat_dong": codes[r["ma_chi_tieu"]]} if r["ma_chi_tieu"] in codes else r for r in SEED_PROGRAMME]
