"""All-or-nothing output files: the one way kc-excel writes a file a user will open.

:func:`write_atomically` calls ``write(temp)`` on a hidden temporary file in
the target's own folder (``.~kc-NAME.XXXX.tmp``, so the final rename never
crosses file systems), flushes it to disk, and renames the temporary file onto
the target with ``os.replace``. A run killed at any moment leaves the old file or the complete
new one; a leftover hidden ``.tmp`` is ignored by intake and by the next run.
The new file gets the ordinary permissions of the user's umask (``mkstemp``
alone would make it owner-only).

Failures (read-only folder, disk full, file open in Excel) become an
:class:`~kc_excel.errors.OutputError` with a Vietnamese message, and the
temporary file is removed.

:func:`make_way` is the one rule every command that writes a workbook applies
to its target before writing (``consolidate``, ``validate --annotate``,
``attainment -o``, ``template … -o``): a target that exists is replaced only
when it is the command's own earlier output (its ``_kc.loai_bieu`` is one of
the command's kinds, read under the reader's limits), and then the previous
file is kept as ``NAME.bak``; anything else (a contact book, a plan, a filled
submission given to another command, a folder, an unreadable file) is refused
with an :class:`~kc_excel.errors.OutputError` (exit code 2).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from python_calamine import CalamineWorkbook

from kc_excel.errors import OutputError
from kc_excel.workbook.layout import META_SHEET, Kind, Meta
from kc_excel.workbook.reader import read_workbook
from kc_excel.workbook.trusted import read_trusted

TEMP_PREFIX = ".~kc-"
BACKUP_SUFFIX = ".bak"
NAME_CHARS_IN_TEMP = 60
"""At most this much of the target's name goes into the temp name (a 250-byte Vietnamese name must fit)."""


def make_way(path: str | Path, kinds: tuple[str, ...], *, sheet: str | None = None, blank: bool = False) -> None:
    """Before writing ``path``: nothing there, or our own earlier output of ``kinds`` (kept as ``.bak``);
    anything else raises OutputError. ``sheet``: a sheet our output always has (the annotated copy's ``Lỗi``).
    ``blank``: our output is a blank form, so a file of the same kind with data typed in is the user's work.
    An existing ``.bak`` is replaced only when it passes the same test; otherwise the run is refused."""
    path = Path(path)
    if not os.path.lexists(path):
        return
    vi, en = Kind.NAMES.get(kinds[0], (kinds[0], kinds[0])) if kinds else ("", "")
    verdict = _verdict(path, kinds, sheet, blank)
    if verdict == "filled":
        raise OutputError(f"Tệp {path} là {vi} đã có số liệu; không ghi đè bằng biểu mẫu trống. "
                          f"Chọn tên tệp kết quả khác.", path=path,
                          message_en=f"{path} is a {en} with data typed in; not overwritten with a blank form. "
                                     f"Choose another output name.")
    if verdict is not None:
        raise OutputError(f"Tệp {path} đã có và không phải {vi} do kc-excel ghi trước đây; không ghi đè. "
                          f"Chọn tên tệp kết quả khác.", path=path,
                          message_en=f"{path} exists and is not a {en} written by kc-excel; not overwritten. "
                                     f"Choose another output name.")
    _keep_previous(path, kinds, sheet, blank)


def _verdict(path: Path, kinds: tuple[str, ...], sheet: str | None, blank: bool) -> str | None:
    """None when ``path`` is our own earlier output; "filled" for a blank form with data typed in; else "other"."""
    kind, sheets = _kind_of(path) if path.is_file() else (None, [])
    if kind not in kinds or (sheet is not None and sheet not in sheets):
        return "other"
    return "filled" if blank and _has_data(path, kind) else None


def _keep_previous(path: Path, kinds: tuple[str, ...], sheet: str | None, blank: bool) -> None:
    """Copy ``path`` to ``.bak``; an existing ``.bak`` that is not our own earlier output is never replaced."""
    backup = backup_path(path)
    if os.path.lexists(backup) and _verdict(backup, kinds, sheet, blank) is not None:
        raise OutputError(f"Đã có tệp {backup} (bản lưu trước đây hoặc tệp của người dùng); không ghi đè. "
                          f"Chuyển tệp đó đi nơi khác, hoặc chọn tên tệp kết quả khác.", path=backup,
                          message_en=f"{backup} exists (an earlier backup or a user's file); not overwritten. "
                                     f"Move it away or choose another output name.")
    try:
        _backup(path)
    except OSError as error:
        raise OutputError(f"Không ghi được bản cũ {backup.name} (thư mục chỉ đọc hoặc đầy?); "
                          f"tệp {path.name} giữ nguyên.", path=path,
                          message_en=f"Cannot keep the previous file as {backup.name} "
                                     f"(read-only or full folder?): {error}; {path.name} is unchanged.") from error


