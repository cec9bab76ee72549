"""Small programme/results workbooks for the attainment tests, written with the shared writer (no templates)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Mapping, Sequence

from kc_excel.attainment.examples import add_stated_figures
from kc_excel.outputs import write_atomically
from kc_excel.workbook import writer as w
from kc_excel.workbook.layout import PROGRAMME, RESULTS, Kind, Meta
from kc_excel.workbook.meta import write_meta

SEED_PROGRAMME: tuple[Mapping[str, Any], ...] = (
    {"ma_chi_tieu": "KHOI_SU", "chi_tieu": "Đào tạo khởi sự, quản trị doanh nghiệp", "don_vi_tinh": "học viên",
     "toi_thieu": 1500, "tu_nam": 2021, "den_nam": 2025},
    {"ma_chi_tieu": "MAY_MOC", "chi_tieu": "Hỗ trợ cơ sở CNNT ứng dụng máy móc thiết bị tiên tiến",
     "don_vi_tinh": "cơ sở", "toi_thieu": 47, "tu_nam": 2021, "den_nam": 2025},
    {"ma_chi_tieu": "TRUYEN_THONG", "chi_tieu": "Chuyên đề khuyến công trên Đài PT-TH Đồng Nai",
     "don_vi_tinh": "chuyên đề", "toi_thieu": 120, "tu_nam": 2021, "den_nam": 2025},
    {"ma_chi_tieu": "NHAN_HIEU", "chi_tieu": "Hỗ trợ cơ sở CNNT xây dựng, đăng ký nhãn hiệu", "don_vi_tinh": "cơ sở",
     "toi_thieu": 2, "tu_nam": 2021, "den_nam": 2025},
    {"ma_chi_tieu": "GIAI_NGAN", "chi_tieu": "Kinh phí khuyến công giải ngân 2021-2023", "don_vi_tinh": "đồng",
     "toi_thieu": "23.308.200.000", "tu_nam": 2021, "den_nam": 2023},
    {"ma_chi_tieu": "TANG_TRUONG", "chi_tieu": "Tăng trưởng giá trị sản xuất CNNT bình quân", "don_vi_tinh": "%",
     "toi_thieu": 0.05, "toi_da": "5,4%", "chieu": "Càng cao càng tốt", "cong_don": "Bình quân",
     "tu_nam": 2021, "den_nam": 2025},
    {"ma_chi_tieu": "XUAT_KHAU", "chi_tieu": "Giá trị xuất khẩu", "don_vi_tinh": "USD", "toi_thieu": 900_000_000,
     "cong_don": "Kỳ cuối", "tu_nam": 2021, "den_nam": 2025},
)

SEED_RESULTS: tuple[Mapping[str, Any], ...] = (
    *({"ma_chi_tieu": c, "nam": 2021 + i, "thuc_hien": v} for c, vs in (
        ("KHOI_SU", (150, 134, 200)), ("MAY_MOC", (5, 6, 8)), ("TRUYEN_THONG", (24, 24, 24)),
        ("NHAN_HIEU", (0, 0, 0)), ("GIAI_NGAN", (3_100_000_000, 4_816_387_314, 5_300_000_000)))
      for i, v in enumerate(vs)),
    {"ma_chi_tieu": "TANG_TRUONG", "nam": 2023, "thuc_hien": "3,4%", "ghi_chu": "bình quân 2021-2023"},
    {"ma_chi_tieu": "XUAT_KHAU", "nam": 2023, "thuc_hien": 902_389_000},
)


def _meta(kind: str) -> dict[str, str]:
    return {Meta.KIND: kind, Meta.VERSION: "1", Meta.PROVINCE_CODE: "75", Meta.PROVINCE_NAME: "Tỉnh Đồng Nai",
            Meta.UNIT_LEVEL: "tinh", Meta.FROM_YEAR: "2021", Meta.TO_YEAR: "2025"}


def write_book(path: Path, layout, kind: str, records: Sequence[Mapping[str, Any]], *, stated=None) -> Path:
    wb = w.new_workbook()
    ws = wb.create_sheet(layout.sheet)
    first = w.write_title(ws, [f"{layout.table} test"], width=4)
    w.add_table(ws, layout.table, layout.headers, [[r.get(k) for k in layout.keys] for r in records],
                header_row=first + 1)
    if stated is not None:
        add_stated_figures(wb, stated)
    write_meta(wb, _meta(kind))
    write_atomically(path, partial(w.save_workbook, wb))
    return path


def programme_book(path: Path, records: Sequence[Mapping[str, Any]] = SEED_PROGRAMME) -> Path:
    return write_book(path, PROGRAMME, Kind.PROGRAMME, records)


def results_book(path: Path, records: Sequence[Mapping[str, Any]] = SEED_RESULTS, *, stated=None) -> Path:
    return write_book(path, RESULTS, Kind.RESULTS, records, stated=stated)
