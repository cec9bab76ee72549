"""Child processes that parse untrusted workbooks under memory, CPU and time limits.

Some files crash the libraries that read them: python-calamine aborts the
whole interpreter (SIGABRT) on a 1 KB .xls asking for 8 GiB, or raises a
``PanicException`` that ``except Exception`` does not catch; a 1 KB .ods can
declare 17 billion cells. So :func:`kc_excel.workbook.parse.parse_workbook`
runs in worker processes that:

- set ``RLIMIT_AS`` once (:attr:`ReadLimits.memory_bytes`) and, before each
  file, a fresh ``RLIMIT_CPU`` budget (:attr:`ReadLimits.cpu_seconds`);
- are killed by the parent after :attr:`ReadLimits.timeout_seconds` of wall-clock time;
- are reused across files and replaced after a crash, a timeout, a
  MemoryError or ``MAX_TASKS`` files.

The readers' warm start is :func:`preload` (consolidation names its modules in
:func:`kc_excel.consolidate.warm_readers`): where the
platform has it (Linux, macOS), workers are forked from multiprocessing's
*fork server*, a clean single-threaded process that imports the reader (and
what :func:`preload` adds: validation) once. Elsewhere
(Windows) each worker is a fresh "spawn" interpreter that imports them itself.
The worker's limits are set after it starts, either way.

A *task* (a picklable callable given to :class:`Sandbox`) may run in the child
right after a successful parse (a task with a ``prepare()`` method has it called
once when the child starts, to import what it needs before the first file:
:meth:`Sandbox.start` then starts children ahead of the files): ``task(data, extra)`` with the per-file
``extra`` given to :meth:`Sandbox.run`; its result comes back instead of the
:class:`WorkbookData` (consolidation validates there, so the parent only
merges: the cores share the work). The task gets a fresh CPU budget and
wall-clock deadline of its own. If it raises (a defect of ours, not of the
file), the file's outcome is ``file-check-failed`` with the cause: the file is
reported, never lost, and never checked again outside the limits.

Whatever happens in a child becomes a ``FileLevelError`` for that file only:
``file-too-large`` for memory, CPU or time exhaustion, ``file-unreadable`` for
a crash. Results come back in input order.

Fault injection for tests (``tests/test_reader.py``, ``tests/hostile/``): when
the parent's environment has ``KC_EXCEL_FAULT_INJECTION=1``, a file whose
content starts with ``KC-FAULT:abort``, ``KC-FAULT:hang``, ``KC-FAULT:oom`` or
``KC-FAULT:cpu`` makes the child abort, hang, exhaust memory or burn CPU.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import time
import types
from collections import deque
from contextlib import contextmanager
from multiprocessing import forkserver
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Iterator, Sequence

from kc_excel.errors import FileLevelError
from kc_excel.workbook.data import WorkbookData
from kc_excel.workbook.limits import ReadLimits, file_error
from kc_excel.workbook.parse import parse_workbook

try:
    import resource
except ImportError:  # Windows: no rlimits; the wall-clock timeout still applies
    resource = None

FAULT_ENV = "KC_EXCEL_FAULT_INJECTION"
PARSED = "parsed"
"""Sent by a child with a task between parsing and the task (the parent restarts the file's deadline)."""
MAX_TASKS = 1000
ReadOutcome = WorkbookData | FileLevelError


# --- the child side ----------------------------------------------------------------------

def _limit_memory(memory_bytes: int) -> None:
    if resource is None:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory_bytes = min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))


def _cpu_budget(seconds: int) -> None:
    if resource is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime) + seconds + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _redirect_stderr(path: str) -> None:
    """Rust panics print backtraces on fd 2: keep them off the user's terminal, in a file the parent reads on a crash."""
    try:
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, 2)
        os.close(target)
    except OSError:
        pass


def _reset_stderr() -> None:
    try:
        os.ftruncate(2, 0)
        os.lseek(2, 0, os.SEEK_SET)
    except OSError:
        pass


