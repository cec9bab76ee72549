"""Reading a consolidated plan workbook (``ke-hoach``, table ``TongHop``) for the plan-vs-programme comparison.

The ``_kc`` is read by the sandboxed reader and the table's cached values by
openpyxl under :func:`~kc_excel.workbook.trusted.read_trusted`, so that the
comparison itself (:mod:`kc_excel.attainment.plan`) stays free of openpyxl.
"""

from __future__ import annotations

from typing import Any

from openpyxl import load_workbook

from kc_excel.attainment.plan import PLAN_TABLE, plan_quantities
from kc_excel.errors import InputError
from kc_excel.workbook.layout import Kind, Meta
from kc_excel.workbook.reader import read_workbook
from kc_excel.workbook.trusted import read_trusted


def read_plan_file(path, *, with_meta: bool = False):
    """(year, quantities) of a consolidated plan workbook (and its ``_kc`` with ``with_meta``); InputError when
    it is not one.

    Both readings run under the reader's limits: the sandboxed reader for the
    metadata, :func:`~kc_excel.workbook.trusted.read_trusted` for ``TongHop``.
    """
    data = read_workbook(path)  # file-level checks (encrypted, corrupt, too large…) in the sandbox
    year = str(data.meta.get(Meta.YEAR) or "").strip()
    if data.kind != Kind.PLAN or not year.isdigit():
        raise InputError(f"{path}: không phải kế hoạch khuyến công tỉnh đã tổng hợp (loại biểu {data.kind or 'không rõ'})",
                         path=path, code="not-a-kc-workbook", message_en=f"{path}: not a consolidated plan")
    cells = read_trusted(_plan_table_cells, path)
    if cells is None:
        raise InputError(f"{path}: không có bảng {PLAN_TABLE}", path=path, code="missing-column",
                         message_en=f"{path}: no {PLAN_TABLE} table")
    try:
        found = int(year), plan_quantities(cells[1:], cells[0])
    except ValueError as problem:
        raise InputError(f"{path}: {problem}", path=path, code="missing-column") from None
    return (*found, dict(data.meta)) if with_meta else found


def _plan_table_cells(path) -> list[list[Any]] | None:
    """The cached values of table ``TongHop`` (header row first), or None (run in a limited child)."""
    wb = load_workbook(path, data_only=True)
    try:
        for ws in wb.worksheets:
            if PLAN_TABLE in ws.tables:
                return [[c.value for c in row] for row in ws[ws.tables[PLAN_TABLE].ref]]
    finally:
        wb.close()
    return None
