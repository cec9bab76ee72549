"""Consolidation: a folder of unit registrations becomes the provincial plan (contract §2.4, §4).

- :mod:`.intake`: the files of a folder and the attachments of saved e-mails;
- :mod:`.identify`: which unit, province, year a file is (``_kc``, else the file name);
- :mod:`.core`: pure — per-file results → :class:`Plan` (statuses, versions, missing
  units, rejected files, duplicates across units, conserved totals);
- :mod:`.summary`: exact totals per activity, group and unit;
- :mod:`.output` / :mod:`.sheets`: the plan workbook (streamed xlsxwriter);
- :mod:`.safety`: lock, atomic replace, ``.bak``; :mod:`.cache`: results by SHA-256;
- :mod:`.run`: :func:`consolidate_folder`, the one call of the CLI and the ribbon.
"""

from kc_excel.consolidate.core import (HAS_ERRORS, MISSING, STATUSES, SUPERSEDED, UNREADABLE, VALID, ExpectedUnit,
                                       FileResult, Plan, UnitRow, build_plan)
from kc_excel.consolidate.run import Outcome, consolidate_folder, expected_units

__all__ = ["HAS_ERRORS", "MISSING", "STATUSES", "SUPERSEDED", "UNREADABLE", "VALID", "ExpectedUnit", "FileResult",
           "Outcome", "Plan", "UnitRow", "build_plan", "consolidate_folder", "expected_units"]
