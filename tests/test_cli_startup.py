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
                 "kc_excel.identity")


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


def test_the_command_is_found_after_the_global_options():
    from kc_excel.launch import command_of

    assert command_of(["--lang", "en", "consolidate", "thu-muc"]) == "consolidate"
    assert command_of(["--debug", "validate", "a.xlsx"]) == "validate"
    assert command_of(["--lang", "consolidate"]) is None  # "consolidate" is --lang's value here
    assert command_of([]) is None


def printed_by(probe: str, *, exit_code: int = 0) -> list[str]:
    """The words a fresh interpreter prints running ``probe`` (which must exit with ``exit_code``)."""
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == exit_code, done.stderr
    return done.stdout.split()


def test_the_entry_module_loads_no_heavy_library_and_no_core():
    assert loaded_after("import kc_excel.launch") == {"libraries": [], "cores": []}


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server on Windows (spawn)")
def test_consolidate_starts_its_readers_server_before_the_cli_is_imported():
    """The server's imports (pandas, pandera: the longest wait before the first file) overlap the CLI's own."""
    probe = ("import sys, psutil\nfrom kc_excel.launch import start_early\n"
             "start_early(['--lang', 'en', 'consolidate', 'thu-muc'])\n"
             "servers = [p for p in psutil.Process().children() if 'forkserver' in ' '.join(p.cmdline())]\n"
             "print(len(servers), 'typer' in sys.modules, 'kc_excel.cli' in sys.modules)")
    assert printed_by(probe) == ["1", "False", "False"]


def test_no_server_for_other_commands_or_for_help():
    probe = ("import psutil\nfrom kc_excel.launch import start_early\n"
             "for args in (['validate', 'a.xlsx'], ['consolidate', '--help'], []):\n"
             "    start_early(args)\n"
             "print(len(psutil.Process().children()))")
    assert printed_by(probe) == ["0"]


def test_the_command_freezes_the_heap_before_it_exits_and_keeps_its_exit_code():
    """Python's last collections at shutdown then skip everything the command imported (~0.1 s)."""
    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
             "sys.argv = ['kc-excel', 'validate', 'khong-co-tep-nay.xlsx']\n"
             "from kc_excel.launch import main\nmain()")
    assert printed_by(probe, exit_code=2)[-2:] == ["frozen", "True"]


def test_a_call_of_main_with_arguments_returns_without_freezing():
    """Tests and the add-in call ``main(args)`` inside a process that goes on: nothing is frozen there."""
    probe = ("import gc\nfrom kc_excel.cli import main\n"
             "code = main(['validate', 'khong-co-tep-nay.xlsx'])\nprint(code, gc.get_freeze_count())")
    assert printed_by(probe)[-2:] == ["2", "0"]
