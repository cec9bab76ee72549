"""Reading one e-mail in a child process under memory and time limits.

:func:`read_mail_isolated` runs :func:`~kc_excel.consolidate.mailparts.read_mail`
with :func:`~kc_excel.workbook.limited.run_limited`. A mail that exhausts the
limits, or kills the child, becomes that mail's ``email-too-complex``: the run
goes on with the other inputs. The child writes the workbooks it finds into
the caller's private folder and sends back only the
:class:`~kc_excel.consolidate.mailparts.MailReading`.
"""

from __future__ import annotations

from pathlib import Path

from kc_excel.consolidate.mailparts import MailLimits, MailReading, read_mail
from kc_excel.workbook.limited import LimitExceeded, run_limited


def read_mail_isolated(path: str | Path, folder: str | Path, limits: MailLimits = MailLimits()) -> MailReading:
    """:func:`read_mail` in a child; a crash or a timeout is the mail's own ``email-too-complex``."""
    try:
        return run_limited(read_mail, str(path), str(folder), limits, memory_bytes=limits.memory_bytes,
                           timeout_seconds=limits.timeout_seconds)
    except LimitExceeded as exceeded:
        return MailReading(code="email-too-complex", reason_vi=f"đọc thư {exceeded.vi}",
                           reason_en=f"reading the mail: {exceeded.en}")
