"""kc_excel.outputs: the one all-or-nothing way we write files."""

from __future__ import annotations

import os
import stat

import pytest

from kc_excel.errors import OutputError
from kc_excel.outputs import write_atomically


def test_new_file_has_umask_permissions_not_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_atomically(tmp_path / "a.txt", lambda temp: temp.write_text("x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "plan.xlsx"
    target.write_text("old")

    def half_written(temp):
        temp.write_text("partial")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        write_atomically(target, half_written)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_unwritable_folder_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="Không ghi được vào thư mục"):
        write_atomically(blocker / "out.xlsx", lambda temp: None)
