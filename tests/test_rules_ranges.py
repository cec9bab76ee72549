"""negative-amount, not-positive, month-out-of-range: plain rule code on the reader path, pinned.

Until issue 15 these three column checks ran through a pandera schema; they are now
plain comparisons of the parsed values (one path per rule, a file and one
``KC_KIEMTRA`` row alike). The first test pins their output (cell, code, message,
order) on a crafted file; it was taken from the pandera version and must not move.
The last test keeps pandas and pandera off the reader path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from builders import build_registration, clean_machine_row, clean_training_row, validate_built

from kc_excel.validation.context import FileContext
from kc_excel.validation.rules.months import month_out_of_range
from kc_excel.validation.rules.numbers import negative_amount, not_positive
from kc_excel.validation.runner import check_row
from kc_excel.workbook.layout import REGISTRATION
from kc_excel.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
RANGE_CODES = ("negative-amount", "not-positive", "month-out-of-range")
ROWS = [
    clean_machine_row(khac=-5, tong=395),                                             # O2
    clean_machine_row(so_luong=0, thang_bat_dau=0),                                   # J3, P3
    clean_machine_row(thang_ket_thuc=12.5, kcqg=-1, tong=399),                        # L4, Q4
    clean_training_row(),                                                             # clean
    clean_machine_row(tong="-1.500", kcdp=-0.5, so_luong="-2", thang_bat_dau="13"),   # K6, M6, J6, P6
    clean_machine_row(tong=None, so_luong=None, thang_bat_dau=None, thang_ket_thuc=None, kcdp="abc"),  # blanks, NaN
    clean_machine_row(so_luong=0.5, thang_bat_dau=9, thang_ket_thuc=3, doi_ung=-0.0),  # Q8: end before start
    clean_machine_row(thang_bat_dau=2.5, thang_ket_thuc=1),                           # P9 only (row already bad)
]
PINNED = [  # (cell, code, message) as the report lists them, taken from the pandera schema version
    ("O2", "negative-amount", "Số âm: Nguồn khác (triệu đồng) = -5. Nhập số lớn hơn hoặc bằng 0."),
    ("J3", "not-positive", "Số lượng phải lớn hơn 0: Số lượng = 0. Nhập số lượng lớn hơn 0."),
    ("P3", "month-out-of-range", "Tháng không hợp lệ: Tháng bắt đầu = 0, phải là số nguyên từ 1 đến 12. "
                                 "Nhập tháng từ 1 đến 12, tháng kết thúc không trước tháng bắt đầu."),
    ("L4", "negative-amount", "Số âm: Khuyến công quốc gia (triệu đồng) = -1. Nhập số lớn hơn hoặc bằng 0."),
    ("Q4", "month-out-of-range", "Tháng không hợp lệ: Tháng kết thúc = 12,5, phải là số nguyên từ 1 đến 12. "
                                 "Nhập tháng từ 1 đến 12, tháng kết thúc không trước tháng bắt đầu."),
    ("J6", "not-positive", "Số lượng phải lớn hơn 0: Số lượng = -2. Nhập số lượng lớn hơn 0."),
    ("K6", "negative-amount", "Số âm: Tổng kinh phí (triệu đồng) = -1.500. Nhập số lớn hơn hoặc bằng 0."),
    ("M6", "negative-amount", "Số âm: Khuyến công địa phương (triệu đồng) = -0,5. Nhập số lớn hơn hoặc bằng 0."),
    ("P6", "month-out-of-range", "Tháng không hợp lệ: Tháng bắt đầu = 13, phải là số nguyên từ 1 đến 12. "
                                 "Nhập tháng từ 1 đến 12, tháng kết thúc không trước tháng bắt đầu."),
    ("Q8", "month-out-of-range", "Tháng không hợp lệ: tháng kết thúc 3 trước tháng bắt đầu 9. "
                                 "Nhập tháng từ 1 đến 12, tháng kết thúc không trước tháng bắt đầu."),
    ("P9", "month-out-of-range", "Tháng không hợp lệ: Tháng bắt đầu = 2,5, phải là số nguyên từ 1 đến 12. "
                                 "Nhập tháng từ 1 đến 12, tháng kết thúc không trước tháng bắt đầu."),
]


def test_the_three_range_rules_pinned_cell_code_message_and_order(tmp_path):
    built = build_registration(tmp_path / "ranges.xlsx", ROWS)
    issues = [i for i in validate_built(built).issues if i.code in RANGE_CODES]
    assert [(i.cell, i.code, i.message) for i in issues] == PINNED
    ctx = FileContext(read_workbook(built.path))
    # each rule yields row by row, columns in table order (this order decides what a capped report keeps)
    assert [i.cell for i in negative_amount(ctx)] == ["O2", "L4", "K6", "M6"]
    assert [i.cell for i in not_positive(ctx)] == ["J3", "J6"]
    assert [i.cell for i in month_out_of_range(ctx)] == ["P3", "Q4", "P6", "P9", "Q8"]


def test_one_row_gives_what_the_file_gives(tmp_path):
    """``KC_KIEMTRA`` (:func:`check_row`) and a file go through the same rule code."""
    built = build_registration(tmp_path / "ranges.xlsx", ROWS)
    from_file = [(i.row, i.code, i.message) for i in validate_built(built).issues if i.code in RANGE_CODES]
    from_rows = [(i.row, i.code, i.message) for n, row in enumerate(ROWS)
                 for i in check_row([row.get(key) for key in REGISTRATION.keys], row=n + 2) if i.code in RANGE_CODES]
    assert from_rows == from_file


def test_a_month_is_whole_exactly_not_after_float_rounding(tmp_path):
    """The schema compared months as floats: ``3,0000000000000001`` passed as 3, and the accepted line then
    lost its month (``lines._whole`` is exact). Compared exactly, it is reported."""
    built = build_registration(tmp_path / "m.xlsx", [clean_machine_row(thang_bat_dau="3,0000000000000001"),
                                                     clean_machine_row(stt=2, ten_de_an="Máy 2", thang_ket_thuc="9,0")])
    issues = [(i.cell, i.code) for i in validate_built(built).issues]
    assert issues == [("P2", "month-out-of-range")]


def test_the_reader_path_imports_neither_pandas_nor_pandera(tmp_path):
    """parse + validate of a file with failures, one row (``check_row``), ``kc-excel validate`` and the
    modules the readers' fork server imports: none loads pandas or pandera (0.3-0.4 s of start-up)."""
    built = build_registration(tmp_path / "bad.xlsx", ROWS)
    probe = f"""
import json, sys
import kc_excel.consolidate.parallel, kc_excel.validation.preload
from kc_excel.cli import main
from kc_excel.validation.runner import check_row, validate_workbook
from kc_excel.workbook.parse import parse_workbook
report = validate_workbook(parse_workbook({str(built.path)!r}))
assert {{i.code for i in report.issues}} >= set({RANGE_CODES!r}), report.issues
assert check_row([None] * 9 + [0, -1]), "the row has issues"
code = main(["validate", {str(built.path)!r}])
print(json.dumps([code, sorted(m for m in ("pandas", "pandera") if m in sys.modules)]))
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [1, []]
