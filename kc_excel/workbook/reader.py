"""Reading khuyến công workbooks safely: the public entry points.

    read_workbook(path, *, limits=ReadLimits()) -> WorkbookData
    read_many(paths, *, workers=2, limits=ReadLimits()) -> iterator of (path, WorkbookData | FileLevelError)

Both parse in child processes with memory, CPU and wall-clock limits
(:mod:`kc_excel.workbook.sandbox`), so a hostile or broken file costs a
bounded amount and never takes the caller down. What is checked and found is
described in :mod:`kc_excel.workbook.sniff` (file level),
:mod:`kc_excel.workbook.tables` (locating tables, records) and
:mod:`kc_excel.workbook.parse` (values, fonts, formulas, reading-time issues).

``read_workbook`` raises :class:`~kc_excel.errors.FileLevelError` with one of
the file-level codes: file-unreadable, file-encrypted, file-corrupt,
file-unsupported-format, file-too-large, file-ambiguous, not-a-kc-workbook.
``read_many`` yields such an error as the outcome of that file and goes on.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from kc_excel.errors import FileLevelError
from kc_excel.workbook.data import WorkbookData
from kc_excel.workbook.limits import ReadLimits
from kc_excel.workbook.sandbox import Sandbox

__all__ = ["ReadLimits", "read_many", "read_workbook"]

_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def _shared_sandbox() -> Sandbox:
    """One reader process kept for successive ``read_workbook`` calls (closed at exit)."""
    global _shared
    if _shared is None:
        _shared = Sandbox(1)
        atexit.register(_shared.close)
    return _shared


def read_workbook(path: str | Path, *, limits: ReadLimits = ReadLimits()) -> WorkbookData:
    """Read one workbook in a sandboxed child; FileLevelError when it cannot be used."""
    with _shared_lock:
        sandbox = _shared_sandbox()
        if sandbox.memory_bytes != limits.memory_bytes:
            outcome = next(iter(read_many([path], workers=1, limits=limits)))[1]
        else:
            outcome = next(iter(sandbox.run([path], limits)))[1]
    if isinstance(outcome, FileLevelError):
        raise outcome
    return outcome


def read_many(paths: Iterable[str | Path], *, workers: int = 2, limits: ReadLimits = ReadLimits(),
              task: Any = None, extras: Sequence[Any] | None = None, sandbox: Sandbox | None = None,
              ) -> Iterator[tuple[str | Path, WorkbookData | FileLevelError | Any]]:
    """Read many workbooks with ``workers`` child processes; (path as given, outcome) in input order.

    A file that crashes, hangs or exhausts its worker gets a FileLevelError and
    the worker is replaced; the other files are not affected.

    ``task`` (a picklable callable) runs in the child on each file read:
    ``task(data, extras[i])``; its result is the outcome instead of the
    WorkbookData (which comes back as is if the task raised; see
    :mod:`kc_excel.workbook.sandbox`).

    ``sandbox``: reader processes already started by the caller (with their
    task and memory limit; ``workers`` and ``task`` are then theirs), who closes them.
    """
    paths = list(paths)
    if not paths:
        return
    own = sandbox is None
    if sandbox is None:
        sandbox = Sandbox(min(workers, len(paths)), memory_bytes=limits.memory_bytes, task=task)
    try:
        for index, outcome in sandbox.run(paths, limits, extras):
            yield paths[index], outcome
    finally:
        if own:
            sandbox.close()
