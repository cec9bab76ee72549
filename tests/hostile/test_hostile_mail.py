"""Hostile e-mails (.eml) in a consolidation folder: attachment names that climb out of the
extraction folder, hostile attachments, forwarded mails. Nothing is written outside kc-excel's own
temporary folder, genuine attachments are consolidated, hostile ones are ``Không đọc được``.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

from hostile import genuine, payloads
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
