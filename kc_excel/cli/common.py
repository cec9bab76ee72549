"""What every command shares: exit codes, consoles, JSON output, error rendering."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import typer
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

PIPED_WIDTH = 160
"""Table width when output goes to a file or pipe (rich would otherwise assume 80 columns)."""


def _console(**options: Any) -> Console:
    console = Console(highlight=False, soft_wrap=True, **options)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


out = _console()
err = _console(stderr=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout, UTF-8, non-ASCII kept readable."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def say(vi: str, en: str) -> None:
    """A status line for people, on stderr (stdout stays clean for --json)."""
    err.print(tr(vi, en))


def file_problem(error: OSError) -> str:
    """A file error met while running a command, in the user's language: which file, what is wrong, what to do."""
    from kc_excel.foreign_errors import command_error  # only on the error path: the CLI starts without the core

    problem = command_error(error)
    return tr(problem.message, problem.message_en)


def plan_year(value: int | None) -> int | None:
    """The typer callback of every ``--year``: a year between 2000 and 2100."""
    from kc_excel.workbook.layout import MAX_YEAR, MIN_YEAR  # not at import: the CLI starts without the core

    if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
        raise typer.BadParameter(tr(f"năm phải từ {MIN_YEAR} đến {MAX_YEAR}, không phải {value}",
                                    f"the year must be between {MIN_YEAR} and {MAX_YEAR}, not {value}"))
    return value
