"""Tiến độ kỳ vọng: how far through its period an indicator should be by the as-of month.

Periods are whole calendar years (Từ năm … Đến năm); the as-of point is a
month (``--as-of YYYY-MM``) and counts as elapsed, so 2021-2025 as of 2023-12
is 36 of 60 months = 60%. Everything is exact :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kc_excel.text import nfc
from kc_excel.workbook.layout import MAX_YEAR, MIN_YEAR

_AS_OF_FORMATS = (
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})"),  # 2023-12
    re.compile(r"(?:[Tt](?:háng)?\s*)?(?P<month>\d{1,2})\s*[/-]\s*(?P<year>\d{4})"),  # 12/2023, 12-2023, T12/2023
)
AS_OF_EXAMPLES = "2023-12, 12/2023, 12-2023 hoặc T12/2023"


@dataclass(frozen=True, order=True)
class AsOf:
    """The as-of month of a report (``YYYY-MM``)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"Tháng {self.month} không hợp lệ (1-12)")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"Năm {self.year} không hợp lệ (từ {MIN_YEAR} đến {MAX_YEAR})")

    @classmethod
    def parse(cls, text: str) -> AsOf:
        """``"2023-12"``, ``"12/2023"``, ``"12-2023"``, ``"T12/2023"`` → ``AsOf(2023, 12)``.

        ValueError with a Vietnamese message otherwise.
        """
        body = nfc(text or "").strip()
        for pattern in _AS_OF_FORMATS:
            match = pattern.fullmatch(body)
            if match:
                return cls(int(match.group("year")), int(match.group("month")))
        raise ValueError(f"Thời điểm đánh giá '{text}' không đúng dạng tháng/năm ({AS_OF_EXAMPLES})")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label_vi(self) -> str:
        """``"12/2023"`` as Vietnamese reports write it."""
        return f"{self.month:02d}/{self.year}"


def period_months(from_year: int, to_year: int) -> int:
    """Months of the period Từ năm … Đến năm, both years included."""
    return (to_year - from_year + 1) * 12


def months_elapsed(from_year: int, to_year: int, as_of_year: int, as_of_month: int) -> int:
    """Months from January of Từ năm through the as-of month, within ``[0, period_months]``."""
    elapsed = (as_of_year - from_year) * 12 + as_of_month
    return max(0, min(elapsed, period_months(from_year, to_year)))


def expected_pace(from_year: int, to_year: int, as_of_year: int, as_of_month: int) -> Decimal:
    """Tiến độ kỳ vọng as a fraction: 0 before the period starts, 1 once it is over."""
    if to_year < from_year:
        raise ValueError("Đến năm phải không trước Từ năm")
    if not 1 <= as_of_month <= 12:
        raise ValueError(f"Tháng {as_of_month} không hợp lệ (1-12)")
    return Decimal(months_elapsed(from_year, to_year, as_of_year, as_of_month)) / Decimal(
        period_months(from_year, to_year))


def period_over(to_year: int, as_of_year: int, as_of_month: int) -> bool:
    """True when the as-of month is December of Đến năm or later."""
    return (as_of_year, as_of_month) >= (to_year, 12)
