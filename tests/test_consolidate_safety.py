"""Writing the plan: lock contention between processes, a run killed mid-write, LibreOffice recalculation."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kc_excel.consolidate.run import consolidate_folder
from kc_excel.errors import OutputError
from kc_excel.libreoffice import convert

from consolidate_helpers import district, machine_line, registration, sha256

ROOT = Path(__file__).resolve().parent.parent
KC = [sys.executable, "-m", "kc_excel"]
TAN_PHU, CAM_MY, XUAN_LOC = district("Tân Phú"), district("Cẩm Mỹ"), district("Xuân Lộc")


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    registration(folder, TAN_PHU, [machine_line(TAN_PHU, n, tong=300 + n, doi_ung=150 + n)
                                   for n in range(1, 4)])
    registration(folder, CAM_MY, [machine_line(CAM_MY, 1, tong=0.000001, kcdp=0, doi_ung=0.000001)])
    registration(folder, XUAN_LOC, [machine_line(XUAN_LOC, 1, hoat_dong="MAY_MOC", don_vi_tinh="đề án")])
    return folder


def command(folder: Path, out: Path) -> list[str]:
    return [*KC, "consolidate", str(folder), "--province", "Đồng Nai", "--year", "2022", "--level", "district",
            "-o", str(out), "--no-cache"]


def test_a_second_run_waits_for_the_lock_then_exits_2(inbox, tmp_path):
    out = tmp_path / "plan.xlsx"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from filelock import FileLock\n"
        f"lock = FileLock({str(out) + '.lock'!r}); lock.acquire(); print('held', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        second = subprocess.run(command(inbox, out), capture_output=True, text=True, cwd=ROOT,
                                env={**os.environ, "KC_EXCEL_LOCK_TIMEOUT": "1.5"}, timeout=120)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 2
    assert "đang được một lần tổng hợp khác ghi" in second.stderr
    assert "Traceback" not in second.stderr
    assert waited >= 1.5
    assert not out.exists()


def test_a_killed_run_leaves_the_old_output_or_the_complete_new_one(inbox, tmp_path):
    out = tmp_path / "plan.xlsx"
    consolidate_folder(inbox, province="Đồng Nai", year=2022, output=out, level="district", cache_dir=False)
    (inbox / "DangKy_2022_739.xlsx").unlink()  # the next runs write a different plan
    old_bytes = out.read_bytes()
    old = sha256(out)
    outcomes = set()
    for delay in (0.0, 0.02, 0.2):
        process = subprocess.Popen(command(inbox, out), cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if list(tmp_path.glob(".~kc-plan.xlsx.*.tmp")):
                time.sleep(delay)
                break
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if sha256(out) == old:
            outcomes.add("old")
        else:
            statuses = [row[3] for row in load_workbook(out)["Tình trạng nộp"].iter_rows(min_row=5, values_only=True)]
            assert statuses.count("Hợp lệ") == 2  # the complete new plan (Cẩm Mỹ's file is gone)
            outcomes.add("new")
            out.write_bytes(old_bytes)
    assert outcomes <= {"old", "new"} and outcomes


def test_an_existing_file_that_is_not_a_plan_is_never_overwritten(inbox, tmp_path):
    target = inbox / "DangKy_2022_734.xlsx"
    before = sha256(target)
    with pytest.raises(OutputError):
        consolidate_folder(inbox, province="Đồng Nai", year=2022, output=target, level="district", cache_dir=False)
    assert sha256(target) == before


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_totals_to_the_python_totals(inbox, tmp_path, soffice):
    out = tmp_path / "plan.xlsx"
    outcome = consolidate_folder(inbox, province="Đồng Nai", year=2022, output=out, level="district",
                                 cache_dir=False)
    totals = outcome.plan.totals
    assert totals["tong"] == sum(ln.tong for ln in outcome.plan.lines) and len(outcome.plan.lines) == 5
    # Break the cached values first: the numbers read back must come from LibreOffice's calculation.
    broken = tmp_path / "broken" / "plan.xlsx"
    broken.parent.mkdir()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1<v>7</v>", data)
            target.writestr(item, data)
    assert load_workbook(broken, data_only=True)["Theo đơn vị"]["E5"].value == 7
    recalculated = convert(broken, "xlsx", tmp_path / "lo")
    wb = load_workbook(recalculated, data_only=True)
    money = ["Tổng kinh phí (triệu đồng)", "Khuyến công quốc gia (triệu đồng)", "Khuyến công địa phương (triệu đồng)",
             "Vốn đối ứng (triệu đồng)", "Nguồn khác (triệu đồng)"]
    keys = ["tong", "kcqg", "kcdp", "doi_ung", "khac"]
    for sheet, table in (("Tổng hợp", "TongHop"), ("Tổng hợp", "TongHopNhom"), ("Theo đơn vị", "TheoDonVi")):
        ws = wb[sheet]
        ref = ws.tables[table].ref
        first, last = ref.split(":")
        header_row, last_row = int("".join(filter(str.isdigit, first))), int("".join(filter(str.isdigit, last)))
        header = [c.value for c in ws[header_row]]
        total_row = [c.value for c in ws[last_row + 1]]
        assert "Tổng cộng" in total_row
        for name, key in zip(money, keys):
            column = header.index(name)
            assert total_row[column] == totals[key], (table, key)
            assert sum(ws.cell(r, column + 1).value or 0 for r in range(header_row + 1, last_row + 1)) == totals[key]
    by_unit = {row[0]: row for row in wb["Theo đơn vị"].iter_rows(min_row=5, values_only=True) if row[0]}
    assert by_unit["739"][4] == 1 and by_unit["734"][3] == 3  # 1 đồng survives; 3 lines of Tân Phú
