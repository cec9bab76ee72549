"""Install ``kc_excel.xlam`` for the current Windows user (no administrator rights needed).

What :func:`install_addin` does:

1. builds the add-in from ``macros/`` straight into the user's add-in folder,
   ``%APPDATA%\\Microsoft\\AddIns`` (a default trusted location of Excel), or,
   with ``xlstart=True``, into ``%APPDATA%\\Microsoft\\Excel\\XLSTART`` (Excel then
   opens it at every start, without ticking it in the Add-ins dialog: for
   computers where that dialog is locked by policy). The ``xlwings.conf`` sheet
   of the installed copy gets ``INTERPRETER_WIN`` = the running Python;
2. writes ``INTERPRETER_WIN`` (and ``UDF MODULES`` unless already set for
   another project) to the user's xlwings settings file
   ``%USERPROFILE%\\.xlwings\\xlwings.conf`` (lines ``"KEY","VALUE"``, the format
   xlwings' VBA ``GetConfigFromFile`` and Python ``read_user_config`` read).

Enabling it in Excel (File > Options > Add-ins > Go… > tick kc_excel) and
allowing "Trust access to the VBA project object model" stay manual steps:
:data:`ENABLE_STEPS_VI` says how. Functions take the environment and home
folder as arguments, so they are tested on any OS.
"""

from __future__ import annotations

import locale
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from defusedxml import ElementTree

from kc_excel.addin import package
from kc_excel.addin.build import ADDIN_NAME, build_addin, write_package
from kc_excel.errors import ConfigError
from kc_excel.foreign_errors import BROKEN_ZIP

UDF_MODULES_KEY = "UDF MODULES"
INTERPRETER_KEY = "INTERPRETER_WIN"
UDF_MODULE = "kc_excel.udfs"
_LINE = re.compile(r'^"([^"]*)","([^"]*)"\s*$')

ENABLE_STEPS_VI = """Bật add-in trong Excel (làm một lần):
  1. Mở Excel > Tệp (File) > Tùy chọn (Options) > Bổ trợ (Add-ins).
  2. Ở ô Quản lý (Manage) chọn "Bổ trợ Excel" (Excel Add-ins) > Đi (Go…).
  3. Đánh dấu "Kc_excel" (nếu chưa có: Duyệt (Browse…) tới tệp kc_excel.xlam) > OK.
  4. Tệp > Tùy chọn > Trung tâm Tin cậy > Thiết đặt Trung tâm Tin cậy > Thiết đặt Macro:
     đánh dấu "Tin cậy quyền truy nhập vào mô hình đối tượng dự án VBA"
     (cần cho nút "Nạp công thức KC_*").
  5. Trên thẻ Khuyến công bấm "Nạp công thức KC_*" một lần để dùng các công thức KC_."""

NOT_WINDOWS_VI = """Lệnh "kc-excel addin install" chỉ cài được trên Windows (Excel cho Windows).
Trên máy này hãy:
  1. Tạo add-in: kc-excel addin build -o build/addin
  2. Chép build/addin/kc_excel.xlam sang máy Windows có Excel và Python, cài kc-excel ở đó
     (pip install kc-excel hoặc từ thư mục mã nguồn), rồi chạy: kc-excel addin install
Xem hướng dẫn đầy đủ: docs/huong-dan-su-dung.md"""


@dataclass(frozen=True)
class InstallResult:
    addin: Path
    config: Path


def addin_folder(environ: Mapping[str, str], *, xlstart: bool = False) -> Path:
    """``%APPDATA%\\Microsoft\\AddIns`` (or ``...\\Excel\\XLSTART``)."""
    appdata = environ.get("APPDATA")
    if not appdata:
        raise ConfigError("Không xác định được thư mục %APPDATA% của người dùng.",
                          message_en="%APPDATA% is not set.")
    base = Path(appdata) / "Microsoft"
    return base / "Excel" / "XLSTART" if xlstart else base / "AddIns"


def user_config_path(home: Path) -> Path:
    """xlwings' per-user settings file: ``<home>/.xlwings/xlwings.conf``."""
    return home / ".xlwings" / "xlwings.conf"


