"""`kc-excel addin build|install`: the Excel add-in kc_excel.xlam (contract §4, §5).

``build`` writes the add-in from ``macros/`` (exit 0; 2 when macros/ is missing
or unusable, or the output cannot be written). ``install`` installs it for the
current Windows user (exit 0); on any other OS it prints, in Vietnamese, what to
do instead and exits with 2 (nothing was installed: the command cannot be used
on this machine).

The add-in builder (zip packaging, macro sources) is imported when a command
runs; ``kc-excel validate`` and ``consolidate`` should not pay for it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from kc_excel.cli.app import addin_app
from kc_excel.cli.examples import example
from kc_excel.cli.common import EXIT_BAD_INPUT, say

DEFAULT_OUT_DIR = Path("build") / "addin"
"""Shown in ``--help``; the same as :data:`kc_excel.addin.build.DEFAULT_OUT_DIR` (a test checks)."""


@addin_app.command("build", epilog=example("kc-excel addin build -o build/addin"))
def build(
    out: Path = typer.Option(DEFAULT_OUT_DIR, "-o", "--out",
                             help="Thư mục ghi kc_excel.xlam (mặc định build/addin). Output folder."),
    macros: Path = typer.Option(None, "--macros",
                                help="Thư mục mã nguồn VBA và ribbon (mặc định macros/). Source folder."),
) -> None:
    """Tạo add-in kc_excel.xlam từ macros/ (giống hệt nhau mỗi lần). Build the add-in reproducibly."""
    from kc_excel.addin.build import build_addin

    path = build_addin(out, macros_dir=macros)
    say(f"Đã tạo add-in: {path}", f"Add-in written: {path}")


@addin_app.command("install", epilog=example("kc-excel addin install"))
def install(
    xlstart: bool = typer.Option(False, "--xlstart",
                                 help="Chép vào thư mục XLSTART (Excel tự mở khi khởi động). Install into XLSTART."),
) -> None:
    """Cài add-in cho người dùng Windows hiện tại (không cần quyền quản trị). Install for this Windows user."""
    from kc_excel.addin.install import ENABLE_STEPS_VI, NOT_WINDOWS_VI, install_addin

    if not sys.platform.startswith("win"):
        say(NOT_WINDOWS_VI, "`kc-excel addin install` works on Windows only; build the add-in with "
            "`kc-excel addin build` and install it on a Windows computer with Excel.")
        raise typer.Exit(EXIT_BAD_INPUT)
    result = install_addin(environ=os.environ, xlstart=xlstart)
    say(f"Đã cài add-in: {result.addin}\nĐã ghi thiết lập xlwings: {result.config}\n\n{ENABLE_STEPS_VI}",
        f"Add-in installed: {result.addin}\nxlwings settings written: {result.config}\n"
        "Enable it in Excel: File > Options > Add-ins > Excel Add-ins > Go… > tick kc_excel.")
