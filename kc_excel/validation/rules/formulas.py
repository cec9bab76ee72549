"""formula-overwritten: a totals cell of ``DangKy`` typed over with a number.

The template's totals row ("Cộng") holds ``SUBTOTAL(109, …)`` in every money
column. The reader hands that row over as ``Table.totals`` with each cell's
formula (OOXML files only: .xls/.ods carry no formula text through the
reader, so they are not judged). A money cell of the totals row holding a
constant where no formula sits is reported as a warning at that cell.
"""

from __future__ import annotations

from typing import Iterator

from kc_excel.validation.context import FileContext
from kc_excel.validation.issues import Issue, make_issue
from kc_excel.validation.registry import rule
from kc_excel.validation.values import is_blank, shown
from kc_excel.workbook.layout import MONEY_KEYS

FORMULA_FORMATS = ("xlsx", "xlsm", "xltx")


@rule("formula-overwritten", scope="file")
def formula_overwritten(ctx: FileContext) -> Iterator[Issue]:
    table = ctx.table
    if table is None or not table.totals or ctx.data.kind is None or ctx.data.format not in FORMULA_FORMATS:
        return
    for key in MONEY_KEYS:
        cell = table.totals.get(key)
        if cell is None or is_blank(cell.value) or cell.formula:
            continue
        if (cell.sheet, cell.ref) in ctx.data.formulas:
            continue
        header = ctx.header(key)
        yield make_issue("formula-overwritten",
                         f"ô {cell.ref} (dòng cộng, cột {header}) chứa số {shown(cell.value)} thay cho công thức SUBTOTAL",
                         detail_en=f"cell {cell.ref} (totals row, column {header}) holds the number {shown(cell.value, 'en')} "
                                   f"instead of a SUBTOTAL formula",
                         file=ctx.path, sheet=cell.sheet, cell=cell.ref, row=cell.row, column=header, value=cell.value)