def _inject_fault(path: str) -> None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(32)
    except OSError:
        return
    if head.startswith(b"KC-FAULT:abort"):
        os.abort()
    if head.startswith(b"KC-FAULT:hang"):
        time.sleep(3600)
    if head.startswith(b"KC-FAULT:oom"):
        hog = [bytearray(64 * 1024 * 1024) for _ in range(1024)]
        del hog
    if head.startswith(b"KC-FAULT:cpu"):
        while True:
            pass


def _serve(conn: Connection, memory_bytes: int, stderr_path: str, task: Any = None) -> None:
    """Worker loop: receive (path, limits, faults, extra), send back a result tuple."""
    _redirect_stderr(stderr_path)
    _limit_memory(memory_bytes)
    _prepare(task)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        path, limits, faults, extra = request
        _cpu_budget(limits.cpu_seconds)
        _reset_stderr()
        started = time.perf_counter()
        message, fatal = _run(parse_workbook, path, limits, faults)
        if task is not None and message[0] == "ok" and not fatal:
            conn.send(PARSED)  # the parent gives the task a deadline of its own
            _cpu_budget(limits.cpu_seconds)
            message, fatal = _run_task(task, message, path, extra)
        stats = (time.perf_counter() - started, _peak_memory())
        try:
            payload = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload, fatal = pickle.dumps(_error_tuple(file_error("file-too-large", path, "kết quả quá lớn",
                                                                  "result too large"))), True
        conn.send((fatal, stats))  # small header first: the parent frees this worker before unpickling
        conn.send_bytes(payload)
        if fatal:
            return


def _prepare(task: Any) -> None:
    """The task's own start-up (imports), before any file; a failure shows again, per file, in the task."""
    prepare = getattr(task, "prepare", None)
    if prepare is None:
        return
    try:
        prepare()
    except Exception:  # noqa: BLE001 - the task runs anyway and its failure sends the data back
        pass


def _run_task(task: Any, message: tuple, path: str, extra: Any) -> tuple[tuple, bool]:
    """("done", task result); a task that fails is the file's ``file-check-failed``, with its cause."""
    try:
        return ("done", task(message[1], extra)), False
    except MemoryError:
        return _error_tuple(file_error("file-check-failed", path, "hết bộ nhớ khi kiểm tra tệp",
                                       "out of memory while checking the file")), True
    except BaseException as exc:  # noqa: BLE001 - a defect of ours: the file is reported, never lost
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        cause = f"{type(exc).__name__}: {str(exc)[:200]}"
        return _error_tuple(file_error("file-check-failed", path, cause, cause)), False


def _peak_memory() -> int:
    """Peak resident memory of this worker so far, in bytes (0 where unknown)."""
    if resource is None:
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _run(parse, path: str, limits: ReadLimits, faults: bool = False) -> tuple[tuple, bool]:
    try:
        if faults:
            _inject_fault(path)
        return ("ok", parse(path, limits)), False
    except FileLevelError as exc:
        return _error_tuple(exc), False
    except MemoryError:
        return _error_tuple(file_error("file-too-large", path, "cần quá nhiều bộ nhớ", "needs too much memory")), True
    except BaseException as exc:  # calamine's PanicException is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        return _error_tuple(file_error("file-unreadable", path, f"trình đọc gặp lỗi: {detail}",
                                       f"the reader failed: {detail}")), True


def _error_tuple(exc: FileLevelError) -> tuple:
    return ("error", exc.code, exc.message, exc.message_en, exc.path)


# --- the parent side ------------------------------------------------------------------------

PRELOAD = ["kc_excel.workbook.parse", "python_calamine"]
"""Modules the fork server imports once for every worker (see :func:`preload`)."""
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def preload(*modules: str) -> None:
    """The readers' warm start: the fork server imports ``modules`` too (what a task needs), once for
    every reader forked from it, and starts now, in the background, so that its imports overlap what
    the caller does next. Modules named after it started are imported by each worker when it needs
    them (slower, same result). No-op without a fork server."""
    for module in modules:
        if module not in PRELOAD:
            PRELOAD.append(module)
    if _context().get_start_method() != "forkserver":
        return
    with _no_main_module(), _one_blas_thread():
        forkserver.ensure_running()


