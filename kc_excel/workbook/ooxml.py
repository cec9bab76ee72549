"""What python-calamine does not give from an .xlsx: Excel Tables, fonts and formulas.

A small streaming reader over the package (zipfile + defusedxml), much cheaper
than loading the workbook with openpyxl:

- :func:`read_package` → sheet names with their part paths, every Excel Table
  (ListObject: name, sheet, range, header and totals row counts) and the font
  name of each cell style;
- :func:`scan_sheet` → for the rows of one sheet from a given row on, the
  style index of each cell, the formula of each formula cell (shared
  formulas expanded with openpyxl's translator) and the cached value of each
  error cell (``#DIV/0!``…, which calamine reads as blank), in one streaming expat pass;
- :func:`scan_formulas` → the formulas and error cells alone, found by a C-speed search for
  ``<f>`` tags and ``t="e"`` cells (a few times cheaper; used when no cell style has a TCVN3/VNI
  font, so cell fonts do not matter).

The caller has already refused DTDs (:mod:`kc_excel.workbook.sniff`); defusedxml
refuses them again here.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from xml.parsers import expat

from defusedxml import ElementTree

from kc_excel.workbook.data import a1
from kc_excel.workbook.sniff import main_part

_REF = re.compile(r"\s*\$?([A-Za-z]{1,3})\$?(\d+)\s*$")


@dataclass(frozen=True)
class ListObject:
    """An Excel Table: its names, sheet and range (1-based, inclusive)."""

    name: str
    display_name: str
    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    header_rows: int = 1
    totals_rows: int = 0

    @property
    def ref(self) -> str:
        return f"{a1(self.first_row, self.first_col)}:{a1(self.last_row, self.last_col)}"


@dataclass
class Package:
    """Sheet parts, tables and cell-style fonts of an OOXML workbook."""

    sheet_parts: dict[str, str] = field(default_factory=dict)
    tables: list[ListObject] = field(default_factory=list)
    style_fonts: list[str | None] = field(default_factory=list)

    def font_of(self, style: int | None) -> str | None:
        if style is None or not 0 <= style < len(self.style_fonts):
            return None
        return self.style_fonts[style]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element, name: str) -> str | None:
    """Attribute by local name (``r:id`` and ``id`` alike)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


@lru_cache(maxsize=65536)
def split_ref(ref: str) -> tuple[int, int] | None:
    """"B5" → (5, 2); None when not a cell reference."""
    match = _REF.match(ref)
    if not match:
        return None
    return int(match.group(2)), _column_number(match.group(1))


@lru_cache(maxsize=1024)
def _column_number(letters: str) -> int:
    col = 0
    for letter in letters.upper():
        col = col * 26 + ord(letter) - 64
    return col


def _read_xml(archive: zipfile.ZipFile, name: str):
    try:
        data = archive.read(name)
    except KeyError:
        return None
    return ElementTree.fromstring(data)


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → target part path, for the part at ``part``."""
    folder, base = posixpath.split(part)
    root = _read_xml(archive, posixpath.join(folder, "_rels", base + ".rels"))
    if root is None:
        return {}
    targets = {}
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[rel.get("Id", "")] = path
    return targets


def read_package(archive: zipfile.ZipFile) -> Package:
    package = Package()
    main = main_part(archive) or "xl/workbook.xml"
    workbook = _read_xml(archive, main)
    if workbook is None:
        return package
    rels = _rels(archive, main)
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            part = rels.get(_attr(element, "id") or "")
            if part and element.get("name"):
                package.sheet_parts[element.get("name")] = part
    for sheet, part in package.sheet_parts.items():
        package.tables.extend(_tables_of(archive, sheet, part))
    styles = next((p for p in rels.values() if p.lower().endswith("styles.xml")), None)
    if styles:
        package.style_fonts = _cached_style_fonts(archive, styles)
    return package


_STYLE_CACHE: dict[tuple[int, int, int], list[str | None]] = {}


def _cached_style_fonts(archive: zipfile.ZipFile, part: str) -> list[str | None]:
    """Fonts per cell style; submissions made from one template share their styles part, so remember it."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        return []
    key = (info.CRC, info.file_size, info.compress_size)
    if key not in _STYLE_CACHE:
        if len(_STYLE_CACHE) >= 64:
            _STYLE_CACHE.clear()
        _STYLE_CACHE[key] = _style_fonts(archive, part)
    return list(_STYLE_CACHE[key])


