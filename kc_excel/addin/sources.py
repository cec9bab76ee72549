"""The add-in's text sources in ``macros/``: VBA modules, ribbon XML, settings sheet.

``macros/`` holds:

- ``*.bas``: VBA standard modules, ASCII only (the VBA project stores source in
  a Windows code page; Vietnamese text is written ``\\uXXXX`` and decoded by
  ``KcTienIch.U``). ``xlwings.bas`` is xlwings' own custom add-in module
  (BSD licence), verbatim except ``PROJECT_NAME = "xlwings"`` and its two error
  dialogs, which show kc-excel's Vietnamese messages (``KcBao`` of ``KcTienIch.bas``).
- ``customUI14.xml``: the ribbon tab (Office 2010 ``customUI`` schema).
- ``xlwings_conf.tsv``: the ``xlwings.conf`` settings sheet, ``KEY<TAB>VALUE``.
- ``thong_diep.tsv``: the add-in's Vietnamese messages in Unicode, from which
  :mod:`kc_excel.addin.messages` generates the module ``ThongDiep``.

:func:`load_sources` reads them and checks what can be checked without Excel:
every ``onAction`` names a ``Sub X(control As IRibbonControl)`` of a module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

from kc_excel.addin.messages import MESSAGES_FILE, MODULE_NAME, parse_messages, vba_module
from kc_excel.errors import ConfigError

CUSTOMUI_FILE = "customUI14.xml"
SETTINGS_FILE = "xlwings_conf.tsv"
SETTINGS_SHEET = "xlwings.conf"

_CALLBACK = re.compile(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(\s*control\s+As\s+IRibbonControl\s*\)",
                       re.IGNORECASE | re.MULTILINE)
_RUNPYTHON = re.compile(r'RunPython\s*\(?\s*"import kc_excel\.ribbon; kc_excel\.ribbon\.(\w+)\(\)"')
_VB_NAME = re.compile(r'^Attribute VB_Name = "(\w+)"', re.MULTILINE)


@dataclass(frozen=True)
class MacroSources:
    """The contents of ``macros/``, line endings normalised to ``\\n``."""

    directory: Path
    modules: dict[str, str]
    customui: str
    settings: tuple[tuple[str, str], ...]
    actions: tuple[str, ...] = field(default=())

    def callbacks(self) -> dict[str, str]:
        """Ribbon callback Sub name → module name."""
        found: dict[str, str] = {}
        for module, text in self.modules.items():
            for name in _CALLBACK.findall(text):
                found[name] = module
        return found

    def python_targets(self) -> dict[str, str]:
        """Callback Sub name → the kc_excel.ribbon function its RunPython calls."""
        targets: dict[str, str] = {}
        for text in self.modules.values():
            for sub, body in _sub_bodies(text):
                for function in _RUNPYTHON.findall(body):
                    targets[sub] = function
        return targets


def _sub_bodies(text: str) -> list[tuple[str, str]]:
    bodies = []
    for match in _CALLBACK.finditer(text):
        end = text.find("End Sub", match.end())
        bodies.append((match.group(1), text[match.end():end]))
    return bodies


PACKAGED_MACROS = Path(__file__).resolve().parent / "macros"
"""Where a built wheel carries a copy of ``macros/`` (``setup.py`` copies it at build time)."""


def find_macros_dir(explicit: str | Path | None = None) -> Path:
    """``explicit``, else the copy inside an installed wheel, else ``macros/`` of the source
    checkout, else ``./macros``."""
    candidates = [Path(explicit)] if explicit else [
        PACKAGED_MACROS, Path(__file__).resolve().parents[2] / "macros", Path.cwd() / "macros"]
    for candidate in candidates:
        if (candidate / CUSTOMUI_FILE).is_file():
            return candidate
    raise ConfigError(
        f"Không tìm thấy thư mục macros/ (cần {CUSTOMUI_FILE} và các tệp .bas): "
        f"{', '.join(str(c) for c in candidates)}. Chạy lệnh từ thư mục mã nguồn kc-excel "
        "hoặc chỉ rõ bằng --macros.",
        message_en=f"macros/ not found (looked in {', '.join(str(c) for c in candidates)}); use --macros.")


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _module(path: Path) -> tuple[str, str]:
    text = _read_text(path)
    if not text.isascii():
        line = next(i for i, row in enumerate(text.split("\n"), 1) if not row.isascii())
        raise ConfigError(f"{path.name} dòng {line}: mã VBA chỉ được chứa ký tự ASCII "
                          "(viết chữ Việt dạng \\uXXXX và giải mã bằng U()).",
                          message_en=f"{path.name} line {line}: VBA source must be ASCII.")
    named = _VB_NAME.search(text)
    if named is None or named.group(1) != path.stem:
        raise ConfigError(f'{path.name}: dòng đầu phải là Attribute VB_Name = "{path.stem}".',
                          message_en=f'{path.name}: first line must be Attribute VB_Name = "{path.stem}".')
    return path.stem, text


def parse_settings(text: str) -> tuple[tuple[str, str], ...]:
    """``KEY<TAB>VALUE`` lines; ``#`` comments and blank lines skipped."""
    rows = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("\t")
        if not sep or not key.strip():
            raise ConfigError(f"{SETTINGS_FILE} dòng {number}: cần dạng KHÓA<Tab>GIÁ TRỊ.",
                              message_en=f"{SETTINGS_FILE} line {number}: expected KEY<TAB>VALUE.")
        rows.append((key.strip(), value.strip()))
    return tuple(rows)


def ribbon_actions(customui: str) -> tuple[str, ...]:
    """Every ``onAction`` of the ribbon XML, in document order."""
    root = ElementTree.fromstring(customui.encode("utf-8"))
    return tuple(element.attrib["onAction"] for element in root.iter() if "onAction" in element.attrib)


def load_sources(directory: str | Path | None = None) -> MacroSources:
    """Read ``macros/`` and check that every ribbon action has its VBA callback."""
    folder = find_macros_dir(directory)
    modules = dict(_module(path) for path in sorted(folder.glob("*.bas")))
    if MODULE_NAME in modules:
        raise ConfigError(f"{MODULE_NAME}.bas được tạo từ {MESSAGES_FILE}: xóa tệp .bas, sửa bảng.",
                          message_en=f"{MODULE_NAME}.bas is generated from {MESSAGES_FILE}; remove it.")
    modules[MODULE_NAME] = vba_module(parse_messages(_read_text(folder / MESSAGES_FILE)))
    customui = _read_text(folder / CUSTOMUI_FILE)
    settings = parse_settings(_read_text(folder / SETTINGS_FILE))
    sources = MacroSources(folder, modules, customui, settings, ribbon_actions(customui))
    missing = [action for action in sources.actions if action not in sources.callbacks()]
    if missing:
        raise ConfigError(f"{CUSTOMUI_FILE}: onAction không có Sub tương ứng trong macros/*.bas: "
                          f"{', '.join(missing)}.",
                          message_en=f"{CUSTOMUI_FILE}: onAction without a VBA callback: {', '.join(missing)}.")
    return sources
