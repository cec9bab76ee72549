"""Fuzzing: byte mutants of a genuine template through the reader, arbitrary values through the UDFs.

Budget: ``KC_FUZZ_EXAMPLES`` mutants (default 2000 in CI, ``make fuzz`` sets
20000), seed ``KC_FUZZ_SEED`` (default fixed, so CI is reproducible; a failure
names the mutant's file, seed and index). Only clean outcomes are allowed: a
``WorkbookData`` (then validated without an exception) or a ``FileLevelError``
with a file-level code; never another exception, a hang, or a crash of this
(the parent) process.

The number parser, the KC_DOCSO round trip and TCVN3/VNI conversion already
have property tests by their authors (tests/test_numbers.py,
tests/test_words.py, tests/test_legacy.py); here the Excel formulas are
fuzzed as Excel calls them: with any cell value, they never raise.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import fuzzing
from kc_excel.errors import FileLevelError
from kc_excel.validation.issues import CODES
from kc_excel.validation.runner import validate_workbook
from kc_excel.workbook.data import WorkbookData
from kc_excel.workbook.reader import ReadLimits, read_many

EXAMPLES = int(os.environ.get("KC_FUZZ_EXAMPLES", "2000"))
SEED = int(os.environ.get("KC_FUZZ_SEED", "7"))
FILE_LEVEL = {code for code, info in CODES.items() if info.file_level}
BATCH = 500


@pytest.mark.slow
def test_fuzz_mutated_templates_give_only_clean_outcomes(tmp_path, base):
    started = time.monotonic()
    outcomes: Counter[str] = Counter()
    limits = ReadLimits(timeout_seconds=15)
    for first in range(0, EXAMPLES, BATCH):
        batch_dir = tmp_path / f"batch-{first}"
        batch_dir.mkdir()
        mutants = fuzzing.write_mutants(base, batch_dir, min(BATCH, EXAMPLES - first), SEED + first)
        families = dict(mutants)
        for path, outcome in read_many([p for p, _ in mutants], workers=2, limits=limits):
            family = families[path]
            if isinstance(outcome, FileLevelError):
                assert outcome.code in FILE_LEVEL, (path.name, outcome.code, outcome.message)
                assert "đọc quá" not in outcome.message, f"{path.name}: the reader hung: {outcome.message}"
                outcomes[f"{family}:{outcome.code}"] += 1
            else:
                assert isinstance(outcome, WorkbookData), (path.name, type(outcome))
                try:
                    report = validate_workbook(outcome)
                except Exception as exc:  # noqa: BLE001 - the finding is the exception itself
                    pytest.fail(f"validation raised {type(exc).__name__}: {exc} on {path.name} (seed {SEED})")
                outcomes[f"{family}:ok" + (" with errors" if report.errors else "")] += 1
        for path, _ in mutants:
            path.unlink()
    elapsed = time.monotonic() - started
    print(f"\nfuzz: {EXAMPLES} mutants in {elapsed:.0f} s: {dict(sorted(outcomes.items()))}")
    assert sum(outcomes.values()) == EXAMPLES
    # The mutants must reach the deeper layers, not only the zip checks.
    assert any(k.startswith("xml:ok") for k in outcomes) and any(k.startswith("raw:file-") for k in outcomes)


CELL_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.sampled_from(["1.500", "1,5", "17.331 triệu đồng", "1 tỷ 650 triệu", "56,7%", "#N/A", "=1+1", "", " "]),
)


def _udfs():
    from kc_excel import udfs

    return udfs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CELL_VALUES, min_size=1, max_size=8))
def test_excel_formulas_never_raise_on_any_cell_values(values):
    """Every KC_* UDF returns a value (a number, text, a Vietnamese message) for any arguments."""
    udfs = _udfs()
    calls = {
        "KC_DOCSO": 2, "KC_SO": 1, "KC_MST": 1, "KC_CHUANHOA": 1, "KC_TYLE": 2, "KC_TIENDO": 3,
        "KC_DANHGIA": 8, "KC_TANGTRUONG": 3,
    }
    for name, arity in calls.items():
        args = (values * arity)[:arity]
        result = getattr(udfs, name)(*args)
        assert result is None or isinstance(result, (str, int, float, bool, Decimal, list, tuple)), (name, result)
