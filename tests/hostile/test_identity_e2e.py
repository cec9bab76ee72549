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
    from kc_excel.identity import check_identity

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
