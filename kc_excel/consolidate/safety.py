"""Writing the plan safely: one writer at a time, all-or-nothing, the previous output kept.

- :func:`output_lock`: a lock file ``PLAN.xlsx.lock`` beside the output
  (``filelock``). A second run aiming at the same output waits up to
  ``timeout`` seconds, then fails with an :class:`~kc_excel.errors.OutputError`
  (exit code 2) saying another run is writing it. The lock file is removed
  when the run ends (while still held, so a waiting run sees the name gone and
  takes a fresh lock: filelock checks that the locked file still has a name).

Inside the lock the plan is written by :func:`kc_excel.outputs.write_atomically`
(a hidden temporary file beside it, renamed into place), after
:func:`kc_excel.outputs.make_way` has kept the previous plan as ``PLAN.xlsx.bak``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from kc_excel.errors import OutputError
from kc_excel.outputs import temp_beside

__all__ = ["LOCK_SUFFIX", "LOCK_TIMEOUT_SECONDS", "lock_path", "output_lock"]

LOCK_TIMEOUT_SECONDS = 10.0
LOCK_SUFFIX = ".lock"


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


@contextmanager
def output_lock(path: str | Path, *, timeout: float = LOCK_TIMEOUT_SECONDS,
                busy: tuple[str, str] | None = None) -> Iterator[None]:
    """Hold ``PATH.lock`` while writing ``path``; another holder → OutputError after ``timeout`` s,
    saying ``busy`` (Vietnamese, English) or, by default, that another consolidation writes ``path``."""
    path = Path(path)
    os.remove(temp_beside(path))  # an unwritable folder is said as such (filelock would wait, then blame a lock)
    try:
        lock = FileLock(str(lock_path(path)), timeout=timeout)
        lock.acquire()
    except Timeout:
        vi, en = busy or (f"Tệp {path} đang được một lần tổng hợp khác ghi (khóa {lock_path(path).name}). "
                          f"Đợi lần chạy đó xong rồi chạy lại, hoặc chọn tệp kết quả khác.",
                          f"{path} is being written by another consolidation run; wait for it or choose "
                          f"another output.")
        raise OutputError(vi, path=path, message_en=en) from None
    except OSError as error:
        raise OutputError(f"Không tạo được tệp khóa trong thư mục {path.parent}: {error.strerror or error}",
                          path=path, message_en=f"Cannot create the lock file in {path.parent}: {error}") from error
    try:
        yield
    finally:
        _remove_while_held(lock_path(path))
        lock.release()


def _remove_while_held(path: Path) -> None:
    """No ``.lock`` left beside the output after a run (Windows: filelock removes it itself on release)."""
    if os.name == "nt":
        return
    with suppress(OSError):
        path.unlink()
