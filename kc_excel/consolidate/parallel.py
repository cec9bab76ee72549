"""Reading and validating many files at once.

Files are parsed by :func:`kc_excel.workbook.reader.read_many` in its
resource-limited reader processes. Two things keep every core busy:

- :func:`prefetch` advances the reader's iterator from a background thread
  (its processes only get a new file when the iterator moves on);
- identification, validation and conversion to plan lines (:class:`Validator`)
  run inside the reader processes right after each parse (:class:`InReader`,
  a reader *task*): the readers send back a compact :class:`Analysed`
  (metadata, issues, accepted lines) instead of every cell, and this process
  only merges and writes. Should the task fail in a reader, the data comes
  back and is validated here (the error, if any, surfaces here as before).
  With :data:`IN_READER` off, validation runs here or, for larger batches on
  a machine with cores the readers leave free, in a pool of processes
  (:func:`validation_processes`), with at most a small window in flight.

Results come back in input order. A file the reader cannot use becomes an
:class:`~kc_excel.consolidate.cache.Analysed` with its file-level issue.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from kc_excel.consolidate.cache import Analysed
from kc_excel.consolidate.core import ExpectedUnit
from kc_excel.consolidate.identify import UnitMatcher, identify
from kc_excel.consolidate.lines import pack
from kc_excel.errors import FileLevelError

if TYPE_CHECKING:
    from kc_excel.workbook.sandbox import Sandbox

POOL_THRESHOLD = 64
"""Below this many files to read, validation runs in this process (a pool costs ~1 s to start)."""
WINDOW_PER_WORKER = 8
IN_READER = True
"""Validate in the reader processes (the work shared by every core; the parent merges and writes)."""


class Validator:
    """Identify + validate + plan lines of one :class:`WorkbookData` (picklable settings)."""

    def __init__(self, expected: Sequence[ExpectedUnit], catalog_units: dict[str, Any], norms: dict | None) -> None:
        self.expected, self.catalog_units, self.norms = list(expected), catalog_units, norms
        self._matcher: UnitMatcher | None = None

    def __getstate__(self) -> dict:
        return {"expected": self.expected, "catalog_units": self.catalog_units, "norms": self.norms}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["expected"], state["catalog_units"], state["norms"])

    def prepare(self) -> None:
        """Ready validation (:mod:`kc_excel.validation.preload`, already done where the reader was forked
        from a server that preloaded it) and build the unit matcher: a reader's start-up, not its first file's."""
        import kc_excel.validation.preload  # noqa: F401

        _ = self.matcher

    @property
    def matcher(self) -> UnitMatcher:
        if self._matcher is None:
            self._matcher = UnitMatcher(self.expected)
        return self._matcher

    def __call__(self, data: Any, display: str, sha: str | None) -> Analysed:
        from kc_excel.validation.runner import validate_and_accept

        identity = identify(data.meta, display, self.matcher)
        unit = self.catalog_units.get(identity.unit_code or "")
        report, accepted = validate_and_accept(data, norms=self.norms, unit=unit)
        lines = [pack(line) for line in accepted]  # validated PlanLines, packed: cheap to send and merge
        rows = sum(len(t.records) for t in data.tables.values())
        return Analysed(sha256=data.sha256 or sha or "", meta=dict(data.meta), row_count=rows,
                        issues=list(report.issues), lines=lines, unit_hint=identity.unit_code)


_worker_validator: Validator | None = None


def _init_worker(validator: Validator) -> None:
    global _worker_validator
    _worker_validator = validator


def _validate_in_worker(data: Any, display: str, sha: str | None) -> Analysed:
    assert _worker_validator is not None
    return _worker_validator(data, display, sha)


READER_MODULES = ("kc_excel.consolidate.parallel", "kc_excel.validation.preload")
"""What a reader validating in place (:class:`InReader`) needs: the fork server imports it once."""


def warm_readers() -> None:
    """Have the fork server import :data:`READER_MODULES` once. A run calls this before anything
    starts a child (the output check, mail parsing): the first child fixes what the server imports,
    and a server started without these modules makes every reader import them itself."""
    from kc_excel.workbook.sandbox import preload

    preload(*READER_MODULES)


def start_readers(validator: Validator, workers: int = 2) -> Sandbox:
    """Reader processes (validating in the reader, :class:`InReader`) for :func:`read_and_validate`;
    their fork server starts now (:func:`warm_readers`), the readers themselves at
    :meth:`Sandbox.start`. The caller closes them."""
    from kc_excel.workbook.sandbox import Sandbox

    warm_readers()
    return Sandbox(workers, task=_task_of(validator))


def read_and_validate(items: Sequence[tuple[Path, str, str | None]], validator: Validator, *,
                      workers: int = 2, readers: Sandbox | None = None) -> Iterator[Analysed]:
    """(path, display name, sha256) → Analysed, in input order (``readers``: from :func:`start_readers`)."""
    from kc_excel.validation.runner import file_issue
    from kc_excel.workbook.reader import read_many

    if not items:
        return
    task = readers.task if readers is not None else _task_of(validator)
    outcomes = prefetch(read_many([path for path, _, _ in items], workers=workers, task=task,
                                  extras=[(display, sha) for _, display, sha in items], sandbox=readers))
    pool = None
    processes = 0 if task is not None else validation_processes(workers, len(items))
    if processes:
        pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(validator,))
    window: deque[Future | Analysed] = deque()
    try:
        for (_, display, sha), (_, data) in zip(items, outcomes):
            if isinstance(data, Analysed):  # validated in the reader process
                window.append(data)
            elif isinstance(data, FileLevelError):
                issue = file_issue(data, display)
                window.append(Analysed(sha256=sha or "", read_error=issue.code, issues=[issue]))
            elif pool is not None:
                window.append(pool.submit(_validate_in_worker, data, display, sha))
            else:
                window.append(validator(data, display, sha))
            while len(window) > WINDOW_PER_WORKER * workers or (window and _ready(window[0])):
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())
    finally:
        for pending in window:
            if isinstance(pending, Future):
                pending.cancel()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        outcomes.close()


class InReader:
    """The validator as a reader task: runs in the reader's child right after the parse."""

    def __init__(self, validator: Validator) -> None:
        self.validator = validator

    def prepare(self) -> None:
        self.validator.prepare()

    def __call__(self, data: Any, extra: tuple[str, str | None]) -> Analysed:
        display, sha = extra
        return self.validator(data, display, sha)


