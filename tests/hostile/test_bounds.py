"""Everything bounded, nothing fatal: validation, --annotate and the centre's own workbooks run under
the reader's limits; over them, that input's issue (or a clean exit 2), never a hang or exit 3."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hostile import genuine, payloads
from hostile.helpers import run_cli
from hostile.stall import StallingNorms
from kc_excel.catalog import default_norms
from kc_excel.catalog.norms_file import load_norms
from kc_excel.errors import ConfigError, FileLevelError, InputError
from kc_excel.mail import read_contacts
from kc_excel.validation.annotate import annotate_within_limits
from kc_excel.validation.runner import validate_file, validate_files
from kc_excel.workbook.limits import ReadLimits
from kc_excel.workbook.trusted import read_trusted


def test_validate_runs_the_rules_under_the_per_file_time_limit(base, tmp_path):
    """A rule that never returns (here: stalling norms) is killed with its child: that file's
    file-too-large, the next file validated as usual."""
    other = genuine.write_genuine(tmp_path / "b.xlsx", genuine.communes()[1])
    started = time.monotonic()
    stalled = validate_files([base, other], norms=StallingNorms(default_norms()),
                             limits=ReadLimits(timeout_seconds=3))
    assert time.monotonic() - started < 30
    assert [[i.code for i in r.report.issues] for r in stalled] == [["file-too-large"]] * 2
    assert validate_file(other).valid


def _padded(base: Path, out: Path, cells: int = 60_000) -> Path:
    book = load_workbook(base)
    guide = book.create_sheet("Đệm")
    for n in range(cells):
        guide.cell(n // 200 + 1, n % 200 + 1, "đệm " * 5)
    book.save(out)
    return out


def test_annotate_runs_within_limits_and_writes_nothing_over_them(base, tmp_path):
    padded = _padded(base, tmp_path / "dem.xlsx")
    out = tmp_path / "danh-dau.xlsx"
    with pytest.raises(InputError) as refused:
        annotate_within_limits(padded, [], out, timeout_seconds=0.5)
    assert refused.value.code == "file-too-large" and "quá 0.5 giây" in refused.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dem.xlsx"]
    assert annotate_within_limits(base, [], out) == out and out.exists()


@pytest.mark.parametrize("make", [payloads.encrypted, payloads.billion_laughs, payloads.zip_bomb],
                         ids=["encrypted", "entities", "zip-bomb"])
def test_the_centres_own_workbooks_pass_the_readers_file_checks(base, tmp_path, make):
    hostile = make(base, tmp_path / "tep.xlsx")
    with pytest.raises(FileLevelError):
        read_contacts(hostile)
    with pytest.raises(ConfigError, match="tep.xlsx"):
        load_norms(hostile)
    result = run_cli("attainment", "--programme", str(hostile), "--results", str(hostile), "--plan", str(hostile),
                     "--as-of", "2026-06", "-o", str(tmp_path / "bao-cao.xlsx"))
    assert result.code == 2 and "Traceback" not in result.err


def test_reading_a_plan_table_is_bounded_in_time(base, tmp_path):
    from kc_excel.attainment.plan_file import _plan_table_cells

    padded = _padded(base, tmp_path / "ke-hoach.xlsx")
    with pytest.raises(FileLevelError) as over:
        read_trusted(_plan_table_cells, padded, limits=ReadLimits(timeout_seconds=0.5))
    assert over.value.code == "file-too-large"
    assert read_trusted(_plan_table_cells, base) is None  # a registration has no TongHop table
