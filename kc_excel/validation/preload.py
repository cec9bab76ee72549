"""Importing this module readies validation in a process that will validate many files.

Consolidation's reader fork server imports it once (:func:`kc_excel.workbook.sandbox.preload`),
so that every reader forked from it starts with validation's modules imported and its rules
registered, instead of importing them before its first file.

Nothing is run here. A warm-up that checked one sample row (to build the catalogue
look-ups the rules build on first use) saved about 5 ms per reader (first
``check_row`` 5-6 ms, later ones 0.2-0.4 ms, measured 2026-12) and was removed; the
pandera schema it also warmed is gone (the column checks are plain rule code, see
:mod:`kc_excel.validation.rules.numbers`), so readers import neither pandas nor pandera.
"""

from __future__ import annotations

import encodings.cp437  # noqa: F401 - zipfile decodes the names in every workbook with it

from kc_excel.validation import lines, rules, runner  # noqa: F401 - lines: imported lazily by the runner
