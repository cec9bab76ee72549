"""The last step of ``CaiDat.cmd`` (offline package): put the add-in in place for this user.

``CaiDat.cmd`` creates ``%LOCALAPPDATA%\\kc-excel\\venv``, installs the wheels and
then runs, with the virtual environment's Python::

    python -m kc_excel.addin.caidat --addin "<package>\\kc_excel.xlam"

which copies the add-in into ``%APPDATA%\\Microsoft\\AddIns`` with
``INTERPRETER_WIN`` = this environment's ``pythonw.exe`` and ``TEMP DIR`` =
``%LOCALAPPDATA%\\kc-excel\\tam`` (where xlwings writes Python's error log), and
prints, in Vietnamese, what was done and what to click in Excel.

A profile folder with Vietnamese letters (``C:\\Users\\Nguyễn Văn A``) breaks
xlwings: its VBA checks the interpreter with ``GetAttr``, takes its temporary
folder from ``Environ("Temp")`` and opens the log with ``Open``, all through the
Windows code page, which cannot hold such letters. So both paths are written as
their 8.3 short form (``C:\\Users\\NGUYNV~1\\...``), which is ASCII; when Windows
keeps no short names the step stops with a message saying what to do, instead of
installing an add-in that cannot start Python.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from pathlib import Path
from typing import Callable, Mapping

from kc_excel.addin.install import ENABLE_STEPS_VI, INTERPRETER_KEY, install_prebuilt_addin
from kc_excel.errors import ConfigError

TEMP_DIR_KEY = "TEMP DIR"  # xlwings' (undocumented) folder for the log of a RunPython call
NO_SHORT_NAME_VI = (
    "Đường dẫn Python có chữ có dấu hoặc ký tự đặc biệt mà Excel (xlwings) không đọc được:\n"
    "  {path}\n"
    "và Windows không có tên ngắn (8.3) cho nó. Hãy nhờ cán bộ IT: cài kc-excel cho một tài khoản "
    "Windows có tên không dấu, hoặc bật tên ngắn 8.3 cho ổ đĩa (fsutil 8dot3name) rồi chạy lại "
    "CaiDat.cmd.")


def windows_short_path(path: Path) -> str | None:
    """Windows' 8.3 short form of an existing ``path`` (``GetShortPathNameW``); None elsewhere or on failure."""
    if not sys.platform.startswith("win"):
        return None
    size = ctypes.windll.kernel32.GetShortPathNameW(str(path), None, 0)
    if size == 0:
        return None
    buffer = ctypes.create_unicode_buffer(size)
    return buffer.value if ctypes.windll.kernel32.GetShortPathNameW(str(path), buffer, size) else None


def excel_safe_path(path: Path, short_path: Callable[[Path], str | None] = windows_short_path) -> str:
    """``path`` as xlwings' VBA can use it: itself when ASCII, else its ASCII short form."""
    text = str(path)
    if text.isascii():
        return text
    short = short_path(path)
    if short and short.isascii():
        return short
    raise ConfigError(NO_SHORT_NAME_VI.format(path=text),
                      message_en=f"The Python path {text} is not ASCII and has no 8.3 short name.")


def excel_interpreter(executable: Path) -> Path:
    """``pythonw.exe`` beside ``executable`` (no console window when Excel runs Python), else ``executable``."""
    windowless = executable.with_name("pythonw.exe")
    return windowless if windowless.is_file() else executable


def excel_settings(executable: Path, environ: Mapping[str, str],
                   short_path: Callable[[Path], str | None] = windows_short_path) -> dict[str, str]:
    """``INTERPRETER_WIN`` and ``TEMP DIR`` for the add-in, as paths xlwings' VBA can use.

    Creates the temporary folder ``%LOCALAPPDATA%\\kc-excel\\tam`` (a short name exists
    only for an existing folder).
    """
    local = environ.get("LOCALAPPDATA")
    if not local:
        raise ConfigError("Không xác định được thư mục %LOCALAPPDATA% của người dùng.",
                          message_en="%LOCALAPPDATA% is not set.")
    scratch = Path(local) / "kc-excel" / "tam"
    scratch.mkdir(parents=True, exist_ok=True)
    return {INTERPRETER_KEY: excel_safe_path(excel_interpreter(executable), short_path),
            TEMP_DIR_KEY: excel_safe_path(scratch, short_path)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kc_excel.addin.caidat",
                                     description="Cài add-in kc_excel.xlam cho người dùng này (CaiDat.cmd).")
    parser.add_argument("--addin", type=Path, required=True, help="tệp kc_excel.xlam của gói cài đặt")
    parser.add_argument("--xlstart", action="store_true", help="chép vào XLSTART (Excel tự mở add-in)")
    args = parser.parse_args(argv)
    try:
        settings = excel_settings(Path(sys.executable), os.environ)
        target = install_prebuilt_addin(args.addin, settings, environ=os.environ, xlstart=args.xlstart)
    except ConfigError as error:
        print(f"LỖI: {error}", file=sys.stderr)
        return 2
    print(f"Đã chép add-in vào: {target}\nAdd-in sẽ chạy Python: {settings[INTERPRETER_KEY]}\n\n"
          f"{ENABLE_STEPS_VI}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
