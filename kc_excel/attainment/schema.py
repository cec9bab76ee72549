"""The column checks of the programme (``ChiTieu``) and results (``KetQua``) tables, as pandera schemas.

The readers (:mod:`kc_excel.attainment.io`) first parse each row's cells
(required text, exact numbers, the closed lists, values in the indicator's
unit); the parsed values, one frame row per table row (the frame's index is
the row's position in the table), are then checked here, every failure
collected at once (pandera's lazy validation):

- Từ năm, Đến năm, Năm: whole years within 2000-2100 (``year-out-of-range``);
- Đến năm not before Từ năm (``period-reversed`` at Đến năm), and Chỉ tiêu
  tối đa not below Chỉ tiêu tối thiểu (``target-range-reversed`` at tối đa), for
  rows whose two values are usable;
- Mã chỉ tiêu unique among the targets that passed every other check
  (``duplicate-indicator``; the first row stays).

:func:`failures` turns pandera's failure cases into :class:`Failure` (row, check)
pairs; each check's ``error`` names a :class:`Slot`, which says which column and
issue code the reader reports. This module imports pandera, so only the
attainment readers (``kc-excel attainment``, the ribbon, ``validate`` of a
programme or results workbook) load it, never the registration readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from kc_excel.workbook.layout import MAX_YEAR, MIN_YEAR


@dataclass(frozen=True)
class Slot:
    """Where a check's failures go: the issue code and the column (key) of its cell."""

    name: str
    code: str
    key: str


FROM_YEAR = Slot("tu_nam", "year-out-of-range", "tu_nam")
TO_YEAR = Slot("den_nam", "year-out-of-range", "den_nam")
YEAR = Slot("nam", "year-out-of-range", "nam")
YEAR_ORDER = Slot("den_nam-truoc-tu_nam", "period-reversed", "den_nam")
RANGE_ORDER = Slot("toi_da-duoi-toi_thieu", "target-range-reversed", "toi_da")
UNIQUE_CODE = Slot("field_uniqueness", "duplicate-indicator", "ma_chi_tieu")  # pandera's name for unique=True
SLOTS = {slot.name: slot for slot in (FROM_YEAR, TO_YEAR, YEAR, YEAR_ORDER, RANGE_ORDER, UNIQUE_CODE)}


def is_year(value: Decimal) -> bool:
    return value == value.to_integral_value() and MIN_YEAR <= value <= MAX_YEAR


def _year(slot: Slot) -> pa.Column:
    return pa.Column(object, pa.Check(is_year, element_wise=True, error=slot.name), nullable=True)


def _in_order(low: str, high: str, usable: Callable[[Any], bool]) -> Callable[[pd.DataFrame], pd.Series]:
    """A frame check: ``high >= low`` on every row where both are usable (the others pass)."""
    def check(frame: pd.DataFrame) -> pd.Series:
        return pd.Series([not (usable(a) and usable(b)) or b >= a for a, b in zip(frame[low], frame[high])],
                         index=frame.index, dtype=bool)
    return check


def _given(value: Any) -> bool:
    return value is not None


def _usable_year(value: Any) -> bool:
    return value is not None and is_year(value)


TARGET_ROWS = pa.DataFrameSchema(
    {"tu_nam": _year(FROM_YEAR), "den_nam": _year(TO_YEAR),
     "toi_thieu": pa.Column(object, nullable=True), "toi_da": pa.Column(object, nullable=True)},
    checks=[pa.Check(_in_order("tu_nam", "den_nam", _usable_year), error=YEAR_ORDER.name),
            pa.Check(_in_order("toi_thieu", "toi_da", _given), error=RANGE_ORDER.name)],
    strict=True)
"""One programme row's years and range (Từ năm, Đến năm, Chỉ tiêu tối thiểu, tối đa)."""

TARGETS = pa.DataFrameSchema(
    {"ma_chi_tieu": pa.Column(object, unique=True, report_duplicates="exclude_first")}, strict=True)
"""The targets kept after :data:`TARGET_ROWS`: one row per Mã chỉ tiêu."""

RESULT_ROWS = pa.DataFrameSchema({"nam": _year(YEAR)}, strict=True)
"""One results row's Năm."""


@dataclass(frozen=True)
class Failure:
    index: int
    slot: Slot


def frame_of(columns: dict[str, list[Any]], index: list[int]) -> pd.DataFrame:
    """Parsed values (Decimal, str or None), one column per key; ``index`` = the rows' positions in the table."""
    return pd.DataFrame({key: pd.Series(values, index=index, dtype=object) for key, values in columns.items()},
                        index=index)


def failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> list[Failure]:
    """Every failed check of ``schema`` over ``frame`` (pandera collects them all: ``lazy=True``), by row
    then in the order of :data:`SLOTS`; a check failing twice on one row counts once."""
    if frame.empty:
        return []
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        found = {Failure(int(case.index), SLOTS[str(case.check)])
                 for case in errors.failure_cases.itertuples(index=False)
                 if case.index is not None and not pd.isna(case.index) and str(case.check) in SLOTS}
        order = list(SLOTS)
        return sorted(found, key=lambda f: (f.index, order.index(f.slot.name)))
    return []
