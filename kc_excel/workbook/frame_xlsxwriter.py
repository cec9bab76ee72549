"""Draw a :mod:`~kc_excel.workbook.frame` block and print setup with xlsxwriter: the streamed plan workbook
(rows written top to bottom). Its twin for workbooks built in memory is
:mod:`~kc_excel.workbook.frame_openpyxl`; neither decides anything about layout, and
neither imports the other's library.
"""

from __future__ import annotations

from typing import Any

from kc_excel.workbook.frame import A4, FONT, PAGE_FOOTER, STYLES, Block, PrintSetup, Style, margin_inches as _inches


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
