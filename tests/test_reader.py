"""The safe reader: tables found where people leave them, values with positions, hostile files refused."""

from __future__ import annotations

import struct
import time
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from builders import CLEAN_ROW, build_registration
from kc_excel.errors import FileLevelError
from kc_excel.workbook.data import WorkbookData
from kc_excel.workbook.layout import PROGRAMME, REGISTRATION, RESULTS
from kc_excel.workbook.reader import ReadLimits, read_workbook

ROW_2 = {**CLEAN_ROW, "stt": 2, "ten_de_an": "Xây dựng mô hình trình diễn sấy nông sản", "hoat_dong": "MO_HINH",
         "don_vi_tinh": "mô hình", "tong": 1000, "kcdp": 300, "doi_ung": 700}


def issues_of(data: WorkbookData) -> list[tuple[str | None, str | None, str]]:
    return [(i.sheet, i.cell, i.code) for i in data.issues]


def refused(path: Path, **limits) -> FileLevelError:
    with pytest.raises(FileLevelError) as caught:
        read_workbook(path, limits=ReadLimits(**limits))
    return caught.value


# --- finding the table and its cells ----------------------------------------------------

def test_registration_table_cells_keep_their_positions(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW, ROW_2], header_row=3,
                               totals={"tong": "=SUBTOTAL(109,K4:K5)"})
    data = read_workbook(built.path)
    table = data.tables["dang-ky"]
    assert (data.format, data.kind, data.meta["nam"], data.meta["ma_don_vi"]) == ("xlsx", "dang-ky", "2022", "734")
    assert (table.sheet, table.header_row, table.ref, table.found_by) == ("Đăng ký", 3, "A3:R6", "table")
    assert [r.row for r in table.records] == [4, 5]
    assert [(c.ref, c.value) for c in (table.records[1].cell("ten_de_an"), table.records[1].cell("tong"))] == [
        ("B5", ROW_2["ten_de_an"]), ("K5", 1000)]
    assert table.records[0].value("ma_so_thue") == "0100233488"
    assert table.totals_row == 6 and table.totals["tong"].formula == "=SUBTOTAL(109,K4:K5)"
    assert data.formulas == {("Đăng ký", "K6"): "=SUBTOTAL(109,K4:K5)"}
    assert data.issues == [] and len(data.sha256) == 64


def test_reordered_retyped_headers_and_extra_columns_are_found_by_scanning(tmp_path):
    keys = ["ten_de_an", "stt", "hoat_dong", "tong", "kcqg", "kcdp", "doi_ung", "khac", "so_luong", "don_vi_tinh"]
    retyped = {"ten_de_an": "TEN DE AN, NHIEM VU", "tong": "tong kinh phi (trieu dong)", "kcdp": "KCĐP",
               "so_luong": "Số  lượng *"}
    built = build_registration(tmp_path / "x.xlsx", [CLEAN_ROW], columns=keys, headers=retyped,
                               extra_columns={2: "Người phụ trách"}, header_row=5, sheet="Sheet1",
                               as_table=False, with_meta=False)
    table = read_workbook(built.path).tables["dang-ky"]
    assert (table.sheet, table.header_row, table.ref, table.found_by) == ("Sheet1", 5, None, "header")
    assert {k: c.ref for k, c in table.columns.items()} == {
        "ten_de_an": "A5", "stt": "B5", "hoat_dong": "D5", "tong": "E5", "kcqg": "F5", "kcdp": "G5",
        "doi_ung": "H5", "khac": "I5", "so_luong": "J5", "don_vi_tinh": "K5"}
    assert [c.value for c in table.extra_headers] == ["Người phụ trách"]
    assert table.records[0].cell("tong").ref == "E6" and table.records[0].value("tong") == 400


def test_rows_below_the_table_are_read_and_flagged(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW], totals={"tong": "=SUBTOTAL(109,K2:K2)"})
    wb = load_workbook(built.path)
    ws = wb["Đăng ký"]
    ws["B5"], ws["K5"] = "Dòng gõ dưới bảng", 50
    wb.save(built.path)
    data = read_workbook(built.path)
    table = data.tables["dang-ky"]
    assert [(r.row, r.in_table) for r in table.records] == [(2, True), (5, False)]
    assert table.totals_row == 3
    assert issues_of(data) == [("Đăng ký", "A5", "row-outside-table")]


