"""Which row of a table is its totals row: one rule, by place and formulas, never by a word alone.

Every table reader (registration ``DangKy``, programme ``ChiTieu``, results
``KetQua``, stated figures) goes through
:func:`kc_excel.workbook.tables.build_table`, which asks :func:`totals_row`.
A row is the table's totals row when, in this order:

1. it is the Excel Table's totals row (ListObject ``totalsRowCount``);
2. it is the last row in which some cell holds ``SUBTOTAL(9|109, …)`` or
   ``SUM(…)`` over rows above it in its own column (or over a structured
   reference such as ``[Tổng kinh phí]``), and no more than one other cell
   holds text (the label);
3. in a file that carries no formulas (a .xls or .ods re-saved by
   LibreOffice keeps only cached values), it is the last row whose only text
   is one totals label (``Cộng``, ``Tổng cộng``, ``Tổng số``…) and each of
   whose numbers equals the sum of that column over the rows above, exactly.

A row that meets none of these (a KetQua row whose Ghi chú says "Tổng số",
an indicator coded ``TONG``, a line called "Cộng đồng…") is data. Rows above
the totals row are the table's lines; rows below it are read too, as lines
outside the table (``row-outside-table``).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any, Sequence

from kc_excel.numbers import float_to_decimal
from kc_excel.text import fold
from kc_excel.workbook.data import Cell, column_letter
from kc_excel.workbook.error_cells import is_error_value

TOTALS_LABELS = frozenset({"cong", "tong cong", "tong so", "cong tong", "tong cong so", "tong", "tong so tien"})
"""Labels of a totals row, folded; necessary for rule 3 (no formulas), never sufficient."""
_LABEL_EDGE = re.compile(r"^[\s*:.\-]+|[\s*:.\-]+$")
_RANGE = r"\$?([A-Za-z]{1,3})\$?(\d+)\s*:\s*\$?([A-Za-z]{1,3})\$?(\d+)"
_SUM = re.compile(r"^=?\s*(?:SUBTOTAL\(\s*(?:9|109)\s*,|SUM\()\s*(?:" + _RANGE + r"|(\[[^\]]*\]|\w+\[[^\]]*\]))\s*\)\s*$",
                  re.IGNORECASE)

Line = tuple[int, dict[str, Cell]]
"""A non-blank row below the header: its row number and its cells by column key."""


def totals_row(lines: Sequence[Line], header_row: int, *, list_object_totals: int | None = None) -> int | None:
    """The row number of the table's totals row among ``lines`` (see the module docstring), or None."""
    if list_object_totals is not None:
        return list_object_totals
    by_formula = [row for row, cells in lines if _sums_rows_above(cells, header_row, row)]
    if by_formula:
        return by_formula[-1]
    return _last_row_of_column_sums(lines)


def is_totals_label(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 40 and _LABEL_EDGE.sub("", fold(value)) in TOTALS_LABELS


def _texts(cells: dict[str, Cell]) -> list[Any]:
    return [c.value for c in cells.values() if not c.formula and c.value is not None and not _is_number(c.value)
            and str(c.value).strip() and not is_error_value(c.value)]


def _sums_rows_above(cells: dict[str, Cell], header_row: int, row: int) -> bool:
    if len(_texts(cells)) > 1:
        return False
    found = False
    for cell in cells.values():
        if not cell.formula:
            continue
        match = _SUM.match(cell.formula.strip())
        if match is None:
            continue
        if match.group(5):  # a structured reference: the column of an Excel Table above
            found = True
            continue
        first_col, first, last_col, last = match.group(1), int(match.group(2)), match.group(3), int(match.group(4))
        if first_col.upper() == last_col.upper() == column_letter(cell.col) and header_row <= first <= last < row:
            found = True
    return found


def _last_row_of_column_sums(lines: Sequence[Line]) -> int | None:
    sums: dict[str, Decimal] = {}
    found: int | None = None
    for row, cells in lines:
        numbers = {key: _exact(c.value) for key, c in cells.items() if _is_number(c.value)}
        texts = _texts(cells)
        if numbers and len(texts) == 1 and is_totals_label(texts[0]) and all(
                value == sums.get(key, Decimal(0)) for key, value in numbers.items()):
            found = row
        for key, value in numbers.items():
            sums[key] = sums.get(key, Decimal(0)) + value
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _exact(value: int | float) -> Decimal:
    return Decimal(value) if isinstance(value, int) else float_to_decimal(value)

