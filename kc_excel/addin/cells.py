"""Range-aware evaluation for the KC_* formulas: one value in → one value out, a range in → a range out.

xlwings hands a formula argument declared ``ndim=2`` as a list of rows; a
single cell arrives as ``[[value]]`` and a plain Python call may pass a bare
scalar. :func:`map_cells` applies a per-cell function over arguments that are
scalars or same-shaped ranges (a 1×1 range or a scalar is broadcast), turns a
blank cell into ``""`` and any ``ValueError``/``ArithmeticError`` into a short
Vietnamese message in that cell, never an exception into Excel.
:func:`numeric_grid` converts a range to a float array with numpy, calling
Python per cell only for cells holding text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

import math
from itertools import repeat

import numpy as np

BLANK = ""
MAX_MESSAGE = 120
SHAPE_MESSAGE = "Lỗi: các vùng ô không cùng kích thước"


def is_range(value: Any) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def as_rows(value: Any) -> list[list[Any]]:
    """A scalar → ``[[v]]``; a flat list → one row; a list of rows as is."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not is_range(value):
        return [[value]]
    if not value:
        return [[None]]
    if not is_range(value[0]):
        return [list(value)]
    if isinstance(value, list) and all(map(list.__instancecheck__, value)):
        return value  # already rows of lists (what xlwings hands over): read, never changed
    return [list(row) for row in value]


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def message(error: BaseException) -> str:
    """A short cell message from a core error (already Vietnamese)."""
    text = str(error).strip() or "giá trị không hợp lệ"
    text = f"Lỗi: {text[0].lower()}{text[1:]}" if not text.startswith("Lỗi") else text
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def to_excel(value: Any) -> Any:
    """Decimal → int (when whole and exact in a double) or float; other values unchanged.

    ValueError for a number a cell cannot hold (beyond ±1,8e308: Excel shows no ``inf``)."""
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value() and abs(value) < 2**53:
            return int(value)
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("kết quả vượt quá số Excel biểu diễn được")
    return value


def broadcast_shape(grids: list[list[list[Any]]]) -> tuple[int, int] | None:
    """The common shape of the grids, 1×1 grids broadcasting; None when they disagree."""
    shapes = {(len(g), len(g[0])) for g in grids if (len(g), len(g[0])) != (1, 1)}
    if len(shapes) > 1 or any(any(map(len(g[0]).__ne__, map(len, g))) for g in grids):
        return None
    return shapes.pop() if shapes else (1, 1)


def _at(grid: list[list[Any]], i: int, j: int) -> Any:
    return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid[i][j]


def map_cells(func: Callable[..., Any], *args: Any, blank_if: tuple[int, ...] = (0,)) -> Any:
    """``func`` per cell over scalar-or-range ``args``; a scalar result unless some argument is a range.

    A cell whose arguments at positions ``blank_if`` are all blank gives ``""``.
    A whole-column reference (1.048.576 rows) costs only its used rows: the
    trailing rows blank in every full-height argument are answered ``""``
    without a call, and equal argument tuples are computed once.
    """
    grids = [as_rows(a) for a in args]
    shape = broadcast_shape(grids)
    if shape is None:
        return [[SHAPE_MESSAGE]]
    rows, cols = shape
    used = used_rows(grids, rows)
    memo: dict[tuple, tuple] = {}
    by_column = []
    for j in range(cols):
        columns = [repeat(g[0][0], used) if len(g) == 1 and len(g[0]) == 1 else [row[j] for row in g[:used]]
                   for g in grids]
        tuples = list(zip(*columns))
        probe = [_one(func, values, blank_if, memo) for values in tuples[:PROBE]]
        keep = memo if len(memo) < PROBE * 3 // 4 else None  # mostly distinct rows: memo costs more than it saves
        by_column.append(probe + [_one(func, values, blank_if, keep) for values in tuples[PROBE:]])
    out = [list(cells) for cells in zip(*by_column)]
    out += [[BLANK] * cols] * (rows - used)  # one shared empty row for the whole tail
    return out if any(is_range(a) for a in args) else out[0][0]


def used_rows(grids: list[list[list[Any]]], rows: int) -> int:
    """Rows up to the last one where some full-height argument is not blank (the rest is an empty tail)."""
    tall = [grid for grid in grids if len(grid) == rows]
    if rows == 1 or not tall:
        return rows
    last = 0
    for grid in tall:
        for i in range(rows - 1, last - 1, -1):
            row = grid[i]
            if (row[0] is None or row[0] == "") and len(row) == 1:  # the common empty cell, without a call
                continue
            if any(not is_blank(v) for v in row):
                last = i + 1
                break
    return last


_MISS = object()
PROBE = 4096
"""Rows computed with the memo before judging whether it pays (distinct rows stop using it)."""


def _one(func: Callable[..., Any], values: tuple, blank_if: tuple[int, ...], memo: dict | None = None) -> Any:
    if blank_if:
        for k in blank_if:  # inline is_blank: this runs once per cell of a whole column
            v = values[k]
            if v is not None and (v.__class__ is not str or v.strip()):
                break
        else:
            return BLANK
    kinds = None
    if memo is not None:
        try:
            found = memo.get(values, _MISS)
        except TypeError:  # an unhashable value: computed each time
            found, memo = _MISS, None
        kinds = tuple(map(type, values))
        if found is not _MISS and found[0] == kinds:  # TRUE equals 1 as a key, not as an argument
            return found[1]
    try:
        result = to_excel(func(*values))
    except (ValueError, ArithmeticError, TypeError) as error:
        result = message(error)
    if memo is not None:
        memo[values] = (kinds, result)
    return result


@dataclass
class NumericGrid:
    """A range as floats: ``values`` (nan where not a number), ``blank`` and ``errors`` masks."""

    values: np.ndarray
    blank: np.ndarray
    errors: dict[tuple[int, int], str]


def numeric_grid(value: Any, parse: Callable[[Any], Decimal]) -> NumericGrid:
    """Numbers vectorised with numpy; only text cells go through ``parse`` (Vietnamese "1.500")."""
    rows = as_rows(value)
    cells = np.empty((len(rows), len(rows[0])), dtype=object)
    cells[:] = rows
    blank = np.equal(cells, None)
    try:
        values = np.array(rows, dtype=float)
        exact = np.equal(cells, values) | blank  # text such as "1.5" converts but is not equal
    except (ValueError, TypeError):
        values = np.full(cells.shape, np.nan)
        exact = blank.copy()
    if bool in set(map(type, cells.ravel())):  # TRUE/FALSE convert to 1/0 but are no numbers
        exact &= ~np.frompyfunc(lambda c: isinstance(c, bool), 1, 1)(cells).astype(bool)
    errors: dict[tuple[int, int], str] = {}
    for i, j in zip(*np.nonzero(~exact)):
        cell = cells[i, j]
        if is_blank(cell):
            blank[i, j] = True
            continue
        try:
            if isinstance(cell, bool):
                raise ValueError("giá trị logic không phải là số")
            values[i, j] = float(parse(cell))
        except (ValueError, ArithmeticError, TypeError) as error:
            errors[(int(i), int(j))] = message(error)
    values[blank] = np.nan
    return NumericGrid(values, blank, errors)
