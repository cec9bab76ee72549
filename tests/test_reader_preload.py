"""What the readers' fork server imports before any file (kc_excel.validation.preload)."""

from __future__ import annotations

import subprocess
import sys

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
