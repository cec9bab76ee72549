"""Column-level checks of table ``DangKy`` with pandera, mapped back to Excel cells.

The rows are parsed first (numbers exact, money in integer đồng; unparsable
cells are left out here and reported as ``not-a-number`` by their rule); the
frame of parsed values, one column per table column, is then checked against
:data:`SCHEMA`, whose checks carry the issue code as their ``error``. This is
the only expression of these checks: a file's rows and a single row (the
``KC_KIEMTRA`` formula, a few milliseconds) go through the same schema.
:func:`column_failures` turns pandera's lazily collected failure cases back
into (row, column key, code) triples, so a rule can place each failure at its cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from kc_excel.validation.context import FileContext, Row
from kc_excel.workbook.layout import MONEY_KEYS

MONTH_KEYS = ("thang_bat_dau", "thang_ket_thuc")


def _month() -> pa.Column:
    return pa.Column("Float64", [pa.Check.in_range(1, 12, error="month-out-of-range"),
                                 pa.Check(lambda s: s == s.round(), error="month-out-of-range")], nullable=True)


SCHEMA = pa.DataFrameSchema(
    {**{key: pa.Column("Int64", pa.Check.ge(0, error="negative-amount"), nullable=True) for key in MONEY_KEYS},
     "so_luong": pa.Column("Float64", pa.Check.gt(0, error="not-positive"), nullable=True),
     **{key: _month() for key in MONTH_KEYS}},
    coerce=False,
    strict=True,
)
"""Money in đồng must not be negative, quantities must be positive, months whole numbers 1-12; blanks
(and unusable cells, reported by their own rule) are not checked."""
_ORDER = {key: i for i, key in enumerate(SCHEMA.columns)}
"""Column order of the failures (row by row, in table order), whatever order pandera reports them in."""


@dataclass(frozen=True)
class ColumnFailure:
    row: Row
    key: str
    code: str


def frame_of(rows: list[Row]) -> pd.DataFrame:
    """The parsed values of the rows, one column per key of :data:`SCHEMA`: money in đồng (Int64),
    quantities and months (Float64); row ``i`` of the frame is ``rows[i]``."""
    data = {key: pd.array([row.amount(key) if key in MONEY_KEYS else _float(row.number(key)) for row in rows],
                          dtype=str(column.dtype))
            for key, column in SCHEMA.columns.items()}
    return pd.DataFrame(data, index=range(len(rows)))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def column_failures(ctx: FileContext) -> list[ColumnFailure]:
    """Every failed column check of the file's rows (computed once per file)."""
    return ctx.memo("schema-failures", lambda: schema_failures(ctx.rows))


def schema_failures(rows: list[Row]) -> list[ColumnFailure]:
    """The checks of :data:`SCHEMA` run by pandera (lazily, every failure collected) over the rows' values."""
    if not rows:
        return []
    try:
        SCHEMA.validate(frame_of(rows), lazy=True, inplace=True)  # our own frame: no copy
    except SchemaErrors as errors:
        found = []
        for case in errors.failure_cases.itertuples(index=False):
            index = getattr(case, "index")
            if index is None or pd.isna(index) or case.column not in SCHEMA.columns:
                continue
            found.append(ColumnFailure(rows[int(index)], str(case.column), str(case.check)))
        return _unique(sorted(found, key=lambda f: (f.row.index, _ORDER[f.key])))
    return []


def warm_up() -> None:
    """Have pandera register its pandas backends now (it does so on the first validation)."""
    SCHEMA.validate(frame_of([]), lazy=True, inplace=True)


def _unique(failures: list[ColumnFailure]) -> list[ColumnFailure]:
    seen: set[tuple[int, str, str]] = set()
    result = []
    for failure in failures:
        key = (failure.row.index, failure.key, failure.code)
        if key not in seen:
            seen.add(key)
            result.append(failure)
    return result


def failures_of(ctx: FileContext, code: str) -> list[ColumnFailure]:
    return [f for f in column_failures(ctx) if f.code == code]
