"""The optional stated-figures table (``SoLieuCongBo``) written into a results workbook.

``scripts/make_examples.py`` calls :func:`add_stated_figures` on the Đồng Nai
results workbook so the example carries the figures of seed 004 (the
mid-term review of the 2021-2025 programme), including its misstated
reduction 10.225.812.686 đồng (the parts give 10.091.812.686).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from openpyxl import Workbook

from kc_excel.workbook import writer as w
from kc_excel.workbook.layout import STATED_FIGURES

SEED_004: tuple[Mapping[str, Any], ...] = (
    {"ma": "KP_CT", "noi_dung": "Tổng kinh phí khuyến công theo Chương trình 2021-2023 (đồng)", "loai": "Số liệu",
     "gia_tri": 23_308_200_000},
    {"ma": "KP_GN", "noi_dung": "Kinh phí giải ngân thực tế 2021-2023 (đồng)", "loai": "Số liệu",
     "gia_tri": 13_216_387_314},
    {"ma": "KP_TL", "noi_dung": "Tỷ lệ giải ngân so với Chương trình", "loai": "Tỷ lệ", "gia_tri": "56,7%",
     "thanh_phan": "KP_GN / KP_CT"},
    {"ma": "KP_GIAM", "noi_dung": "Kinh phí giảm so với Chương trình (đồng)", "loai": "Chênh lệch",
     "gia_tri": 10_225_812_686, "thanh_phan": "KP_CT - KP_GN",
     "ghi_chu": "Bài viết ghi 10.225.812.686; hiệu hai số là 10.091.812.686"},
    {"ma": "GTSX_2022", "noi_dung": "Giá trị sản xuất CNNT năm 2022 (tỷ đồng)", "loai": "Số liệu", "gia_tri": 73_396},
    {"ma": "GTSX_2023", "noi_dung": "Giá trị sản xuất CNNT ước năm 2023 (tỷ đồng)", "loai": "Số liệu", "gia_tri": 73_000},
    {"ma": "GTSX_TL", "noi_dung": "Giá trị sản xuất 2023 so với 2022", "loai": "Tỷ lệ", "gia_tri": "99,5%",
     "thanh_phan": "GTSX_2023 / GTSX_2022"},
)
"""Figures of seed 004 ("Chương trình khuyến công địa phương qua 2,5 năm triển khai thực hiện", Đồng Nai)."""

GUIDE = ("Số liệu công bố: chép các con số của báo cáo đã công bố để kiểm tra. Loại: Số liệu (chỉ ghi nhận), "
         "Tổng (Thành phần 'A + B + C'), Tỷ lệ ('A / B'), Chênh lệch ('A - B'); A, B là Mã của các dòng khác hoặc số.")


def add_stated_figures(wb: Workbook, figures: Sequence[Mapping[str, Any]] = SEED_004) -> w.TableRange:
    """Add sheet "Số liệu công bố" with table ``SoLieuCongBo`` (data cells unlocked) to a results workbook."""
    ws = wb.create_sheet(STATED_FIGURES.sheet)
    first = w.write_title(ws, ["SỐ LIỆU CÔNG BỐ (KIỂM TRA KHI CHÉP SỐ LIỆU)", GUIDE], width=len(STATED_FIGURES.columns))
    rows = [[f.get(c.key) for c in STATED_FIGURES.columns] for f in figures]
    table = w.add_table(ws, STATED_FIGURES.table, STATED_FIGURES.headers, rows, header_row=first + 1,
                        min_rows=max(len(rows), 20), widths=[c.width for c in STATED_FIGURES.columns])
    value_header = STATED_FIGURES.column("gia_tri").header
    w.set_number_format(ws, table.data_range(value_header), decimals_when_needed=True)
    kinds = w.add_choices(wb, "DS_LoaiSoLieu", ["Số liệu", "Tổng", "Tỷ lệ", "Chênh lệch"])
    w.add_list_validation(ws, table.data_range(STATED_FIGURES.column("loai").header), kinds, strict=True,
                          title="Loại", prompt="Số liệu, Tổng, Tỷ lệ hoặc Chênh lệch.")
    wb._sheets.sort(key=lambda sheet: sheet.sheet_state != "visible")  # keep hidden _ds, _kc last
    return table
