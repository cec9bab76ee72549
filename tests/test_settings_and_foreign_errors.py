"""Settings are read at the edges and passed down; one table turns foreign exceptions into our errors."""

from __future__ import annotations

import errno
import os
import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineError

from kc_excel import settings
from kc_excel.catalog.norms_file import read_norm_rows
from kc_excel.consolidate.run import consolidate_folder
from kc_excel.errors import ConfigError, FileLevelError
from kc_excel.foreign_errors import command_error, opening_error, reading_error, zip_error
from kc_excel.signing import KEY_FILE_NAME, load_or_create_key
from kc_excel.workbook.reader import read_workbook

KC = Path(__file__).resolve().parent.parent / "kc_excel"
EDGES = ("cli/", "addin/", "ribbon.py", "udfs.py")
CHILD_ENVIRONMENT = {"workbook/sandbox.py", "libreoffice.py"}
"""They build the environment of a child process (one BLAS thread; LibreOffice's private profile), and the
sandbox reads its one test hook, ``KC_EXCEL_FAULT_INJECTION``, which must reach the readers of a CLI run."""


def test_config_and_cache_folders_come_from_the_environment_passed_in(tmp_path):
    assert settings.config_dir({"KC_EXCEL_CONFIG": "/k"}) == Path("/k")
    assert settings.cache_dir({"KC_EXCEL_CACHE_DIR": "/c"}) == Path("/c")
    assert settings.config_dir({"APPDATA": r"C:\A"}, windows=True) == Path(r"C:\A") / "kc-excel"
    assert settings.cache_dir({"LOCALAPPDATA": r"C:\L"}, windows=True) == Path(r"C:\L") / "kc-excel" / "cache"
    assert settings.config_dir({"XDG_CONFIG_HOME": "/x", "APPDATA": "/a"}, windows=False) == Path("/x/kc-excel")
    assert settings.cache_dir({"XDG_CACHE_HOME": "/y"}, windows=False) == Path("/y/kc-excel")
    assert settings.cache_dir({}, windows=False) == Path.home() / ".cache" / "kc-excel"
    assert settings.province_key({"KC_EXCEL_CONFIG": str(tmp_path)}) is None
    key = load_or_create_key(tmp_path)
    assert settings.province_key({"KC_EXCEL_CONFIG": str(tmp_path)}) == key
    (tmp_path / KEY_FILE_NAME).write_text("zz", encoding="ascii")
    with pytest.raises(ConfigError):
        settings.province_key({"KC_EXCEL_CONFIG": str(tmp_path)})


def test_the_core_reads_no_environment():
    readers = set()
    for path in KC.rglob("*.py"):
        name = path.relative_to(KC).as_posix()
        if not name.startswith(EDGES) and re.search(r"os\.environ|getenv", path.read_text(encoding="utf-8")):
            readers.add(name)
    assert readers - {"settings.py"} <= CHILD_ENVIRONMENT  # settings.py only names it in its docstring


def test_consolidation_uses_the_cache_it_is_given_not_the_environments(tmp_path, monkeypatch):
    from builders import build_registration, clean_machine_row

    inbox, elsewhere = tmp_path / "inbox", tmp_path / "env-cache"
    inbox.mkdir()
    build_registration(inbox / "DangKy_2022_734_Huyen-Tan-Phu.xlsx", [clean_machine_row()])
    monkeypatch.setenv("KC_EXCEL_CACHE_DIR", str(elsewhere))
    options = dict(province="Đồng Nai", year=2022, output=None, level="district")
    consolidate_folder(inbox, **options)
    assert not elsewhere.exists()
    first = consolidate_folder(inbox, cache_dir=tmp_path / "given", **options)
    again = consolidate_folder(inbox, cache_dir=tmp_path / "given", **options)
    assert (first.cache_hits, again.cache_hits) == (0, 1) and not elsewhere.exists()


