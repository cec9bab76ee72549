"""Every line and every đồng survives a re-save by LibreOffice as .xls, .ods and .xlsx (issue 12 items 1, 5, 9).

Genuine templates filled at scattered rows (the first and the ninth data row,
a line typed two rows below the totals row), converted by LibreOffice in one
batch per format, then consolidated: the plan holds every line once, with its
source row, the totals to the đồng, and each file's own totals row agrees with
the lines read. Error values survive the conversion as ``formula-error``.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from consolidate_helpers import district, machine_line, registration
from kc_excel.consolidate.run import consolidate_folder
from kc_excel.libreoffice import run_soffice
from kc_excel.validation.runner import validate_file
from kc_excel.workbook.layout import REGISTRATION
from kc_excel.workbook.reader import read_workbook

pytestmark = pytest.mark.libreoffice

FORMATS = ("xls", "ods", "xlsx")
UNITS = {"xls": [district(n) for n in ("Tân Phú", "Cẩm Mỹ", "Định Quán")],
         "ods": [district(n) for n in ("Vĩnh Cửu", "Trảng Bom", "Thống Nhất")],
         "xlsx": [district(n) for n in ("Long Thành", "Xuân Lộc", "Nhơn Trạch")]}
"""Three units per format, so that one consolidation takes the files of all three formats."""
TEMPLATE_ROWS = 30


def convert_all(sources: list[Path], fmt: str, out_dir: Path) -> list[Path]:
    """One soffice run converting every source to ``fmt`` (files keep their stem)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = run_soffice(["--convert-to", fmt, "--outdir", str(out_dir), *map(str, sources)], timeout=180)
    produced = [out_dir / f"{source.stem}.{fmt}" for source in sources]
    assert all(p.exists() for p in produced), result.stderr
    return produced


def line(unit, n: int, dong: int) -> dict:
    """A valid MAY_MOC line costing ``dong`` đồng (typed in triệu đồng, exact to the đồng)."""
    support = min(dong // 2, 200_000_000)
    return machine_line(unit, n, tong=dong / 1_000_000, kcdp=support / 1_000_000,
                        doi_ung=(dong - support) / 1_000_000)


def fill(folder: Path, unit, spots: dict[int, int], below: int | None) -> tuple[Path, dict[int, int]]:
    """A genuine template of ``unit`` with lines at data rows ``spots`` {index: đồng} (+ one below the totals).

    Returns the file and the expected {Excel row: đồng} of every line.
    """
    rows = [line(unit, i + 1, spots[i]) if i in spots else {} for i in range(max(spots) + 1)]
    path = registration(folder, unit, rows)
    table = read_workbook(path).tables["dang-ky"]
    first, totals = table.header_row + 1, table.totals_row
    expected = {first + i: dong for i, dong in spots.items()}
    if below is not None:
        extra = line(unit, 99, below)
        wb = load_workbook(path)
        ws = wb["Đăng ký"]
        headers = {ws.cell(table.header_row, c).value: c for c in range(1, 19)}
        for key, value in extra.items():
            ws.cell(totals + 2, headers[REGISTRATION.column(key).header], value)
        wb.save(path)
        expected[totals + 2] = below
    return path, expected


def dong(trieu: float) -> int:
    """A cached triệu đồng value as Excel shows it (15 significant digits), in đồng."""
    return int(Decimal(format(trieu, ".15g")) * 1_000_000)


amount = st.integers(min_value=1, max_value=2_000_000_000)
spots = st.dictionaries(st.integers(0, TEMPLATE_ROWS - 1), amount, min_size=1, max_size=4)
fills = st.lists(st.tuples(spots, st.none() | amount), min_size=3, max_size=3)


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fills=fills)
@example(fills=[({0: 400_000_000, 8: 1_000_000_000}, 50_000_000)] * 3)  # issue 12: the first and ninth data row
def test_every_line_and_every_dong_survive_libreoffice(tmp_path, soffice, fills):
    run = Path(tmp_path / f"run-{len(list(tmp_path.iterdir()))}")
    source, inbox = run / "source", run / "inbox"
    source.mkdir(parents=True)
    expected: dict[tuple[str, int], int] = {}
    made: dict[str, list[Path]] = {}
    for fmt, units in UNITS.items():
        for unit, (where, below) in zip(units, fills):
            path, rows = fill(source, unit, where, below)
            made.setdefault(fmt, []).append(path)
            expected.update({(unit.code, row): dong for row, dong in rows.items()})
    with ThreadPoolExecutor(len(FORMATS)) as pool:  # one soffice run per format, the three at once
        converted = [p for batch in pool.map(lambda fmt: convert_all(made[fmt], fmt, inbox), FORMATS) for p in batch]
    assert sorted(p.suffix for p in inbox.iterdir()) == sorted(p.suffix for p in converted)
    plan = consolidate_folder(inbox, province="Đồng Nai", year=2022, output=None, level="district",
                              cache_dir=False).plan
    assert {(ln.unit_code, ln.row): ln.tong for ln in plan.lines} == expected
    assert plan.totals["tong"] == sum(expected.values())
    assert [i for i in plan.issues if i.code in ("totals-mismatch", "rows-unaccounted")] == []
    for path in converted:  # each file's own totals row states the sum of its table's lines
        table = read_workbook(path).tables["dang-ky"]
        inside = sum(dong(r.value("tong")) for r in table.records if r.in_table)
        assert dong(table.totals["tong"].value) == inside, path.name
    shutil.rmtree(run)


def test_error_values_survive_every_format_as_errors(tmp_path, soffice):
    unit = UNITS["xls"][0]
    path = registration(tmp_path, unit, [line(unit, 1, 400_000_000), line(unit, 2, 300_000_000)])
    table = read_workbook(path).tables["dang-ky"]
    first = table.header_row + 1
    wb = load_workbook(path)
    ws = wb["Đăng ký"]
    ws[f"K{first}"], ws[f"M{first + 1}"], ws[f"B{first + 5}"] = "=1/0", "=NA()", "=#REF!"
    wb.save(path)
    with ThreadPoolExecutor(len(FORMATS)) as pool:
        batches = dict(zip(FORMATS, pool.map(lambda fmt: convert_all([path], fmt, tmp_path / fmt)[0], FORMATS)))
    for fmt, converted in batches.items():
        found = {(i.code, i.cell, i.value) for i in validate_file(converted).report.issues}
        assert {("formula-error", f"K{first}", "#DIV/0!"), ("formula-error", f"M{first + 1}", "#N/A"),
                ("formula-error", f"B{first + 5}", "#REF!")} <= found, fmt
        assert not {c for c in found if c[0] in ("not-a-number", "sum-mismatch") and c[1] == f"K{first}"}, fmt
