"""Every MIME part of a saved e-mail (.eml), accounted for: workbook, letter text, skipped or refused.

:func:`read_mail` parses one ``.eml`` with the standard library's ``email``
package (``policy.default``) and walks its whole MIME tree:

- ``multipart/*`` containers at any depth; forwarded mails
  (``message/rfc822``); single-part messages (the message itself is the leaf);
- S/MIME: ``multipart/signed`` is read through its signed content (the
  signature part is accounted as such); an opaque ``application/pkcs7-mime``
  *signed-data* is unwrapped with ``asn1crypto`` and its content walked; an
  *enveloped* (encrypted) one is refused (``email-encrypted``);
- a leaf is a workbook when its name ends in a spreadsheet extension, when its
  content type is a spreadsheet's, or when its bytes are one (zip/OLE magic,
  then :func:`~kc_excel.workbook.sniff.sniff`): attachments without a file name
  are recognised by content. Workbooks are written, under a safe short name
  (:func:`sanitize_filename`), into the caller's private folder;
- broken base64 in a workbook part is ``attachment-damaged``; the letter's own
  text (an inline ``text/*`` part without a file name) is ``BODY``; anything
  else (a PDF letter, an image) is ``SKIPPED`` with its reason.

Bounds (:class:`MailLimits`) are checked before and while parsing: file size,
header length, number of parts, depth. A mail over a bound is refused as a
whole (``email-too-complex``, or ``file-too-large`` for the size), and so is
one the parser cannot handle at all: nothing a mail does escapes as an
exception. :mod:`kc_excel.consolidate.mailchild` runs this in a child process
under memory and time limits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from kc_excel.errors import FileLevelError
from kc_excel.workbook.sniff import OLE_MAGIC, ZIP_MAGIC, sniff

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
UNSUPPORTED_EXTENSIONS = (".xlsb", ".xltx", ".xltm", ".xlt", ".csv", ".fods", ".numbers", ".et",
                          ".zip", ".rar", ".7z")
"""Files a unit may send instead of its registration: read by the reader, which refuses them by name."""
MIME_EXTENSIONS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
PKCS7_TYPES = ("application/pkcs7-mime", "application/x-pkcs7-mime")
SIGNATURE_TYPES = ("application/pkcs7-signature", "application/x-pkcs7-signature")
_CONTENT_TYPE = re.compile(rb"(?i)content-type:")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME_BYTES = 120
"""A sanitised name is at most this many UTF-8 bytes (file systems allow 255; the display adds a prefix)."""
_SNIFF_KINDS = {"xlsx": ".xlsx", "xlsm": ".xlsm", "xltx": ".xlsx", "xls": ".xls", "ods": ".ods"}

WORKBOOK, BODY, SKIPPED, ERROR = "workbook", "body", "skipped", "error"


@dataclass(frozen=True)
class MailLimits:
    """What one e-mail may cost."""

    max_bytes: int = 100 * 1024 * 1024
    max_header_chars: int = 16_384
    """The longest header value (folded lines included)."""
    max_parts: int = 500
    max_depth: int = 8
    """Nesting of containers and forwarded mails."""
    memory_bytes: int = 1024 * 1024 * 1024
    timeout_seconds: float = 60.0


@dataclass(frozen=True)
class MailPart:
    """One MIME leaf: what it is, why, and (for a workbook) where it was written."""

    position: str
    """``1``, ``2.1``…: the part's place in the tree."""
    name: str
    """The sanitised file name, or ``phần 2.1 (application/pdf)``."""
    kind: str
    """:data:`WORKBOOK`, :data:`BODY`, :data:`SKIPPED` or :data:`ERROR`."""
    code: str | None = None
    reason_vi: str = ""
    reason_en: str = ""
    file: str | None = None


@dataclass
class MailReading:
    """What :func:`read_mail` found: the sender and date, and every part; or the mail's own error."""

    sender: str | None = None
    date: str | None = None
    stamp: float | None = None
    parts: list[MailPart] = field(default_factory=list)
    code: str | None = None
    reason_vi: str = ""
    reason_en: str = ""


class MailRefused(Exception):
    """The mail as a whole is over a bound or cannot be parsed."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(en)
        self.code, self.vi, self.en = code, vi, en


def sanitize_filename(name: str | None, default_extension: str = ".xlsx") -> str:
    """A safe short base name: no folders, no control or reserved characters, NFC, ≤ MAX_NAME_BYTES bytes."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, default_extension.lstrip(".")
    extension = _fit(extension, 16) or default_extension.lstrip(".")
    stem = _fit(stem, MAX_NAME_BYTES - len(extension.encode()) - 1).strip(" .") or "tep-dinh-kem"
    return f"{stem}.{extension}" if extension else stem


