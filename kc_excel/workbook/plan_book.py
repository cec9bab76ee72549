"""The plan workbook (Kế hoạch khuyến công tỉnh, contract §2.4): :func:`write_plan`.

Sheets and tables, in order: ``Tổng hợp`` (the first page, :mod:`.plan_page`:
``TongHopNhom`` per activity group, ``TongHop`` per activity and unit of
measure, a stacked column chart of the money by group and funding source),
``Theo đơn vị`` (``TheoDonVi``), ``Chi tiết`` (``ChiTiet``: every accepted line
with its provenance), ``Tình trạng nộp`` (``TinhTrang``), ``Lỗi`` (``Loi``)
(:mod:`.plan_tables`) and the hidden ``_kc`` (:mod:`.meta`). Streamed with
xlsxwriter (:mod:`.streamed`): a province of thousands of files is written fast
and in little memory.

Money is exact: money cells hold integer đồng (Excel's doubles hold every
integer up to 2^53, i.e. 9 triệu tỷ đồng) and are *shown* in triệu đồng by the
number format ``#,##0,,`` (``#,##0.######,,`` when not a whole triệu), with the
locale's separators (``17.331`` on a Vietnamese Windows). So every total is an
integer sum, in Python and in Excel alike. ``_kc.don_vi_tien`` is ``dong`` to
say what the cells hold. Totals in ``TongHop``/``TongHopNhom``/``TheoDonVi``
are live ``SUMIFS``/``COUNTIFS`` formulas over ``ChiTiet`` (Excel 2007+,
LibreOffice), with the Python totals as cached values.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from kc_excel import __version__
from kc_excel.consolidate.core import Plan
from kc_excel.workbook import plan_tables as tables
from kc_excel.workbook.frame import PrintSetup, Profile
from kc_excel.workbook.frame_xlsxwriter import XlsxwriterFrame
from kc_excel.workbook.layout import MONEY_KEYS, TEMPLATE_VERSION, Kind, Level, Meta, PlanSheets
from kc_excel.workbook.meta import write_meta
from kc_excel.workbook.plan_page import write_first_page
from kc_excel.workbook.streamed import Sheet, new_streamed_workbook

PRINT_SETUP = {
    PlanSheets.BY_UNIT[0]: PrintSetup(repeat_rows=(3, 3)),
    PlanSheets.DETAIL[0]: PrintSetup(repeat_rows=(tables.DETAIL_FIRST_ROW, tables.DETAIL_FIRST_ROW),
                                     hidden_cols=tuple(tables.DETAIL_HEADERS.index(h)
                                                       for h in tables.DETAIL_UNPRINTED)),
    PlanSheets.STATUS[0]: PrintSetup(repeat_rows=(3, 3), hidden_cols=(tables.STATUS_HEADERS.index("SHA-256"),)),
    PlanSheets.ISSUES[0]: PrintSetup(repeat_rows=(3, 3), hidden_cols=(tables.ISSUE_HEADERS.index("Mã lỗi"),)),
}
"""How each sheet after the first prints; internal codes and hashes are in hidden (grouped) columns."""


def write_plan(plan: Plan, path: str | Path, *, created: datetime | None = None,
               profile: Profile | None = None) -> None:
    """Write ``plan`` to ``path`` (a new file; the caller makes it atomic with ``write_atomically``).

    ``profile`` fills the document frame of the first page (agency, signer…);
    without it the frame has dotted lines to fill by hand.
    """
    created = created or datetime.now(timezone.utc)
    book = new_streamed_workbook(str(path))
    book.wb.set_properties({"title": f"Kế hoạch khuyến công {plan.province_name} năm {plan.year}",
                            "author": "kc-excel", "comments": f"kc-excel {__version__}"})
    detail = tables.DetailColumns(len(plan.lines))
    sheets = {name: Sheet(book.wb.add_worksheet(name), book.formats) for name in
              (PlanSheets.SUMMARY[0], PlanSheets.BY_UNIT[0], PlanSheets.DETAIL[0], PlanSheets.STATUS[0],
               PlanSheets.ISSUES[0])}
    write_first_page(book, sheets[PlanSheets.SUMMARY[0]], plan, detail, profile=profile,
                     when=created.astimezone().date() if created.tzinfo else created.date())
    tables.write_by_unit(sheets[PlanSheets.BY_UNIT[0]], plan, detail)
    tables.write_detail(sheets[PlanSheets.DETAIL[0]], plan)
    tables.write_status(sheets[PlanSheets.STATUS[0]], plan)
    tables.write_issues(sheets[PlanSheets.ISSUES[0]], plan)
    write_meta(book, plan_meta(plan, created))
    for name, setup in PRINT_SETUP.items():
        XlsxwriterFrame.setup(sheets[name].ws, setup)
    book.wb.close()


def plan_meta(plan: Plan, created: datetime) -> dict[str, object]:
    """The plan's ``_kc`` entries: what it is, and its line count and totals to check it by."""
    totals = plan.totals
    return {
        Meta.KIND: Kind.PLAN, Meta.VERSION: TEMPLATE_VERSION, Meta.PROVINCE_CODE: plan.province_code,
        Meta.PROVINCE_NAME: plan.province_name, Meta.UNIT_LEVEL: Level.PROVINCE, Meta.YEAR: plan.year,
        Meta.MONEY_UNIT: "dong", Meta.CREATED: created.isoformat(timespec="seconds"),
        Meta.PLAN_LEVEL: plan.level, Meta.LINE_COUNT: len(plan.lines),
        **{Meta.TOTAL_PREFIX + key: totals[key] for key in MONEY_KEYS}, Meta.SOFTWARE: f"kc-excel {__version__}",
    }