def test_blank_rows_numbered_rows_and_totals_label_are_skipped(tmp_path):
    rows = [CLEAN_ROW, {"stt": 2}, {}, ROW_2, {"stt": 4}]
    built = build_registration(tmp_path / "dk.xlsx", rows, as_table=False, with_meta=False)
    wb = load_workbook(built.path)
    wb["Đăng ký"]["B7"] = "Tổng cộng"
    wb["Đăng ký"]["K7"] = 1400
    wb.save(built.path)
    table = read_workbook(built.path).tables["dang-ky"]
    assert [r.row for r in table.records] == [2, 5]
    assert (table.totals_row, table.totals["tong"].value) == (7, 1400)


def test_layout_checks_altered_missing_and_outdated(tmp_path):
    keys = [k for k in REGISTRATION.keys if k != "hoat_dong"]
    keys[0], keys[1] = keys[1], keys[0]
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW], columns=keys, meta={"phien_ban_mau": 0})
    data = read_workbook(built.path)
    assert sorted(issues_of(data)) == [("_kc", None, "template-outdated"), ("Đăng ký", "A1", "layout-altered"),
                                       ("Đăng ký", "A1", "missing-column")]
    missing = next(i for i in data.issues if i.code == "missing-column")
    assert missing.column == "Hoạt động" and "Hoạt động" in missing.message


def test_intact_template_without_checksum_is_not_called_altered(tmp_path):
    keys = list(reversed(REGISTRATION.keys))
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW], columns=keys, drop_meta=["ma_kiem_tra"])
    assert issues_of(read_workbook(built.path)) == []


def test_meta_values_are_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    ws.append(RESULTS.headers)
    ws.append(["CT01", 2021, 12, None])
    meta = wb.create_sheet("_kc")
    for row in (["loai_bieu", "ket-qua"], ["phien_ban_mau", 1], ["nam", 2023.0], ["ngay_tao", "2023-01-05T08:00:00"]):
        meta.append(row)
    wb.save(tmp_path / "kq.xlsx")
    data = read_workbook(tmp_path / "kq.xlsx")
    assert data.meta == {"loai_bieu": "ket-qua", "phien_ban_mau": "1", "nam": "2023", "ngay_tao": "2023-01-05T08:00:00"}
    table = data.tables["ket-qua"]
    assert (table.found_by, [(c.ref, c.value) for c in table.records[0].cells.values()][:3]) == (
        "sheet", [("A2", "CT01"), ("B2", 2021), ("C2", 12)])


def test_programme_and_results_in_one_workbook_each_get_their_header_row(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Bang 1"
    ws.append(["CHƯƠNG TRÌNH KHUYẾN CÔNG TỈNH ĐỒNG NAI GIAI ĐOẠN 2021-2025"])
    ws.append([h.upper() for h in PROGRAMME.headers])
    ws.append(["CT01", "Số cơ sở được hỗ trợ máy móc", "MAY_MOC", "cơ sở", 50, None, None, None, 2021, 2025])
    other = wb.create_sheet("Bang 2")
    other.append(["Ma chi tieu", "Nam", "Thuc hien"])
    other.append(["CT01", 2021, 12])
    wb.save(tmp_path / "ct.xlsx")
    data = read_workbook(tmp_path / "ct.xlsx")
    assert (data.tables["chuong-trinh"].sheet, data.tables["chuong-trinh"].header_row) == ("Bang 1", 2)
    assert (data.tables["ket-qua"].sheet, data.tables["ket-qua"].header_row) == ("Bang 2", 1)
    assert data.tables["chuong-trinh"].records[0].value("toi_thieu") == 50


def test_legacy_font_is_kept_and_tcvn3_text_converted(tmp_path):
    pytest.importorskip("kc_excel.legacy")
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    wb = load_workbook(built.path)
    cell = wb["Đăng ký"]["E2"]
    cell.value, cell.font = "C«ng ty Gèm Biªn Hßa", Font(name=".VnTime")
    wb.save(built.path)
    data = read_workbook(built.path)
    co_so = data.tables["dang-ky"].records[0].cell("co_so")
    assert (co_so.font, co_so.value) == (".VnTime", "Công ty Gốm Biên Hòa")
    assert [(i.cell, i.code, i.value) for i in data.issues] == [("E2", "legacy-encoding", "C«ng ty Gèm Biªn Hßa")]


def test_tcvn3_text_in_a_message_is_readable_not_a_python_escape(tmp_path):
    pytest.importorskip("kc_excel.legacy")
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    wb = load_workbook(built.path)
    cell = wb["Đăng ký"]["E2"]
    cell.value, cell.font = "C¬ së Tr\xadêng H\xadng", Font(name=".VnTime")  # TCVN3 "ư" is a soft hyphen
    wb.save(built.path)
    [issue] = read_workbook(built.path).issues
    for lang in ("vi", "en"):
        assert "\\x" not in issue.render(lang) and "“C¬ së Tr\ufffdêng H\ufffdng”" in issue.render(lang)
        assert "→ “Cơ sở Trường Hưng”" in issue.render(lang)
    assert issue.value == "C¬ së Tr\xadêng H\xadng"  # the cell's own text, unchanged


def test_headers_typed_in_tcvn3_are_matched(tmp_path):
    legacy = pytest.importorskip("kc_excel.legacy")
    headers = {k: legacy.from_unicode(REGISTRATION.column(k).header, "tcvn3") for k in REGISTRATION.keys}
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW], headers=headers, as_table=False,
                               with_meta=False, sheet="Sheet1")
    table = read_workbook(built.path).tables["dang-ky"]
    assert (table.columns["ten_de_an"].ref, table.columns["dia_diem"].ref, table.columns["tong"].ref) == ("B1", "H1", "K1")
    assert table.records[0].value("kcdp") == 150


