"""The tables of the plan workbook (contract §2.4), streamed with xlsxwriter (:mod:`.streamed`).

``TongHopNhom`` (per activity group) and ``TongHop`` (per activity and unit of
measure) on the first page (:mod:`.plan_page`), ``TheoDonVi``, ``ChiTiet`` (every
accepted line with its provenance), ``TinhTrang`` and ``Loi`` on sheets of their
own; :mod:`.plan_book` puts them together. Money cells hold integer đồng shown
in triệu đồng (``#,##0,,``); totals are live ``SUMIFS``/``COUNTIFS`` formulas over
``ChiTiet`` with the Python totals as cached values.
"""

from __future__ import annotations

from operator import attrgetter, itemgetter
from typing import Any, Iterator

from kc_excel.consolidate import summary
from kc_excel.consolidate.core import Plan
from kc_excel.validation.issues import Severity
from kc_excel.models import PLAN_LINE_FIELDS
from kc_excel.validation.values import shown
from kc_excel.workbook.frame import line_height
from kc_excel.workbook.layout import MONEY_KEYS, REGISTRATION, PlanSheets
from kc_excel.workbook.streamed import STATUS_COLOURS, Sheet, a1, column_range, stream_rows

_H = {c.key: c.header for c in REGISTRATION.columns}
MONEY_HEADERS = [_H[k] for k in MONEY_KEYS]
_MONEY_WIDTH = [16] * len(MONEY_KEYS)

# (header, kind, source, width): the source is a field of the plan line
# (:class:`kc_excel.models.PlanLine`), or "#n" (STT), "#group" / "#label" (the activity's group and label).
DETAIL_COLUMNS: list[tuple[str, str, str, float]] = [
    ("STT", "count", "#n", 6),
    ("Mã đơn vị", "text", "unit_code", 10),
    ("Đơn vị nộp", "wrap", "unit_name", 16),
    ("Nhóm", "count", "#group", 7),
    ("Mã hoạt động", "text", "hoat_dong", 16),
    ("Hoạt động", "wrap", "#label", 22),
    (_H["ten_de_an"], "wrap", "ten_de_an", 30),
    (_H["don_vi_thuc_hien"], "wrap", "don_vi_thuc_hien", 18),
    (_H["co_so"], "wrap", "co_so", 20),
    (_H["ma_so_thue"], "text", "ma_so_thue", 15),
    (_H["loai_hinh"], "text", "loai_hinh", 14),
    (_H["dia_diem"], "wrap", "dia_diem", 16),
    (_H["don_vi_tinh"], "text", "don_vi_tinh", 12),
    (_H["so_luong"], "number", "so_luong", 10),
    *[(_H[k], "money", k, 12) for k in MONEY_KEYS],
    (_H["thang_bat_dau"], "count", "thang_bat_dau", 9),
    (_H["thang_ket_thuc"], "count", "thang_ket_thuc", 9),
    (_H["ghi_chu"], "wrap", "ghi_chu", 20),
    ("Tệp nguồn", "text", "file", 30),
    ("Trang tính", "text", "sheet", 12),
    ("Dòng", "count", "row", 7),
    ("SHA-256", "text", "sha256", 20),
    ("Người gửi (e-mail)", "text", "email_from", 20),
    ("Ngày gửi (e-mail)", "text", "email_date", 18),
]
_EXTRAS = ("#n", "#group", "#label")
DETAIL_UNPRINTED = ("Mã hoạt động", "Tệp nguồn", "Trang tính", "Dòng", "SHA-256", "Người gửi (e-mail)",
                    "Ngày gửi (e-mail)")
"""Columns of ``ChiTiet`` kept in the file (grouped, collapsed) but not printed: codes and provenance."""
DETAIL_HEADERS = [c[0] for c in DETAIL_COLUMNS]
SUMMARY_HEADERS = ["Nhóm", "Hoạt động", "Số đề án", *MONEY_HEADERS, "Đơn vị tính", "Số lượng",
                   "Nội dung hoạt động", "Mã hoạt động"]
