"""Draw a :mod:`~kc_excel.workbook.frame` block and print setup with xlsxwriter or openpyxl.

Two small adapters over one description: :class:`XlsxwriterFrame` for the
streamed plan workbook (rows written top to bottom), :class:`OpenpyxlFrame`
for every workbook built in memory. Neither decides anything about layout.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kc_excel.workbook.frame import A4, FONT, MARGINS_MM, PAGE_FOOTER, STYLES, Block, PrintSetup, Style

_MM_PER_INCH = 25.4


def _inches(name: str) -> float:
    return round(MARGINS_MM[name] / _MM_PER_INCH, 3)


class XlsxwriterFrame:
    """The frame in an xlsxwriter workbook (one cached format per style)."""

    def __init__(self, workbook: Any) -> None:
        self.workbook, self.formats = workbook, {}

    def format(self, name: str) -> Any:
        if name not in self.formats:
            s: Style = STYLES[name]
            spec = {"font_name": FONT, "font_size": s.size, "bold": s.bold, "italic": s.italic,
                    "underline": 1 if s.underline else 0, "align": s.align, "valign": "top",
                    "text_wrap": s.wrap, "font_color": "#000000"}
            self.formats[name] = self.workbook.add_format(spec)
        return self.formats[name]

    def draw(self, ws: Any, block: Block, first_row: int) -> int:
        """Write ``block`` from ``first_row`` (0-based); return the first row after it."""
        by_row: dict[int, list] = {}
        for piece in block.pieces:
            by_row.setdefault(piece.row, []).append(piece)
        for r, height in enumerate(block.heights):
            ws.set_row(first_row + r, height)
            for piece in sorted(by_row.get(r, []), key=lambda p: p.col):
                row, fmt = first_row + r, self.format(piece.style)
                if piece.span > 1:
                    ws.merge_range(row, piece.col, row, piece.col + piece.span - 1, piece.text, fmt)
                else:
                    ws.write_string(row, piece.col, piece.text, fmt) if piece.text else ws.write_blank(
                        row, piece.col, None, fmt)
        return first_row + block.rows

    @staticmethod
    def setup(ws: Any, setup: PrintSetup) -> None:
        ws.set_landscape() if setup.landscape else ws.set_portrait()
        ws.set_paper(A4)
        ws.fit_to_pages(1, setup.fit_height)
        ws.set_margins(left=_inches("left"), right=_inches("right"), top=_inches("top"), bottom=_inches("bottom"))
        ws.set_footer(PAGE_FOOTER)
        if setup.repeat_rows:
            ws.repeat_rows(*setup.repeat_rows)
        for col in setup.hidden_cols:  # keep the width the column had, for when it is shown again
            info = ws.col_info.get(col)
            ws.set_column_pixels(col, col, info.width if info else None, info.column_format if info else None,
                                 {"hidden": True, "level": 1})


class OpenpyxlFrame:
    """The frame in an openpyxl worksheet."""

    def draw(self, ws: Any, block: Block, first_row: int) -> int:
        """Write ``block`` from ``first_row`` (1-based); return the first row after it."""
        for r, height in enumerate(block.heights):
            ws.row_dimensions[first_row + r].height = height
        for piece in block.pieces:
            s = STYLES[piece.style]
            row, col = first_row + piece.row, piece.col + 1
            cell = ws.cell(row, col, piece.text or None)
            if piece.text:
                cell.data_type = "s"
            cell.font = Font(name=FONT, size=s.size, bold=s.bold, italic=s.italic,
                             underline="single" if s.underline else None, color="000000")
            cell.alignment = Alignment(horizontal=s.align, vertical="top", wrap_text=s.wrap)
            if piece.span > 1:
                ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + piece.span - 1)
        return first_row + block.rows

    @staticmethod
    def setup(ws: Any, setup: PrintSetup) -> None:
        ws.page_setup.orientation = "landscape" if setup.landscape else "portrait"
        ws.page_setup.paperSize = A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = setup.fit_height
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left, ws.page_margins.right = _inches("left"), _inches("right")
        ws.page_margins.top, ws.page_margins.bottom = _inches("top"), _inches("bottom")
        ws.oddFooter.center.text = "Trang &P/&N"
        if setup.repeat_rows:
            ws.print_title_rows = f"{setup.repeat_rows[0] + 1}:{setup.repeat_rows[1] + 1}"
        for col in setup.hidden_cols:
            dim = ws.column_dimensions[get_column_letter(col + 1)]
            dim.hidden, dim.outlineLevel = True, 1
