"""The readers: each file parsed, identified and validated in a sandboxed process.

Files are parsed by :func:`kc_excel.workbook.reader.read_many` in reader
processes under per-file time and memory limits (:mod:`kc_excel.workbook.sandbox`,
forked from a server that imported validation once: :func:`warm_readers`).
Right after the parse, in the same process, :class:`Validator` (the readers'
*task*) identifies the unit (:func:`~kc_excel.consolidate.identify.identify`),
checks the template identity (:func:`~kc_excel.consolidate.identify.verify_template`)
and validates (:func:`~kc_excel.validation.runner.validate_and_accept`). A reader
sends back one compact :class:`~kc_excel.consolidate.cache.Analysed`; the parent
only places lines and merges (:mod:`kc_excel.consolidate.run`).

Every file comes back, in input order: a file the reader cannot use carries its
file-level issue, and a file whose checking fails inside the reader (a defect of
kc-excel, not of the file) carries ``file-check-failed`` (said by the sandbox): it is never lost.
:func:`prefetch` advances the readers' iterator from a background thread (a
reader only gets a new file when the iterator moves on).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator, Sequence

from kc_excel.consolidate import warm_readers
from kc_excel.consolidate.cache import Analysed
from kc_excel.consolidate.core import ExpectedUnit
from kc_excel.consolidate.identify import UnitMatcher, identify, verify_template
from kc_excel.errors import FileLevelError
from kc_excel.validation.runner import file_issue, validate_and_accept
from kc_excel.workbook.reader import read_many
from kc_excel.workbook.sandbox import Sandbox

class Validator:
    """Identify + check the template + validate one :class:`WorkbookData` (picklable settings).

    ``key``: the province key templates are signed with (None: this machine has none).
    """

    def __init__(self, expected: Sequence[ExpectedUnit], catalog_units: dict[str, Any], norms: dict | None,
                 key: bytes | None = None) -> None:
        self.expected, self.catalog_units, self.norms, self.key = list(expected), catalog_units, norms, key
        self.matcher = UnitMatcher(self.expected)

    def __getstate__(self) -> dict:
        return {"expected": self.expected, "catalog_units": self.catalog_units, "norms": self.norms, "key": self.key}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["expected"], state["catalog_units"], state["norms"], state["key"])

    def __call__(self, data: Any, display: str, sha: str | None) -> Analysed:
        identity = identify(data.meta, display, self.matcher)
        verdict = verify_template(data.meta, display, self.matcher, self.key)
        unit = self.catalog_units.get(identity.unit_code or "")
        report, accepted = validate_and_accept(data, norms=self.norms, unit=unit)
        said = {(i.code, i.detail) for i in report.issues}  # layout-altered: also a validation rule
        checks = [i for i in verdict.issues if (i.code, i.detail) not in said]
        rows = sum(len(t.records) for t in data.tables.values())
        return Analysed(sha256=data.sha256 or sha or "", display=display, meta=dict(data.meta), row_count=rows,
                        issues=[*identity.issues, *checks, *report.issues], lines=list(accepted),
                        identity=replace(identity, issues=()), outcome=verdict.outcome)


class InReader:
    """The validator as a reader task: runs in the reader right after the parse (a failure of the check
    itself is the file's ``file-check-failed``, said by the sandbox: :mod:`kc_excel.workbook.sandbox`)."""

    def __init__(self, validator: Validator) -> None:
        self.validator = validator

    def __call__(self, data: Any, extra: tuple[str, str | None]) -> Analysed:
        display, sha = extra
        return self.validator(data, display, sha)


def start_readers(validator: Validator, workers: int = 2) -> Sandbox:
    """Reader processes running ``validator`` for :func:`read_and_validate`; their fork server starts
    now (:func:`warm_readers`), the readers themselves at :meth:`Sandbox.start`. The caller closes them."""
    warm_readers()
    return Sandbox(workers, task=InReader(validator))


def read_and_validate(items: Sequence[tuple[Path, str, str | None]], readers: Sandbox) -> Iterator[Analysed]:
    """(path, display name, sha256) → Analysed, in input order (``readers``: from :func:`start_readers`)."""
    if not items:
        return
    outcomes = prefetch(read_many([path for path, _, _ in items],
                                  extras=[(display, sha) for _, display, sha in items], sandbox=readers))
    try:
        for (_, display, sha), (_, data) in zip(items, outcomes):
            yield _analysed(data, display, sha)
    finally:
        outcomes.close()


def _analysed(data: Analysed | FileLevelError, display: str, sha: str | None) -> Analysed:
    if isinstance(data, Analysed):
        return data
    issue = file_issue(data, display)  # unreadable, too large, or its check failed (file-check-failed)
    return Analysed(sha256=sha or "", display=display, read_error=issue.code, issues=[issue])


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
