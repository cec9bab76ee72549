"""The result cache holds what the readers identified, so it must not serve it where identification
would differ: the same bytes under another name, or another province key, are identified again."""

from __future__ import annotations

from kc_excel import catalog
from kc_excel.consolidate.run import consolidate_folder
from kc_excel.signing import load_or_create_key
from kc_excel.workbook.templates import write_registration

from consolidate_helpers import T0, district, drop_meta, machine_line, registration

TAN_PHU, CAM_MY = district("Tân Phú"), district("Cẩm Mỹ")


def _run(folder, cache, key=None):
    return consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, level="district",
                              cache_dir=cache, key=key)


def test_the_same_file_under_another_name_is_identified_again(tmp_path):
    inbox, cache = tmp_path / "inbox", tmp_path / "cache"
    inbox.mkdir()
    path = registration(inbox, CAM_MY, [machine_line(CAM_MY, 1)], name="Phieu dang ky - huyen Tan Phu.xlsx")
    drop_meta(path, "ma_don_vi", "ten_don_vi")  # only the file name says whose it is
    first = _run(inbox, cache)
    assert [u.code for u in first.plan.units if u.file] == [TAN_PHU.code]  # (its places are Cẩm Mỹ's: errors)
    path.rename(inbox / "Phieu dang ky - huyen Cam My.xlsx")
    renamed = _run(inbox, cache)
    assert renamed.cache_hits == 0
    assert [(u.code, u.status) for u in renamed.plan.units if u.file] == [(CAM_MY.code, "Hợp lệ")]
    assert {ln.unit_code for ln in renamed.plan.lines} == {CAM_MY.code}
    assert [i.file for i in renamed.plan.issues if i.code == "unit-identified-by-filename"] == [
        "Phieu dang ky - huyen Cam My.xlsx"]
    again = _run(inbox, cache)
    assert again.cache_hits == 1 and again.plan.lines == renamed.plan.lines



def test_two_copies_of_a_file_under_two_names_are_both_remembered(tmp_path):
    """The cache keeps one entry per file and name: a copy under another name does not evict the first."""
    inbox, cache = tmp_path / "inbox", tmp_path / "cache"
    inbox.mkdir()
    path = registration(inbox, CAM_MY, [machine_line(CAM_MY, 1)], name="a.xlsx")
    (inbox / "b.xlsx").write_bytes(path.read_bytes())
    first = _run(inbox, cache)
    assert first.cache_hits == 0
    again = _run(inbox, cache)
    assert again.cache_hits == 2 and again.plan.lines == first.plan.lines

def test_another_province_key_checks_the_signature_again(tmp_path):
    inbox, cache = tmp_path / "inbox", tmp_path / "cache"
    inbox.mkdir()
    key, other = load_or_create_key(tmp_path / "a"), load_or_create_key(tmp_path / "b")
    province = catalog.find_province("Đồng Nai", era="old")
    write_registration(inbox / f"DangKy_2022_{CAM_MY.code}.xlsx", province, CAM_MY, 2022, [machine_line(CAM_MY, 1)],
                       created=T0, key=key)
    assert _run(inbox, cache, key).plan.errors == 0
    assert _run(inbox, cache, key).cache_hits == 1
    wrong = _run(inbox, cache, other)
    assert wrong.cache_hits == 0
    assert [i.code for i in wrong.plan.issues if i.severity == "error"] == ["template-identity-mismatch"]
    assert wrong.plan.lines == []
