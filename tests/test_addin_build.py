"""kc_excel.xlam built from macros/: reproducible, complete, consistent, and its VBA runs (LibreOffice)."""

from __future__ import annotations

import hashlib
import importlib
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree

import xlwings
from addin_helpers import assert_vba_equals_macros
from kc_excel.addin import build_addin, load_sources
from kc_excel.addin.messages import MESSAGES_FILE, dialog_text, parse_messages
from kc_excel.addin.install import (INTERPRETER_KEY, UDF_MODULES_KEY, install_addin, read_user_config,
                                    user_config_path, write_user_config)
from kc_excel.addin.package import ADDIN_CONTENT_TYPE, UI_RELATIONSHIP
from kc_excel.cli import main
from kc_excel.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CALLBACK = re.compile(r"^Sub (\w+)\(control As IRibbonControl\)", re.MULTILINE)


@pytest.fixture(scope="module")
def addin(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- reproducible build ------------------------------------------------------------------------

def test_same_sources_give_byte_identical_addins(addin, tmp_path):
    again = build_addin(tmp_path / "again")
    assert again.name == "kc_excel.xlam"
    assert _sha(again) == _sha(addin)
    with zipfile.ZipFile(addin) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_changed_source_changes_the_addin(addin, tmp_path):
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    path = macros / "SelfTest.bas"
    path.write_text(path.read_text(encoding="utf-8").replace('"done=1"', '"done=2"'), encoding="utf-8")
    changed = build_addin(tmp_path / "out", macros_dir=macros)
    assert _sha(changed) != _sha(addin)


# --- package structure -------------------------------------------------------------------------

def test_package_is_an_addin_with_ribbon_and_settings_sheet(addin):
    with zipfile.ZipFile(addin) as archive:
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
        rels = ElementTree.fromstring(archive.read("_rels/.rels"))
        customui = archive.read("customUI/customUI14.xml").decode("utf-8")
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
        assert archive.read("xl/vbaProject.bin")[:8] == bytes.fromhex("D0CF11E0A1B11AE1")  # a CFB file
    overrides = {o.attrib["PartName"]: o.attrib["ContentType"] for o in types if "PartName" in o.attrib}
    assert overrides["/xl/workbook.xml"] == ADDIN_CONTENT_TYPE
    ui = [r.attrib for r in rels if r.attrib["Type"] == UI_RELATIONSHIP]
    assert [r["Target"] for r in ui] == ["customUI/customUI14.xml"]
    assert customui == (MACROS / "customUI14.xml").read_text(encoding="utf-8")
    assert 'label="Khuyến công"' in customui
    assert [s.attrib["name"] for s in workbook.iter(f"{MAIN_NS}sheet")] == ["xlwings.conf"]
    cells = [t.text for t in sheet.iter(f"{MAIN_NS}t")]
    assert list(zip(cells[::2], cells[1::2])) == list(load_sources().settings)
    assert ("UDF MODULES", "kc_excel.udfs") in load_sources().settings


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # oletools' use of old pyparsing names
def test_vba_read_back_with_olevba_equals_macros(addin):
    assert_vba_equals_macros(addin)


# --- sources agree with each other and with Python ----------------------------------------------

def test_every_ribbon_action_names_a_callback_sub():
    sources = load_sources()
    root = ElementTree.fromstring((MACROS / "customUI14.xml").read_bytes())
    actions = [e.attrib["onAction"] for e in root.iter() if "onAction" in e.attrib]
    subs = {name for text in sources.modules.values() for name in CALLBACK.findall(text)}
    assert len(actions) == 9 and set(actions) <= subs
    assert sources.actions == tuple(actions)


def test_every_runpython_target_exists_in_kc_excel_ribbon():
    ribbon = importlib.import_module("kc_excel.ribbon")
    targets = load_sources().python_targets()
    assert set(targets.values()) == set(ribbon.__all__)
    for function in targets.values():
        assert callable(getattr(ribbon, function))
    # The six buttons of contract §5 and the two of collection rounds each call Python;
    # "Nạp công thức" calls xlwings' importer.
    assert len(targets) == 8


FIXED_RUNPYTHON = re.compile(r'^\s*RunPython "import kc_excel\.ribbon; kc_excel\.ribbon\.\w+\(\)"\s*$')


def test_runpython_calls_are_fixed_strings_never_built_from_user_text():
    """SECURITY.md: no Python code is built by pasting cell or path text into a RunPython call."""
    calls = [(path.name, line) for path in MACROS.glob("*.bas") if path.name != "xlwings.bas"
             for line in path.read_text(encoding="utf-8").splitlines()
             if "RunPython" in line and not line.lstrip().startswith("'")]
    assert len(calls) >= 6
    assert [c for c in calls if not FIXED_RUNPYTHON.match(c[1])] == []


def test_load_sources_rejects_an_action_without_callback(tmp_path):
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    ui = macros / "customUI14.xml"
    ui.write_text(ui.read_text(encoding="utf-8").replace('onAction="KcHuongDan"', 'onAction="KcKhongCo"'),
                  encoding="utf-8")
    with pytest.raises(ConfigError, match="KcKhongCo"):
        load_sources(macros)


def test_vba_sources_must_be_ascii(tmp_path):
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    (macros / "SelfTest.bas").write_text('Attribute VB_Name = "SelfTest"\nSub Run()\n  MsgBox "Đồng"\nEnd Sub\n',
                                         encoding="utf-8")
    with pytest.raises(ConfigError, match="ASCII"):
        load_sources(macros)


def test_xlwings_module_is_xlwings_own_custom_addin_vba():
    installed = Path(xlwings.__file__).parent / "xlwings_custom_addin.bas"
    ours = (MACROS / "xlwings.bas").read_text(encoding="utf-8").split("\n")
    theirs = installed.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    different = [(a, b) for a, b in zip(ours, theirs) if a != b]
    assert len(ours) == len(theirs)
    assert different == [
        ('Public Const PROJECT_NAME As String = "xlwings"', 'Public Const PROJECT_NAME As String = "myaddin"'),
        # The two error dialogs show kc-excel's Vietnamese messages (macros/thong_diep.tsv).
        ('            KcBao "khong-thay-python", vbCritical, PYTHON_WIN  \' kc-excel: Vietnamese '
         '(was "Could not find Interpreter!")', '            MsgBox "Could not find Interpreter!", vbCritical'),
        ('            Content = KcThongDiep("loi-python") & vbCrLf & vbCrLf & Content  \' kc-excel: Vietnamese first',
         '            Content = Content & "Press Ctrl+C to copy this message to the clipboard."'),
        ('            WScript.Popup Content, AUTO_DISMISS, U(KC_TITLE), OK_BUTTON_ERROR  \' kc-excel: was "Error"',
         '            WScript.Popup Content, AUTO_DISMISS, "Error", OK_BUTTON_ERROR')]
    assert "xlwings is distributed under a BSD 3-clause license" in "\n".join(ours)


# --- VBA runs: the self-test in LibreOffice ----------------------------------------------------

@pytest.mark.libreoffice
def test_vba_selftest_runs_in_libreoffice(addin, soffice):
    from kc_excel.addin.selftest import run_vba_selftest

    result = run_vba_selftest(addin)
    assert result.error == "", result.stderr[-2000:]

    def hex_of(text: str) -> str:
        return " ".join(f"{ord(ch):04X}" for ch in text)

    messages = parse_messages((MACROS / MESSAGES_FILE).read_text(encoding="utf-8"))
    assert {"chua-mo-so", "khong-thay-python", "loi-python"} <= set(messages)
    assert "Không tìm thấy Python" in messages["khong-thay-python"] and "CaiDat.cmd" in messages["loi-python"]
    assert result.values == {"u": hex_of("Đồng Nai"), "title": hex_of("Khuyến công"), "hex": "7891",
                             "refers_to": '="C:\\Ke hoach ""2026"""', "settings_sheet": "True", "no_sheet": "False",
                             **{f"msg_{key}": hex_of(dialog_text(text)) for key, text in messages.items()},
                             "done": "1"}


# --- command line and installation --------------------------------------------------------------

def test_cli_build_writes_the_addin(tmp_path, capsys):
    code = main(["addin", "build", "-o", str(tmp_path / "out")])
    assert code == 0
    assert (tmp_path / "out" / "kc_excel.xlam").is_file()
    assert "Đã tạo add-in" in capsys.readouterr().err


def test_cli_build_without_macros_exits_2(tmp_path, capsys):
    code = main(["addin", "build", "-o", str(tmp_path / "out"), "--macros", str(tmp_path / "none")])
    assert code == 2
    assert "macros" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="the non-Windows path")
