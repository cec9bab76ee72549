"""The KC_* formulas as plain Python functions, and their xlwings registration checked by xlwings itself."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from decimal import Decimal

import numpy as np
import pytest

from kc_excel import udfs
from kc_excel.attainment import ratio
from kc_excel.numbers import read_amount
from kc_excel.udfs import (KC_CHUANHOA, KC_DANHGIA, KC_DOCSO, KC_KIEMTRA, KC_MST, KC_SO, KC_TANGTRUONG, KC_TIENDO,
                           KC_TYLE)

NAMES = ["KC_CHUANHOA", "KC_DANHGIA", "KC_DOCSO", "KC_KIEMTRA", "KC_MST", "KC_SO", "KC_TANGTRUONG",
         "KC_TIENDO", "KC_TYLE"]


def is_message(value) -> bool:
    return isinstance(value, str) and value.startswith("Lỗi")


# --- KC_DOCSO ---------------------------------------------------------------------------------

def test_docso_single_value_and_unit():
    assert KC_DOCSO(2021) == "Hai nghìn không trăm hai mươi mốt đồng"
    assert KC_DOCSO(2021.0) == "Hai nghìn không trăm hai mươi mốt đồng"
    assert KC_DOCSO(15, "USD") == "Mười lăm USD"
    assert KC_DOCSO(105) == "Một trăm linh năm đồng"  # unit omitted: đồng
    # KC_DOCSO(x; "") appends no unit (xlwings hands "" and an empty cell over as None)
    assert KC_DOCSO(105, "") == "Một trăm linh năm"
    assert KC_DOCSO(105, None) == "Một trăm linh năm"
    # =KC_DOCSO(6624040000*1,1): read as Excel shows 7.286.444.000, not "... phẩy không không ... một"
    assert KC_DOCSO(6624040000 * 1.1) == "Bảy tỷ hai trăm tám mươi sáu triệu bốn trăm bốn mươi bốn nghìn đồng"
    assert KC_DOCSO(0.1 + 0.2, "") == "Không phẩy ba"


def test_docso_range_keeps_shape_with_blank_and_bad_cells():
    out = KC_DOCSO([[5, None], ["abc", 17_331_000_000]])
    assert out[0] == ["Năm đồng", ""]
    assert is_message(out[1][0]) and "abc" in out[1][0]
    assert out[1][1] == read_amount(17_331_000_000)


def test_docso_unit_range_broadcasts_against_numbers():
    assert KC_DOCSO([[1], [2]], [["đồng"], ["USD"]]) == [["Một đồng"], ["Hai USD"]]
    assert KC_DOCSO([[1, 2]], "triệu đồng") == [["Một triệu đồng", "Hai triệu đồng"]]


# --- KC_SO / KC_MST / KC_CHUANHOA -------------------------------------------------------------

def test_so_reads_vietnamese_numbers():
    assert KC_SO("1 tỷ 650 triệu đồng") == 1_650_000_000
    assert KC_SO("17.331") == 17331
    out = KC_SO([["56,7%"], ["1,5"], [None], ["mười"]])
    assert out[:3] == [[0.567], [1.5], [""]]
    assert out[3] == ["Lỗi: 'mười' không phải là số"]


def test_mst_checks_the_check_digit():
    assert KC_MST("0314409058") is True
    assert KC_MST(314409058) is True  # Excel dropped the leading zero
    assert KC_MST("0314409058-002") is True
    assert KC_MST("0312345678") is False
    assert KC_MST([["0314409058", None, "12"]]) == [[True, "", False]]


def test_chuanhoa_converts_legacy_text_and_tone_style():
    # Full conversion tables are tested with kc_excel.legacy; here the wrapper: range, blank, tone style.
    assert KC_CHUANHOA("Hoà Bình") == "Hòa Bình"
    assert KC_CHUANHOA([["§ång Nai", None], ["Thuỵ Khuê", "Tỉnh Đồng Nai"]]) == [
        ["Đồng Nai", ""], ["Thụy Khuê", "Tỉnh Đồng Nai"]]


# --- KC_TYLE ------------------------------------------------------------------------------------

def test_tyle_values_blanks_text_zero_and_errors():
    assert KC_TYLE(60, 100) == 0.6
    out = KC_TYLE([[5, None, "1.500", "abc", 3]], [[10, 10, 10, 10, 0]])
    assert out[0][:3] == [0.5, "", 150.0]
    assert is_message(out[0][3]) and "abc" in out[0][3]
    assert out[0][4] == "Lỗi: chỉ tiêu bằng 0"


def test_tyle_broadcasts_one_target_and_rejects_mismatched_ranges():
    assert KC_TYLE([[1], [2], [3]], 4) == [[0.25], [0.5], [0.75]]
    assert KC_TYLE([[1, 2]], [[1], [2]]) == [["Lỗi: các vùng ô không cùng kích thước"]]


def test_tyle_agrees_with_the_core_ratio():
    rng = np.random.default_rng(2021)
    actual = rng.integers(0, 10_000, size=(50, 4)).astype(float).tolist()
    target = rng.integers(1, 500, size=(50, 4)).astype(float).tolist()
    out = KC_TYLE(actual, target)
    for i in range(50):
        for j in range(4):
            core = ratio(Decimal(str(actual[i][j])), Decimal(str(target[i][j])))
            assert out[i][j] == pytest.approx(float(core), rel=1e-15)


def test_tyle_on_100000_numbers_calls_no_python_per_cell(monkeypatch):
    def no_per_cell_parsing(value):
        raise AssertionError(f"parsed {value!r} one by one")

    monkeypatch.setattr(udfs, "_number", no_per_cell_parsing)
    actual = np.arange(100_000, dtype=float).reshape(1000, 100).tolist()
    out = KC_TYLE(actual, 4.0)
    assert len(out) == 1000 and len(out[0]) == 100
    assert out[999][99] == 99_999 / 4


# --- KC_TIENDO / KC_DANHGIA / KC_TANGTRUONG -----------------------------------------------------

def test_tiendo_accepts_text_date_and_yyyymm():
    assert KC_TIENDO(2021, 2025, "2023-12") == 0.6
    assert KC_TIENDO(2021, 2025, dt.datetime(2023, 12, 31)) == 0.6
    assert KC_TIENDO(2021, 2025, 202312) == 0.6
    assert KC_TIENDO(2021, 2025, "2026-03") == 1
    assert is_message(KC_TIENDO(2021, 2025, "2023-13"))
    assert KC_TIENDO(2021, 2025, [["2021-06"], ["2022-12"]]) == [[0.1], [0.4]]


def test_danhgia_words_of_the_contract():
    as_of = (2021, 2025, "2023-12")
    assert KC_DANHGIA(60, 100, None, None, None, *as_of) == "Đúng tiến độ"
    assert KC_DANHGIA(59, 100, None, None, None, *as_of) == "Chậm tiến độ"
    assert KC_DANHGIA(0, 100, None, None, None, *as_of) == "Chưa thực hiện"
    assert KC_DANHGIA(130, 100, 120, None, None, *as_of) == "Vượt"
    assert KC_DANHGIA(5.2, 5, 5.4, None, "Kỳ cuối") == "Đạt"
    assert KC_DANHGIA(4, 5, None, "cang thap cang tot", "Ky cuoi") == "Vượt"
    assert KC_DANHGIA(None, 100) == "Chưa có số liệu"
    assert KC_DANHGIA(None, None) == ""
    assert is_message(KC_DANHGIA(1, 2, None, "ngang"))
    assert KC_DANHGIA([[60], [10]], 100, None, None, None, *as_of) == [["Đúng tiến độ"], ["Chậm tiến độ"]]


def test_tangtruong_is_compound_growth():
    assert KC_TANGTRUONG(100, 121, 2) == pytest.approx(0.1, abs=1e-15)
    assert is_message(KC_TANGTRUONG(0, 121, 2))
    assert KC_TANGTRUONG([[100], [None]], [[144], [None]], 2) == [[pytest.approx(0.2)], [""]]


# --- KC_KIEMTRA -----------------------------------------------------------------------------------

GOOD_ROW = [1, "Hỗ trợ máy móc", "MAY_MOC", "TTKC", "Cơ sở A", "0314409058", "DNNVV", "", "cơ sở", 1,
            400, 0, 150, 250, 0, 3, 10, ""]


def test_kiemtra_lists_the_issues_of_one_row():
    bad = list(GOOD_ROW)
    bad[5], bad[10] = "0312345678", 500
    assert KC_KIEMTRA([GOOD_ROW]) == ""
    text = KC_KIEMTRA([bad])
    assert "F: Mã số thuế không hợp lệ" in text
    assert "K: Tổng kinh phí không bằng tổng các nguồn" in text
    assert KC_KIEMTRA([bad, GOOD_ROW, [None] * 18]) == [[text], [""], [""]]


# --- registration through xlwings' own machinery ----------------------------------------------

def _run(code: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_office_js_metadata_from_xlwings_server():
    out = _run("""
        import json, kc_excel.udfs as module
        from xlwings.server import custom_functions_meta
        print(json.dumps(custom_functions_meta(module), ensure_ascii=False))
        """, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    functions = {f["name"]: f for f in json.loads(out)["functions"]}
    assert sorted(functions) == NAMES
    for name, meta in functions.items():
        assert meta["description"] == getattr(udfs, name).__doc__
        assert 0 < len(meta["description"]) <= 255
        assert all(p["description"] and not p["description"].startswith("Positional") for p in meta["parameters"])
    docso = functions["KC_DOCSO"]["parameters"]
    assert [(p["name"], p.get("optional", False)) for p in docso] == [("so", False), ("don_vi", True)]
    assert "Đọc số tiền thành chữ" in functions["KC_DOCSO"]["description"]
    danhgia = [(p["name"], p.get("optional", False)) for p in functions["KC_DANHGIA"]["parameters"]]
    assert danhgia == [("thuc_hien", False), ("chi_tieu_min", False), ("chi_tieu_max", True), ("chieu", True),
                       ("cong_don", True), ("tu_nam", True), ("den_nam", True), ("den_thang", True)]


def test_classic_excel_registration_category_and_vba_wrappers():
    """xlwings' Windows code (xlwings.udfs) run with stand-ins for the pywin32 modules it imports."""
    out = _run("""
        import io, json, sys, types
        for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
            sys.modules[name] = types.ModuleType(name)
        sys.modules["pythoncom"].CoInitialize = lambda: None
        sys.modules["win32com.client"].Dispatch = lambda *a, **k: None
        import xlwings, xlwings.udfs as classic
        xlwings.func, xlwings.arg, xlwings.ret = classic.xlfunc, classic.xlarg, classic.xlret
        import kc_excel.udfs as module
        class Book:
            Name = "kc_excel.xlam"
        vba = io.StringIO()
        classic.generate_vba_wrapper("kc_excel.udfs", module, vba, Book())
        meta = {n: {"category": f.__xlfunc__["category"], "doc": f.__xlfunc__["ret"]["doc"],
                    "args": [a["doc"] for a in f.__xlfunc__["args"]]}
                for n, f in vars(module).items() if hasattr(f, "__xlfunc__")}
        print(json.dumps({"vba": vba.getvalue(), "meta": meta}, ensure_ascii=False))
        """)
    result = json.loads(out)
    assert sorted(result["meta"]) == NAMES
    assert {m["category"] for m in result["meta"].values()} == {"KC"}
    assert all(len(m["doc"]) <= 255 and all(len(a) <= 255 for a in m["args"]) for m in result["meta"].values())
    vba = result["vba"]
    assert "Function KC_DOCSO(so, Optional don_vi)" in vba
    assert "Function KC_TYLE(thuc_hien, chi_tieu)" in vba
    assert ("Function KC_DANHGIA(thuc_hien, chi_tieu_min, Optional chi_tieu_max, Optional chieu, Optional cong_don, "
            "Optional tu_nam, Optional den_nam, Optional den_thang)") in vba
    assert 'XLPy.CallUDF("kc_excel.udfs", "KC_KIEMTRA", Array(dong), ActiveWorkbook, Application.Caller)' in vba


