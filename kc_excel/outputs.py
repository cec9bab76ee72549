"""All-or-nothing output files: the one way kc-excel writes a file a user will open.

:func:`write_atomically` calls ``write(temp)`` on a hidden temporary file in
the target's own folder (``.~kc-NAME.XXXX.tmp``, so the final rename never
crosses file systems), flushes it to disk, optionally keeps the previous
output as ``NAME.bak``, and renames the temporary file onto the target with
``os.replace``. A run killed at any moment leaves the old file or the complete
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

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from kc_excel.errors import OutputError
from kc_excel.workbook.layout import Kind

TEMP_PREFIX = ".~kc-"
BACKUP_SUFFIX = ".bak"
NAME_CHARS_IN_TEMP = 60
"""At most this much of the target's name goes into the temp name (a 250-byte Vietnamese name must fit)."""


def make_way(path: str | Path, kinds: tuple[str, ...], *, sheet: str | None = None) -> None:
    """Before writing ``path``: nothing there, or our own earlier output of ``kinds`` (kept as ``.bak``);
    anything else raises OutputError. ``sheet``: a sheet our output always has (the annotated copy's ``Lỗi``)."""
    path = Path(path)
    if not os.path.lexists(path):
        return
    kind, sheets = _kind_of(path) if path.is_file() else (None, [])
    if kind in kinds and (sheet is None or sheet in sheets):
        try:
            _backup(path)
        except OSError as error:
            raise OutputError(f"Không ghi được bản cũ {backup_path(path).name} (thư mục chỉ đọc hoặc đầy?): "
                              f"{error.strerror or error}; tệp {path.name} giữ nguyên.", path=path,
                              message_en=f"Cannot keep the previous file as {backup_path(path).name} "
                                         f"(read-only or full folder?): {error}; {path.name} is unchanged.") from error
        return
    vi, en = Kind.NAMES.get(kinds[0], (kinds[0], kinds[0])) if kinds else ("", "")
    raise OutputError(f"Tệp {path} đã có và không phải {vi} do kc-excel ghi trước đây; không ghi đè. "
                      f"Chọn tên tệp kết quả khác.", path=path,
                      message_en=f"{path} exists and is not a {en} written by kc-excel; not overwritten. "
                                 f"Choose another output name.")


def _kind_of(path: Path) -> tuple[str | None, list[str]]:
    """(``_kc.loai_bieu``, sheet names) of an existing file, read under the reader's limits; (None, []) if unreadable."""
    from kc_excel.workbook.trusted import read_trusted

    try:
        return read_trusted(_read_kind, path)
    except Exception:  # noqa: BLE001 - whatever it is, it is not our output
        return None, []


def _read_kind(path: Path) -> tuple[str | None, list[str]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    names = list(book.sheet_names)
    if "_kc" not in names:
        return None, names
    rows = book.get_sheet_by_name("_kc").to_python()
    kind = next((str(r[1]) for r in rows if len(r) > 1 and r[0] == "loai_bieu"), None)
    return kind, names


def backup_path(path: Path) -> Path:
    """``PLAN.xlsx`` → ``PLAN.xlsx.bak``."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def write_atomically(path: str | Path, write: Callable[[Path], object], *, keep_backup: bool = False) -> Path:
    """Call ``write(temp_path)``, then put the result at ``path`` in one rename; return ``path``."""
    path = Path(path)
    temp = temp_beside(path)
    try:
        write(temp)
        _finish(temp)
        if keep_backup and path.exists():
            _backup(path)
        os.replace(temp, path)
    except OSError as error:
        _remove(temp)
        raise OutputError(f"Không ghi được tệp {path} (tệp đang mở trong Excel, hoặc thư mục chỉ đọc/đầy?): "
                          f"{error.strerror or error}", path=path,
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
        raise OutputError(f"Không ghi được vào thư mục {path.parent}: {error.strerror or error}",
                          path=path, message_en=f"Cannot write to folder {path.parent}: {error}") from error
    return Path(name)


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