def _tables_of(archive: zipfile.ZipFile, sheet: str, part: str) -> list[ListObject]:
    found = []
    for target in _rels(archive, part).values():
        if "/tables/" not in f"/{target}" or not target.lower().endswith(".xml"):
            continue
        root = _read_xml(archive, target)
        if root is None or _local(root.tag) != "table":
            continue
        ref = (root.get("ref") or "").split(":")
        corners = [split_ref(r) for r in ref] if len(ref) == 2 else []
        if len(corners) != 2 or None in corners:
            continue
        (r1, c1), (r2, c2) = corners
        found.append(ListObject(
            name=root.get("name") or "", display_name=root.get("displayName") or root.get("name") or "",
            sheet=sheet, first_row=r1, first_col=c1, last_row=r2, last_col=c2,
            header_rows=_int(root.get("headerRowCount"), 1), totals_rows=_int(root.get("totalsRowCount"), 0)))
    return found


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _style_fonts(archive: zipfile.ZipFile, part: str) -> list[str | None]:
    root = _read_xml(archive, part)
    if root is None:
        return []
    fonts: list[str | None] = []
    xfs: list[str | None] = []
    for child in root:
        name = _local(child.tag)
        if name == "fonts":
            for font in child:
                names = [f.get("val") for f in font if _local(f.tag) == "name"]
                fonts.append(names[0] if names else None)
        elif name == "cellXfs":
            for xf in child:
                index = _int(xf.get("fontId"), 0)
                xfs.append(fonts[index] if 0 <= index < len(fonts) else None)
    return xfs


@dataclass
class SheetScan:
    """Style index and formula per cell ((row, col) 1-based) of the rows scanned."""

    styles: dict[tuple[int, int], int] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    """Cells of type error (``t="e"``) and their cached value (``#DIV/0!``…), which calamine reads as blank."""


