"""The programme and results tables' column checks (pandera schemas), as the readers report them.

The expected lists were taken from the hand-written checks these schemas
replaced (issue 15): same codes, cells, messages and order.
"""

from __future__ import annotations

from decimal import Decimal

from attainment_books import programme_book, results_book

from kc_excel.attainment.io import read_programme, read_results
from kc_excel.attainment.schema import RANGE_ORDER, TARGET_ROWS, TARGETS, YEAR_ORDER, failures, frame_of
from kc_excel.workbook.reader import read_workbook


def _row(code, **changes):
    return {"ma_chi_tieu": code, "chi_tieu": f"Chỉ tiêu {code}", "toi_thieu": 5, "tu_nam": 2021, "den_nam": 2025,
            **changes}


PROGRAMME_ROWS = [
    _row("A"),                                                        # row 4: kept
    _row("B", tu_nam=1999, den_nam="2020,5"),                         # I5, J5: both years out of range
    _row("C", tu_nam=2025, den_nam=2021, toi_da=2),                   # J6 order, F6 range below minimum
    _row("A", chi_tieu="A again"),                                    # A7: duplicate of A4
    _row("D", tu_nam=1800, den_nam=1700),                             # I8, J8 only (no order check on bad years)
    _row("C"),                                                        # C6 was rejected: C9 is kept, no duplicate
    _row("A", chieu="ngang", tu_nam=2101),                            # G10 choice, I10 year: no duplicate either
    _row("A", toi_da="4"),                                            # F11 below minimum, not a duplicate
    _row("A"),                                                        # A12: duplicate of A4
]
YEAR_FIX = "Nhập năm có 4 chữ số trong giai đoạn chương trình."
CHOICE_FIX = "Chọn giá trị từ danh sách thả xuống."
PERIOD_FIX = "Sửa Từ năm hoặc Đến năm để Đến năm không trước Từ năm."
RANGE = "Chỉ tiêu tối đa nhỏ hơn chỉ tiêu tối thiểu"
RANGE_FIX = "Sửa để tối đa không nhỏ hơn tối thiểu, hoặc để trống một trong hai."
DUPLICATE_A = "Mã chỉ tiêu bị trùng trong chương trình: 'A' đã có ở ô A4. Mỗi chỉ tiêu dùng một mã riêng."
PINNED = [  # a year as typed: 1999, never the reader's 1999.0
    ("I5", "year-out-of-range", f"Năm không hợp lệ: 1999. {YEAR_FIX}"),
    ("J5", "year-out-of-range", f"Năm không hợp lệ: 2020,5. {YEAR_FIX}"),
    ("J6", "period-reversed", f"Đến năm trước Từ năm: Đến năm 2021, Từ năm 2025. {PERIOD_FIX}"),
    ("F6", "target-range-reversed", f"{RANGE}: tối đa 2, tối thiểu 5. {RANGE_FIX}"),
    ("A7", "duplicate-indicator", DUPLICATE_A),
    ("I8", "year-out-of-range", f"Năm không hợp lệ: 1800. {YEAR_FIX}"),
    ("J8", "year-out-of-range", f"Năm không hợp lệ: 1700. {YEAR_FIX}"),
    ("G10", "invalid-value", f"Giá trị không hợp lệ: 'ngang' không phải một lựa chọn; dùng: Càng cao càng tốt | "
                             f"Càng thấp càng tốt. {CHOICE_FIX}"),
    ("I10", "year-out-of-range", f"Năm không hợp lệ: 2101. {YEAR_FIX}"),
    ("F11", "target-range-reversed", f"{RANGE}: tối đa 4, tối thiểu 5. {RANGE_FIX}"),
    ("A12", "duplicate-indicator", DUPLICATE_A),
]


def test_programme_checks_pinned_cells_codes_messages_order(tmp_path):
    targets, issues = read_programme(read_workbook(programme_book(tmp_path / "ct.xlsx", PROGRAMME_ROWS)))
    assert [(i.cell, i.code, i.message) for i in issues] == PINNED
    assert [(t.code, t.name) for t in targets] == [("A", "Chỉ tiêu A"), ("C", "Chỉ tiêu C")]
    assert (targets[1].from_year, targets[1].to_year, targets[1].target_min) == (2021, 2025, Decimal(5))


def test_results_year_checked_in_reading_order(tmp_path):
    rows = [{"ma_chi_tieu": "A", "nam": 2022, "thuc_hien": 3}, {"ma_chi_tieu": "A", "nam": 1990, "thuc_hien": 4},
            {"nam": 2022.5}, {"ma_chi_tieu": "A", "nam": "abc", "thuc_hien": 1}]
    results, issues = read_results(read_workbook(results_book(tmp_path / "kq.xlsx", rows)))
    assert [(r.code, r.year, r.value) for r in results] == [("A", 2022, Decimal(3))]
    assert [(i.cell, i.code, str(i.severity)) for i in issues] == [
        ("B5", "year-out-of-range", "error"),
        ("A6", "required-missing", "error"), ("B6", "year-out-of-range", "error"), ("C6", "required-missing", "warning"),
        ("B7", "not-a-number", "error")]


def test_the_schemas_report_each_failure_once_by_row():
    frame = frame_of({"tu_nam": [Decimal(2025), None], "den_nam": [Decimal(2021), Decimal(2021)],
                      "toi_thieu": [Decimal(5), Decimal(1)], "toi_da": [Decimal(2), None]}, [3, 8])
    assert [(f.index, f.slot) for f in failures(TARGET_ROWS, frame)] == [(3, YEAR_ORDER), (3, RANGE_ORDER)]
    codes = frame_of({"ma_chi_tieu": ["A", "B", "A", "A"]}, [0, 2, 5, 7])
    assert [f.index for f in failures(TARGETS, codes)] == [5, 7]
    assert failures(TARGETS, frame_of({"ma_chi_tieu": []}, [])) == []


def test_reversed_bounds_and_years_are_said_in_each_language_as_the_sheet_shows_them(tmp_path):
    rows = [_row("P", don_vi_tinh="%", toi_thieu="5,4", toi_da=5), _row("Q", tu_nam=2025, den_nam=2021),
            _row("R", den_nam="2020,5")]
    _, issues = read_programme(read_workbook(programme_book(tmp_path / "ct.xlsx", rows)))
    said = {i.code: (i.render("vi"), i.render("en")) for i in issues}
    assert "tối đa 5 %, tối thiểu 5,4 %" in said["target-range-reversed"][0]
    assert "maximum 5 %, minimum 5.4 %" in said["target-range-reversed"][1]
    assert "Đến năm 2021, Từ năm 2025" in said["period-reversed"][0]
    assert "to-year 2021, from-year 2025" in said["period-reversed"][1]
    assert said["year-out-of-range"] == (f"Năm không hợp lệ: 2020,5. {YEAR_FIX}",  # text: as typed, both
                                         "Invalid year: 2020,5. Type a four-digit year within the programme period.")
