"""The shape STYLE.md asks for: a pure core with thin adapters, and help on every command."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from kc_excel.cli import main

PACKAGE = Path(__file__).resolve().parent.parent / "kc_excel"
ADAPTERS = {"cli", "udfs.py", "ribbon.py", "addin", "__main__.py"}
ADAPTER_LIBRARIES = {"xlwings", "typer", "click"}


def core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in ADAPTERS]


def imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def calls_sys_exit(tree: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "exit" and getattr(n.value, "id", None) == "sys"
               for n in ast.walk(tree))


def test_there_is_a_core_to_check():
    names = {p.relative_to(PACKAGE).as_posix() for p in core_modules()}
    assert {"text.py", "models.py", "validation/runner.py", "workbook/reader.py"} <= names


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_module_imports_no_adapter_and_never_exits(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not imported_roots(tree) & ADAPTER_LIBRARIES
    assert not calls_sys_exit(tree)
    adapters = {f"kc_excel.{a.removesuffix('.py')}" for a in ADAPTERS}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not any(node.module == a or node.module.startswith(a + ".") for a in adapters), node.module


LAZY_IMPORTS = {"cli", "udfs.py", "ribbon.py"}
"""Where imports may sit inside functions: the adapters whose start-up the user waits for."""
KEPT_LOCAL = {
    ("validation/registry.py", "registered"): "cycle",
    ("validation/inchild.py", "prepare"): "heavy",
    ("validation/inchild.py", "__call__"): "cycle",
    ("validation/context.py", "norms"): "heavy",
    ("validation/runner.py", "_is_norms"): "heavy",
    ("validation/runner.py", "_norms_issues"): "heavy",
    ("validation/runner.py", "_accepted"): "heavy",
    ("validation/rules/indicators.py", "programme_rows"): "heavy",
    ("validation/rules/indicators.py", "results_rows"): "heavy",
    ("workbook/ooxml.py", "_formula"): "heavy",
    ("addin/build.py", "vba_project_bin"): "heavy",
    ("consolidate/mailparts.py", "_signed_content"): "heavy",
    ("outputs.py", "_has_data"): "cycle",
}
"""The only function-level imports of the core: a real import cycle, or a heavy library (openpyxl, pandas,
pyopenvba) measured (``python -X importtime``) to slow a light command's start-up; each says why in a comment."""


def _under(rel: str, names: set[str]) -> bool:
    return any(rel == name or rel.startswith(name + "/") for name in names)


def function_level_imports(path: Path) -> dict[tuple[str, str], list[int]]:
    """(module, function) → the line numbers of the imports inside that function (nested ones included)."""
    rel = path.relative_to(PACKAGE).as_posix()
    found: dict[tuple[str, str], list[int]] = {}

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, function or child.name)
            elif isinstance(child, (ast.Import, ast.ImportFrom)) and function:
                found.setdefault((rel, function), []).append(child.lineno)
            else:
                visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def plain_import_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py")
            if not _under(p.relative_to(PACKAGE).as_posix(), LAZY_IMPORTS)]


def test_core_imports_sit_at_the_top_of_their_module():
    found = {}
    for path in plain_import_modules():
        found.update(function_level_imports(path))
    assert set(found) - set(KEPT_LOCAL) == set(), "move these imports to the top of the module"
    assert set(KEPT_LOCAL) - set(found) == set(), "no longer local: remove from KEPT_LOCAL"


@pytest.mark.parametrize("where", sorted(KEPT_LOCAL), ids="::".join)
def test_each_import_kept_in_a_function_says_why(where):
    path = PACKAGE / where[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    first = function_level_imports(path)[where][0]
    said = lines[first - 1] + " " + lines[first - 2]  # on the import's line or the line above it
    assert f"# {KEPT_LOCAL[where]}:" in said, f"{where}: say why ('# {KEPT_LOCAL[where]}: ...') at the import"


def test_the_import_check_sees_a_function_level_import(tmp_path, monkeypatch):
    (tmp_path / "m.py").write_text("import os\n\ndef f():\n    def g():\n        import json\n    return g\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    assert function_level_imports(tmp_path / "m.py") == {("m.py", "f"): [5]}


COMMANDS = [["template", "registration"], ["template", "programme"], ["template", "results"], ["validate"],
            ["consolidate"], ["attainment"], ["addin", "build"], ["addin", "install"], []]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "kc-excel")
def test_every_command_has_vietnamese_and_english_help(command, capsys):
    assert main([*command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "Usage: kc-excel" in text
    summary = text.split("Options:")[0]
    assert any(ch in summary for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"), summary


def test_issue_code_table_in_docs_is_current():
    import subprocess
    import sys

    script = PACKAGE.parent / "scripts" / "issue_codes.py"
    assert subprocess.run([sys.executable, str(script), "--check"]).returncode == 0, \
        "docs/ma-loi.md is out of date: run scripts/issue_codes.py"


def test_contract_issue_codes_all_exist():
    from kc_excel.validation.issues import CODES

    contract = """file-unreadable file-encrypted file-corrupt file-unsupported-format file-too-large
        not-a-kc-workbook template-outdated layout-altered missing-column required-missing not-a-number
        negative-amount too-precise-amount unknown-activity unknown-unit-of-measure unit-mismatch
        unknown-location location-outside-unit invalid-tax-code missing-tax-code sum-mismatch
        support-ratio-exceeded support-cap-exceeded double-funding duplicate-line month-out-of-range
        year-mismatch formula-overwritten legacy-encoding duplicate-across-units unit-missing
        superseded-version unit-not-in-province template-identity-mismatch""".split()
    assert set(contract) <= set(CODES)
    assert CODES["legacy-encoding"].severity == "warning"
