"""Filled registrations for the benchmark, generated fast.

One filled workbook (40 lines) is written once with the real template writer
(openpyxl); every other unit's file is that workbook with only its small
hidden ``_kc`` sheet rewritten inside the zip (unit code and name, province,
year), so generating 3,321 files costs a zip copy each, not an openpyxl save.
The lines are activities that support no single facility (training, study
tours, workshops, fairs, media, capacity building), so the synthetic files do
not all name the same facility; Địa điểm is left empty (it is optional).
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from kc_excel import catalog
from kc_excel.workbook.layout import Meta
from kc_excel.workbook.templates import write_registration

YEAR = 2026
LINES_PER_FILE = 40
CREATED = datetime(2025, 9, 1, 8, 0, tzinfo=timezone.utc)
_ACTIVITIES = [("DAO_TAO_NGHE", "lớp"), ("KHOI_SU", "học viên"), ("THAM_QUAN", "đoàn"), ("HOI_THAO", "hội thảo"),
               ("BINH_CHON", "sản phẩm"), ("HOI_CHO", "gian hàng"), ("TRUYEN_THONG", "chuyên đề"),
               ("NANG_LUC", "người")]


def lines(n: int = LINES_PER_FILE) -> list[dict]:
    """``n`` valid lines; money in triệu đồng with up to 3 decimals (exact to the đồng)."""
    result = []
    for i in range(n):
        code, unit = _ACTIVITIES[i % len(_ACTIVITIES)]
        kcdp = 10 + (i * 7919) % 90 + (i % 1000) / 1000
        doi_ung = (i * 104729) % 50 + (i % 7) / 100
        result.append({"stt": i + 1, "ten_de_an": f"Nhiệm vụ khuyến công số {i + 1}", "hoat_dong": code,
                       "don_vi_thuc_hien": "Trung tâm Khuyến công", "don_vi_tinh": unit, "so_luong": 1 + i % 5,
                       "tong": round(kcdp + doi_ung, 3), "kcqg": 0, "kcdp": kcdp, "doi_ung": doi_ung, "khac": 0,
                       "thang_bat_dau": 1 + i % 6, "thang_ket_thuc": 7 + i % 6, "ghi_chu": None})
    return result


def money_of_one_file() -> int:
    """Tổng kinh phí of one generated file, in đồng (exact)."""
    from decimal import Decimal

    return sum(int(Decimal(str(line["tong"])) * 1_000_000) for line in lines())


def _meta_part(archive: zipfile.ZipFile) -> str:
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="_kc"[^>]*r:id="(rId\d+)"', workbook) or \
        re.search(r'<sheet [^>]*r:id="(rId\d+)"[^>]*name="_kc"', workbook)
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    path = target.group(1)
    return path.lstrip("/") if path.startswith("/") else "xl/" + path


def _meta_xml(entries: dict[str, str]) -> bytes:
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{escape(k)}</t></is></c>'
        f'<c r="B{i}" t="inlineStr"><is><t>{escape(v)}</t></is></c></row>'
        for i, (k, v) in enumerate(entries.items(), start=1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/></sheetPr>'
            f'<sheetData>{rows}</sheetData></worksheet>').encode()


def _read_meta(path: Path) -> dict[str, str]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("_kc").to_python()
    return {str(r[0]): str(r[1]) for r in sheet if r and r[0]}


def generate(folder: Path, units: list, *, year: int = YEAR, era: str = "new", created: datetime | None = None,
             suffix: str = "") -> list[Path]:
    """One filled registration per catalogue unit of ``units`` in ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    owners = {p.code: p for p in catalog.provinces(era=era)}
    seed = folder / f"_seed{suffix}.xlsx.tmp"
    write_registration(seed, owners[units[0].province_code], units[0], year, lines(), created=CREATED)
    base_meta = _read_meta(seed)
    written = []
    with zipfile.ZipFile(seed) as source:
        part = _meta_part(source)
        items = [(item, source.read(item.filename)) for item in source.infolist()]
    for unit in units:
        owner = owners[unit.province_code]
        meta = {**base_meta, Meta.UNIT_CODE: unit.code, Meta.UNIT_NAME: unit.name,
                Meta.PROVINCE_CODE: owner.code, Meta.PROVINCE_NAME: owner.name}
        if created is not None:
            meta[Meta.CREATED] = created.isoformat()
        target = folder / f"DangKy_{year}_{unit.code}{suffix}.xlsx"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item, data in items:
                out.writestr(item, _meta_xml(meta) if item.filename == part else data)
        written.append(target)
    seed.unlink()
    return written
