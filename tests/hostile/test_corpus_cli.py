"""The 412-file corpus through the real `kc-excel validate` and `consolidate` commands (issue 7, item 6).

None is a khuyến công workbook: `validate` must give every file a file-level
code and exit 2, `consolidate` must mark every spreadsheet it takes as
`Không đọc được` and exit 1; no traceback, bounded time and memory.
(scripts/corpus_outcomes.py prints the README table from the same functions.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kc_excel.consolidate.intake import SPREADSHEET_EXTENSIONS, UNSUPPORTED_EXTENSIONS
from kc_excel.validation.issues import CODES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from corpus_outcomes import CORPUS, consolidate_all, validate_all  # noqa: E402

FILE_LEVEL = {code for code, info in CODES.items() if info.file_level}
CONSOLIDATE_SUFFIXES = {*SPREADSHEET_EXTENSIONS, *UNSUPPORTED_EXTENSIONS}


@pytest.fixture(scope="module")
def files() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: {CORPUS}")
    return sorted(p for p in CORPUS.iterdir() if p.is_file())


def test_validate_gives_every_corpus_file_a_file_level_code(files):
    result = validate_all(files)
    assert sum(result.outcomes.values()) == len(files) == 412
    assert set(result.outcomes) <= FILE_LEVEL, result.outcomes
    assert dict(result.exit_codes) == {2: 1}
    assert result.tracebacks == []
    assert result.seconds < 120 and result.peak_mib < 1200, (result.seconds, result.peak_mib)


def test_consolidate_marks_every_corpus_spreadsheet_unreadable(files):
    result = consolidate_all(files)
    taken = [p for p in files if p.suffix.lower() in CONSOLIDATE_SUFFIXES]
    assert len(taken) == len(files) == 412  # nothing a unit could have sent is skipped silently
    assert dict(result.outcomes) == {"Không đọc được": len(taken)}
    assert set(result.issue_codes) <= FILE_LEVEL
    assert dict(result.exit_codes) == {1: 1}
    assert result.tracebacks == []
    assert result.seconds < 120 and result.peak_mib < 1200, (result.seconds, result.peak_mib)
