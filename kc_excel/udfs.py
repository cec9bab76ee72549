"""The KC_* Excel formulas (contract §5), registered with xlwings; plain Python functions underneath.

Each formula is a thin call into the core; :mod:`kc_excel.addin.cells` makes it
range-aware (a range in → an array of the same shape out, a 1×1 range or a
single value broadcast against a range) and turns bad input into a short
Vietnamese message in that cell, never an exception into Excel. KC_TYLE is
vectorised with numpy (a 100,000-cell range calls no Python code per number).

The docstrings are the Vietnamese descriptions Excel shows in the function
wizard (xlwings takes the description from ``__doc__``, ≤ 255 characters), so
each function carries its English notes as comments instead.

In Excel 2010-2019 (no dynamic arrays), a formula over a range is entered as
an array formula (select the output range, type the formula, Ctrl+Shift+Enter).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import numpy as np
import xlwings as xw

from kc_excel.addin.cells import (BLANK, SHAPE_MESSAGE, as_rows, broadcast_shape, is_blank, is_range, map_cells,
                                  message, numeric_grid, used_rows)
from kc_excel.numbers import float_to_decimal
from kc_excel.text import match_option

CATEGORY = "KC"
RANGE = {"ndim": 2}
ZERO_TARGET = "Lỗi: chỉ tiêu bằng 0"
TOO_LARGE = "Lỗi: kết quả vượt quá số Excel biểu diễn được"


def _number(value: Any) -> Decimal:
    from kc_excel.numbers import parse_number

    return parse_number(value)


def _year(value: Any) -> int:
    number = _number(value)
    if number != number.to_integral_value() or not 1900 <= number <= 2200:
        raise ValueError(f"năm '{value}' không hợp lệ")
    return int(number)


def year_month(value: Any) -> tuple[int, int]:
    """Đến tháng as ``"2023-12"`` text, an Excel date, or the number 202312 (yyyymm)."""
    from kc_excel.attainment import AsOf

    if isinstance(value, (dt.date, dt.datetime)):
        return value.year, value.month
    if isinstance(value, str):
        as_of = AsOf.parse(value)
        return as_of.year, as_of.month
    number = _number(value)
    if number == number.to_integral_value() and 190001 <= number <= 220012:
        as_of = AsOf(int(number) // 100, int(number) % 100)
        return as_of.year, as_of.month
    raise ValueError(f"tháng '{value}' không đúng dạng YYYY-MM (ví dụ 2023-12) hoặc yyyymm (202312)")


def _choice(value: Any, options: tuple[str, ...], what: str) -> str:
    """The command line's rule (:func:`kc_excel.text.match_option`): the first option when blank."""
    if is_blank(value):
        return options[0]
    chosen = match_option(value, options)
    if chosen is None:
        raise ValueError(f"{what} '{value}' không hợp lệ; dùng: {' | '.join(options)}")
    return chosen


# Amount in words (đọc số) through kc_excel.numbers.read_amount; unit appended. An omitted unit is
# "đồng"; KC_DOCSO(x; "") appends none: xlwings hands the "" (and an empty cell) over as None.
@xw.func(category=CATEGORY)
@xw.arg("so", doc="Số tiền cần đọc (một ô hoặc một vùng ô)", **RANGE)
@xw.arg("don_vi", doc='Đơn vị đọc kèm, mặc định "đồng"; "" để không đọc đơn vị', **RANGE)
def KC_DOCSO(so, don_vi="đồng"):
    """Đọc số tiền thành chữ theo cách viết trên chứng từ kế toán: 2021 → "Hai nghìn không trăm hai mươi mốt đồng"."""
    from kc_excel.numbers import read_amount

    return map_cells(lambda number, unit: read_amount(number, "" if is_blank(unit) else str(unit)), so, don_vi)


# A number from Vietnamese-formatted text through kc_excel.numbers.parse_number.
@xw.func(category=CATEGORY)
@xw.arg("van_ban", doc='Văn bản chứa số, ví dụ "1 tỷ 650 triệu đồng", "1.500", "56,7%"', **RANGE)
def KC_SO(van_ban):
    """Đọc số từ văn bản kiểu Việt Nam: "1 tỷ 650 triệu đồng" → 1650000000; "56,7%" → 0,567."""
    return map_cells(_number, van_ban)


