"""Hostile workbooks through the real command line: refused with the right code, nothing leaks or changes.

Every file is a genuine signed registration (kc_excel.workbook.templates)
with one hostile change made at the zip/XML level (tests/hostile/payloads.py).
For each: ``kc-excel validate --json`` exits 2 with the file-level code, a
Vietnamese message and no traceback; the input's SHA-256 is unchanged; the
contents of /etc/passwd never appear. ``consolidate`` on a folder holding all
of them next to genuine files marks each hostile file ``Không đọc được`` and
keeps every genuine file's lines and totals.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hostile import genuine, payloads
from hostile.helpers import KC_EXCEL, assert_clean_failure, consolidate_args, run_cli, run_measured, subprocess_env

PASSWD = payloads.PASSWD_MARKER


def _validate_json(path: Path):
    result = run_cli("validate", "--json", path)
    document = json.loads(result.out)
    return result, document


def _only_issue(document: dict) -> dict:
    (file_,) = document["files"]
    assert file_["valid"] is False
    (issue,) = file_["issues"]
    return issue


# (case id, generator, expected code, a word the message must hold)
REFUSED = [
    ("billion-laughs-sheet", lambda b, o: payloads.billion_laughs(b, o), "file-corrupt", "thực thể XML"),
    ("billion-laughs-workbook", lambda b, o: payloads.billion_laughs(b, o, "xl/workbook.xml"), "file-corrupt",
     "thực thể XML"),
    ("billion-laughs-content-types", lambda b, o: payloads.billion_laughs(b, o, "[Content_Types].xml"),
     "file-corrupt", "thực thể XML"),
    ("billion-laughs-core-properties", lambda b, o: payloads.billion_laughs(b, o, "docProps/core.xml"),
     "file-corrupt", "thực thể XML"),
    ("xxe-passwd-sheet", lambda b, o: payloads.external_entity(b, o), "file-corrupt", "thực thể XML"),
    ("xxe-passwd-kc-sheet", lambda b, o: payloads.external_entity(b, o, part="xl/worksheets/sheet4.xml"),
     "file-corrupt", "thực thể XML"),
    ("xxe-parameter-entity", lambda b, o: payloads.external_entity(b, o, parameter=True), "file-corrupt",
     "thực thể XML"),
    ("duplicate-zip-entries", payloads.duplicate_entries, "file-ambiguous", "trùng tên"),
    ("encrypted", payloads.encrypted, "file-encrypted", "tệp có mật khẩu"),
    ("truncated", payloads.truncated, "file-corrupt", "hỏng"),
]


@pytest.mark.parametrize("case, make, code, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_hostile_file_is_refused_with_its_code(tmp_path, base, case, make, code, words):
    path = make(base, tmp_path / f"{case}.xlsx")
    before = genuine.sha256(path)
    result, document = _validate_json(path)
    assert result.code == 2
    issue = _only_issue(document)
    assert issue["code"] == code
    assert words.lower() in issue["message"].lower()
    assert Path(issue["file"]).name == path.name
    assert_clean_failure(result)
    assert PASSWD not in result.out + result.err
    assert genuine.sha256(path) == before


def test_damaged_compressed_data_is_called_corrupt_in_plain_words(tmp_path, base):
    path = payloads.broken_deflate(base, tmp_path / "hong.xlsx")
    result, document = _validate_json(path)
    assert result.code == 2
    issue = _only_issue(document)
    assert issue["code"] == "file-corrupt", issue
    assert issue["message"].startswith("Tệp bị hỏng")


def test_text_output_names_the_file_and_the_problem_in_vietnamese(tmp_path, base):
    path = payloads.encrypted(base, tmp_path / "Phú Hòa có mật khẩu.xlsx")
    result = run_cli("validate", path)
    assert result.code == 2
    assert "file-encrypted" in result.out and "mật khẩu" in result.out.lower()
    assert_clean_failure(result)


def test_external_entity_pointing_at_the_network_is_never_fetched(tmp_path, base):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        path = payloads.external_entity(base, tmp_path / "xxe-http.xlsx", f"http://127.0.0.1:{port}/kc")
        result, document = _validate_json(path)
        assert result.code == 2 and _only_issue(document)["code"] == "file-corrupt"
        with pytest.raises(socket.timeout):
            listener.accept()  # nobody connected
    finally:
        listener.close()


def test_external_entity_target_is_never_opened(tmp_path, base):
    """The entity points at a FIFO with no writer: opening it for reading would block the reader for its
    whole 20 s timeout (and give file-too-large); a quick file-corrupt proves it was never opened."""
    fifo = tmp_path / "canary.fifo"
    os.mkfifo(fifo)
    path = payloads.external_entity(base, tmp_path / "xxe-fifo.xlsx", fifo.as_uri())
    started = time.monotonic()
    result, document = _validate_json(path)
    assert _only_issue(document)["code"] == "file-corrupt"
    assert time.monotonic() - started < 10
    with pytest.raises(OSError):  # ENXIO: nobody holds the read end open
        os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)


def test_zip_bomb_is_refused_before_inflating_quickly_and_in_little_memory(tmp_path, base):
    path = payloads.zip_bomb(base, tmp_path / "bomb.xlsx", gibibytes=1)
    assert path.stat().st_size < 8 * 2**20 and payloads.deflate_ratio(path) > 500
    before = genuine.sha256(path)
    proc, elapsed, peak_mib = run_measured([str(KC_EXCEL), "validate", "--json", str(path)], timeout=60)
    out, err = proc.stdout, proc.stderr
    assert proc.returncode == 2, err
    issue = _only_issue(json.loads(out))
    assert issue["code"] == "file-too-large"
    assert "bung ra" in issue["message"]
    assert elapsed < 8, f"{elapsed:.1f} s (CLI start-up included)"
    assert peak_mib < 250, f"{peak_mib:.0f} MiB"
    assert "Traceback" not in err
    assert genuine.sha256(path) == before


def test_a_device_given_as_input_ends_quickly(tmp_path):
    """`kc-excel validate /dev/zero` (or a symlink to it named .xlsx) must not read forever."""
    link = tmp_path / "zero.xlsx"
    link.symlink_to("/dev/zero")
    for path in ("/dev/zero", link):
        proc = subprocess.run([str(KC_EXCEL), "validate", "--json", str(path)], capture_output=True,
                              env=subprocess_env(), timeout=40)
        assert proc.returncode == 2
        assert _only_issue(json.loads(proc.stdout))["code"].startswith("file-")
        assert b"Traceback" not in proc.stderr


def test_template_renamed_xls_is_read_by_its_content(tmp_path, base):
    """Sniffing looks at the bytes (a zip with xl/workbook.xml), not the extension: read as xlsx, valid."""
    path = payloads.renamed(base, tmp_path / "Phiếu đăng ký.xls")
    result, document = _validate_json(path)
    assert result.code == 0, result.out + result.err
    (file_,) = document["files"]
    assert file_["valid"] and file_["kind"] == "dang-ky"


@pytest.mark.slow
def test_200000_rows_are_refused_as_too_large_within_the_time_limit(tmp_path, base):
    """Measured: the reader needs > 1 GiB and > 60 s for 200,000 x 18 cells; it stops at its 20 s limit."""
    path = payloads.many_rows(base, tmp_path / "200000 dòng.xlsx", 200_000)
    before = genuine.sha256(path)
    proc, elapsed, peak_mib = run_measured([str(KC_EXCEL), "validate", "--json", str(path)], timeout=120)
    assert proc.returncode == 2
    issue = _only_issue(json.loads(proc.stdout))
    assert issue["code"] == "file-too-large"
    assert "Tệp quá lớn" in issue["message"]
    assert elapsed < 40, f"{elapsed:.0f} s"
    assert peak_mib < 1200, f"{peak_mib:.0f} MiB (reader workers are capped at 1 GiB of address space)"
    assert "Traceback" not in proc.stderr
    assert genuine.sha256(path) == before


def test_vietnamese_200_character_file_name_through_validate_and_annotate(tmp_path, base):
    path = payloads.long_name(tmp_path)
    shutil.copyfile(base, path)
    assert len(path.name) == 200 and len(path.name.encode()) <= 255
    result, document = _validate_json(path)
    assert result.code == 0, result.out + result.err
    assert document["files"][0]["path"] == str(path)
    annotated = tmp_path / "out" / ("Đánh dấu " + path.name[:150] + ".xlsx")
    result = run_cli("validate", path, "--annotate", annotated)
    assert result.code == 0, result.err
    assert load_workbook(annotated, read_only=True).sheetnames[0] == "Đăng ký"


def test_plan_with_a_200_character_vietnamese_name_is_written(tmp_path, base):
    """The temporary file, the .bak and the lock beside the plan must all fit the 255-byte name limit."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(base, folder / "a.xlsx")
    plan = payloads.long_name(tmp_path / "out")
    plan.parent.mkdir()
    for _ in range(2):  # the second run replaces the plan and keeps the first as .bak
        result = run_cli(*consolidate_args(folder, plan))
        assert result.code == 0, result.err
    assert load_workbook(plan, read_only=True)["Chi tiết"] is not None
    assert (plan.parent / (plan.name + ".bak")).exists()


