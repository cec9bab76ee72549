"""Domain models: what a plan line (a slotted dataclass), a target and a result (pydantic) are.

Money is integer đồng everywhere inside kc-excel. Quantities and indicator
values are ``Decimal`` (exact), converted to float only for display and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

Direction = Literal["Càng cao càng tốt", "Càng thấp càng tốt"]
Aggregation = Literal["Cộng dồn", "Kỳ cuối", "Bình quân"]
HIGHER_IS_BETTER: Direction = "Càng cao càng tốt"
LOWER_IS_BETTER: Direction = "Càng thấp càng tốt"
CUMULATIVE: Aggregation = "Cộng dồn"
LATEST: Aggregation = "Kỳ cuối"
MEAN: Aggregation = "Bình quân"
DIRECTIONS: tuple[str, ...] = (HIGHER_IS_BETTER, LOWER_IS_BETTER)
"""The closed list of Chiều đánh giá (contract §2.2)."""
AGGREGATIONS: tuple[str, ...] = (CUMULATIVE, LATEST, MEAN)
"""The closed list of Cách cộng dồn (contract §2.2)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanLine:
    """One đề án, nhiệm vụ of a registration (a row of table ``DangKy``), with where it came from.

    A plain slotted dataclass (a country's plan holds some 130,000 of them at once, each
    about a named tuple's size). Money is integer đồng, never negative; the months are
    1-12: :meth:`__post_init__` raises ``ValueError`` otherwise. The provenance fields
    (``unit_code`` … ``email_date``) are set by validation (file, sheet, row) and by
    consolidation when the file is placed in a unit (:meth:`placed`).
    """

    stt: int | None = None
    ten_de_an: str
    hoat_dong: str  # activity code from the catalogue, e.g. "MAY_MOC"
    don_vi_thuc_hien: str | None = None
    co_so: str | None = None
    ma_so_thue: str | None = None
    loai_hinh: str | None = None
    dia_diem: str | None = None
    don_vi_tinh: str | None = None
    so_luong: Decimal | None = None
    tong: int = 0
    kcqg: int = 0
    kcdp: int = 0
    doi_ung: int = 0
    khac: int = 0
    thang_bat_dau: int | None = None
    thang_ket_thuc: int | None = None
    ghi_chu: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    sha256: str | None = None
    email_from: str | None = None
    email_date: str | None = None

    def __post_init__(self) -> None:
        for name in _MONEY:
            value = getattr(self, name)
            if type(value) is not int or value < 0:
                raise ValueError(f"{name}: số tiền phải là số nguyên đồng không âm, không phải {value!r}")
        for name in ("thang_bat_dau", "thang_ket_thuc"):
            value = getattr(self, name)
            if value is not None and (type(value) is not int or not 1 <= value <= 12):
                raise ValueError(f"{name}: tháng phải từ 1 đến 12, không phải {value!r}")
        if self.row is not None and (type(self.row) is not int or self.row < 1):
            raise ValueError(f"row: số dòng phải từ 1, không phải {self.row!r}")
        if type(self.so_luong) is int:  # a whole quantity, as pydantic took it: kept exact
            object.__setattr__(self, "so_luong", Decimal(self.so_luong))
        if self.so_luong is not None and not (isinstance(self.so_luong, Decimal) and self.so_luong.is_finite()):
            raise ValueError(f"so_luong: số lượng phải là số thập phân hữu hạn, không phải {self.so_luong!r}")

    @classmethod
    def as_read(cls, **values: Any) -> PlanLine:
        """A line as read from a row that has an error, its values unchecked (a round keeps it for diffs;
        it never reaches a plan). Unknown field names still raise ``TypeError``."""
        unknown = set(values) - set(PLAN_LINE_FIELDS)
        if unknown:
            raise TypeError(f"PlanLine has no field {sorted(unknown)}")
        line = object.__new__(cls)
        for item in fields(cls):
            object.__setattr__(line, item.name, values.get(item.name, item.default))
        return line

    def placed(self, **source: Any) -> PlanLine:
        """This line with its provenance (``unit_code``, ``file``, …) set, as consolidation places it in a
        unit. Its values are not checked again: they were when the line was built, or were kept
        unchecked on purpose (:meth:`as_read`, a line with an error that a round keeps for its diffs)."""
        unknown = set(source) - set(SOURCE_FIELDS)
        if unknown:
            raise TypeError(f"not a provenance field: {sorted(unknown)}")
        return PlanLine.as_read(**{**{name: getattr(self, name) for name in PLAN_LINE_FIELDS}, **source})


_MONEY = ("tong", "kcqg", "kcdp", "doi_ung", "khac")
PLAN_LINE_FIELDS: tuple[str, ...] = tuple(item.name for item in fields(PlanLine))
"""Every field of a plan line, in order: the line's own, then its provenance (:data:`SOURCE_FIELDS`)."""
SOURCE_FIELDS: tuple[str, ...] = ("unit_code", "unit_name", "file", "sheet", "row", "sha256", "email_from",
                                  "email_date")
"""Where a line came from: the submitting unit, its file, sheet and row, the file's SHA-256, the e-mail."""
LINE_FIELDS: tuple[str, ...] = tuple(name for name in PLAN_LINE_FIELDS if name not in SOURCE_FIELDS)
"""What the unit wrote: the fields of a line without its provenance."""


class Target(_Model):
    """One indicator of the five-year programme (a row of table ``ChiTieu``)."""

    code: str
    name: str
    activity: str | None = None
    unit: str | None = None
    target_min: Decimal | None = None
    target_max: Decimal | None = None
    direction: Direction = HIGHER_IS_BETTER
    aggregation: Aggregation = CUMULATIVE
    from_year: int
    to_year: int
    note: str | None = None

    @model_validator(mode="after")
    def _period(self) -> Target:
        if self.to_year < self.from_year:
            raise ValueError("Đến năm phải không trước Từ năm")
        return self

    @property
    def upper(self) -> Decimal | None:
        """Tối đa, or tối thiểu for a point target."""
        return self.target_max if self.target_max is not None else self.target_min


class Result(_Model):
    """One reported value of an indicator for one year (a row of table ``KetQua``)."""

    code: str
    year: int
    value: Decimal
    note: str | None = None
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
