"""Reading one e-mail in a child process under memory and time limits.

:func:`read_mail_isolated` runs :func:`~kc_excel.consolidate.mailparts.read_mail`
in a child started like the workbook readers (:mod:`kc_excel.workbook.sandbox`:
the fork server where there is one, else spawn), with ``RLIMIT_AS`` and a CPU
budget set in the child and a wall-clock deadline kept by this process. A
mail that exhausts them, or kills the child, becomes that mail's
``email-too-complex``: the run goes on with the other inputs. The child writes
the workbooks it finds into the caller's private folder and sends back only
the :class:`~kc_excel.consolidate.mailparts.MailReading`.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from pathlib import Path

from kc_excel.consolidate.mailparts import MailLimits, MailReading, read_mail
from kc_excel.workbook.sandbox import _context, _cpu_budget, _limit_memory, _no_main_module


def _child(conn: Connection, path: str, folder: str, limits: MailLimits) -> None:
    _limit_memory(limits.memory_bytes)
    _cpu_budget(int(limits.timeout_seconds))
    conn.send(read_mail(path, folder, limits))
    conn.close()


def read_mail_isolated(path: str | Path, folder: str | Path, limits: MailLimits = MailLimits()) -> MailReading:
    """:func:`read_mail` in a child; a crash or a timeout is the mail's own ``email-too-complex``."""
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, str(path), str(folder), limits), daemon=True,
                          name="kc-excel-mail")
    with _no_main_module():
        process.start()
    sender.close()
    try:
        if receiver.poll(limits.timeout_seconds):
            return receiver.recv()
        what_vi, what_en = f"đọc thư quá {limits.timeout_seconds:g} giây", \
            f"reading the mail took more than {limits.timeout_seconds:g} seconds"
    except (EOFError, OSError):
        what_vi, what_en = "trình đọc thư dừng đột ngột (hết bộ nhớ hoặc thời gian xử lý)", \
            "the mail reader stopped (out of memory or CPU time)"
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    return MailReading(code="email-too-complex", reason_vi=what_vi, reason_en=what_en)
