"""Catalogues: activity groups and activities, units of measure, norms, administrative units."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from kc_excel.catalog import (
    FACILITY_TYPES,
    FUNDING_SOURCES,
    UNITS_OF_MEASURE,
    activities,
    activity_groups,
    communes_of,
    default_norms,
    find_activity,
    find_province,
    find_unit,
    find_unit_of_measure,
    new_units_of_old,
    old_units_of_new,
    province_successor,
    provinces,
    units_of,
)
from kc_excel.catalog.norms_file import load_norms
from kc_excel.errors import ConfigError, UnknownNameError
from kc_excel.text import fold
from kc_excel.workbook.layout import LAYOUTS, NORMS_LAYOUT

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "khuyen-cong-bo-phap-dien.md"

REQUIRED_UNITS = {
    "MAY_MOC": ["cơ sở", "đề án"],
    "MO_HINH": ["mô hình"],
    "KHOI_SU": ["học viên", "lớp"],
    "DAO_TAO_NGHE": ["học viên", "lớp"],
    "THAM_QUAN": ["đoàn"],
    "HOI_THAO": ["hội thảo"],
    "HOI_CHO": ["lần", "gian hàng"],
    "BINH_CHON": ["lần", "sản phẩm"],
    "XET_TANG": ["lần", "người"],
    "TRUYEN_THONG": ["chuyên đề", "cuốn", "tin bài"],
    "NHAN_HIEU": ["cơ sở"],
    "TU_VAN": ["cơ sở"],
    "PHONG_TRUNG_BAY": ["cơ sở"],
    "CUM_CONG_NGHIEP": ["cụm"],
    "NANG_LUC": ["người", "lớp"],
}
REQUIRED_CODES = [*REQUIRED_UNITS, "SAN_XUAT_SACH_HON", "XU_LY_O_NHIEM", "LAI_SUAT", "LIEN_KET", "HOP_TAC_QUOC_TE"]

DONG_NAI_DISTRICTS = ["Biên Hòa", "Long Khánh", "Tân Phú", "Vĩnh Cửu", "Định Quán", "Trảng Bom",
                      "Thống Nhất", "Cẩm Mỹ", "Long Thành", "Xuân Lộc", "Nhơn Trạch"]


# --- activity groups and activities -------------------------------------------------------------

def test_nine_groups_cite_article_4_and_quote_the_reference():
    groups = activity_groups()
    assert [g.number for g in groups] == list(range(1, 10))
    for g in groups:
        assert "Điều 4 Nghị định 45/2012/NĐ-CP" in g.source and "235/2025/NĐ-CP" in g.source
        assert g.title and g.text
    if REFERENCE.is_file():
        reference = REFERENCE.read_text(encoding="utf-8")
        for g in groups:
            for line in g.text.splitlines():
                assert line in reference, (g.number, line)


def test_every_activity_has_a_group_a_unit_and_a_source():
    codes = [a.code for a in activities()]
    assert len(codes) == len(set(codes))
    assert set(REQUIRED_CODES) <= set(codes)
    for a in activities():
        assert 1 <= a.group <= 9
        assert a.units and set(a.units) <= set(UNITS_OF_MEASURE)
        assert f"Khoản {a.group} Điều 4" in a.source


@pytest.mark.parametrize("code,units", REQUIRED_UNITS.items())
def test_contract_units_are_allowed(code, units):
    assert set(units) <= set(find_activity(code).units)


@pytest.mark.parametrize("text,code", [
    ("MAY_MOC", "MAY_MOC"),
    ("may_moc", "MAY_MOC"),
    ("Ứng dụng máy móc thiết bị tiên tiến", "MAY_MOC"),
    ("ung dung may moc thiet bi tien tien", "MAY_MOC"),
    ("  ỨNG DỤNG MÁY MÓC THIẾT BỊ TIÊN TIẾN ", "MAY_MOC"),
    ("MAY_MOC - Ứng dụng máy móc thiết bị tiên tiến", "MAY_MOC"),
    ("Xây dựng mô hình trình diễn kỹ thuật", "MO_HINH"),
    ("dao tao nghe, truyen nghe", "DAO_TAO_NGHE"),
    ("Hội chợ triển lãm", "HOI_CHO"),
    ("hop tac quoc te", "HOP_TAC_QUOC_TE"),
])
def test_find_activity(text, code):
    assert find_activity(text).code == code


def test_every_activity_is_found_by_code_label_and_display():
    for a in activities():
        assert find_activity(a.code) == a
        assert find_activity(a.label) == a
        assert find_activity(fold(a.label).upper()) == a
        assert find_activity(a.display) == a


def test_unknown_activity_suggests_the_close_label():
    with pytest.raises(UnknownNameError) as err:
        find_activity("Ung dung may moc thiet bi tien tein")
    assert "Ứng dụng máy móc thiết bị tiên tiến" in err.value.suggestions
    assert "Ung dung may moc thiet bi tien tein" in str(err.value)
    with pytest.raises(UnknownNameError):
        find_activity("")


def test_units_of_measure_are_found_in_any_spelling():
    assert len({fold(u) for u in UNITS_OF_MEASURE}) == len(UNITS_OF_MEASURE)
    for unit in UNITS_OF_MEASURE:
        assert find_unit_of_measure(fold(unit).upper()) == unit
    assert find_unit_of_measure(" Co  So ") == "cơ sở"
    with pytest.raises(UnknownNameError) as err:
        find_unit_of_measure("hoc vien.")
    assert "học viên" in err.value.suggestions


def test_facility_types_and_funding_sources():
    assert FACILITY_TYPES == ("DNNVV", "HTX", "Tổ hợp tác", "Hộ kinh doanh", "Nghệ nhân", "Cơ quan/đơn vị")
    assert [k for k, _ in FUNDING_SOURCES] == ["kcqg", "kcdp", "doi_ung", "khac"]
    assert dict(FUNDING_SOURCES)["doi_ung"] == "Vốn đối ứng"


# --- administrative units -----------------------------------------------------------------------

def test_province_counts_per_era():
    assert len(provinces()) == 34
    assert len(provinces("old")) == 63
    assert len({p.code for p in provinces()}) == 34


@pytest.mark.parametrize("province", provinces(), ids=lambda p: p.code)
def test_every_new_province_resolves_in_every_spelling(province):
    spellings = [
        province.name, province.short, fold(province.short), province.short.upper(),
        fold(province.name).upper(), f"{province.kind} {province.short}", f"  {fold(province.name)}  ",
        province.code, str(int(province.code)),
    ]
    for text in spellings:
        assert find_province(text) == province, text


def test_province_prefix_abbreviations_and_aliases():
    assert find_province("TP. Hồ Chí Minh").code == "79"
    assert find_province("TP HCM").code == "79"
    assert find_province("Tỉnh Khánh Hoà").code == "56"  # old tone-mark style
    assert find_province("Bà Rịa Vũng Tàu", era="old").code == "77"
    assert find_province("Bình Phước", era="old").code == "70"
    with pytest.raises(UnknownNameError):
        find_province("Bình Phước")  # merged into Đồng Nai since 1 July 2025


def test_names_labelled_with_their_code():
    assert find_unit("Đồng Nai", "Phường Phước Long (mã 25217)").code == "25217"
    assert find_unit("Đồng Nai", "25217 - Phường Phước Long").code == "25217"
    assert find_province("75 - Đồng Nai").code == "75"
    assert find_province("Thừa Thiên Huế", era="old").code == "46"


def test_unknown_province_suggests_the_close_name():
    with pytest.raises(UnknownNameError) as err:
        find_province("Dong Nia")
    assert "Tỉnh Đồng Nai" in err.value.suggestions
    assert "Đồng Nai" in str(err.value)


def test_dong_nai_new_has_95_communes():
    communes = units_of("Đồng Nai")
    assert len(communes) == 95
    assert len({u.code for u in communes}) == 95
    assert {u.province_code for u in communes} == {"75"}
    assert {u.kind for u in communes} <= {"Xã", "Phường", "Đặc khu"}
    assert "Phường Phước Long" in {u.name for u in communes}


def test_dong_nai_old_has_11_districts():
    districts = units_of("Đồng Nai", level="huyen")
    assert sorted(u.short for u in districts) == sorted(DONG_NAI_DISTRICTS)
    assert all(u.era == "old" and u.level == "huyen" for u in districts)


@pytest.mark.parametrize("short", DONG_NAI_DISTRICTS)
def test_dong_nai_districts_resolve_in_every_spelling(short):
    unit = next(u for u in units_of("Đồng Nai", level="huyen") if u.short == short)
    abbrev = {"Thành phố": "TP.", "Huyện": "H."}[unit.kind]
    spellings = [unit.name, short, fold(short), fold(short).upper(), fold(unit.name),
                 f"{unit.kind.lower()} {short}", f"{abbrev} {short}", f"{abbrev}{fold(short)}", unit.code]
    for text in spellings:
        assert find_unit("Đồng Nai", text, level="huyen") == unit, text


@pytest.mark.parametrize("text,name", [
    ("huyen tan phu", "Huyện Tân Phú"),
    ("TP. Biên Hoà", "Thành phố Biên Hòa"),
    ("BIEN HOA", "Thành phố Biên Hòa"),
    ("thành phố Long Khánh", "Thành phố Long Khánh"),
    ("Huyện  Nhơn   Trạch", "Huyện Nhơn Trạch"),
])
def test_dong_nai_district_examples(text, name):
    assert find_unit("Tỉnh Đồng Nai", text, level="huyen").name == name


def test_every_unit_resolves_by_name_and_code():
    for province in provinces():
        for unit in units_of(province):
            assert find_unit(province, unit.name) == unit
            assert find_unit(province, unit.code) == unit
    for province in provinces("old"):
        for unit in units_of(province, level="huyen"):
            assert find_unit(province, unit.name, level="huyen") == unit


def test_units_sharing_a_short_name_stay_distinct():
    xa, phuong = find_unit("Thanh Hóa", "Xã Đồng Tiến"), find_unit("Thanh Hóa", "phuong dong tien")
    assert xa.code != phuong.code and (xa.kind, phuong.kind) == ("Xã", "Phường")
    assert find_unit("Thanh Hóa", "Đông Tiến") == phuong  # the diacritics decide
    with pytest.raises(UnknownNameError) as err:
        find_unit("Thanh Hóa", "dong tien")
    assert xa.code in str(err.value) and phuong.code in str(err.value)
    assert set(err.value.suggestions) == {xa.name, phuong.name}


def test_unknown_commune_suggests_close_names():
    with pytest.raises(UnknownNameError) as err:
        find_unit("Đồng Nai", "Phuoc Lonh")
    assert "Phường Phước Long" in err.value.suggestions


def test_communes_of_district_and_commune():
    tan_phu = find_unit("Đồng Nai", "Tân Phú", level="huyen")
    communes = communes_of(tan_phu)
    assert communes and all(u.district_code == tan_phu.code and u.era == "old" for u in communes)
    assert "Thị trấn Tân Phú" in {u.name for u in communes}
    phuoc_long = find_unit("Đồng Nai", "Phước Long")
    assert communes_of(phuoc_long) == [phuoc_long]
    con_dao = find_unit("Bà Rịa - Vũng Tàu", "Côn Đảo", level="huyen")
    assert communes_of(con_dao) == [con_dao]  # an island district without communes


def test_province_successors():
    dong_nai = find_province("Đồng Nai")
    assert province_successor("Bình Phước") == dong_nai
    assert province_successor(find_province("Đồng Nai", era="old")) == dong_nai
    assert province_successor("Bà Rịa - Vũng Tàu") == find_province("Hồ Chí Minh")
    successors = {province_successor(p).code for p in provinces("old")}
    assert successors == {p.code for p in provinces()}


def test_old_to_new_units_of_dong_nai():
    tan_phu = find_unit("Đồng Nai", "Tân Phú", level="huyen")
    new = new_units_of_old(tan_phu)
    assert new and {u.province_code for u in new} == {"75"} and "Xã Tân Phú" in {u.name for u in new}
    assert new_units_of_old(find_unit("Bà Rịa - Vũng Tàu", "Côn Đảo", level="huyen"))[0].name == "Đặc khu Côn Đảo"
    for unit in units_of("Đồng Nai"):
        olds = old_units_of_new(unit)
        assert olds, unit.name
        for old in olds:
            assert unit in new_units_of_old(old)


# --- norms ---------------------------------------------------------------------------------------

EXPECTED_NORMS = {
    "MAY_MOC": ("0.5", 200_000_000, "cơ sở"),
    "MO_HINH": ("0.3", 500_000_000, "mô hình"),
    "NHAN_HIEU": ("0.5", 35_000_000, "cơ sở"),
    "TU_VAN": ("0.5", 35_000_000, "cơ sở"),
    "XU_LY_O_NHIEM": ("0.3", 300_000_000, "cơ sở"),
    "LAI_SUAT": ("0.5", 500_000_000, "cơ sở"),
    "CUM_CONG_NGHIEP": ("0.5", 500_000_000, "cụm"),
    "BINH_CHON": (None, 200_000_000, "lần"),
    "KHOI_SU": (None, 10_000_000, "doanh nghiệp"),
}


@pytest.mark.parametrize("code,expected", EXPECTED_NORMS.items())
def test_default_norms_are_the_caps_of_tt26_2014(code, expected):
    norm = default_norms()[code]
    ratio, amount, per = expected
    assert norm.max_ratio == (None if ratio is None else Decimal(ratio))
    assert (norm.max_amount, norm.per) == (amount, per)
    assert "26/2014/TTLT-BTC-BCT" in norm.source and "Điều 6" in norm.source
    assert norm.effective == date(2014, 4, 8)


def test_default_norms_fit_the_activity_catalogue_and_the_reference():
    for code, norm in default_norms().items():
        assert norm.activity == code and norm.per in find_activity(code).units
    if REFERENCE.is_file():
        text = REFERENCE.read_text(encoding="utf-8")
        m = re.search(r"\(Điều 6 Thông tư liên tịch số 26/2014/TTLT-BTC-BCT, có hiệu lực thi hành kể từ ngày (\d\d)/(\d\d)/(\d{4})\)", text)
        assert m and date(int(m[3]), int(m[2]), int(m[1])) == date(2014, 4, 8)


def test_norm_caps_for_a_line():
    norm = default_norms()["MAY_MOC"]
    assert norm.ratio_cap(301_000_001) == 150_500_000
    assert norm.amount_cap(Decimal(3), "Cơ sở") == 600_000_000
    assert norm.amount_cap(Decimal(3), "đề án") is None
    assert norm.amount_cap(None, "cơ sở") is None


def _norms_workbook(path: Path, rows: list[list], *, sheet="Định mức", table=True, headers=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["Định mức hỗ trợ khuyến công địa phương"])
    ws.append(headers or NORMS_LAYOUT["DinhMuc"].headers)
    for row in rows:
        ws.append(row)
    if table:
        ws.add_table(Table(displayName="DinhMuc", ref=f"A2:F{2 + max(1, len(rows))}"))
    wb.save(path)
    return path


def test_norms_layout_headers():
    assert NORMS_LAYOUT["DinhMuc"].headers == [
        "Hoạt động", "Tỷ lệ hỗ trợ tối đa (%)", "Mức hỗ trợ tối đa (triệu đồng)", "Tính theo", "Văn bản", "Ngày hiệu lực"]
    assert "DinhMuc" not in {layout.table for layout in LAYOUTS.values()}


def test_load_norms_overrides_defaults(tmp_path):
    path = _norms_workbook(tmp_path / "dinh-muc.xlsx", [
        ["MAY_MOC", 40, 300, "cơ sở", "Nghị quyết 23/2025/NQ-HĐND", date(2025, 7, 1)],
        ["Hội chợ, triển lãm", "80%", "1.500", "gian hàng", "Quyết định 12/2024/QĐ-UBND", "01/01/2024"],
        ["mo hinh", "30", "250,5", "", "Nghị quyết 23/2025/NQ-HĐND", "2025-07-01"],
        [None, None, None, None, None, None],
    ])
    norms = load_norms(path)
    assert norms["MAY_MOC"].max_ratio == Decimal("0.4")
    assert norms["MAY_MOC"].max_amount == 300_000_000
    assert norms["MAY_MOC"].source == "Nghị quyết 23/2025/NQ-HĐND"
    assert norms["MAY_MOC"].effective == date(2025, 7, 1)
    assert (norms["HOI_CHO"].max_ratio, norms["HOI_CHO"].max_amount, norms["HOI_CHO"].per) == (
        Decimal("0.8"), 1_500_000_000, "gian hàng")
    assert (norms["MO_HINH"].max_amount, norms["MO_HINH"].per) == (250_500_000, "mô hình")
    assert norms["TU_VAN"] == default_norms()["TU_VAN"]  # untouched default


def test_load_norms_reads_percent_formatted_cells_and_picks_by_date(tmp_path):
    path = _norms_workbook(tmp_path / "dm.xlsx", [
        ["MAY_MOC", 0.3, 250, "", "Quyết định cũ", "01/01/2020"],
        ["MAY_MOC", 0.45, 300, "", "Quyết định mới", "01/01/2025"],
    ], table=False)
    wb = openpyxl.load_workbook(path)
    for row in (3, 4):
        wb.active.cell(row, 2).number_format = "0%"
    wb.save(path)
    assert load_norms(path)["MAY_MOC"].max_ratio == Decimal("0.45")
    older = load_norms(path, as_of=date(2022, 12, 31))["MAY_MOC"]
    assert (older.max_ratio, older.source) == (Decimal("0.3"), "Quyết định cũ")
    assert load_norms(path, as_of=date(2019, 1, 1))["MAY_MOC"] == default_norms()["MAY_MOC"]


def test_load_norms_finds_the_table_on_another_sheet(tmp_path):
    path = _norms_workbook(tmp_path / "dm.xlsx", [["TU_VAN", 50, 40, "cơ sở", "NQ 5/2024", "01/03/2024"]],
                           sheet="Sheet1", headers=["hoat dong", "TY LE HO TRO TOI DA", "Muc ho tro toi da",
                                                    "Tinh theo", "Van ban", "Ngay hieu luc"])
    assert load_norms(path)["TU_VAN"].max_amount == 40_000_000


@pytest.mark.parametrize("row,cell,words", [
    (["XYZ", 50, 10, "", "NQ", "01/01/2025"], "A3", "XYZ"),
    (["MAY_MOC", 150, 10, "", "NQ", "01/01/2025"], "B3", "150%"),
    (["MAY_MOC", "năm mươi", 10, "", "NQ", "01/01/2025"], "B3", "năm mươi"),
    (["MAY_MOC", 50, "0,0000001", "", "NQ", "01/01/2025"], "C3", "chi tiết hơn 1 đồng"),
    (["MAY_MOC", 50, -5, "", "NQ", "01/01/2025"], "C3", "âm"),
    (["MAY_MOC", 50, 10, "mô hình", "NQ", "01/01/2025"], "D3", "mô hình"),
    (["MAY_MOC", 50, 10, "", "", "01/01/2025"], "E3", "văn bản"),
    (["MAY_MOC", 50, 10, "", "NQ", "31/02/2025"], "F3", "31/02/2025"),
])
def test_load_norms_errors_name_the_cell(tmp_path, row, cell, words):
    path = _norms_workbook(tmp_path / "bad.xlsx", [row])
    with pytest.raises(ConfigError) as err:
        load_norms(path)
    message = str(err.value)
    assert "bad.xlsx" in message and "Định mức" in message and f"ô {cell}" in message and words in message


def test_load_norms_duplicate_row_names_both_cells(tmp_path):
    row = ["MAY_MOC", 50, 10, "", "NQ", "01/01/2025"]
    with pytest.raises(ConfigError, match="ô A4.*ô A3"):
        load_norms(_norms_workbook(tmp_path / "dup.xlsx", [row, row]))


def test_load_norms_file_level_errors(tmp_path):
    with pytest.raises(ConfigError, match="Không tìm thấy"):
        load_norms(tmp_path / "missing.xlsx")
    not_xlsx = tmp_path / "dm.xlsx"
    not_xlsx.write_text("không phải excel", encoding="utf-8")
    with pytest.raises(ConfigError, match="dm.xlsx"):
        load_norms(not_xlsx)
    no_table = _norms_workbook(tmp_path / "empty.xlsx", [], table=False, headers=["A", "B"])
    with pytest.raises(ConfigError, match="DinhMuc"):
        load_norms(no_table)
    missing_col = _norms_workbook(tmp_path / "cols.xlsx", [["MAY_MOC", 50, 10]], table=False,
                                  headers=["Hoạt động", "Tỷ lệ hỗ trợ tối đa (%)", "Mức hỗ trợ tối đa (triệu đồng)"])
    with pytest.raises(ConfigError, match="thiếu cột Văn bản, Ngày hiệu lực"):
        load_norms(missing_col)
