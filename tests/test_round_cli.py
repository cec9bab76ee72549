"""A whole collection round driven from the command line: open, receive, diff, accept, reopen, remind, plan, log."""

from __future__ import annotations

import re
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kc_excel.cli import main
from kc_excel.consolidate.run import consolidate_folder
from kc_excel.workbook.layout import TEMPLATE_VERSION

from test_consolidate_run import check_schema as check_consolidate_schema
from round_helpers import (CAM_MY, DEADLINE, DINH_QUAN, TAN_PHU, THONG_NHAT, VIETNAM, XUAN_LOC, check_schema, email_with,
                           faulty_line, machine_line, open_round, register_rows, run, run_json, submission)

ROUND_COMMANDS = ["open", "receive", "status", "diff", "accept", "reopen", "remind", "plan", "log"]


def in_vietnam(moment: str) -> str:
    """An ISO 8601 time as staff read it: Vietnam time, ``dd/mm/yyyy HH:MM``."""
    from datetime import datetime

    return datetime.fromisoformat(moment).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def contacts_book(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Đơn vị", "Email", "Người liên hệ"])
    ws.append(["huyen thong nhat", "kinhte.thongnhat@example.com", "Trần Thị Bình"])
    ws.append(["731", "kinhte.bienhoa@example.com", None])
    wb.save(path)
    return path


@pytest.fixture
def first_wave(tmp_path: Path) -> Path:
    """Three units on time (one by e-mail), one late, one faulty."""
    inbox = tmp_path / "dot1"
    submission(inbox, TAN_PHU, [machine_line(TAN_PHU, 1), machine_line(TAN_PHU, 2)], day=19)
    submission(inbox, XUAN_LOC, [machine_line(XUAN_LOC, 1, tong=300, doi_ung=150)], day=20, )
    cam_my = submission(tmp_path / "att", CAM_MY, [machine_line(CAM_MY, 1, tong=200, kcdp=100, doi_ung=100)], day=18)
    email_with(cam_my, inbox / "thu-cam-my.eml", sender="Phòng Kinh tế Cẩm Mỹ <kinhte@cammy.example>", day=18)
    submission(inbox, DINH_QUAN, [machine_line(DINH_QUAN, 1)], day=23)
    submission(inbox, THONG_NHAT, [faulty_line(THONG_NHAT)], day=19)
    return inbox


def test_a_whole_round_from_the_command_line(tmp_path, first_wave, capsys):
    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    code, out, _ = run(capsys, "receive", dot, first_wave, "--by", "Lê Bình")
    assert code == 1  # the faulty unit
    assert "Huyện Thống Nhất, lần 1: 1 lỗi" in out and "Huyện Tân Phú, lần 1: hợp lệ, 2 dòng" in out

    status = run_json(capsys, "status", dot)
    check_schema(status)
    assert status["counts"] == {"expected": 11, "submitted": 5, "on_time": 4, "late": 1, "missing": 6,
                                "with_errors": 1, "accepted": 0}
    units = {u["code"]: u for u in status["units"]}
    assert units[DINH_QUAN.code]["days_late"] == 3 and units[TAN_PHU.code]["days_late"] == 0
    assert units[THONG_NHAT.code]["status"] == "Có lỗi" and units[THONG_NHAT.code]["errors"] == 1
    assert units["731"]["status"] == "Chưa nộp" and units["731"]["days_late"] is None
    code, out, _ = run(capsys, "status", dot)
    assert "Nộp lần cuối (giờ VN)" in out and "18/05/2021 09:00" in out  # Cẩm Mỹ's e-mail, 09:00 Vietnam time
    [cam_my] = [row for row in register_rows(dot, "SELECT sender, received_at, original_name, carrier FROM version "
                                                  f"WHERE unit_code = '{CAM_MY.code}'")]
    assert cam_my[0] == "Phòng Kinh tế Cẩm Mỹ <kinhte@cammy.example>" and cam_my[1].startswith("2021-05-18T09:00")
    assert cam_my[2] == f"thu-cam-my.eml/DangKy_2022_{CAM_MY.code}.xlsx"
    assert register_rows(dot, "SELECT DISTINCT template_version FROM version") == [(str(TEMPLATE_VERSION),)]
    assert (dot / cam_my[3]).read_bytes() == (first_wave / "thu-cam-my.eml").read_bytes()

    # a resubmission: one line added, one removed, one line's amounts changed, lines reordered and renumbered
    lan2 = submission(tmp_path / "lan2", TAN_PHU, [machine_line(TAN_PHU, 3, stt=1),
                                                   machine_line(TAN_PHU, 1, stt=2, tong=450, doi_ung=300)], day=25)
    code, out, _ = run(capsys, "receive", dot, lan2)
    assert code == 0
    assert "Huyện Tân Phú, lần 2: 1 dòng thêm, 1 dòng bỏ, 2 ô thay đổi; tổng kinh phí 800 → 850 triệu" in out
    diff = run_json(capsys, "diff", dot, "--unit", "tan phu")
    check_schema(diff)
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    assert [(c["column"], c["old"], c["new"]) for c in diff["changed"]] == [
        ("Tổng kinh phí (triệu đồng)", 400_000_000, 450_000_000), ("Vốn đối ứng (triệu đồng)", 250_000_000, 300_000_000)]
    assert all(c["line"].startswith("Hỗ trợ máy móc thiết bị số 1") for c in diff["changed"])
    assert [l["ten_de_an"] for l in diff["added"]] == ["Hỗ trợ máy móc thiết bị số 3"]
    assert [l["ten_de_an"] for l in diff["removed"]] == ["Hỗ trợ máy móc thiết bị số 2"]
    code, out, _ = run(capsys, "diff", dot, "--unit", TAN_PHU.code)
    assert "Tổng kinh phí (triệu đồng): 400 triệu → 450 triệu" in out

    # the same bytes again: nothing new
    code, _, err = run(capsys, "receive", dot, lan2)
    assert code == 0 and "Đã có trong sổ" in err
    assert register_rows(dot, "SELECT COUNT(*) FROM version")[0][0] == 6

    # accept; a version with errors cannot be accepted
    assert run(capsys, "accept", dot, "--unit", "Huyện Tân Phú", "--by", "Trưởng phòng")[0] == 0
    code, _, err = run(capsys, "accept", dot, "--unit", "thong nhat")
    assert code == 2 and "chưa có phiên bản hợp lệ" in err
    code, _, err = run(capsys, "accept", dot, "--unit", THONG_NHAT.code, "--version", "1")
    assert code == 2 and "không duyệt được phiên bản có lỗi" in err

    # a version after acceptance: recorded with a warning, the plan keeps the accepted one
    lan3 = submission(tmp_path / "lan3", TAN_PHU, [machine_line(TAN_PHU, 3, stt=1),
                                                   machine_line(TAN_PHU, 1, stt=2, tong=500, doi_ung=350)], day=27)
    code, out, _ = run(capsys, "receive", dot, lan3)
    assert "received-after-acceptance" in out
    [(issues,)] = register_rows(dot, f"SELECT issues FROM version WHERE unit_code = '{TAN_PHU.code}' AND number = 3")
    assert "received-after-acceptance" in issues
    units = {u["code"]: u for u in run_json(capsys, "status", dot)["units"]}
    assert units[TAN_PHU.code]["status"] == "Đã duyệt" and units[TAN_PHU.code]["accepted_version"] == 2

    plan = run_json(capsys, "plan", dot, "-o", tmp_path / "KeHoach.xlsx")
    check_consolidate_schema(plan)  # the same document as `consolidate --json`
    assert plan["totals"]["tong"] == (400 + 450 + 300 + 200 + 400) * 1_000_000
    assert {u["code"]: u["status"] for u in plan["units"]}[THONG_NHAT.code] == "Có lỗi"
    _plan_equals_consolidate_on_the_chosen_files(dot, plan, tmp_path)
    _provenance_names_version_and_approver(tmp_path / "KeHoach.xlsx", dot)
    only = run_json(capsys, "plan", dot, "-o", tmp_path / "KeHoach_duyet.xlsx", "--accepted-only")
    assert only["totals"]["tong"] == 850_000_000
    assert sum(1 for i in only["issues"] if i["code"] == "version-not-accepted") == 3

    # reopen needs a reason; then the latest valid version counts
    assert run(capsys, "reopen", dot, "--unit", "tan phu")[0] == 2
    assert run(capsys, "reopen", dot, "--unit", "tan phu", "--reason", "Xã bổ sung kinh phí", "--by", "Trưởng phòng")[0] == 0
    assert run_json(capsys, "plan", dot, "-o", tmp_path / "KeHoach.xlsx")["totals"]["tong"] == \
        (400 + 500 + 300 + 200 + 400) * 1_000_000

    _remind(capsys, dot, tmp_path)
    _log(capsys, dot)
    _view(dot)


def _plan_equals_consolidate_on_the_chosen_files(dot: Path, plan: dict, tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    rows = register_rows(dot, "SELECT v.stored FROM version v LEFT JOIN approval a ON a.unit_code = v.unit_code "
                              "WHERE (a.version IS NOT NULL AND v.number = a.version) OR "
                              f"(a.version IS NULL AND v.number = 1)")
    for (stored,) in rows:
        shutil.copy(dot / stored, chosen)
    outcome = consolidate_folder(chosen, province="Đồng Nai", year=2022, output=None, level="district",
                                 cache_dir=False)
    assert len(rows) == 5
    assert outcome.plan.totals == plan["totals"] and len(outcome.plan.lines) == plan["rows"]
    assert {u.code: u.status for u in outcome.plan.units} == {u["code"]: u["status"] for u in plan["units"]}


def _provenance_names_version_and_approver(path: Path, dot: Path) -> None:
    ws = load_workbook(path, read_only=True)["Chi tiết"]
    texts = [str(c) for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    [(accepted_at,)] = register_rows(dot, "SELECT accepted_at FROM approval")
    assert any(f"(lần 2; duyệt: Trưởng phòng, {in_vietnam(accepted_at)} giờ VN)" in t for t in texts)
    assert any("(lần 1; chưa duyệt)" in t for t in texts)


def _remind(capsys, dot: Path, tmp_path: Path) -> None:
    drafts = tmp_path / "thu-nhac"
    code, out, _ = run(capsys, "remind", dot, "-o", drafts, "--contacts", contacts_book(tmp_path / "DanhBa.xlsx"))
    assert code == 0
    files = sorted(drafts.glob("*.eml"))
    assert len(files) == 7  # 6 missing + 1 with errors; none for valid or accepted units
    assert not any(f"_{code}_" in f.name for code in (TAN_PHU.code, CAM_MY.code, XUAN_LOC.code, DINH_QUAN.code)
                   for f in files)
    assert "5 đơn vị chưa có địa chỉ thư" in out
    [returned] = [f for f in files if f"_{THONG_NHAT.code}_" in f.name]
    message = BytesParser(policy=policy.default).parse(returned.open("rb"))
    assert "kinhte.thongnhat@example.com" in message["To"] and message["X-Unsent"] == "1"
    body = message.get_body(("plain",)).get_content()
    assert "Trang \"Đăng ký\", ô C7: Hoạt động không có trong danh mục: 'KHONG_CO_MA_NAY'" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename().endswith("_danh-dau.xlsx")
    annotated = tmp_path / "annotated.xlsx"
    annotated.write_bytes(attachment.get_content())
    assert "Lỗi" in load_workbook(annotated).sheetnames
    [missing] = [f for f in files if "_742_" in f.name]
    reminder = BytesParser(policy=policy.default).parse(missing.open("rb"))
    assert str(reminder["To"] or "") == "" and "đã quá hạn" in reminder.get_body(("plain",)).get_content()


def _log(capsys, dot: Path) -> None:
    log = run_json(capsys, "log", dot)
    check_schema(log)
    actions = [(e["action"], e["unit"], e["version"]) for e in log["entries"]]
    assert actions[0] == ("open", None, None)
    assert ("accept", TAN_PHU.code, 2) in actions and ("receive", TAN_PHU.code, 3) in actions
    [reopen] = [e for e in log["entries"] if e["action"] == "reopen"]
    assert (reopen["by"], reopen["version"], reopen["reason"]) == ("Trưởng phòng", 2, "Xã bổ sung kinh phí")
    assert {e["action"] for e in log["entries"]} == {"open", "receive", "accept", "reopen", "plan", "remind"}
    assert sum(1 for e in log["entries"] if e["action"] == "receive" and e["by"] == "Lê Bình") == 5
    code, out, _ = run(capsys, "log", dot)  # on screen: Vietnam time, Vietnamese action names
    assert code == 0 and "Giờ Việt Nam (UTC+7)." in out
    assert f"{in_vietnam(reopen['at'])}  Trưởng phòng  Mở lại {TAN_PHU.code} lần 2 — lý do: Xã bổ sung kinh phí" in out
    assert sum(1 for line in out.splitlines() if "  Lê Bình  Nhận phiếu " in line) == 5
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        register_rows(dot, "DELETE FROM log")


def _view(dot: Path) -> None:
    wb = load_workbook(dot / "SoTheoDoi.xlsx")
    assert wb.sheetnames == ["Tình trạng", "Các lần nộp", "Thay đổi", "Nhật ký"]
    status = {row[0]: row for row in wb["Tình trạng"].iter_rows(min_row=4, values_only=True)}
    assert len(status) == 11 and status[TAN_PHU.code][2] == "Hợp lệ" and status[DINH_QUAN.code][5] == 3
    fills = {row[0].value: row[2].fill.fgColor.rgb for row in wb["Tình trạng"].iter_rows(min_row=4)}
    assert fills[TAN_PHU.code] == "FFC6EFCE" and fills[THONG_NHAT.code] == "FFFFC7CE" and fills["731"] == "FFFFEB9C"
    assert wb["Tình trạng"].tables and len(list(wb["Các lần nộp"].iter_rows(min_row=4))) == 7
    assert status[CAM_MY.code][4] == "18/05/2021 09:00"  # the e-mail's Date:, in Vietnam time
    changes = list(wb["Thay đổi"].iter_rows(min_row=4, values_only=True))
    first = sorted((r[3], r[5], r[6], r[7]) for r in changes if r[:3] == ("Huyện Tân Phú", 1, 2))
    assert first == [("Bỏ dòng", None, "Tổng kinh phí (triệu đồng): 400 triệu", None),
                     ("Sửa ô", "Tổng kinh phí (triệu đồng)", "400 triệu", "450 triệu"),
                     ("Sửa ô", "Vốn đối ứng (triệu đồng)", "250 triệu", "300 triệu"),
                     ("Thêm dòng", None, None, "Tổng kinh phí (triệu đồng): 400 triệu")]
    assert any(r[2] == "Mở lại" and r[6] == "Xã bổ sung kinh phí" for r in wb["Nhật ký"].iter_rows(values_only=True))


@pytest.mark.parametrize("command", ROUND_COMMANDS)
def test_every_round_command_has_help_and_takes_by(command, capsys):
    assert main(["round", command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "Usage: kc-excel round" in text and "--by" in text
    assert any(ch in text.split("Options:")[0] for ch in "ăâđêôơưạảấầẩẫậắằặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữự")


def test_commands_on_a_folder_that_is_not_a_round_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "status", tmp_path)
    assert code == 2 and "round open" in err and not (tmp_path / "so-theo-doi.sqlite").exists()


def test_unknown_province_or_unit_exits_2_without_a_register(tmp_path, capsys):
    code, _, _ = run(capsys, "open", tmp_path / "X", "--province", "Không Có", "--year", "2026",
                     "--deadline", "2026-05-20")
    assert code == 2 and not (tmp_path / "X" / "so-theo-doi.sqlite").exists()
    open_round(capsys, tmp_path / "DOT")
    code, _, err = run(capsys, "accept", tmp_path / "DOT", "--unit", "Huyện Không Có")
    assert code == 2 and "Traceback" not in err


def test_inputs_with_nothing_to_record_are_named(tmp_path, capsys):
    from email.message import EmailMessage

    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    inbox = tmp_path / "in"
    good = submission(inbox, TAN_PHU, [machine_line(TAN_PHU, 1)], day=19)
    (inbox / "~$DangKy.xlsx").write_bytes(b"lock")
    letter = EmailMessage()
    letter["From"], letter["Subject"] = "xa@example.com", "Quên đính kèm"
    letter.set_content("Gửi Trung tâm.")
    (inbox / "quen-dinh-kem.eml").write_bytes(bytes(letter))
    shutil.copy(dot / "SoTheoDoi.xlsx", inbox / "SoTheoDoi.xlsx")  # not ours there: received
    code, out, err = run(capsys, "receive", dot, inbox, inbox / "~$DangKy.xlsx", dot, dot / "SoTheoDoi.xlsx")
    assert code == 1 and "Huyện Tân Phú, lần 1: hợp lệ" in out  # 1: the foreign SoTheoDoi.xlsx
    assert "quen-dinh-kem.eml" in err and "~$DangKy.xlsx" in err
    assert register_rows(dot, "SELECT original_name FROM version WHERE unit_code IS NOT NULL") == [(good.name,)]
    assert register_rows(dot, "SELECT original_name FROM version WHERE unit_code IS NULL") == [("SoTheoDoi.xlsx",)]
    assert str(dot / "SoTheoDoi.xlsx") in err  # the round's own view is never an input


def test_a_workbook_that_is_no_registration_is_recorded_outside_the_round(tmp_path, capsys):
    from conftest import EXAMPLES

    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    programme = next(EXAMPLES.glob("ChuongTrinh_*.xlsx"))
    code, out, _ = run(capsys, "receive", dot, programme)
    assert code == 1 and "đây là biểu chỉ tiêu chương trình, không phải phiếu đăng ký" in out
    assert "hợp lệ" not in out and "lần -" not in out and "()" not in out
    [(unit, number, issues)] = register_rows(dot, "SELECT unit_code, number, issues FROM version")
    assert (unit, number) == (None, None) and "not-a-registration" in issues
    assert run_json(capsys, "status", dot)["counts"]["submitted"] == 0


def test_a_neighbours_signed_template_is_named_with_the_issues_message(tmp_path, capsys):
    import os

    from kc_excel import catalog
    from kc_excel.signing import load_or_create_key
    from kc_excel.workbook.templates import write_registration

    from consolidate_helpers import T0

    key = load_or_create_key(Path(os.environ["KC_EXCEL_CONFIG"]))
    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    forged = tmp_path / "in" / f"DangKy_2022_{TAN_PHU.code}_Huyen-Tan-Phu.xlsx"  # Xuân Lộc's form, renamed
    forged.parent.mkdir()
    write_registration(forged, catalog.find_province("Đồng Nai", era="old"), XUAN_LOC, 2022,
                       [machine_line(XUAN_LOC, 1)], created=T0, key=key)
    code, out, _ = run(capsys, "receive", dot, forged)
    assert code == 1
    assert ("không ghi thành lần nộp của đơn vị nào trong đợt. Lý do: Mã định danh biểu mẫu không khớp với đơn vị "
            "nộp") in out and "(template-identity-mismatch)" in out


def test_the_returned_unit_reads_the_activity_by_name(tmp_path, capsys):
    """Issue 16: the e-mail body of `round remind` names the norm's activity, never its internal code."""
    inbox, dot = tmp_path / "in", tmp_path / "DOT"
    submission(inbox, THONG_NHAT, [machine_line(THONG_NHAT, 1, tong=600, kcdp=250, doi_ung=350)], day=19)
    open_round(capsys, dot)
    assert run(capsys, "receive", dot, inbox, "--by", "Lê Bình")[0] == 1
    assert run(capsys, "remind", dot, "-o", tmp_path / "thu")[0] == 0
    [returned] = [f for f in (tmp_path / "thu").glob("*.eml") if f"_{THONG_NHAT.code}_" in f.name]
    body = BytesParser(policy=policy.default).parse(returned.open("rb")).get_body(("plain",)).get_content()
    assert "định mức cho “Ứng dụng máy móc thiết bị tiên tiến”" in body and "MAY_MOC" not in body


def test_remind_checks_the_contact_book_as_template_does(tmp_path, capsys):
    """A bad address never reaches a To: header: the row is named, the other drafts are written, exit 1."""
    inbox, dot = tmp_path / "in", tmp_path / "DOT"
    submission(inbox, THONG_NHAT, [machine_line(THONG_NHAT, 1, tong=600, kcdp=250, doi_ung=350)], day=19)
    open_round(capsys, dot)
    run(capsys, "receive", dot, inbox)
    wb = Workbook()
    ws = wb.active
    ws.append(["Đơn vị", "Email", "Người liên hệ"])
    ws.append(["huyen thong nhat", "kinhte@example.com\nBcc: x@example.com", "Trần Thị Bình"])
    ws.append(["731", "kinhte.bienhoa@example.com", None])
    wb.save(tmp_path / "DanhBa.xlsx")
    code, _, err = run(capsys, "remind", dot, "-o", tmp_path / "thu", "--contacts", tmp_path / "DanhBa.xlsx")
    assert code == 1 and "dòng 2" in err.lower()
    drafts = list((tmp_path / "thu").glob("*.eml"))
    assert drafts and all("Bcc" not in (BytesParser(policy=policy.default).parse(d.open("rb"))["To"] or "")
                          for d in drafts)
    returned = next(d for d in drafts if f"_{THONG_NHAT.code}_" in d.name)
    assert BytesParser(policy=policy.default).parse(returned.open("rb"))["To"] in (None, "")


def test_a_file_with_negative_money_is_recorded_with_its_errors_never_a_crash(tmp_path, capsys):
    """A line read with an error (a negative amount) is kept as read for the round's diffs: placing it in
    its unit must not check it again (it crashed the whole batch, exit 3, in issue 15's first merge)."""
    from conftest import EXAMPLES

    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    code, out, err = run(capsys, "receive", dot, *sorted(EXAMPLES.glob("DangKy_2022_*.xlsx")))
    assert code == 1, err  # one file has errors; nothing is an internal error
    assert "Lỗi nội bộ" not in out + err
    assert re.search(r"Huyện Thống Nhất, lần 1: \d+ lỗi, \d+ dòng", out)
    assert len(register_rows(dot, "SELECT id FROM version")) == len(list(EXAMPLES.glob("DangKy_2022_*.xlsx")))


def test_a_file_first_received_under_a_neighbours_name_is_credited_when_it_comes_under_its_own(tmp_path, capsys):
    """The same bytes credited to no unit (a neighbour's code in the file name) are read again when they
    come under their own name, and then count for their unit; bytes credited to a unit are received once."""
    import os

    from kc_excel import catalog
    from kc_excel.signing import load_or_create_key
    from kc_excel.workbook.templates import write_registration

    from consolidate_helpers import T0

    key = load_or_create_key(Path(os.environ["KC_EXCEL_CONFIG"]))
    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    own = tmp_path / "in" / f"DangKy_2022_{XUAN_LOC.code}_Huyen-Xuan-Loc.xlsx"
    own.parent.mkdir()
    write_registration(own, catalog.find_province("Đồng Nai", era="old"), XUAN_LOC, 2022,
                       [machine_line(XUAN_LOC, 1)], created=T0, key=key)
    misnamed = tmp_path / "lan1" / f"DangKy_2022_{TAN_PHU.code}_Huyen-Tan-Phu.xlsx"
    misnamed.parent.mkdir()
    misnamed.write_bytes(own.read_bytes())
    assert run(capsys, "receive", dot, misnamed)[0] == 1  # template-identity-mismatch: nobody's file
    assert register_rows(dot, "SELECT unit_code FROM version") == [(None,)]
    code, out, _ = run(capsys, "receive", dot, own)
    assert code == 0 and "Đã có trong sổ" not in out, out
    assert sorted(register_rows(dot, "SELECT unit_code, number FROM version"), key=str) == sorted(
        [(None, None), (XUAN_LOC.code, 1)], key=str)
    again, out, _ = run(capsys, "receive", dot, own)  # the same bytes, credited now: received once
    assert again == 0 and len(register_rows(dot, "SELECT id FROM version")) == 2
    renamed = tmp_path / "lan3" / "ban sao.xlsx"
    renamed.parent.mkdir()
    renamed.write_bytes(own.read_bytes())
    assert run(capsys, "receive", dot, renamed)[0] == 0  # credited bytes under any name: already there
    assert len(register_rows(dot, "SELECT id FROM version")) == 2


def test_bytes_credited_by_their_name_alone_are_read_again_under_another_name(tmp_path, capsys):
    """A file whose _kc names no unit is credited by its file name; the same bytes under another unit's
    name are that unit's receipt, not 'already recorded'."""
    from consolidate_helpers import drop_meta, registration

    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    first = registration(tmp_path / "a", TAN_PHU, [machine_line(TAN_PHU, 1)], name="Phieu - huyen Tan Phu.xlsx")
    drop_meta(first, "ma_don_vi", "ten_don_vi")
    second = tmp_path / "b" / "Phieu - huyen Cam My.xlsx"
    second.parent.mkdir()
    second.write_bytes(first.read_bytes())
    run(capsys, "receive", dot, first)
    code, out, _ = run(capsys, "receive", dot, second)
    assert "Đã có trong sổ" not in out, out
    assert sorted(register_rows(dot, "SELECT unit_code FROM version")) == sorted([(TAN_PHU.code,), (CAM_MY.code,)])
    run(capsys, "receive", dot, second)  # the same bytes under the same name: once
    assert len(register_rows(dot, "SELECT id FROM version")) == 2


def test_round_status_in_english_says_statuses_in_english(tmp_path, capsys):
    from kc_excel.i18n import set_lang

    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    try:
        code, out, _ = run(capsys, "--lang", "en", "status", dot)
    finally:
        set_lang("vi")
    assert code == 0 and "Not sent" in out and "Chưa nộp" not in out
    assert "Chưa nộp" in run(capsys, "status", dot)[1]


@pytest.mark.parametrize("below", ["", "R"])
def test_a_round_folder_that_is_a_file_or_under_one_is_said_in_vietnamese(tmp_path, capsys, below):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    code, out, err = run(capsys, "open", afile / below if below else afile, "--province", "Đồng Nai", "--year", "2022",
                         "--deadline", DEADLINE, "--level", "district")
    assert code == 2 and "Traceback" not in out + err
    assert ("không phải thư mục" in err) and "Not a directory" not in err and "File exists" not in err, err
    assert afile.read_text() == "not a folder"