# --- issue 14 item 9: the formulas agree with the command line ------------------------------------

def test_danhgia_rejects_min_above_max_as_the_command_line_does():
    assert KC_DANHGIA(7, 8, 5) == "Lỗi: chỉ tiêu tối thiểu 8 lớn hơn tối đa 5"
    assert KC_DANHGIA(7, 5, 8) == "Đạt"


def test_danhgia_choices_are_the_catalogue_options_only():
    assert is_message(KC_DANHGIA(1, 2, None, "Theo báo cáo"))
    assert is_message(KC_DANHGIA(1, 2, None, None, "Không cộng dồn (lấy năm cuối)"))
    assert "Cộng dồn | Kỳ cuối | Bình quân" in KC_DANHGIA(1, 2, None, None, "lũy kế")


def test_danhgia_says_chua_dat_while_the_period_runs():
    assert KC_DANHGIA(0.034, 0.05, 0.054, None, "Bình quân", 2021, 2025, "2023-12") == "Chưa đạt"
    assert KC_DANHGIA(0.034, 0.05, 0.054, None, "Bình quân", 2021, 2025, "2025-12") == "Không đạt"


def test_tyle_refuses_booleans_like_the_other_formulas():
    assert KC_TYLE(True, 2) == "Lỗi: giá trị logic không phải là số"
    assert KC_TYLE([[True], [4]], 2) == [["Lỗi: giá trị logic không phải là số"], [2.0]]
    assert KC_TYLE(1, [[False]]) == [["Lỗi: giá trị logic không phải là số"]]
    assert is_message(KC_DANHGIA(True, 2)) and is_message(KC_TANGTRUONG(True, 2, 1))


