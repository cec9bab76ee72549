"""Every file of the shared real-world corpus is refused cleanly, quickly and in bounded memory.

None of the 412 files is a khuyến công workbook: each must come back as a
FileLevelError with a file-level code and a Vietnamese message naming the file,
never a crash of this process, within the per-file limits.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kc_excel.validation.issues import CODES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from corpus_table import CORPUS, corpus_outcomes, markdown_table  # noqa: E402

FILE_LEVEL = {code for code, info in CODES.items() if info.file_level}


@pytest.fixture(scope="module")
def outcomes():
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: {CORPUS}")
    started = time.monotonic()
    result = corpus_outcomes(workers=2)
    print(f"\ncorpus: {len(result)} files in {time.monotonic() - started:.1f} s\n{markdown_table(result)}")
    return result


def test_every_corpus_file_gets_a_file_level_code(outcomes):
    assert len(outcomes) == 412
    wrong = [(o.path.name, o.code) for o in outcomes if o.code not in FILE_LEVEL]
    assert wrong == []


def test_messages_are_vietnamese_and_name_the_file(outcomes):
    unnamed = [o.path.name for o in outcomes if not o.message.startswith(f"Tệp {o.path.name}: ")]
    assert unnamed == []
    assert all("Traceback" not in o.message for o in outcomes)


def test_each_file_within_time_and_memory(outcomes):
    slow = [(o.path.name, round(o.seconds, 1)) for o in outcomes if o.seconds >= 20]
    assert slow == []
    assert max(o.peak_bytes for o in outcomes) < 1024 * 1024 * 1024


def test_known_hostile_files_get_the_right_code(outcomes):
    by_name = {o.path.name: o.code for o in outcomes}
    expected = {
        "poi__protected_passtika.xlsx": "file-encrypted",
        "excelize__encryptAES.xlsx": "file-encrypted",
        "calamine__pass_protected.xlsx": "file-encrypted",
        "poi__xor-encryption-abc.xls": "file-encrypted",
        "test_files__password_2002_40_xor.xls": "file-encrypted",
        "poi__duplicate-filename.xlsx": "file-ambiguous",
        "poi__duplicate-filename-case-insensitive.xlsx": "file-ambiguous",
        "poi__poc-xmlbomb.xlsx": "file-corrupt",
        "poi__poc-xmlbomb-empty.xlsx": "file-corrupt",
        "poi__54764.xlsx": "file-corrupt",
        "poi__54764-2.xlsx": "file-corrupt",
        "calamine__issue252.xlsx": "file-corrupt",
        "phpspreads__Zip-Windows-Directory-Separator.xlsx": "file-corrupt",
        "poi__testEXCEL_3.xls": "file-unsupported-format",
        "poi__clusterfuzz-testcase-minimized-POIHSSFFuzzer-5816431116615680.xls": "file-unreadable",
    }
    assert {name: by_name[name] for name in expected} == expected
    assert by_name["phpspreads__oleloop.xls"] in FILE_LEVEL
    assert by_name["calamine__issue_594_dos.ods"] in ("file-too-large", "file-corrupt")
    counts = Counter(by_name.values())
    assert counts["not-a-kc-workbook"] > 250  # the ordinary spreadsheets are opened and looked at
