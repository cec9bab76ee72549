"""The ribbon handlers against xlwings' own Book API, through its JSON (remote) engine.

Each test builds the JSON payload the xlwings client sends (format of
xlwings/pro/_xlremote.py and xlwings.js: ``{"version", "client", "book",
"names", "sheets": [{"name", "values", "tables", "notes", ...}]}``) from a real
.xlsx written by kc-excel's templates, opens it with ``xw.Book(json=...)``,
calls the handler with that book, and checks the actions xlwings recorded
(``book.json()["actions"]``): cells coloured, notes, sheets added, values
written, names deleted, message boxes.

The payload says ``client = "Office.js"`` because the remote engine only writes
notes for that client. Text that looks like an ISO timestamp (``_kc.ngay_tao``)
is sent the way the client sends a date cell: the remote engine would otherwise
try to parse it as one and fail.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings PRO (remote engine), noncommercial use

import openpyxl  # noqa: E402
import xlwings as xw  # noqa: E402
from openpyxl.utils import get_column_letter, range_boundaries  # noqa: E402

from kc_excel import ribbon  # noqa: E402
from kc_excel.addin.bookio import take_choice  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "workbooks" / "examples"
RED, AMBER = "#ffc7ce", "#ffeb9c"


@pytest.fixture(scope="module", autouse=True)
def remote_engine():
    """The remote engine registers only when xlwings PRO's licence check passes at import time."""
    from xlwings.pro import _xlremote

    if "remote" not in [engine.name for engine in xw.engines]:
        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))
    return _xlremote


def _cell(value):
    from xlwings.pro._xlremote import datetime_regex

    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str) and datetime_regex.match(value):
        return dt.datetime.fromisoformat(value).replace(tzinfo=None).isoformat() + ".000Z"
    return value


def _tables(ws) -> list[dict]:
    found = []
    for name, ref in ws.tables.items():
        c1, r1, c2, r2 = range_boundaries(ref)
        totals = ws.tables[name].totalsRowCount or 0
        first, last = get_column_letter(c1), get_column_letter(c2)
        found.append({"name": name, "range_address": ref, "header_row_range_address": f"{first}{r1}:{last}{r1}",
                      "data_body_range_address": f"{first}{r1 + 1}:{last}{r2 - totals}",
                      "total_row_range_address": f"{first}{r2}:{last}{r2}" if totals else None,
                      "show_headers": True, "show_totals": bool(totals), "table_style": "TableStyleMedium2",
                      "show_autofilter": True})
    return found


def payload(path: Path, names: dict[str, str] | None = None, notes: dict[str, list[str]] | None = None) -> dict:
    """The xlwings client payload of the workbook at ``path``; ``names`` become hidden constant names."""
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        values = [[_cell(c) for c in row] for row in ws.iter_rows(max_row=ws.max_row, max_col=ws.max_column,
                                                                 values_only=True)]
        sheets.append({"name": ws.title, "values": values or [[]], "pictures": [], "tables": _tables(ws),
                       "notes": [{"address": a} for a in (notes or {}).get(ws.title, [])],
                       "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden"})
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [{"name": key, "refers_to": '="' + value.replace('"', '""') + '"', "sheet_index": None,
                       "address": None, "book_scope": True, "scope_sheet_name": None, "scope_sheet_index": None}
                      for key, value in (names or {}).items()],
            "sheets": sheets}


def actions(book, func: str | None = None) -> list[dict]:
    found = book.json()["actions"]
    return [a for a in found if func is None or a["func"] == func]


def alerts(book) -> list[str]:
    return [a["args"][0] for a in actions(book, "alert")]


def _registration(path: Path, mst: str, tong: int) -> Path:
    from kc_excel.catalog import find_province, units_of
    from kc_excel.workbook.templates import write_registration

    province = find_province("Đồng Nai")
    unit = units_of(province, level="xa")[0]
    line = {"stt": 1, "ten_de_an": "Hỗ trợ máy móc", "hoat_dong": "MAY_MOC", "co_so": "Cơ sở A",
            "ma_so_thue": "0314409058", "loai_hinh": "DNNVV", "dia_diem": unit.name, "don_vi_tinh": "cơ sở",
            "so_luong": 1, "tong": 400, "kcqg": 0, "kcdp": 150, "doi_ung": 250, "khac": 0,
            "thang_bat_dau": 3, "thang_ket_thuc": 10}
    second = {**line, "stt": 2, "ten_de_an": "Hỗ trợ máy đóng gói", "co_so": "Cơ sở B", "ma_so_thue": mst,
              "tong": tong}
    return write_registration(path, province, unit, 2026, [line, second])


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    return _registration(tmp_path_factory.mktemp("reg") / "DangKy_loi.xlsx", mst="0312345678", tong=500)


