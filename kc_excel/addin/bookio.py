"""What the ribbon handlers do to the caller's workbook, through xlwings only.

- :func:`snapshot` copies the book's cell values (and formulas when the engine
  can read them) and its Excel Tables into a temporary .xlsx, so the core
  reader and validator see exactly what is on screen, saved or not; the user's
  file on disk is never read or touched.
- :func:`take_choice` reads (and deletes) a hidden name a VBA callback stored
  (``KC_THU_MUC``…): RunPython commands never carry user text.
- :func:`status` writes to the status bar; :func:`alert` shows a message box.
- :func:`safe_text` keeps text from being read as a formula when written.

Engines: classic Excel (Windows, COM) in production; the remote (JSON) engine
in the tests. Where the remote engine cannot do something (status bar, reading
formulas, colours or notes), the functions degrade instead of failing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@")


def safe_text(value: Any) -> Any:
    """Text that Excel would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def status(book: Any, text: str | bool) -> None:
    """Status bar text (False gives the bar back to Excel); ignored where unsupported."""
    try:
        book.app.status_bar = text
    except (NotImplementedError, AttributeError):
        pass


def alert(book: Any, text: str, *, critical: bool = False) -> None:
    try:
        book.app.alert(text, title="Khuyến công", mode="critical" if critical else "info")
    except NotImplementedError:
        pass


def _constant(refers_to: str) -> str | None:
    '''The text of a constant name: refers_to ="a ""b""" gives a "b"; None when it refers to cells.'''
    text = refers_to.strip()
    if text.startswith('="') and text.endswith('"') and len(text) >= 3:
        return text[2:-1].replace('""', '"')
    return None


def take_choice(book: Any, name: str, *, keep: bool = False) -> str | None:
    """The text a VBA callback stored in the hidden name ``name`` (then deleted, unless ``keep``: a
    setting remembered for the workbook, such as its round folder); None if absent."""
    found = next((item for item in book.names if item.name == name), None)
    if found is None:
        return None
    value = _constant(found.refers_to or "")
    if value is None:
        value = found.refers_to_range.value
    if not keep:
        found.delete()
    return None if value is None else str(value).strip()


# --- snapshot -------------------------------------------------------------------------------

def _formulas(rng: Any) -> list[list[Any]] | None:
    try:
        formulas = rng.formula
    except NotImplementedError:
        return None
    if not isinstance(formulas, (list, tuple)):
        return [[formulas]]
    return [list(row) for row in formulas] if formulas and isinstance(formulas[0], (list, tuple)) else [list(formulas)]


def _write_cell(ws: Any, row: int, col: int, value: Any, formula: Any) -> None:
    if isinstance(formula, str) and formula.startswith("="):
        ws.write_formula(row, col, formula, None, value if value is not None else "")
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day))
    elif value is not None and str(value) != "":
        ws.write_string(row, col, str(value))


def _copy_sheet(workbook: Any, sheet: Any) -> bool:
    """Copy one sheet's values (and formulas); True when its formulas were known."""
    ws = workbook.add_worksheet(sheet.name)
    rng = sheet.used_range
    values = rng.options(ndim=2).value
    formulas = _formulas(rng)
    top, left = rng.row - 1, rng.column - 1
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            formula = formulas[i][j] if formulas is not None else None
            _write_cell(ws, top + i, left + j, value, formula)
    for table in sheet.tables:
        _copy_table(ws, table)
    try:
        if not sheet.visible:
            ws.hide()
    except (NotImplementedError, KeyError):
        pass
    return formulas is not None


def _copy_table(ws: Any, table: Any) -> None:
    rng = table.range
    headers = rng[0, :].options(ndim=1).value if rng.shape[1] > 1 else [rng[0, 0].value]
    if rng.shape[0] < 2 or any(not isinstance(h, str) or not h for h in headers):
        return
    try:  # the totals row stays the totals row: the reader finds it by the Table, not by its label
        totals = bool(table.show_totals)
    except (AttributeError, NotImplementedError):  # an engine that cannot tell
        totals = False
    ws.add_table(rng.row - 1, rng.column - 1, rng.last_cell.row - 1, rng.last_cell.column - 1,
                 {"name": table.name, "columns": [{"header": h} for h in headers], "autofilter": False,
                  "total_row": totals})


def snapshot(book: Any, path: Path) -> bool:
    """Write the book's content to ``path`` (.xlsx); True when every formula was known."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    try:
        known = [_copy_sheet(workbook, sheet) for sheet in book.sheets]
    finally:
        workbook.close()
    return all(known)
