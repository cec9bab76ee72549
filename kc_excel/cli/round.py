"""``kc-excel round open|receive|status|diff|accept|reopen|remind|plan|log``: collection rounds (đợt thu phiếu).

Each command parses, makes one call into :mod:`kc_excel.rounds`, renders. Every
one takes ``--by NAME`` (default: the OS user), recorded in the round's log.
Exit codes: 0 done; 1 done, but an input has errors or was rejected (receive,
plan); 2 an argument or input cannot be used (unknown unit, not a round, a
version with errors to accept...).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from kc_excel.cli.app import app
from kc_excel.cli.examples import example
from kc_excel.cli.common import EXIT_BAD_INPUT, EXIT_DATA_ERRORS, EXIT_OK, err, out, print_json, say
from kc_excel.i18n import tr

round_app = typer.Typer(help="Đợt thu phiếu: sổ theo dõi các lần nộp, thời hạn, thay đổi, duyệt, nhắc. "
                             "Collection rounds: a register of every submission.",
                        epilog=example('kc-excel round open DOT/ --province "Đồng Nai" --year 2026 --deadline 2025-05-20',
                                       "kc-excel round receive DOT/ hop-thu/*.eml", "kc-excel round status DOT/"),
                        no_args_is_help=True, rich_markup_mode=None)
app.add_typer(round_app, name="round")

FOLDER = typer.Argument(..., help="Thư mục đợt (DOT/). Round folder.", show_default=False)
UNIT = typer.Option(..., "--unit", help="Đơn vị (tên hoặc mã). Unit.", show_default=False)
JSON = typer.Option(False, "--json", help="In JSON (round.schema.json). Print JSON.")


def _by() -> str:
    from kc_excel.rounds import who

    return typer.Option(who(), "--by", help="Người thực hiện (ghi vào nhật ký). Who does it (logged).")


def _load(folder: Path):
    from kc_excel.rounds.service import load

    return load(folder)


@round_app.command("open", help="Mở đợt thu phiếu: tạo sổ theo dõi trong thư mục. Open a round in a folder.",
                   epilog=example("kc-excel round open DOT/ --province \"Đồng Nai\" --year 2026 --deadline 2025-05-20"))
def open_command(
    folder: Path = FOLDER,
    province: str = typer.Option(..., "--province", help="Tỉnh (tên hoặc mã). Province.", show_default=False),
    year: int = typer.Option(..., "--year", help="Năm kế hoạch. Plan year.", show_default=False),
    deadline: str = typer.Option(..., "--deadline", help="Hạn nộp YYYY-MM-DD. Deadline.", show_default=False),
    level: str = typer.Option("commune", "--level", help="commune (xã, phường) hoặc district (huyện, trước 2026)."),
    by: str = _by(),
) -> None:
    from kc_excel.rounds.service import open_round

    if level not in ("commune", "district"):
        raise typer.BadParameter(tr("dùng commune hoặc district", "use commune or district"), param_hint="--level")
    try:
        due = date.fromisoformat(deadline)
    except ValueError:
        raise typer.BadParameter(tr("ngày dạng YYYY-MM-DD, ví dụ 2026-05-20", "a date YYYY-MM-DD"),
                                 param_hint="--deadline") from None
    current = open_round(folder, province=province, year=year, deadline=due, level=level, by=by)
    out.print(tr(f"Đã mở đợt {current.info.province}, năm {year}, hạn {due:%d/%m/%Y}: {len(current.units)} đơn vị. "
                 f"Sổ theo dõi: {folder / 'SoTheoDoi.xlsx'}",
                 f"Round opened: {current.info.province}, {year}, deadline {due}, {len(current.units)} units."))
    current.close()


@round_app.command("receive", help="Nhận phiếu vào đợt (tệp, thư mục, .eml). Receive files, folders, e-mails.",
                   epilog=example("kc-excel round receive DOT/ hop-thu/*.eml DangKy_AnPhuoc.xlsx"))
def receive_command(
    folder: Path = FOLDER,
    paths: list[Path] = typer.Argument(..., help="Tệp, thư mục hoặc thư .eml. Files, folders, .eml.",
                                       show_default=False),
    by: str = _by(),
) -> None:
    from kc_excel.consolidate import warm_readers

    warm_readers()  # the readers' warm start: their server imports validation while this process goes on
    from kc_excel import settings
    from kc_excel.rounds.service import receipt, receive

    with _load(folder) as current:
        outcome = receive(current, paths, by=by, key=settings.province_key(os.environ))
        names = {code: u.name for code, u in current.units.items()}
    for text in receipt(outcome, names):
        out.print(text)
    for name in outcome.already:
        say(f"Đã có trong sổ (cùng nội dung), không ghi thêm: {name}", f"Already recorded (same bytes): {name}")
    for name in outcome.ignored:
        say(f"Không có phiếu để ghi (tệp khóa/tạm, hoặc thư không đính kèm bảng tính): {name}",
            f"Nothing to record (lock/temporary file, or an e-mail without a spreadsheet): {name}")
    raise typer.Exit(EXIT_DATA_ERRORS if outcome.rejected else EXIT_OK)


@round_app.command("status", help="Tình trạng nộp của các đơn vị. Status of every unit.",
                   epilog=example("kc-excel round status DOT/"))
def status_command(
    folder: Path = FOLDER,
    as_json: bool = JSON,
    by: str = _by(),
) -> None:
    from kc_excel.rounds.service import status_document, touch_view

    with _load(folder) as current:
        document = status_document(current)
        touch_view(current)
    if as_json:
        print_json(document)
    else:
        show_status(document)


def show_status(document: dict) -> None:
    """The status table and counts, on stdout (also what ``make demo`` prints)."""
    from rich.console import Console
    from rich.table import Table

    info = document["round"]
    table = Table(title=tr(f"Đợt {info['province']} — năm {info['year']} — hạn {info['deadline']}",
                           f"Round {info['province']} — {info['year']} — deadline {info['deadline']}"))
    from kc_excel.i18n import get_lang
    from kc_excel.rounds.status import STATUSES_EN, vietnam_text

    for header in (tr("Mã", "Code"), tr("Đơn vị", "Unit"), tr("Trạng thái", "Status"), tr("Số lần", "Versions"),
                   tr("Nộp lần cuối (giờ VN)", "Last received (Vietnam time)"), tr("Trễ (ngày)", "Days late"),
                   tr("Lỗi", "Errors"), tr("Lần duyệt", "Accepted")):
        table.add_column(header)
    for u in document["units"]:
        status = STATUSES_EN.get(u["status"], u["status"]) if get_lang() == "en" else u["status"]
        table.add_row(u["code"], u["name"], status, str(u["versions"]), _n(vietnam_text(u["last_received"])),
                      _n(u["days_late"]), _n(u["errors"]), _n(u["accepted_version"]))
    wide = out if out.is_terminal else Console(file=out.file, width=160, highlight=False, soft_wrap=True)
    wide.print(table)
    c = document["counts"]
    out.print(tr(f"{c['expected']} đơn vị: {c['submitted']} đã nộp ({c['on_time']} đúng hạn, {c['late']} trễ), "
                 f"{c['missing']} chưa nộp, {c['with_errors']} có lỗi, {c['accepted']} đã duyệt.",
                 f"{c['expected']} units: {c['submitted']} submitted ({c['on_time']} on time, {c['late']} late), "
                 f"{c['missing']} missing, {c['with_errors']} with errors, {c['accepted']} accepted."))


def _n(value) -> str:
    return "" if value is None else str(value)


@round_app.command("diff", help="Thay đổi giữa hai lần nộp của một đơn vị. Changes between two versions.",
                   epilog=example("kc-excel round diff DOT/ --unit \"Xã An Phước\" --from 1 --to 2"))
def diff_command(
    folder: Path = FOLDER,
    unit: str = UNIT,
    from_version: Optional[int] = typer.Option(None, "--from", min=1, help="Từ lần (mặc định: lần trước). From."),
    to_version: Optional[int] = typer.Option(None, "--to", min=1, help="Đến lần (mặc định: lần cuối). To."),
    as_json: bool = JSON,
    by: str = _by(),
) -> None:
    from kc_excel.rounds.diff import label, show
    from kc_excel.rounds.service import diff, touch_view

    with _load(folder) as current:
        change = diff(current, unit, from_version=from_version, to_version=to_version)
        touch_view(current)
    if as_json:
        print_json(change.to_json())
        return
    out.print(tr(change.summary(), change.summary_en()) + tr(f" (so với lần {change.from_version})",
                                                              f" (against version {change.from_version})"))
    for line in change.added:
        out.print(tr("  + thêm: ", "  + added: ") + f"{label(line)}; {show(line.get('tong'), 'tong')}")
    for line in change.removed:
        out.print(tr("  - bỏ: ", "  - removed: ") + f"{label(line)}; {show(line.get('tong'), 'tong')}")
    for c in change.changed:
        out.print(f"  ~ {c.line} — {c.column}: {show(c.old, c.key)} → {show(c.new, c.key)}")


@round_app.command("accept", help="Duyệt một lần nộp của đơn vị (mặc định lần hợp lệ cuối). Accept a version.",
                   epilog=example("kc-excel round accept DOT/ --unit \"Xã An Phước\""))
def accept_command(
    folder: Path = FOLDER,
    unit: str = UNIT,
    version: Optional[int] = typer.Option(None, "--version", min=1, help="Lần nộp. Version number."),
    by: str = _by(),
) -> None:
    from kc_excel.rounds.service import accept

    with _load(folder) as current:
        chosen = accept(current, unit, by=by, number=version)
        name = current.unit(unit).name
    out.print(tr(f"Đã duyệt {name}, lần {chosen.number} ({chosen.original_name}), người duyệt: {by}.",
                 f"Accepted {name}, version {chosen.number} ({chosen.original_name}) by {by}."))


@round_app.command("reopen", help="Mở lại đơn vị đã duyệt (bắt buộc --reason). Reopen an accepted unit.",
                   epilog=example("kc-excel round reopen DOT/ --unit \"Xã An Phước\" --reason \"Sai kinh phí dòng 3\""))
def reopen_command(
    folder: Path = FOLDER,
    unit: str = UNIT,
    reason: str = typer.Option(..., "--reason", help="Lý do mở lại (ghi vào nhật ký). Reason.", show_default=False),
    by: str = _by(),
) -> None:
    from kc_excel.rounds.service import reopen

    with _load(folder) as current:
        held = reopen(current, unit, by=by, reason=reason)
        name = current.unit(unit).name
    out.print(tr(f"Đã mở lại {name} (trước đó duyệt lần {held}). Lý do: {reason}",
                 f"Reopened {name} (was accepted at version {held}). Reason: {reason}"))


@round_app.command("remind", help="Viết thư nháp .eml nhắc nộp hoặc trả lại phiếu có lỗi. Reminder drafts.",
                   epilog=example("kc-excel round remind DOT/ -o thu-nhac/ --contacts DanhBa.xlsx"))
def remind_command(
    folder: Path = FOLDER,
    output: Path = typer.Option(..., "-o", "--output", help="Thư mục thư nháp. Drafts folder.", show_default=False),
    contacts: Optional[Path] = typer.Option(None, "--contacts", help="Danh bạ (.xlsx: Đơn vị | Email | Người liên hệ)."),
    by: str = _by(),
) -> None:
    from kc_excel.rounds.register import LogEntry, now
    from kc_excel.rounds.remind import remind
    from kc_excel.rounds.service import log

    with _load(folder) as current:
        outcome = remind(current, output, contacts=contacts)
        log(current, LogEntry(now(), "remind", by, detail={"drafts": len(outcome.drafts),
                                                              "without_address": outcome.without_address}))
    out.print(tr(f"Đã viết {len(outcome.drafts)} thư nháp vào {output}.",
                 f"Wrote {len(outcome.drafts)} drafts into {output}."))
    if outcome.without_address:
        out.print(tr(f"{len(outcome.without_address)} đơn vị chưa có địa chỉ thư (để trống To:): ",
                     f"{len(outcome.without_address)} units without address (empty To:): ")
                  + ", ".join(outcome.without_address))
    for contact in outcome.unknown_contacts:
        say(f"Danh bạ dòng {contact.row}: không tìm thấy đơn vị \"{contact.unit}\".",
            f"Contacts row {contact.row}: unknown unit \"{contact.unit}\".")
    for problem in outcome.contact_problems:
        err.print(problem.message())
    if outcome.contact_problems:  # as `template --all --contacts`: the other drafts are written, exit 1
        raise typer.Exit(EXIT_DATA_ERRORS)


@round_app.command("plan", help="Lập kế hoạch tỉnh từ các lần nộp đã duyệt (hoặc hợp lệ cuối). Plan from the round.",
                   epilog=example("kc-excel round plan DOT/ -o KeHoach_2026.xlsx --accepted-only"))
def plan_command(
    folder: Path = FOLDER,
    output: Path = typer.Option(..., "-o", "--output", help="Tệp kế hoạch (.xlsx). Plan workbook.", show_default=False),
    accepted_only: bool = typer.Option(False, "--accepted-only", help="Chỉ lấy lần đã duyệt. Accepted only."),
    as_json: bool = typer.Option(False, "--json", help="In JSON như consolidate. Print JSON."),
    by: str = _by(),
) -> None:
    from kc_excel import settings
    from kc_excel.validation.values import fmt_trieu as trieu
    from kc_excel.rounds.plan import write_round_plan
    from kc_excel.rounds.register import LogEntry, now
    from kc_excel.rounds.service import log

    if output.suffix.lower() != ".xlsx":
        say(f"Tệp kết quả phải có đuôi .xlsx: {output}", f"The output must be an .xlsx file: {output}")
        raise typer.Exit(EXIT_BAD_INPUT)
    with _load(folder) as current:
        plan, choices = write_round_plan(current, output, accepted_only=accepted_only,
                                         key=settings.province_key(os.environ),
                                         cache_dir=settings.cache_dir(os.environ))
        used = {c.status.code: c.version.number for c in choices if c.used}
        log(current, LogEntry(now(), "plan", by, detail={"output": str(output), "versions": used,
                                                         "accepted_only": accepted_only, "totals": plan.totals}))
    if as_json:
        print_json({"output": str(output), "units": [u.to_json() for u in plan.units], "rows": len(plan.lines),
                    "totals": plan.totals, "issues": [i.to_json() for i in plan.issues]})
    else:
        left = [c.status.name for c in choices if not c.used]
        out.print(tr(f"Kế hoạch từ {len(used)} đơn vị, {len(plan.lines)} dòng, tổng kinh phí "
                     f"{trieu(plan.totals['tong'])} triệu đồng. Đã ghi: {output}",
                     f"Plan from {len(used)} units, {len(plan.lines)} lines, total "
                     f"{trieu(plan.totals['tong'], lang='en')} "
                     f"million VND. Written: {output}"))
        if left:
            out.print(tr("Không đưa vào kế hoạch: ", "Left out: ") + ", ".join(left))
    raise typer.Exit(EXIT_DATA_ERRORS if plan.rejected else EXIT_OK)


@round_app.command("log", help="Nhật ký của đợt (ai, khi nào, việc gì). The round's log.",
                   epilog=example("kc-excel round log DOT/"))
def log_command(
    folder: Path = FOLDER,
    as_json: bool = JSON,
    by: str = _by(),
) -> None:
    from kc_excel.rounds.register import log_entries
    from kc_excel.rounds.service import touch_view

    with _load(folder) as current:
        entries = log_entries(current.db)
        touch_view(current)
    if as_json:
        print_json({"entries": [e.to_json() for e in entries]})
        return
    from kc_excel.rounds.status import vietnam_text
    from kc_excel.rounds.view import ACTIONS

    out.print(tr("Giờ Việt Nam (UTC+7).", "Times in Vietnam time (UTC+7)."))
    for e in entries:
        where = f" {e.unit}" + tr(f" lần {e.version}", f" version {e.version}") * bool(e.version) if e.unit else ""
        reason = tr(f" — lý do: {e.reason}", f" — reason: {e.reason}") if e.reason else ""
        action = tr(ACTIONS.get(e.action, e.action), e.action)
        out.print(f"{vietnam_text(e.at)}  {e.by}  {action}{where}{reason}", markup=False)
