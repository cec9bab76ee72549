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
_ORDER = {key: i for i, key in enumerate(SPEC)}
"""Column order of the failures (row by row, in table order), whatever order pandera reports them in."""
DTYPES = {**{key: "Int64" for key in MONEY_KEYS}, "so_luong": "Float64", **{key: "Float64" for key in MONTH_KEYS}}
KINDS: dict[str, tuple[str, ...]] = {"money": MONEY_KEYS, "quantity": ("so_luong",), "month": MONTH_KEYS}
"""The frame pandera checks has one column per *kind* of value, the table's columns of that kind stacked
(5 money columns, 1 quantity, 2 months): pandera's cost is per column checked (about 0.6 ms each),
not per value, and every column of a kind has the same checks (see :data:`SPEC`)."""


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
    {kind: pa.Column(DTYPES[keys[0]], [_pandera_check(*c) for c in SPEC[keys[0]]], nullable=True)
     for kind, keys in KINDS.items()},
    coerce=False,
    strict=True,
)


@dataclass(frozen=True)
class ColumnFailure:
    row: Row
    key: str
    code: str


def frame_of(rows: list[Row]) -> pd.DataFrame:
    """The parsed values of the rows by kind (:data:`KINDS`): money in đồng (Int64), quantities and months (Float64).

    Value ``i`` of a kind is row ``i % len(rows)`` of that kind's column ``i // len(rows)``
    (:func:`_cell_of`); the shorter kinds are padded with blanks, which pandera does not check.
    """
    size = len(rows) * max(len(keys) for keys in KINDS.values())
    data: dict[str, Any] = {}
    for kind, keys in KINDS.items():
        if kind == "money":
            values = [r.amount(key) for key in keys for r in rows]
        else:
            values = [_float(r.number(key)) for key in keys for r in rows]
        data[kind] = pd.array(values + [None] * (size - len(values)), dtype=DTYPES[keys[0]])
    return pd.DataFrame(data, index=range(size))


def _cell_of(rows: list[Row], kind: str, index: int) -> tuple[Row, str] | None:
    """The (row, column key) of value ``index`` of ``kind`` in :func:`frame_of`; None for padding."""
    keys = KINDS[kind]
    column, row = divmod(index, len(rows))
    return (rows[row], keys[column]) if column < len(keys) else None


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
            cell = _cell_of(rows, str(case.column), int(index))
            if cell is not None:
                found.append(ColumnFailure(cell[0], cell[1], str(case.check)))
        return _unique(sorted(found, key=lambda f: (f.row.index, _ORDER[f.key])))
    return []


def warm_up() -> None:
    """Have pandera register its pandas backends now (it does so on the first validation)."""
    SCHEMA.validate(pd.DataFrame({kind: pd.array([], dtype=DTYPES[keys[0]]) for kind, keys in KINDS.items()}),
                    lazy=True, inplace=True)


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
