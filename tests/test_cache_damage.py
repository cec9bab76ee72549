"""Own state survives damage: a cache entry that does not decode *and* validate is deleted and its file
read again, whatever is wrong with it; the plan is the same as without a cache, never exit 3."""

from __future__ import annotations

import json

import pytest

from kc_excel.consolidate.run import consolidate_folder

from consolidate_helpers import district, machine_line, registration


def _run(folder, cache):
    return consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, level="district",
                              cache_dir=cache)


def _edit(document: dict, how: str) -> str:
    line_values = document["lines"][0][0]
    if how == "quantity-not-a-number":
        line_values[9] = "mười"
    elif how == "quantity-nan":
        line_values[9] = "NaN"
    elif how == "amount-as-text":
        line_values[10] = "400000000"
    elif how == "name-as-number":
        line_values[1] = 7
    elif how == "unknown-issue-code":
        document["issues"] = [["khong-co", "error", "", "", None, None, None, None, None, None]]
    elif how == "row-as-text":
        document["issues"] = [["sum-mismatch", "error", "", "", None, None, None, "x", None, None]]
    elif how == "unknown-read-error":
        document["read_error"] = "khong-co"
    elif how == "document-a-list":
        return json.dumps([document])
    elif how == "nested-deep":
        return "[" * 100_000 + "]" * 100_000
    return json.dumps(document)


@pytest.mark.parametrize("how", ["quantity-not-a-number", "quantity-nan", "amount-as-text", "name-as-number",
                                 "unknown-issue-code", "row-as-text", "unknown-read-error", "document-a-list",
                                 "nested-deep"])
def test_a_damaged_cache_entry_is_deleted_and_its_file_read_again(tmp_path, how):
    folder, cache = tmp_path / "in", tmp_path / "cache"
    folder.mkdir()
    registration(folder, district("Tân Phú"), [machine_line(district("Tân Phú"))])
    clean = _run(folder, cache)
    (entry,) = list(cache.rglob("*.json"))
    entry.write_text(_edit(json.loads(entry.read_text(encoding="utf-8")), how), encoding="utf-8")
    again = _run(folder, cache)
    assert again.cache_hits == 0
    assert again.plan.totals == clean.plan.totals and len(again.plan.lines) == len(clean.plan.lines) == 1
    assert json.loads(entry.read_text(encoding="utf-8"))["lines"]  # re-read and written back whole
    assert _run(folder, cache).cache_hits == 1
