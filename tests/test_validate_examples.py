"""The shipped examples: the faulty district is reported with every listed mistake at its cell; the rest are clean."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES

from kc_excel.cli import main

EXPECTED = EXAMPLES / "expected_mistakes.json"
pytestmark = pytest.mark.skipif(not EXPECTED.exists(), reason="workbooks/examples not generated (make examples)")


def _expected() -> list[dict]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_faulty_district_reports_every_listed_mistake_at_its_cell(capsys):
    expected = _expected()
    names = sorted({m["file"] for m in expected})
    assert names, "expected_mistakes.json lists no mistake"
    assert main(["validate", "--json", *(str(EXAMPLES / n) for n in names)]) == 1
    document = json.loads(capsys.readouterr().out)
    found = sorted((f["path"].replace("\\", "/").rsplit("/", 1)[-1], i["sheet"], i["cell"], i["code"])
                   for f in document["files"] for i in f["issues"])
    assert found == sorted((m["file"], m["sheet"], m["cell"], m["code"]) for m in expected)


def test_clean_examples_validate_with_exit_0(capsys):
    faulty = {m["file"] for m in _expected()}
    clean = sorted(p for p in EXAMPLES.glob("*.xlsx") if p.name not in faulty)
    assert len(clean) >= 3
    assert main(["validate", *map(str, clean)]) == 0, capsys.readouterr().out