# --- consolidation of a folder holding every hostile file next to genuine ones ----------------

HOSTILE_IN_FOLDER = [
    ("billion-laughs", payloads.billion_laughs),
    ("xxe-passwd", payloads.external_entity),
    ("duplicate-entries", payloads.duplicate_entries),
    ("encrypted", payloads.encrypted),
    ("truncated", payloads.truncated),
    ("zip-bomb", payloads.zip_bomb),
]


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory, province_key):
    """Two genuine files (communes 0 and 1) and one hostile file named after each of communes 2.., a long name."""
    folder = tmp_path_factory.mktemp("folder")
    units = genuine.communes()
    good = {}
    for unit in units[:2]:
        lines = [genuine.clean_line(unit, 1), genuine.clean_line(unit, 2, tong=100, kcdp=40, doi_ung=60)]
        good[unit.code] = lines
        genuine.write_genuine(folder / f"DangKy_2026_{unit.code}.xlsx", unit, lines, key=province_key)
    hostile = {}
    for (case, make), unit in zip(HOSTILE_IN_FOLDER, units[2:]):
        own = genuine.write_genuine(tmp_path_factory.mktemp("src") / "own.xlsx", unit, key=province_key)
        path = make(own, folder / f"DangKy_2026_{unit.code}_{case}.xlsx")
        hostile[unit.code] = path
    long_unit = units[len(HOSTILE_IN_FOLDER) + 2]
    long_path = payloads.long_name(folder)
    genuine.write_genuine(long_path, long_unit, key=province_key)
    good[long_unit.code] = [genuine.clean_line(long_unit)]
    hashes = {p: genuine.sha256(p) for p in folder.iterdir()}
    return folder, good, hostile, hashes


