"""Support norms (định mức hỗ trợ): the maximum share and amount of support per activity.

:func:`default_norms` ships the caps of Điều 6 Thông tư liên tịch
26/2014/TTLT-BTC-BCT (hiệu lực 08/04/2014) for khuyến công quốc gia, each
labelled with its source. A province overrides them with its own norms
(HĐND/UBND decisions) from a workbook with table ``DinhMuc``
(:data:`kc_excel.workbook.layout.NORMS`), read by
:func:`kc_excel.catalog.norms_file.load_norms`.

A norm caps the support asked (KCQG + KCĐP) of one line at ``max_ratio`` ×
Tổng kinh phí and at ``max_amount`` × Số lượng when the line counts Số lượng
in the unit ``per`` (see :meth:`Norm.amount_cap`).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from importlib import resources
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field

from kc_excel.errors import ConfigError
from kc_excel.numbers import parse_number
from kc_excel.text import fold

DEFAULT_NORMS_FILE = "norms_tt26_2014.json"
TRIEU = 1_000_000


class Norm(BaseModel):
    """The cap of one activity: ``max_ratio`` of the total cost, ``max_amount`` đồng per unit ``per``."""

    model_config = ConfigDict(frozen=True)

    activity: str
    max_ratio: Decimal | None = Field(default=None, ge=0, le=1)
    max_amount: int | None = Field(default=None, ge=0)
    per: str
    source: str
    effective: date
    note: str = ""

    def ratio_cap(self, tong: int) -> int | None:
        """The most support allowed by the ratio for a line costing ``tong`` đồng (rounded down)."""
        if self.max_ratio is None:
            return None
        return int((self.max_ratio * tong).to_integral_value(rounding=ROUND_FLOOR))

    def amount_cap(self, so_luong: Decimal | int | None, don_vi_tinh: str | None) -> int | None:
        """``max_amount`` × ``so_luong`` when the line is counted in ``per``; None when the cap cannot apply."""
        if self.max_amount is None or so_luong is None or don_vi_tinh is None:
            return None
        if fold(don_vi_tinh) != fold(self.per):
            return None
        return int((Decimal(self.max_amount) * Decimal(so_luong)).to_integral_value(rounding=ROUND_FLOOR))


@cache
def _defaults() -> dict[str, Norm]:
    path = resources.files("kc_excel.catalog").joinpath("data").joinpath(DEFAULT_NORMS_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    effective = date.fromisoformat(data["effective"])
    norms = {}
    for row in data["norms"]:
        ratio = row["max_ratio_percent"]
        amount = row["max_amount_trieu"]
        norms[row["activity"]] = Norm(
            activity=row["activity"],
            max_ratio=None if ratio is None else parse_number(ratio) / 100,
            max_amount=None if amount is None else int(parse_number(amount) * TRIEU),
            per=row["per"],
            source=row["source"],
            effective=effective,
            note=row.get("note", ""),
        )
    return norms


def default_norms() -> dict[str, Norm]:
    """The caps of Điều 6 Thông tư liên tịch 26/2014/TTLT-BTC-BCT, by activity code (a fresh dict)."""
    return dict(_defaults())


def in_force(rows: Iterable[Norm], as_of: date | None = None) -> dict[str, Norm]:
    """:func:`default_norms` overridden, per activity, by the row with the latest Ngày hiệu lực on or before
    ``as_of`` (every row when ``as_of`` is None); a row not yet in force is never applied."""
    chosen: dict[str, Norm] = {}
    for norm in rows:
        if as_of is not None and norm.effective > as_of:
            continue
        current = chosen.get(norm.activity)
        if current is None or norm.effective > current.effective:
            chosen[norm.activity] = norm
    return {**default_norms(), **chosen}


class NormsInForce:
    """Every row of a province's norms file: the norms in force for a plan year on demand (picklable)."""

    def __init__(self, rows: Iterable[Norm], meta: dict[str, str] | None = None, name: str = "") -> None:
        self.rows = tuple(rows)
        self.meta = dict(meta or {})
        """The file's ``_kc`` (``ma_tinh``, ``ten_tinh``) when it has one."""
        self.name = name

    def check_province(self, code: str | None, name: str = "") -> None:
        """ConfigError when the norms file states another province than the run's (never applied silently)."""
        mine = str(self.meta.get("ma_tinh") or "").strip()
        if mine and code and mine != str(code).strip():
            theirs = self.meta.get("ten_tinh") or f"mã {mine}"
            raise ConfigError(f"Tệp định mức “{self.name}” là của {theirs} (mã {mine}), không dùng cho {name or code} "
                              f"(mã {code}).", message_en=f"The norms file {self.name} is of province {mine}, "
                                                          f"not of {name or code} ({code}).")

    def for_year(self, year: int | None) -> dict[str, Norm]:
        """The norms in force on 1 January of the plan ``year`` (the latest of each activity when unknown)."""
        return in_force(self.rows, date(year, 1, 1) if year else None)
