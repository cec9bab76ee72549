"""The attainment report workbook (``danh-gia``): sheet "Đánh giá", table ``DanhGia`` (contract §2.5).

Layout: a header block (title, province, period, as-of month), the table
``DanhGia`` from row 6 with live formulas for Tỷ lệ đạt and Đánh giá (see
:mod:`kc_excel.attainment.formulas`), conditional formatting by Đánh giá, a
native bar chart of Tỷ lệ đạt against Tiến độ kỳ vọng, a sheet "Ghi chú" with
the issues met (excluded results, stated-figure checks…) and the hidden
``_kc`` sheet (:mod:`kc_excel.workbook.meta`). Written with :func:`kc_excel.outputs.write_atomically`; PDF via LibreOffice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from kc_excel.attainment.core import (
    CHAM_TIEN_DO, CHUA_DAT, CHUA_THUC_HIEN, DAT, DUNG_TIEN_DO, KHONG_DAT, VUOT, Attainment, AttainmentReport,
)
from kc_excel.attainment.formulas import RowCells, ratio_formula, status_formula
from kc_excel.attainment.plan import PlanComparison
from kc_excel.catalog import activities
from kc_excel.libreoffice import write_pdf as pdf_of
from kc_excel.numbers import format_percent_vn, format_vn
from kc_excel.outputs import write_atomically
from kc_excel.validation.issues import Issue
from kc_excel.workbook import writer as w
from kc_excel.workbook.frame import Document, PrintSetup, Profile, line_height
from kc_excel.workbook.frame_openpyxl import OpenpyxlFrame
from kc_excel.workbook.layout import ATTAINMENT, TEMPLATE_VERSION, Kind, Level, Meta, layout_checksum
from kc_excel.workbook.meta import write_meta

TITLE = "BÁO CÁO ĐÁNH GIÁ THỰC HIỆN CHƯƠNG TRÌNH KHUYẾN CÔNG"
HEADER_ROW = 10
"""The table's header row: below the document frame's header (at most rows 1-8) and a blank row."""
RATIO_FORMAT = "0.00%"
MILLION_FORMAT = "#,##0.0##"
"""Amounts in triệu đồng on a signed page: at most three decimals (nghìn đồng); the cell keeps the exact value."""
NOTES_SHEET = "Ghi chú"
GREEN = (VUOT, DAT, DUNG_TIEN_DO)
AMBER = (CHAM_TIEN_DO, CHUA_DAT)
RED = (KHONG_DAT, CHUA_THUC_HIEN)
_FILLS = {"C6EFCE": ("006100", GREEN), "FFEB9C": ("9C5700", AMBER), "FFC7CE": ("9C0006", RED)}


@dataclass(frozen=True)
class ReportInfo:
    """What the header and ``_kc`` say: the province and the programme period."""

    province_name: str | None = None
    province_code: str | None = None
    from_year: int | None = None
    to_year: int | None = None
    notes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    issues: Sequence[Issue] = ()
    created: datetime | None = None
    plan: Sequence[PlanComparison] = ()
    """Plan vs programme rows (``--plan``); a sheet "So với kế hoạch" when present."""
    profile: Profile | None = None
    """The centre's profile for the document frame (agency, signer); dotted lines without it."""


def _cell_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _period(info: ReportInfo, report: AttainmentReport) -> tuple[int | None, int | None]:
    years = [(r.target.from_year, r.target.to_year) for r in report.rows]
    first = info.from_year or (min(y[0] for y in years) if years else None)
    last = info.to_year or (max(y[1] for y in years) if years else None)
    return first, last


def _document(report: AttainmentReport, info: ReportInfo) -> Document:
    """The frame of the first page: title with the province, subtitle with the period and the as-of month."""
    first, last = _period(info, report)
    name = info.province_name or ""
    for prefix in ("Tỉnh ", "Thành phố "):
        name = name[len(prefix):] if name.startswith(prefix) else name
    period = f"giai đoạn {first}-{last}" if first else "giai đoạn …"
    when = (info.created or datetime.now(timezone.utc)).date()
    return Document(info.profile, len(ATTAINMENT.columns), title=f"{TITLE} {('tỉnh ' + name) if name else ''}".strip(),
                    subtitle=f"Chương trình khuyến công {period}; số liệu đến tháng {report.as_of.label_vi}",
                    kind="BC", when=when)  # unit_note="Kinh phí: triệu đồng" once amounts are in triệu (issue 14)


