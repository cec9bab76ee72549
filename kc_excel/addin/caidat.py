"""The last step of ``CaiDat.cmd`` (offline package): put the add-in in place for this user.

``CaiDat.cmd`` creates ``%LOCALAPPDATA%\\kc-excel\\venv``, installs the wheels and
then runs, with the virtual environment's Python::

    python -m kc_excel.addin.caidat --addin "<package>\\kc_excel.xlam"

which copies the add-in into ``%APPDATA%\\Microsoft\\AddIns`` with
``INTERPRETER_WIN`` = this environment's ``pythonw.exe`` and prints, in
Vietnamese, what was done and what to click in Excel.

A profile folder with Vietnamese letters (``C:\\Users\\Nguyễn Văn A``) breaks
xlwings: its VBA checks the interpreter with ``GetAttr`` and reads settings
through the Windows code page, neither of which takes such letters. So the
interpreter is written as its 8.3 short path (``C:\\Users\\NGUYNV~1\\...``),
which is ASCII; when Windows keeps no short names the step stops with a message
saying what to do, instead of installing an add-in that cannot start Python.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from kc_excel.addin.install import ENABLE_STEPS_VI, install_prebuilt_addin
from kc_excel.errors import ConfigError

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
    import ctypes

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kc_excel.addin.caidat",
                                     description="Cài add-in kc_excel.xlam cho người dùng này (CaiDat.cmd).")
    parser.add_argument("--addin", type=Path, required=True, help="tệp kc_excel.xlam của gói cài đặt")
    parser.add_argument("--xlstart", action="store_true", help="chép vào XLSTART (Excel tự mở add-in)")
    args = parser.parse_args(argv)
    try:
        interpreter = excel_safe_path(excel_interpreter(Path(sys.executable)))
        target = install_prebuilt_addin(args.addin, interpreter, xlstart=args.xlstart)
    except ConfigError as error:
        print(f"LỖI: {error}", file=sys.stderr)
        return 2
    print(f"Đã chép add-in vào: {target}\nAdd-in sẽ chạy Python: {interpreter}\n\n{ENABLE_STEPS_VI}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
