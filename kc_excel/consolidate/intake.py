"""Intake: every entry of a folder and every part of every saved e-mail, each accounted for.

:meth:`Intake.collect` returns the :class:`Candidate` files to read, and
records in :attr:`Intake.skipped` every other entry with its reason, so that
nothing a unit sent disappears without a word:

- ``.xlsx``, ``.xlsm``, ``.xls`` and ``.ods`` files, sorted by path, are read;
- ``.eml`` e-mails (saved from Outlook/Thunderbird/webmail) are read by
  :mod:`~kc_excel.consolidate.mailparts` in a child process under limits
  (:mod:`~kc_excel.consolidate.mailchild`): each workbook part, at any depth
  (forwarded mails, single-part mails, unnamed parts recognised by content,
  S/MIME-signed mails), is extracted under a safe short name into a private
  temporary folder owned by the :class:`Intake` (removed when it closes; the
  folders of killed runs are removed by the next run, :func:`sweep_stale`), and
  keeps the sender (``From``) and date of the mail for the provenance;
- taken in to be *refused by name* (``file-unsupported-format``): workbooks in
  a format we do not read (``.xlsb``, ``.csv``, ``.fods``…) and archives;
- refused with a file-level error (a :class:`Candidate` with ``error``, shown
  as ``Không đọc được``): a folder, FIFO, device or dangling link named like a
  spreadsheet or mail (``input-not-a-file``), an e-mail over its bounds
  (``file-too-large``, ``email-too-complex``), a damaged or encrypted part;
- :class:`Skipped` (warning ``input-skipped`` in ``Lỗi``): lock and temporary
  files, hidden files, subfolders (without ``recursive``), links to folders,
  other files (PDF letters…), and e-mail parts that are not workbooks; a
  mail's own text and S/MIME signature, and this run's own output (with its
  ``.bak`` and ``.lock``), are counted in the inventory but not shown.

Inputs are only read.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import psutil

from kc_excel.consolidate.mailchild import read_mail_isolated
from kc_excel.consolidate.mailparts import (BODY, ERROR, MIME_EXTENSIONS, SPREADSHEET_EXTENSIONS,
                                            UNSUPPORTED_EXTENSIONS, WORKBOOK, MailLimits, MailReading,
                                            sanitize_filename)

__all__ = ["Candidate", "EMAIL_EXTENSION", "Intake", "MAX_EMAIL_BYTES", "SPREADSHEET_EXTENSIONS", "Skipped",
           "TEMP_PREFIX", "UNSUPPORTED_EXTENSIONS", "is_ignored", "sanitize_filename", "scan", "sweep_stale"]

EMAIL_EXTENSION = ".eml"
MAX_EMAIL_BYTES = 100 * 1024 * 1024
"""A saved e-mail above this size is refused before parsing (as large as the reader's file limit)."""
_MIME_EXTENSIONS = MIME_EXTENSIONS
TEMP_PREFIX = "kc-eml-"
STALE_AFTER_SECONDS = 3600.0
"""A temporary folder whose owner cannot be told (older naming) is removed after this long."""
_WANTED = (*SPREADSHEET_EXTENSIONS, *UNSUPPORTED_EXTENSIONS, EMAIL_EXTENSION)


@dataclass(frozen=True)
class Candidate:
    """One spreadsheet to read: where it is on disk and how outputs name it."""

    path: Path
    display: str
    mtime: float
    email_from: str | None = None
    email_date: str | None = None
    error: str | None = None
    """A file-level code when the input itself cannot be read (an unreadable .eml, a FIFO named .xlsx)."""
    detail_vi: str = ""
    detail_en: str = ""
    """Why, for ``error``."""


@dataclass(frozen=True)
class Skipped:
    """An entry or e-mail part that is not a submission, with the reason."""

    display: str
    reason_vi: str
    reason_en: str
    shown: bool = True
    """False for an e-mail's own text and signature: counted in the inventory, not an issue."""


def is_ignored(name: str) -> bool:
    """Lock files, temporary files and hidden files never count as submissions."""
    lower = name.lower()
    return (name.startswith(("~$", ".", "~")) or lower.endswith((".tmp", "#", ".bak", ".lock"))
            or lower.startswith(".~lock."))


def _hidden_attribute(info: os.stat_result) -> bool:
    return bool(getattr(info, "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def scan(folder: str | Path, *, recursive: bool = False, exclude: Iterable[Path] = ()) -> list[Path]:
    """Spreadsheet and .eml files of ``folder`` (and subfolders with ``recursive``), sorted."""
    folder = Path(folder)
    excluded = {Path(p).absolute() for p in exclude} | {Path(p).resolve() for p in exclude}
    return [path for path, verdict in _survey(folder, recursive, excluded) if verdict is None]


def _survey(folder: Path, recursive: bool, excluded: set[Path]) -> list[tuple[Path, tuple | None]]:
    """Every entry with its verdict: None (read it), ("refuse", vi, en) or ("skip", vi, en); sorted."""
    found = list(_walk(folder, recursive, excluded))
    return sorted(found, key=lambda item: str(item[0].relative_to(folder)).casefold())


def _walk(folder: Path, recursive: bool, excluded: set[Path]) -> Iterator[tuple[Path, tuple | None]]:
    for entry in sorted(folder.iterdir()):
        verdict = _verdict(entry, recursive, excluded)
        if verdict == "descend":
            yield from _walk(entry, recursive, excluded)
        else:
            yield entry, verdict


def _verdict(entry: Path, recursive: bool, excluded: set[Path]) -> tuple | str | None:
    named = entry.suffix.lower() in _WANTED
    if entry.absolute() in excluded or _resolved(entry) in excluded:
        return ("own", "tệp kết quả (hoặc bản sao lưu, tệp khóa) của chính lần tổng hợp này",
                "this run's own output (or its backup or lock)")
    if is_ignored(entry.name):
        return ("skip", "tệp khóa, tệp tạm hoặc tệp ẩn", "a lock, temporary or hidden file")
    link = entry.is_symlink()
    try:
        info = entry.stat()
    except OSError:
        return ("refuse" if named else "skip", "liên kết hỏng (không trỏ tới tệp nào)", "a dangling link")
    if stat.S_ISDIR(info.st_mode):
        if named:
            return ("refuse", "là thư mục, không phải tệp", "a folder, not a file")
        if link:
            return ("skip", "liên kết tới thư mục: không đọc", "a link to a folder: not followed")
        if recursive and not _hidden_attribute(info):
            return "descend"
        return ("skip", "thư mục con (dùng --recursive để đọc cả thư mục con)", "a subfolder (use --recursive)")
    if not stat.S_ISREG(info.st_mode):
        return ("refuse" if named else "skip", "không phải tệp thường (FIFO, thiết bị…)",
                "not a regular file (FIFO, device…)")
    if _hidden_attribute(info):
        return ("skip", "tệp ẩn", "a hidden file")
    if not named:
        kind = entry.suffix.lower() or "không có đuôi"
        return ("skip", f"không phải bảng tính hay thư điện tử ({kind})", f"not a spreadsheet or e-mail ({kind})")
    return None


def _resolved(entry: Path) -> Path | None:
    try:
        return entry.resolve()
    except (OSError, RuntimeError):  # a link loop
        return None


def sweep_stale(folder: str | Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove ``kc-eml-*`` folders left by killed runs (their process is gone); return what was removed."""
    base = Path(folder or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(base.glob(f"{TEMP_PREFIX}*"))
    except OSError:
        return removed
    for entry in entries:
        try:
            info = entry.lstat()
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or getattr(os, "getuid", lambda: info.st_uid)() != info.st_uid:
            continue
        if _abandoned(entry.name[len(TEMP_PREFIX):], info.st_mtime, now):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _abandoned(tail: str, mtime: float, now: float) -> bool:
    pid, dash, _rest = tail.partition("-")  # mkdtemp's random part never holds "-": "PID-xxxx" is ours
    if dash and pid.isdigit():
        return int(pid) != os.getpid() and not psutil.pid_exists(int(pid))
    return now - mtime > STALE_AFTER_SECONDS


@dataclass
class Intake:
    """Collects candidates and skipped entries; owns the temporary folder of extracted attachments."""

    folder: Path
    recursive: bool = False
    exclude: tuple[Path, ...] = ()
    skipped: list[Skipped] = field(default_factory=list, init=False)
    """Filled by :meth:`collect`: everything that is not a candidate, with its reason."""
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
        self.folder = Path(self.folder)
        excluded = {Path(p).absolute() for p in self.exclude} | {Path(p).resolve() for p in self.exclude}
        candidates: list[Candidate] = []
        self.skipped = []
        sweep_stale()
        for path, verdict in _survey(self.folder, self.recursive, excluded):
            display = path.relative_to(self.folder).as_posix()
            if verdict is not None:
                self._account(path, display, verdict, candidates)
            else:
                candidates.extend(self.entry(path, display))
        return candidates

    def entry(self, path: Path, display: str) -> list[Candidate]:
        """The candidates of one regular file (a spreadsheet, or each part of an .eml): what
        :meth:`collect` does per folder entry, for callers given single files (``round receive``).
        Parts of a mail that are not workbooks go to :attr:`skipped`."""
        if path.suffix.lower() == EMAIL_EXTENSION:
            return self._from_email(path, display)
        return [Candidate(path, display, path.stat().st_mtime)]

    def _account(self, path: Path, display: str, verdict: tuple, candidates: list[Candidate]) -> None:
        action, vi, en = verdict
        if action == "refuse":
            candidates.append(Candidate(path, display, 0.0, error="input-not-a-file", detail_vi=vi, detail_en=en))
        else:
            self.skipped.append(Skipped(display, vi, en, shown=action != "own"))

    def _from_email(self, path: Path, display: str) -> list[Candidate]:
        mtime = path.stat().st_mtime
        if path.stat().st_size > MAX_EMAIL_BYTES:  # refused before any process starts
            return [Candidate(path, display, mtime, error="file-too-large",
                              detail_vi=f"thư lớn hơn {MAX_EMAIL_BYTES // 2**20} MB",
                              detail_en=f"the mail is larger than {MAX_EMAIL_BYTES // 2**20} MB")]
        reading = read_mail_isolated(path, self._new_folder(), MailLimits(max_bytes=MAX_EMAIL_BYTES))
        if reading.code is not None:
            return [Candidate(path, display, mtime, error=reading.code, detail_vi=reading.reason_vi,
                              detail_en=reading.reason_en)]
        return self._parts(path, display, reading, reading.stamp if reading.stamp is not None else mtime)

    def _parts(self, path: Path, display: str, reading: MailReading, mtime: float) -> list[Candidate]:
        found = []
        for part in reading.parts:
            where = f"{display}/{part.name}"
            if part.kind == WORKBOOK:
                found.append(Candidate(Path(part.file or ""), where, mtime, reading.sender, reading.date))
            elif part.kind == ERROR:
                found.append(Candidate(path, where, mtime, reading.sender, reading.date, error=part.code,
                                       detail_vi=part.reason_vi, detail_en=part.reason_en))
            else:
                self.skipped.append(Skipped(where, part.reason_vi, part.reason_en, shown=part.kind != BODY))
        return found

    def _new_folder(self) -> Path:
        if self._temp is None:
            self._temp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
            os.chmod(self._temp, 0o700)
        self._count += 1
        folder = self._temp / f"{self._count:04d}"
        folder.mkdir()
        return folder
