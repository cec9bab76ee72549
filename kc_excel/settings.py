"""Where kc-excel keeps its per-user files, worked out from an environment the caller hands in.

Only the edges read ``os.environ`` (the CLI in :mod:`kc_excel.cli`, the add-in's
entry points :mod:`kc_excel.ribbon` and :mod:`kc_excel.udfs`); they pass it here
and hand the folders (or what was loaded from them) down as keyword arguments.

==========================  ===========================================================
``KC_EXCEL_CONFIG``          config folder (the province key); else ``%APPDATA%\\kc-excel``
                             on Windows, ``$XDG_CONFIG_HOME/kc-excel`` or ``~/.config/kc-excel``
``KC_EXCEL_CACHE_DIR``       result cache; else ``%LOCALAPPDATA%\\kc-excel\\cache`` on Windows,
                             ``$XDG_CACHE_HOME/kc-excel`` or ``~/.cache/kc-excel``
==========================  ===========================================================

One test hook stays where it acts: ``KC_EXCEL_FAULT_INJECTION=1`` is read by the reader sandbox
(:mod:`kc_excel.workbook.sandbox`) so that end-to-end tests of a CLI run in a subprocess can make a
reader abort or hang; it is no user setting and changes nothing unless a file starts with ``KC-FAULT:``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from kc_excel.signing import load_key

WINDOWS = os.name == "nt"


def config_dir(environ: Mapping[str, str], *, windows: bool = WINDOWS) -> Path:
    """``$KC_EXCEL_CONFIG`` or the platform's per-user config folder."""
    if environ.get("KC_EXCEL_CONFIG"):
        return Path(environ["KC_EXCEL_CONFIG"])
    if windows and environ.get("APPDATA"):
        return Path(environ["APPDATA"]) / "kc-excel"
    return Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "kc-excel"


def cache_dir(environ: Mapping[str, str], *, windows: bool = WINDOWS) -> Path:
    """``$KC_EXCEL_CACHE_DIR`` or the platform's per-user cache folder."""
    if environ.get("KC_EXCEL_CACHE_DIR"):
        return Path(environ["KC_EXCEL_CACHE_DIR"])
    if windows and environ.get("LOCALAPPDATA"):
        return Path(environ["LOCALAPPDATA"]) / "kc-excel" / "cache"
    return Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kc-excel"


def province_key(environ: Mapping[str, str], *, windows: bool = WINDOWS) -> bytes | None:
    """The province key of this machine's config folder, None when it has none yet; a damaged key file is a
    ConfigError (exit 2), raised before any work starts."""
    return load_key(config_dir(environ, windows=windows))
