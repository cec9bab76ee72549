"""Nothing below the header is lost: every row is a line, the totals row or an issue; totals reconcile.

Issue 12 items 1, 4 and 5 and issue 14 item 2: the totals row is found by its
place and formulas (``kc_excel.workbook.totals``), never by a word; a
registration on a hidden sheet or a second table of the same name is refused;
Excel error values are ``formula-error`` at their cell, never blank or 0.
LibreOffice round trips are in ``test_conservation_libreoffice.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.table import Table as XlTable

from builders import CLEAN_ROW, build_registration
from consolidate_helpers import district, machine_line, registration
from kc_excel.attainment.io import read_programme, read_results, read_stated
from kc_excel.errors import FileLevelError
from kc_excel.validation.runner import validate_file
from kc_excel.workbook.layout import PROGRAMME, RESULTS, STATED_FIGURES
from kc_excel.workbook.reader import read_workbook

TAN_PHU = district("Tân Phú")


def issues(path: Path) -> list[tuple[str, str | None, str]]:
    """(code, cell, severity) of every issue ``validate`` reports for ``path``."""
    return [(i.code, i.cell, str(i.severity)) for i in validate_file(path).report.issues]


def genuine(tmp_path: Path, lines: list[dict]) -> tuple[Path, int, int]:
    """A genuine template of Huyện Tân Phú filled with ``lines``; (path, first data row, totals row)."""
    path = registration(tmp_path, TAN_PHU, lines)
    table = read_workbook(path).tables["dang-ky"]
    return path, table.header_row + 1, table.totals_row


def edit(path: Path, cells: dict[str, object]) -> None:
    wb = load_workbook(path)
    ws = wb["Đăng ký"]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)


# --- conservation: every row a line or an issue; the file's totals against the lines -------------

def test_totals_row_typed_over_is_an_error_at_its_cell(tmp_path):
    path, first, totals = genuine(tmp_path, [machine_line(TAN_PHU, 1)])
    edit(path, {f"K{totals}": 1400})
    found = issues(path)
    assert ("totals-mismatch", f"K{totals}", "error") in found
    assert [code for code, *_ in found if code == "totals-mismatch"] == ["totals-mismatch"]  # Tổng only
    message = next(i for i in validate_file(path).report.issues if i.code == "totals-mismatch").message
    assert "1.400" in message and "400" in message


def test_totals_row_that_agrees_raises_nothing(tmp_path):
    path, first, totals = genuine(tmp_path, [machine_line(TAN_PHU, 1), machine_line(TAN_PHU, 2, tong=1000,
                                                                                   kcdp=300, doi_ung=700)])
    edit(path, {f"K{totals}": 1400, f"M{totals}": 450, f"N{totals}": 950})
    assert [c for c in issues(path) if c[0] == "totals-mismatch"] == []


def test_line_typed_two_rows_below_the_totals_row_is_read_and_flagged(tmp_path):
    path, first, totals = genuine(tmp_path, [machine_line(TAN_PHU, 1)])
    below = machine_line(TAN_PHU, 2)
    edit(path, {f"B{totals + 2}": below["ten_de_an"], f"C{totals + 2}": "MAY_MOC", f"K{totals + 2}": 50})
    data = read_workbook(path)
    records = data.tables["dang-ky"].records
    assert [(r.row, r.in_table) for r in records] == [(first, True), (totals + 2, False)]
    assert ("row-outside-table", f"A{totals + 2}") in [(i.code, i.cell) for i in data.issues]


def test_content_outside_the_tables_columns_is_reported_not_dropped(tmp_path):
    path, first, totals = genuine(tmp_path, [machine_line(TAN_PHU, 1)])
    edit(path, {f"T{first + 3}": "Kinh phí 500 triệu ghi bên lề", f"A{first + 5}": "Ghi chú: xem công văn",
                f"A{first + 6}": 7})  # a bare number in STT is pre-numbering, not content
    data = read_workbook(path)
    found = [(i.code, i.cell, i.value) for i in data.issues if i.code == "rows-unaccounted"]
    assert found == [("rows-unaccounted", f"T{first + 3}", "Kinh phí 500 triệu ghi bên lề"),
                     ("rows-unaccounted", f"A{first + 5}", "Ghi chú: xem công văn")]


def test_a_stray_number_is_shown_as_staff_write_it(tmp_path):
    path, first, _ = genuine(tmp_path, [machine_line(TAN_PHU, 1)])
    edit(path, {f"T{first + 1}": 700.0, f"T{first + 2}": 1500.5})
    stray = [i for i in read_workbook(path).issues if i.code == "rows-unaccounted"]
    assert [i.detail.split(" ở ô")[0] for i in stray] == [f"dòng {first + 1} có 700", f"dòng {first + 2} có 1.500,5"]
    assert f"holds 1,500.5 in T{first + 2}" in stray[1].render("en")


def test_lines_far_below_blank_rows_are_read_without_an_excel_table(tmp_path):
    rows = [CLEAN_ROW, *([{}] * 8), {**CLEAN_ROW, "stt": 10, "tong": 1000, "kcdp": 300, "doi_ung": 700}]
    built = build_registration(tmp_path / "dk.xlsx", rows, as_table=False, with_meta=False)
    table = read_workbook(built.path).tables["dang-ky"]
    assert [r.row for r in table.records] == [2, 11]


# --- the totals row: by place and formulas, never by a word ----------------------------------------

def test_formula_totals_row_without_excel_table_is_the_totals(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW, CLEAN_ROW], as_table=False, with_meta=False)
    edit(built.path, {"A4": "Tổng", "K4": "=SUM(K2:K3)", "M4": "=SUBTOTAL(9,M2:M3)"})
    table = read_workbook(built.path).tables["dang-ky"]
    assert (table.totals_row, [r.row for r in table.records]) == (4, [2, 3])


def test_row_labelled_total_whose_numbers_are_not_the_sums_is_data(tmp_path):
    rows = [CLEAN_ROW, {**CLEAN_ROW, "tong": 1000, "kcdp": 300, "doi_ung": 700}]
    built = build_registration(tmp_path / "dk.xlsx", rows, as_table=False, with_meta=False)
    edit(built.path, {"B4": "Tổng cộng", "K4": 999})
    table = read_workbook(built.path).tables["dang-ky"]
    assert (table.totals_row, [r.row for r in table.records]) == (None, [2, 3, 4])
    assert ("required-missing", "C4") in [(code, cell) for code, cell, _ in issues(built.path)]


def test_line_named_like_a_total_with_matching_amounts_is_data(tmp_path):
    rows = [CLEAN_ROW, {**CLEAN_ROW, "ten_de_an": "Tổng cộng", "stt": 2}]
    built = build_registration(tmp_path / "dk.xlsx", rows, as_table=False, with_meta=False)
    table = read_workbook(built.path).tables["dang-ky"]  # its amounts equal the line above, but it has an activity
    assert (table.totals_row, [r.row for r in table.records]) == (None, [2, 3])


def test_cached_column_sums_under_a_label_are_the_totals_without_formulas(tmp_path):
    rows = [CLEAN_ROW, {}, {**CLEAN_ROW, "tong": 1000, "kcdp": 300, "doi_ung": 700}]
    built = build_registration(tmp_path / "dk.xlsx", rows, as_table=False, with_meta=False)
    edit(built.path, {"A5": "Cộng", "K5": 1400, "L5": 0, "M5": 450, "N5": 950})
    table = read_workbook(built.path).tables["dang-ky"]
    assert (table.totals_row, table.totals["tong"].value, [r.row for r in table.records]) == (5, 1400, [2, 4])


def _book(path: Path, layout, rows: list[list], kind: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = layout.sheet
    ws.append(layout.headers)
    for row in rows:
        ws.append(row)
    meta = wb.create_sheet("_kc")
    for entry in (["loai_bieu", kind], ["phien_ban_mau", 1]):
        meta.append(entry)
    meta.sheet_state = "hidden"
    wb.save(path)
    return path


def test_result_whose_note_says_total_is_kept(tmp_path):
    rows = [["CT01", 2021, 2, None], ["CT01", 2022, 2, None], ["CT01", 2023, 2, "Tổng số"]]
    results, found = read_results(read_workbook(_book(tmp_path / "kq.xlsx", RESULTS, rows, "ket-qua")))
    assert (len(results), sum(r.value for r in results), found) == (3, 6, [])


def test_indicator_coded_tong_stays_in_the_programme(tmp_path):
    rows = [["CT01", "Số cơ sở được hỗ trợ", None, "cơ sở", 50, None, None, None, 2021, 2025, None],
            ["TONG", "Tổng kinh phí khuyến công", None, "triệu đồng", 1000, None, None, None, 2021, 2025, None]]
    targets, found = read_programme(read_workbook(_book(tmp_path / "ct.xlsx", PROGRAMME, rows, "chuong-trinh")))
    assert ([t.code for t in targets], found) == (["CT01", "TONG"], [])


def test_first_stated_figure_of_kind_total_is_checked(tmp_path):
    wb = load_workbook(_book(tmp_path / "kq.xlsx", RESULTS, [["CT01", 2021, 2, None]], "ket-qua"))
    ws = wb.create_sheet(STATED_FIGURES.sheet)
    ws.append(STATED_FIGURES.headers)
    ws.append(["S1", "Tổng kinh phí", "Tổng", 999, "S2 + S3", None])
    ws.append(["S2", "Kinh phí KCQG", None, 100, None, None])
    ws.append(["S3", "Kinh phí KCĐP", None, 50, None, None])
    wb.save(tmp_path / "kq.xlsx")
    figures, _ = read_stated(read_workbook(tmp_path / "kq.xlsx"))
    assert [(f.code, f.value) for f in figures][:1] == [("S1", 999)]


# --- the sheet staff see is the data ------------------------------------------------------------------

@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_registration_data_on_a_hidden_sheet_is_refused(tmp_path, state):
    path, first, _ = genuine(tmp_path, [machine_line(TAN_PHU, 1)])
    wb = load_workbook(path)
    copy = wb.copy_worksheet(wb["Đăng ký"])
    copy.title, copy.sheet_state = "Sao lưu", state
    wb.save(path)
    with pytest.raises(FileLevelError) as caught:
        read_workbook(path)
    assert caught.value.code == "hidden-sheet-data" and "Sao lưu" in caught.value.message
    assert issues(path) == [("hidden-sheet-data", None, "error")]


def test_hidden_registration_sheet_itself_is_refused(tmp_path):
    built = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW])
    wb = load_workbook(built.path)
    wb.create_sheet("Bìa", 0)
    wb.active = 0
    wb["Đăng ký"].sheet_state = "hidden"
    wb.save(built.path)
    with pytest.raises(FileLevelError) as caught:
        read_workbook(built.path)
    assert caught.value.code == "hidden-sheet-data"


def test_second_table_of_the_same_name_is_refused(tmp_path):
    path, first, _ = genuine(tmp_path, [machine_line(TAN_PHU, 1)])
    wb = load_workbook(path)
    ws = wb.create_sheet("Phụ")
    ws.append(["STT", "Tên đề án, nhiệm vụ"])
    ws.append([1, "Dòng giả"])
    forged = XlTable(displayName="DangKy", name="Bang2", ref="A1:B2")
    forged._initialise_columns()
    forged.tableColumns[0].name, forged.tableColumns[1].name = "STT", "Tên đề án, nhiệm vụ"
    ws.add_table(forged)
    ws.sheet_state = "hidden"  # issue 12: it used to replace the visible table
    wb.save(path)
    with pytest.raises(FileLevelError) as caught:
        read_workbook(path)
    assert caught.value.code == "table-duplicated" and "DangKy" in caught.value.message


# --- error values ----------------------------------------------------------------------------------------

def test_error_values_in_xlsx_are_errors_at_their_cells_never_zero(tmp_path):
    path, first, totals = genuine(tmp_path, [machine_line(TAN_PHU, 1), machine_line(TAN_PHU, 2)])
    wb = load_workbook(path)
    ws = wb["Đăng ký"]
    ws[f"K{first}"].value, ws[f"K{first}"].data_type = "#DIV/0!", "e"
    ws[f"B{first + 1}"] = "#REF!"  # typed or pasted as text: the same
    wb.save(path)
    found = issues(path)
    assert ("formula-error", f"K{first}", "error") in found and ("formula-error", f"B{first + 1}", "error") in found
    assert not [f for f in found if f[0] in ("not-a-number", "sum-mismatch") and f[1] == f"K{first}"]
    result = validate_file(path)
    assert result.data.tables["dang-ky"].records[0].value("tong") == "#DIV/0!"


def test_error_cell_alone_in_a_row_makes_the_row_read(tmp_path):
    path, first, totals = genuine(tmp_path, [machine_line(TAN_PHU, 1)])
    wb = load_workbook(path)
    cell = wb["Đăng ký"][f"M{first + 4}"]
    cell.value, cell.data_type = "#N/A", "e"
    wb.save(path)
    data = read_workbook(path)
    assert [r.row for r in data.tables["dang-ky"].records] == [first, first + 4]
    assert ("formula-error", f"M{first + 4}") in [(i.code, i.cell) for i in data.issues]


def test_error_value_in_a_result_is_an_error_not_zero(tmp_path):
    path = _book(tmp_path / "kq.xlsx", RESULTS, [["CT01", 2021, 2, None], ["CT01", 2022, "#DIV/0!", None]], "ket-qua")
    wb = load_workbook(path)
    wb["Kết quả"]["C3"].data_type = "e"
    wb.save(path)
    data = read_workbook(path)
    results, _ = read_results(data)
    assert ("formula-error", "C3") in [(i.code, i.cell) for i in data.issues]
    assert [(r.year, r.value) for r in results] == [(2021, 2)]


def test_ods_error_cells_are_placed_through_repeated_rows_and_columns(tmp_path):
    import zipfile

    from kc_excel.workbook.error_cells import ods_errors

    table = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    calc = 'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
    text = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    error = '<table:table-cell calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
    content = (f'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               f'{table} {calc} {text}><office:body><office:spreadsheet>'
               f'<table:table table:name="Khác"><table:table-row>{error}</table:table-row></table:table>'
               f'<table:table table:name="Đăng ký">'
               f'<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
               f'<table:table-row><table:table-cell table:number-columns-repeated="10"/>{error}'
               f'<table:covered-table-cell/><table:table-cell calcext:value-type="error" '
               f'table:number-columns-repeated="2"><text:p>#REF!</text:p></table:table-cell></table:table-row>'
               f'</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(tmp_path / "x.ods", "w") as archive:
        archive.writestr("content.xml", content)
    assert ods_errors(tmp_path / "x.ods", "Đăng ký") == {(4, 11): "#DIV/0!", (4, 13): "#REF!", (4, 14): "#REF!"}


def test_the_signing_block_filled_by_the_commune_is_not_a_line_but_a_number_under_it_is(tmp_path):
    """The block our template puts under the table (contact, date line, signatures) is recognised by its
    place and words; a line typed among or below it is still read and flagged."""
    path, first, totals = genuine(tmp_path, [machine_line(TAN_PHU, 1)])
    ws = load_workbook(path)["Đăng ký"]
    found = {cell.value: cell.coordinate for row in ws.iter_rows(min_row=totals + 1) for cell in row
             if isinstance(cell.value, str)}
    contact = next(ref for text, ref in found.items() if text.startswith("Người liên hệ"))
    date_line = next(ref for text, ref in found.items() if "ngày" in text and "tháng" in text)
    signer_row = ws[next(ref for text, ref in found.items() if text == "NGƯỜI LẬP BIỂU")].row
    names = [cell.coordinate for row in ws.iter_rows(min_row=signer_row) for cell in row
             if isinstance(cell.value, str) and set(cell.value) == {"…"}]
    edit(path, {contact: "Người liên hệ: Nguyễn Văn A  Điện thoại: 0912 345 678",
                date_line: "Tân Phú, ngày 05 tháng 3 năm 2026", names[0]: "Nguyễn Văn A", names[1]: "Trần Văn B"})
    data = read_workbook(path)
    assert [r.row for r in data.tables["dang-ky"].records] == [first]
    assert not [i for i in validate_file(path).report.issues]
    below = signer_row + 6
    edit(path, {f"B{below}": "Hội chợ thêm", f"K{below}": 50})
    data = read_workbook(path)
    assert [(r.row, r.in_table) for r in data.tables["dang-ky"].records] == [(first, True), (below, False)]
    assert ("row-outside-table", f"A{below}") in [(i.code, i.cell) for i in data.issues]