def test_missing_file_is_not_found_with_a_vietnamese_reason(tmp_path):
    error = refused(tmp_path / "khong-co.xlsx")
    assert (error.code, "khong-co.xlsx" in error.message, "không tìm thấy tệp" in error.message) == (
        "file-not-found", True, True)
    assert "Excel" not in error.message  # not "mở bằng Excel rồi lưu lại": there is nothing to open


def test_huge_declared_dimension_with_little_data_reads_quickly(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    out = _rewrite_member(built.path, tmp_path / "dim.xlsx", "xl/worksheets/sheet1.xml",
                          lambda xml: xml.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData', 1))
    started = time.monotonic()
    assert [r.row for r in read_workbook(out).tables["dang-ky"].records] == [2]
    assert time.monotonic() - started < 5


SHEET_WITH_SHARED = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                     b'<row r="2"><c r="B2"><v>1</v></c><c r="D2" s="1"><f t="shared" ref="D2:D4" si="0">B2*C2</f>'
                     b'<v>0</v></c></row><row r="3"><c r="D3"><f t="shared" si="0"/><v>0</v></c></row>'
                     b'<row r="4"><c r="D4" s="2"><f t="shared" si="0"/></c><c r="E4" t="str">'
                     b'<f>IF(A4&gt;0,"a&amp;b","")</f><v></v></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("scanner", ["scan_formulas", "scan_sheet"])
def test_formula_scanners_expand_shared_formulas_and_unescape(tmp_path, scanner):
    from kc_excel.workbook import ooxml

    with zipfile.ZipFile(tmp_path / "s.zip", "w") as archive:
        archive.writestr("sheet.xml", SHEET_WITH_SHARED)
    with zipfile.ZipFile(tmp_path / "s.zip") as archive:
        scan = getattr(ooxml, scanner)(archive, "sheet.xml")
    assert scan.formulas == {(2, 4): "=B2*C2", (3, 4): "=B3*C3", (4, 4): "=B4*C4", (4, 5): '=IF(A4>0,"a&b","")'}


# --- other formats ------------------------------------------------------------------------

@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_saved_by_libreoffice(tmp_path, soffice, fmt):
    from kc_excel.libreoffice import convert

    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW, ROW_2], totals={"tong": "=SUBTOTAL(109,K2:K3)"})
    wb = load_workbook(built.path)
    wb["Đăng ký"]["B6"] = "Dòng gõ dưới dòng cộng"
    wb.save(built.path)
    data = read_workbook(convert(built.path, fmt, tmp_path / "out"))
    table = data.tables["dang-ky"]
    assert (data.format, data.kind, data.meta["ma_don_vi"]) == (fmt, "dang-ky", "734")
    assert [(r.row, r.in_table) for r in table.records] == [(2, True), (3, True), (6, False)]
    assert table.records[1].cell("tong").ref == "K3" and table.records[1].value("tong") == 1000
    assert table.totals_row == 4 and table.totals["tong"].value == 1400
    assert issues_of(data) == [("Đăng ký", "A6", "row-outside-table")]


