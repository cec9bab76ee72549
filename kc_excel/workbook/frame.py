"""The document frame of every report kc-excel prints (Nghị định 30/2020/NĐ-CP, Phụ lục I).

One description, two renderers: this module says *what* the frame holds and
where (merged cells relative to the frame's first row, styles by name, row
heights, print setup) without importing any spreadsheet library;
:mod:`kc_excel.workbook.frame_xlsxwriter` draws it with xlsxwriter (the plan) and
:mod:`kc_excel.workbook.frame_openpyxl` with openpyxl (the attainment report, templates). A change to the centre's profile
or to the decree's layout is one edit here.

Layout of a biểu/phụ lục page in Excel, as the decree places the parts::

    SỞ CÔNG THƯƠNG TỈNH ĐỒNG NAI        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    TRUNG TÂM KHUYẾN CÔNG (bold)            Độc lập - Tự do - Hạnh phúc
          ───────                             ───────────────
    Số: …/KH-TTKC                       Đồng Nai, ngày 05 tháng 02 năm 2026
                       TITLE IN CAPITALS
                          subtitle
    [the table]
    Nơi nhận:            NGƯỜI LẬP BIỂU            KT. GIÁM ĐỐC
    - …;                                          PHÓ GIÁM ĐỐC
    - Lưu: VT.           (name)                     (name)

Times New Roman, black; sizes as the decree gives them (agency names and
Quốc hiệu 12-13, Tiêu ngữ 13-14, date line 13-14 italic, title 14 bold,
"Nơi nhận" 12 bold italic with its list in 11, signer 13-14 bold). Without a
profile every field is a dotted line to fill in by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

FONT = "Times New Roman"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOTS = "…………………"
PREPARER_TITLE = "NGƯỜI LẬP BIỂU"
RECIPIENTS_TITLE = "Nơi nhận:"
RULE = "\u2500" * 12
"""The short rule under the issuing agency (drawn as a line of box-drawing characters, centred)."""
AUTHORITIES = ("", "KT.", "TL.", "Q.")
"""Quyền hạn ký: none (the head signs), ký thay, thừa lệnh, quyền."""

MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
"""Page margins of the decree (top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm): the smallest allowed."""
PAGE_FOOTER = "&CTrang &P/&N"
_MM_PER_INCH = 25.4


def margin_inches(name: str) -> float:
    """A margin of :data:`MARGINS_MM` in inches, as both spreadsheet libraries take it."""
    return round(MARGINS_MM[name] / _MM_PER_INCH, 3)

A4 = 9
"""The paper size code of A4 in both xlsx writers."""


@dataclass(frozen=True)
class Profile:
    """Thông tin đơn vị: who issues and signs the documents (``kc-excel template profile``)."""

    parent_agency: str = ""
    agency: str = ""
    symbol: str = ""
    place: str = ""
    signer_title: str = ""
    authority: str = ""
    superior_title: str = ""
    signer_name: str = ""
    preparer: str = ""
    recipients: tuple[str, ...] = ()
    number: str = ""


@dataclass(frozen=True)
class Style:
    """How one piece of the frame looks (a library-neutral cell format)."""

    size: float = 12
    bold: bool = False
    italic: bool = False
    underline: bool = False
    align: str = "center"
    wrap: bool = True


STYLES: dict[str, Style] = {
    "parent": Style(12),
    "agency": Style(12, bold=True),
    "nation": Style(12, bold=True),
    "motto": Style(13, bold=True, underline=True),
    "rule": Style(8, wrap=False),
    "number": Style(13),
    "date": Style(13, italic=True),
    "title": Style(14, bold=True),
    "subtitle": Style(13, italic=True),
    "unit_note": Style(12, italic=True, align="right"),
    "section": Style(12, bold=True, align="left"),
    "line": Style(12, align="left"),
    "recipients_title": Style(12, bold=True, italic=True, align="left"),
    "recipients": Style(11, align="left"),
    "sign_title": Style(13, bold=True),
    "sign_name": Style(13, bold=True),
    "sign_note": Style(12, italic=True),
    "body": Style(11, align="left"),
}


@dataclass(frozen=True)
class Piece:
    """A merged run of cells: ``row`` relative to the block's first row, 0-based columns."""

    row: int
    col: int
    span: int
    text: str
    style: str


