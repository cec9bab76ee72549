"""The ``kc-excel`` command's first module (console script and ``python -m kc_excel``), light on purpose.

``kc-excel consolidate`` starts its readers' fork server here, before the CLI
itself is imported (typer, rich and the command modules, 0.15-0.2 s): the
server's imports (the reader, pandas, pandera) are the longest wait before the
first file is read, and now overlap all of the CLI's start-up.
"""

from __future__ import annotations

import sys


def command_of(args: list[str]) -> str | None:
    """The command named in ``args``, after the global options (``--lang X``, ``--debug``)."""
    from kc_excel.i18n import LanguageError, split_lang

    try:
        _, rest = split_lang(args)
    except LanguageError:
        return None  # the CLI reports it
    return next((arg for arg in rest if not arg.startswith("-")), None)


def start_early(args: list[str]) -> None:
    """Start consolidation's reader server when ``args`` run ``consolidate``, ``round receive`` or
    ``round plan`` (not for their help)."""
    if "--help" in args:
        return
    command = command_of(args)
    if command == "consolidate" or (command == "round" and _round_reads(args)):
        from kc_excel.consolidate.warmup import start_readers_server

        start_readers_server()


def _round_reads(args: list[str]) -> bool:
    """``round receive`` and ``round plan`` read workbooks in the readers too."""
    after = args[args.index("round") + 1:]
    return bool(after) and after[0] in ("receive", "plan")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script: :func:`kc_excel.cli.main` after :func:`start_early`."""
    start_early(list(sys.argv[1:] if argv is None else argv))
    from kc_excel.cli import main as cli_main

    return cli_main(argv)
