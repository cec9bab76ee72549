"""Issue 16 / issue 13: what staff read names activities and kinds of form by their names, never an internal
code, and shows numbers with the one Vietnamese formatter (700, never 700.0)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kc_excel.consolidate.run import consolidate_folder

EXAMPLES = Path(__file__).resolve().parent.parent / "workbooks" / "examples"
ACTIVITY_CODE = re.compile(r"\b[A-Z]{2,}_[A-Z_]+\b")
FLOAT_REPR = re.compile(r"\d\.0\b")


@pytest.mark.skipif(not EXAMPLES.exists(), reason="workbooks/examples not generated (make examples)")
def test_the_plans_issue_sheet_shows_names_and_vietnamese_digits(tmp_path):
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    consolidate_folder(folder, province="Đồng Nai", year=2022, output=tmp_path / "KeHoach.xlsx", level="district",
                       cache_dir=tmp_path / "cache")
    sheet = load_workbook(tmp_path / "KeHoach.xlsx")["Lỗi"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    header = list(rows[0])
    lines = [dict(zip(header, row)) for row in rows[1:]]
    messages = [line["Nội dung"] for line in lines]
    assert not [m for m in messages if ACTIVITY_CODE.search(m)]
    assert not [m for m in messages if FLOAT_REPR.search(m)]
    assert not [v for v in (line["Giá trị"] for line in lines) if v and FLOAT_REPR.search(v)]
    joined = "\n".join(messages)
    # the faulty district's mistakes, by name; the programme and results files by what they are
    assert "hoạt động “Hội thảo, diễn đàn chuyên đề” dùng đơn vị tính" in joined
    assert "định mức cho “Ứng dụng máy móc thiết bị tiên tiến”" in joined
    assert "tệp là biểu chỉ tiêu chương trình" in joined and "tệp là báo cáo kết quả" in joined
    assert "chuong-trinh" not in joined and "ket-qua" not in joined
    ratio = next(line for line in lines if line["Mã lỗi"] == "support-ratio-exceeded")
    assert ratio["Giá trị"] == "180"  # the cell held 180.0


def test_readable_shows_invisible_characters():
    from kc_excel.text import readable

    assert readable("Tr\xadêng\tH\u200bng\n") == "Tr\ufffdêng H\ufffdng "
    assert readable("Cơ sở mộc") == "Cơ sở mộc"