def _row_values(row: Attainment, cells: RowCells, report: AttainmentReport, notes: Sequence[str]) -> list:
    t = row.target
    note = "; ".join([n for n in (t.note, *row.notes, *notes) if n])
    return [t.code, t.name, t.unit, _cell_number(t.target_min), _cell_number(t.target_max),
            _cell_number(row.actual), w.Formula(ratio_formula(t, cells)), _cell_number(row.expected_pace),
            w.Formula(status_formula(t, cells, report.as_of.year, report.as_of.month)),
            t.direction, t.aggregation, f"{t.from_year}-{t.to_year}", note or None]


def build_report(report: AttainmentReport, info: ReportInfo = ReportInfo()) -> Workbook:
    """The report workbook, in memory."""
    wb = w.new_workbook()
    ws = wb.create_sheet(ATTAINMENT.sheet)
    document, frame = _document(report, info), OpenpyxlFrame()
    frame.draw(ws, document.top(), 1)
    rows = [_row_values(r, RowCells(HEADER_ROW + 1 + i), report, info.notes.get(r.target.code, ()))
            for i, r in enumerate(report.rows)]
    table = w.add_table(ws, ATTAINMENT.table, ATTAINMENT.headers, rows, header_row=HEADER_ROW,
                        widths=[c.width for c in ATTAINMENT.columns])
    _formats(ws, table, report)
    _status_colours(ws, table)
    _row_heights(ws, table)
    if report.rows:
        _chart(wb, ws, table)
    ws.row_dimensions[HEADER_ROW].height = 32  # two lines of wrapped header ("Tiến độ kỳ vọng (%)")
    frame.draw(ws, document.bottom(), table.last_row + 2)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    _page_setup(ws, hidden_cols=(0,))  # Mã chỉ tiêu (KHOI_SU, KP_GIAM…) stays in the file, not on paper
    if info.plan:
        _plan_sheet(wb, info.plan)
    _notes_sheet(wb, info.issues)
    write_meta(wb, _meta(report, info))
    if info.created:
        w.set_created(wb, info.created)
    wb.active = 0
    return wb


def _formats(ws: Worksheet, table: w.TableRange, report: AttainmentReport) -> None:
    """Percent indicators as 0.0%, counts and money with thousands separators (decimals only when present;
    triệu đồng to at most three decimals)."""
    for i, row in enumerate(report.rows):
        r = table.first_row + i
        percent = (row.target.unit or "").strip() == "%"
        millions = "triệu" in (row.target.unit or "").lower()
        for col in (4, 5, 6):
            value = ws.cell(r, col).value
            whole = not isinstance(value, float)
            ws.cell(r, col).number_format = w.PERCENT_FORMAT if percent else (
                w.INTEGER_FORMAT if whole else MILLION_FORMAT if millions else w.DECIMAL_FORMAT)
        for col in (7, 8):
            ws.cell(r, col).number_format = RATIO_FORMAT
        for col in (2, 13):
            ws.cell(r, col).alignment = Alignment(wrap_text=True, vertical="top")


def _status_colours(ws: Worksheet, table: w.TableRange) -> None:
    """Green Vượt/Đạt/Đúng tiến độ, amber Chậm tiến độ/Chưa đạt, red Không đạt/Chưa thực hiện."""
    status_range = table.data_range(ATTAINMENT.column("danh_gia").header)
    top = status_range.split(":")[0]
    for fill, (font, words) in _FILLS.items():
        test = ",".join(f'{top}="{word}"' for word in words)
        rule = FormulaRule(formula=[f"OR({test})" if len(words) > 1 else test],
                           fill=PatternFill("solid", start_color=fill, end_color=fill, fgColor=fill, bgColor=fill),
                           font=Font(color=font, bold=True))
        ws.conditional_formatting.add(status_range, rule)


CHART_SHEET = "Biểu đồ"


