"""Every command's ``--help`` ends with a worked example (issue 15, item 8), as sqlite-utils' does.

The commands are found by walking the typer application, so a new command
without an example fails here. The example must run the command it documents,
with options that command has.
"""

from __future__ import annotations

import shlex

import pytest
import typer

from kc_excel.cli import app, main

HEADING = "Ví dụ / Example:"
GLOBAL_OPTIONS = {"--lang", "--debug"}


def commands() -> list[tuple[list[str], object]]:
    """(path, click command) of the application, every group and every command under it."""
    found = []

    def walk(command, path: list[str]) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def test_the_walk_finds_every_command():
    paths = {" ".join(path) for path, _ in commands()}
    assert {"", "validate", "consolidate", "attainment", "template registration", "addin install",
            "round", "round open", "round plan", "round log"} <= paths
    assert len(paths) >= 20


def example_lines(text: str) -> list[str]:
    """The example block that ends ``text`` (nothing but examples after its heading)."""
    lines = [line.strip() for line in text.rstrip().splitlines()]
    assert HEADING in lines, text[-600:]
    block = lines[len(lines) - 1 - lines[::-1].index(HEADING) + 1:]
    assert block and all(line.startswith("kc-excel ") for line in block), block
    return block


def options_of(command) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help"}


@pytest.mark.parametrize("path, command", commands(), ids=lambda p: " ".join(p) if isinstance(p, list) else "")
def test_help_ends_with_an_example_of_the_command(path, command, capsys):
    assert main([*path, "--help"]) == 0
    block = example_lines(capsys.readouterr().out)
    for line in block:
        words = shlex.split(line)[1:]
        if words[:1] == ["--lang"]:
            words = words[2:]
        if not path:  # the application's own help shows its commands
            assert words[0] in command.commands, line
            continue
        if not hasattr(command, "commands"):
            assert words[:len(path)] == path, line
            unknown = {w.split("=")[0] for w in words if w.startswith("-")} - options_of(command) - GLOBAL_OPTIONS
            assert not unknown, (line, unknown)
        else:
            assert words[:len(path)] == path and words[len(path)] in command.commands, line
