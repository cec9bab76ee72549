"""A tiny openpyxl builder of kc workbooks for tests, independent of the template writer.

    built = build_registration(tmp_path / "x.xlsx", [{"ten_de_an": "...", "tong": 100, ...}])
    built.cell("tong", 0)   # "K2": the Tổng kinh phí cell of the first data row
    path, columns = built   # columns: key → column letter

Rows are dicts keyed by :mod:`kc_excel.workbook.layout` column keys, values
written as given (numbers, text such as "1.500", formulas starting with "=").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table

from kc_excel.workbook.layout import REGISTRATION, TEMPLATE_VERSION, layout_checksum

DEFAULT_META = {
    "loai_bieu": "dang-ky",
    "phien_ban_mau": str(TEMPLATE_VERSION),
    "ma_tinh": "75",
    "ten_tinh": "Tỉnh Đồng Nai",
    "ma_don_vi": "734",
    "ten_don_vi": "Huyện Tân Phú",
    "cap_don_vi": "huyen",
    "nam": "2022",
    "don_vi_tien": "trieu-dong",
    "ngay_tao": "2021-05-01T08:00:00",
    "ma_kiem_tra": layout_checksum(REGISTRATION),
}

CLEAN_ROW: dict[str, Any] = {
    "stt": 1,
    "ten_de_an": "Hỗ trợ ứng dụng máy ép gạch không nung",
    "hoat_dong": "MAY_MOC",
    "don_vi_thuc_hien": "Trung tâm Khuyến công",
    "co_so": "Công ty TNHH Gạch Phú Lộc",
    "ma_so_thue": "0100233488",
    "loai_hinh": "DNNVV",
    "dia_diem": None,  # filled by the test with a commune of the unit
    "don_vi_tinh": "cơ sở",
    "so_luong": 1,
    "tong": 400,
    "kcqg": 0,
    "kcdp": 150,
    "doi_ung": 250,
    "khac": 0,
    "thang_bat_dau": 3,
    "thang_ket_thuc": 9,
    "ghi_chu": None,
}


@dataclass
class Built:
    path: Path
    columns: dict[str, str]
    header_row: int
    sheet: str

    def __iter__(self) -> Iterator[Any]:
        return iter((self.path, self.columns))

    def row(self, index: int) -> int:
        """The Excel row of data row ``index`` (0-based)."""
        return self.header_row + 1 + index

    def cell(self, key: str, index: int) -> str:
        return f"{self.columns[key]}{self.row(index)}"


def build_registration(path: str | Path, rows: Sequence[Mapping[str, Any]], *,
                       meta: Mapping[str, Any] | None = None, drop_meta: Sequence[str] = (),
                       columns: Sequence[str] | None = None, headers: Mapping[str, str] | None = None,
                       extra_columns: Mapping[int, str] | None = None, header_row: int = 1,
                       sheet: str = "Đăng ký", as_table: bool = True,
                       totals: Mapping[str, Any] | None = None, with_meta: bool = True,
                       first_col: int = 1) -> Built:
    """Write a registration workbook; return where each column landed.

    ``columns`` reorders/drops layout keys; ``headers`` retypes headers;
    ``extra_columns`` inserts foreign columns {position (0-based): header};
    ``totals`` adds a "Cộng" row below the data ({key: value or "=formula"}).
    """
    keys = list(columns or REGISTRATION.keys)
    order: list[tuple[str | None, str]] = [(k, (headers or {}).get(k, REGISTRATION.column(k).header)) for k in keys]
    for position, header in sorted((extra_columns or {}).items()):
        order.insert(position, (None, header))
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    letters: dict[str, str] = {}
    for i, (key, header) in enumerate(order):
        col = first_col + i
        ws.cell(header_row, col, header)
        if key is not None:
            letters[key] = get_column_letter(col)
    for r, values in enumerate(rows):
        for i, (key, _) in enumerate(order):
            if key is not None and values.get(key) is not None:
                ws.cell(header_row + 1 + r, first_col + i, values[key])
    last = header_row + max(len(rows), 1)
    if totals is not None:
        last += 1
        ws.cell(last, first_col, "Cộng")
        for key, value in totals.items():
            ws[f"{letters[key]}{last}"] = value
    if as_table:
        ref = f"{get_column_letter(first_col)}{header_row}:{get_column_letter(first_col + len(order) - 1)}{last}"
        table = Table(displayName="DangKy", ref=ref, totalsRowCount=1 if totals is not None else None)
        table._initialise_columns()
        for column, (_, header) in zip(table.tableColumns, order):
            column.name = header
        ws.add_table(table)
    if with_meta:
        info = wb.create_sheet("_kc")
        values = {**DEFAULT_META, **{k: str(v) for k, v in (meta or {}).items()}}
        for i, (key, value) in enumerate((k, v) for k, v in values.items() if k not in drop_meta):
            info.cell(i + 1, 1, key)
            info.cell(i + 1, 2, value)
        info.sheet_state = "hidden"
    path = Path(path)
    wb.save(path)
    return Built(path, letters, header_row, sheet)



# --- rows used across the rule tests (Huyện Tân Phú, Đồng Nai, plan 2022) ---------------------

def clean_machine_row(**changes: Any) -> dict[str, Any]:
    """A valid MAY_MOC line: 400 = 150 (KCĐP) + 250 (đối ứng) triệu; 37,5% ≤ 50%, 150 ≤ 200 triệu."""
    return {**CLEAN_ROW, "dia_diem": "Xã Phú Lộc", **changes}


def clean_training_row(**changes: Any) -> dict[str, Any]:
    """A valid DAO_TAO_NGHE line (no facility, no norm): 60 triệu KCĐP."""
    row = {"stt": 2, "ten_de_an": "Đào tạo nghề đan lát mây tre", "hoat_dong": "DAO_TAO_NGHE",
           "don_vi_thuc_hien": "Trung tâm Khuyến công", "dia_diem": "Thị trấn Tân Phú", "don_vi_tinh": "lớp",
           "so_luong": 2, "tong": 60, "kcqg": 0, "kcdp": 60, "doi_ung": 0, "khac": 0,
           "thang_bat_dau": 4, "thang_ket_thuc": 6}
    return {**row, **changes}


def with_fault(fault: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Three rows: clean, the faulty one (index 1), clean."""
    return [clean_machine_row(), clean_machine_row(stt=2, ten_de_an="Hỗ trợ máy đóng gói", **fault),
            clean_training_row(stt=3)]


def validate_built(built: Built, **options: Any):
    """Read the built workbook with the real reader and validate it."""
    from kc_excel.validation.runner import validate_workbook
    from kc_excel.workbook.reader import read_workbook

    return validate_workbook(read_workbook(built.path), **options)
