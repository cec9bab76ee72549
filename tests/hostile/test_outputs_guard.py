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
    refused = run_cli(*_commands(target, submission)["registration"])  # a blank form never replaces a filled one
    assert refused.code == 2 and "đã có số liệu" in refused.err, refused.err
    assert target.read_bytes() == filled and not (tmp_path / "phieu.xlsx.bak").exists()


@pytest.mark.parametrize(("command", "filled"), [
    ("programme", PROGRAMME), ("results", RESULTS), ("registration", None)])
def test_a_template_never_replaces_a_filled_file_of_its_own_kind_run_after_run(tmp_path, province_key, command,
                                                                                filled):
    submission = genuine.write_genuine(tmp_path / "xa.xlsx", key=province_key)
    target = tmp_path / "dien-roi.xlsx"
    shutil.copyfile(filled or submission, target)
    before = target.read_bytes()
    for _ in range(2):  # the second run used to overwrite the .bak that held the filled file
        result = run_cli(*_commands(target, submission)[command])
        assert result.code == 2, result.err
        assert "đã có số liệu" in result.err and str(target) in result.err and "Chọn tên tệp" in result.err
        assert "Traceback" not in result.err
    assert target.read_bytes() == before and not target.with_name(target.name + ".bak").exists()


def test_a_bak_that_is_not_our_earlier_output_is_never_replaced(tmp_path, province_key):
    submission = genuine.write_genuine(tmp_path / "xa.xlsx", key=province_key)
    target = tmp_path / "chi-tieu.xlsx"
    assert run_cli(*_commands(target, submission)["programme"]).code == 0
    earlier = target.read_bytes()
    for keep in (shutil.copyfile(PROGRAMME, tmp_path / "dien.xlsx"), _contact_book(tmp_path / "danh-ba.xlsx")):
        backup = target.with_name(target.name + ".bak")
        shutil.copyfile(keep, backup)
        result = run_cli(*_commands(target, submission)["programme"])
        assert result.code == 2 and str(backup) in result.err and "không ghi đè" in result.err, result.err
        assert backup.read_bytes() == Path(keep).read_bytes() and target.read_bytes() == earlier
    backup.unlink()
    assert run_cli(*_commands(target, submission)["programme"]).code == 0
    assert backup.read_bytes() == earlier
    previous = target.read_bytes()  # our own blank template (its creation time may differ from `earlier`)
    assert run_cli(*_commands(target, submission)["programme"]).code == 0  # our own blank .bak: replaced
    assert backup.read_bytes() == previous


def test_template_profile_replaces_only_an_unedited_profile(tmp_path):
    from openpyxl import load_workbook

    book = _contact_book(tmp_path / "danh-ba.xlsx")
    before = book.read_bytes()
    refused = run_cli("template", "profile", "-o", book)
    assert refused.code == 2 and "không ghi đè" in refused.err and book.read_bytes() == before, refused.err
    profile = tmp_path / "DonVi.xlsx"
    assert run_cli("template", "profile", "-o", profile).code == 0
    assert run_cli("template", "profile", "--empty", "-o", profile).code == 0  # unedited: replaced, kept as .bak
    assert profile.with_name("DonVi.xlsx.bak").exists()
    wb = load_workbook(profile)
    wb["Thông tin đơn vị"]["B3"] = "TRUNG TÂM KHUYẾN CÔNG BÌNH PHƯỚC"
    wb.save(profile)
    edited = profile.read_bytes()
    for _ in range(2):
        result = run_cli("template", "profile", "-o", profile)
        assert result.code == 2 and "đã có số liệu" in result.err, result.err
    assert profile.read_bytes() == edited


def test_pdf_replaces_only_an_earlier_pdf(tmp_path):
    from kc_excel.errors import OutputError
    from kc_excel.outputs import make_way_for_pdf

    source = tmp_path / "ChiTieu.xlsx"
    assert run_cli("template", "programme", "--province", "Đồng Nai", "--from-year", "2026", "--to-year", "2030",
                   "-o", source).code == 0
    book = _contact_book(tmp_path / "danh-ba.xlsx")
    before = book.read_bytes()
    result = run_cli("pdf", source, "-o", book)  # refused before LibreOffice is started
    assert result.code == 2 and "không phải tệp PDF" in result.err, result.err
    assert book.read_bytes() == before and not book.with_name(book.name + ".bak").exists()
    earlier = tmp_path / "old.pdf"
    earlier.write_bytes(b"%PDF-1.7\n%%EOF\n")
    make_way_for_pdf(earlier)
    make_way_for_pdf(tmp_path / "new.pdf")
    with pytest.raises(OutputError):
        make_way_for_pdf(tmp_path)


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