def test_chuanhoa_shows_numbers_as_excel_does():
    assert KC_CHUANHOA(1500.0) == "1500" and KC_CHUANHOA(0.1) == "0.1" and KC_CHUANHOA(1500) == "1500"


@pytest.mark.parametrize("call", [lambda: KC_TANGTRUONG(1, 1e300, 1e-9), lambda: KC_TANGTRUONG(1e-300, 1e300, 0.5),
                                  lambda: KC_TYLE(1e308, 1e-308), lambda: KC_SO("1e400")])
def test_no_exception_text_and_no_infinity(call):
    value = call()
    assert is_message(value) and "class" not in value and "[" not in value
    assert value not in (float("inf"), float("-inf"))


COLUMN = 1_048_576


@pytest.mark.parametrize("name, args", [
    ("KC_TANGTRUONG", lambda col: (col, [[200.0]], [[2.0]])), ("KC_CHUANHOA", lambda col: (col,)),
    ("KC_DANHGIA", lambda col: (col, [[500.0]])), ("KC_TYLE", lambda col: (col, [[4.0]])),
    ("KC_TIENDO", lambda col: ([[2021.0]] * 1000 + [[None]] * (COLUMN - 1000), [[2025.0]], [["2023-12"]])),
    ("KC_SO", lambda col: (col,)), ("KC_MST", lambda col: (col,))])
