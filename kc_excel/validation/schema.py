"""Column-level checks of table ``DangKy`` with pandera, mapped back to Excel cells.

The rows are parsed first (numbers exact, money in integer đồng; unparsable
cells are left out here and reported as ``not-a-number`` by their rule); the
frame of parsed values is then checked against :data:`SCHEMA` (built from
:data:`SPEC`), whose checks carry the issue code as their ``error``. A single
row is checked directly against the same :data:`SPEC` (see
:data:`PANDERA_MIN_ROWS`). :func:`column_failures` turns
pandera's failure cases back into (row, column key, code) triples, so a rule
can place each failure at its cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from kc_excel.validation.context import FileContext, Row
from kc_excel.workbook.layout import MONEY_KEYS

MONTH_KEYS = ("thang_bat_dau", "thang_ket_thuc")
PANDERA_MIN_ROWS = 2
"""A single row (the ``KC_KIEMTRA`` formula) is checked directly against the same spec: pandera
costs tens of milliseconds per call, too slow for a formula recalculated in every row."""

# The column checks, once: key → [(issue code, check name, argument)].
SPEC: dict[str, list[tuple[str, str, Any]]] = {
    **{key: [("negative-amount", "ge", 0)] for key in MONEY_KEYS},
    "so_luong": [("not-positive", "gt", 0)],
    **{key: [("month-out-of-range", "in_range", (1, 12)), ("month-out-of-range", "whole", None)]
       for key in MONTH_KEYS},
}
DTYPES = {**{key: "Int64" for key in MONEY_KEYS}, "so_luong": "Float64", **{key: "Float64" for key in MONTH_KEYS}}


def _pandera_check(code: str, name: str, arg: Any) -> pa.Check:
    if name == "ge":
        return pa.Check.ge(arg, error=code)
    if name == "gt":
        return pa.Check.gt(arg, error=code)
    if name == "in_range":
        return pa.Check.in_range(*arg, error=code)
    return pa.Check(lambda s: s == s.round(), error=code)


def _passes(name: str, arg: Any, value: Any) -> bool:
    if name == "ge":
        return value >= arg
    if name == "gt":
        return value > arg
    if name == "in_range":
        return arg[0] <= value <= arg[1]
    return math.isfinite(value) and value == int(value)


SCHEMA = pa.DataFrameSchema(
    {key: pa.Column(DTYPES[key], [_pandera_check(*c) for c in checks], nullable=True) for key, checks in SPEC.items()},
    coerce=False,
    strict=True,
)


@dataclass(frozen=True)
class ColumnFailure:
    row: Row
    key: str
    code: str


def frame_of(rows: list[Row]) -> pd.DataFrame:
    """The parsed values of the rows: money in đồng (Int64), quantities and months (Float64)."""
    data: dict[str, Any] = {}
    for key in MONEY_KEYS:
        data[key] = pd.array([r.amount(key) for r in rows], dtype="Int64")
    for key in ("so_luong", *MONTH_KEYS):
        data[key] = pd.array([_float(r.number(key)) for r in rows], dtype="Float64")
    return pd.DataFrame(data, index=range(len(rows)))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def column_failures(ctx: FileContext) -> list[ColumnFailure]:
    """Every failed column check of the file's rows (computed once per file)."""
    return ctx.memo("schema-failures", lambda: _validate(ctx.rows))


def _validate(rows: list[Row]) -> list[ColumnFailure]:
    if not rows:
        return []
    if len(rows) < PANDERA_MIN_ROWS:
        return direct_failures(rows)
    return pandera_failures(rows)


def direct_failures(rows: list[Row]) -> list[ColumnFailure]:
    """The checks of :data:`SPEC` evaluated in Python (same results as pandera, for one row)."""
    found = []
    for row in rows:
        for key, checks in SPEC.items():
            value = row.amount(key) if key in MONEY_KEYS else _float(row.number(key))
            if value is None or value != value:  # blank, unusable or NaN: not checked (as nullable in pandera)
                continue
            found += [ColumnFailure(row, key, code) for code, name, arg in checks if not _passes(name, arg, value)]
    return _unique(found)


def pandera_failures(rows: list[Row]) -> list[ColumnFailure]:
    """The checks of :data:`SCHEMA` run by pandera over the frame of parsed values."""
    try:
        SCHEMA.validate(frame_of(rows), lazy=True, inplace=True)  # our own frame: no copy
    except SchemaErrors as errors:
        cases = errors.failure_cases
        found = []
        for case in cases.itertuples(index=False):
            index = getattr(case, "index")
            if index is None or pd.isna(index) or case.column not in SCHEMA.columns:
                continue
            found.append(ColumnFailure(rows[int(index)], str(case.column), str(case.check)))
        return _unique(found)
    return []


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
