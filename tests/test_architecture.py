"""The shape STYLE.md asks for: a pure core with thin adapters, and help on every command."""

from __future__ import annotations

import ast
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
