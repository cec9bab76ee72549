"""Hostile e-mails (.eml) in a consolidation folder: attachment names that climb out of the
extraction folder, hostile attachments, forwarded mails. Nothing is written outside kc-excel's own
temporary folder, genuine attachments are consolidated, hostile ones are ``Không đọc được``.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

from hostile import genuine, mails, payloads
from hostile.helpers import consolidate_args, run_cli

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _mail(attachments: list[tuple[str, bytes]], *, sender: str = "ubnd@xa.example.vn") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = sender, "khuyencong@example.vn"
    message["Subject"], message["Date"] = "Phiếu đăng ký 2026", "Mon, 05 Jan 2026 09:00:00 +0700"
    message.set_content("Kính gửi Trung tâm, xã gửi phiếu đăng ký.")
    for name, data in attachments:
        message.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return message


def test_attachment_names_cannot_escape_and_hostile_attachments_are_isolated(tmp_path, province_key):
    units = genuine.communes()
    src = tmp_path / "src"
    src.mkdir()
    good = genuine.write_genuine(src / "good.xlsx", units[0], key=province_key).read_bytes()
    climbing = genuine.write_genuine(src / "climb.xlsx", units[1], key=province_key).read_bytes()
    own = genuine.write_genuine(src / "own.xlsx", units[2], key=province_key)
    encrypted = payloads.encrypted(own, src / "enc.xlsx").read_bytes()
    escape = tmp_path / "escaped"
    folder = tmp_path / "hop-thu"
    folder.mkdir()
    traversal = f"../../../../../../..{escape}/pwned.xlsx"
    (folder / "xa-1.eml").write_bytes(bytes(_mail([("Phiếu đăng ký.xlsx", good)])))
    (folder / "xa-2.eml").write_bytes(bytes(_mail([(traversal, climbing), ("..\\..\\win.xlsx", climbing)])))
    forwarded = _mail([("co-mat-khau.xlsx", encrypted)])
    outer = _mail([])
    outer.add_attachment(forwarded)
    (folder / "chuyen-tiep.eml").write_bytes(bytes(outer))
    result = run_cli(*consolidate_args(folder, tmp_path / "plan.xlsx", "--json"))
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert not escape.exists()
    assert not list(tmp_path.parent.glob("**/pwned.xlsx")) and not list(tmp_path.parent.glob("**/win.xlsx"))
    document = json.loads(result.out)
    status = {u["code"]: u for u in document["units"] if u["file"]}
    assert status[units[0].code]["status"] == "Hợp lệ"
    assert status[units[1].code]["status"] in ("Hợp lệ", "Bị thay thế")
    assert all("/" not in Path(u["file"]).name for u in status.values())
    assert {i["code"] for i in document["issues"]} >= {"file-encrypted"}
    assert document["rows"] == 2


def test_every_way_a_mail_carries_a_workbook_is_found_and_every_other_part_accounted_for(tmp_path, province_key):
    """Forwarded, single-part, unnamed, S/MIME-signed (multipart/signed and opaque) mails: each unit's
    workbook is consolidated; an encrypted mail and broken base64 are that input's error; a PDF is skipped."""
    units = genuine.communes()[:6]
    src, folder = tmp_path / "src", tmp_path / "hop-thu"
    src.mkdir(), folder.mkdir()
    data = [genuine.write_genuine(src / f"{i}.xlsx", u, key=province_key).read_bytes() for i, u in enumerate(units)]
    letters = {
        "chuyen-tiep.eml": mails.forwarded(mails.with_attachments([("Phiếu.xlsx", data[0])])),
        "mot-phan.eml": mails.single_part(data[1]),
        "khong-ten.eml": mails.with_attachments([(None, data[2]), ("cong-van.pdf", b"%PDF-1.4")]),
        "ky-so.eml": mails.signed_multipart(mails.with_attachments([("Phiếu.xlsx", data[3])])),
        "ky-so-dong-goi.eml": mails.opaque_signed(mails.with_attachments([("Phiếu.xlsx", data[4])])),
        "ma-hoa.eml": mails.encrypted(mails.with_attachments([("Phiếu.xlsx", data[5])])),
    }
    for name, message in letters.items():
        (folder / name).write_bytes(bytes(message))
    (folder / "base64-hong.eml").write_bytes(mails.broken_base64(data[5]))
    result = run_cli(*consolidate_args(folder, tmp_path / "plan.xlsx", "--json"))
    assert result.code == 1, result.err
    document = json.loads(result.out)
    status = {u["code"]: u["status"] for u in document["units"]}
    assert [status[u.code] for u in units[:5]] == ["Hợp lệ"] * 5
    by_file = {i["file"]: i["code"] for i in document["issues"] if i["file"] and i["code"] != "unit-missing"}
    assert by_file["ma-hoa.eml/phần 1 (application/pkcs7-mime)"] == "email-encrypted"
    assert by_file["base64-hong.eml/Phiếu hỏng.xlsx"] == "attachment-damaged"
    assert by_file["khong-ten.eml/cong-van.pdf"] == "input-skipped"
    fates = {entry["entry"]: entry["status"] for entry in document["inputs"]}
    assert fates["khong-ten.eml/tep-dinh-kem.xlsx"] == "Đọc được"
    assert fates["ky-so.eml/phần 1.2 (chữ ký S/MIME)"] == "Không phải bài nộp"
    assert sum(1 for s in fates.values() if s == "Đọc được") == 5