"""``TongHop``: its first eight columns line up with ``TongHopNhom``; the last two are not printed."""
GROUP_HEADERS = ["Nhóm", "Nội dung hoạt động", "Số đề án", *MONEY_HEADERS]
UNIT_HEADERS = ["Mã đơn vị", "Đơn vị", "Trạng thái", "Số đề án", *MONEY_HEADERS]
STATUS_HEADERS = ["STT", "Mã đơn vị", "Đơn vị", "Trạng thái", "Tệp", "Số dòng", "Số lỗi", "Số cảnh báo",
                  "Ngày tạo tệp", "SHA-256"]
ISSUE_HEADERS = ["STT", "Mức độ", "Mã lỗi", "Tệp", "Trang tính", "Ô", "Dòng", "Cột", "Nội dung", "Giá trị"]
SUMMARY_WIDTHS = [8, 40, 9, *[13] * len(MONEY_KEYS), 11, 10, 34, 16]
"""Column widths of ``Tổng hợp``, shared by ``TongHop`` and ``TongHopNhom`` (one sheet, one set of columns)."""
ISSUE_WIDTHS = [6, 10, 24, 36, 12, 8, 7, 20, 80, 20]
DETAIL_FIRST_ROW = 4  # 0-based row of the ChiTiet header


class DetailColumns:
    """Where ChiTiet's columns are, for the SUMIFS formulas of the other sheets."""

    def __init__(self, lines: int) -> None:
        self.first = DETAIL_FIRST_ROW + 1
        self.last = DETAIL_FIRST_ROW + max(lines, 1)

    def col(self, header: str) -> str:
        return column_range(PlanSheets.DETAIL[0], DETAIL_HEADERS.index(header), self.first, self.last)


def write_titles(sheet: Sheet, plan: Plan, title: str) -> None:
    level = "cấp huyện (trước 2025)" if plan.level == "huyen" else "cấp xã, phường"
    sheet.text(0, 0, f"{title} — {plan.province_name.upper()} — NĂM {plan.year}", "title")
    sheet.text(1, 0, f"Tổng hợp từ phiếu đăng ký {level}. Đơn vị tiền: triệu đồng "
                     f"(ô lưu số đồng chính xác, hiển thị theo triệu đồng).", "note")


def _money_formulas(sheet: Sheet, row: int, col: int, criteria: str, totals: dict[str, int],
                    detail: DetailColumns, fmt: str = "money") -> None:
    for j, key in enumerate(MONEY_KEYS):
        formula = f"=SUMIFS({detail.col(_H[key])},{criteria})"
        sheet.formula(row, col + j, formula, totals[key], fmt)


def total_row(sheet: Sheet, row: int, label_col: int, first: int, last: int, cols: list[int],
               values: list[Any], fmt: list[str]) -> None:
    sheet.text(row, label_col, "Tổng cộng", "label_total")
    for col, value, kind in zip(cols, values, fmt):
        sheet.formula(row, col, f"=SUM({a1(first, col)}:{a1(last, col)})", value, kind)


def write_activities(sheet: Sheet, plan: Plan, detail: DetailColumns, header: int) -> int:
    """Table ``TongHop``: one row per activity and unit of measure; returns its total row."""
    rows = summary.by_activity(plan.lines)
    last = sheet.table(PlanSheets.SUMMARY[1], SUMMARY_HEADERS, header, len(rows), widths=SUMMARY_WIDTHS)
    for i, (info, code, total) in enumerate(rows):
        r = header + 1 + i
        sheet.ws.set_row(r, line_height([(info.label, SUMMARY_WIDTHS[1])]))
        sheet.number(r, 0, info.group, "count")
        sheet.text(r, 1, info.label, "wrap")
        crit = f"{detail.col('Mã hoạt động')},{a1(r, 11)},{detail.col(_H['don_vi_tinh'])},{_unit_criterion(r, total)}"
        sheet.formula(r, 2, f"=COUNTIFS({crit})", total.count, "count")
        _money_formulas(sheet, r, 3, crit, total.money, detail)
        sheet.text(r, 8, total.key[1])
        sheet.formula(r, 9, f"=SUMIFS({detail.col(_H['so_luong'])},{crit})", total.so_luong, "number")
        sheet.text(r, 10, info.group_title)
        sheet.text(r, 11, code)
    grand = plan.totals
    total_row(sheet, last + 1, 1, header + 1, last, list(range(2, 8)),
               [len(plan.lines), *[grand[k] for k in MONEY_KEYS]], ["count_total"] + ["money_total"] * 5)
    return last + 1