# --- Kiểm tra sổ này -------------------------------------------------------------------------------

def test_kiem_tra_so_marks_cells_and_lists_issues(faulty):
    from kc_excel.validation.runner import validate_file

    book = xw.Book(json=payload(faulty))
    ribbon.kiem_tra_so(book)
    colours = {(a["sheet_position"], a["start_row"], a["start_column"]): a["args"][0]
               for a in actions(book, "setRangeColor")}
    assert colours == {(0, 7, 5): RED, (0, 7, 10): RED}  # F8 (Mã số thuế), K8 (Tổng kinh phí)
    notes = {a["args"][0]: a["args"][1] for a in actions(book, "addNote")}
    assert set(notes) == {"$F$8", "$K$8"}
    assert notes["$F$8"].startswith("Mã số thuế không hợp lệ: '0312345678'")
    assert [a["args"] for a in actions(book, "addSheet")] == [[4, "Lỗi"]]
    written = actions(book, "setValues")[0]["values"]
    assert written[0] == list(ribbon.ISSUE_HEADERS)
    listed = {(row[1], row[2], row[3]) for row in written[1:]}
    expected = {(i.sheet, i.cell, i.code) for i in validate_file(faulty).report.issues}
    assert listed == expected == {("Đăng ký", "F8", "invalid-tax-code"), ("Đăng ký", "K8", "sum-mismatch")}
    assert alerts(book) == ["Đã kiểm tra: 2 lỗi, 0 cảnh báo. Các ô có vấn đề đã được tô màu và ghi chú; "
                            "danh sách ở trang tính Lỗi."]


def test_kiem_tra_so_on_a_clean_book_only_says_so(tmp_path):
    clean = _registration(tmp_path / "DangKy_dung.xlsx", mst="0314409058", tong=400)
    book = xw.Book(json=payload(clean))
    ribbon.kiem_tra_so(book)
    assert [a["func"] for a in actions(book)] == ["alert"]
    assert alerts(book) == ["Không phát hiện lỗi nào. Sổ hợp lệ."]


def test_handler_takes_the_caller_book_by_default(faulty):
    book = xw.Book(json=payload(faulty))
    book.set_mock_caller()
    try:
        message = ribbon.kiem_tra_so()
    finally:
        del xw.Book._mock_caller
    assert message.startswith("Đã kiểm tra: 2 lỗi")
    assert len(actions(book, "setRangeColor")) == 2


# --- Xóa đánh dấu -------------------------------------------------------------------------------

def test_xoa_danh_dau_restores_cells_and_deletes_the_issue_sheet(faulty, tmp_path):
    checked = xw.Book(json=payload(faulty))
    ribbon.kiem_tra_so(checked)
    rows = actions(checked, "setValues")[0]["values"]
    wb = openpyxl.load_workbook(faulty)  # the book as Excel holds it after the check
    sheet = wb.create_sheet("Lỗi")
    for row in rows:
        sheet.append(row)
    marked = tmp_path / "da-kiem-tra.xlsx"
    wb.save(marked)
    book = xw.Book(json=payload(marked, notes={"Đăng ký": ["F8", "K8"]}))
    ribbon.xoa_danh_dau(book)
    cleared = {(a["start_row"], a["start_column"]): a["args"][0] for a in actions(book, "setRangeColor")}
    assert cleared == {(7, 5): None, (7, 10): None}
    assert sorted(a["args"][0] for a in actions(book, "deleteNote")) == ["$F$8", "$K$8"]
    assert [a["sheet_position"] for a in actions(book, "sheetDelete")] == [4]
    assert alerts(book) == ["Đã xóa đánh dấu ở 2 ô."]


