"""``round remind``: one ready-to-send ``.eml`` draft per unit that needs one.

- ``Chưa nộp``: a deadline reminder (days left, or days late);
- ``Có lỗi`` ("trả lại xã"): the latest version returned with its issues,
  cell by cell, in the body, and the annotated copy attached
  (:func:`~kc_excel.validation.annotate.annotate`; a file that cannot be
  annotated, ``.xls``/``.ods``, is attached as received);
- ``Hợp lệ`` and ``Đã duyệt``: nothing.

Addresses come from the contacts workbook as for ``template --all``
(:func:`kc_excel.mail.read_contacts`); a unit without an address still gets
its draft, with an empty ``To:``, and is listed.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from email.utils import formataddr
from pathlib import Path
from typing import Any, Sequence

from kc_excel import mail
from kc_excel.errors import KcError
from kc_excel.rounds.register import Version
from kc_excel.rounds.status import HAS_ERRORS, MISSING, UnitStatus, days_to_deadline
from kc_excel.text import fold
from kc_excel.validation.annotate import ANNOTATABLE, annotate
from kc_excel.validation.issues import Issue, Severity

MAX_ISSUES_IN_BODY = 50


@dataclass
class RemindOutcome:
    drafts: list[Path] = field(default_factory=list)
    without_address: list[str] = field(default_factory=list)
    unknown_contacts: list[Any] = field(default_factory=list)
    contact_problems: list[Any] = field(default_factory=list)
    """Rows of the contact book whose address cannot be used (:func:`kc_excel.mail.check_contacts`)."""


def remind(current: Any, out_dir: str | Path, *, contacts: str | Path | None = None,
           today: date | None = None) -> RemindOutcome:
    """Write the drafts of round ``current`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    people: dict[str, mail.Contact] = {}
    outcome = RemindOutcome()
    if contacts is not None:
        people, outcome.unknown_contacts, outcome.contact_problems = mail.check_contacts(
            mail.read_contacts(contacts), current.province, current.level)
    for status in current.statuses():
        if status.status not in (MISSING, HAS_ERRORS):
            continue
        contact = people.get(status.code)
        to = formataddr((contact.person or status.name, contact.email)) if contact else ""
        if contact is None:
            outcome.without_address.append(status.name)
        if status.status == MISSING:
            message = _reminder(current, status, to, today)
        else:
            message = _return(current, status, to)
        target = out_dir / f"{_file_stem(status)}.eml"
        outcome.drafts.append(mail.write_eml(message, target))
    return outcome


def _file_stem(status: UnitStatus) -> str:
    words = fold(status.name).replace(" ", "-")
    kind = "nhac-nop" if status.status == MISSING else "tra-lai"
    return f"{kind}_{status.code}_{words}"


def _reminder(current: Any, status: UnitStatus, to: str, today: date | None) -> Any:
    left = days_to_deadline(current.deadline, today)
    when = (f"Hạn gửi là ngày {current.deadline:%d/%m/%Y} (còn {left} ngày)." if left >= 0 else
            f"Hạn gửi là ngày {current.deadline:%d/%m/%Y}; đã quá hạn {-left} ngày.")
    body = "\n".join([
        f"Kính gửi: {status.name}", "",
        f"Trung tâm Khuyến công chưa nhận được phiếu đăng ký kế hoạch khuyến công năm {current.info.year} "
        f"của Quý đơn vị. {when}",
        "Đề nghị Quý đơn vị hoàn thiện phiếu đăng ký và gửi lại bằng cách trả lời thư này.", "",
        "Trân trọng cảm ơn.",
    ]) + "\n"
    return mail.compose(f"Nhắc gửi phiếu đăng ký kế hoạch khuyến công năm {current.info.year} - {status.name}",
                        to, body)


def _return(current: Any, status: UnitStatus, to: str) -> Any:
    version = status.latest
    assert version is not None
    issues = [_issue(i) for i in version.issues if i.get("severity") == Severity.ERROR]
    lines = [f"- {_where(i)}{i.render('vi')}" for i in issues[:MAX_ISSUES_IN_BODY]]
    if len(issues) > MAX_ISSUES_IN_BODY:
        lines.append(f"- … và {len(issues) - MAX_ISSUES_IN_BODY} lỗi khác (xem trang \"Lỗi\" của tệp đính kèm).")
    body = "\n".join([
        f"Kính gửi: {status.name}", "",
        f"Trung tâm Khuyến công trả lại phiếu đăng ký kế hoạch khuyến công năm {current.info.year} "
        f"(tệp {version.original_name}, nhận lần {version.number}) để Quý đơn vị sửa các lỗi sau:", "",
        *lines, "",
        "Các ô có lỗi được tô màu trong tệp đính kèm, kèm trang \"Lỗi\". Đề nghị Quý đơn vị sửa và gửi lại "
        "bằng cách trả lời thư này.", "",
        "Trân trọng cảm ơn.",
    ]) + "\n"
    return mail.compose(f"Trả lại phiếu đăng ký kế hoạch khuyến công năm {current.info.year} - {status.name}",
                        to, body, attachment=_attachment(current, version, issues))


def _issue(data: dict) -> Issue:
    return Issue(code=data["code"], severity=Severity(data["severity"]), detail=data.get("detail") or "",
                 detail_en=data.get("detail_en") or "", file=data.get("file"), sheet=data.get("sheet"),
                 cell=data.get("cell"), row=data.get("row"), column=data.get("column"), value=data.get("value"))


def _where(issue: Issue) -> str:
    if issue.sheet and issue.cell:
        return f"Trang \"{issue.sheet}\", ô {issue.cell}: "
    if issue.sheet:
        return f"Trang \"{issue.sheet}\": "
    return ""


def _attachment(current: Any, version: Version, issues: Sequence[Issue]) -> tuple[str, bytes]:
    """The annotated copy (``…_danh-dau.xlsx``), or the file as received when it cannot be annotated."""
    source = current.folder / version.stored
    name = Path(version.original_name).name
    if source.suffix.lower() in ANNOTATABLE:
        with tempfile.TemporaryDirectory(prefix="kc-remind-") as folder:
            out = Path(folder) / f"{Path(name).stem}_danh-dau.xlsx"
            try:
                annotate(source, list(issues), out)
                return out.name, out.read_bytes()
            except (KcError, OSError, ValueError, KeyError):
                pass  # an unreadable workbook is returned as received
    return name, source.read_bytes()
