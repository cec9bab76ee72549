"""Tax codes (mã số thuế): invalid-tax-code, missing-tax-code.

- 10 digits (enterprise) or 13 digits (branch, ``0314409058-002``): checked with
  :mod:`stdnum.vn.mst` (length, digits, check digit of the first ten).
- 12 digits: since 1 July 2025 the personal identification number (số định
  danh cá nhân, the CCCD number) serves as the tax code of individuals and
  household businesses (Circular 86/2024/TT-BTC). ``stdnum.vn.mst`` knows
  only 10/13 digits and the CCCD number has no check digit, so we check its
  structure: 12 digits whose first three are a province code of the CCCD
  numbering (the pre-2025 province codes 001-096, Circular 59/2021/TT-BCA).
- A code typed as a number loses its leading zero in Excel (``314409058``):
  a 9-digit number is read with the zero put back, as the user meant it.

Missing: Loại hình DNNVV or HTX requires a tax code.
"""

from __future__ import annotations

import re
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
_SEPARATORS = re.compile(r"[\s.\-–/]")


def tax_code_text(value: Any) -> str:
    """The digits as the user meant them (a number loses its leading zero in Excel)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        return text.zfill(10) if len(text) == 9 else text
    return str(value).strip()


def is_valid_tax_code(value: Any) -> bool:
    """True for a valid 10/13-digit MST (check digit) or a well-formed 12-digit personal number."""
    text = tax_code_text(value)
    digits = _SEPARATORS.sub("", text)
    if len(digits) == 12 and digits.isdigit():
        return int(digits[:3]) in CCCD_PROVINCES
    return bool(mst.is_valid(text))


def why_invalid(value: Any) -> tuple[str, str]:
    digits = _SEPARATORS.sub("", tax_code_text(value))
    if not digits.isdigit():
        return "có ký tự không phải chữ số", "contains characters other than digits"
    if len(digits) not in (10, 12, 13):
        return f"có {len(digits)} chữ số (cần 10, 13 hoặc 12)", f"has {len(digits)} digits (10, 13 or 12 expected)"
    if len(digits) == 12:
        return (f"mã tỉnh {digits[:3]} của số định danh cá nhân không tồn tại",
                f"province code {digits[:3]} of the personal number does not exist")
    return "sai chữ số kiểm tra", "wrong check digit"


@rule("invalid-tax-code")
def invalid_tax_code(row: Row) -> Iterator[Issue]:
    value = row.raw("ma_so_thue")
    if row.blank("ma_so_thue") or is_valid_tax_code(value):
        return
    vi, en = why_invalid(value)
    yield row.issue("invalid-tax-code", "ma_so_thue", f"'{tax_code_text(value)}' {vi}", f"'{tax_code_text(value)}' {en}")


@rule("missing-tax-code")
def missing_tax_code(row: Row) -> Iterator[Issue]:
    kind = row.text("loai_hinh")
    if kind is None or not row.blank("ma_so_thue") or not row.has_column("ma_so_thue"):
        return
    canonical = facility_type(kind)
    if canonical in NEEDS_TAX_CODE:
        yield row.issue("missing-tax-code", "ma_so_thue", f"loại hình {canonical} phải có mã số thuế",
                        f"a {canonical} must have a tax code")