def test_xoa_danh_dau_without_marks(faulty):
    book = xw.Book(json=payload(faulty))
    ribbon.xoa_danh_dau(book)
    assert alerts(book) == ["Không có đánh dấu nào để xóa."]


# --- Tổng hợp thư mục… -------------------------------------------------------------------------

def test_tong_hop_thu_muc_consolidates_the_chosen_folder(faulty, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(ribbon, "status", lambda book, text: shown.append(text))
    folder = tmp_path / "nop"
    folder.mkdir()
    for name in ("DangKy_2022_734_Huyen-Tan-Phu.xlsx", "DangKy_2022_735_Huyen-Vinh-Cuu.xlsx"):
        shutil.copy(EXAMPLES / name, folder / name)
    book = xw.Book(json=payload(faulty, names={"KC_THU_MUC": str(folder), "KC_TINH": "dong nai", "KC_NAM": "2022"}))
    ribbon.tong_hop_thu_muc(book)
    out = folder / "KeHoach_2022_tong-hop.xlsx"
    assert out.is_file()
    plan = openpyxl.load_workbook(out, read_only=True)
    assert {"Tổng hợp", "Chi tiết", "Tình trạng nộp"} <= set(plan.sheetnames)
    detail_rows = sum(1 for row in plan["Chi tiết"].iter_rows(values_only=True) if row and row[0] is not None)
    message = alerts(book)[0]
    assert message.startswith("Đã tổng hợp 2 tệp: ")
    assert f"Kết quả: {out}" in message
    lines = int(message.split(": ")[1].split(" dòng")[0])
    assert 0 < lines < detail_rows  # Chi tiết holds the lines plus its header row(s)
    assert sorted(a["args"][0] for a in actions(book, "nameDelete")) == ["KC_NAM", "KC_THU_MUC", "KC_TINH"]
    assert "Khuyến công: đã đọc 2/2 tệp…" in shown and shown[-1] is False  # progress, then the bar given back


def test_tong_hop_thu_muc_without_a_choice_says_what_is_missing(faulty):
    book = xw.Book(json=payload(faulty))
    ribbon.tong_hop_thu_muc(book)
    assert [a["args"][:4] for a in actions(book, "alert")] == [
        ["Chưa chọn thư mục: bấm lại nút trên thẻ Khuyến công.", "Khuyến công", "ok", "critical"]]


# --- Tính tỷ lệ đạt ---------------------------------------------------------------------------

def test_tinh_ty_le_dat_writes_the_danh_gia_sheet():
    from kc_excel.attainment import AsOf
    from kc_excel.attainment.io import attainment_from
    from kc_excel.workbook.reader import read_workbook

    programme, results = EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx", EXAMPLES / "KetQua_DongNai_2021-2023.xlsx"
    book = xw.Book(json=payload(programme, names={"KC_DEN_THANG": "2023-12", "KC_TEP_KET_QUA": str(results)}))
    ribbon.tinh_ty_le_dat(book)
    outcome = attainment_from(read_workbook(programme), [read_workbook(results)], AsOf(2023, 12))
    assert [a["args"][1] for a in actions(book, "addSheet")] == ["Đánh giá", "Lỗi"]  # the run's issues too
    written = actions(book, "setValues")[0]["values"]
    assert written[0] == list(ribbon.ATTAINMENT_HEADERS)
    listed = actions(book, "setValues")[1]["values"][1:]
    assert [(r[2], r[3]) for r in listed] == [(i.cell or "", i.code) for i in outcome.issues]
    core = outcome.report.rows
    assert [(r[0], r[8]) for r in written[1:]] == [(row.target.code, row.status) for row in core]
    by_code = {r[0]: r for r in written[1:]}
    assert by_code["CT06"][3:9] == [5.0, "", 3.0, 0.6, 0.6, "Đúng tiến độ"]  # 3 of 5 by 12/2023 = 60% = pace
    status_fills = [a["args"][0] for a in actions(book, "setRangeColor")]
    assert len(status_fills) == len(core) and status_fills[5] == "#ddebf7"
    assert alerts(book)[0].startswith(f"Đã đánh giá {len(core)} chỉ tiêu đến tháng 12/2023")


def test_tinh_ty_le_dat_rejects_a_bad_month():
    programme = EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx"
    book = xw.Book(json=payload(programme, names={"KC_DEN_THANG": "2023/12"}))
    ribbon.tinh_ty_le_dat(book)
    assert "không đúng dạng tháng/năm" in alerts(book)[0]
    assert actions(book, "addSheet") == []


# --- Tạo phiếu đăng ký… / Hướng dẫn / choices -------------------------------------------------

def test_tao_phieu_dang_ky_writes_one_file_per_district(faulty, tmp_path):
    from kc_excel.catalog import find_province, units_of

    book = xw.Book(json=payload(faulty, names={"KC_THU_MUC": str(tmp_path), "KC_TINH": "Đồng Nai", "KC_NAM": "2022"}))
    ribbon.tao_phieu_dang_ky(book)
    districts = units_of(find_province("Đồng Nai", era="old"), level="huyen")
    files = sorted(p.name for p in tmp_path.glob("DangKy_2022_*.xlsx"))
    assert len(files) == len(districts) > 5
    assert alerts(book) == [f"Đã tạo {len(files)} phiếu đăng ký năm 2022 của Tỉnh Đồng Nai trong thư mục {tmp_path}."]


def test_huong_dan_names_every_button_and_formula(faulty):
    book = xw.Book(json=payload(faulty))
    ribbon.huong_dan(book)
    text = alerts(book)[0]
    for word in ("Kiểm tra sổ này", "Xóa đánh dấu", "Tổng hợp thư mục", "Tính tỷ lệ đạt", "Tạo phiếu đăng ký",
                 "KC_DOCSO", "KC_SO", "KC_MST", "KC_CHUANHOA", "KC_TYLE", "KC_TIENDO", "KC_DANHGIA",
                 "KC_TANGTRUONG", "KC_KIEMTRA"):
        assert word in text


def test_take_choice_reads_quoted_constants_and_deletes_the_name(faulty):
    book = xw.Book(json=payload(faulty, names={"KC_THU_MUC": 'C:\\Kế hoạch "2026"'}))
    assert take_choice(book, "KC_THU_MUC") == 'C:\\Kế hoạch "2026"'
    assert take_choice(book, "KC_THU_MUC") is None
    assert [a["args"][0] for a in actions(book, "nameDelete")] == ["KC_THU_MUC"]


def test_kiem_tra_so_on_a_book_that_is_no_template_says_so_without_marks(tmp_path):
    plain = tmp_path / "danh-sach.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B2"] = "Danh sách cơ sở", 5
    wb.save(plain)
    book = xw.Book(json=payload(plain))
    ribbon.kiem_tra_so(book)
    assert [a["func"] for a in actions(book)] == ["alert"]
    assert alerts(book)[0].startswith("Không phải biểu mẫu khuyến công")