def test_cli_install_elsewhere_explains_in_vietnamese_and_exits_2(capsys):
    code = main(["addin", "install"])
    err = capsys.readouterr().err
    assert code == 2
    assert "chỉ cài được trên Windows" in err and "kc-excel addin build" in err


def test_addin_commands_have_help(capsys):
    for command in (["addin", "--help"], ["addin", "build", "--help"], ["addin", "install", "--help"]):
        assert main(command) == 0
    out = capsys.readouterr().out
    assert "kc_excel.xlam" in out and "--xlstart" in out


def test_install_copies_addin_and_points_xlwings_at_python(tmp_path):
    appdata, home = tmp_path / "AppData" / "Roaming", tmp_path / "home"
    config = user_config_path(home)
    config.parent.mkdir(parents=True)
    config.write_text('"UDF MODULES","other_project"\n"SHOW CONSOLE","True"\n', encoding="utf-8")
    python = r"C:\Users\canbo\kc\.venv\Scripts\python.exe"
    result = install_addin(environ={"APPDATA": str(appdata)}, home=home, interpreter=python)
    assert result.addin == appdata / "Microsoft" / "AddIns" / "kc_excel.xlam"
    with zipfile.ZipFile(result.addin) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    cells = [t.text for t in sheet.iter(f"{MAIN_NS}t")]
    assert (INTERPRETER_KEY, python) in list(zip(cells[::2], cells[1::2]))
    assert read_user_config(config) == {"UDF MODULES": "other_project", "SHOW CONSOLE": "True",
                                        INTERPRETER_KEY: python}


