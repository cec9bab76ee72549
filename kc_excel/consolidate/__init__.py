"""Consolidation: a folder of unit registrations becomes the provincial plan (contract §2.4, §4).

- :mod:`.intake`: the files of a folder and the attachments of saved e-mails;
- :mod:`.identify`: which unit, province, year a file is (``_kc``, else the file name);
- :mod:`.parallel`: the readers: each file parsed, identified and validated in a sandboxed process;
- :mod:`.reading`: every input read (or taken from the cache) and placed in its unit;
- :mod:`.core`: pure — per-file results → :class:`Plan` (statuses, versions, missing
  units, rejected files, duplicates across units, conserved totals);
- :mod:`.summary`: exact totals per activity, group and unit;
- :mod:`.safety`: one writer of a plan at a time; :mod:`.cache`: results by SHA-256;
- :mod:`.run`: :func:`consolidate_folder`, the one call of the CLI and the ribbon; the plan
  workbook is written by :mod:`kc_excel.workbook.plan_book` (streamed xlsxwriter) through
  :func:`kc_excel.outputs.write_atomically`.
"""

from kc_excel.workbook.sandbox import preload

READER_MODULES = ("kc_excel.consolidate.parallel", "kc_excel.validation.preload")
"""What a reader needs besides the parser: identification and validation (:mod:`.parallel`) and
validation's modules (:mod:`kc_excel.validation.preload`): the fork server imports them once, for every reader."""


def warm_readers() -> None:
    """The readers' warm start: their fork server starts now and imports :data:`READER_MODULES` once.

    Here, in the package itself, so that a command can call it as soon as its arguments are parsed,
    before it imports consolidation's own modules (their imports then overlap the server's). Call it
    before anything starts a child process (the output check, mail parsing): the first child fixes
    what the server imports, and a server started without these modules makes every reader import
    them itself."""
    preload(*READER_MODULES)
