"""The first page of the plan: the document a director signs (sheet ``Tổng hợp``).

From the top: the frame's header (:mod:`kc_excel.workbook.frame`), I. the
summary by activity group (Điều 4, table ``TongHopNhom``), II. by unit, III.
a line naming every unit that did not submit or whose file was left out,
with the money of the lines read from it, IV. the detail by activity (table
``TongHop``), then Nơi nhận / Người lập biểu / the signature block, and the
chart below it. The activity code (``KHOI_SU``) and the group's title of
``TongHop`` are kept in columns hidden from printing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kc_excel.consolidate import summary
from kc_excel.consolidate.core import MISSING, VALID, Plan
from kc_excel.validation.values import fmt_trieu
from kc_excel.workbook.frame import Document, Profile, PrintSetup, line_height
from kc_excel.workbook.frame_xlsxwriter import XlsxwriterFrame
from kc_excel.workbook.layout import MONEY_KEYS
from kc_excel.workbook.plan_tables import (MONEY_HEADERS, DetailColumns, total_row, write_activities, write_chart,
                                          write_groups)
from kc_excel.workbook.streamed import Sheet, StreamedBook

WIDTH = 10
"""Printed columns of the sheet (Nhóm … Số lượng); two more hold codes, hidden from printing."""
HIDDEN = (10, 11)
UNIT_NOTE = "Đơn vị tính: triệu đồng"


def left_out_line(plan: Plan) -> str:
    """III.: who is not in the totals and why (every expected unit not Hợp lệ), with known amounts."""
    parts, known = [], 0
    for unit in plan.units:
        if not unit.expected or unit.status == VALID:
            continue
        if unit.status == MISSING:
            parts.append(f"{unit.name} (chưa nộp phiếu)")
            continue
        reason = unit.status.lower() + (f", {unit.errors} lỗi" if unit.errors else "")
        if unit.left_out:
            known += unit.left_out
            reason += f"; kinh phí đăng ký {fmt_trieu(unit.left_out)} triệu đồng không tính vào kế hoạch"
        elif unit.rows:
            reason += f"; {unit.rows} dòng, không đọc được kinh phí của dòng nào"
        parts.append(f"{unit.name} (phiếu {reason})")
    if not parts:
        return "Tất cả đơn vị đã nộp phiếu và được tổng hợp."
    total = f" Tổng kinh phí không tính vào kế hoạch (phần đọc được): {fmt_trieu(known)} triệu đồng." if known else ""
    return f"Không tổng hợp {len(parts)} đơn vị: " + "; ".join(parts) + "." + total


def write_first_page(book: StreamedBook, sheet: Sheet, plan: Plan, detail: DetailColumns, *,
                     profile: Profile | None, when: date) -> None:
    """The whole ``Tổng hợp`` sheet, top to bottom (the sheet is streamed)."""
    frame, ws = XlsxwriterFrame(book.wb), sheet.ws
    level = "cấp huyện" if plan.level == "huyen" else "cấp xã, phường"
    doc = Document(profile, WIDTH, title=f"Kế hoạch khuyến công năm {plan.year}",
                   subtitle=f"Tổng hợp từ phiếu đăng ký {level} của {plan.province_name}",
                   unit_note=UNIT_NOTE, when=when)
    row = frame.draw(ws, doc.top(), 0)
    row = _section(frame, ws, row, "I. TỔNG HỢP THEO NỘI DUNG HOẠT ĐỘNG (Điều 4 Nghị định 45/2012/NĐ-CP)")
    groups, group_total = row, write_groups(sheet, plan, detail, row)
    row = group_total + 2
    row = _section(frame, ws, row, "II. TỔNG HỢP THEO ĐƠN VỊ")
    row = _units(sheet, plan, detail, row) + 2
    row = _section(frame, ws, row, "III. ĐƠN VỊ CHƯA NỘP HOẶC KHÔNG ĐƯỢC TỔNG HỢP")
    text = left_out_line(plan)
    ws.set_row(row, line_height([(text, 150)], size=12))
    ws.merge_range(row, 0, row, WIDTH - 1, text, frame.format("line"))
    row = _section(frame, ws, row + 2, "IV. CHI TIẾT THEO HOẠT ĐỘNG")
    row = write_activities(sheet, plan, detail, row) + 1
    end = frame.draw(ws, doc.bottom(), row)
    ws.set_h_pagebreaks([end])  # the chart prints on a page of its own, never cut by the page's end
    write_chart(book.wb, sheet, groups, group_total - 1, row_of_chart=end + 1,
                  names=[title for _, title, _ in summary.by_group(plan.lines)])
    frame.setup(ws, PrintSetup(landscape=True, hidden_cols=HIDDEN))


def _section(frame: XlsxwriterFrame, ws: Any, row: int, text: str) -> int:
    ws.set_row(row, 20)
    ws.merge_range(row, 0, row, WIDTH - 1, text, frame.format("section"))
    return row + 1


UNIT_COLUMNS = ("STT", "Đơn vị", "Số đề án", "Tổng kinh phí (triệu đồng)", "Tình trạng phiếu")


def _units(sheet: Sheet, plan: Plan, detail: DetailColumns, header: int) -> int:
    """II.: one row per expected unit (live COUNTIFS/SUMIFS over ChiTiet), then the total."""
    ws = sheet.ws
    ws.set_row(header, 32)
    for col, text in enumerate(UNIT_COLUMNS[:4]):
        sheet.text(header, col, text, "header")
    ws.merge_range(header, 4, header, WIDTH - 1, UNIT_COLUMNS[4], sheet.formats["header"])
    rows = summary.by_unit(plan)
    unit_col, money_col = detail.col("Mã đơn vị"), detail.col(MONEY_HEADERS[0])
    for i, (code, name, status, total) in enumerate(rows):
        r = header + 1 + i
        ws.set_row(r, line_height([(name, 38)]))
        sheet.number(r, 0, i + 1, "count")
        sheet.text(r, 1, name, "wrap")
        criterion = '"' + (code or "").replace('"', '""') + '"'
        sheet.formula(r, 2, f"=COUNTIFS({unit_col},{criterion})", total.count, "count")
        sheet.formula(r, 3, f"=SUMIFS({money_col},{unit_col},{criterion})", total.money[MONEY_KEYS[0]], "money")
        ws.merge_range(r, 4, r, WIDTH - 1, status, sheet.formats["text"])
    last = header + max(len(rows), 1)
    total_row(sheet, last + 1, 1, header + 1, last, [2, 3],
              [sum(t.count for *_, t in rows), sum(t.money[MONEY_KEYS[0]] for *_, t in rows)],
              ["count_total", "money_total"])
    return last + 1


