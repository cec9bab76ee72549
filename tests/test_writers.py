"""One writer story (issue 15): workbooks are written through kc_excel/workbook/, ``_kc`` by one function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kc_excel"
MODULES = sorted(PACKAGE.rglob("*.py"))
SNAPSHOT = "addin/bookio.py"
"""The add-in's copy of the user's open book for the reader: an adapter's scratch file, not an output."""
WRITING_CALLS = {"create_sheet", "add_worksheet"}


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_xlsxwriter_is_used_only_inside_workbook(path: Path):
    name = _name(path)
    if name.startswith("workbook/") or name == SNAPSHOT:
        return
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "xlsxwriter" for a in node.names), name
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] != "xlsxwriter", name


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_only_workbook_meta_adds_the_kc_sheet(path: Path):
    if _name(path) == "workbook/meta.py":
        return
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITING_CALLS:
            first = node.args[0] if node.args else None
            named = isinstance(first, ast.Name) and first.id == "META_SHEET"
            literal = isinstance(first, ast.Constant) and first.value == "_kc"
            assert not (named or literal), f"{_name(path)}:{node.lineno} writes _kc: use workbook.meta.write_meta"


def test_the_checks_see_the_writers_they_guard():
    """The two checks above would catch a writer: they find the ones that are allowed."""
    streamed = _tree(PACKAGE / "workbook" / "streamed.py")
    assert any(isinstance(n, ast.Import) and n.names[0].name == "xlsxwriter" for n in ast.walk(streamed))
    meta = _tree(PACKAGE / "workbook" / "meta.py")
    assert sum(isinstance(n, ast.Call) and getattr(n.func, "attr", None) in WRITING_CALLS
               and isinstance(n.args[0], ast.Name) and n.args[0].id == "META_SHEET" for n in ast.walk(meta)) == 2


def test_the_old_aliases_are_gone():
    from kc_excel.workbook import writer
    from kc_excel import outputs

    assert not hasattr(writer, "atomic_save") and not hasattr(writer, "atomic_write")
    assert "keep_backup" not in outputs.write_atomically.__code__.co_varnames
