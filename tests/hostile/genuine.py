"""Genuine registration templates for the hostile suite, written by the project's own writer.

Every hostile file starts from one of these (a filled, signed Phiếu đăng ký of
a real commune of Đồng Nai for plan year 2026), so that only the payload is
hostile. Figures are those of ``../shared/seeds`` (a MAY_MOC line of 400 triệu:
150 KCĐP + 250 đối ứng).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from kc_excel import catalog
from kc_excel.workbook.templates import write_registration

YEAR = 2026
PROVINCE = "Đồng Nai"
CREATED = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
DONG_PER_TRIEU = 1_000_000


@lru_cache(maxsize=1)
def province() -> Any:
    return catalog.find_province(PROVINCE)


@lru_cache(maxsize=1)
def communes() -> tuple[Any, ...]:
    return tuple(catalog.units_of(province(), level="xa"))


def clean_line(unit: Any, n: int = 1, **changes: Any) -> dict[str, Any]:
    """A valid MAY_MOC line of ``unit``: 400 = 150 (KCĐP) + 250 (đối ứng) triệu, 150 ≤ 200 triệu cap."""
    return {"stt": n, "ten_de_an": f"Hỗ trợ ứng dụng máy ép gạch không nung số {n}", "hoat_dong": "MAY_MOC",
            "don_vi_thuc_hien": "Trung tâm Khuyến công", "co_so": f"Cơ sở gạch Phú Lộc {unit.code}-{n}",
            "ma_so_thue": None, "loai_hinh": "Hộ kinh doanh", "dia_diem": unit.name, "don_vi_tinh": "cơ sở",
            "so_luong": 1, "tong": 400, "kcqg": 0, "kcdp": 150, "doi_ung": 250, "khac": 0,
            "thang_bat_dau": 3, "thang_ket_thuc": 9, **changes}


def write_genuine(path: Path, unit: Any | None = None, lines: Sequence[Mapping[str, Any]] | None = None, *,
                  key: bytes | None = None, created: datetime = CREATED, year: int = YEAR,
                  of_province: Any | None = None) -> Path:
    """A filled registration of ``unit`` (default: the first commune), signed when ``key`` is given."""
    unit = unit or communes()[0]
    lines = [clean_line(unit)] if lines is None else lines
    return write_registration(path, of_province or province(), unit, year, lines, key=key, created=created)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def expected_total_dong(lines: Sequence[Mapping[str, Any]], key: str = "tong") -> int:
    return sum(int(line[key]) * DONG_PER_TRIEU for line in lines)