def _task_of(validator: Validator) -> InReader | None:
    """Validation in the readers (the parent only merges) unless a separate pool has free cores for it."""
    return InReader(validator) if IN_READER else None


def validation_processes(readers: int, files: int) -> int:
    """Validation processes to add beside the ``readers``: only on cores the readers leave free.

    On a 2-core machine the two readers and this process already use every
    core, and a pool only adds start-up time and memory (measured: 108 s
    against 96 s for 3,321 files), so validation stays in this process.
    """
    if files < POOL_THRESHOLD:
        return 0
    return max(0, min(readers, (os.cpu_count() or 1) - readers))


def _ready(item: Future | Analysed) -> bool:
    return not isinstance(item, Future) or item.done()


def _result(item: Future | Analysed) -> Analysed:
    return item.result() if isinstance(item, Future) else item


def prefetch(items: Iterator, depth: int = 32) -> Iterator:
    """Advance ``items`` in a background thread, up to ``depth`` ahead of the consumer."""
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def pump() -> None:
        try:
            for item in items:
                if stop.is_set():
                    break
                buffer.put(("item", item))
        except BaseException as error:  # noqa: BLE001 - handed over to the consumer
            buffer.put(("error", error))
        finally:
            buffer.put(("done", None))

    thread = threading.Thread(target=pump, name="kc-excel-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = buffer.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        while thread.is_alive():
            try:
                buffer.get(timeout=0.1)
            except queue.Empty:
                pass
        close = getattr(items, "close", None)
        if close is not None:
            close()
