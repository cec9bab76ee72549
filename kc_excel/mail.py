"""E-mail drafts (.eml) that carry each unit's registration template.

``kc-excel template registration --all --contacts FILE`` writes, beside each
template, a draft that Outlook opens as an unsent message (header
``X-Unsent: 1``) and Thunderbird opens with File > Open (or "Edit as new"):
Vietnamese subject and cover note (deadline, contact person), the template
attached as ``application/vnd.openxmlformats-officedocument.spreadsheetml.sheet``
with an RFC 2231 file name.

The contacts workbook has a header row with the columns ``Đơn vị`` (a unit
name in any spelling, or its code), ``Email`` and optionally ``Người liên hệ``;
headers are matched without diacritics or case.

Default deadline (:func:`default_deadline`): 20 May of the year before the plan
year (the date of the old circulars, Thông tư 46/2012/TT-BCT), or, when that is
less than 7 days away, 14 days from today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from email import policy
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Any, Iterable

from python_calamine import CalamineWorkbook

from kc_excel import catalog
from kc_excel.errors import InputError, UnknownNameError
from kc_excel.foreign_errors import MALFORMED
from kc_excel.i18n import tr
from kc_excel.outputs import write_atomically
from kc_excel.text import fold
from kc_excel.workbook.trusted import read_trusted

XLSX_MIME = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_HEADERS = {"don vi": "unit", "ten don vi": "unit", "ma don vi": "unit", "email": "email", "e-mail": "email",
            "thu dien tu": "email", "dia chi email": "email", "nguoi lien he": "person", "nguoi nhan": "person"}


@dataclass(frozen=True)
class Contact:
    """One row of the contacts workbook (``row`` is 1-based, as Excel shows it)."""

    unit: str
    email: str
    person: str | None = None
    row: int = 0


def read_contacts(path: str | Path) -> list[Contact]:
    """Read the contacts workbook (first sheet with a ``Đơn vị`` and ``Email`` header)."""
    path = Path(path)
    sheets = read_trusted(_sheets, path)  # the reader's file-level checks and limits
    for rows in sheets:
        for index, row in enumerate(rows[:10]):
            columns = {_HEADERS.get(fold(str(v))): j for j, v in enumerate(row) if fold(str(v)) in _HEADERS}
            if "unit" in columns and "email" in columns:
                return _contacts(rows[index + 1:], columns, index + 2)
    raise InputError(f"Tệp danh bạ {path.name} không có dòng tiêu đề với các cột \"Đơn vị\" và \"Email\".",
                     path=path, message_en=f"The contacts file {path.name} has no \"Đơn vị\" and \"Email\" header.")


def _sheets(path: Path) -> list[list[list[Any]]]:
    """Every sheet's rows (in a limited child: :func:`~kc_excel.workbook.trusted.read_trusted`)."""
    try:
        book = CalamineWorkbook.from_path(str(path))
        return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]
    except MALFORMED as error:  # calamine's, the zip's and the OS's (the one table of foreign errors)
        raise InputError(f"Không đọc được tệp danh bạ {path}: {error}", path=path,
                         message_en=f"Cannot read the contacts file {path}: {error}") from None


def _contacts(rows: list[list[Any]], columns: dict[str | None, int], first_row: int) -> list[Contact]:
    contacts = []
    for offset, row in enumerate(rows):
        cells = {k: _text(row[j]) if j < len(row) else "" for k, j in columns.items() if k}
        if cells.get("unit") and cells.get("email"):
            contacts.append(Contact(cells["unit"], cells["email"], cells.get("person") or None, first_row + offset))
    return contacts


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def match_contacts(contacts: Iterable[Contact], province: Any, level: str) -> tuple[dict[str, Contact], list[Contact]]:
    """Map unit code → contact; return also the contacts whose unit is not a unit of ``province``."""
    matched: dict[str, Contact] = {}
    unknown: list[Contact] = []
    for contact in contacts:
        try:
            unit = catalog.find_unit(province, contact.unit, level=level)
        except UnknownNameError:
            unknown.append(contact)
            continue
        matched.setdefault(unit.code, contact)
    return matched, unknown


@dataclass(frozen=True)
class ContactProblem:
    """A contacts row that gets no draft, and why (Vietnamese and English)."""

    contact: Contact
    reason: str
    reason_en: str

    def message(self) -> str:
        return tr(f"Danh bạ dòng {self.contact.row} ('{_printable(self.contact.unit)}'): {self.reason}; không viết thư.",
                  f"Contacts row {self.contact.row} ('{_printable(self.contact.unit)}'): {self.reason_en}; no draft.")


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text)