def test_an_unexpected_failure_becomes_a_message_not_a_traceback(faulty, monkeypatch):
    def broken(book, path):
        raise RuntimeError("đĩa đầy")

    monkeypatch.setattr(ribbon, "snapshot", broken)
    book = xw.Book(json=payload(faulty))
    message = ribbon.kiem_tra_so(book)
    assert message.startswith("Lỗi nội bộ của kc-excel (RuntimeError: đĩa đầy)")
    assert [a["args"][3] for a in actions(book, "alert")] == ["critical"]


def test_a_lỗi_sheet_the_user_owns_is_left_alone(faulty, tmp_path):
    wb = openpyxl.load_workbook(faulty)
    theirs = wb.create_sheet("Lỗi")
    theirs.append(["STT", "Tệp", "Trang tính", "Ô", "Nội dung"])
    theirs.append([1, "a.xlsx", "Đăng ký", "B8", "ghi chú của cán bộ"])
    path = tmp_path / "co-trang-loi.xlsx"
    wb.save(path)
    book = xw.Book(json=payload(path))
    ribbon.kiem_tra_so(book)
    assert actions(book, "sheetDelete") == []
    assert [a["args"][1] for a in actions(book, "addSheet")] == ["Lỗi (kiểm tra)"]
    assert alerts(book)[0].endswith("danh sách ở trang tính Lỗi (kiểm tra).")
    again = xw.Book(json=payload(path))
    ribbon.xoa_danh_dau(again)
    assert actions(again, "sheetDelete") == [] and alerts(again) == ["Không có đánh dấu nào để xóa."]


