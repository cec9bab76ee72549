"""Ambiguous names stay ambiguous: units of one province whose folded names collide are never picked silently.

The pairs come from the catalogue itself (Xã Lộc Thạnh / Xã Lộc Thành in Đồng Nai, Xã Thanh An /
Xã Thạnh An in Hồ Chí Minh...): typed without diacritics, a CLI option answers with both; a
submission that claims such a unit by name only is attributed to nobody, with an error naming both.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from kc_excel import catalog
from kc_excel.consolidate.core import ExpectedUnit
from kc_excel.consolidate.identify import UnitMatcher, identify
from kc_excel.errors import UnknownNameError
from kc_excel.text import fold


def _colliding() -> list[tuple[object, list[object]]]:
    found = []
    for era, level in (("new", "xa"), ("old", "huyen")):
        for province in catalog.provinces(era=era):
            groups = defaultdict(list)
            for unit in catalog.units_of(province, level=level):
                groups[fold(unit.name)].append(unit)
            found += [(province, units) for units in groups.values() if len(units) > 1]
    return found


COLLIDING = _colliding()


def test_the_catalogue_has_such_pairs():
    names = {frozenset(u.name for u in units) for _, units in COLLIDING}
    assert frozenset({"Xã Lộc Thạnh", "Xã Lộc Thành"}) in names
    assert frozenset({"Xã Thanh An", "Xã Thạnh An"}) in names
    assert len(COLLIDING) >= 8


@pytest.mark.parametrize("province, units", COLLIDING, ids=[fold(us[0].name) for _, us in COLLIDING])
def test_cli_name_without_diacritics_answers_with_every_unit(province, units):
    for typed in {fold(units[0].name), fold(units[0].short)}:
        with pytest.raises(UnknownNameError) as err:
            catalog.find_unit(province, typed, level=units[0].level)
        assert set(err.value.suggestions) >= {u.name for u in units}, typed
        assert all(u.code in err.value.message for u in units)
    for unit in units:  # written with its diacritics, each is found
        assert catalog.find_unit(province, unit.name, level=unit.level) == unit


@pytest.mark.parametrize("province, units", COLLIDING, ids=[fold(us[0].name) for _, us in COLLIDING])
def test_submission_claiming_by_name_is_attributed_to_nobody(province, units):
    expected = [ExpectedUnit(u.code, u.name) for u in catalog.units_of(province, level=units[0].level)]
    matcher = UnitMatcher(expected)
    for claim in (units[0].name, fold(units[0].name)):
        assert {u.code for u in matcher.names(claim)} == {u.code for u in units}
        assert matcher.name(claim) is None
        identity = identify({"ten_don_vi": claim}, "phieu.xlsx", matcher)
        assert identity.unit_code is None
        [issue] = identity.issues
        assert issue.code == "unit-name-ambiguous" and issue.severity == "error"
        assert all(u.name in issue.detail and u.code in issue.detail for u in units)


def test_file_name_naming_two_units_is_ambiguous_too():
    province = catalog.find_province("Đồng Nai")
    matcher = UnitMatcher([ExpectedUnit(u.code, u.name) for u in catalog.units_of(province, level="xa")])
    identity = identify({}, "DangKy_2026_Xa_Loc_Thanh.xlsx", matcher)
    assert identity.unit_code is None
    assert [i.code for i in identity.issues] == ["unit-name-ambiguous"]
    assert "25280" in identity.issues[0].detail and "25294" in identity.issues[0].detail


def test_hcm_thanh_an_from_the_command_line(tmp_path, monkeypatch):
    from hostile.helpers import run_cli

    monkeypatch.setenv("KC_EXCEL_CONFIG", str(tmp_path / "config"))
    result = run_cli("template", "registration", "--province", "Hồ Chí Minh", "--unit", "thanh an",
                     "--year", "2026", "-o", tmp_path / "mau.xlsx")
    assert result.code == 2
    text = result.out + result.err
    assert "Xã Thanh An" in text and "Xã Thạnh An" in text
    assert not (tmp_path / "mau.xlsx").exists()
