"""Tax codes (mã số thuế): invalid-tax-code, tax-code-leading-zero, missing-tax-code.

- 10 digits (enterprise) or 13 digits (branch, ``0314409058-002``): checked with
  :mod:`stdnum.vn.mst` (length, digits, check digit of the first ten).
- 12 digits: since 1 July 2025 the personal identification number (số định
  danh cá nhân, the CCCD number) serves as the tax code of individuals and
  household businesses (Circular 86/2024/TT-BTC). ``stdnum.vn.mst`` knows
  only 10/13 digits and the CCCD number has no check digit, so we check its
  structure: 12 digits whose first three are a province code of the CCCD
  numbering (the pre-2025 province codes 001-096, Circular 59/2021/TT-BCA),
  then a century-and-sex digit and two digits of the birth year: a birth year
  after this year is invalid.
- The branch suffix follows a "-" (``0314409058-001``); ``0314409058/001`` is
  invalid because of the "/", and the message says so.
- A code typed as a number loses its leading zero in Excel (``314409058``, or
  ``75202001234`` for a personal number): a 9- or 11-digit number is read with
  the zero put back, as the user meant it, and ``tax-code-leading-zero`` says
  so, with how to keep the zero (format the column as Text and type it again).

Missing: Loại hình DNNVV or HTX requires a tax code.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterator

from stdnum.vn import mst

from kc_excel.validation.context import Row
from kc_excel.validation.issues import Issue
from kc_excel.validation.registry import rule
from kc_excel.validation.rules.lookups import facility_type

# Province codes of the CCCD numbering (= pre-2025 GSO province codes).
CCCD_PROVINCES = frozenset({
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38,
    40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80,
    82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
})
NEEDS_TAX_CODE = ("DNNVV", "HTX")
_SEPARATORS = re.compile(r"[\s.\-–]")
_LOST_ZERO = {9: 10, 11: 12}  # digits of a number cell → digits of the code the user typed
_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}
"""Fourth digit of a personal number (sex and century of birth, Circular 59/2021/TT-BCA) → century."""


def _typed_as_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) else None


def tax_code_text(value: Any) -> str:
    """The digits as the user meant them (a number loses its leading zero in Excel)."""
    number = _typed_as_number(value)
    if number is None:
        return str(value).strip()
    text = str(number)
    return text.zfill(_LOST_ZERO.get(len(text), len(text)))


def lost_leading_zero(value: Any) -> bool:
    """True when a number cell holds a 10- or 12-digit code without its leading zero."""
    number = _typed_as_number(value)
    return number is not None and number > 0 and len(str(number)) in _LOST_ZERO


def birth_year(digits: str) -> int:
    """Year of birth in a 12-digit personal number: ``075202001234`` → 2002."""
    return _CENTURY[int(digits[3])] + int(digits[4:6])


def _personal_number_problem(digits: str, today: date | None) -> tuple[str, str] | None:
    if int(digits[:3]) not in CCCD_PROVINCES:
        return (f"mã tỉnh {digits[:3]} của số định danh cá nhân không tồn tại",
                f"province code {digits[:3]} of the personal number does not exist")
    year, this_year = birth_year(digits), (today or date.today()).year
    if year > this_year:
        return (f"năm sinh {year} trong số định danh cá nhân chưa tới (sau năm {this_year})",
                f"the birth year {year} in the personal number is in the future (after {this_year})")
    return None


def is_valid_tax_code(value: Any, *, today: date | None = None) -> bool:
    """True for a valid 10/13-digit MST (check digit) or a well-formed 12-digit personal number."""
    text = tax_code_text(value)
    digits = _SEPARATORS.sub("", text)
    if len(digits) == 12 and digits.isdigit():
        return _personal_number_problem(digits, today) is None
    return bool(mst.is_valid(text))


def why_invalid(value: Any, *, today: date | None = None) -> tuple[str, str]:
    text = tax_code_text(value)
    if "/" in text:
        return ("có dấu '/': mã chi nhánh viết sau dấu gạch ngang '-' (ví dụ 0314409058-001)",
                "contains '/': the branch suffix follows a '-' (e.g. 0314409058-001)")
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit():
        return "có ký tự không phải chữ số", "contains characters other than digits"
    if len(digits) not in (10, 12, 13):
        return f"có {len(digits)} chữ số (cần 10, 13 hoặc 12)", f"has {len(digits)} digits (10, 13 or 12 expected)"
    if len(digits) == 12:
        return _personal_number_problem(digits, today) or ("không hợp lệ", "is invalid")
    if len(digits) == 13 and digits.endswith("000"):
        return "mã chi nhánh 000 không hợp lệ (bắt đầu từ 001)", "branch suffix 000 is invalid (001 upwards)"
    return "sai chữ số kiểm tra", "wrong check digit"


@rule("invalid-tax-code")
def invalid_tax_code(row: Row) -> Iterator[Issue]:
    value = row.raw("ma_so_thue")
    if row.blank("ma_so_thue") or is_valid_tax_code(value):
        return
    vi, en = why_invalid(value)
    yield row.issue("invalid-tax-code", "ma_so_thue", f"'{tax_code_text(value)}' {vi}", f"'{tax_code_text(value)}' {en}")


@rule("tax-code-leading-zero")
def tax_code_leading_zero(row: Row) -> Iterator[Issue]:
    value = row.raw("ma_so_thue")
    if row.blank("ma_so_thue") or not lost_leading_zero(value):
        return
    yield row.issue("tax-code-leading-zero", "ma_so_thue", f"ô chứa số {value:.0f}, đọc là '{tax_code_text(value)}'",
                    f"the cell holds the number {value:.0f}, read as '{tax_code_text(value)}'")


@rule("missing-tax-code")
def missing_tax_code(row: Row) -> Iterator[Issue]:
    kind = row.text("loai_hinh")
    if kind is None or not row.blank("ma_so_thue") or not row.has_column("ma_so_thue"):
        return
    canonical = facility_type(kind)
    if canonical in NEEDS_TAX_CODE:
        yield row.issue("missing-tax-code", "ma_so_thue", f"loại hình {canonical} phải có mã số thuế",
                        f"a {canonical} must have a tax code")