@pytest.mark.parametrize("error, code, words", [
    (FileNotFoundError(errno.ENOENT, "gone"), "file-not-found", "x.xlsx"),
    (IsADirectoryError(errno.EISDIR, "dir"), "file-unreadable", "đây là thư mục"),
    (PermissionError(errno.EACCES, "denied"), "file-unreadable", "không có quyền đọc tệp"),
    (OSError(errno.EIO, "I/O error"), "file-unreadable", "không mở được tệp: I/O error"),
])
def test_os_errors_on_opening_a_file(error, code, words):
    found = opening_error(Path("/in/x.xlsx"), error)
    assert isinstance(found, FileLevelError) and found.code == code and words in found.message
    assert found.message.startswith("Tệp x.xlsx") and found.path == "/in/x.xlsx"


@pytest.mark.parametrize("error, code, words", [
    (OverflowError("rows"), "file-too-large", "quá nhiều dòng: rows"),
    (MemoryError(), "file-too-large", "cần quá nhiều bộ nhớ"),
    (CalamineError("bad sheet"), "file-corrupt", "CalamineError: bad sheet"),
    (zipfile.BadZipFile("no zip"), "file-corrupt", "BadZipFile: no zip"),
])
def test_errors_met_while_reading_a_workbook(error, code, words):
    found = reading_error("x.xlsx", error)
    assert found.code == code and words in found.message
    if code == "file-corrupt":  # the library's English words only as the technical detail of a Vietnamese message
        assert "cấu trúc tệp không đọc được; chi tiết kỹ thuật: " + words in found.message
        assert "the file's structure cannot be read; technical detail: " + words in found.message_en


def test_a_truncated_zip_and_a_folder_are_reported_through_the_table(tmp_path):
    whole = tmp_path / "whole.xlsx"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 2000)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[:300])
    with pytest.raises(FileLevelError) as caught:
        read_workbook(cut)
    assert caught.value.code == "file-corrupt"
    assert "tệp nén bị hỏng hoặc bị cắt cụt" in caught.value.message
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(FileLevelError) as caught:
        read_workbook(folder)
    assert caught.value.code == "file-unreadable" and "đây là thư mục" in caught.value.message


def test_a_norms_file_that_is_no_workbook_is_a_config_error(tmp_path):
    bogus = tmp_path / "DinhMuc.xlsx"
    bogus.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ConfigError, match="Không đọc được tệp định mức"):
        read_norm_rows(bogus)


def test_an_os_error_met_by_a_command_is_reported_in_either_language(tmp_path):
    from kc_excel.cli.common import file_problem
    from kc_excel.foreign_errors import command_error
    from kc_excel.i18n import set_lang

    locked = command_error(PermissionError(errno.EACCES, "denied", str(tmp_path / "KeHoach.xlsx")))
    assert locked.code == "file-unreadable" and "KeHoach.xlsx" in locked.message
    assert locked.message.startswith("Không có quyền đọc/ghi") and locked.message_en.startswith("No permission")
    assert "I/O" in command_error(OSError(errno.EIO, "I/O error", "x")).message_en
    gone = FileNotFoundError(errno.ENOENT, "gone", "KeHoach.xlsx")
    for lang, words in (("vi", "Không tìm thấy tệp KeHoach.xlsx. Kiểm tra lại tên và thư mục."),
                        ("en", "File not found: KeHoach.xlsx. Check the name and the folder.")):
        set_lang(lang)
        try:
            assert file_problem(gone) == words  # what the CLI prints for an OSError (exit 2)
        finally:
            set_lang("vi")


@pytest.mark.parametrize("number, words", [(errno.ENOTDIR, "không phải thư mục"), (errno.ENOSPC, "đĩa đầy"),
                                           (errno.EEXIST, "đã có một tệp cùng tên"),
                                           (errno.EIO, "chi tiết kỹ thuật: Input/output error")])
def test_a_system_error_on_a_named_file_is_said_in_vietnamese(number, words):
    error = command_error(OSError(number, os.strerror(number), "/tmp/a/b"))
    assert words in error.message and os.strerror(number) in error.message_en