def _unit_criterion(row: int, total: summary.Total) -> str:
    """The Đơn vị tính criterion: its cell, or ``"="`` (empty cells only) when lines have none."""
    return a1(row, 8) if total.key[1] else '"="'


def write_groups(sheet: Sheet, plan: Plan, detail: DetailColumns, header: int) -> int:
    """Table ``TongHopNhom``: every activity group of Điều 4 (zeros included); returns its total row."""
    groups = summary.by_group(plan.lines)
    last = sheet.table(PlanSheets.BY_GROUP[1], GROUP_HEADERS, header, len(groups), widths=SUMMARY_WIDTHS)
    for i, (number, title, total) in enumerate(groups):
        r = header + 1 + i
        sheet.ws.set_row(r, line_height([(title, SUMMARY_WIDTHS[1])]))
        sheet.number(r, 0, number, "group")
        sheet.text(r, 1, title, "wrap")
        crit = f"{detail.col('Nhóm')},{a1(r, 0)}"
        sheet.formula(r, 2, f"=COUNTIFS({crit})", total.count, "count")
        _money_formulas(sheet, r, 3, crit, total.money, detail)
    grand = plan.totals
    total_row(sheet, last + 1, 1, header + 1, last, list(range(2, 8)),
               [len(plan.lines), *[grand[k] for k in MONEY_KEYS]], ["count_total"] + ["money_total"] * 5)
    return last + 1


def write_chart(wb: Any, sheet: Sheet, header: int, last: int, *, row_of_chart: int, names: list[str]) -> None:
    """A stacked column chart of money by activity group (table rows ``header``..``last``) and funding source;
    the axis names the groups (column B, ``names`` its cached text: a streamed sheet gives xlsxwriter none)."""
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    name = PlanSheets.SUMMARY[0]
    for j, key in enumerate(MONEY_KEYS[1:], start=4):
        chart.add_series({"name": [name, header, j], "categories": [name, header + 1, 1, last, 1],
                          "categories_data": names, "values": [name, header + 1, j, last, j]})
    chart.set_title({"name": "Kinh phí theo nội dung hoạt động và nguồn vốn"})
    chart.set_y_axis({"name": "triệu đồng", "num_format": "#,##0,,"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 380})
    sheet.ws.insert_chart(row_of_chart, 1, chart)


def write_by_unit(sheet: Sheet, plan: Plan, detail: DetailColumns) -> None:
    write_titles(sheet, plan, "KẾ HOẠCH KHUYẾN CÔNG THEO ĐƠN VỊ")
    rows = summary.by_unit(plan)
    header = 3
    last = sheet.table(PlanSheets.BY_UNIT[1], UNIT_HEADERS, header, len(rows),
                       widths=[10, 28, 14, 9, *_MONEY_WIDTH])
    for i, (code, name, status, total) in enumerate(rows):
        r = header + 1 + i
        sheet.text(r, 0, code)
        sheet.text(r, 1, name)
        sheet.text(r, 2, status)
        crit = f"{detail.col('Mã đơn vị')},{a1(r, 0)}"
        sheet.formula(r, 3, f"=COUNTIFS({crit})", total.count, "count")
        _money_formulas(sheet, r, 4, crit, total.money, detail)
    values = [sum(t.count for *_, t in rows), *[sum(t.money[k] for *_, t in rows) for k in MONEY_KEYS]]
    total_row(sheet, last + 1, 1, header + 1, last, list(range(3, 9)), values,
               ["count_total"] + ["money_total"] * 5)
    sheet.ws.freeze_panes(header + 1, 2)


