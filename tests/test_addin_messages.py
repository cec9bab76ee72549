"""macros/thong_diep.tsv → the generated VBA module ThongDiep (ChrW for every Vietnamese letter)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kc_excel.addin import load_sources
from kc_excel.addin.messages import (MESSAGES_FILE, MODULE_NAME, dialog_text, parse_messages, vba_expression_pieces,
                                     vba_module)
from kc_excel.errors import ConfigError

MACROS = Path(__file__).resolve().parent.parent / "macros"
_PIECE = re.compile(r'"((?:[^"]|"")*)"|ChrW\((\d+)\)|vbCrLf')


def _evaluate(pieces: list[str]) -> str:
    """What VBA computes from the pieces joined with &."""
    text = ""
    for piece in pieces:
        match = _PIECE.fullmatch(piece)
        assert match, piece
        quoted, code = match.groups()
        text += quoted.replace('""', '"') if quoted is not None else chr(int(code)) if code else "\r\n"
    return text


def _module_texts(module: str) -> dict[str, str]:
    """Each Case of KcThongDiep, evaluated like VBA would."""
    found: dict[str, str] = {}
    key = None
    for line in module.split("\n"):
        case = re.fullmatch(r'    Case "([^"]+)"', line)
        if case:
            key = case.group(1)
            found[key] = ""
        elif key and line.startswith("        s = "):
            expression = line.removeprefix("        s = ").removeprefix("s & ")
            found[key] += _evaluate(expression.split(" & "))
        elif line.strip() == "Case Else":
            key = None
    return found


def test_pieces_rebuild_the_unicode_text_exactly():
    text = 'Đồng Nai: "dự án" 100%\nỞ đâu?'
    pieces = vba_expression_pieces(text)
    assert _evaluate(pieces) == dialog_text(text)
    assert all(piece.isascii() for piece in pieces)
    assert "ChrW(272)" in pieces and "vbCrLf" in pieces


def test_generated_module_holds_every_message_of_the_table_in_ascii():
    messages = parse_messages((MACROS / MESSAGES_FILE).read_text(encoding="utf-8"))
    module = vba_module(messages)
    assert module.isascii()
    assert module.startswith(f'Attribute VB_Name = "{MODULE_NAME}"')
    assert _module_texts(module) == {key: dialog_text(text) for key, text in messages.items()}
    keys = re.search(r"KcThongDiepKhoa = Array\((.*)\)", module).group(1)
    assert keys == ", ".join(f'"{key}"' for key in messages)
    # No physical line near VBA's 1023-character limit.
    assert max(len(line) for line in module.split("\n")) < 1000


def test_load_sources_adds_the_generated_module():
    assert load_sources().modules[MODULE_NAME] == vba_module(
        parse_messages((MACROS / MESSAGES_FILE).read_text(encoding="utf-8")))


def test_messages_are_nfc_and_newlines_are_escapes():
    decomposed = "chao\tXin cha\u0300o\\nba\u0323n"
    assert parse_messages(decomposed) == {"chao": "Xin chào\nbạn"}


@pytest.mark.parametrize("line, problem", [("khong-tab", "khoa-chu-thuong"), ("Hoa\tChữ", "khoa-chu-thuong"),
                                           ("a\t ", "khoa-chu-thuong"), ("a\tx\na\ty", "lặp")])
def test_bad_table_lines_are_named(line, problem):
    with pytest.raises(ConfigError, match=problem):
        parse_messages(line)


def test_a_hand_written_generated_module_is_refused(tmp_path):
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    (macros / f"{MODULE_NAME}.bas").write_text(f'Attribute VB_Name = "{MODULE_NAME}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=MESSAGES_FILE):
        load_sources(macros)


def test_vba_message_boxes_use_the_table_not_ascii_vietnamese():
    """No MsgBox in kc-excel's own modules: VBA's MsgBox cannot show Vietnamese letters."""
    ours = [p for p in MACROS.glob("*.bas") if p.name != "xlwings.bas"]
    assert [p.name for p in ours if re.search(r"^\s*MsgBox\b", p.read_text(encoding="utf-8"), re.M)] == []
    xlwings = (MACROS / "xlwings.bas").read_text(encoding="utf-8")
    assert "Could not find Interpreter!\", vbCritical\n" not in xlwings
    assert 'KcBao "khong-thay-python"' in xlwings and 'KcThongDiep("loi-python")' in xlwings
