"""The document frame (Decree 30/2020), the centre's profile and the CLI that carries them."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from kc_excel.cli import main
from kc_excel.errors import InputError
from kc_excel.workbook.frame import MOTTO, NATION, Profile, date_line, footer, header, recipients_text
from kc_excel.workbook.profile import TABLE, read_profile, write_profile_template

CENTRE = Profile(parent_agency="Sở Công Thương tỉnh Đồng Nai", agency="Trung tâm Khuyến công Đồng Nai",
                 symbol="TTKC", place="Đồng Nai", signer_title="Phó Giám đốc", authority="KT.",
                 superior_title="Giám đốc", signer_name="Nguyễn Văn A", preparer="Trần Thị B",
                 recipients=("Sở Công Thương", "Lưu: VT"))


@pytest.mark.parametrize(("when", "text"), [
    (date(2026, 2, 5), "Đồng Nai, ngày 05 tháng 02 năm 2026"),
    (date(2026, 3, 15), "Đồng Nai, ngày 15 tháng 3 năm 2026"),
    (date(2026, 1, 9), "Đồng Nai, ngày 09 tháng 01 năm 2026"),
    (date(2026, 12, 31), "Đồng Nai, ngày 31 tháng 12 năm 2026"),
])
def test_date_line_takes_a_leading_zero_for_days_below_10_and_months_1_and_2(when, text):
    assert date_line("Đồng Nai", when) == text


def _texts(block):
    return {piece.style: piece.text for piece in block.pieces}


def test_header_with_a_profile_names_the_agencies_number_and_date():
    block = header(CENTRE, 10, title="Kế hoạch khuyến công năm 2026", subtitle="Kèm theo Kế hoạch số …",
                   when=date(2026, 2, 5))
    texts = _texts(block)
    assert texts["parent"] == "SỞ CÔNG THƯƠNG TỈNH ĐỒNG NAI" and texts["agency"] == "TRUNG TÂM KHUYẾN CÔNG ĐỒNG NAI"
    assert texts["nation"] == NATION and texts["motto"] == MOTTO
    assert texts["number"] == "Số: ……/KH-TTKC" and texts["date"] == "Đồng Nai, ngày 05 tháng 02 năm 2026"
    assert texts["title"] == "KẾ HOẠCH KHUYẾN CÔNG NĂM 2026" and texts["subtitle"] == "Kèm theo Kế hoạch số …"
    assert all(p.col + p.span <= 10 for p in block.pieces) and block.rows == len(block.heights)


def test_without_a_profile_every_field_is_a_dotted_line():
    texts = _texts(header(None, 8, title="x", when=date(2026, 3, 1)))
    assert texts["parent"].startswith("…") and texts["agency"].startswith("…")
    assert texts["date"] == "…………………, ngày 01 tháng 3 năm 2026" and texts["number"] == "Số: ……/KH-……"
    bottom = [p.text for p in footer(None, 8).pieces]
    assert "Nơi nhận:" in bottom and "NGƯỜI LẬP BIỂU" in bottom and sum(t.startswith("…") for t in bottom) == 3


def test_signature_block_signs_for_the_head_with_kt():
    texts = [p.text for p in footer(CENTRE, 10).pieces]
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in texts and "Nguyễn Văn A" in texts and "Trần Thị B" in texts
    assert recipients_text(CENTRE) == "- Sở Công Thương;\n- Lưu: VT."
    head = Profile(signer_title="Giám đốc", signer_name="Lê C")
    assert "GIÁM ĐỐC" in [p.text for p in footer(head, 10).pieces]


def test_profile_template_round_trips(tmp_path):
    path = write_profile_template(tmp_path / "DonVi.xlsx")
    assert TABLE in openpyxl.load_workbook(path).worksheets[0].tables
    profile = read_profile(path)
    assert profile.agency == "TRUNG TÂM KHUYẾN CÔNG ĐỒNG NAI" and profile.authority == "KT."
    assert profile.recipients[-1] == "Lưu: VT" and len(profile.recipients) == 3
    empty = read_profile(write_profile_template(tmp_path / "Trong.xlsx", example=False))
    assert empty == Profile()


def _edit(path, cell, value):
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0][cell] = value
    wb.save(path)


def test_a_wrong_authority_or_unknown_item_names_the_cell(tmp_path):
    path = write_profile_template(tmp_path / "DonVi.xlsx")
    _edit(path, "B7", "Thay mặt")
    with pytest.raises(InputError, match="ô B7"):
        read_profile(path)
    path = write_profile_template(tmp_path / "DonVi2.xlsx")
    _edit(path, "A3", "Chữ ký số")
    with pytest.raises(InputError, match="ô A3"):
        read_profile(path)


def test_not_a_profile_is_refused(tmp_path):
    other = tmp_path / "x.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(InputError, match=TABLE):
        read_profile(other)


def test_cli_profile_remembered_and_used_by_attainment(tmp_path, monkeypatch, capsys):
    from attainment_books import programme_book, results_book

    monkeypatch.setenv("KC_EXCEL_CONFIG", str(tmp_path / "cfg"))
    profile = tmp_path / "DonVi.xlsx"
    assert main(["template", "profile", "-o", str(profile)]) == 0
    assert main(["profile", "use", str(profile)]) == 0
    assert (tmp_path / "cfg" / "profile.txt").read_text(encoding="utf-8") == str(profile.resolve())
    capsys.readouterr()
    assert main(["profile", "show"]) == 0
    assert "TRUNG TÂM KHUYẾN CÔNG ĐỒNG NAI" in capsys.readouterr().out
    report = tmp_path / "DanhGia.xlsx"
    code = main(["attainment", "--programme", str(programme_book(tmp_path / "p.xlsx")),
                 "--results", str(results_book(tmp_path / "r.xlsx")), "--as-of", "2023-12", "-o", str(report)])
    assert code in (0, 1)
    texts = {c.value for row in openpyxl.load_workbook(report)["Đánh giá"].iter_rows(max_row=9) for c in row}
    assert "TRUNG TÂM KHUYẾN CÔNG ĐỒNG NAI" in texts and "Số: ……/BC-TTKC" in texts


def test_cli_pdf_refuses_a_workbook_kc_excel_did_not_write(tmp_path):
    other = tmp_path / "x.xlsx"
    openpyxl.Workbook().save(other)
    assert main(["pdf", str(other)]) == 2
    assert not other.with_suffix(".pdf").exists()


@pytest.mark.parametrize("command", [["template", "profile"], ["profile"], ["profile", "use"], ["profile", "show"],
                                     ["pdf"]], ids=" ".join)
def test_the_new_commands_have_vietnamese_and_english_help(command, capsys):
    assert main([*command, "--help"]) == 0
    summary = capsys.readouterr().out.split("Options:")[0]
    assert "Usage: kc-excel" in summary and any(ch in summary for ch in "ịếờộ")
    assert any(word in summary for word in ("profile", "PDF", "workbook"))
