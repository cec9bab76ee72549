"""Helpers importable in the reader's child processes (the tests folder is on their path)."""

from __future__ import annotations

import time


class StallingNorms(dict):
    """Norms whose every look-up never returns: a rule that would hang the run."""

    def get(self, *args, **kwargs):
        time.sleep(3600)

    def __getitem__(self, key):
        time.sleep(3600)

    def __contains__(self, key):
        time.sleep(3600)
