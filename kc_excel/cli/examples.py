"""Every command's ``--help`` ends with a worked example, as sqlite-utils' does (tests/test_cli_help.py checks)."""

from __future__ import annotations


def example(*commands: str) -> str:
    """A command's epilog: "Ví dụ / Example:" and ``commands``, one a line (click's ``\\b`` keeps them as written)."""
    lines = "\n".join(f"  {command}" for command in commands)
    return f"\b\nVí dụ / Example:\n{lines}"