def test_consolidate_marks_hostile_files_unreadable_and_keeps_the_others(tmp_path, hostile_folder):
    folder, good, hostile, hashes = hostile_folder
    output = tmp_path / "Kế hoạch khuyến công 2026.xlsx"
    result = run_cli(*consolidate_args(folder, output, "--json"))
    assert result.code == 1, result.err
    document = json.loads(result.out)
    assert PASSWD not in result.out + result.err
    assert "Traceback" not in result.err
    status = {u["code"]: u for u in document["units"] if u["file"]}
    for code, path in hostile.items():
        assert status[code]["status"] == "Không đọc được", (path.name, status[code])
    for code, lines in good.items():
        assert status[code]["status"] == "Hợp lệ" and status[code]["rows"] == len(lines)
    all_lines = [line for lines in good.values() for line in lines]
    assert document["rows"] == len(all_lines)
    assert document["totals"]["tong"] == genuine.expected_total_dong(all_lines)
    assert document["totals"]["kcdp"] == genuine.expected_total_dong(all_lines, "kcdp")
    codes = {i["code"] for i in document["issues"]}
    assert {"file-corrupt", "file-ambiguous", "file-encrypted", "file-too-large"} <= codes
    assert {p: genuine.sha256(p) for p in folder.iterdir()} == hashes
    wb = load_workbook(output, read_only=True)
    detail = [r for r in wb["Chi tiết"].iter_rows(values_only=True)]
    assert PASSWD not in repr(detail)
    assert any(payloads.long_name(folder).name in repr(row) for row in detail)


def test_external_links_are_never_followed(tmp_path, base, province_key):
    """A link to a FIFO with no writer: following it (reading, validating, annotating, consolidating)
    would block; every command ends quickly and the FIFO was never opened."""
    fifo = tmp_path / "lien-ket.fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "in"
    folder.mkdir()
    path = payloads.external_link(base, folder / "co-lien-ket.xlsx", fifo.as_uri())
    before = genuine.sha256(path)
    started = time.monotonic()
    result, document = _validate_json(path)
    assert result.code in (0, 1), result.out + result.err
    assert document["files"][0]["kind"] == "dang-ky"
    assert run_cli("validate", path, "--annotate", tmp_path / "danh-dau.xlsx").code in (0, 1)
    plan = tmp_path / "plan.xlsx"
    assert run_cli(*consolidate_args(folder, plan)).code in (0, 1)
    assert time.monotonic() - started < 30
    with pytest.raises(OSError):  # ENXIO: nobody holds the read end open
        os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    assert genuine.sha256(path) == before
    assert "externalLink" not in "".join(zipfile.ZipFile(plan).namelist())