def _fit(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` UTF-8 bytes, at a character boundary."""
    return text.encode("utf-8")[:max(0, max_bytes)].decode("utf-8", "ignore")


def read_mail(path: str | Path, folder: str | Path, limits: MailLimits = MailLimits()) -> MailReading:
    """Parse ``path`` and write its workbooks into ``folder``; never raises for what the mail holds."""
    try:
        raw = _raw(Path(path), limits)
        message = BytesParser(policy=policy.default).parsebytes(raw)
        del raw
        reading = MailReading()
        walker = _Walker(Path(folder), limits)
        walker.check_headers(message)
        reading.sender, reading.date, reading.stamp = _sender_and_date(message)
        walker.walk(message, "1", 0)
        reading.parts = walker.parts
        return reading
    except MailRefused as refusal:
        return MailReading(code=refusal.code, reason_vi=refusal.vi, reason_en=refusal.en)
    except OSError as exc:
        return MailReading(code="file-unreadable", reason_vi=f"không đọc được thư: {exc.strerror or exc}",
                           reason_en=f"the mail cannot be read: {exc.strerror or exc}")
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, AttributeError) as exc:
        return MailReading(code="email-too-complex", reason_vi=f"không phân tích được thư ({type(exc).__name__})",
                           reason_en=f"the mail cannot be parsed ({type(exc).__name__})")


def _raw(path: Path, limits: MailLimits) -> bytes:
    """The mail's bytes, after the checks that need no parsing (size, number of parts)."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        mb = 1024 * 1024
        raise MailRefused("file-too-large", f"thư {size // mb} MB, tối đa {limits.max_bytes // mb} MB",
                          f"the mail is {size // mb} MB, at most {limits.max_bytes // mb} MB")
    raw = path.read_bytes()
    declared = sum(1 for _ in _CONTENT_TYPE.finditer(raw))  # no lower-cased copy of a large mail
    if declared > limits.max_parts:
        raise MailRefused("email-too-complex", f"thư có {declared} phần, tối đa {limits.max_parts}",
                          f"the mail has {declared} parts, at most {limits.max_parts}")
    return raw


class _Walker:
    """Walks one mail's tree, writing workbooks into ``folder`` and recording every leaf."""

    def __init__(self, folder: Path, limits: MailLimits) -> None:
        self.folder, self.limits = folder, limits
        self.parts: list[MailPart] = []
        self.count = 0

    def check_headers(self, part: EmailMessage) -> None:
        for name, value in part.raw_items():
            if len(str(value)) > self.limits.max_header_chars:
                raise MailRefused("email-too-complex",
                                  f"tiêu đề {name[:40]} dài {len(str(value))} ký tự, tối đa "
                                  f"{self.limits.max_header_chars}",
                                  f"header {name[:40]} is {len(str(value))} characters long, at most "
                                  f"{self.limits.max_header_chars}")

    def walk(self, part: EmailMessage, position: str, depth: int) -> None:
        self.count += 1
        if depth > self.limits.max_depth or self.count > self.limits.max_parts:
            raise MailRefused("email-too-complex", f"thư lồng nhau quá sâu hoặc quá nhiều phần (phần {position})",
                              f"the mail is nested too deep or has too many parts (part {position})")
        self.check_headers(part)
        content_type = part.get_content_type()
        if content_type == "message/rfc822" or part.is_multipart():
            self._container(part, position, depth)
        elif content_type in PKCS7_TYPES:
            self._pkcs7(part, position, depth)
        else:
            self.parts.append(self._leaf(part, position))

    def _container(self, part: EmailMessage, position: str, depth: int) -> None:
        children = part.get_payload() if part.is_multipart() else [part.get_payload()]
        signed = part.get_content_type() == "multipart/signed"
        for index, child in enumerate(children, start=1):
            where = f"{position}.{index}"
            if not isinstance(child, EmailMessage):
                self.parts.append(MailPart(where, f"phần {where}", SKIPPED, None, "phần thư không đọc được",
                                           "an unreadable part"))
            elif signed and child.get_content_type() in SIGNATURE_TYPES:
                self.parts.append(MailPart(where, f"phần {where} (chữ ký S/MIME)", BODY, None,
                                           "chữ ký S/MIME của thư", "the mail's S/MIME signature"))
            else:
                self.walk(child, where, depth + 1)

    def _pkcs7(self, part: EmailMessage, position: str, depth: int) -> None:
        content, kind = _signed_content(part.get_payload(decode=True) or b"")
        if content is None:
            vi, en = (("thư mã hóa S/MIME, không mở được nội dung", "an S/MIME encrypted mail: its content "
                       "cannot be opened") if kind == "enveloped_data" else
                      (f"gói S/MIME không có nội dung đọc được ({kind or 'không rõ loại'})",
                       f"an S/MIME package without readable content ({kind or 'unknown type'})"))
            self.parts.append(MailPart(position, f"phần {position} ({part.get_content_type()})", ERROR,
                                       "email-encrypted", vi, en))
            return
        inner = BytesParser(policy=policy.default).parsebytes(content)
        self.walk(inner, f"{position}.1", depth + 1)

    def _leaf(self, part: EmailMessage, position: str) -> MailPart:
        content_type = part.get_content_type()
        raw_name = part.get_filename()
        label = sanitize_filename(raw_name, "") if raw_name else f"phần {position} ({content_type[:60]})"
        extension = Path(raw_name).suffix.lower() if raw_name else MIME_EXTENSIONS.get(content_type, "")
        if raw_name is None and part.get_content_maintype() == "text" \
                and part.get_content_disposition() != "attachment":
            return MailPart(position, label, BODY, None, "nội dung thư", "the mail's text")
        payload = part.get_payload(decode=True) or b""
        if extension not in (*SPREADSHEET_EXTENSIONS, *UNSUPPORTED_EXTENSIONS):
            extension = self._sniffed(payload)
            if extension is None:
                return MailPart(position, label, SKIPPED, None,
                                f"không phải bảng tính ({content_type[:60]})",
                                f"not a spreadsheet ({content_type[:60]})")
        name = sanitize_filename(raw_name, extension)
        if not name.lower().endswith(extension):
            name = sanitize_filename(f"{Path(name).stem}{extension}", extension)
        if _damaged(part) or not payload:
            return MailPart(position, name, ERROR, "attachment-damaged",
                            "mã hóa base64 của tệp đính kèm bị hỏng" if payload else "tệp đính kèm rỗng",
                            "the attachment's base64 encoding is broken" if payload else "the attachment is empty")
        return MailPart(position, name, WORKBOOK, file=str(self._write(name, payload)))

    def _sniffed(self, payload: bytes) -> str | None:
        """The spreadsheet extension of bytes that are a workbook (zip/OLE magic, then sniffed), else None."""
        if not (payload[:4] in ZIP_MAGIC or payload.startswith(OLE_MAGIC)):
            return None
        probe = self._write("nhan-dang.bin", payload)
        try:
            return _SNIFF_KINDS.get(sniff(probe))
        except FileLevelError as error:
            return ".xlsx" if error.code == "file-encrypted" and payload.startswith(OLE_MAGIC) else None
        finally:
            probe.unlink(missing_ok=True)
            probe.parent.rmdir()

    def _write(self, name: str, payload: bytes) -> Path:
        folder = self.folder / f"{len(self.parts) + 1:04d}-{self.count:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        with open(target, "xb") as handle:
            handle.write(payload)
        return target


def _damaged(part: EmailMessage) -> bool:
    """Broken base64 (characters, padding or length defects found while decoding)."""
    return any("Base64" in type(defect).__name__ for defect in part.defects)


def _signed_content(der: bytes) -> tuple[bytes | None, str | None]:
    """(content, CMS type) of an opaque S/MIME blob: the content of *signed-data*; None for an encrypted
    (*enveloped-data*), content-less or unreadable one."""
    from asn1crypto import cms  # heavy: ~30 ms at every start-up, for S/MIME mails only

    kind = None
    try:
        info = cms.ContentInfo.load(der)
        kind = info["content_type"].native
        if kind != "signed_data":
            return None, kind
        content = info["content"]["encap_content_info"]["content"].native
    except (ValueError, TypeError, KeyError):
        return None, kind
    return (content if isinstance(content, bytes) else None), kind


def _sender_and_date(message: EmailMessage) -> tuple[str | None, str | None, float | None]:
    try:
        sender = str(message["From"]) if message["From"] is not None else None
        header = message["Date"]
        when = getattr(header, "datetime", None) if header is not None else None
    except (RecursionError, ValueError, TypeError, IndexError, AttributeError):
        raise MailRefused("email-too-complex", "tiêu đề From/Date của thư không phân tích được",
                          "the mail's From/Date header cannot be parsed") from None
    if when is None:
        return sender, (str(header) if header is not None else None), None
    return sender, when.isoformat(), when.timestamp()
