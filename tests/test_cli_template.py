"""`kc-excel template ...`: exit codes, help texts, --all counts and names, .eml drafts."""

from __future__ import annotations

from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kc_excel import catalog, mail
from kc_excel.cli import main


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    """The province key is created in a throw-away config folder, never in the user's."""
    monkeypatch.setenv("KC_EXCEL_CONFIG", str(tmp_path / "config"))


def meta(path: Path) -> dict:
    return {k: v for k, v in load_workbook(path)["_kc"].iter_rows(values_only=True)}


def test_single_registration_any_spelling(tmp_path):
    out = tmp_path / "phieu.xlsx"
    assert main(["template", "registration", "--province", "dong nai", "--unit", "phuoc long",
                 "--year", "2026", "-o", str(out)]) == 0
    values = meta(out)
    assert (values["ma_tinh"], values["ten_don_vi"], values["nam"], values["cap_don_vi"]) == \
        ("75", "Phường Phước Long", "2026", "xa")
    assert values["ma_dinh_danh"] == f"dang-ky|75|{values['ma_don_vi']}|2026" and len(values["chu_ky"]) == 32


def test_unknown_province_exits_2_with_suggestion(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    code = main(["template", "registration", "--province", "Dong Naii", "--unit", "x", "--year", "2026",
                 "-o", str(out)])
    assert code == 2 and not out.exists()
    assert "Tỉnh Đồng Nai" in capsys.readouterr().err


@pytest.mark.parametrize("args", [
    ["template", "registration", "--province", "Đồng Nai", "--year", "2026", "-o", "x.xlsx"],  # neither --unit nor --all
    ["template", "registration", "--province", "Đồng Nai", "--unit", "Phước Long", "--year", "26", "-o", "x.xlsx"],
    ["template", "registration", "--province", "Đồng Nai", "--all", "--year", "2026", "--level", "tinh", "-o", "d"],
    ["template", "programme", "--province", "Đồng Nai", "--from-year", "2025", "--to-year", "2021", "-o", "p.xlsx"],
    ["template", "results", "--province", "Atlantis", "-o", "k.xlsx"],
    ["template", "registration", "--province", "Đồng Nai", "--year"],  # usage error
])
def test_bad_arguments_exit_2_without_output(tmp_path, monkeypatch, capsys, args):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert list(tmp_path.glob("*.xlsx")) == [] and "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("command", ["registration", "programme", "results"])
def test_help_texts(capsys, command):
    assert main(["template", command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "--province" in text and "-o" in text
    assert {"registration": "Phiếu đăng ký", "programme": "Chỉ tiêu", "results": "Báo cáo kết quả"}[command] in text


def test_template_group_help(capsys):
    assert main(["template", "--help"]) == 0
    text = capsys.readouterr().out
    assert all(name in text for name in ("registration", "programme", "results"))


def test_all_commune_level_writes_95_unique_files(tmp_path):
    out = tmp_path / "phieu"
    assert main(["template", "registration", "--province", "Đồng Nai", "--year", "2026", "--all", "-o", str(out)]) == 0
    files = sorted(out.glob("*.xlsx"))
    units = catalog.units_of(catalog.find_province("Đồng Nai"), level="xa")
    assert len(files) == len(units) == 95
    assert {meta(f)["ma_don_vi"] for f in files[:5] + files[-5:]} <= {u.code for u in units}
    assert all(f.name.isascii() and f.name.startswith("DangKy_2026_") for f in files)
    assert not list(out.glob(".~kc-*"))


def test_all_district_level_writes_11_files(tmp_path):
    out = tmp_path / "huyen"
    assert main(["template", "registration", "--province", "Dong Nai", "--year", "2022", "--all",
                 "--level", "district", "-o", str(out)]) == 0
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == 11 and len({f.name for f in files}) == 11
    assert {meta(f)["cap_don_vi"] for f in files} == {"huyen"}
    assert any("Thong-Nhat" in f.name for f in files)


def contacts_book(path: Path, rows: list[tuple]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Danh bạ gửi phiếu đăng ký"])
    ws.append(["Don vi", "E-mail", "Người liên hệ"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def test_all_with_contacts_writes_parseable_drafts(tmp_path, capsys):
    old = catalog.find_province("Đồng Nai", era="old")
    tan_phu = catalog.find_unit(old, "Tân Phú", level="huyen")
    contacts = contacts_book(tmp_path / "danhba.xlsx", [
        ("huyen tan phu", "ktht.tanphu@example.com", "Nguyễn Văn An"),
        ("Thành phố Biên Hòa", "kinhte.bienhoa@example.com", None),
        ("738", "kinhte.thongnhat@example.com", "Trần Thị Bình"),
        ("Huyện Không Có", "ai@example.com", None)])
    out = tmp_path / "gui"
    assert main(["template", "registration", "--province", "Đồng Nai", "--year", "2022", "--all", "--level",
                 "district", "-o", str(out), "--contacts", str(contacts), "--deadline", "2021-05-20"]) == 0
    drafts = sorted(out.glob("*.eml"))
    assert len(drafts) == 3
    captured = capsys.readouterr()
    assert "8 đơn vị chưa có địa chỉ thư" in captured.out and "Huyện Xuân Lộc" in captured.out
    assert "Huyện Không Có" in captured.err
    draft = next(d for d in drafts if f"_{tan_phu.code}_" in d.name)
    message = BytesParser(policy=policy.default).parse(draft.open("rb"))
    assert message["X-Unsent"] == "1" and "ktht.tanphu@example.com" in message["To"]
    assert message["Subject"] == "Đăng ký kế hoạch khuyến công năm 2022 - Huyện Tân Phú"
    body = message.get_body(("plain",)).get_content()
    assert "20/05/2021" in body and "Nguyễn Văn An" in body and "Khuyến công tỉnh Đồng Nai" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachment.get_filename() == draft.with_suffix(".xlsx").name
    assert attachment.get_content() == draft.with_suffix(".xlsx").read_bytes()


def test_non_ascii_attachment_name_uses_rfc2231(tmp_path):
    unit = catalog.find_unit(catalog.find_province("Đồng Nai"), "Phước Long", level="xa")
    attachment = tmp_path / "Phiếu đăng ký.xlsx"
    attachment.write_bytes(b"PK\x03\x04 not really a workbook")
    message = mail.draft(unit, mail.Contact("Phước Long", "a@b.vn"), attachment, year=2026,
                         province=catalog.find_province("Đồng Nai"), deadline=date(2025, 12, 1))
    raw = message.as_bytes()
    assert b"filename*=utf-8''Phi%E1%BA%BFu" in raw
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert next(parsed.iter_attachments()).get_filename() == "Phiếu đăng ký.xlsx"


def test_default_deadline():
    assert mail.default_deadline(2027, today=date(2026, 1, 10)) == date(2026, 5, 20)
    assert mail.default_deadline(2026, today=date(2026, 11, 22)) == date(2026, 12, 6)


def test_contacts_file_without_header_is_an_input_error(tmp_path):
    path = tmp_path / "c.xlsx"
    wb = Workbook()
    wb.active.append(["a", "b"])
    wb.save(path)
    code = main(["template", "registration", "--province", "Đồng Nai", "--year", "2026", "--all",
                 "-o", str(tmp_path / "out"), "--contacts", str(path)])
    assert code == 2 and not (tmp_path / "out").exists()
