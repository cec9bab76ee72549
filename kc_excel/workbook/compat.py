"""Old-Excel compatibility: find formulas that Excel 2010 or LibreOffice cannot evaluate.

Districts run Excel 2010-2013, so every workbook kc-excel writes must use only
functions Excel 2010 has. :func:`forbidden_functions` reads the raw xlsx XML
(not a library's interpretation of it) and reports every use of a function
newer than Excel 2010, every ``_xlfn.``/``_xlws.`` future-function prefix and
every dynamic-array (spill) formula, in cell formulas, data-validation
formulas, conditional-format formulas and defined names.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree

NEWER_THAN_2010 = frozenset({
    # Excel 2013
    "IFNA", "DAYS", "ISOWEEKNUM", "FORMULATEXT", "ISFORMULA", "SHEET", "SHEETS", "XOR", "NUMBERVALUE",
    "CONCAT", "ARABIC", "BASE", "DECIMAL", "BITAND", "BITOR", "BITXOR", "BITLSHIFT", "BITRSHIFT",
    "CEILING.MATH", "FLOOR.MATH", "COT", "COTH", "CSC", "CSCH", "SEC", "SECH", "ACOT", "ACOTH",
    "ENCODEURL", "FILTERXML", "WEBSERVICE", "UNICHAR", "UNICODE", "MUNIT", "PDURATION", "RRI",
    "GAMMA", "GAUSS", "PHI", "BINOM.DIST.RANGE", "COMBINA", "PERMUTATIONA", "SKEW.P",
    # Excel 2016 / 2019
    "IFS", "MAXIFS", "MINIFS", "SWITCH", "TEXTJOIN", "FORECAST.ETS", "FORECAST.LINEAR",
    # Excel 365 / 2021+: dynamic arrays and friends
    "XLOOKUP", "XMATCH", "FILTER", "UNIQUE", "SORT", "SORTBY", "SEQUENCE", "RANDARRAY", "LET", "LAMBDA",
    "MAP", "REDUCE", "SCAN", "MAKEARRAY", "BYROW", "BYCOL", "ISOMITTED", "TEXTBEFORE", "TEXTAFTER",
    "TEXTSPLIT", "VSTACK", "HSTACK", "TOCOL", "TOROW", "WRAPROWS", "WRAPCOLS", "TAKE", "DROP",
    "CHOOSEROWS", "CHOOSECOLS", "EXPAND", "ARRAYTOTEXT", "VALUETOTEXT", "GROUPBY", "PIVOTBY",
    "REGEXTEST", "REGEXEXTRACT", "REGEXREPLACE", "IMAGE", "STOCKHISTORY", "PERCENTOF", "TRIMRANGE",
})

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
       "x14": "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main",
       "xm": "http://schemas.microsoft.com/office/excel/2006/main"}
_STRING = re.compile(r'"(?:[^"]|"")*"')
_CALL = re.compile(r"((?:_xlfn\.|_xlws\.|_xlpm\.)?[A-Za-z][A-Za-z0-9._]*)\s*\(")
_PREFIX = re.compile(r"_xl(?:fn|ws|pm)\.[A-Za-z0-9._]*")


def functions_in(formula: str) -> list[str]:
    """Names of the functions called in ``formula`` (upper case, prefixes kept); string literals skipped."""
    code = _STRING.sub('""', formula or "")
    names = [m.group(1).upper() for m in _CALL.finditer(code)]
    names += [m.group(0).upper() for m in _PREFIX.finditer(code) if m.group(0).upper() not in names]
    return names


def is_forbidden(name: str) -> bool:
    """True for a function newer than Excel 2010 or any future-function prefix."""
    return name.upper().startswith(("_XLFN.", "_XLWS.", "_XLPM.")) or name.upper() in NEWER_THAN_2010


def forbidden_functions(path: str | Path) -> list[tuple[str, str, str]]:
    """Every (sheet, cell or range, function) in ``path`` that Excel 2010 cannot evaluate.

    ``function`` is ``"dynamic-array"`` for a spilled formula (``cm`` cell
    metadata). Defined names are reported with sheet ``"(tên)"`` and the name
    as cell; table formulas with sheet ``"[TableName]"`` and the column name.
    """
    found: list[tuple[str, str, str]] = []
    for sheet, where, formula, spill in iter_formulas(path):
        if spill:
            found.append((sheet, where, "dynamic-array"))
        found += [(sheet, where, f) for f in functions_in(formula) if is_forbidden(f)]
    return found


def iter_formulas(path: str | Path):
    """Yield (sheet, cell/range, formula, is_spill) for every formula in the workbook's XML."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        for name in workbook.iterfind("m:definedNames/m:definedName", _NS):
            yield "(tên)", name.get("name", ""), name.text or "", False
        for sheet, part in _sheet_parts(archive, workbook):
            yield from _sheet_formulas(sheet, ElementTree.fromstring(archive.read(part)))
        for part in sorted(n for n in archive.namelist() if re.fullmatch(r"xl/tables/[^/]+\.xml", n)):
            yield from _table_formulas(ElementTree.fromstring(archive.read(part)))


def _table_formulas(table):
    """Totals-row and calculated-column formulas stored in a table part (reported as "[Table]")."""
    where = f"[{table.get('displayName') or table.get('name', '')}]"
    for column in table.iterfind("m:tableColumns/m:tableColumn", _NS):
        for tag in ("m:totalsRowFormula", "m:calculatedColumnFormula"):
            node = column.find(tag, _NS)
            if node is not None:
                yield where, column.get("name", ""), node.text or "", False


def _sheet_parts(archive: zipfile.ZipFile, workbook) -> list[tuple[str, str]]:
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iterfind("rel:Relationship", _NS)}
    parts = []
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if part in archive.namelist():
            parts.append((sheet.get("name", ""), part))
    return parts


def _sheet_formulas(sheet: str, root):
    for cell in root.iterfind("m:sheetData/m:row/m:c", _NS):
        formula = cell.find("m:f", _NS)
        if formula is not None:
            yield sheet, cell.get("r", ""), formula.text or "", cell.get("cm") is not None
    for dv in root.iterfind(".//m:dataValidation", _NS):
        for tag in ("m:formula1", "m:formula2"):
            node = dv.find(tag, _NS)
            if node is not None:
                yield sheet, dv.get("sqref", ""), node.text or "", False
    for dv in root.iterfind(".//x14:dataValidation", _NS):
        ref = dv.findtext("xm:sqref", "", _NS)
        for node in dv.iterfind(".//xm:f", _NS):
            yield sheet, ref, node.text or "", False
    for cf in root.iterfind("m:conditionalFormatting", _NS):
        for node in cf.iterfind("m:cfRule/m:formula", _NS):
            yield sheet, cf.get("sqref", ""), node.text or "", False
    for cf in root.iterfind(".//x14:conditionalFormatting", _NS):
        ref = cf.findtext("xm:sqref", "", _NS)
        for node in cf.iterfind(".//xm:f", _NS):
            yield sheet, ref, node.text or "", False
