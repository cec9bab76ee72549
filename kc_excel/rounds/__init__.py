"""Collection rounds (đợt thu phiếu): a register of every submission of a round folder.

- :mod:`.register`: the SQLite register ``DOT/so-theo-doi.sqlite`` (the only SQL; versioned schema);
- :mod:`.receive`: inputs → versions, through the consolidation's intake, reader and validator;
- :mod:`.status`: statuses, days late, counts; :mod:`.diff`: what changed between versions;
- :mod:`.service`: one call per command (open, receive, accept, reopen, diff, status, log);
- :mod:`.plan`: the plan workbook from the chosen versions; :mod:`.remind`: e-mail drafts to units;
- :mod:`.view`: ``DOT/SoTheoDoi.xlsx``, rewritten after every command.
"""

from __future__ import annotations

import getpass


def who() -> str:
    """The OS user: the default of ``--by`` and the name the ribbon records (light: the CLI imports it)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "unknown"
