"""Administrative units, before and after the 2025 reorganisation, from vietnamadminunits (MIT).

- era ``"new"`` (since 1 July 2025): 34 provinces and their 3,321 communes,
  wards and special zones (xã, phường, đặc khu), table ``admin_units``;
- era ``"old"``: 63 provinces, their districts (huyện, quận, thị xã, thành phố
  thuộc tỉnh) and communes, table ``admin_units_legacy``.

Codes are the official ones (provinceCode, districtCode, wardCode). The
old→new mapping comes from the package's ``converter_2025.json``. The SQLite
file is opened read-only; every table is loaded once and cached.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kc_excel.catalog.names import Entry, NameIndex
from kc_excel.errors import ConfigError

Era = Literal["new", "old"]
LevelName = Literal["huyen", "xa"]


class Province(BaseModel):
    """A province (tỉnh) or centrally-run city (thành phố trực thuộc trung ương)."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str  # "Tỉnh Đồng Nai"
    short: str  # "Đồng Nai"
    era: Era

    @property
    def kind(self) -> str:
        """``"Tỉnh"`` or ``"Thành phố"``."""
        return self.name[: len(self.name) - len(self.short)].strip() or "Tỉnh"


class Unit(BaseModel):
    """A district-level (``level="huyen"``, era old) or commune-level (``level="xa"``) unit."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str  # "Huyện Tân Phú", "Phường Phước Long"
    short: str  # "Tân Phú"
    kind: str  # "Huyện", "Thành phố", "Thị xã", "Quận", "Xã", "Phường", "Thị trấn", "Đặc khu"
    level: LevelName
    province_code: str
    era: Era
    district_code: str | None = None  # for an old commune: its district


def _data_dir() -> Path:
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("Thiếu thư viện vietnamadminunits (danh mục đơn vị hành chính).",
                          message_en="The vietnamadminunits package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _query(sql: str) -> list[sqlite3.Row]:
    uri = (_data_dir() / "dataset.db").resolve().as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()


def _keywords(raw: str | None) -> tuple[str, ...]:
    return tuple(json.loads(raw)) if raw else ()


@cache
def _province_table(era: Era) -> tuple[tuple[Province, str, tuple[str, ...]], ...]:
    """(province, package key, keywords) in code order."""
    table = "admin_units" if era == "new" else "admin_units_legacy"
    rows = _query(f"SELECT DISTINCT provinceCode, province, provinceShort, provinceKey, provinceKeywords "
                  f"FROM {table} ORDER BY provinceCode")
    return tuple((Province(code=r[0], name=r[1], short=r[2], era=era), r[3], _keywords(r[4])) for r in rows)


# Names still typed for provinces the package lists under a later name.
_EXTRA_PROVINCE_ALIASES = {"46": ("Thừa Thiên Huế", "Tỉnh Thừa Thiên Huế", "TT Huế", "TTH")}


@cache
def _province_index(era: Era) -> NameIndex[Province]:
    entries = [Entry(p, p.code, p.name, p.short, p.kind, kw + _EXTRA_PROVINCE_ALIASES.get(p.code, ()))
               for p, _, kw in _province_table(era)]
    what = "tỉnh, thành phố" if era == "new" else "tỉnh, thành phố (trước 01/7/2025)"
    return NameIndex(entries, what, "province")


def provinces(era: Era = "new") -> list[Province]:
    """The 34 provinces (``era="new"``) or the 63 provinces before 1 July 2025 (``era="old"``)."""
    return [p for p, _, _ in _province_table(era)]


def find_province(text: object, era: Era = "new") -> Province:
    """The province named by ``text`` (full or short name, any case, with or without diacritics or prefix) or code.

    Raises :class:`~kc_excel.errors.UnknownNameError` listing close matches.
    """
    if isinstance(text, Province):
        return text if text.era == era else _by_code(text.code, era)
    return _province_index(era).find(text)


def _by_code(code: str, era: Era) -> Province:
    for p in provinces(era):
        if p.code == code:
            return p
    raise ConfigError(f"Không có tỉnh mã {code} trong danh mục {'mới' if era == 'new' else 'cũ (trước 01/7/2025)'}.",
                      message_en=f"No province with code {code} in the {era} list.")


def _province_key(province: Province) -> str:
    return next(key for p, key, _ in _province_table(province.era) if p.code == province.code)


@cache
def _new_communes() -> dict[str, tuple[tuple[Unit, str, tuple[str, ...]], ...]]:
    """Post-2025 communes by province code: (unit, package ward key, keywords)."""
    rows = _query("SELECT provinceCode, wardCode, ward, wardShort, wardType, wardKey, wardKeywords "
                  "FROM admin_units ORDER BY provinceCode, wardCode")
    out: dict[str, list] = defaultdict(list)
    for r in rows:
        unit = Unit(code=r[1], name=r[2], short=r[3], kind=r[4], level="xa", province_code=r[0], era="new")
        out[r[0]].append((unit, r[5], _keywords(r[6])))
    return {k: tuple(v) for k, v in out.items()}


@cache
def _old_table() -> tuple[dict[str, tuple], dict[str, tuple]]:
    """Pre-2025 (districts by province code, communes by district code); entries (unit, old key, keywords)."""
    rows = _query("SELECT provinceCode, districtCode, district, districtShort, districtType, districtKeywords, "
                  "wardCode, ward, wardShort, wardType, wardKeywords, provinceKey, districtKey, wardKey "
                  "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode")
    districts: dict[str, dict[str, tuple]] = defaultdict(dict)
    communes: dict[str, list] = defaultdict(list)
    for r in rows:
        key = f"{r[11]}_{r[12]}_{r[13] or ''}"
        if r[1] not in districts[r[0]]:
            unit = Unit(code=r[1], name=r[2], short=r[3], kind=r[4], level="huyen", province_code=r[0], era="old")
            districts[r[0]][r[1]] = (unit, f"{r[11]}_{r[12]}_", _keywords(r[5]))
        if r[6]:
            unit = Unit(code=r[6], name=r[7], short=r[8], kind=r[9] or "Xã", level="xa",
                        province_code=r[0], era="old", district_code=r[1])
            communes[r[1]].append((unit, key, _keywords(r[10])))
    return ({k: tuple(v.values()) for k, v in districts.items()}, {k: tuple(v) for k, v in communes.items()})


def _level_entries(province: Province, level: LevelName) -> tuple[tuple[Unit, str, tuple[str, ...]], ...]:
    if level == "xa":
        return _new_communes().get(province.code, ())
    if level == "huyen":
        return _old_table()[0].get(province.code, ())
    raise ConfigError(f"Cấp đơn vị “{level}” không hợp lệ (dùng “huyen” hoặc “xa”).",
                      message_en=f"Invalid unit level {level!r}; use 'huyen' or 'xa'.")


def _as_province(province: Province | str, level: LevelName) -> Province:
    return find_province(province, era="new" if level == "xa" else "old")


def units_of(province: Province | str, level: LevelName = "xa") -> list[Unit]:
    """The post-2025 communes of a new province (``level="xa"``) or the pre-2025 districts of an old one (``"huyen"``).

    A province given by name is looked up in the era that matches ``level``; a
    ``Province`` of the other era is taken as the one with the same code.
    """
    return [u for u, _, _ in _level_entries(_as_province(province, level), level)]


@cache
def _unit_index(code: str, level: LevelName) -> NameIndex[Unit]:
    era: Era = "new" if level == "xa" else "old"
    province = _by_code(code, era)
    entries = [Entry(u, u.code, u.name, u.short, u.kind, kw) for u, _, kw in _level_entries(province, level)]
    what = f"xã, phường của {province.name}" if level == "xa" else f"huyện, thị xã, thành phố của {province.name} (trước 01/7/2025)"
    return NameIndex(entries, what, "commune" if level == "xa" else "district")


def find_unit(province: Province | str, text: object, level: LevelName = "xa") -> Unit:
    """The unit of ``province`` named by ``text`` (name in any spelling, with or without kind prefix, or code).

    Two units of one province that share a short name stay distinct: the bare
    short name is then ambiguous and raises
    :class:`~kc_excel.errors.UnknownNameError` listing both codes.
    """
    if isinstance(text, Unit):
        return text
    p = _as_province(province, level)
    return _unit_index(p.code, level).find(text)


def communes_of(unit: Unit) -> list[Unit]:
    """The communes of a unit: a pre-2025 district's pre-2025 communes; a commune itself.

    An island district without communes (Côn Đảo, Lý Sơn, ...) is its own only commune.
    """
    if unit.level == "xa":
        return [unit]
    found = [u for u, _, _ in _old_table()[1].get(unit.code, ())]
    return found or [unit]
