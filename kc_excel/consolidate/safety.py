"""Writing the plan safely: one writer at a time, all-or-nothing, the previous output kept.

- :func:`output_lock`: a lock file ``PLAN.xlsx.lock`` beside the output
  (``filelock``). A second run aiming at the same output waits up to
  ``timeout`` seconds, then fails with an :class:`~kc_excel.errors.OutputError`
  (exit code 2) saying another run is writing it.
- :func:`write_atomically`: the workbook is written to a hidden temporary file
  in the output's folder (``.~kc-PLAN.xlsx.XXXX.tmp``), flushed to disk, the
  existing output copied to ``PLAN.xlsx.bak`` (itself replaced atomically),
  and only then the temporary file is renamed onto ``PLAN.xlsx`` with
  ``os.replace``. A run killed at any moment leaves the old output or the
  complete new one (plus, at worst, a hidden ``.tmp`` that intake ignores).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

from kc_excel.errors import OutputError

LOCK_TIMEOUT_SECONDS = 10.0
BACKUP_SUFFIX = ".bak"
LOCK_SUFFIX = ".lock"
TEMP_PREFIX = ".~kc-"


def backup_path(path: Path) -> Path:
    """``PLAN.xlsx`` → ``PLAN.xlsx.bak``."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


@contextmanager
def output_lock(path: str | Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold ``PATH.lock`` while writing ``path``; another holder → OutputError after ``timeout`` s."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(lock_path(path)), timeout=timeout)
        lock.acquire()
    except Timeout:
        raise OutputError(
            f"Tệp {path} đang được một lần tổng hợp khác ghi (khóa {lock_path(path).name}). "
            f"Đợi lần chạy đó xong rồi chạy lại, hoặc chọn tệp kết quả khác.",
            path=path,
            message_en=f"{path} is being written by another consolidation run; wait for it or choose another output.",
        ) from None
    except OSError as error:
        raise OutputError(f"Không tạo được tệp khóa trong thư mục {path.parent}: {error.strerror or error}",
                          path=path, message_en=f"Cannot create the lock file in {path.parent}: {error}") from error
    try:
        yield
    finally:
        lock.release()


def write_atomically(path: str | Path, write: Callable[[Path], None], *, keep_backup: bool = True) -> Path:
    """Call ``write(temp_path)``, then put the result at ``path`` in one rename (old one kept as .bak)."""
    path = Path(path)
    temp = _temp_beside(path)
    try:
        write(temp)
        _fsync(temp)
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


def _temp_beside(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # At most 60 characters of the name: a 250-byte Vietnamese name + prefix/suffix must stay < 255 bytes.
        handle, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name[:60]}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
    except OSError as error:
        raise OutputError(f"Không ghi được vào thư mục {path.parent}: {error.strerror or error}",
                          path=path, message_en=f"Cannot write to folder {path.parent}: {error}") from error
    return Path(name)


def _backup(path: Path) -> None:
    """Copy the current output to ``.bak`` via a temp copy + rename (the output itself stays in place)."""
    target = backup_path(path)
    temp = _temp_beside(target)
    try:
        shutil.copy2(path, temp)
        os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _remove(path: Path) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