def _chart(wb: Workbook, ws: Worksheet, table: w.TableRange) -> None:
    """Clustered bars on their own sheet (prints on one page): Tỷ lệ đạt and Tiến độ kỳ vọng per indicator."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = "Tỷ lệ đạt so với tiến độ kỳ vọng"
    chart.y_axis.title = "%"
    chart.y_axis.number_format = "0%"
    chart.x_axis.scaling.orientation = "maxMin"  # first indicator on top, as in the table
    chart.x_axis.delete = False
    chart.x_axis.tickLblSkip = 1  # every indicator labelled, not every n-th
    chart.x_axis.tickMarkSkip = 1
    chart.y_axis.delete = False
    chart.legend.position = "b"
    col_ratio, col_pace = table.col(ATTAINMENT.headers[6]), table.col(ATTAINMENT.headers[7])
    for col in (col_ratio, col_pace):
        data = Reference(ws, min_col=col, min_row=table.header_row, max_row=table.last_row)
        chart.add_data(data, titles_from_data=True)
    names = table.col(ATTAINMENT.headers[1])  # Chỉ tiêu: the indicator's name, never its code
    categories = Reference(ws, min_col=names, min_row=table.first_row, max_row=table.last_row)
    chart.set_categories(categories)
    chart.height = min(max(9.0, 0.75 * (table.last_row - table.first_row + 1) + 3), 40)
    chart.width = 26
    sheet = wb.create_sheet(CHART_SHEET)
    sheet.add_chart(chart, "A1")
    _page_setup(sheet, title_rows=False)
    sheet.page_setup.fitToHeight = 1


def _row_heights(ws: Worksheet, table: w.TableRange) -> None:
    """Tall enough rows for the wrapped Chỉ tiêu and Ghi chú (LibreOffice keeps the default height otherwise);
    every cell of a row at its top, beside the wrapped texts."""
    wrapped = [(col, ATTAINMENT.columns[col - 1].width) for col in (2, 13)]
    for r in range(table.first_row, table.last_row + 1):
        ws.row_dimensions[r].height = line_height([(str(ws.cell(r, col).value or ""), width)
                                                   for col, width in wrapped])
        for col in range(table.first_col, table.first_col + len(table.headers)):
            if not ws.cell(r, col).alignment.wrap_text:
                ws.cell(r, col).alignment = Alignment(vertical="top")


def _page_setup(ws: Worksheet, *, title_rows: bool = True, hidden_cols: tuple[int, ...] = ()) -> None:
    """A4 landscape, decree margins, one page wide, pages numbered (the frame's print setup)."""
    OpenpyxlFrame.setup(ws, PrintSetup(repeat_rows=(HEADER_ROW - 1, HEADER_ROW - 1) if title_rows else None,
                                       hidden_cols=hidden_cols))


PLAN_SHEET = "So với kế hoạch"
PLAN_HEADERS = ["Mã chỉ tiêu", "Chỉ tiêu", "Hoạt động", "Đơn vị tính", "Chỉ tiêu giai đoạn", "Giai đoạn",
                "Bình quân một năm", "Kế hoạch năm", "Kế hoạch / bình quân năm (%)", "Ghi chú", "Mã hoạt động"]
PLAN_WIDTHS = [12, 34, 26, 10, 12, 10, 11, 11, 14, 40, 18]
"""Mã chỉ tiêu (A, hidden) and Mã hoạt động (K, after the last printed column) stay in the file, off the paper."""
PLAN_WRAPPED = (2, 3, 9, 10)


def _plan_sheet(wb: Workbook, rows: Sequence[PlanComparison]) -> None:
    """Planned quantities of one year against the programme's yearly share (live ratio formula)."""
    ws = wb.create_sheet(PLAN_SHEET)
    year = rows[0].year
    first = w.write_title(ws, [f"SO SÁNH KẾ HOẠCH NĂM {year} VỚI CHỈ TIÊU CHƯƠNG TRÌNH",
                               "Bình quân một năm = Chỉ tiêu giai đoạn / số năm của giai đoạn."], width=len(PLAN_HEADERS))
    header_row = first + 1
    names = {c.target.code: c.target.name for c in rows}
    values = []
    for i, c in enumerate(rows):
        r = header_row + 1 + i
        t = c.target
        values.append([t.code, t.name, _activity_label(c.activity), t.unit, _cell_number(t.target_min),
                       f"{t.from_year}-{t.to_year}", _cell_number(c.yearly_share),
                       None if c.not_planned else _cell_number(c.planned), _plan_ratio(c, r), _plan_note(c, names),
                       c.activity])
    headers = [*PLAN_HEADERS[:7], f"Kế hoạch năm {year}", *PLAN_HEADERS[8:]]
    table = w.add_table(ws, "SoVoiKeHoach", headers, values, header_row=header_row, widths=PLAN_WIDTHS)
    for r in range(table.first_row, table.last_row + 1):
        for col, fmt in ((5, w.INTEGER_FORMAT), (7, "#,##0.0"), (8, w.INTEGER_FORMAT), (9, RATIO_FORMAT)):
            ws.cell(r, col).number_format = fmt
        _wrap_plan_row(ws, r)
    ws.row_dimensions[header_row].height = line_height([(h, PLAN_WIDTHS[i]) for i, h in enumerate(headers)])
    for col in range(1, len(headers) + 1):
        ws.cell(header_row, col).alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    ws.print_area = f"B1:J{table.last_row}"
    _page_setup(ws, title_rows=False, hidden_cols=(0,))


def _activity_label(code: str) -> str:
    """The catalogue's name of an activity code (the code itself when the catalogue does not know it)."""
    return next((a.label for a in activities() if a.code == code), code)


def _wrap_plan_row(ws: Worksheet, row: int) -> None:
    """Names and notes wrapped, the row tall enough to show them, every cell at its top."""
    texts = [(str(ws.cell(row, col).value or ""), PLAN_WIDTHS[col - 1]) for col in PLAN_WRAPPED
             if isinstance(ws.cell(row, col).value, str) and not ws.cell(row, col).value.startswith("=")]
    ws.row_dimensions[row].height = line_height(texts)
    for col in range(1, len(PLAN_HEADERS) + 1):
        ws.cell(row, col).alignment = Alignment(wrap_text=col in PLAN_WRAPPED, vertical="top")


NOT_PLANNED = "không có trong kế hoạch năm"


def _plan_ratio(item: PlanComparison, row: int) -> str | w.Formula | None:
    if item.not_planned:
        return NOT_PLANNED
    if item.shared_with:
        return None  # one plan figure, several indicators: the group's ratio is in Ghi chú
    return w.Formula(f'=IF(OR(G{row}="",G{row}=0,H{row}=""),"",H{row}/G{row})')


def _plan_note(item: PlanComparison, names: Mapping[str, str]) -> str | None:
    if item.not_planned:
        return f"Kế hoạch năm {item.year} {NOT_PLANNED} (hoạt động và đơn vị tính này)"
    if not item.shared_with:
        return None
    codes = ", ".join(f"“{names.get(code, code)}”" for code in (item.target.code, *item.shared_with))
    ratio = format_percent_vn(item.group_ratio) if item.group_ratio is not None else "không tính được"
    return (f"Kế hoạch {format_vn(item.planned, 1).removesuffix(',0')} {item.target.unit or ''} tính chung cho "
            f"{codes} (cùng hoạt động và đơn vị tính, không tách được theo chỉ tiêu); so với tổng bình quân năm "
            f"của các chỉ tiêu này ({format_vn(item.group_share, 1).removesuffix(',0')}): {ratio}")


def _notes_sheet(wb: Workbook, issues: Sequence[Issue]) -> None:
    ws = wb.create_sheet(NOTES_SHEET)
    headers = ["Mã lỗi", "Mức độ", "Tệp", "Trang tính", "Ô", "Nội dung"]
    rows = [[i.code, "Lỗi" if i.severity == "error" else "Cảnh báo", Path(i.file).name if i.file else None,
             i.sheet, i.cell, i.message] for i in issues]
    w.add_table(ws, "GhiChu", headers, rows, widths=[26, 10, 30, 16, 8, 90])
    for r in range(2, len(rows) + 2):
        ws.cell(r, 6).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = line_height([(rows[r - 2][5] or "", 90)])
    _page_setup(ws, hidden_cols=(0,))
    ws.print_title_rows = "1:1"


def _meta(report: AttainmentReport, info: ReportInfo) -> dict[str, str | None]:
    first, last = _period(info, report)
    created = info.created or datetime.now(timezone.utc).replace(microsecond=0)
    return {Meta.KIND: Kind.ATTAINMENT, Meta.VERSION: TEMPLATE_VERSION, Meta.PROVINCE_CODE: info.province_code,
            Meta.PROVINCE_NAME: info.province_name, Meta.UNIT_LEVEL: Level.PROVINCE,
            Meta.FROM_YEAR: first, Meta.TO_YEAR: last, Meta.AS_OF: str(report.as_of),
            Meta.CREATED: created.isoformat(), Meta.CHECKSUM: layout_checksum(ATTAINMENT)}


def write_report(path: str | Path, report: AttainmentReport, info: ReportInfo = ReportInfo()) -> Path:
    """Write the report atomically (complete or not written at all)."""
    return write_atomically(path, partial(w.save_workbook, build_report(report, info)))


def write_pdf(xlsx: str | Path, pdf: str | Path) -> Path:
    """PDF of a written report through LibreOffice (ConfigError with a clear message when it is missing)."""
    return pdf_of(xlsx, pdf)
