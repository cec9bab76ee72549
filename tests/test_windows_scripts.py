"""CaiDat.cmd / GoCaiDat.cmd of the offline package, checked statically (they run on Windows only).

Every path is quoted (profile folders hold spaces and Vietnamese letters), the
console is switched to UTF-8 before any Vietnamese text, nothing reaches the
network, and every write lands under %LOCALAPPDATA% or %APPDATA%.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WINDOWS = Path(__file__).resolve().parent.parent / "windows"
SCRIPTS = ("CaiDat.cmd", "GoCaiDat.cmd")
PATH_VARIABLES = re.compile(r"%(?:~dp0|~1|LOCALAPPDATA|APPDATA|USERPROFILE|KC_(?:GOI|NHA|VENV|PY|LOG|ADDIN|XLSTART))%",
                            re.IGNORECASE)
NETWORK = re.compile(r"\b(?:curl|wget|bitsadmin|powershell|pwsh|certutil|ftp|tftp|Invoke-WebRequest|net\s+use)\b|"
                     r"https?://|\\\\\\\\", re.IGNORECASE)
SET_LINE = re.compile(r'^set "(\w+)=(.*)"$')


def _commands(name: str) -> list[str]:
    lines = (WINDOWS / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not re.match(r"(?i)^(rem\b|::|@echo off)", line.strip())]


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', '""', line)


def _variables(name: str) -> dict[str, str]:
    return {m.group(1).upper(): m.group(2) for line in _commands(name) if (m := SET_LINE.match(line))}


def _expand(text: str, variables: dict[str, str]) -> str:
    for _ in range(5):
        text = re.sub(r"%(\w+)%", lambda m: variables.get(m.group(1).upper(), m.group(0)), text)
    return text


def _written_targets(line: str) -> list[str]:
    """Paths a command line writes: redirections, mkdir/del/rmdir targets, ``-m venv`` targets."""
    targets = re.findall(r'(?<!\^)>>?\s*("[^"]*"|[^\s"]+)', line)
    command = re.match(r'(?i)^(?:if (?:not )?exist "[^"]*" )?(mkdir|md|del|erase|rmdir|rd|copy|xcopy|move|ren)\b(.*)$',
                       line)
    if command:
        targets += re.findall(r'"[^"]*"|[^\s"]+', command.group(2))[-1:]
    venv = re.search(r'-m venv(?: --\w+)* ("[^"]*")', line)
    if venv:
        targets.append(venv.group(1))
    return targets


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_path_is_quoted(name):
    unquoted = [line for line in _commands(name) if not line.startswith("echo")
                and PATH_VARIABLES.search(_outside_quotes(line))]
    assert unquoted == []
    # %~dp0 ends with a backslash: quoted bare it would escape the closing quote for Python.
    assert [line for line in _commands(name) if '"%KC_GOI%"' in line or '"%~dp0"' in line] == []


@pytest.mark.parametrize("name", SCRIPTS)
def test_utf8_console_before_any_vietnamese_text(name):
    raw = (WINDOWS / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # cmd would run the BOM as part of "@echo off"
    lines = raw.decode("utf-8").splitlines()
    chcp = next(i for i, line in enumerate(lines) if line.strip() == "chcp 65001 >nul")
    assert all(line.isascii() for line in lines[:chcp + 1])
    assert any(not line.isascii() for line in lines[chcp:])  # it does speak Vietnamese


@pytest.mark.parametrize("name", SCRIPTS)
def test_no_network_command(name):
    assert [line for line in _commands(name) if NETWORK.search(line)] == []
    assert [line for line in _commands(name) if re.search(r"(?i)\b(reg|setx|runas|schtasks)\b", line)
            and not line.startswith("echo")] == []


@pytest.mark.parametrize("name", SCRIPTS)
def test_writes_only_under_localappdata_or_appdata(name):
    variables = _variables(name)
    targets = [target for line in _commands(name) for target in _written_targets(line)]
    assert targets  # the check sees the writes
    outside = [t for t in targets if t not in {"nul", "&1"} and not re.match(r'^"%(LOCALAPPDATA|APPDATA)%\\',
                                                                    _expand(t, variables))]
    assert outside == []


def test_installer_installs_offline_with_hashes_from_its_own_folder():
    pip = [line for line in _commands("CaiDat.cmd") if " -m pip " in line]
    assert len(pip) == 1
    flags = ("--no-index", "--no-cache-dir", "--require-hashes", '--find-links "%KC_GOI%wheelhouse"')
    assert all(flag in pip[0] for flag in flags)
    variables = _variables("CaiDat.cmd")
    assert variables["PIP_NO_INDEX"] == "1" and variables["PYTHONUTF8"] == "1"
    assert variables["KC_VENV"] == r"%LOCALAPPDATA%\kc-excel\venv"
    text = "\n".join(_commands("CaiDat.cmd"))
    assert "py -3.12-64" in text and "py -3.11-64" in text and '"%~1" -m venv' in text
    assert '-m kc_excel.addin.caidat --addin "%KC_GOI%kc_excel.xlam"' in text


def test_uninstaller_removes_what_the_installer_wrote():
    variables = _variables("GoCaiDat.cmd")
    removed = {_expand(t, variables) for line in _commands("GoCaiDat.cmd") for t in _written_targets(line)}
    assert {r'"%LOCALAPPDATA%\kc-excel"', r'"%APPDATA%\Microsoft\AddIns\kc_excel.xlam"'} <= removed
    assert _variables("CaiDat.cmd")["KC_NHA"] == r"%LOCALAPPDATA%\kc-excel"
