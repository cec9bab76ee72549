"""Draw a :mod:`~kc_excel.workbook.frame` block and print setup with openpyxl: every workbook built in
memory (templates, the attainment report). Its twin for the streamed plan is
:mod:`~kc_excel.workbook.frame_xlsxwriter`; neither decides anything about layout.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kc_excel.workbook.frame import A4, FONT, STYLES, Block, PrintSetup, margin_inches as _inches


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
