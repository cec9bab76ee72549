"""`make bench` keeps working: the consolidation benchmark on two files, end to end."""

from __future__ import annotations

import json

from benchmarks import consolidation


def test_consolidation_benchmark_times_every_program_and_reports_the_ratios(tmp_path):
    text = consolidation.run([2], tmp_path)
    header, _, row = text.splitlines()[:3]
    assert "a/b" in header and "c/a" in header and "c/b" in header and "after start-up" in header
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "2" and len(cells) == 12
    assert float(cells[2]) > 0 and float(cells[6]) > 0 and float(cells[7]) > 0  # a, b, c were timed
    assert "Fixed start-up" in text
    saved = json.loads((tmp_path / "consolidation.json").read_text())
    size = saved["sizes"][0]
    assert size["n"] == 2 and size["a"]["returncode"] in (0, 1) and size["b"]["returncode"] == 0
    assert 0 < size["a"]["peak_main_mb"] <= size["a"]["peak_tree_mb"]  # (a)'s memory, from its sampled run
    assert (tmp_path / "plan-2.xlsx").stat().st_size > 0  # (a) wrote a plan