def address_problem(text: str) -> tuple[str, str] | None:
    """Why ``text`` is not one RFC 5322 address (vi, en), or None: one address, ASCII, no control characters."""
    if any(not ch.isprintable() for ch in text):
        return "địa chỉ thư có ký tự điều khiển (xuống dòng, tab…)", "the address holds control characters"
    if "," in text or ";" in text:
        return f"'{text}' có nhiều hơn một địa chỉ; mỗi đơn vị một địa chỉ", f"'{text}' holds more than one address"
    if not text.isascii():
        return f"'{text}' có chữ có dấu; địa chỉ thư chỉ dùng chữ không dấu", f"'{text}' is not ASCII"
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, TypeError, IndexError, MessageError) as problem:  # defects are ValueErrors, parse errors not
        return f"'{text}' không phải địa chỉ thư hợp lệ ({problem})", f"'{text}' is not a valid address ({problem})"
    if not parsed.username or not parsed.domain:
        return f"'{text}' không phải địa chỉ thư hợp lệ", f"'{text}' is not a valid address"
    return None


def check_contacts(contacts: Iterable[Contact], province: Any, level: str
                   ) -> tuple[dict[str, Contact], list[Contact], list[ContactProblem]]:
    """:func:`match_contacts` of the rows whose address is usable; every other row is a problem naming it
    (a bad address, a person name with control characters, a second row for the same unit)."""
    usable, problems = [], []
    for contact in contacts:
        reason = address_problem(contact.email) or _person_problem(contact.person)
        if reason:
            problems.append(ContactProblem(contact, *reason))
        else:
            usable.append(contact)
    matched, unknown = match_contacts(usable, province, level)
    for contact in usable:
        kept = _kept_for(contact, matched, province, level)
        if kept is not None and kept is not contact:
            problems.append(ContactProblem(contact, f"đơn vị đã có địa chỉ ở dòng {kept.row}; mỗi đơn vị một địa chỉ",
                                           f"the unit already has an address at row {kept.row}"))
    return matched, unknown, sorted(problems, key=lambda p: p.contact.row)


def _person_problem(person: str | None) -> tuple[str, str] | None:
    if person and any(not ch.isprintable() for ch in person):
        return "tên người liên hệ có ký tự điều khiển", "the contact name holds control characters"
    return None


def _kept_for(contact: Contact, matched: dict[str, Contact], province: Any, level: str) -> Contact | None:
    try:
        return matched.get(catalog.find_unit(province, contact.unit, level=level).code)
    except UnknownNameError:
        return None


def default_deadline(year: int, today: date | None = None) -> date:
    """20/05 of ``year - 1``, or 14 days from today when that date is (almost) past."""
    today = today or date.today()
    usual = date(year - 1, 5, 20)
    return usual if usual - today >= timedelta(days=7) else today + timedelta(days=14)


def draft(unit: Any, contact: Contact, attachment: Path, *, year: int, province: Any, deadline: date,
          sender: str | None = None) -> EmailMessage:
    """The draft message for one unit, with its template attached."""
    body = cover_note(unit, contact, year=year, province=province, deadline=deadline, attachment_name=attachment.name)
    return compose(f"Đăng ký kế hoạch khuyến công năm {year} - {unit.name}",
                   formataddr((contact.person or unit.name, contact.email)), body,
                   attachment=(attachment.name, attachment.read_bytes()), sender=sender)


def compose(subject: str, to: str, body: str, *, attachment: tuple[str, bytes] | None = None,
            sender: str | None = None) -> EmailMessage:
    """An unsent draft (``X-Unsent: 1``): subject, recipient (may be empty), body, an optional .xlsx attached."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["To"] = to
    if sender:
        message["From"] = sender
    message["X-Unsent"] = "1"
    message.set_content(body)
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype=XLSX_MIME[0], subtype=XLSX_MIME[1], filename=name)
    return message


def cover_note(unit: Any, contact: Contact, *, year: int, province: Any, deadline: date, attachment_name: str) -> str:
    """The Vietnamese body of the draft."""
    greeting = f"Kính gửi: {contact.person} - {unit.name}" if contact.person else f"Kính gửi: {unit.name}"
    return "\n".join([
        greeting, "",
        f"Trung tâm Khuyến công {_lower_first(getattr(province, 'name', str(province)))} gửi Quý đơn vị "
        f"phiếu đăng ký kế hoạch khuyến công năm {year} (tệp đính kèm {attachment_name}).",
        "",
        "Đề nghị Quý đơn vị:",
        "- Mở tệp bằng Excel (2010 trở lên) hoặc LibreOffice, đọc trang \"Hướng dẫn\";",
        "- Nhập các đề án, nhiệm vụ đề nghị hỗ trợ vào bảng ở trang \"Đăng ký\" (kinh phí tính bằng triệu đồng);",
        "- Giữ nguyên tên tệp, không đổi cấu trúc biểu mẫu, lưu dạng .xlsx;",
        f"- Gửi lại tệp bằng cách trả lời thư này trước ngày {deadline:%d/%m/%Y}.",
        "",
        "Trân trọng cảm ơn.",
    ]) + "\n"


def _lower_first(name: str) -> str:
    """"Tỉnh Đồng Nai" → "tỉnh Đồng Nai" (mid-sentence)."""
    return name[:1].lower() + name[1:]


def write_eml(message: EmailMessage, path: str | Path) -> Path:
    """Write ``message`` as an .eml file atomically (CRLF line ends, as mail clients expect)."""
    data = message.as_bytes(policy=policy.SMTP)
    return write_atomically(path, lambda temp: Path(temp).write_bytes(data))
