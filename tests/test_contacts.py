"""Issue 14 item 8: contact addresses are checked; a bad row is an issue naming it, the other drafts are written."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest

from kc_excel import catalog, mail
from kc_excel.cli import main

from test_cli_template import contacts_book


@pytest.mark.parametrize("address", ["a@b.vn", "kinhte.bienhoa@example.com", '"phong kinh te"@dongnai.gov.vn'])
def test_good_addresses(address):
    assert mail.address_problem(address) is None


@pytest.mark.parametrize("address, words", [
    ("not-an-email", "không phải địa chỉ thư hợp lệ"), ("a@x.vn; b@y.vn", "nhiều hơn một địa chỉ"),
    ("a@x.vn, b@y.vn", "nhiều hơn một địa chỉ"), ("nguyễn@x.vn", "chữ có dấu"),
    ("a@x.vn\nBcc: c@d.vn", "ký tự điều khiển"), ("a@@b.vn", "không phải địa chỉ thư hợp lệ"),
    ("Phòng KT <a@b.vn>", "chữ có dấu"), ("A <a@b.vn>", "không phải địa chỉ thư hợp lệ")])
def test_bad_addresses_say_why(address, words):
    assert words in mail.address_problem(address)[0]


def test_bad_rows_are_issues_and_the_other_drafts_are_written(tmp_path, capsys):
    contacts = contacts_book(tmp_path / "danhba.xlsx", [
        ("huyen tan phu", "ktht.tanphu@example.com", "Nguyễn Văn An"),        # row 3: good
        ("Thành phố Biên Hòa", "not-an-email", None),                          # row 4: bad address
        ("738", "a@x.vn; b@y.vn", "Trần Thị Bình"),                            # row 5: two addresses
        ("Huyện Vĩnh Cửu", "pho.vinhcuu@example.com\nBcc: ai@example.com", None),  # row 6: header injection
        ("Huyện Cẩm Mỹ", "nguyễn@example.com", None),                          # row 7: non-ASCII
        ("Tân Phú", "second@example.com", None)])                              # row 8: second row for Tân Phú
    out = tmp_path / "gui"
    code = main(["template", "registration", "--province", "Đồng Nai", "--year", "2022", "--all", "--level",
                 "district", "-o", str(out), "--contacts", str(contacts), "--deadline", "2021-05-20"])
    captured = capsys.readouterr()
    assert code == 1  # data errors in the contact book: never exit 3
    drafts = sorted(out.glob("*.eml"))
    assert len(drafts) == 1 and len(list(out.glob("*.xlsx"))) == 11
    message = BytesParser(policy=policy.default).parse(drafts[0].open("rb"))
    assert message["To"].addresses[0].addr_spec == "ktht.tanphu@example.com"
    for row in (4, 5, 6, 7, 8):
        assert f"Danh bạ dòng {row} " in captured.err
    assert "đã có địa chỉ ở dòng 3" in captured.err and "Bcc" not in "".join(d.read_text() for d in drafts)


def test_check_contacts_keeps_the_first_row_of_a_unit():
    province = catalog.find_province("Đồng Nai", era="old")
    rows = [mail.Contact("Tân Phú", "a@example.com", row=3), mail.Contact("huyện tân phú", "b@example.com", row=4)]
    matched, unknown, problems = mail.check_contacts(rows, province, "huyen")
    unit = catalog.find_unit(province, "Tân Phú", level="huyen")
    assert matched[unit.code].email == "a@example.com" and unknown == []
    assert [(p.contact.row, p.reason) for p in problems] == [(4, "đơn vị đã có địa chỉ ở dòng 3; mỗi đơn vị một địa chỉ")]
