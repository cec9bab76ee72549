"""kc_excel.workbook.meta: the one writer of the hidden ``_kc`` sheet, openpyxl and streamed alike."""

from __future__ import annotations

from functools import partial

import openpyxl
import pytest

from kc_excel.outputs import write_atomically
from kc_excel.workbook import writer as w
from kc_excel.workbook.layout import META_KEYS, META_SHEET, Meta
from kc_excel.workbook.meta import write_meta
from kc_excel.workbook.streamed import new_streamed_workbook

SCRAMBLED = {Meta.CREATED: "2022-01-01T00:00:00", Meta.YEAR: 2022, Meta.KIND: "ke-hoach",
             Meta.TOTAL_PREFIX + "tong": 1_500_000, Meta.PROVINCE_CODE: "75", Meta.SOFTWARE: "kc-excel"}
IN_ORDER = [("loai_bieu", "ke-hoach"), ("ma_tinh", "75"), ("nam", "2022"), ("ngay_tao", "2022-01-01T00:00:00"),
            ("tong_tong", "1500000"), ("phan_mem", "kc-excel")]


def _rows(path) -> list[tuple]:
    return [tuple(r) for r in openpyxl.load_workbook(path)[META_SHEET].iter_rows(values_only=True)]


def test_an_openpyxl_book_gets_the_keys_in_layout_order_as_text_hidden_and_protected(tmp_path):
    wb = w.new_workbook()
    wb.create_sheet("Dữ liệu")
    write_meta(wb, SCRAMBLED)
    path = write_atomically(tmp_path / "a.xlsx", partial(w.save_workbook, wb))
    assert _rows(path) == IN_ORDER
    sheet = openpyxl.load_workbook(path)[META_SHEET]
    assert sheet.sheet_state == "hidden" and sheet.protection.sheet
    assert {sheet.cell(row, 2).number_format for row in range(1, len(IN_ORDER) + 1)} == {"@"}


def test_a_streamed_book_gets_the_same_rows(tmp_path):
    book = new_streamed_workbook(str(tmp_path / "b.xlsx"))
    book.wb.add_worksheet("Dữ liệu")
    write_meta(book, SCRAMBLED)
    book.wb.close()
    assert _rows(tmp_path / "b.xlsx") == IN_ORDER
    assert openpyxl.load_workbook(tmp_path / "b.xlsx")[META_SHEET].sheet_state == "hidden"


def test_a_key_the_layout_does_not_list_is_refused_before_anything_is_written():
    wb = w.new_workbook()
    with pytest.raises(ValueError, match="so_trang"):
        write_meta(wb, {Meta.KIND: "ke-hoach", "so_trang": 3})
    assert META_SHEET not in wb.sheetnames


def test_the_layout_lists_every_key_once():
    assert len(META_KEYS) == len(set(META_KEYS))
