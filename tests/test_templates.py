"""Templates (contract §2.1-2.3): tables, exact headers, dropdowns, protection, `_kc`, LibreOffice round trip."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kc_excel import catalog
from kc_excel.errors import OutputError
from kc_excel.libreoffice import convert
from kc_excel.workbook import templates
from kc_excel.workbook.layout import PROGRAMME, REGISTRATION, RESULTS, TEMPLATE_VERSION, layout_checksum

CREATED = datetime(2025, 9, 1, 8, 0, tzinfo=timezone.utc)
MONEY = [c.header for c in REGISTRATION.columns if c.money]


@pytest.fixture(scope="module")
def province():
    return catalog.find_province("Đồng Nai")


@pytest.fixture(scope="module")
def unit(province):
    return catalog.units_of(province, level="xa")[0]


@pytest.fixture(scope="module")
def district():
    old = catalog.find_province("Đồng Nai", era="old")
    return old, catalog.find_unit(old, "Tân Phú", level="huyen")


def table_of(ws, name):
    table = ws.tables[name]
    first, last = table.ref.split(":")
    top = int("".join(c for c in first if c.isdigit()))
    bottom = int("".join(c for c in last if c.isdigit()))
    return table, top, bottom


def headers(ws, row, count):
    return [ws.cell(row, j).value for j in range(1, count + 1)]


def meta(wb):
    return {row[0]: row[1] for row in wb["_kc"].iter_rows(values_only=True)}


def validation_lists(wb, ws):
    """{first cell of the range: list of allowed values} for the list validations of ws."""
    names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
    found = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list":
            continue
        ref = names.get(dv.formula1, dv.formula1)
        sheet, cells = ref.split("!")
        values = [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]
        found[str(dv.sqref).split(":")[0]] = values
    return found


def column_letter(header, layout=REGISTRATION):
    from openpyxl.utils import get_column_letter
    return get_column_letter(layout.headers.index(header) + 1)


def test_registration_table_headers_totals_and_meta(tmp_path, province, unit):
    path = templates.write_registration(tmp_path / "r.xlsx", province, unit, 2026, created=CREATED)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Đăng ký", "Hướng dẫn"]
    assert wb["_kc"].sheet_state in ("hidden", "veryHidden") and wb["_ds"].sheet_state == "hidden"
    ws = wb["Đăng ký"]
    table, top, bottom = table_of(ws, "DangKy")
    assert headers(ws, top, 18) == REGISTRATION.headers
    assert [c.name for c in table.tableColumns] == REGISTRATION.headers  # else Excel "repairs" the file
    assert table.autoFilter.ref == f"A{top}:R{bottom - 1}"  # the filter never covers the totals row
    assert table.totalsRowCount == 1 and bottom - top - 1 == templates.REGISTRATION_ROWS
    totals = {h: ws.cell(bottom, j).value for j, h in enumerate(REGISTRATION.headers, start=1)}
    assert totals["STT"] == "Cộng"
    for h in MONEY:
        letter = column_letter(h)
        assert totals[h] == f"=SUBTOTAL(109,{letter}{top + 1}:{letter}{bottom - 1})"
    assert [h for h, v in totals.items() if isinstance(v, str) and v.startswith("=")] == MONEY
    assert meta(wb) == {
        "loai_bieu": "dang-ky", "phien_ban_mau": str(TEMPLATE_VERSION), "ma_tinh": province.code,
        "ten_tinh": province.name, "ma_don_vi": unit.code, "ten_don_vi": unit.name, "cap_don_vi": "xa",
        "nam": "2026", "don_vi_tien": "trieu-dong", "ngay_tao": CREATED.isoformat(),
        "ma_kiem_tra": layout_checksum(REGISTRATION)}
    title = " ".join(str(ws.cell(r, 1).value) for r in range(1, top))
    assert "NĂM 2026" in title and unit.name in title and "triệu đồng" in title


def test_registration_dropdowns_and_number_checks(tmp_path, province, district):
    old, tan_phu = district
    wb = load_workbook(templates.write_registration(tmp_path / "r.xlsx", old, tan_phu, 2022))
    ws = wb["Đăng ký"]
    _, top, _ = table_of(ws, "DangKy")
    lists = validation_lists(wb, ws)
    first = top + 1
    assert lists[f"{column_letter('Hoạt động')}{first}"] == [a.label for a in catalog.activities()]
    assert lists[f"{column_letter('Loại hình')}{first}"] == list(catalog.FACILITY_TYPES)
    assert lists[f"{column_letter('Đơn vị tính')}{first}"] == list(catalog.UNITS_OF_MEASURE)
    communes = lists[f"{column_letter('Địa điểm (xã, phường)')}{first}"]
    assert communes == [c.name for c in catalog.communes_of(tan_phu)] and len(communes) > 5
    checks = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation if dv.type != "list"}
    month = checks[f"{column_letter('Tháng bắt đầu')}{first}"]
    assert (month.type, month.operator, month.formula1, month.formula2) == ("whole", "between", "1", "12")
    quantity = checks[f"{column_letter('Số lượng')}{first}"]
    assert (quantity.type, quantity.operator, quantity.formula1) == ("decimal", "greaterThan", "0")
    for h in MONEY:
        money = checks[f"{column_letter(h)}{first}"]
        assert (money.type, money.operator, money.formula1) == ("decimal", "greaterThanOrEqual", "0")


def test_registration_protection_and_formats(tmp_path, province, unit):
    wb = load_workbook(templates.write_registration(tmp_path / "r.xlsx", province, unit, 2026))
    ws = wb["Đăng ký"]
    _, top, bottom = table_of(ws, "DangKy")
    assert ws.protection.sheet and not ws.protection.password
    assert wb["_kc"].protection.sheet and wb["_ds"].protection.sheet
    assert ws.cell(top, 2).protection.locked and ws.cell(bottom, 11).protection.locked
    assert ws.cell(1, 1).protection.locked
    for row in (top + 1, bottom - 1):
        assert all(not ws.cell(row, j).protection.locked for j in range(1, 19))
    mst = ws.cell(top + 1, REGISTRATION.headers.index("Mã số thuế") + 1)
    assert mst.number_format == "@"
    money = ws.cell(top + 1, REGISTRATION.headers.index(MONEY[0]) + 1)
    assert money.number_format == "#,##0"
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any("MOD(" in r.formula[0] and r.dxf.numFmt.formatCode == "#,##0.######" for r in rules)
    assert "Hướng dẫn" in wb.sheetnames and "mật khẩu" in " ".join(
        str(c.value) for c in wb["Hướng dẫn"]["A"])


def test_filled_registration_keeps_values(tmp_path, province, unit):
    line = {"stt": 1, "ten_de_an": "Máy sấy", "hoat_dong": "MAY_MOC", "ma_so_thue": "0100109106",
            "tong": Decimal("400.5"), "kcdp": 200, "doi_ung": Decimal("200.5"), "thang_bat_dau": 3}
    ws = load_workbook(templates.write_registration(tmp_path / "r.xlsx", province, unit, 2026, [line]))["Đăng ký"]
    _, top, _ = table_of(ws, "DangKy")
    values = dict(zip(REGISTRATION.keys, headers(ws, top + 1, 18)))
    assert values["ma_so_thue"] == "0100109106" and values["tong"] == 400.5 and values["kcdp"] == 200
    with pytest.raises(KeyError):
        templates.registration_workbook(province, unit, 2026, [{"no_such_column": 1}])


def test_same_creation_time_gives_identical_bytes(tmp_path, province, unit):
    a = templates.write_registration(tmp_path / "a.xlsx", province, unit, 2026, created=CREATED)
    b = templates.write_registration(tmp_path / "b.xlsx", province, unit, 2026, created=CREATED)
    assert a.read_bytes() == b.read_bytes()


def test_failed_save_leaves_no_partial_file(tmp_path, province, unit):
    target = tmp_path / "is_a_folder.xlsx"
    target.mkdir()
    with pytest.raises(OutputError) as caught:
        templates.write_registration(target, province, unit, 2026)
    assert "Không ghi được" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["is_a_folder.xlsx"]


def test_file_names_are_ascii_and_unique(province):
    units = catalog.units_of(province, level="xa")
    names = [templates.registration_file_name(2026, u) for u in units]
    assert len(set(names)) == len(units) and all(n.isascii() and " " not in n for n in names)
    assert templates.ascii_slug("Phường Phước Long") == "Phuong-Phuoc-Long"


def test_units_sharing_a_name_get_different_files():
    from types import SimpleNamespace
    twins = [SimpleNamespace(code="26001", name="Xã Tân Phú"), SimpleNamespace(code="27001", name="Xã Tân Phú")]
    names = {templates.registration_file_name(2026, u) for u in twins}
    assert names == {"DangKy_2026_26001_Xa-Tan-Phu.xlsx", "DangKy_2026_27001_Xa-Tan-Phu.xlsx"}


def test_programme_and_results_templates(tmp_path, district):
    old, _ = district
    targets = [{"ma_chi_tieu": "CT01", "chi_tieu": "Đoàn tham quan", "toi_thieu": 5, "tu_nam": 2021, "den_nam": 2025}]
    wb = load_workbook(templates.write_programme(tmp_path / "p.xlsx", old, 2021, 2025, targets))
    ws = wb["Chỉ tiêu"]
    table, top, _ = table_of(ws, "ChiTieu")
    assert headers(ws, top, len(PROGRAMME.headers)) == PROGRAMME.headers
    assert [c.name for c in table.tableColumns] == PROGRAMME.headers
    assert ws.cell(top + 1, 1).value == "CT01"
    lists = validation_lists(wb, ws)
    assert lists[f"{column_letter('Chiều đánh giá', PROGRAMME)}{top + 1}"] == ["Càng cao càng tốt", "Càng thấp càng tốt"]
    assert lists[f"{column_letter('Cách cộng dồn', PROGRAMME)}{top + 1}"] == ["Cộng dồn", "Kỳ cuối", "Bình quân"]
    assert (meta(wb)["loai_bieu"], meta(wb)["tu_nam"], meta(wb)["den_nam"], meta(wb)["cap_don_vi"]) == \
        ("chuong-trinh", "2021", "2025", "tinh")
    wb = load_workbook(templates.write_results(tmp_path / "k.xlsx", old, [{"ma_chi_tieu": "CT01", "nam": 2022,
                                                                              "thuc_hien": 1}]))
    ws = wb["Kết quả"]
    _, top, _ = table_of(ws, "KetQua")
    assert headers(ws, top, 4) == RESULTS.headers and "Hướng dẫn" in wb.sheetnames
    assert (meta(wb)["loai_bieu"], meta(wb)["tu_nam"], meta(wb)["ma_kiem_tra"]) == \
        ("ket-qua", "2022", layout_checksum(RESULTS))


# --- LibreOffice: the real spreadsheet application --------------------------------

def _fill(path: Path, amounts: list[tuple[int, ...]]) -> Path:
    """Type numbers into the money columns, as a person would, and save (openpyxl keeps the formulas)."""
    wb = load_workbook(path)
    ws = wb["Đăng ký"]
    _, top, _ = table_of(ws, "DangKy")
    first_money = REGISTRATION.headers.index(MONEY[0]) + 1
    for i, row in enumerate(amounts):
        ws.cell(top + 1 + i, 2, f"Đề án {i + 1}")
        for j, value in enumerate(row):
            ws.cell(top + 1 + i, first_money + j, value)
    wb.save(path)
    return path


@pytest.mark.libreoffice
@pytest.mark.parametrize("via", ["xlsx", "ods"])
def test_registration_survives_libreoffice(soffice, tmp_path, province, unit, via):
    source = templates.write_registration(tmp_path / "r.xlsx", province, unit, 2026, created=CREATED)
    _fill(source, [(100, 0, 60, 40, 0), (250.5, 50, 0, 200.5, 0), (10, 0, 0, 0, 10)])
    converted = convert(source, via, tmp_path / "lo1")
    back = convert(converted, "xlsx", tmp_path / "lo2") if via == "ods" else converted
    values = load_workbook(back, data_only=True)
    ws = values["Đăng ký"]
    assert "DangKy" in ws.tables
    _, top, bottom = table_of(ws, "DangKy")
    assert headers(ws, top, 18) == REGISTRATION.headers
    totals = [ws.cell(bottom, REGISTRATION.headers.index(h) + 1).value for h in MONEY]
    assert totals == [360.5, 50, 60, 240.5, 10]
    formulas = load_workbook(back)["Đăng ký"]
    assert str(formulas.cell(bottom, REGISTRATION.headers.index(MONEY[0]) + 1).value).upper().startswith("=SUBTOTAL(109")
    assert meta(values)["ma_kiem_tra"] == layout_checksum(REGISTRATION)
    assert meta(values)["ma_don_vi"] == unit.code and values["_kc"].sheet_state != "visible"
    lists = validation_lists(values, ws)
    assert [a.label for a in catalog.activities()] in lists.values()
    assert [c.name for c in catalog.communes_of(unit)] in lists.values()
    assert sum(dv.type == "whole" for dv in ws.data_validations.dataValidation) >= 2


@pytest.mark.libreoffice
def test_programme_and_results_survive_libreoffice(soffice, tmp_path, district):
    old, _ = district
    targets = [{"ma_chi_tieu": "CT21", "chi_tieu": "Tăng trưởng", "don_vi_tinh": "%", "toi_thieu": Decimal("0.05"),
                "toi_da": Decimal("0.054"), "cong_don": "Bình quân", "tu_nam": 2021, "den_nam": 2025}]
    for path, sheet, table, layout in [
        (templates.write_programme(tmp_path / "p.xlsx", old, 2021, 2025, targets, percent_codes=["CT21"]),
         "Chỉ tiêu", "ChiTieu", PROGRAMME),
        (templates.write_results(tmp_path / "k.xlsx", old, [{"ma_chi_tieu": "CT21", "nam": 2023,
                                                             "thuc_hien": Decimal("0.034")}]),
         "Kết quả", "KetQua", RESULTS)]:
        wb = load_workbook(convert(path, "xlsx", tmp_path / sheet))
        ws = wb[sheet]
        _, top, _ = table_of(ws, table)
        assert headers(ws, top, len(layout.headers)) == layout.headers
        assert meta(wb)["loai_bieu"] == layout.kind
        assert any(dv.type == "whole" for dv in ws.data_validations.dataValidation)
        assert ws.cell(top + 1, 1).value == "CT21"