def test_install_into_xlstart_and_fresh_user_config(tmp_path):
    result = install_addin(environ={"APPDATA": str(tmp_path / "r")}, home=tmp_path / "h",
                           interpreter="C:\\Python\\python.exe", xlstart=True)
    assert result.addin == tmp_path / "r" / "Microsoft" / "Excel" / "XLSTART" / "kc_excel.xlam"
    assert result.config.read_text(encoding="utf-8") == (
        '"INTERPRETER_WIN","C:\\Python\\python.exe"\n"UDF MODULES","kc_excel.udfs"\n')


def test_user_config_merge_replaces_keys_without_case(tmp_path):
    path = tmp_path / ".xlwings" / "xlwings.conf"
    write_user_config(path, {"interpreter_win": "old", "CONDA PATH": "C:\\conda"})
    merged = write_user_config(path, {INTERPRETER_KEY: "new", UDF_MODULES_KEY: "kc_excel.udfs"})
    assert merged == {"CONDA PATH": "C:\\conda", INTERPRETER_KEY: "new", UDF_MODULES_KEY: "kc_excel.udfs"}
    with pytest.raises(ConfigError):
        write_user_config(path, {INTERPRETER_KEY: 'C:\\a"b'})


def test_install_needs_appdata(tmp_path):
    with pytest.raises(ConfigError, match="APPDATA"):
        install_addin(environ={}, home=tmp_path)


def test_cli_build_into_an_unusable_folder_exits_2(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["addin", "build", "-o", str(blocker / "sub")]) == 2
    assert "Không ghi được vào thư mục" in capsys.readouterr().err


def test_vba_project_references_the_office_library_for_iribboncontrol(addin):
    from pyopenvba import ExcelFile

    with ExcelFile(addin) as book:
        names = [reference.name for reference in book.references()]
    assert "Office" in names
