"""The staff guide (Markdown) as a PDF for the offline package, with its Vietnamese letters.

Markdown → HTML with the ``markdown`` package, HTML → PDF with ``fpdf2``, set in
a TrueType font that has every Vietnamese letter (DejaVu Sans or Liberation Sans
on Linux, Arial on Windows). fpdf2's HTML takes no markup inside a table cell, so
cells are reduced to their text first.
"""

from __future__ import annotations

import re
from pathlib import Path

FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu", ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                                           "DejaVuSans-BoldOblique.ttf")),
    ("/usr/share/fonts/truetype/liberation", ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                                               "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf")),
    ("C:/Windows/Fonts", ("arial.ttf", "arialbd.ttf", "ariali.ttf", "arialbi.ttf")),
)
_STYLES = ("", "B", "I", "BI")
_CELL = re.compile(r"(<t[dh](?:\s[^>]*)?>)(.*?)(</t[dh]>)", re.S)
_TAG = re.compile(r"<[^>]+>")


def find_font() -> tuple[Path, ...]:
    """Regular, bold, italic and bold italic files of the first font family found."""
    for folder, names in FONT_CANDIDATES:
        paths = tuple(Path(folder) / name for name in names)
        if all(path.is_file() for path in paths):
            return paths
    raise RuntimeError("no TrueType font with Vietnamese letters found (install fonts-dejavu-core)")


def guide_html(markdown_text: str) -> str:
    """The guide as the HTML fpdf2 can set."""
    import markdown

    html = markdown.markdown(markdown_text, extensions=["tables", "fenced_code"])
    return _CELL.sub(lambda m: m.group(1) + _TAG.sub("", m.group(2)) + m.group(3), html)


def write_guide_pdf(source: Path, target: Path) -> Path:
    """Write ``source`` (Markdown) as the PDF ``target``."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_title(source.stem)
    for style, path in zip(_STYLES, find_font()):
        pdf.add_font("KcFont", style, str(path))
    pdf.set_font("KcFont", size=10)
    pdf.add_page()
    code = FontFace(family="KcFont", color=(120, 40, 0))  # fpdf2's default Courier has no Vietnamese letters
    pdf.write_html(guide_html(source.read_text(encoding="utf-8")), font_family="KcFont",
                   tag_styles={"code": code, "pre": code})
    pdf.output(str(target))
    return target
