"""Domain models (pydantic): what a plan line, a submission, a target and a result are.

Money is integer đồng everywhere inside kc-excel. Quantities and indicator
values are ``Decimal`` (exact), converted to float only for display and JSON.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator

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


class Provenance(_Model):
    """Where a number came from: the submitting unit's file, sheet and row."""

    unit_code: str | None = None
    unit_name: str | None = None
    file: str
    sheet: str
    row: int = Field(ge=1)
    sha256: str
    email_from: str | None = None
    email_date: str | None = None


class PlanLine(_Model):
    """One đề án, nhiệm vụ of a registration (a row of table ``DangKy``)."""

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
    tong: NonNegativeInt = 0
    kcqg: NonNegativeInt = 0
    kcdp: NonNegativeInt = 0
    doi_ung: NonNegativeInt = 0
    khac: NonNegativeInt = 0
    thang_bat_dau: int | None = Field(default=None, ge=1, le=12)
    thang_ket_thuc: int | None = Field(default=None, ge=1, le=12)
    ghi_chu: str | None = None
    source: Provenance | None = None

    @property
    def kinh_phi_khuyen_cong(self) -> int:
        """KCQG + KCĐP: the support asked from khuyến công funds, in đồng."""
        return self.kcqg + self.kcdp


class SubmissionMeta(_Model):
    """The ``_kc`` sheet of a workbook, parsed."""

    kind: str | None = None
    version: int | None = None
    province_code: str | None = None
    province_name: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    unit_level: str | None = None
    year: int | None = None
    from_year: int | None = None
    to_year: int | None = None
    money_unit: str = "trieu-dong"
    created: datetime | None = None
    checksum: str | None = None
    identity: str | None = None
    signature: str | None = None


class Submission(_Model):
    """One unit's registration file, read and validated."""

    path: str
    sha256: str
    meta: SubmissionMeta
    lines: tuple[PlanLine, ...] = ()
    errors: NonNegativeInt = 0
    warnings: NonNegativeInt = 0


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