# Tax code check: the rule of the validator (kc_excel.validation.rules.tax).
@xw.func(category=CATEGORY)
@xw.arg("ma", doc="Mã số thuế (10 số, 13 số có mã chi nhánh, hoặc 12 số định danh cá nhân)", **RANGE)
def KC_MST(ma):
    """Kiểm tra mã số thuế: TRUE nếu hợp lệ (đúng chữ số kiểm tra), FALSE nếu không."""
    from kc_excel.validation.rules.tax import is_valid_tax_code

    return map_cells(is_valid_tax_code, ma)


# Legacy TCVN3/VNI text to Unicode NFC with one tone-mark style (kc_excel.legacy + kc_excel.text).
@xw.func(category=CATEGORY)
@xw.arg("van_ban", doc="Văn bản cần chuẩn hóa (gõ bằng bảng mã TCVN3/ABC, VNI hoặc Unicode)", **RANGE)
def KC_CHUANHOA(van_ban):
    """Chuẩn hóa tiếng Việt: chuyển bảng mã TCVN3 (ABC), VNI sang Unicode dựng sẵn, thống nhất kiểu bỏ dấu (Hòa)."""
    from kc_excel.legacy import normalize_legacy
    from kc_excel.text import normalize_tone

    return map_cells(lambda text: normalize_tone(normalize_legacy(_as_text(text))[0]), van_ban)