def read_user_config(path: Path, *, encoding: str | None = None) -> dict[str, str]:
    """The ``"KEY","VALUE"`` lines of an xlwings settings file (keys as written)."""
    if not path.is_file():
        return {}
    found: dict[str, str] = {}
    for line in path.read_text(encoding=encoding or _config_encoding()).splitlines():
        match = _LINE.match(line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def write_user_config(path: Path, settings: Mapping[str, str], *, keep: tuple[str, ...] = (),
                      encoding: str | None = None) -> dict[str, str]:
    """Merge ``settings`` into the file (keys compared without case); keys in ``keep`` stay if present."""
    current = read_user_config(path, encoding=encoding)
    by_upper = {key.upper(): key for key in current}
    for key, value in settings.items():
        existing = by_upper.get(key.upper())
        if existing is not None and key.upper() in {k.upper() for k in keep}:
            continue
        if '"' in value:
            raise ConfigError(f"Giá trị {key} không được chứa dấu nháy kép: {value}",
                              message_en=f"{key} must not contain a double quote.")
        if existing is not None:
            del current[existing]
        current[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f'"{key}","{value}"\n' for key, value in current.items())
    path.write_text(text, encoding=encoding or _config_encoding())
    return current


def _config_encoding() -> str:
    """xlwings' VBA reads the file in the Windows code page; elsewhere UTF-8."""
    return locale.getpreferredencoding(False) if sys.platform.startswith("win") else "utf-8"


def install_addin(*, environ: Mapping[str, str], home: Path | None = None,
                  interpreter: str | None = None, xlstart: bool = False,
                  macros_dir: str | Path | None = None) -> InstallResult:
    """Build the add-in into the user's add-in folder and point xlwings at ``interpreter``; ``environ`` is the
    caller's environment (``APPDATA``, ``USERPROFILE``), read at the edge."""
    home = Path(environ.get("USERPROFILE") or Path.home()) if home is None else home
    interpreter = interpreter or sys.executable
    target = build_addin(addin_folder(environ, xlstart=xlstart), macros_dir=macros_dir,
                         extra_settings={INTERPRETER_KEY: interpreter}, name=ADDIN_NAME)
    config = user_config_path(home)
    write_user_config(config, {INTERPRETER_KEY: interpreter, UDF_MODULES_KEY: UDF_MODULE},
                      keep=(UDF_MODULES_KEY,))
    return InstallResult(target, config)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SETTINGS_PART = "xl/worksheets/sheet1.xml"


def addin_settings(parts: Mapping[str, bytes]) -> tuple[tuple[str, str], ...]:
    """The ``(key, value)`` rows of a built add-in's ``xlwings.conf`` sheet."""
    rows = []
    for row in ElementTree.fromstring(parts[_SETTINGS_PART]).iter(f"{_MAIN_NS}row"):
        cells = ["".join(text.text or "" for text in cell.iter(f"{_MAIN_NS}t"))
                 for cell in row.iter(f"{_MAIN_NS}c")]
        if len(cells) == 2:
            rows.append((cells[0], cells[1]))
    return tuple(rows)


def install_prebuilt_addin(source: Path, settings: Mapping[str, str], *, environ: Mapping[str, str],
                           xlstart: bool = False) -> Path:
    """Copy the built add-in ``source`` into the user's add-in folder, ``settings`` added to its ``xlwings.conf`` sheet.

    Used by ``CaiDat.cmd`` of the offline package (``INTERPRETER_WIN``, ``TEMP DIR``):
    the VBA project is kept byte for byte; only the settings sheet changes. The copy is
    written by Python, so it carries no mark of the web even when the package was downloaded. ``environ`` is
    the caller's environment (``APPDATA``), read at the edge.
    """
    try:
        with zipfile.ZipFile(source) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        merged = dict(addin_settings(parts))
    except (KeyError, *BROKEN_ZIP) as error:
        raise ConfigError(f"Không đọc được add-in {source}: {error}. Hãy giải nén lại cả gói cài đặt.",
                          message_en=f"Cannot read the add-in {source}: {error}.") from error
    merged.update(settings)
    parts[_SETTINGS_PART] = package.settings_sheet(tuple(merged.items())).encode("utf-8")
    target = addin_folder(environ, xlstart=xlstart) / ADDIN_NAME
    write_package(parts, target)
    return target
