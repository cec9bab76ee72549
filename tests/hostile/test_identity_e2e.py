"""Template identity end to end: templates signed with the province key, checked on consolidation.

The key lives in the user's config (``KC_EXCEL_CONFIG``, set per session by
conftest). ``kc-excel template registration`` signs what it writes;
``consolidate`` verifies each file: a neighbour's template renamed, a ``_kc``
edited to claim another unit, or a template signed by another centre is a
``template-identity-mismatch`` error (its lines are not accepted); an older
unsigned template is accepted with a ``template-unsigned`` warning.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hostile import genuine, payloads
from hostile.helpers import all_text_of, consolidate_args, run_cli, xml_cells
from kc_excel.workbook.templates import registration_file_name

META_PART = "xl/worksheets/sheet4.xml"  # _kc, the 4th sheet of a registration template


def _meta_refs(path: Path) -> dict[str, str]:
    """_kc key → the cell holding its value (column B)."""
    cells = [c for c in xml_cells(path) if c.sheet == "_kc"]
    return {c.text: "B" + c.ref[1:] for c in cells if c.ref.startswith("A")}


def _issues_of(document: dict, file_name: str) -> set[str]:
    return {i["code"] for i in document["issues"] if i.get("file") and Path(i["file"]).name == file_name}


def test_template_command_signs_with_the_key_in_the_user_config(tmp_path, province_key):
    out = tmp_path / "mau.xlsx"
    unit = genuine.communes()[0]
    result = run_cli("template", "registration", "--province", genuine.PROVINCE, "--unit", unit.code,
                     "--year", str(genuine.YEAR), "-o", out)
    assert result.code == 0, result.err
    meta = {row[0]: row[1] for row in load_workbook(out, read_only=True)["_kc"].iter_rows(values_only=True)}
    from kc_excel.signing import check_identity

    assert meta["ma_dinh_danh"] == f"dang-ky|{genuine.province().code}|{unit.code}|{genuine.YEAR}"
    assert check_identity({k: str(v) for k, v in meta.items() if v is not None}, province_key).ok
    assert province_key.hex() not in all_text_of(out)  # the key never travels in the file


@pytest.fixture(scope="module")
def identity_folder(tmp_path_factory, province_key):
    units = genuine.communes()
    a, b, c, d, e = units[:5]
    folder = tmp_path_factory.mktemp("identity")
    src = tmp_path_factory.mktemp("identity-src")
    files = {}
    # a: genuine, signed
    files["genuine"] = genuine.write_genuine(folder / registration_file_name(genuine.YEAR, a), a, key=province_key)
    # b's people filled in a's template (c's unit, here) and renamed it after their own commune
    neighbour = genuine.write_genuine(src / "c.xlsx", c, [genuine.clean_line(b)], key=province_key)
    files["renamed"] = folder / registration_file_name(genuine.YEAR, b)
    files["renamed"].write_bytes(neighbour.read_bytes())
    # d's _kc edited to claim unit d while the signed identity says e
    forged_src = genuine.write_genuine(src / "e.xlsx", e, [genuine.clean_line(d)], key=province_key)
    refs = _meta_refs(forged_src)
    files["forged"] = payloads.with_texts(forged_src, folder / "phieu-dang-ky-sua.xlsx",
                                          {refs["ma_don_vi"]: d.code, refs["ten_don_vi"]: d.name},
                                          sheet=META_PART)
    # an older template without identity (no key when it was written), unit units[5]
    files["unsigned"] = genuine.write_genuine(folder / "mau-cu.xlsx", units[5], key=None)
    # a template signed by another centre (another key), unit units[6]
    files["other-key"] = genuine.write_genuine(folder / "tinh-khac-ky.xlsx", units[6], key=b"\x01" * 32)
    return folder, files, (a, b, c, d, e, units[5], units[6])


def test_consolidation_flags_renamed_forged_and_foreign_templates(tmp_path, identity_folder):
    folder, files, (a, b, c, d, e, old, foreign) = identity_folder
    result = run_cli(*consolidate_args(folder, tmp_path / "plan.xlsx", "--json"))
    assert result.code == 1, result.err
    document = json.loads(result.out)
    by_file = {Path(u["file"]).name: u for u in document["units"] if u["file"]}
    assert _issues_of(document, files["genuine"].name) & {"template-identity-mismatch", "template-unsigned"} == set()
    assert by_file[files["genuine"].name]["status"] == "Hợp lệ"
    for case in ("renamed", "forged", "other-key"):
        name = files[case].name
        assert "template-identity-mismatch" in _issues_of(document, name), (case, document["issues"])
        assert by_file[name]["status"] != "Hợp lệ", (case, by_file[name])
    unsigned = files["unsigned"].name
    assert "template-unsigned" in _issues_of(document, unsigned)
    assert by_file[unsigned]["status"] == "Hợp lệ"
    accepted = {(u["code"], u["rows"]) for u in document["units"] if u["status"] == "Hợp lệ"}
    assert accepted == {(a.code, 1), (old.code, 1)}
    assert document["rows"] == 2


def test_unsigned_older_template_alone_is_accepted_with_a_warning(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    unit = genuine.communes()[0]
    genuine.write_genuine(folder / "mau-cu.xlsx", unit, key=None)
    result = run_cli(*consolidate_args(folder, tmp_path / "plan.xlsx", "--json"))
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert "template-unsigned" in {i["code"] for i in document["issues"]}
    assert document["rows"] == 1


# --- identity is all or nothing (issue 12, item 3) ------------------------------------------------

def _edit_kc(src: Path, out: Path, *, values: dict | None = None, rename: dict | None = None) -> Path:
    """A copy of ``src`` whose hidden ``_kc`` entries were edited by hand (as a forger would, in Excel)."""
    book = load_workbook(src)
    sheet = book["_kc"]
    for key_cell, value_cell in sheet.iter_rows(min_col=1, max_col=2):
        if key_cell.value in (values or {}):
            value_cell.value = values[key_cell.value]
        if key_cell.value in (rename or {}):
            key_cell.value = rename[key_cell.value]
    book.save(out)
    return out


@pytest.fixture(scope="module")
def forged_folder(tmp_path_factory, province_key):
    from datetime import datetime, timezone

    a, c, d, e = genuine.communes()[7:11]
    folder, src = tmp_path_factory.mktemp("forged"), tmp_path_factory.mktemp("forged-src")
    files = {"a": genuine.write_genuine(folder / registration_file_name(genuine.YEAR, a), a, key=province_key),
             "d": genuine.write_genuine(folder / registration_file_name(genuine.YEAR, d), d, key=province_key)}
    # c's own signed template: the unit-code key renamed, a's name written in, a later creation date
    own = genuine.write_genuine(src / "c.xlsx", c, [genuine.clean_line(a, tong=900, doi_ung=750)], key=province_key)
    files["forged"] = _edit_kc(own, folder / "phieu-bo-sung.xlsx", rename={"ma_don_vi": "ma_don_vi_cu"},
                               values={"ten_don_vi": a.name, "ngay_tao": "2026-03-01T08:00:00+00:00"})
    # an unsigned copy claiming d, dated 2099
    files["2099"] = genuine.write_genuine(folder / f"DangKy_{genuine.YEAR}_{d.code}_moi.xlsx", d,
                                          [genuine.clean_line(d, tong=900, doi_ung=750)],
                                          created=datetime(2099, 1, 1, tzinfo=timezone.utc))
    # e's signed file with the money unit turned into billions
    files["ty-dong"] = _edit_kc(genuine.write_genuine(src / "e.xlsx", e, key=province_key),
                                folder / registration_file_name(genuine.YEAR, e), values={"don_vi_tien": "ty-dong"})
    result = run_cli(*consolidate_args(folder, tmp_path_factory.mktemp("forged-out") / "plan.xlsx", "--json"))
    assert result.code == 1, result.err
    return files, (a, c, d, e), json.loads(result.out)


def test_renamed_unit_key_with_a_neighbours_name_supersedes_nobody(forged_folder):
    files, (a, *_), document = forged_folder
    rows = [u for u in document["units"] if u["code"] == a.code]
    assert [(u["status"], Path(u["file"]).name) for u in rows] == [("Hợp lệ", files["a"].name)]
    forged = next(u for u in document["units"] if u["file"] and Path(u["file"]).name == files["forged"].name)
    assert forged["code"] is None and forged["status"] == "Có lỗi"
    issues = [i for i in document["issues"] if i["file"] and Path(i["file"]).name == files["forged"].name]
    altered = [i for i in issues if i["code"] == "layout-altered"]
    assert altered and altered[0]["severity"] == "error" and "ma_don_vi" in altered[0]["message"]
    assert not [i for i in document["issues"] if i["code"] == "superseded-version"
                and Path(i["file"]).name == files["a"].name]


def test_unsigned_file_dated_2099_does_not_beat_a_signed_one(forged_folder):
    files, (_, _, d, _), document = forged_folder
    rows = {Path(u["file"]).name: u["status"] for u in document["units"] if u["code"] == d.code}
    assert rows == {files["d"].name: "Hợp lệ", files["2099"].name: "Bị thay thế"}


def test_money_unit_edited_to_billions_is_flagged_and_not_counted(forged_folder):
    files, (*_, e), document = forged_folder
    row = next(u for u in document["units"] if u["file"] and Path(u["file"]).name == files["ty-dong"].name)
    assert row["status"] == "Có lỗi" and row["code"] is None
    messages = [i["message"] for i in document["issues"] if i["code"] == "layout-altered"
                and Path(i["file"]).name == files["ty-dong"].name]
    assert len(messages) == 1 and "ty-dong" in messages[0]  # said once (validation rule and identity check)
    assert document["totals"]["tong"] == 2 * 400 * genuine.DONG_PER_TRIEU  # a and d, nothing ×1,000
    assert {u["code"]: u["status"] for u in document["units"] if u["code"] == e.code} == {e.code: "Chưa nộp"}


def test_key_of_another_machine_is_said_once(tmp_path):
    other = b"\x02" * 32  # the templates were signed on a machine whose key this one lacks
    folder = tmp_path / "in"
    folder.mkdir()
    units = genuine.communes()[:3]
    for unit in units:
        genuine.write_genuine(folder / registration_file_name(genuine.YEAR, unit), unit, key=other)
    result = run_cli(*consolidate_args(folder, tmp_path / "plan.xlsx", "--json"))
    assert result.code == 1, result.err
    document = json.loads(result.out)
    codes = [i["code"] for i in document["issues"]]
    assert codes.count("signing-key-mismatch") == 1 and "template-identity-mismatch" not in codes
    [issue] = [i for i in document["issues"] if i["code"] == "signing-key-mismatch"]
    assert "Khóa ký biểu mẫu trên máy này khác khóa đã ký các phiếu" in issue["message"]
    assert "SECURITY.md" in issue["message"] and "không dùng tệp của đơn vị khác" not in issue["message"]
    assert {u["code"]: u["status"] for u in document["units"] if u["file"]} == {u.code: "Hợp lệ" for u in units}


@pytest.mark.parametrize("content", ["", "\n", "00ff00ff"])
def test_empty_or_short_key_file_stops_with_exit_2(tmp_path, monkeypatch, content):
    config = tmp_path / "config"
    config.mkdir()
    (config / "province.key").write_text(content)
    monkeypatch.setenv("KC_EXCEL_CONFIG", str(config))
    folder = tmp_path / "in"
    folder.mkdir()
    genuine.write_genuine(folder / "a.xlsx")
    result = run_cli(*consolidate_args(folder, tmp_path / "plan.xlsx"))
    assert result.code == 2
    assert "province.key" in result.err and "SECURITY.md" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "plan.xlsx").exists()
    assert (config / "province.key").read_text() == content  # never replaced
    made = run_cli("template", "registration", "--province", genuine.PROVINCE, "--unit", genuine.communes()[0].code,
                   "--year", str(genuine.YEAR), "-o", tmp_path / "mau.xlsx")
    assert made.code == 2 and "SECURITY.md" in made.err and not (tmp_path / "mau.xlsx").exists()


def test_validate_flags_the_edited_money_unit_too(forged_folder):
    files, *_ = forged_folder
    result = run_cli("validate", "--json", files["ty-dong"])
    assert result.code == 1, result.err
    [entry] = json.loads(result.out)["files"]
    altered = [i for i in entry["issues"] if i["code"] == "layout-altered"]
    assert [(i["severity"], i["sheet"]) for i in altered] == [("error", "_kc")] and "ty-dong" in altered[0]["message"]
