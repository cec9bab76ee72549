"""Build ``kc_excel.xlam`` from ``macros/``, reproducibly (same sources → same bytes).

The VBA project (``xl/vbaProject.bin``) is written by pyOpenVBA: it starts
from the empty add-in pyOpenVBA ships (captured from Excel, with the document
modules ``ThisWorkbook`` and ``Sheet1``), drops its ``Module1`` and adds every
``macros/*.bas`` in name order. The rest of the package is text from
:mod:`kc_excel.addin.package`. Zip entries are sorted, stamped 1980-01-01 and
written with fixed attributes, so two builds of the same sources are
byte-identical. The output is written to a temporary file and renamed: never a
partial add-in.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from kc_excel.addin import package
from kc_excel.addin.sources import SETTINGS_SHEET, MacroSources, load_sources
from kc_excel.outputs import write_atomically

ADDIN_NAME = "kc_excel.xlam"
DEFAULT_OUT_DIR = Path("build") / "addin"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def vba_project_bin(modules: dict[str, str]) -> bytes:
    """A VBA project holding ``modules`` (name → source with its Attribute header)."""
    # heavy: pyopenvba (+0.18 s) only for the build, not for the ribbon, which imports kc_excel.addin
    from pyopenvba import ExcelFile

    with tempfile.TemporaryDirectory(prefix="kc-vba-") as tmp:
        blank, built = Path(tmp) / "blank.xlam", Path(tmp) / "built.xlam"
        book = ExcelFile.create_new(blank)
        try:
            project = book.vba_project()
            project.delete_module("Module1")
            for name in sorted(modules):
                project.add_module(name, modules[name].replace("\n", "\r\n"))
            book.save(built)
        finally:
            book.close()
        with zipfile.ZipFile(built) as archive:
            return archive.read("xl/vbaProject.bin")


def package_parts(sources: MacroSources, extra_settings: dict[str, str] | None = None) -> dict[str, bytes]:
    """Every part of the add-in package, by part name."""
    settings = dict(sources.settings)
    settings.update(extra_settings or {})
    text_parts = {
        "[Content_Types].xml": package.CONTENT_TYPES,
        "_rels/.rels": package.ROOT_RELS,
        "customUI/customUI14.xml": sources.customui,
        "docProps/app.xml": package.APP,
        "docProps/core.xml": package.CORE,
        "xl/_rels/workbook.xml.rels": package.WORKBOOK_RELS,
        "xl/styles.xml": package.STYLES,
        "xl/workbook.xml": package.workbook(SETTINGS_SHEET),
        "xl/worksheets/sheet1.xml": package.settings_sheet(tuple(settings.items())),
    }
    parts = {name: text.encode("utf-8") for name, text in text_parts.items()}
    parts["xl/vbaProject.bin"] = vba_project_bin(sources.modules)
    return parts


def write_package(parts: dict[str, bytes], target: Path) -> None:
    """Zip ``parts`` deterministically into ``target`` (atomically)."""
    write_atomically(target, lambda temporary: _zip_parts(parts, temporary))


def _zip_parts(parts: dict[str, bytes], temporary: Path) -> None:
    with zipfile.ZipFile(temporary, "w") as archive:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, parts[name], compresslevel=9)


def build_addin(out_dir: str | Path = DEFAULT_OUT_DIR, *, macros_dir: str | Path | None = None,
                extra_settings: dict[str, str] | None = None, name: str = ADDIN_NAME) -> Path:
    """Build the add-in into ``out_dir``; return its path.

    ``extra_settings`` adds rows to the ``xlwings.conf`` sheet (the installer
    uses it for ``INTERPRETER_WIN``).
    """
    sources = load_sources(macros_dir)
    target = Path(out_dir) / name
    write_package(package_parts(sources, extra_settings), target)
    return target
