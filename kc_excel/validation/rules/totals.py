"""totals-mismatch: the file's own totals row against the sum of the lines read, to the đồng.

The reader sets the totals row apart (:mod:`kc_excel.workbook.totals`) with
its cached values: an Excel Table's totals row, a row of SUBTOTAL/SUM
formulas, or, in a .xls/.ods without formulas, the row whose numbers are the
column sums. For each money column whose totals cell holds a value (a formula
without a cached value, as openpyxl writes it, states nothing), that value
must equal the sum of that column over the lines of the table (``in_table``:
inside the Excel Table, or above the totals row). Lines typed below the table
are not under its totals; they carry their own ``row-outside-table``. A
column in which some line's amount cannot be read is not compared: that line
already carries its own error.
"""

from __future__ import annotations

from typing import Iterator

from kc_excel.validation.context import FileContext
from kc_excel.validation.issues import Issue, make_issue
from kc_excel.validation.registry import rule
from kc_excel.validation.values import fmt_trieu, is_blank
from kc_excel.workbook.layout import MONEY_KEYS


@rule("totals-mismatch", scope="file")
def totals_mismatch(ctx: FileContext) -> Iterator[Issue]:
    table = ctx.table
    if table is None or not table.totals:
        return
    lines = [row for row in ctx.rows if row.record.in_table]
    for key in MONEY_KEYS:
        cell = table.totals.get(key)
        if cell is None or is_blank(cell.value):
            continue
        stated = ctx.number_of(cell.value, key).value
        amounts = [row.amount(key) if not row.blank(key) else 0 for row in lines]
        if stated is None or any(amount is None for amount in amounts) or stated == sum(amounts):
            continue
        header, unit = ctx.header(key), ctx.money_unit
        read, rows = fmt_trieu(sum(amounts), unit), len(lines)
        yield make_issue(
            "totals-mismatch",
            f"ô {cell.ref} (dòng cộng, cột {header}) ghi {fmt_trieu(stated, unit)}, "
            f"tổng {rows} dòng đọc được là {read}",
            detail_en=f"cell {cell.ref} (totals row, column {header}) states {fmt_trieu(stated, unit)}, "
                      f"the {rows} lines read sum to {read}",
            file=ctx.path, sheet=cell.sheet, cell=cell.ref, row=cell.row, column=header, value=cell.value)