# --- issue 14 item 7: the ribbon is the command line ------------------------------------------------

def test_kiem_tra_so_and_validate_give_the_same_issues_and_meaning(faulty, capsys):
    import json

    from kc_excel.cli import main

    code = main(["validate", "--json", str(faulty)])
    document = json.loads(capsys.readouterr().out)
    book = xw.Book(json=payload(faulty))
    message = ribbon.kiem_tra_so(book)
    listed = {(row[1], row[2], row[3]) for row in actions(book, "setValues")[0]["values"][1:]}
    assert listed == {(i["sheet"], i["cell"], i["code"]) for i in document["files"][0]["issues"]}
    errors, warnings = document["summary"]["errors"], document["summary"]["warnings"]
    assert code == 1 and message.startswith(f"Đã kiểm tra: {errors} lỗi, {warnings} cảnh báo.")


def test_kiem_tra_so_refuses_a_plan_as_validate_does(tmp_path):
    from test_attainment_plan import plan_book

    book = xw.Book(json=payload(plan_book(tmp_path / "KeHoach_2022.xlsx")))
    ribbon.kiem_tra_so(book)
    text = alerts(book)[0]
    assert "kế hoạch khuyến công tỉnh đã tổng hợp" in text and "hợp lệ" not in text.replace("không", "")
    assert actions(book, "addSheet") == [] and actions(book, "setRangeColor") == []


def test_tinh_ty_le_dat_keeps_every_issue_the_command_line_reports(tmp_path, capsys):
    from attainment_books import SEED_PROGRAMME, SEED_RESULTS, programme_book, results_book

    from kc_excel.cli import main

    programme = programme_book(tmp_path / "ChuongTrinh.xlsx", [*SEED_PROGRAMME, SEED_PROGRAMME[0]])
    results = results_book(tmp_path / "KetQua.xlsx", [*SEED_RESULTS, SEED_RESULTS[0] | {"thuc_hien": 151},
                                                      {"ma_chi_tieu": "KHONG_CO", "nam": 2022, "thuc_hien": 1}])
    code = main(["attainment", "--programme", str(programme), "--results", str(results), "--as-of", "2023-12",
                 "-o", str(tmp_path / "DanhGia.xlsx"), "--json"])
    statuses = {i["code"]: i["status"] for i in __import__("json").loads(capsys.readouterr().out)["indicators"]}
    book = xw.Book(json=payload(programme, names={"KC_DEN_THANG": "2023-12", "KC_TEP_KET_QUA": str(results)}))
    message = ribbon.tinh_ty_le_dat(book)
    sheet, listed = (a["values"] for a in actions(book, "setValues")[:2])
    assert {r[0]: r[8] for r in sheet[1:]} == statuses
    codes = [r[3] for r in listed[1:]]
    assert code == 1 and {"duplicate-indicator", "duplicate-result", "unknown-indicator"} <= set(codes)
    assert "Có 3 lỗi" in message


def test_ribbon_messages_name_the_users_workbook_not_a_temporary_copy(faulty):
    book = xw.Book(json=payload(faulty, names={"KC_DEN_THANG": "2023-12"}))
    ribbon.tinh_ty_le_dat(book)  # a registration book is no programme
    text = alerts(book)[0]
    assert "so-dang-mo" not in text and "kc-ribbon-" not in text and faulty.name in text


def test_tao_phieu_dang_ky_writes_signed_templates_as_the_command_line(faulty, tmp_path):
    from kc_excel import settings
    from kc_excel.signing import check_identity, load_key
    from kc_excel.workbook.reader import read_workbook

    book = xw.Book(json=payload(faulty, names={"KC_THU_MUC": str(tmp_path), "KC_TINH": "Đồng Nai", "KC_NAM": "2022"}))
    ribbon.tao_phieu_dang_ky(book)
    written = sorted(tmp_path.glob("DangKy_2022_*.xlsx"))
    key = load_key(settings.config_dir(os.environ))
    assert written and all(check_identity(read_workbook(p).meta, key).ok for p in written[:3])