def write_detail(sheet: Sheet, plan: Plan) -> None:
    write_titles(sheet, plan, "CHI TIẾT CÁC ĐỀ ÁN, NHIỆM VỤ ĐĂNG KÝ")
    header = DETAIL_FIRST_ROW
    sheet.text(2, 0, "Mỗi dòng đăng ký được chấp nhận xuất hiện đúng một lần. Nguồn của từng dòng (tệp, trang "
                     "tính, dòng, mã kiểm tra của tệp, e-mail) ở các cột được nhóm, không in: bấm dấu + để xem.",
               "note")
    last = sheet.table(PlanSheets.DETAIL[1], DETAIL_HEADERS, header, len(plan.lines),
                       widths=[c[3] for c in DETAIL_COLUMNS])
    stream_rows(sheet, header + 1, [c[1] for c in DETAIL_COLUMNS], _detail_rows(plan),
                widths=[c[3] for c in DETAIL_COLUMNS])
    first_money = DETAIL_HEADERS.index(MONEY_HEADERS[0])
    _money_decimals(sheet, header + 1, last, first_money, first_money + len(MONEY_KEYS) - 1)
    sheet.ws.freeze_panes(header + 1, 3)


# The one place of the plan writer that knows the form of a plan line (its fields, in order).
def _detail_rows(plan: Plan) -> Iterator[tuple]:
    """The ChiTiet rows: each line's fields and its extras, picked in column order (two C calls per row)."""
    fields = PLAN_LINE_FIELDS
    values = attrgetter(*fields)
    positions = [len(fields) + _EXTRAS.index(source) if source in _EXTRAS else fields.index(source)
                 for _, _, source, _ in DETAIL_COLUMNS]
    pick = itemgetter(*positions)
    infos: dict[str, tuple[int, str]] = {}
    for n, line in enumerate(plan.lines, start=1):
        info = infos.get(line.hoat_dong)
        if info is None:
            found = summary.activity_info(line.hoat_dong)
            info = infos[line.hoat_dong] = (found.group, found.label)
        yield pick((*values(line), n, *info))


def _money_decimals(sheet: Sheet, first: int, last: int, col0: int, col1: int) -> None:
    top_left = a1(first, col0, absolute_col=False)
    sheet.ws.conditional_format(first, col0, last, col1, {
        "type": "formula", "criteria": f"=AND(ISNUMBER({top_left}),MOD({top_left},1000000)<>0)",
        "format": sheet.formats["money_decimals"]})


def write_status(sheet: Sheet, plan: Plan) -> None:
    write_titles(sheet, plan, "TÌNH TRẠNG NỘP PHIẾU ĐĂNG KÝ")
    header = 3
    last = sheet.table(PlanSheets.STATUS[1], STATUS_HEADERS, header, len(plan.units),
                       widths=[6, 10, 28, 16, 40, 9, 8, 10, 17, 20])
    for i, unit in enumerate(plan.units):
        r = header + 1 + i
        values = [i + 1, unit.code, unit.name, unit.status, unit.file, unit.rows, unit.errors, unit.warnings,
                  unit.created.replace(tzinfo=None) if unit.created else None, unit.sha256]
        kinds = ["count", "text", "text", "text", "text", "count", "count", "count", "date", "text"]
        for j, (value, kind) in enumerate(zip(values, kinds)):
            sheet.cell(r, j, value, kind)
    for status in STATUS_COLOURS:
        sheet.ws.conditional_format(header + 1, 3, last, 3, {"type": "cell", "criteria": "==",
                                                             "value": f'"{status}"',
                                                             "format": sheet.formats[f"status:{status}"]})
    sheet.ws.freeze_panes(header + 1, 3)


def write_issues(sheet: Sheet, plan: Plan) -> None:
    write_titles(sheet, plan, "DANH SÁCH LỖI VÀ CẢNH BÁO")
    header = 3
    sheet.table(PlanSheets.ISSUES[1], ISSUE_HEADERS, header, len(plan.issues),
                widths=ISSUE_WIDTHS)
    for i, issue in enumerate(plan.issues):
        r = header + 1 + i
        level = "Lỗi" if issue.severity == Severity.ERROR else "Cảnh báo"
        values = [i + 1, level, issue.code, issue.file, issue.sheet, issue.cell, issue.row, issue.column,
                  issue.message, None if issue.value is None else shown(issue.value)]
        kinds = ["count", "text", "text", "wrap", "text", "text", "count", "wrap", "wrap", "wrap"]
        sheet.ws.set_row(r, line_height([(v or "", w) for v, w in zip(values[3:], ISSUE_WIDTHS[3:])
                                          if isinstance(v, str)]))
        for j, (value, kind) in enumerate(zip(values, kinds)):
            sheet.cell(r, j, value, kind)
    sheet.ws.freeze_panes(header + 1, 0)
