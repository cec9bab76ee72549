"""The 2025 reorganisation: which new province and communes took over an old unit.

Built from ``converter_2025.json`` of vietnamadminunits: each pre-2025 commune
(or island district) key maps to the post-2025 commune(s) that cover it; a
commune split between several new ones maps to all of them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache

from kc_excel.catalog.admin import (
    Province,
    Unit,
    _data_dir,
    _new_communes,
    _old_table,
    _province_key,
    _province_table,
    find_province,
)
from kc_excel.errors import ConfigError


@cache
def _converter() -> dict:
    with open(_data_dir() / "converter_2025.json", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _old_to_new() -> dict[str, frozenset[tuple[str, str]]]:
    """Old "province_district_ward" key -> {(new province key, new ward key)}."""
    data = _converter()
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for new_p, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w, old_keys in wards.items():
            for old in old_keys:
                out[old].add((new_p, new_w))
    for new_p, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            out[old].update((new_p, t["newWardKey"]) for t in targets)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def _new_by_key() -> dict[tuple[str, str], Unit]:
    code_to_key = {p.code: key for p, key, _ in _province_table("new")}
    return {(code_to_key[code], wkey): u for code, rows in _new_communes().items() for u, wkey, _ in rows}


@cache
def _old_keys() -> dict[str, tuple[str, ...]]:
    """Old unit code (district or commune) -> its converter keys."""
    districts, communes = _old_table()
    out: dict[str, tuple[str, ...]] = {}
    for rows in districts.values():
        for unit, dkey, _ in rows:
            keys = tuple(k for _, k, _ in communes.get(unit.code, ()))
            out[unit.code] = keys or (dkey,)
    for rows in communes.values():
        for unit, key, _ in rows:
            out[unit.code] = (key,)
    return out


def province_successor(old_province: Province | str) -> Province:
    """The post-2025 province that took over a pre-2025 one (Bình Phước → Đồng Nai)."""
    old = find_province(old_province, era="old")
    old_key = _province_key(old)
    for new_key, old_keys in _converter()["DICT_PROVINCE"].items():
        if old_key in old_keys:
            return next(p for p, key, _ in _province_table("new") if key == new_key)
    raise ConfigError(f"Không tìm thấy tỉnh mới thay thế {old.name}.", message_en=f"No successor for {old.name}.")


def new_units_of_old(unit: Unit) -> list[Unit]:
    """The post-2025 communes covering a pre-2025 district or commune, by code."""
    if unit.era != "old":
        return [unit]
    mapping, by_key = _old_to_new(), _new_by_key()
    found = {by_key[t].code: by_key[t] for key in _old_keys().get(unit.code, ()) for t in mapping.get(key, ())}
    return [found[c] for c in sorted(found)]


@cache
def _old_by_key() -> dict[str, Unit]:
    """Converter key -> old commune, or old island district that has no communes."""
    districts, communes = _old_table()
    out = {key: u for rows in communes.values() for u, key, _ in rows}
    out.update({dkey: u for rows in districts.values() for u, dkey, _ in rows if u.code not in communes})
    return out


@cache
def _new_to_old() -> dict[str, tuple[Unit, ...]]:
    by_key, old_by_key = _new_by_key(), _old_by_key()
    out: dict[str, dict[str, Unit]] = defaultdict(dict)
    for old_key, targets in _old_to_new().items():
        old = old_by_key.get(old_key)
        for t in targets:
            if old is not None:
                out[by_key[t].code][old.code] = old
    return {k: tuple(v[c] for c in sorted(v)) for k, v in out.items()}


def old_units_of_new(unit: Unit) -> list[Unit]:
    """The pre-2025 communes (or island districts) merged, wholly or partly, into a post-2025 commune."""
    if unit.era != "new":
        return [unit]
    return list(_new_to_old().get(unit.code, ()))