_F_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f(\s[^>]*?)?(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?f>)", re.S)
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Za-z]{1,3}\d+)\"")
_ATTRS = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')
_ERROR_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s([^>]*?\bt\s*=\s*"e"[^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>)', re.S)
_V_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([^<]*)</", re.S)


def scan_formulas(archive: zipfile.ZipFile, part: str, first_row: int = 1) -> SheetScan:
    """Only the formulas of a worksheet: a C-speed search for ``<f>`` tags, each tied to its ``<c r=…>``.

    Falls back to the full :func:`scan_sheet` when a formula's cell cannot be told
    (a ``<c>`` without ``r``, a CDATA section).
    """
    data = archive.read(part)
    if b"<![CDATA[" in data:
        return scan_sheet(archive, part, first_row)
    scan = SheetScan()
    shared: dict[str, tuple[str, str]] = {}
    for match in _F_TAG.finditer(data):
        where = _cell_of(data, match.start())
        if where is None:
            return scan_sheet(archive, part, first_row)
        if where[0] < first_row:
            continue
        attrs = {k.decode().rpartition(":")[2]: html.unescape(v.decode()) for k, v in _ATTRS.findall(match.group(1) or b"")}
        text = html.unescape((match.group(2) or b"").decode("utf-8", "replace"))
        formula = _formula(attrs, text, where[0], where[1], shared)
        if formula:
            scan.formulas[where] = formula
    if not _error_cells(data, first_row, scan):
        return scan_sheet(archive, part, first_row)
    return scan


def _error_cells(data: bytes, first_row: int, scan: SheetScan) -> bool:
    """Fill ``scan.errors`` from the ``t="e"`` cells; False when one has no ``r`` (position unknown)."""
    for match in _ERROR_CELL.finditer(data):
        attrs = dict(_ATTRS.findall(match.group(1)))
        where = split_ref(attrs.get(b"r", b"").decode("ascii", "replace"))
        if where is None:
            return False
        value = _V_TAG.search(match.group(2) or b"")
        if where[0] >= first_row:
            scan.errors[where] = html.unescape(value.group(1).decode("utf-8", "replace")) if value else "#N/A"
    return True


def _cell_of(data: bytes, pos: int) -> tuple[int, int] | None:
    """(row, col) of the ``<c r=…>`` element enclosing the byte offset ``pos``, or None."""
    start = max(data.rfind(b"<c ", 0, pos), data.rfind(b":c ", 0, pos))
    if start < 0:
        return None
    start = data.rfind(b"<", 0, start + 1)
    cell = _CELL_START.match(data, start)
    end = data.find(b">", start, pos)
    if cell is None or end < 0 or data[end - 1:end] == b"/" or b"c>" in data[end:pos]:
        return None
    return split_ref(cell.group(1).decode())


def scan_sheet(archive: zipfile.ZipFile, part: str, first_row: int = 1) -> SheetScan:
    """Styles and formulas of the cells at or below ``first_row`` of one worksheet part.

    A streaming expat pass (no tree is built); a DTD or entity declaration is refused.
    """
    scanner = _SheetScanner(first_row)
    with archive.open(part) as stream:
        scanner.feed(stream)
    return scanner.scan


class _SheetScanner:
    """expat handlers collecting ``<c r s>`` styles and ``<f>`` formulas."""

    def __init__(self, first_row: int) -> None:
        self.scan = SheetScan()
        self.first_row = first_row
        self.row = 0
        self.col = 0
        self.formula: dict[str, str] | None = None
        self.text: list[str] = []
        self.error: list[str] | None = None
        """Text of the ``<v>`` of an error cell being read."""
        self.in_error_cell = False
        self.shared: dict[str, tuple[str, str]] = {}

    def feed(self, stream) -> None:
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse
        parser.EntityDeclHandler = _refuse
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars
        parser.buffer_text = True
        while chunk := stream.read(1 << 20):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        if name == "c":
            where = split_ref(attrs.get("r", ""))
            self.col = where[1] if where else self.col + 1
            style = attrs.get("s")
            if style and style != "0" and self.row >= self.first_row:
                self.scan.styles[(self.row, self.col)] = _int(style, 0)
            self.in_error_cell = attrs.get("t") == "e" and self.row >= self.first_row
            if self.in_error_cell:
                self.scan.errors[(self.row, self.col)] = "#N/A"
        elif name == "v" and self.in_error_cell:
            self.error = []
        elif name == "row":
            self.row = _int(attrs.get("r"), self.row + 1)
            self.col = 0
        elif name == "f" and self.row >= self.first_row:
            self.formula, self.text = attrs, []

    def chars(self, data: str) -> None:
        if self.formula is not None:
            self.text.append(data)
        elif self.error is not None:
            self.error.append(data)

    def end(self, name: str) -> None:
        if self.error is not None and name.rpartition(":")[2] == "v":
            self.scan.errors[(self.row, self.col)] = "".join(self.error).strip() or "#N/A"
            self.error = None
        if self.formula is not None and name.rpartition(":")[2] == "f":
            formula = _formula(self.formula, "".join(self.text), self.row, self.col, self.shared)
            if formula:
                self.scan.formulas[(self.row, self.col)] = formula
            self.formula = None


def _refuse(*_args: object) -> None:
    raise ValueError("XML entity declarations are not allowed")


def _formula(attrs: dict[str, str], text: str, row: int, col: int, shared: dict[str, tuple[str, str]]) -> str | None:
    index = attrs.get("si")
    if attrs.get("t") == "shared" and index is not None:
        if text:
            shared[index] = ("=" + text, a1(row, col))
            return "=" + text
        if index in shared:
            # heavy: openpyxl stays out of the readers (+0.2 s per start); only a shared formula needs it
            from openpyxl.formula.translate import Translator

            master, origin = shared[index]
            try:
                return Translator(master, origin=origin).translate_formula(a1(row, col))
            except Exception:  # an untranslatable shared formula: keep the master's text
                return master
        return None
    return "=" + text if text else None