def test_mails_beyond_the_bounds_are_that_mails_issue_and_the_run_goes_on(tmp_path, province_key):
    """A From: of thousands of parentheses, MIME nested thousands deep, a 118-character Vietnamese
    attachment name: each is one input's issue (or read under a short name), never exit 3."""
    unit = genuine.communes()[0]
    workbook = genuine.write_genuine(tmp_path / "g.xlsx", unit, key=province_key).read_bytes()
    folder = tmp_path / "hop-thu"
    folder.mkdir()
    parens = b"From: " + b"(" * 5000 + b"a@b" + b")" * 5000 + b"\r\nSubject: x\r\n\r\nhi\r\n"
    deep = b"".join(b"Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n" % (i, i) for i in range(3000))
    nested = b"From: a@b\r\n" + deep + b"Content-Type: text/plain\r\n\r\nx\r\n"
    (folder / "ngoac.eml").write_bytes(parens)
    (folder / "long-nhau.eml").write_bytes(nested)
    (folder / "chuoi-ngoac-ngan.eml").write_bytes(b"From: " + b"(" * 900 + b"a" + b")" * 900 + b"\r\n\r\nhi\r\n")
    long_name = "Phiếu đăng ký kế hoạch khuyến công " * 4
    (folder / "ten-dai.eml").write_bytes(bytes(mails.with_attachments([(long_name[:118] + ".xlsx", workbook)])))
    result = run_cli(*consolidate_args(folder, tmp_path / "plan.xlsx", "--json"))
    assert result.code == 1, result.err
    document = json.loads(result.out)
    codes = {i["file"]: i["code"] for i in document["issues"] if i["file"]}
    assert codes["ngoac.eml"] == codes["long-nhau.eml"] == codes["chuoi-ngoac-ngan.eml"] == "email-too-complex"
    (used,) = [u for u in document["units"] if u["code"] == unit.code]
    assert used["status"] == "Hợp lệ" and len(Path(used["file"]).name.encode()) <= 120


def test_summary_line_counts_what_was_read_and_what_was_left_out(tmp_path, province_key):
    folder = tmp_path / "in"
    folder.mkdir()
    genuine.write_genuine(folder / "xa.xlsx", genuine.communes()[0], key=province_key)
    (folder / "cong-van.pdf").write_bytes(b"%PDF")
    (folder / "hong.eml").write_bytes(mails.broken_base64(b"PK\x03\x04" + b"x" * 300))
    result = run_cli(*consolidate_args(folder, tmp_path / "plan.xlsx"))
    assert "1 tệp/phần đọc được, 2 bị bỏ qua (lý do trong trang Lỗi)" in " ".join(result.out.split())