def test_xlsx_renamed_xls_is_read_by_content(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    renamed = tmp_path / "dk.xls"
    renamed.write_bytes(built.path.read_bytes())
    assert read_workbook(renamed).tables["dang-ky"].records[0].value("tong") == 400


# --- refused files -----------------------------------------------------------------------------

def test_ordinary_workbook_is_not_a_kc_workbook(tmp_path):
    wb = Workbook()
    wb.active.append(["Họ tên", "Ngày sinh"])
    wb.save(tmp_path / "danh sach.xlsx")
    error = refused(tmp_path / "danh sach.xlsx")
    assert error.code == "not-a-kc-workbook"
    assert "danh sach.xlsx" in error.message and "không phải biểu mẫu khuyến công" in error.message
    assert "DangKy/ChiTieu/KetQua" in error.message


def test_encrypted_xlsx_says_password(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    with open(built.path, "rb") as source, open(tmp_path / "khoa.xlsx", "wb") as target:
        OOXMLFile(source).encrypt("kc2022", target)
    error = refused(tmp_path / "khoa.xlsx")
    assert error.code == "file-encrypted" and "mật khẩu" in error.message and "khoa.xlsx" in error.message


@pytest.mark.parametrize("content, code", [
    (b"STT;Ten de an\n1;May moc\n", "file-unsupported-format"),
    (b"\x09\x02\x06\x00\x00\x00\x10\x00" + bytes(40), "file-unsupported-format"),  # BIFF3 stream
    (b"PK\x03\x04" + bytes(60), "file-corrupt"),
    (b"\x00\x01\x02garbage" * 10, "file-corrupt"),
])
def test_non_workbooks_are_refused_with_a_file_level_code(tmp_path, content, code):
    path = tmp_path / "nop.xls"
    path.write_bytes(content)
    assert refused(path).code == code


def test_truncated_xlsx_is_corrupt(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    data = built.path.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) * 2 // 3])
    assert refused(tmp_path / "cut.xlsx").code == "file-corrupt"


def test_too_big_on_disk(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    assert refused(built.path, max_file_bytes=1000).code == "file-too-large"


@pytest.mark.parametrize("second", ["xl/worksheets/sheet1.xml", "XL/Worksheets/Sheet1.xml"])
def test_duplicate_zip_entries_are_ambiguous(tmp_path, second):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    out = tmp_path / "dup.xlsx"
    with zipfile.ZipFile(built.path) as src, zipfile.ZipFile(out, "w") as dst, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr(second, b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    assert refused(out).code == "file-ambiguous"


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    out = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(built.path) as src:
        members = {n: src.read(n) for n in src.namelist()}
    _write_zip_with_bomb(out, members, "xl/worksheets/sheet1.xml", gibibytes=1)
    assert out.stat().st_size < 3 * 1024 * 1024
    started = time.monotonic()
    error = refused(out)
    assert error.code == "file-too-large" and "sheet1.xml" in error.message
    assert time.monotonic() - started < 5


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10)) + "]>")
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("dtd, entity", [(BILLION_LAUGHS, "&lol9;"), (XXE, "&xxe;")])
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_xml_entities_are_refused_never_expanded(tmp_path, dtd, entity, part):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    if part == "xl/worksheets/sheet1.xml":
        def inject(xml: bytes) -> bytes:
            body = xml[xml.index(b"<worksheet"):]
            return dtd.encode() + body.replace(b"<t>STT</t>", f"<t>{entity}</t>".encode(), 1)
        out = _rewrite_member(built.path, tmp_path / "evil.xlsx", part, inject)
    else:
        sst = (f'{dtd}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
               f'uniqueCount="1"><si><t>{entity}</t></si></sst>').encode()
        out = _rewrite_member(built.path, tmp_path / "evil.xlsx", part, lambda _old: sst)
    error = refused(out)
    assert error.code == "file-corrupt" and "thực thể XML" in error.message
    assert "root:" not in error.message and "lollol" not in error.message


# --- helpers ----------------------------------------------------------------------------------

def _rewrite_member(src: Path, out: Path, name: str, change) -> Path:
    with zipfile.ZipFile(src) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for member in names:
            target.writestr(member, change(source.read(member)) if member == name else source.read(member))
        if name not in names:
            target.writestr(name, change(b""))
    return out


def _write_zip_with_bomb(out: Path, members: dict[str, bytes], bomb: str, *, gibibytes: int) -> None:
    """A zip whose member ``bomb`` inflates to ``gibibytes`` GiB of XML whitespace, written in well under a second.

    After a full flush, deflating the same 1 MiB block gives the same bytes, so the
    compressed stream is one block repeated; only the CRC needs a pass over the data.
    """
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    block = b" " * (1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = gibibytes * 1024
    stream = first + repeated * count + deflate.compress(tail) + deflate.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * count + len(tail)
    entries = [(n, 8, zlib.crc32(d), zlib.compress(d, 6)[2:-4], len(d)) for n, d in members.items() if n != bomb]
    entries.append((bomb, 8, crc, stream, size))
    _write_raw_zip(out, entries)


def _write_raw_zip(out: Path, entries: list[tuple[str, int, int, bytes, int]]) -> None:
    local, central = bytearray(), bytearray()
    for name, method, crc, data, size in entries:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        local += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0)
    out.write_bytes(bytes(local + central + end))
