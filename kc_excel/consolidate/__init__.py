"""Consolidation: a folder of unit registrations becomes the provincial plan (contract §2.4, §4).

- :mod:`.intake`: the files of a folder and the attachments of saved e-mails;
- :mod:`.identify`: which unit, province, year a file is (``_kc``, else the file name);
- :mod:`.parallel`: the readers: each file parsed, identified and validated in a sandboxed process;
- :mod:`.core`: pure — per-file results → :class:`Plan` (statuses, versions, missing
  units, rejected files, duplicates across units, conserved totals);
- :mod:`.summary`: exact totals per activity, group and unit;
- :mod:`.safety`: one writer of a plan at a time; :mod:`.cache`: results by SHA-256;
- :mod:`.run`: :func:`consolidate_folder`, the one call of the CLI and the ribbon; the plan
  workbook is written by :mod:`kc_excel.workbook.plan_book` (streamed xlsxwriter) through
  :func:`kc_excel.outputs.write_atomically`.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    **{name: "core" for name in ("HAS_ERRORS", "MISSING", "STATUSES", "SUPERSEDED", "UNREADABLE", "VALID",
                                 "ExpectedUnit", "Plan", "SubmittedFile", "UnitRow", "build_plan")},
    **{name: "run" for name in ("Consolidation", "consolidate_folder", "expected_units")},
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """The package's names, imported on first use: a reader process that only needs
    :mod:`.parallel` does not pay for the plan writer (xlsxwriter) it never runs."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
