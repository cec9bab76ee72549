"""The reader's and validator's hot paths give exactly what the plain code gives.

Cells are built without the frozen dataclass's ``__init__``, plain amounts skip
the text rules of :func:`~kc_excel.numbers.to_dong`, and a file's number cells
share their parse per distinct value. Each shortcut is checked here against the
slow path it replaces, on the values where "equal" is not "the same" (``1``,
``1.0``, ``True``; ``0.0`` and ``-0.0``; ``Decimal("1.0")``).
"""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from kc_excel.numbers import TooPreciseError, to_dong
from kc_excel.numbers.parse import _parse
from kc_excel.text import clean
from kc_excel.validation.context import FileContext
from kc_excel.validation.values import text_of
from kc_excel.workbook.data import Cell, Record, Table, WorkbookData, new_cell
from kc_excel.workbook.layout import REGISTRATION, Kind
from kc_excel.workbook.tables import Location, _blank_at, _content_columns


def test_new_cell_is_the_same_cell():
    fast, plain = new_cell("Đăng ký", 5, 3, 1.5, "=A1", "Arial"), Cell("Đăng ký", 5, 3, 1.5, "=A1", "Arial")
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert fast.ref == "C5" and pickle.loads(pickle.dumps(fast)) == plain
    assert new_cell("S", 1, 1, None) == Cell("S", 1, 1, None)
    with pytest.raises(AttributeError):
        fast.value = 2  # still frozen


def _slow_to_dong(value, unit):
    """to_dong through the general text path only ("too precise" below one đồng)."""
    parsed = _parse(Decimal(format(value, ".15g")) if isinstance(value, float) else value)
    factor = 1 if (parsed.scaled or parsed.currency) else {"trieu-dong": 10**6, "dong": 1, "ty-dong": 10**9}[unit]
    dong = parsed.value * factor
    return int(dong) if dong == dong.to_integral_value() else "too precise"


@pytest.mark.parametrize("value", [0, 7, -3, 10**14, Decimal("1.5"), Decimal("-0"), Decimal("1.0"), 0.0, -0.0,
                                   128.011, 52.199999999999996, 1e-6, "1.500", "2,5 tỷ"])
@pytest.mark.parametrize("unit", ["trieu-dong", "dong", "ty-dong"])
def test_plain_amounts_match_the_text_path(value, unit):
    try:
        found = to_dong(value, unit)
    except TooPreciseError:
        found = "too precise"
    assert found == _slow_to_dong(value, unit)


def test_a_fraction_of_a_dong_still_raises_with_its_message():
    with pytest.raises(TooPreciseError, match="lẻ hơn 1 đồng"):
        to_dong(Decimal("0.0000005"))
    with pytest.raises(ValueError, match="đơn vị tiền 'bad'"):
        to_dong(5, "bad")


def _context(values: list, key: str) -> FileContext:
    column = REGISTRATION.keys.index(key) + 1
    records = [Record("S", row, {key: Cell("S", row, column, value)}) for row, value in enumerate(values, start=2)]
    table = Table(layout=REGISTRATION, sheet="S", header_row=1, columns={}, records=records)
    data = WorkbookData(path="x.xlsx", sha256="", format="xlsx", sheet_names=["S"], meta={},
                        tables={Kind.REGISTRATION: table})
    return FileContext(data)


def test_equal_values_of_other_types_are_parsed_apart():
    values = [1, 1.0, True, Decimal("1.0"), "1", 1, 0.0, -0.0, 0.0]
    rows = _context(values, "so_luong").rows
    found = [(row.parsed("so_luong").value, row.parsed("so_luong").problem) for row in rows]
    assert [repr(v) for v, _ in found] == [
        "Decimal('1')", "Decimal('1')", "None", "Decimal('1.0')", "Decimal('1')", "Decimal('1')",
        "Decimal('0')", "Decimal('-0')", "Decimal('0')"]
    assert found[2][1] == "not-a-number"  # TRUE is not a number, though True == 1


def test_money_zeros_and_repeats_share_one_result():
    rows = _context([0.0, -0.0, 0, 12.5, 12.5, "12,5"], "tong").rows
    assert [row.amount("tong") for row in rows] == [0, 0, 0, 12_500_000, 12_500_000, 12_500_000]


@pytest.mark.parametrize(("cells", "expected"), [
    ({}, None),  # all five blank
    ({"tong": 2.0, "kcqg": 1.0, "doi_ung": 1.0}, {"tong": 2_000_000, "kcqg": 1_000_000, "kcdp": 0,
                                                 "doi_ung": 1_000_000, "khac": 0}),
    ({"tong": 2.0, "kcqg": "abc"}, None),  # an unusable cell
    ({"tong": 1e-7}, None),  # too precise
    ({"khac": 0.0}, {"tong": 0, "kcqg": 0, "kcdp": 0, "doi_ung": 0, "khac": 0}),
])
def test_money_of_a_row(cells, expected):
    values = {"ten_de_an": "Đề án", **cells}
    record = Record("S", 2, {key: Cell("S", 2, i + 1, values.get(key)) for i, key in enumerate(REGISTRATION.keys)})
    table = Table(layout=REGISTRATION, sheet="S", header_row=1, columns={}, records=[record])
    data = WorkbookData(path="x.xlsx", sha256="", format="xlsx", sheet_names=["S"], meta={},
                        tables={Kind.REGISTRATION: table})
    row = FileContext(data).rows[0]
    assert row.money() == expected
    assert row.money() == expected  # remembered, and a copy each time
    if expected is not None:
        row.money()["tong"] = -1
        assert row.money() == expected


@pytest.mark.parametrize("text", ["  Thuỵ  hoà ", "Hoà", "x" * 500, "lớp"])
def test_clean_text_is_remembered_unchanged(text):
    assert text_of(text) == clean(text) and text_of(text) == clean(text)


def test_blank_and_totals_rows_with_precomputed_columns():
    loc = Location(REGISTRATION, "S", 1, {"stt": 1, "ten_de_an": 2, "tong": 3})
    content = _content_columns(loc)
    assert content == [2, 3]  # an STT alone does not make a row
    assert _blank_at([5, " ", None], content) and _blank_at([5], content)
    assert not _blank_at([None, "", 0], content) and not _blank_at([None, "a"], content)
