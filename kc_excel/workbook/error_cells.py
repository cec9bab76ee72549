"""Excel error values (``#DIV/0!``, ``#REF!``, ``#N/A``…): found in every format, never read as blank.

python-calamine reads an error cell as an empty string, so a ``#DIV/0!`` in
a money cell would pass as 0. The reader asks the file itself, per format:

- .xlsx/.xlsm: cells of type ``t="e"`` (:mod:`kc_excel.workbook.ooxml` scans them with the formulas);
- .xls: BIFF ``BOOLERR``/``FORMULA`` records of error type, through xlrd (:func:`xls_errors`);
- .ods: cells with ``calcext:value-type="error"`` in ``content.xml`` (:func:`ods_errors`),
  one streaming expat pass, repeated rows and columns counted, never expanded.

The positions found are written into the sheet's rows as the error's text
(``"#DIV/0!"``), so the cell is non-blank, is read, and is reported as
``formula-error`` at that cell (:func:`is_error_value`). Text that is exactly
an error value is treated the same way.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from xml.parsers import expat

import xlrd
from xlrd.biffh import error_text_from_code

ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!",
                          "ERR:502", "ERR:504", "ERR:508", "ERR:511", "ERR:522", "ERR:523", "#NAME!"})
"""Excel's error values, and those LibreOffice shows (``Err:502``…)."""

Positions = dict[tuple[int, int], str]
MAX_REPEATED = 10_000
"""An .ods error cell repeated over more cells than this is noted at its first cell only (never expanded)."""


def is_error_value(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 16 and value.strip().upper() in ERROR_VALUES


def mark_errors(rows: list[list[Any]], errors: Positions) -> None:
    """Write each error's text into ``rows`` (1-based positions) where calamine left a blank."""
    for (row, col), text in errors.items():
        if row < 1 or col < 1 or row > len(rows):
            continue
        values = rows[row - 1]
        if col > len(values):
            values.extend([""] * (col - len(values)))
        if values[col - 1] in ("", None):
            values[col - 1] = text if is_error_value(text) else "#N/A"


def xls_errors(path: str | Path, sheet: str, index: int) -> Positions:
    """Error cells of one sheet of a BIFF .xls (xlrd reads the error records calamine drops).

    The sheet is found by name, else by its position (``index``, as calamine lists the
    sheets: both follow the BOUNDSHEET records), should the two libraries decode a name differently.
    """
    book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=False, logfile=_Silent())
    try:
        found: Positions = {}
        ws = book.sheet_by_name(sheet) if sheet in book.sheet_names() else book.sheet_by_index(index)
        for r in range(ws.nrows):
            for c, ctype in enumerate(ws.row_types(r)):
                if ctype == xlrd.XL_CELL_ERROR:
                    found[(r + 1, c + 1)] = error_text_from_code.get(ws.cell_value(r, c), "#N/A")
        return found
    finally:
        book.release_resources()


class _Silent:
    """xlrd writes warnings to a log file; they are of no use to the user."""

    def write(self, _text: str) -> None:
        return None


def ods_errors(path: str | Path, sheet: str) -> Positions:
    """Error cells of one sheet of an .ods (``calcext:value-type="error"``, shown text kept)."""
    scanner = _OdsScanner(sheet)
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse
        parser.StartElementHandler, parser.EndElementHandler = scanner.start, scanner.end
        parser.CharacterDataHandler = scanner.chars
        parser.buffer_text = True
        while chunk := stream.read(1 << 20):
            parser.Parse(chunk, False)
            if scanner.done:
                break
        else:
            parser.Parse(b"", True)
    return scanner.found


def _refuse(*_args: object) -> None:
    raise ValueError("XML entity declarations are not allowed")


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0 "


class _OdsScanner:
    """expat handlers: row and column counting in one ``table:table``, error cells noted."""

    def __init__(self, sheet: str) -> None:
        self.sheet, self.found = sheet, {}
        self.inside = self.done = False
        self.row, self.col, self.row_repeat = 0, 0, 1
        self.error: tuple[int, int, int] | None = None
        self.text: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _TABLE + "table":
            self.inside = attrs.get(_TABLE + "name") == self.sheet
        elif not self.inside:
            return
        elif name == _TABLE + "table-row":
            self.row_repeat, self.col = _count(attrs.get(_TABLE + "number-rows-repeated")), 0
        elif name in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            repeat = _count(attrs.get(_TABLE + "number-columns-repeated"))
            if attrs.get(_CALCEXT + "value-type") == "error":
                self.error, self.text = (self.row + 1, self.col + 1, repeat), []
            self.col += repeat

    def chars(self, data: str) -> None:
        if self.error is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        if not self.inside:
            return
        if name == _TABLE + "table":
            self.inside, self.done = False, True
        elif name == _TABLE + "table-row":
            self.row += self.row_repeat
        elif self.error is not None and name in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            row, col, repeat = self.error
            text = "".join(self.text).strip()
            rows, cols = (self.row_repeat, repeat) if self.row_repeat * repeat <= MAX_REPEATED else (1, 1)
            for r in range(row, row + rows):  # a block repeated beyond reason: its first cell stands for it
                for c in range(col, col + cols):
                    self.found[(r, c)] = text
            self.error = None


def _count(text: str | None) -> int:
    try:
        return max(1, int(text)) if text else 1
    except ValueError:
        return 1
