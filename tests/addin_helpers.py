"""Shared by the add-in and packaging tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from kc_excel.addin.messages import MESSAGES_FILE, MODULE_NAME, parse_messages, vba_module

ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"


def bundle_script():
    """scripts/bundle.py loaded as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("kc_bundle", ROOT / "scripts" / "bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_vba(addin: Path) -> dict[str, str]:
    """Module name → source, read back from a built add-in with olevba."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(addin))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def expected_vba() -> dict[str, str]:
    """What the add-in's VBA must be: every macros/*.bas plus the module generated from the messages table."""
    sources = {path.stem: path.read_text(encoding="utf-8") for path in MACROS.glob("*.bas")}
    sources[MODULE_NAME] = vba_module(parse_messages((MACROS / MESSAGES_FILE).read_text(encoding="utf-8")))
    return sources


def without_attributes(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line for line in lines if not line.startswith("Attribute VB_")).strip("\n")


def assert_vba_equals_macros(addin: Path) -> None:
    """The add-in's VBA read back with olevba is macros/ (Attribute lines aside) and Excel's two document modules."""
    found, expected = read_vba(addin), expected_vba()
    assert set(found) - set(expected) == {"ThisWorkbook", "Sheet1"}
    for name, text in expected.items():
        assert without_attributes(found[name]) == without_attributes(text), name
