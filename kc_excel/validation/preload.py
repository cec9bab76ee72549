"""Importing this module readies validation in a process that will validate many files.

Consolidation's reader fork server imports it once (:func:`kc_excel.workbook.sandbox.preload`),
so that every reader forked from it starts with the rules registered, the pandera schema
built and pandera's pandas backends registered (pandera does that on first use, about
0.3 s); each reader would otherwise pay all of it before its first file.
"""

from __future__ import annotations

from kc_excel.validation import schema
from kc_excel.validation.registry import registered

registered()
schema.warm_up()
