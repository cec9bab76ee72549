"""The level of a submission comes from the submission (issue 13, item 4).

District-level (pre-2025) registrations state ``_kc.cap_don_vi = huyen``: consolidated without
``--level`` they are read at district level; files of two levels, or files contradicting ``--level``,
give one ``level-mismatch`` instead of ``unit-not-in-province`` on each file.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from kc_excel import catalog
from kc_excel.cli import main
from kc_excel.consolidate.run import consolidate_folder
from kc_excel.workbook.templates import write_registration

from consolidate_helpers import district, machine_line, registration

TAN_PHU, CAM_MY = district("Tân Phú"), district("Cẩm Mỹ")


def _districts(folder):
    registration(folder, TAN_PHU, [machine_line(TAN_PHU, 1)])
    registration(folder, CAM_MY, [machine_line(CAM_MY, 1), machine_line(CAM_MY, 2)])


def _commune_file(folder):
    province = catalog.find_province("Đồng Nai")
    commune = catalog.units_of(province, level="xa")[0]
    line = {**machine_line(TAN_PHU, 1), "dia_diem": commune.name}
    path = folder / f"DangKy_2022_{commune.code}.xlsx"
    write_registration(path, province, commune, 2022, [line], created=datetime(2021, 5, 1, tzinfo=timezone.utc))
    return path


def test_district_files_without_level_are_consolidated_at_district_level(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    _districts(folder)
    code = main(["consolidate", str(folder), "--province", "Đồng Nai", "--year", "2022",
                 "-o", str(tmp_path / "plan.xlsx"), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0, document["issues"]
    status = {u["code"]: u["status"] for u in document["units"] if u["file"]}
    assert status == {TAN_PHU.code: "Hợp lệ", CAM_MY.code: "Hợp lệ"}
    assert document["rows"] == 3
    assert not {"unit-not-in-province", "level-mismatch"} & {i["code"] for i in document["issues"]}
    assert len(document["units"]) == len(catalog.units_of(catalog.find_province("Đồng Nai", era="old"),
                                                          level="huyen"))


def test_files_of_two_levels_give_one_level_mismatch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _districts(folder)
    commune_file = _commune_file(folder)
    plan = consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, cache_dir=tmp_path / "c").plan
    assert plan.level == "xa"
    mismatch = [i for i in plan.issues if i.code == "level-mismatch"]
    assert len(mismatch) == 1 and "2 tệp cấp huyện trong đợt tổng hợp cấp xã" in mismatch[0].detail
    assert "unit-not-in-province" not in {i.code for i in plan.issues}
    rows = {u.file: u.status for u in plan.units if u.file}
    assert rows[commune_file.name] == "Hợp lệ"
    assert [rows[f"DangKy_2022_{u.code}.xlsx"] for u in (TAN_PHU, CAM_MY)] == ["Có lỗi", "Có lỗi"]
    assert plan.rejected and len(plan.lines) == 1


def test_files_contradicting_the_level_option_give_one_level_mismatch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _districts(folder)
    plan = consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, level="commune",
                              cache_dir=tmp_path / "c").plan
    assert [i.code for i in plan.issues if i.severity == "error"] == ["level-mismatch"]
    [issue] = [i for i in plan.issues if i.code == "level-mismatch"]
    assert "2 tệp cấp huyện trong đợt tổng hợp cấp xã" in issue.render("vi")
    plan = consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, level="district",
                              cache_dir=tmp_path / "c").plan
    assert not plan.rejected and len(plan.lines) == 3


def test_one_file_of_the_other_level_is_named_as_the_issues_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _districts(folder)
    (folder / f"DangKy_2022_{CAM_MY.code}.xlsx").unlink()
    plan = consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, level="commune",
                              cache_dir=tmp_path / "c").plan
    [issue] = [i for i in plan.issues if i.code == "level-mismatch"]
    assert (issue.file, issue.sheet) == (f"DangKy_2022_{TAN_PHU.code}.xlsx", "_kc")
    assert "1 tệp cấp huyện" in issue.detail
