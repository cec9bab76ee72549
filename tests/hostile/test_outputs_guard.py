"""No output destroys a file it did not write: every command that writes a workbook replaces only its own
earlier output (keeping it as .bak) and refuses anything else with exit 2, the file untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from hostile import genuine
from hostile.helpers import consolidate_args, run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "workbooks" / "examples"
PROGRAMME, RESULTS = EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx", EXAMPLES / "KetQua_DongNai_2021-2023.xlsx"


def _commands(target: Path, submission: Path) -> dict[str, list[str]]:
    return {
        "annotate": ["validate", str(submission), "--annotate", str(target)],
        "attainment": ["attainment", "--programme", str(PROGRAMME), "--results", str(RESULTS), "--as-of",
                       "2023-12", "-o", str(target)],
        "programme": ["template", "programme", "--province", "Đồng Nai", "--from-year", "2021", "--to-year",
                      "2025", "-o", str(target)],
        "results": ["template", "results", "--province", "Đồng Nai", "--era", "old", "-o", str(target)],
        "registration": ["template", "registration", "--province", "Đồng Nai", "--unit",
                         genuine.communes()[0].name, "--year", "2026", "-o", str(target)],
    }


def _contact_book(path: Path) -> Path:
    book = Workbook()
    book.active.append(["Đơn vị", "Email"])
    book.active.append(["Xã Phú Lộc", "ubnd@phuloc.example.vn"])
    book.save(path)
    return path


@pytest.mark.parametrize("command", ["annotate", "attainment", "programme", "results", "registration"])
def test_an_unrelated_workbook_at_the_output_is_refused_and_untouched(tmp_path, province_key, command):
    submission = genuine.write_genuine(tmp_path / "xa.xlsx", key=province_key)
    targets = {"danh-ba": _contact_book(tmp_path / "danh-ba.xlsx"), "ke-hoach": tmp_path / "ke-hoach.xlsx"}
    plan = run_cli(*consolidate_args(tmp_path, targets["ke-hoach"]))
    assert plan.code in (0, 1) and targets["ke-hoach"].exists(), plan.err
    for name, target in targets.items():
        before = target.read_bytes()
        result = run_cli(*_commands(target, submission)[command])
        assert result.code == 2, (name, result.out, result.err)
        assert "không ghi đè" in result.err and "Traceback" not in result.err
        assert target.read_bytes() == before and not target.with_name(target.name + ".bak").exists()


def test_a_filled_submission_is_never_replaced_by_another_kind_or_lost_to_its_own(tmp_path, province_key):
    submission = genuine.write_genuine(tmp_path / "xa.xlsx", key=province_key)
    filled = submission.read_bytes()
    for command in ("programme", "results", "attainment"):
        assert run_cli(*_commands(submission, submission)[command]).code == 2
    assert submission.read_bytes() == filled
    target = tmp_path / "phieu.xlsx"
    shutil.copyfile(submission, target)
    assert run_cli(*_commands(target, submission)["registration"]).code == 0
    assert (tmp_path / "phieu.xlsx.bak").read_bytes() == filled  # the filled form survives as .bak


def test_own_earlier_output_is_replaced_and_kept_as_bak(tmp_path, province_key):
    submission = genuine.write_genuine(tmp_path / "xa.xlsx", key=province_key)
    for command in ("annotate", "attainment", "programme"):
        target = tmp_path / f"{command}.xlsx"
        first = run_cli(*_commands(target, submission)[command])
        assert first.code in (0, 1) and target.exists(), first.err
        earlier = target.read_bytes()
        again = run_cli(*_commands(target, submission)[command])
        assert again.code == first.code, again.err
        assert target.with_name(target.name + ".bak").read_bytes() == earlier


def test_templates_for_every_unit_never_replace_an_unrelated_file_of_the_same_name(tmp_path):
    from kc_excel.workbook.templates import registration_file_name

    folder = tmp_path / "phieu"
    folder.mkdir()
    unit = genuine.communes()[0]
    taken = _contact_book(folder / registration_file_name(2026, unit))
    before = taken.read_bytes()
    result = run_cli("template", "registration", "--province", "Đồng Nai", "--year", "2026", "--all",
                     "-o", str(folder))
    assert result.code == 2 and "không ghi đè" in result.err, result.err
    assert taken.read_bytes() == before
