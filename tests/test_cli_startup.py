"""``kc-excel`` starts fast: importing the CLI registers the commands without loading their cores.

Every run imports all command modules (typer needs their signatures), so a
module-level ``import openpyxl`` or ``from kc_excel.workbook import ...`` in any of
them makes ``kc-excel validate`` and ``consolidate`` pay ~0.5 s before doing anything.
Each check runs in a fresh interpreter: this test process has long since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY_LIBRARIES = ("openpyxl", "pandas", "pandera", "xlsxwriter", "numpy")
CORE_PACKAGES = ("kc_excel.workbook", "kc_excel.catalog", "kc_excel.mail", "kc_excel.attainment",
                 "kc_excel.addin", "kc_excel.consolidate", "kc_excel.validation", "kc_excel.libreoffice",
                 "kc_excel.signing")


def loaded_after(code: str) -> dict[str, list[str]]:
    """The heavy libraries and kc_excel cores a fresh interpreter holds after running ``code``."""
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps({{'libraries': sorted(m for m in {HEAVY_LIBRARIES!r} if m in sys.modules), "
             f"'cores': sorted(m for m in sys.modules if m.startswith({CORE_PACKAGES!r}))}}))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library_and_no_core():
    assert loaded_after("import kc_excel.cli") == {"libraries": [], "cores": []}


@pytest.mark.parametrize("command", [["validate"], ["consolidate"], ["attainment"], ["template", "registration"],
                                     ["addin", "build"]], ids=" ".join)
def test_command_help_loads_no_heavy_library(command):
    code = f"from kc_excel.cli import main\nassert main({[*command, '--help']!r}) == 0"
    assert loaded_after(code)["libraries"] == []


def test_addin_build_help_shows_the_builders_default_folder():
    from kc_excel.addin.build import DEFAULT_OUT_DIR
    from kc_excel.cli import addin

    assert addin.DEFAULT_OUT_DIR == DEFAULT_OUT_DIR


def printed_by(probe: str, *, exit_code: int = 0) -> list[str]:
    """The words a fresh interpreter prints running ``probe`` (which must exit with ``exit_code``)."""
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == exit_code, done.stderr
    return done.stdout.split()


def test_the_command_exits_with_its_code(tmp_path):
    """``python -m kc_excel`` (the console script's code): an unusable input is exit 2, with a message."""
    probe = ("import runpy, sys\n"
             f"sys.argv = ['kc-excel', '--lang', 'en', 'validate', {str(tmp_path / 'missing.xlsx')!r}]\n"
             "try:\n    runpy.run_module('kc_excel', run_name='__main__')\n"
             "except SystemExit as exit_:\n    print('exit', exit_.code)")
    assert printed_by(probe)[-2:] == ["exit", "2"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs a device that is always full")
def test_a_failed_save_reports_once_and_prints_nothing_at_exit():
    """openpyxl's archive is closed where the save fails, not left to the garbage collector."""
    probe = ("import openpyxl\nfrom kc_excel.workbook.writer import save_workbook\n"
             "wb = openpyxl.Workbook()\nfor row in range(3000):\n    wb.active.append([row, 'x' * 50])\n"
             "try:\n    save_workbook(wb, '/dev/full')\nexcept OSError as error:\n    print(error.errno)\n"
             "import gc\ngc.collect()")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.split() == ["28"]
    assert done.stderr == ""
