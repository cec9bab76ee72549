"""Filled registration files for the consolidation tests (written by the real template writer)."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from kc_excel import catalog
from kc_excel.workbook.templates import write_registration

OLD_DONG_NAI = catalog.find_province("Đồng Nai", era="old")
T0 = datetime(2021, 5, 1, 8, 0, tzinfo=timezone.utc)


def district(name: str):
    return catalog.find_unit(OLD_DONG_NAI, name, level="huyen")


def machine_line(unit, n: int = 1, *, tong: int = 400, kcdp: int = 150, doi_ung: int = 250, **changes: Any) -> dict:
    """A valid MAY_MOC line of ``unit`` (money in triệu đồng as typed)."""
    commune = catalog.communes_of(unit)[0].name
    line = {"stt": n, "ten_de_an": f"Hỗ trợ máy móc thiết bị số {n}", "hoat_dong": "MAY_MOC",
            "don_vi_thuc_hien": "Trung tâm Khuyến công", "co_so": f"Cơ sở cơ khí {unit.short} {n}",
            "loai_hinh": "Hộ kinh doanh", "dia_diem": commune, "don_vi_tinh": "cơ sở", "so_luong": 1,
            "tong": tong, "kcqg": 0, "kcdp": kcdp, "doi_ung": doi_ung, "khac": 0,
            "thang_bat_dau": 3, "thang_ket_thuc": 9}
    line.update(changes)
    return line


def registration(folder: Path, unit, lines: list[dict], *, year: int = 2022, province=OLD_DONG_NAI,
                 created: datetime = T0, name: str | None = None) -> Path:
    path = folder / (name or f"DangKy_{year}_{unit.code}.xlsx")
    write_registration(path, province, unit, year, lines, created=created)
    return path


def set_text_cells(path: Path, texts: dict[tuple[int, str], str]) -> None:
    """Put literal text (never a formula) into data cells: {(data row index, header): text}."""
    wb = load_workbook(path)
    ws = wb["Đăng ký"]
    table = ws.tables["DangKy"]
    first = ws[table.ref.split(":")[0]]
    headers = {ws.cell(first.row, c).value: c for c in range(first.column, first.column + 18)}
    for (index, header), text in texts.items():
        cell = ws.cell(first.row + 1 + index, headers[header])
        cell.value = text
        cell.data_type = "s"
    wb.save(path)


def drop_meta(path: Path, *keys: str) -> None:
    """Blank ``_kc`` entries (a form whose unit metadata was lost)."""
    wb = load_workbook(path)
    ws = wb["_kc"]
    for row in ws.iter_rows():
        if row[0].value in keys:
            row[1].value = None
    wb.save(path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_xml(path: Path, sheet_name: str) -> str:
    """The XML of a worksheet by its name."""
    import re

    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet name="{re.escape(sheet_name)}"[^>]*r:id="(rId\d+)"', workbook).group(1)
        target = re.search(rf'Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels)
        target = target.group(1) if target else re.search(rf'Target="([^"]+)"[^>]*Id="{rid}"', rels).group(1)
        return archive.read("xl/" + target.lstrip("/").removeprefix("xl/")).decode()