@dataclass(frozen=True)
class Block:
    """Pieces and the height (points) of each of the block's rows."""

    pieces: tuple[Piece, ...]
    heights: tuple[float, ...]

    @property
    def rows(self) -> int:
        return len(self.heights)


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints: A4, decree margins, one page wide, header rows repeated, pages numbered."""

    landscape: bool = True
    repeat_rows: tuple[int, int] | None = None
    """0-based first and last row printed at the top of every page."""
    hidden_cols: tuple[int, ...] = ()
    """0-based columns kept in the file but not printed (internal codes, hashes): grouped and collapsed."""
    fit_height: int = 0


def date_line(place: str, when: date) -> str:
    """``Đồng Nai, ngày 05 tháng 02 năm 2026``: day < 10 and months 1, 2 take a leading zero."""
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return f"{place or DOTS}, ngày {when.day:02d} tháng {month} năm {when.year}"


def number_line(profile: Profile, kind: str) -> str:
    """``Số: …/KH-TTKC`` (the number is filled by the văn thư when the document is issued)."""
    return f"Số: {profile.number or '……'}/{kind}-{profile.symbol or '……'}"


def _split(width: int) -> tuple[int, int]:
    """Columns of the left (agency) part and of the right (Quốc hiệu) part."""
    left = max(1, min(width - 1, round(width * 0.42))) if width > 1 else 1
    return left, max(width - left, 1)


def header(profile: Profile | None, width: int, *, title: str, subtitle: str = "", kind: str = "KH",
           when: date, unit_note: str = "") -> Block:
    """The top of the first page: agencies, Quốc hiệu, Tiêu ngữ, Số, date line, title."""
    p = profile or Profile()
    left, right = _split(width)
    pieces = [Piece(0, 0, left, (p.parent_agency or DOTS).upper(), "parent"),
              Piece(0, left, right, NATION, "nation"),
              Piece(1, 0, left, (p.agency or DOTS).upper(), "agency"),
              Piece(1, left, right, MOTTO, "motto"),
              Piece(2, 0, left, RULE, "rule"),
              Piece(3, 0, left, number_line(p, kind), "number"),
              Piece(3, left, right, date_line(p.place, when), "date"),
              Piece(5, 0, width, title.upper(), "title")]
    heights = [32, 32, 10, 20, 8, 40]
    if subtitle:
        pieces.append(Piece(len(heights), 0, width, subtitle, "subtitle"))
        heights.append(20)
    if unit_note:
        pieces.append(Piece(len(heights), 0, width, unit_note, "unit_note"))
        heights.append(18)
    return Block(tuple(pieces), tuple(heights))


def signer_lines(p: Profile) -> list[str]:
    """``KT. GIÁM ĐỐC`` / ``PHÓ GIÁM ĐỐC`` (ký thay), or the signer's own title; dots without a profile."""
    authority = p.authority.strip()
    if authority and p.superior_title:
        return [f"{authority} {p.superior_title.upper()}", (p.signer_title or DOTS).upper()]
    return [(p.signer_title or DOTS).upper()]


def recipients_text(p: Profile) -> str:
    items = list(p.recipients) or ["Như trên", DOTS]
    if not any(item.lower().startswith("lưu") for item in items):
        items.append("Lưu: VT")
    return "\n".join(f"- {item.rstrip(';.')}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items))


def footer(profile: Profile | None, width: int) -> Block:
    """Nơi nhận (left), Người lập biểu (middle), the signature block (right)."""
    p = profile or Profile()
    third = max(1, width // 3)
    mid_span, right_col = third, 2 * third if width >= 3 else 0
    right = max(width - right_col, 1)
    recipients = recipients_text(p)
    signer = signer_lines(p)
    pieces = [Piece(1, 0, third, RECIPIENTS_TITLE, "recipients_title"),
              Piece(1, third, mid_span, PREPARER_TITLE, "sign_title"),
              Piece(1, right_col, right, "\n".join(signer), "sign_title"),
              Piece(2, 0, third, recipients, "recipients"),
              Piece(3, third, mid_span, p.preparer or DOTS, "sign_name"),
              Piece(3, right_col, right, p.signer_name or DOTS, "sign_name")]
    heights = (12, 18 * len(signer) + 4, max(15 * (recipients.count("\n") + 1), 75), 22)
    return Block(tuple(pieces), heights)


BLANK_DATE = "…………, ngày …… tháng …… năm ……"
CONTACT = "Người liên hệ: ……………………  Điện thoại: ……………………  E-mail: ……………………"


def unit_footer(head_title: str, width: int) -> Block:
    """The block a commune (or district) signs under its registration: contact and date line, Người lập
    biểu on the left, the head of the People's Committee on the right (``CHỦ TỊCH UBND XÃ``)."""
    left, right = _split(width)
    pieces = [Piece(0, 0, left, CONTACT, "line"),
              Piece(0, left, right, BLANK_DATE, "date"),
              Piece(1, 0, left, PREPARER_TITLE, "sign_title"),
              Piece(1, left, right, head_title.upper(), "sign_title"),
              Piece(2, 0, left, "(Ký, ghi rõ họ tên)", "sign_note"),
              Piece(2, left, right, "(Ký tên, đóng dấu)", "sign_note"),
              Piece(4, 0, left, DOTS, "sign_name"),
              Piece(4, left, right, DOTS, "sign_name")]
    return Block(tuple(pieces), (36, 20, 18, 60, 20))


def chars_per_line(width: float, size: float = 11) -> int:
    """Characters of Times New Roman text in a column ``width`` wide (Excel's width unit) at ``size`` points."""
    return max(int(width * 1.15 * 11 / size) - 1, 1)


def line_height(texts: Sequence[tuple[str, float]], *, size: float = 11, minimum: float = 15) -> float:
    """Row height (points) showing every wrapped text of a row: (text, column width) pairs."""
    lines = 1
    for text, width in texts:
        chars = chars_per_line(width, size)
        lines = max(lines, sum(max(1, math.ceil(len(part) / chars)) for part in str(text).split("\n")))
    return max(minimum, lines * size * 1.3 + 2)


@dataclass(frozen=True)
class Document:
    """A first page: header, then the caller's content, then the footer (both ``width`` columns wide)."""

    profile: Profile | None
    width: int
    title: str
    subtitle: str = ""
    kind: str = "KH"
    unit_note: str = ""
    when: date = field(default_factory=date.today)

    def top(self) -> Block:
        return header(self.profile, self.width, title=self.title, subtitle=self.subtitle, kind=self.kind,
                      when=self.when, unit_note=self.unit_note)

    def bottom(self) -> Block:
        return footer(self.profile, self.width)
