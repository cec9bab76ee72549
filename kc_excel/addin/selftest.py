"""Run the add-in's VBA self-test (``macros/SelfTest.bas``) in LibreOffice headless.

LibreOffice imports the VBA of an Excel file into the Basic library
``VBAProject`` (``Option VBASupport 1``) and can run it. Two things get in the
way on the command line: ``--convert-to`` loads documents with macros
disabled, and a document-macro URL given on the command line is not run
reliably. So this module starts soffice with a private, throw-away profile
whose application Basic library holds a small launcher (``KcLauncher.Main``):
it loads a copy of the add-in hidden (a visible load fails headless), with
``MacroExecutionMode = ALWAYS_EXECUTE_NO_WARN`` and the filter
"Calc MS Excel 2007 VBA XML" (LibreOffice does not detect ``.xlam`` by
itself), invokes the document script
``vnd.sun.star.script:VBAProject.SelfTest.Run?language=Basic&location=document``
through the document's script provider, and quits. ``SelfTest.Run`` writes
``key=value`` lines to the file named by ``KC_SELFTEST_OUT``.

Used by the tests; it is an adapter and the core never needs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from kc_excel.errors import ConfigError
from kc_excel.libreoffice import find_soffice

SELFTEST_SCRIPT = "vnd.sun.star.script:VBAProject.SelfTest.Run?language=Basic&location=document"
EXCEL_VBA_FILTER = "Calc MS Excel 2007 VBA XML"

_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" library:link="false"/>
</library:libraries>
"""
_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">{elements}</library:library>
"""
_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="KcLauncher" script:language="StarBasic" script:moduletype="normal">{code}</script:module>
"""
_LAUNCHER = """
Sub Main
  On Error GoTo fail
  Dim args(2) As New com.sun.star.beans.PropertyValue
  args(0).Name = "MacroExecutionMode"
  args(0).Value = 4
  args(1).Name = "FilterName"
  args(1).Value = "{filter}"
  args(2).Name = "Hidden"
  args(2).Value = True
  Dim doc As Object
  doc = StarDesktop.loadComponentFromURL("{url}", "_blank", 0, args())
  If IsNull(doc) Then
    Report("the add-in could not be loaded")
  Else
    doc.getScriptProvider().getScript("{script}").invoke(Array(), Array(), Array())
    doc.close(True)
  End If
  StarDesktop.terminate()
  Exit Sub
fail:
  Report("error " &amp; Err &amp; ": " &amp; Error$ &amp; " (line " &amp; Erl &amp; ")")
  StarDesktop.terminate()
End Sub

Sub Report(message As String)
  Dim f As Integer
  f = FreeFile
  Open "{errors}" For Output As #f
  Print #f, message
  Close #f
End Sub
"""
_SECURITY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@dataclass(frozen=True)
class SelfTestResult:
    """What the self-test wrote (``key=value`` lines), and what went wrong if anything."""

    values: dict[str, str]
    error: str
    returncode: int
    stderr: str


def _basic_string(text: str) -> str:
    return escape(text.replace('"', '""'))


def _write_profile(profile: Path, document: Path, errors: Path) -> None:
    basic = profile / "user" / "basic"
    (basic / "Standard").mkdir(parents=True, exist_ok=True)
    for name in ("script.xlc", "dialog.xlc"):
        (basic / name).write_text(_LIBRARIES, encoding="utf-8")
    (basic / "Standard" / "dialog.xlb").write_text(_LIBRARY.format(elements=""), encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(
        _LIBRARY.format(elements='\n <library:element library:name="KcLauncher"/>\n'), encoding="utf-8")
    code = _LAUNCHER.format(filter=_basic_string(EXCEL_VBA_FILTER), url=_basic_string(document.as_uri()),
                            script=_basic_string(SELFTEST_SCRIPT), errors=_basic_string(str(errors)))
    (basic / "Standard" / "KcLauncher.xba").write_text(_MODULE.format(code=code), encoding="utf-8")


def _parse(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lines = path.read_text(encoding="latin-1").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def run_vba_selftest(addin: str | Path, *, timeout: float = 180) -> SelfTestResult:
    """Run ``SelfTest.Run`` of ``addin`` in LibreOffice headless; raise ConfigError without soffice."""
    soffice = find_soffice()
    if soffice is None:
        raise ConfigError("Chưa cài LibreOffice (soffice); không chạy được tự kiểm tra VBA.",
                          message_en="LibreOffice (soffice) is not installed.")
    with tempfile.TemporaryDirectory(prefix="kc-vba-selftest-") as tmp:
        work = Path(tmp)
        document = work / Path(addin).name
        shutil.copyfile(addin, document)
        output, errors, profile = work / "selftest.txt", work / "errors.txt", work / "profile"
        base = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                "--norestore", "--nolockcheck"]
        env = {**os.environ, "HOME": str(profile), "KC_SELFTEST_OUT": str(output)}
        # A fresh profile runs no macro on its first start: initialise it (with low macro
        # security), then add the launcher library and start again.
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_SECURITY, encoding="utf-8")
        subprocess.run([*base, "--terminate_after_init"], capture_output=True, text=True,
                       timeout=timeout, env=env, check=False)
        _write_profile(profile, document, errors)
        done = subprocess.run([*base, "macro:///Standard.KcLauncher.Main"], capture_output=True, text=True,
                              timeout=timeout, env=env, check=False)
        error = errors.read_text(encoding="latin-1").strip() if errors.exists() else ""
        return SelfTestResult(_parse(output), error, done.returncode, done.stderr)
