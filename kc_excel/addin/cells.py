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
    return [list(row) for row in value]


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def message(error: BaseException) -> str:
    """A short cell message from a core error (already Vietnamese)."""
    text = str(error).strip() or "giá trị không hợp lệ"
    text = f"Lỗi: {text[0].lower()}{text[1:]}" if not text.startswith("Lỗi") else text
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def to_excel(value: Any) -> Any:
    """Decimal → int (when whole and exact in a double) or float; other values unchanged."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < 2**53:
            return int(value)
        return float(value)
    return value


def broadcast_shape(grids: list[list[list[Any]]]) -> tuple[int, int] | None:
    """The common shape of the grids, 1×1 grids broadcasting; None when they disagree."""
    shapes = {(len(g), len(g[0])) for g in grids if (len(g), len(g[0])) != (1, 1)}
    if len(shapes) > 1 or any(len(row) != len(g[0]) for g in grids for row in g):
        return None
    return shapes.pop() if shapes else (1, 1)


def _at(grid: list[list[Any]], i: int, j: int) -> Any:
    return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid[i][j]


def map_cells(func: Callable[..., Any], *args: Any, blank_if: tuple[int, ...] = (0,)) -> Any:
    """``func`` per cell over scalar-or-range ``args``; a scalar result unless some argument is a range.

    A cell whose arguments at positions ``blank_if`` are all blank gives ``""``.
    """
    grids = [as_rows(a) for a in args]
    shape = broadcast_shape(grids)
    if shape is None:
        return [[SHAPE_MESSAGE]]
    out = [[_one(func, [_at(g, i, j) for g in grids], blank_if) for j in range(shape[1])]
           for i in range(shape[0])]
    return out if any(is_range(a) for a in args) else out[0][0]


def _one(func: Callable[..., Any], values: list[Any], blank_if: tuple[int, ...]) -> Any:
    if blank_if and all(is_blank(values[k]) for k in blank_if):
        return BLANK
    try:
        return to_excel(func(*values))
    except (ValueError, ArithmeticError, TypeError) as error:
        return message(error)


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
