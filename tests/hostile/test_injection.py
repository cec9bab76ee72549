"""Formula injection: text from a submission stays text in every workbook we write.

A commune can type (or craft) cells holding ``=HYPERLINK("http://x","y")``,
``=cmd|'/C calc'!A0`` (DDE), ``@SUM(A1:A2)``, ``+1+1`` or ``-1+1``. Copied
naively into the provincial plan that staff open, they would become live
formulas. Every output is checked at the XML level (the cell is a string,
``t="s"``/``t="inlineStr"``, with no ``<f>`` element) and with openpyxl:

- ``validate --annotate``: the marked-up copy and its ``Lỗi`` sheet;
- ``consolidate``: ``Chi tiết`` (accepted lines), ``Lỗi`` (rejected values),
  ``Tình trạng nộp`` (file names);
- ``attainment``: ``Đánh giá`` (indicator names and notes of the programme).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hostile import genuine, payloads
from hostile.helpers import XmlCell, consolidate_args, formula_leaks, run_cli, xml_cells

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|'/C calc'!A0", "@SUM(A1:A2)", "+1+1", "-1+1"]
EXAMPLES = Path(__file__).resolve().parents[2] / "workbooks" / "examples"

# Free-text columns of a valid line (row 7 and 8): the line is accepted and copied to the plan.
FREE_TEXT = {"B7": PAYLOADS[0], "D7": PAYLOADS[1], "E7": PAYLOADS[2], "R7": PAYLOADS[3], "R8": PAYLOADS[4]}
# Checked columns: each value is an error, so it is copied to the Lỗi sheets as the value.
CHECKED = {"C7": PAYLOADS[1], "H7": PAYLOADS[2], "J7": PAYLOADS[3], "K7": PAYLOADS[4], "I7": PAYLOADS[0]}


def assert_text_only(path: Path, expected: set[str]) -> list[XmlCell]:
    """Each payload in ``expected`` is found as a string cell; no formula anywhere carries a payload."""
    leaks = formula_leaks(path)
    assert leaks == [], leaks
    cells = xml_cells(path)
    found = [c for c in cells if c.text is not None and any(p in c.text for p in PAYLOADS)]
    assert all(c.type in ("s", "inlineStr") for c in found), [c for c in found if c.type not in ("s", "inlineStr")]
    texts = {p for p in PAYLOADS for c in found if p in c.text}
    assert expected <= texts, (expected - texts, found)
    return found


def assert_openpyxl_text(path: Path, found: list[XmlCell]) -> None:
    book = load_workbook(path)
    for cell in found:
        value = book[cell.sheet][cell.ref]
        assert value.data_type == "s" and isinstance(value.value, str), (cell, value.data_type)


@pytest.fixture(scope="module")
def submissions(tmp_path_factory, province_key):
    """Commune 0: a valid file with payloads in free-text columns; commune 1: payloads in checked columns."""
    folder = tmp_path_factory.mktemp("injection")
    units = genuine.communes()
    a, b = units[0], units[1]
    lines_a = [genuine.clean_line(a, 1), genuine.clean_line(a, 2, tong=100, kcdp=40, doi_ung=60)]
    src = tmp_path_factory.mktemp("src")
    accepted = payloads.with_texts(genuine.write_genuine(src / "a.xlsx", a, lines_a, key=province_key),
                                   folder / f"DangKy_2026_{a.code}.xlsx", FREE_TEXT)
    rejected = payloads.with_texts(genuine.write_genuine(src / "b.xlsx", b, key=province_key),
                                   folder / f"DangKy_2026_{b.code}.xlsx", CHECKED)
    return folder, accepted, rejected, lines_a


def test_payloads_are_accepted_as_plain_text_in_free_text_columns(submissions):
    _, accepted, _, _ = submissions
    result = run_cli("validate", "--json", accepted)
    assert result.code == 0, result.out
    assert json.loads(result.out)["files"][0]["valid"] is True


def test_annotated_copy_and_its_error_sheet_hold_text(tmp_path, submissions):
    _, _, rejected, _ = submissions
    before = genuine.sha256(rejected)
    out = tmp_path / "danh dau.xlsx"
    result = run_cli("validate", rejected, "--annotate", out)
    assert result.code == 1, result.out + result.err
    found = assert_text_only(out, set(PAYLOADS))
    assert {c.sheet for c in found} >= {"Đăng ký", "Lỗi"}, found
    assert_openpyxl_text(out, found)
    assert genuine.sha256(rejected) == before


def test_annotated_copy_of_an_accepted_file_keeps_text(tmp_path, submissions):
    _, accepted, _, _ = submissions
    out = tmp_path / "accepted-annotated.xlsx"
    assert run_cli("validate", accepted, "--annotate", out).code == 0
    assert_openpyxl_text(out, assert_text_only(out, set(FREE_TEXT.values())))


def test_consolidated_plan_holds_payloads_as_text(tmp_path, submissions):
    folder, accepted, rejected, lines_a = submissions
    hashes = {p: genuine.sha256(p) for p in (accepted, rejected)}
    plan = tmp_path / "plan.xlsx"
    result = run_cli(*consolidate_args(folder, plan, "--json"))
    assert result.code == 1, result.err
    document = json.loads(result.out)
    assert document["rows"] == len(lines_a)
    assert document["totals"]["tong"] == genuine.expected_total_dong(lines_a)
    found = assert_text_only(plan, set(PAYLOADS))
    sheets = {c.sheet for c in found}
    assert {"Chi tiết", "Lỗi"} <= sheets, sheets
    assert_openpyxl_text(plan, found)
    assert {p: genuine.sha256(p) for p in (accepted, rejected)} == hashes


def test_file_named_like_a_formula_is_text_in_the_plan(tmp_path, province_key):
    folder = tmp_path / "in"
    folder.mkdir()
    unit = genuine.communes()[0]
    name = "=HYPERLINK(\"http:..x\",\"y\") +1+1.xlsx"
    genuine.write_genuine(folder / name, unit, key=province_key)
    plan = tmp_path / "plan.xlsx"
    result = run_cli(*consolidate_args(folder, plan))
    assert result.code in (0, 1), result.err
    cells = xml_cells(plan)
    named = [c for c in cells if c.text and "HYPERLINK" in c.text]
    assert named and all(c.type in ("s", "inlineStr") for c in named)
    assert not [c for c in cells if c.formula and "HYPERLINK" in c.formula]


def test_attainment_report_holds_programme_text_as_text(tmp_path):
    """Indicator names and notes of the programme workbook flow into ``Đánh giá``."""
    programme = payloads.with_texts(EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx", tmp_path / "ct.xlsx",
                                    {"B5": PAYLOADS[0], "K5": PAYLOADS[1], "B6": PAYLOADS[2], "B7": PAYLOADS[3],
                                     "B8": PAYLOADS[4]})
    results = tmp_path / "kq.xlsx"
    shutil.copyfile(EXAMPLES / "KetQua_DongNai_2021-2023.xlsx", results)
    report = tmp_path / "danh-gia.xlsx"
    result = run_cli("attainment", "--programme", programme, "--results", results, "--as-of", "2023-12",
                     "-o", report)
    assert result.code in (0, 1), result.err
    assert_openpyxl_text(report, assert_text_only(report, set(PAYLOADS)))
