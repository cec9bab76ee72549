"""Issue 14 item 3: the norm in force for the plan year, and norms rows that cannot be used stop the run."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from kc_excel.catalog import default_norms
from kc_excel.catalog.norms_file import load_norms, load_norms_in_force
from kc_excel.cli import main
from kc_excel.errors import ConfigError

from builders import build_registration, clean_machine_row, validate_built

HEADERS = ["Hoạt động", "Tỷ lệ hỗ trợ tối đa (%)", "Mức hỗ trợ tối đa (triệu đồng)", "Tính theo", "Văn bản",
           "Ngày hiệu lực"]


def _norms(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Định mức"
    ws.append(["Định mức hỗ trợ khuyến công địa phương"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    ws.add_table(Table(displayName="DinhMuc", ref=f"A2:F{2 + len(rows)}"))
    wb.save(path)
    return path


def test_a_norm_effective_later_is_not_applied_to_an_earlier_plan(tmp_path):
    book = load_norms_in_force(_norms(tmp_path / "dm.xlsx", [["MAY_MOC", 30, 100, "", "NQ 2030", "01/01/2030"]]))
    assert book.for_year(2026)["MAY_MOC"] == default_norms()["MAY_MOC"]  # TT 26/2014: 50 %
    assert book.for_year(2030)["MAY_MOC"].max_ratio == Decimal("0.3")


@pytest.mark.parametrize("effective, flagged", [("01/01/2030", False), ("02/01/2022", False),
                                                ("01/01/2022", True), ("15/06/2021", True)])
def test_validation_uses_the_norm_in_force_on_1_january_of_the_plan_year(tmp_path, effective, flagged):
    """The clean MAY_MOC line asks 150 of 400 triệu = 37,5 %: over a 30 % norm only when it is in force for 2022."""
    book = load_norms_in_force(_norms(tmp_path / "dm.xlsx", [["MAY_MOC", 30, 1000, "", "NQ", effective]]))
    built = build_registration(tmp_path / "dk.xlsx", [clean_machine_row()])
    codes = [code for _, code in validate_built(built, norms=book).flatten("cell", "code")]
    assert ("support-ratio-exceeded" in codes) is flagged


def test_latest_norm_in_force_wins(tmp_path):
    book = load_norms_in_force(_norms(tmp_path / "dm.xlsx", [
        ["MAY_MOC", 30, 100, "", "QĐ cũ", "01/01/2020"], ["MAY_MOC", 40, 100, "", "QĐ mới", "01/01/2022"],
        ["MAY_MOC", 45, 100, "", "QĐ sau", "01/07/2022"]]))
    assert [book.for_year(y)["MAY_MOC"].source for y in (2021, 2022, 2023)] == ["QĐ cũ", "QĐ mới", "QĐ sau"]


def test_a_row_without_any_cap_is_an_error_not_a_lifted_cap(tmp_path):
    path = _norms(tmp_path / "dm.xlsx", [["MAY_MOC", None, None, "", "NQ", "01/01/2022"]])
    with pytest.raises(ConfigError, match="ô B3: dòng định mức không có mức hỗ trợ nào"):
        load_norms(path)


def test_a_formula_without_a_cached_value_is_an_error(tmp_path):
    path = _norms(tmp_path / "dm.xlsx", [["MAY_MOC", "=20+30", "=100*4", "", "NQ", "01/01/2022"]])  # never computed
    with pytest.raises(ConfigError, match="ô B3: công thức chưa có giá trị"):
        load_norms(path)


def test_a_cap_typed_in_dong_in_the_trieu_column_is_an_error(tmp_path):
    path = _norms(tmp_path / "dm.xlsx", [["MAY_MOC", 50, 100000000, "", "NQ", "01/01/2022"]])
    with pytest.raises(ConfigError, match="ô C3: mức hỗ trợ tối đa 100.000.000 triệu đồng không hợp lý") as raised:
        load_norms(path)
    assert "100.000.000 đồng là 100 triệu)" in str(raised.value)  # not "100,000000 triệu"
    assert load_norms(_norms(tmp_path / "ok.xlsx", [["MAY_MOC", 50, "100.000.000 đồng", "", "NQ", "01/01/2022"]])
                      )["MAY_MOC"].max_amount == 100_000_000  # said in đồng: 100 triệu


def test_the_command_line_stops_before_validating_with_a_bad_norms_file(tmp_path, capsys):
    built = build_registration(tmp_path / "dk.xlsx", [clean_machine_row()])
    bad = _norms(tmp_path / "dm.xlsx", [["MAY_MOC", None, None, "", "NQ", "01/01/2022"]])
    code = main(["validate", "--json", "--norms", str(bad), str(built.path)])
    out, err = capsys.readouterr()
    assert code == 2 and "dm.xlsx" in err and '"files"' not in out



def test_a_norms_file_of_another_province_is_refused_by_consolidate(tmp_path, capsys):
    path = _norms(tmp_path / "dm.xlsx", [["MAY_MOC", 30, 100, "", "NQ", "01/01/2022"]])
    wb = openpyxl.load_workbook(path)
    kc = wb.create_sheet("_kc")
    kc.append(["ma_tinh", "79"])
    kc.append(["ten_tinh", "Thành phố Hồ Chí Minh"])
    wb.save(path)
    assert load_norms_in_force(path).meta["ma_tinh"] == "79"
    folder = tmp_path / "nop"
    folder.mkdir()
    out = tmp_path / "KeHoach.xlsx"
    code = main(["consolidate", str(folder), "--province", "Đồng Nai", "--year", "2022", "--level", "district",
                 "-o", str(out), "--norms", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists() and "Thành phố Hồ Chí Minh (mã 79)" in err