def _as_text(value: Any) -> str:
    """A cell as text the way Excel shows it: 1500.0 → "1500", 0.1 → "0.1" (15 significant digits)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(float_to_decimal(value), "f") if math.isfinite(value) else str(value)
    return str(value)


# Attainment ratio, vectorised twin of kc_excel.attainment.ratio (tests check they agree).
@xw.func(category=CATEGORY)
@xw.arg("thuc_hien", doc="Số thực hiện (một ô hoặc một vùng ô)", **RANGE)
@xw.arg("chi_tieu", doc="Chỉ tiêu (một ô, hoặc vùng cùng kích thước)", **RANGE)
def KC_TYLE(thuc_hien, chi_tieu):
    """Tỷ lệ đạt = Thực hiện / Chỉ tiêu (0,6 = 60%). Nhận cả vùng ô."""
    grids = [as_rows(thuc_hien), as_rows(chi_tieu)]
    shape = broadcast_shape(grids)
    if shape is None:
        return [[SHAPE_MESSAGE]]
    if used_rows(grids, shape[0]) < shape[0]:
        return _without_empty_tail(KC_TYLE, grids, shape)
    actual, target = numeric_grid(thuc_hien, _number), numeric_grid(chi_tieu, _number)
    values, target_values = np.broadcast_arrays(actual.values, target.values)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratios = values / target_values
    out = ratios.astype(object)
    out[~np.isfinite(ratios) & np.isfinite(values) & np.isfinite(target_values)] = TOO_LARGE
    out[np.broadcast_to(target_values == 0, out.shape)] = ZERO_TARGET
    out[np.broadcast_to(actual.blank, out.shape) | np.broadcast_to(target.blank, out.shape)] = BLANK
    for grid in (target, actual):
        for (i, j), text in grid.errors.items():
            out[_cells_of(out.shape, grid.values.shape, i, j)] = text
    result = out.tolist()
    return result if is_range(thuc_hien) or is_range(chi_tieu) else result[0][0]


def _without_empty_tail(formula, grids: list[list[list[Any]]], shape: tuple[int, int]) -> list[list[Any]]:
    """A whole-column reference: ``formula`` over the used rows, ``""`` for the empty tail (no arithmetic)."""
    used = used_rows(grids, shape[0])
    head = [grid if len(grid) == 1 else grid[:max(used, 1)] for grid in grids]
    return formula(*head)[:used] + [[BLANK] * shape[1]] * (shape[0] - used)


def _cells_of(shape: tuple[int, int], own: tuple[int, ...], i: int, j: int) -> tuple[slice | int, slice | int]:
    """Where a cell of an argument lands in the (broadcast) output."""
    return (slice(None) if own[0] == 1 and shape[0] > 1 else i, slice(None) if own[1] == 1 and shape[1] > 1 else j)


# Expected pace (Tiến độ kỳ vọng) through kc_excel.attainment.expected_pace.
@xw.func(category=CATEGORY)
@xw.arg("tu_nam", doc="Năm đầu giai đoạn, ví dụ 2021", **RANGE)
@xw.arg("den_nam", doc="Năm cuối giai đoạn, ví dụ 2025", **RANGE)
@xw.arg("den_thang", doc='Đánh giá đến tháng: "2023-12", một ô ngày, hoặc số 202312', **RANGE)
def KC_TIENDO(tu_nam, den_nam, den_thang):
    """Tiến độ kỳ vọng: số tháng đã qua từ tháng 1 năm đầu đến tháng đánh giá / số tháng của giai đoạn (2021-2025 đến 2023-12 = 60%)."""
    from kc_excel.attainment import expected_pace

    return map_cells(lambda a, b, c: expected_pace(_year(a), _year(b), *year_month(c)),
                     tu_nam, den_nam, den_thang, blank_if=(0, 1, 2))


# Đánh giá word through kc_excel.attainment.status.
@xw.func(category=CATEGORY)
@xw.arg("thuc_hien", doc="Số thực hiện (lũy kế theo cách cộng dồn)", **RANGE)
@xw.arg("chi_tieu_min", doc="Chỉ tiêu tối thiểu", **RANGE)
@xw.arg("chi_tieu_max", doc="Chỉ tiêu tối đa (bỏ trống nếu chỉ tiêu là một số)", **RANGE)
@xw.arg("chieu", doc='"Càng cao càng tốt" (mặc định) hoặc "Càng thấp càng tốt"', **RANGE)
@xw.arg("cong_don", doc='"Cộng dồn" (mặc định), "Kỳ cuối" hoặc "Bình quân"', **RANGE)
@xw.arg("tu_nam", doc="Năm đầu giai đoạn (để tính tiến độ)", **RANGE)
@xw.arg("den_nam", doc="Năm cuối giai đoạn", **RANGE)
@xw.arg("den_thang", doc='Đánh giá đến tháng: "2023-12", ô ngày, hoặc 202312', **RANGE)
def KC_DANHGIA(thuc_hien, chi_tieu_min, chi_tieu_max=None, chieu=None, cong_don=None,
               tu_nam=None, den_nam=None, den_thang=None):
    """Đánh giá thực hiện chỉ tiêu: Vượt, Đạt, Đúng tiến độ, Chậm tiến độ, Chưa đạt, Không đạt, Chưa thực hiện hoặc Chưa có số liệu."""
    from kc_excel.attainment import status
    from kc_excel.models import AGGREGATIONS, DIRECTIONS

    def settings(direction, aggregation, start, end, as_of):
        timed = not (is_blank(start) or is_blank(end) or is_blank(as_of))
        year, month = year_month(as_of) if timed else (None, None)
        return (_choice(direction, DIRECTIONS, "chiều đánh giá"), _choice(aggregation, AGGREGATIONS, "cách cộng dồn"),
                _year(start) if timed else None, _year(end) if timed else None, year, month)

    settings, target = _once_each(settings, typed=False), _once_each(_value)

    def one(actual, lo, hi, direction, aggregation, start, end, as_of):
        return status(_value(actual), target(lo), target(hi), *settings(direction, aggregation, start, end, as_of))

    return map_cells(one, thuc_hien, chi_tieu_min, chi_tieu_max, chieu, cong_don, tu_nam, den_nam, den_thang,
                     blank_if=(0, 1, 2))


def _value(value: Any) -> Decimal | None:
    """A cell as the core reads it: blank → None; a float as Excel shows it (no parser on the way)."""
    if value is None or (value.__class__ is str and not value.strip()):
        return None
    if value.__class__ is float and math.isfinite(value):
        return float_to_decimal(value)
    return _number(value)


def _once_each(func, *, typed: bool = True):
    """``func`` computed once per distinct arguments within one formula call (its error too): a column of
    rows shares its Chiều đánh giá, period and month, and its targets repeat. ``typed`` keeps TRUE apart
    from 1 (for numbers; settings may share an error message)."""
    done: dict = {}

    def cached(*args):
        try:
            key = (args, tuple(map(type, args))) if typed else args
            found = done.get(key)
        except TypeError:  # unhashable: no cache
            return func(*args)
        if found is None:
            try:
                found = (True, func(*args))
            except (ValueError, ArithmeticError, TypeError) as error:
                found = (False, error)
            if len(done) < 65_536:
                done[key] = found
        if not found[0]:
            raise found[1]
        return found[1]

    return cached


# Compound average annual growth through kc_excel.attainment.cagr.
@xw.func(category=CATEGORY)
@xw.arg("dau_ky", doc="Giá trị đầu kỳ (> 0)", **RANGE)
@xw.arg("cuoi_ky", doc="Giá trị cuối kỳ", **RANGE)
@xw.arg("so_nam", doc="Số năm giữa đầu kỳ và cuối kỳ", **RANGE)
def KC_TANGTRUONG(dau_ky, cuoi_ky, so_nam):
    """Tốc độ tăng trưởng bình quân năm: (cuối kỳ / đầu kỳ)^(1/số năm) − 1; 100 → 121 trong 2 năm = 10%."""
    from kc_excel.attainment import cagr

    def exact(a, b, n):
        return cagr(_number(a), _number(b), _number(n))

    grids = [as_rows(a) for a in (dau_ky, cuoi_ky, so_nam)]
    shape = broadcast_shape(grids)
    if shape is None or shape[0] * shape[1] < 64:  # a few cells: the exact Decimal core, cell by cell
        return map_cells(exact, dau_ky, cuoi_ky, so_nam, blank_if=(0, 1))
    if used_rows(grids, shape[0]) < shape[0]:
        return _without_empty_tail(KC_TANGTRUONG, grids, shape)
    start, end, years = (numeric_grid(g, _number) for g in grids)
    s, e, n = np.broadcast_arrays(start.values, end.values, years.values)
    with np.errstate(all="ignore"):  # the plain cases in floats (what the cell shows), the rest by the core
        growth = np.power(e / s, 1 / n) - 1
    plain = (s > 0) & (e > 0) & (n > 0) & np.isfinite(growth)
    out = np.where(plain, growth, None).astype(object)
    for i, j in zip(*np.nonzero(~plain)):
        out[i, j] = map_cells(exact, _cell(grids[0], i, j), _cell(grids[1], i, j), _cell(grids[2], i, j),
                              blank_if=(0, 1))
    result = out.tolist()
    return result if any(is_range(a) for a in (dau_ky, cuoi_ky, so_nam)) else result[0][0]


def _cell(grid: list[list[Any]], i: int, j: int) -> Any:
    return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid[i][j]


# Issues of one registration row (A = STT … R = Ghi chú) through kc_excel.validation.runner.check_row;
# a range of several rows gives one text per row (a column).
@xw.func(category=CATEGORY)
@xw.arg("dong", doc="Một dòng của bảng đăng ký, từ cột STT đến cột Ghi chú (18 ô); có thể chọn nhiều dòng", **RANGE)
def KC_KIEMTRA(dong):
    """Kiểm tra một dòng phiếu đăng ký: liệt kê ngắn các lỗi (cột: lỗi), để trống nếu không có lỗi."""
    rows = as_rows(dong)
    texts = [[_row_issues(row)] for row in rows]
    return texts if is_range(dong) and len(rows) > 1 else texts[0][0]


def _row_issues(row: list[Any]) -> str:
    from kc_excel.validation.issues import CODES
    from kc_excel.validation.runner import check_row

    if all(is_blank(value) for value in row):
        return BLANK
    try:
        issues = check_row(list(row))
    except (ValueError, ArithmeticError, TypeError) as error:
        return message(error)
    parts = []
    for issue in issues:
        letter = "".join(ch for ch in (issue.cell or "") if ch.isalpha())
        title = CODES[issue.code].title_vi if issue.code in CODES else issue.code
        parts.append(f"{letter}: {title}" if letter else title)
    return "; ".join(dict.fromkeys(parts))


__all__ = ["KC_CHUANHOA", "KC_DANHGIA", "KC_DOCSO", "KC_KIEMTRA", "KC_MST", "KC_SO", "KC_TANGTRUONG",
           "KC_TIENDO", "KC_TYLE", "year_month"]