def _context() -> Any:
    """The fork server where the platform has one (workers start fast), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)  # read when the server starts
    return ctx


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """A process started meanwhile (the fork server, a worker) inherits one BLAS thread: numpy's
    per-thread buffers would otherwise eat into the workers' RLIMIT_AS. This process keeps its own."""
    saved = {name: os.environ.get(name) for name in _BLAS_THREADS}
    for name in _BLAS_THREADS:
        os.environ.setdefault(name, "1")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _no_main_module() -> Iterator[None]:
    """Start children without re-running the caller's ``__main__`` (the worker needs nothing from it).

    "spawn" re-imports the parent's main script in the child; a script without an
    ``if __name__ == "__main__"`` guard would then run again there. The worker's
    target lives in this module, so the child is told there is no main module
    to prepare, exactly as for ``python -c``.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class _Worker:
    """One child process and the task it is working on."""

    def __init__(self, memory_bytes: int, task: Any = None) -> None:
        ctx = _context()
        self.conn, child = ctx.Pipe()
        handle, self.stderr_path = tempfile.mkstemp(prefix="kc-excel-reader-", suffix=".log")
        os.close(handle)
        self.process = ctx.Process(target=_serve, args=(child, memory_bytes, self.stderr_path, task), daemon=True,
                                   name="kc-excel-reader")
        with _no_main_module(), _one_blas_thread():
            self.process.start()
        child.close()
        self.tasks = 0
        self.index: int | None = None
        self.deadline = 0.0
        self.timeout = 0.0
        self.retire = False

    def submit(self, index: int, path: str, limits: ReadLimits, extra: Any = None) -> None:
        self.index, self.tasks = index, self.tasks + 1
        self.timeout = limits.timeout_seconds
        self.deadline = time.monotonic() + limits.timeout_seconds
        self.conn.send((path, limits, os.environ.get(FAULT_ENV) == "1", extra))

    def stop(self, *, kill: bool = False) -> None:
        if not kill and self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()
        self.process.close()
        try:
            os.unlink(self.stderr_path)
        except OSError:
            pass

    def last_words(self) -> bytes:
        """What the child wrote on stderr for its current file (a panic, an allocation failure), its
        first and last 4 KB: the reason comes first, a backtrace may follow."""
        try:
            with open(self.stderr_path, "rb") as handle:
                head = handle.read(4096)
                handle.seek(0, os.SEEK_END)
                size = handle.tell()
                if size <= 4096:
                    return head
                handle.seek(max(4096, size - 4096))
                return head + handle.read()
        except OSError:
            return b""


def _decode(message: Any, path: str) -> ReadOutcome | Any:
    if message[0] in ("ok", "done"):
        return message[1]
    _tag, code, text, text_en, where = message[:5]
    return FileLevelError(text, path=where or path, code=code, message_en=text_en)


def _crash_error(path: str, exitcode: int | None, last_words: bytes = b"") -> FileLevelError:
    signum = -exitcode if exitcode and exitcode < 0 else None
    if b"memory allocation of" in last_words or b"MemoryError" in last_words:
        return file_error("file-too-large", path, "cần quá nhiều bộ nhớ để đọc", "needs too much memory to read")
    if signum in (getattr(signal, "SIGXCPU", -1), getattr(signal, "SIGKILL", -1)):
        return file_error("file-too-large", path, "đọc tốn quá nhiều thời gian xử lý hoặc bộ nhớ",
                          "reading took too much CPU time or memory")
    try:
        name = signal.Signals(signum).name if signum else f"mã thoát {exitcode}"
    except ValueError:
        name = f"tín hiệu {signum}"
    return file_error("file-unreadable", path, f"trình đọc bị dừng đột ngột: {name}",
                      f"the reader crashed: {name.replace('mã thoát', 'exit code').replace('tín hiệu', 'signal')}")


class Sandbox:
    """A small pool of reader processes; ``run`` yields outcomes in input order."""

    def __init__(self, workers: int = 1, *, memory_bytes: int | None = None, task: Any = None) -> None:
        self.workers = max(1, workers)
        self.task = task
        self.memory_bytes = memory_bytes or ReadLimits().memory_bytes
        self._idle: list[_Worker] = []
        self.stats: dict[int, tuple[float, int]] = {}
        """(seconds in the child, peak memory of the worker in bytes) per input index of the last run."""

    def start(self, count: int | None = None) -> None:
        """Start up to ``count`` (default: all) children now, before any file: their start-up
        (interpreter, imports, the task's ``prepare``) overlaps what the caller does meanwhile."""
        wanted = min(self.workers, self.workers if count is None else count)
        while len(self._idle) < wanted:
            self._idle.append(_Worker(self.memory_bytes, self.task))

    def _take(self) -> _Worker:
        while self._idle:
            worker = self._idle.pop()
            if worker.process.is_alive():
                return worker
            worker.stop(kill=True)
        return _Worker(self.memory_bytes, self.task)

    def _give_back(self, worker: _Worker) -> None:
        if worker.retire or worker.tasks >= MAX_TASKS or not worker.process.is_alive():
            worker.stop(kill=worker.retire)
        else:
            self._idle.append(worker)

    def run(self, paths: Sequence[str | Path], limits: ReadLimits,
            extras: Sequence[Any] | None = None) -> Iterator[tuple[int, ReadOutcome]]:
        """(index, outcome) in input order; with a task, ``extras[index]`` is handed to it with the data."""
        pending = deque((i, str(p), None if extras is None else extras[i]) for i, p in enumerate(paths))
        self.stats = {}
        busy: dict[Connection, _Worker] = {}
        done: dict[int, ReadOutcome] = {}
        following = 0
        try:
            while following < len(paths):
                self._submit(pending, busy, limits)
                received = self._collect(busy, done, paths)
                self._submit(pending, busy, limits)  # workers go on while this process unpickles
                for index, raw in received:
                    done[index] = _decode(pickle.loads(raw), str(paths[index]))
                while following in done:
                    yield following, done.pop(following)
                    following += 1
        finally:
            for worker in busy.values():
                worker.stop(kill=True)

    def _submit(self, pending: deque, busy: dict[Connection, _Worker], limits: ReadLimits) -> None:
        while pending and len(busy) < self.workers:
            index, path, extra = pending.popleft()
            worker = self._take()
            worker.submit(index, path, limits, extra)
            busy[worker.conn] = worker

    def _collect(self, busy: dict[Connection, _Worker], done: dict[int, ReadOutcome],
                 paths: Sequence[str | Path]) -> list[tuple[int, bytes]]:
        """Wait for results; return the raw (still pickled) ones, record crashes and timeouts in ``done``."""
        received = []
        timeout = max(0.0, min(w.deadline for w in busy.values()) - time.monotonic())
        for conn in wait(list(busy), timeout=timeout):
            worker = busy.pop(conn)
            path = str(paths[worker.index])
            try:
                header = conn.recv()
                if header == PARSED:  # parsed; the task runs on a deadline of its own
                    worker.deadline = time.monotonic() + worker.timeout
                    busy[conn] = worker
                    continue
                worker.retire, self.stats[worker.index] = header
                received.append((worker.index, conn.recv_bytes()))
            except (EOFError, OSError):
                worker.process.join(5)
                done[worker.index] = _crash_error(path, worker.process.exitcode, worker.last_words())
                self.stats[worker.index] = (worker.timeout - (worker.deadline - time.monotonic()), 0)
                worker.stop(kill=True)
                continue
            self._give_back(worker)
        now = time.monotonic()
        for conn, worker in list(busy.items()):
            if worker.deadline <= now:
                del busy[conn]
                worker.stop(kill=True)
                self.stats[worker.index] = (worker.timeout, 0)
                done[worker.index] = file_error(
                    "file-too-large", paths[worker.index], f"đọc quá {worker.timeout:g} giây",
                    f"reading took more than {worker.timeout:g} seconds")
        return received

    def close(self) -> None:
        while self._idle:
            self._idle.pop().stop()