def test_a_whole_column_reference_answers_in_under_5_seconds(name, args):
    """=KC_…(A:A) hands over 1.048.576 rows; 1.000 are used, the tail is empty.

    The bound is on this process's CPU time: the suite runs beside other workers on two cores."""
    import time

    column = [[float(i % 997 + 1)] for i in range(1000)] + [[None] for _ in range(COLUMN - 1000)]
    started = time.process_time()
    out = getattr(udfs, name)(*args(column))
    took = time.process_time() - started
    assert len(out) == COLUMN and out[-1] == [""] and out[0] != [""]
    assert took < 5, f"{name}: {took:.1f} s"


def test_a_filled_column_of_ratios_in_under_5_seconds():
    import time

    column = [[float(i % 997 + 1)] for i in range(COLUMN)]
    started = time.process_time()
    out = KC_TYLE(column, [[4.0]])
    assert time.process_time() - started < 5 and out[-1] == [(COLUMN - 1) % 997 / 4 + 0.25]


def test_tangtruong_over_a_filled_column_is_vectorised_and_agrees_with_the_core():
    import time

    from kc_excel.attainment import cagr

    column = [[float(i + 1)] for i in range(COLUMN)]
    started = time.process_time()
    out = KC_TANGTRUONG(column, [[2000.0]], [[2.0]])
    assert time.process_time() - started < 5
    for i in (0, 999, 123_456, COLUMN - 1):
        core = cagr(Decimal(str(column[i][0])), Decimal(2000), Decimal(2))
        assert out[i][0] == pytest.approx(float(core), rel=1e-12)


def test_tangtruong_odd_cells_of_a_range_get_the_core_message():
    start = [[100.0]] * 70 + [[0.0], ["abc"], [True], [None]]
    out = KC_TANGTRUONG(start, [[121.0]] * 73 + [[None]], 2)
    assert out[0][0] == pytest.approx(0.1, abs=1e-15)
    assert out[70] == [KC_TANGTRUONG(0, 121, 2)] and "abc" in out[71][0] and is_message(out[72][0])
    assert out[73] == [""]
