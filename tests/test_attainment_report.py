"""The DanhGia report workbook: layout, live formulas, colours, chart; LibreOffice recalculates it identically."""

from __future__ import annotations

import itertools
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest

from kc_excel.attainment import AsOf, evaluate
from kc_excel.attainment.report import HEADER_ROW, ReportInfo, write_report
from kc_excel.models import CUMULATIVE, HIGHER_IS_BETTER, LATEST, LOWER_IS_BETTER, MEAN, Result, Target
from test_attainment_core import seed_results, seed_targets

AS_OF = AsOf(2023, 12)
INFO = ReportInfo(province_name="Tỉnh Đồng Nai", province_code="75", from_year=2021, to_year=2025)
FIRST = HEADER_ROW + 1


@pytest.fixture
def seed_report(tmp_path):
    report = evaluate(seed_targets(), seed_results(), AS_OF)
    return report, write_report(tmp_path / "DanhGia.xlsx", report, INFO)


def _rows(ws, count):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=FIRST, max_row=FIRST + count - 1, max_col=9)]


def test_layout_header_table_and_meta(seed_report):
    report, path = seed_report
    wb = openpyxl.load_workbook(path)
    ws = wb["Đánh giá"]
    texts = [c.value for row in ws.iter_rows(max_row=HEADER_ROW - 1) for c in row if c.value]
    assert "BÁO CÁO ĐÁNH GIÁ THỰC HIỆN CHƯƠNG TRÌNH KHUYẾN CÔNG TỈNH ĐỒNG NAI" in texts
    assert "Chương trình khuyến công giai đoạn 2021-2025; số liệu đến tháng 12/2023" in texts
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "Số: ……/BC-……" in texts
    table = ws.tables["DanhGia"]
    assert table.ref == f"A{HEADER_ROW}:M{HEADER_ROW + len(report.rows)}"
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 10)] == [
        "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu tối thiểu", "Chỉ tiêu tối đa", "Thực hiện",
        "Tỷ lệ đạt (%)", "Tiến độ kỳ vọng (%)", "Đánh giá"]
    first = _rows(ws, 1)[0]
    assert first[:6] == ["KHOI_SU", "Đào tạo khởi sự, quản trị doanh nghiệp", "học viên", 1500, None, 484]
    assert first[6] == f'=IF(OR(F{FIRST}="",D{FIRST}="",D{FIRST}=0),"",F{FIRST}/D{FIRST})'
    assert first[7] == 0.6 and str(first[8]).startswith("=IF(")
    assert ws.cell(FIRST, 7).number_format == "0.00%"
    meta = {r[0]: r[1] for r in wb["_kc"].iter_rows(values_only=True)}
    assert wb["_kc"].sheet_state == "hidden"
    assert (meta["loai_bieu"], meta["tu_nam"], meta["den_nam"], meta["thoi_diem_danh_gia"]) == \
        ("danh-gia", "2021", "2025", "2023-12")


def test_colours_and_chart(seed_report):
    _, path = seed_report
    ws = openpyxl.load_workbook(path)["Đánh giá"]
    rules = {rng.sqref.__str__(): [r.formula[0] for r in rng.rules] for rng in ws.conditional_formatting}
    status_range = f"I{FIRST}:I{FIRST + 6}"
    assert any('"Vượt"' in f and '"Đúng tiến độ"' in f for f in rules[status_range])
    assert any('"Chậm tiến độ"' in f for f in rules[status_range])
    assert any('"Không đạt"' in f and '"Chưa thực hiện"' in f for f in rules[status_range])
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<barChart>" in chart and f"$G${FIRST}:$G${FIRST + 6}" in chart and f"$H${FIRST}:$H${FIRST + 6}" in chart


def _recalculated(path, tmp_path):
    from kc_excel.libreoffice import convert

    produced = convert(path, "xlsx", tmp_path / "lo")
    return produced, openpyxl.load_workbook(produced, data_only=True)["Đánh giá"]


@pytest.mark.libreoffice
def test_libreoffice_recalculates_seed_report_to_python_values(seed_report, tmp_path, soffice):
    report, path = seed_report
    produced, ws = _recalculated(path, tmp_path)
    for row, values in zip(report.rows, _rows(ws, len(report.rows))):
        assert values[8] == row.status, row.target.code
        assert values[6] == pytest.approx(float(row.ratio), abs=1e-12)
    with zipfile.ZipFile(produced) as z:
        names = z.namelist()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert any(n.startswith("xl/charts/chart") for n in names)
    assert "conditionalFormatting" in sheet


@pytest.mark.libreoffice
def test_staff_can_edit_thuc_hien_and_formulas_follow(seed_report, tmp_path, soffice):
    _, path = seed_report
    wb = openpyxl.load_workbook(path)
    ws = wb["Đánh giá"]
    ws[f"F{FIRST}"] = 1600      # KHOI_SU above its 1.500 target
    ws[f"F{FIRST + 1}"] = None  # MAY_MOC cleared: no data
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    _, ws = _recalculated(edited, tmp_path)
    assert [ws[f"I{FIRST}"].value, ws[f"I{FIRST + 1}"].value] == ["Vượt", "Chưa có số liệu"]
    assert ws[f"G{FIRST}"].value == pytest.approx(1600 / 1500)


def _edge_cases():
    """Every combination of target shape, direction, aggregation, period and actual value."""
    shapes = [(D(10), None), (D(10), D(12)), (D(0), None), (None, None), (None, D(10))]
    actuals = [None, D(0), D(3), D(6), D(10), D(11), D(12), D(13)]
    periods = [(2021, 2025), (2021, 2023), (2024, 2026)]
    targets, results = [], []
    combos = itertools.product(shapes, (HIGHER_IS_BETTER, LOWER_IS_BETTER), (CUMULATIVE, LATEST, MEAN), periods, actuals)
    for n, ((tmin, tmax), direction, aggregation, (first, last), actual) in enumerate(combos):
        code = f"T{n:03d}"
        targets.append(Target(code=code, name=code, target_min=tmin, target_max=tmax, direction=direction,
                              aggregation=aggregation, from_year=first, to_year=last))
        if actual is not None:
            results.append(Result(code=code, year=max(first, 2022), value=actual))
    return targets, [r for r in results if r.year <= 2023]


@pytest.mark.libreoffice
def test_libreoffice_agrees_with_python_on_every_edge_case(tmp_path, soffice):
    targets, results = _edge_cases()
    report = evaluate(targets, results, AsOf(2023, 6))
    assert {row.status for row in report.rows} >= {"Vượt", "Đạt", "Đúng tiến độ", "Chậm tiến độ", "Không đạt",
                                                   "Chưa thực hiện", "Chưa có số liệu"}
    path = write_report(tmp_path / "edge.xlsx", report, INFO)
    _, ws = _recalculated(path, tmp_path)
    mismatches = []
    for row, values in zip(report.rows, _rows(ws, len(report.rows))):
        lo_ratio = None if values[6] in (None, "") else values[6]
        py_ratio = None if row.ratio is None else float(row.ratio)
        if values[8] != row.status or (lo_ratio is None) != (py_ratio is None) or \
                (py_ratio is not None and abs(lo_ratio - py_ratio) > 1e-12):
            mismatches.append((row.target.code, values, row.status, py_ratio))
    assert mismatches == []
