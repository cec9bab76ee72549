"""Catalogue columns: unknown-activity, unknown-unit-of-measure, unit-mismatch, unknown-facility-type."""

from __future__ import annotations

from typing import Iterator

from kc_excel.catalog import FACILITY_TYPES
from kc_excel.validation.context import Row
from kc_excel.validation.issues import Issue
from kc_excel.validation.registry import rule
from kc_excel.validation.rules.lookups import (activity_lookup, activity_of, facility_type, fold_index, folded,
                                               unit_of_measure)


@rule("unknown-activity")
def unknown_activity(row: Row) -> Iterator[Issue]:
    found = activity_lookup(row)
    if found is None or found[0] is not None:
        return
    text, suggestions = row.text("hoat_dong"), found[1]
    hint = f"; có phải: {', '.join(suggestions[:3])}?" if suggestions else ""
    hint_en = f"; did you mean: {', '.join(suggestions[:3])}?" if suggestions else ""
    yield row.issue("unknown-activity", "hoat_dong", f"'{text}'{hint}", f"'{text}'{hint_en}")


@rule("unknown-unit-of-measure")
def unknown_unit_of_measure(row: Row) -> Iterator[Issue]:
    text = row.text("don_vi_tinh")
    if text is not None and unit_of_measure(text) is None:
        yield row.issue("unknown-unit-of-measure", "don_vi_tinh", f"'{text}'", f"'{text}'")


@rule("unit-mismatch")
def unit_mismatch(row: Row) -> Iterator[Issue]:
    activity, text = activity_of(row), row.text("don_vi_tinh")
    if activity is None or text is None or unit_of_measure(text) is None:
        return
    if folded(text) not in fold_index(tuple(activity.units)):
        allowed = ", ".join(activity.units)
        yield row.issue("unit-mismatch", "don_vi_tinh",
                        f"hoạt động “{activity.label}” dùng đơn vị tính {allowed}, không dùng '{text}'",
                        f"activity “{activity.label}” is counted in {allowed}, not '{text}'")


@rule("unknown-facility-type")
def unknown_facility_type(row: Row) -> Iterator[Issue]:
    text = row.text("loai_hinh")
    if text is not None and facility_type(text) is None:
        allowed = ", ".join(FACILITY_TYPES)
        yield row.issue("unknown-facility-type", "loai_hinh", f"'{text}' (chọn một trong: {allowed})",
                        f"'{text}' (one of: {allowed})")