def _has_data(path: Path, kind: str) -> bool:
    """True when a form of ``kind`` has data typed in (or cannot be read: then it may have), under the reader's limits."""
    try:
        if kind == Kind.PROFILE:
            from kc_excel.workbook.profile import typed_in  # cycle: profile writes through write_atomically

            return bool(read_trusted(typed_in, path))
        tables = read_workbook(path).tables.values()
    except Exception:  # noqa: BLE001 - not provably blank: the user's work
        return True
    return any(table.records or table.unaccounted for table in tables)


def make_way_for_pdf(path: str | Path) -> None:
    """Before writing a PDF at ``path``: nothing there, or an existing PDF (``%PDF``); anything else is refused."""
    path = Path(path)
    if not os.path.lexists(path):
        return
    try:
        with open(path, "rb") as handle:
            is_pdf = path.is_file() and handle.read(4) == b"%PDF"
    except OSError:
        is_pdf = False
    if not is_pdf:
        raise OutputError(f"Tệp {path} đã có và không phải tệp PDF; không ghi đè. Chọn tên tệp PDF khác.",
                          path=path, message_en=f"{path} exists and is not a PDF; not overwritten. "
                                                f"Choose another PDF name.")


def _kind_of(path: Path) -> tuple[str | None, list[str]]:
    """(``_kc.loai_bieu``, sheet names) of an existing file, read under the reader's limits; (None, []) if unreadable."""
    try:
        return read_trusted(_read_kind, path)
    except Exception:  # noqa: BLE001 - whatever it is, it is not our output
        return None, []


def _read_kind(path: Path) -> tuple[str | None, list[str]]:
    book = CalamineWorkbook.from_path(str(path))
    names = list(book.sheet_names)
    if META_SHEET not in names:
        return None, names
    rows = book.get_sheet_by_name(META_SHEET).to_python()
    kind = next((str(r[1]) for r in rows if len(r) > 1 and r[0] == Meta.KIND), None)
    return kind, names


def backup_path(path: Path) -> Path:
    """``PLAN.xlsx`` → ``PLAN.xlsx.bak``."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temp_path)``, then put the result at ``path`` in one rename; return ``path``.

    The one atomic writer of every output (workbooks, PDFs, e-mail drafts, the add-in); the previous
    output is kept as ``.bak`` by :func:`make_way`, before, where the command decides it may be replaced."""
    path = Path(path)
    temp = temp_beside(path)
    try:
        write(temp)
        _finish(temp)
        os.replace(temp, path)
    except OSError as error:
        _remove(temp)
        raise OutputError(f"Không ghi được tệp {path} (tệp đang mở trong Excel, hoặc thư mục chỉ đọc/đầy?).",
                          path=path,
                          message_en=f"Cannot write {path} (open in Excel, read-only or full disk?): {error}") from error
    except BaseException:
        _remove(temp)
        raise
    return path


def temp_beside(path: Path) -> Path:
    """A new hidden temporary file in ``path``'s folder (created, empty)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name[:NAME_CHARS_IN_TEMP]}.", suffix=".tmp",
                                        dir=path.parent)
        os.close(handle)
    except OSError as error:
        raise unwritable_folder(path, error) from error
    return Path(name)


def unwritable_folder(path: Path, error: OSError) -> OutputError:
    """The output folder of ``path`` cannot be written: said in Vietnamese, not the system's English errno text."""
    reason = ("đĩa đầy" if error.errno == errno.ENOSPC
              else "thư mục không có, chỉ đọc hoặc không có quyền ghi")
    return OutputError(f"Không ghi được vào thư mục {path.parent} ({reason}). Chọn thư mục khác cho tệp {path.name}.",
                       path=path, message_en=f"Cannot write to folder {path.parent}: {error}")


def _finish(temp: Path) -> None:
    """Flush to disk and give the file the permissions of the user's umask."""
    with open(temp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.chmod(temp, 0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _backup(path: Path) -> None:
    """Copy the current output to ``.bak`` via a temp copy + rename (the output itself stays in place)."""
    target = backup_path(path)
    temp = temp_beside(target)
    try:
        shutil.copy2(path, temp)
        os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise


def _remove(path: Path) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
