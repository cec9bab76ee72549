"""What the readers' fork server imports before any file (kc_excel.validation.preload)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from builders import CLEAN_ROW, build_registration
from kc_excel.validation.runner import check_row
from kc_excel.workbook.layout import REGISTRATION


def test_the_warm_up_row_is_a_valid_registration_row():
    from kc_excel.validation.preload import SAMPLE_ROW

    assert set(SAMPLE_ROW) <= set(REGISTRATION.keys)
    assert check_row([SAMPLE_ROW.get(key) for key in REGISTRATION.keys]) == []  # the rules' ordinary path


def test_preloading_registers_the_rules_and_pandera_backends():
    script = ("import sys, kc_excel.validation.preload; from pandera.api.pandas.container import DataFrameSchema; "
              "print('kc_excel.validation.rules' in sys.modules, bool(DataFrameSchema.BACKEND_REGISTRY))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True"]


FIRST_FILE_TASK = '''
import sys
from kc_excel.consolidate.core import ExpectedUnit
from kc_excel.consolidate.parallel import InReader, Validator


class NewModules(InReader):
    """Consolidation's reader task, noting the modules its reader imports for its first file."""

    def __init__(self):
        super().__init__(Validator([ExpectedUnit("26734", "Phường Trấn Biên")], {}, None))

    def prepare(self):
        super().prepare()
        self.before = set(sys.modules)

    def __call__(self, data, extra):
        analysed = super().__call__(data, extra)
        return sorted(set(sys.modules) - self.before), len(analysed.lines)
'''

FIRST_FILE_RUN = '''
import sys
sys.path.insert(0, sys.argv[1])
from new_modules import NewModules
from kc_excel.consolidate.warmup import start_readers_server
from kc_excel.workbook.reader import read_many

start_readers_server()
(_, (imported, lines)), = read_many([sys.argv[2]], workers=1, task=NewModules(), extras=[("dk.xlsx", None)])
print(lines, *imported)
'''


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server on Windows (spawn)")
def test_a_reader_imports_nothing_for_its_first_file(tmp_path):
    """Everything a consolidation reader needs is imported once, by the fork server, not per reader."""
    (tmp_path / "new_modules.py").write_text(FIRST_FILE_TASK, encoding="utf-8")
    good = build_registration(tmp_path / "dk.xlsx", [CLEAN_ROW, CLEAN_ROW]).path
    done = subprocess.run([sys.executable, "-c", FIRST_FILE_RUN, str(tmp_path), str(good)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2"]  # both lines accepted, and no module imported on the way
