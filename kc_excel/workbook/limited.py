"""One call in a child process under memory, CPU and wall-clock limits.

:func:`run_limited` runs ``func(*args)`` (a picklable, module-level function)
in a child started like the workbook readers (:mod:`kc_excel.workbook.sandbox`:
the fork server where there is one, else spawn), with ``RLIMIT_AS`` and a CPU
budget set in the child and a deadline kept by this process. It returns the
call's result; an exception raised by the call is raised here again; a child
that runs out of time or memory, or dies, is :class:`LimitExceeded` with a
Vietnamese and an English reason. Used for what a user's file can make
expensive outside the reader proper: an e-mail (:mod:`kc_excel.consolidate.mailchild`),
an annotated copy (``validate --annotate``), a workbook the centre gives us
(:mod:`kc_excel.workbook.trusted`).
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any, Callable

from kc_excel.workbook.sandbox import _context, _cpu_budget, _limit_memory, _no_main_module


class LimitExceeded(Exception):
    """The child ran out of time or memory, or died."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en


def _child(conn: Connection, func: Callable[..., Any], args: tuple, memory_bytes: int, cpu_seconds: int) -> None:
    _limit_memory(memory_bytes)
    _cpu_budget(cpu_seconds)
    try:
        message = ("ok", func(*args))
    except MemoryError:
        message = ("memory", None)
    except Exception as exc:  # noqa: BLE001 - raised again in the parent
        message = ("raised", exc)
    try:
        conn.send(message)
    except Exception as exc:  # noqa: BLE001 - an unpicklable exception or result
        conn.send(("raised", RuntimeError(f"{type(exc).__name__}: {exc}")))
    conn.close()


def run_limited(func: Callable[..., Any], *args: Any, memory_bytes: int, timeout_seconds: float) -> Any:
    """``func(*args)`` in a limited child; its result, its exception, or :class:`LimitExceeded`."""
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, func, args, memory_bytes, int(timeout_seconds) + 1),
                          daemon=True, name="kc-excel-limited")
    with _no_main_module():
        process.start()
    sender.close()
    try:
        if not receiver.poll(timeout_seconds):
            raise LimitExceeded(f"quá {timeout_seconds:g} giây", f"more than {timeout_seconds:g} seconds")
        tag, value = receiver.recv()
    except (EOFError, OSError):
        raise LimitExceeded("hết bộ nhớ hoặc thời gian xử lý", "out of memory or CPU time") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if tag == "memory":
        raise LimitExceeded("cần quá nhiều bộ nhớ", "needs too much memory")
    if tag == "raised":
        raise value
    return value
