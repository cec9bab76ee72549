"""LibreOffice headless, as the real spreadsheet application behind tests and ``--pdf``.

:func:`convert` runs ``soffice --headless --convert-to`` in a private,
throw-away user profile (so parallel runs never share a lock), with formulas
recalculated on load (``OOXMLRecalcMode``/``ODFRecalcMode`` = always), the
Vietnamese locale (``ooSetupSystemLocale`` = vi-VN: every PDF prints
"15.771" and "40,00%", whatever the machine's LANG) and a time limit. It is an adapter: the core never needs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kc_excel.errors import ConfigError, OutputError
from kc_excel.outputs import make_way_for_pdf, write_atomically

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>{macro_level}</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    """The path of ``soffice``/``libreoffice``, or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
                      r"C:\Program Files\LibreOffice\program\soffice.exe"):
        if Path(candidate).exists():
            return candidate
    return None


def _profile(directory: Path, *, allow_macros: bool) -> str:
    user = directory / "user"
    user.mkdir(parents=True, exist_ok=True)
    level = 0 if allow_macros else 3
    (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS.format(macro_level=level), encoding="utf-8")
    return directory.resolve().as_uri()


def run_soffice(args: list[str], *, timeout: float = 180, allow_macros: bool = False) -> subprocess.CompletedProcess:
    """Run soffice headless with a private profile; raise ConfigError if it is missing."""
    soffice = find_soffice()
    if soffice is None:
        raise ConfigError("Chưa cài LibreOffice (soffice); không thể thực hiện thao tác này.",
                          message_en="LibreOffice (soffice) is not installed.")
    with tempfile.TemporaryDirectory(prefix="kc-lo-") as profile:
        command = [soffice, f"-env:UserInstallation={_profile(Path(profile), allow_macros=allow_macros)}",
                   "--headless", "--norestore", "--nolockcheck", "--nodefault", *args]
        env = {**os.environ, "HOME": profile}
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def convert(source: str | Path, to: str, out_dir: str | Path, *, timeout: float = 180) -> Path:
    """Convert ``source`` with LibreOffice (``to`` like "xlsx", "ods", "pdf", 'csv:...'); return the new file.

    Formulas are recalculated on load, so an xlsx → xlsx round trip gives
    the values LibreOffice computes.
    """
    source, out_dir = Path(source), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = run_soffice(["--convert-to", to, "--outdir", str(out_dir), str(source)], timeout=timeout)
    extension = to.split(":", 1)[0]
    produced = out_dir / f"{source.stem}.{extension}"
    if result.returncode != 0 or not produced.exists():
        raise OutputError(f"LibreOffice không chuyển được tệp {source.name} sang {extension}: "
                          f"{(result.stderr or result.stdout).strip()[:300]}",
                          path=produced,
                          message_en=f"LibreOffice could not convert {source.name} to {extension}.")
    return produced


def write_pdf(xlsx: str | Path, pdf: str | Path, *, timeout: float = 180) -> Path:
    """The PDF of a workbook, written atomically at ``pdf`` (ConfigError when LibreOffice is missing)."""
    make_way_for_pdf(pdf)  # only an earlier PDF is replaced
    with tempfile.TemporaryDirectory(prefix="kc-pdf-") as tmp:
        produced = convert(xlsx, "pdf", tmp, timeout=timeout)
        return write_atomically(pdf, lambda temp: shutil.copyfile(produced, temp))
