"""Intake: the spreadsheets of a folder as staff keep it, and those attached to saved e-mails.

:func:`collect` lists the files to consolidate:

- ``.xlsx``, ``.xlsm``, ``.xls`` and ``.ods`` files, sorted by path;
- ``.eml`` e-mails (saved from Outlook/Thunderbird/webmail): each spreadsheet
  attachment is extracted, under a sanitised name, into a private temporary
  folder owned by the :class:`Intake` (removed when it closes), and keeps the
  sender (``From``) and date of the mail for the provenance; a forwarded mail
  attached inside a mail is opened too;
- ignored: Excel lock files (``~$Book.xlsx``), LibreOffice locks
  (``.~lock.Book.xlsx#``), temporary files (``*.tmp``, ``~*.tmp``), hidden
  files and folders (dot names, or the Windows hidden attribute), our own
  output, its ``.bak``/``.lock``, and any other extension (PDF letters, …);
- taken in to be *refused by name* (``file-unsupported-format``, so the unit
  is told instead of silently showing ``Chưa nộp``): workbooks in a format we
  do not read (``.xlsb``, ``.csv``, ``.fods``, ``.numbers``…) and archives
  (``.zip``, ``.rar``, ``.7z``) that a unit may have sent instead of the file;
- an ``.eml`` larger than :data:`MAX_EMAIL_BYTES` is refused (``file-too-large``)
  without being parsed.

Subfolders are read only with ``recursive=True``. Inputs are only read.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Iterable, Iterator

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
UNSUPPORTED_EXTENSIONS = (".xlsb", ".xltx", ".xltm", ".xlt", ".csv", ".fods", ".numbers", ".et",
                          ".zip", ".rar", ".7z")
"""Files a unit may send instead of its registration: read by the reader, which refuses them by name."""
EMAIL_EXTENSION = ".eml"
MAX_EMAIL_BYTES = 100 * 1024 * 1024
"""A saved e-mail above this size is refused before parsing (as large as the reader's file limit)."""
_MIME_EXTENSIONS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_MAX_NAME = 120
_MAX_NESTED_MAILS = 3


@dataclass(frozen=True)
class Candidate:
    """One spreadsheet to read: where it is on disk and how outputs name it."""

    path: Path
    display: str
    mtime: float
    email_from: str | None = None
    email_date: str | None = None
    error: str | None = None
    """A file-level code when the carrier itself cannot be read (an unreadable .eml)."""


def is_ignored(name: str) -> bool:
    """Lock files, temporary files and hidden files never count as submissions."""
    lower = name.lower()
    return (name.startswith(("~$", ".", "~")) or lower.endswith((".tmp", "#", ".bak", ".lock"))
            or lower.startswith(".~lock."))


def _hidden(path: Path) -> bool:
    if path.name.startswith("."):
        return True
    attributes = getattr(path.stat(), "st_file_attributes", 0)
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def scan(folder: str | Path, *, recursive: bool = False, exclude: Iterable[Path] = ()) -> list[Path]:
    """Spreadsheet and .eml files of ``folder`` (and subfolders with ``recursive``), sorted."""
    folder = Path(folder)
    excluded = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for entry in _walk(folder, recursive):
        wanted = (*SPREADSHEET_EXTENSIONS, *UNSUPPORTED_EXTENSIONS, EMAIL_EXTENSION)
        if is_ignored(entry.name) or entry.suffix.lower() not in wanted:
            continue
        if entry.resolve() in excluded or _hidden(entry):
            continue
        found.append(entry)
    return sorted(found, key=lambda p: str(p.relative_to(folder)).casefold())


def _walk(folder: Path, recursive: bool) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            if recursive and not entry.name.startswith(".") and not entry.is_symlink():
                yield from _walk(entry, recursive)
        elif entry.is_file():
            yield entry


def sanitize_filename(name: str | None, default_extension: str = ".xlsx") -> str:
    """A safe base name for an attachment: no folders, no control or reserved characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, default_extension.lstrip(".")
    stem = stem[: _MAX_NAME - len(extension) - 1].strip(" .") or "tep-dinh-kem"
    return f"{stem}.{extension}"


@dataclass
class Intake:
    """Collects candidates; owns the temporary folder of extracted attachments (use as a context manager)."""

    folder: Path
    recursive: bool = False
    exclude: tuple[Path, ...] = ()
    _temp: Path | None = field(default=None, init=False)
    _count: int = field(default=0, init=False)

    def __enter__(self) -> Intake:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def collect(self) -> list[Candidate]:
        candidates: list[Candidate] = []
        for path in scan(self.folder, recursive=self.recursive, exclude=self.exclude):
            candidates.extend(self.entry(path, path.relative_to(self.folder).as_posix()))
        return candidates

    def entry(self, path: Path, display: str) -> list[Candidate]:
        """The candidates of one file already chosen (a spreadsheet, or each attachment of an .eml):
        what :meth:`collect` does per folder entry, for callers given single files (``round receive``)."""
        if path.suffix.lower() == EMAIL_EXTENSION:
            return self._from_email(path, display)
        return [Candidate(path, display, path.stat().st_mtime)]

    def _from_email(self, path: Path, display: str) -> list[Candidate]:
        if path.stat().st_size > MAX_EMAIL_BYTES:
            return [Candidate(path, display, path.stat().st_mtime, error="file-too-large")]
        try:
            with open(path, "rb") as handle:
                message = BytesParser(policy=policy.default).parse(handle)
        except (OSError, ValueError, UnicodeError):
            return [Candidate(path, display, 0.0, error="file-unreadable")]
        sender, date, stamp = _sender_and_date(message)
        mtime = stamp if stamp is not None else path.stat().st_mtime
        found = []
        for name, payload in _attachments(message, 0):
            target = self._extract(name, payload)
            found.append(Candidate(target, f"{display}/{target.name}", mtime, sender, date))
        return found

    def _extract(self, name: str, payload: bytes) -> Path:
        if self._temp is None:
            self._temp = Path(tempfile.mkdtemp(prefix="kc-eml-"))
            os.chmod(self._temp, 0o700)
        self._count += 1
        folder = self._temp / f"{self._count:04d}"
        folder.mkdir()
        target = folder / name
        with open(target, "xb") as handle:
            handle.write(payload)
        return target


def _sender_and_date(message: EmailMessage) -> tuple[str | None, str | None, float | None]:
    sender = str(message["From"]) if message["From"] is not None else None
    header = message["Date"]
    when = getattr(header, "datetime", None) if header is not None else None
    if when is None:
        return sender, (str(header) if header is not None else None), None
    return sender, when.isoformat(), when.timestamp()


def _attachments(message: EmailMessage, depth: int) -> Iterator[tuple[str, bytes]]:
    """(sanitised name, bytes) of each spreadsheet attachment, forwarded mails included."""
    for part in message.iter_attachments():
        content_type = part.get_content_type()
        if content_type == "message/rfc822" and depth < _MAX_NESTED_MAILS:
            inner = part.get_payload(0) if part.is_multipart() else None
            if isinstance(inner, EmailMessage):
                yield from _attachments(inner, depth + 1)
            continue
        raw_name = part.get_filename()
        extension = Path(raw_name).suffix.lower() if raw_name else _MIME_EXTENSIONS.get(content_type, "")
        if extension not in SPREADSHEET_EXTENSIONS:
            continue
        payload = part.get_payload(decode=True)
        if payload:
            yield sanitize_filename(raw_name, extension), payload
