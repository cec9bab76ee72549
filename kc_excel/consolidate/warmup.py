"""Start consolidation's reader fork server early, before the heavy imports of the caller.

:func:`start_readers_server` is the first thing ``kc-excel consolidate`` (and
:func:`~kc_excel.consolidate.run.consolidate_folder`) does: the server then imports the
reader, validation, pandas and pandera while the caller imports the plan writer, loads
the catalogue and hashes the files. Light on purpose (no import of the consolidation core).
"""

from __future__ import annotations

READER_MODULES = ("kc_excel.consolidate.parallel", "kc_excel.validation.preload")
"""What a reader validating in place (:class:`~kc_excel.consolidate.parallel.InReader`) needs."""


def start_readers_server() -> None:
    from kc_excel.workbook.sandbox import preload

    preload(*READER_MODULES)
