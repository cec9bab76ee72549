"""The add-in step of CaiDat.cmd: the packaged add-in copied for this user, pointed at an ASCII interpreter path."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from kc_excel.addin import build_addin, load_sources
from kc_excel.addin.caidat import TEMP_DIR_KEY, excel_interpreter, excel_safe_path, excel_settings, main
from kc_excel.addin.install import INTERPRETER_KEY, addin_settings, install_prebuilt_addin
from kc_excel.errors import ConfigError

PROFILE = "Nguyễn Văn A"


@pytest.fixture(scope="module")
def addin(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("bundle"))


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_prebuilt_addin_is_copied_with_the_interpreter_and_its_vba_untouched(addin, tmp_path):
    appdata = tmp_path / PROFILE / "AppData" / "Roaming"
    python = r"C:\Users\NGUYNV~1\AppData\Local\kc-excel\venv\Scripts\pythonw.exe"
    target = install_prebuilt_addin(addin, {INTERPRETER_KEY: python}, environ={"APPDATA": str(appdata)})
    assert target == appdata / "Microsoft" / "AddIns" / "kc_excel.xlam"
    before, after = _parts(addin), _parts(target)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert set(after) == set(before)
    assert addin_settings(after) == (*load_sources().settings, (INTERPRETER_KEY, python))
    # Installing again replaces the interpreter instead of adding a second row.
    again = install_prebuilt_addin(target, {INTERPRETER_KEY: "C:\\Other\\pythonw.exe"},
                                   environ={"APPDATA": str(appdata)})
    assert dict(addin_settings(_parts(again)))[INTERPRETER_KEY] == "C:\\Other\\pythonw.exe"
    assert len(addin_settings(_parts(again))) == len(load_sources().settings) + 1


def test_a_broken_addin_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "kc_excel.xlam"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="giải nén lại"):
        install_prebuilt_addin(broken, {INTERPRETER_KEY: "C:\\p.exe"}, environ={"APPDATA": str(tmp_path)})
    assert not (tmp_path / "Microsoft").exists()


def test_ascii_paths_are_kept_and_vietnamese_ones_become_short_names():
    ascii_path = Path(r"C:\Users\canbo\AppData\Local\kc-excel\venv\Scripts\pythonw.exe")
    assert excel_safe_path(ascii_path, short_path=lambda p: pytest.fail("not needed")) == str(ascii_path)
    vietnamese = Path(rf"C:\Users\{PROFILE}\AppData\Local\kc-excel\venv\Scripts\pythonw.exe")
    short = r"C:\Users\NGUYNV~1\AppData\Local\kc-excel\venv\Scripts\pythonw.exe"
    assert excel_safe_path(vietnamese, short_path=lambda p: short) == short


@pytest.mark.parametrize("short", [None, r"C:\Users\Nguyễn Văn A\x.exe"])
def test_without_an_ascii_short_name_the_install_stops_with_advice(short):
    with pytest.raises(ConfigError, match="8.3"):
        excel_safe_path(Path(rf"C:\Users\{PROFILE}\pythonw.exe"), short_path=lambda p: short)


def test_settings_give_xlwings_ascii_interpreter_and_temporary_folder(tmp_path):
    """A Vietnamese profile: both paths are handed to xlwings as their short forms."""
    local = tmp_path / PROFILE / "AppData" / "Local"
    scripts = local / "kc-excel" / "venv" / "Scripts"
    scripts.mkdir(parents=True)
    (scripts / "python.exe").write_bytes(b"")
    (scripts / "pythonw.exe").write_bytes(b"")
    shortened = {scripts / "pythonw.exe": r"C:\Users\NGUYNV~1\AppData\Local\kc-excel\venv\Scripts\pythonw.exe",
                 local / "kc-excel" / "tam": r"C:\Users\NGUYNV~1\AppData\Local\kc-excel\tam"}
    settings = excel_settings(scripts / "python.exe", {"LOCALAPPDATA": str(local)}, short_path=shortened.get)
    assert settings == {INTERPRETER_KEY: shortened[scripts / "pythonw.exe"],
                        TEMP_DIR_KEY: shortened[local / "kc-excel" / "tam"]}
    assert (local / "kc-excel" / "tam").is_dir()
    with pytest.raises(ConfigError, match="LOCALAPPDATA"):
        excel_settings(scripts / "python.exe", {})


def test_windowless_python_is_preferred(tmp_path):
    python = tmp_path / "python.exe"
    python.write_bytes(b"")
    assert excel_interpreter(python) == python
    (tmp_path / "pythonw.exe").write_bytes(b"")
    assert excel_interpreter(python) == tmp_path / "pythonw.exe"


def test_main_installs_and_says_what_to_click(addin, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert main(["--addin", str(addin)]) == 0
    out = capsys.readouterr().out
    assert "Đã chép add-in vào" in out and "Bổ trợ (Add-ins)" in out
    installed = tmp_path / "Roaming" / "Microsoft" / "AddIns" / "kc_excel.xlam"
    settings = dict(addin_settings(_parts(installed)))
    assert settings[TEMP_DIR_KEY] == str(tmp_path / "Local" / "kc-excel" / "tam")
    assert Path(settings[INTERPRETER_KEY]).parent == Path(sys.executable).parent


def test_main_reports_a_missing_addin_in_vietnamese(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert main(["--addin", str(tmp_path / "none.xlam")]) == 2
    assert "LỖI" in capsys.readouterr().err
