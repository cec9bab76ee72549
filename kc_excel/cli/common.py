"""What every command shares: exit codes, consoles, JSON output, error rendering."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

from kc_excel.i18n import tr

EXIT_OK = 0
"""Done, no errors in the data (warnings allowed)."""
EXIT_DATA_ERRORS = 1
"""Done, errors found in the data, or files rejected."""
EXIT_BAD_INPUT = 2
"""An input or argument cannot be used (unreadable, encrypted, not a kc workbook, unknown province)."""
EXIT_INTERNAL = 3
"""Internal failure (a bug): reported without a traceback unless --debug."""

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout, UTF-8, non-ASCII kept readable."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def say(vi: str, en: str) -> None:
    """A status line for people, on stderr (stdout stays clean for --json)."""
    err.print(tr(vi, en))
