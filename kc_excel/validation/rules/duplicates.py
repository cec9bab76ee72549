"""duplicate-line: the same activity for the same facility and content/location twice in one file.

Two rows are the same line when they share the activity, the facility (tax
code when given, else the Cơ sở thụ hưởng name) and the Tên đề án and Địa
điểm (compared without diacritics, case or extra spaces). The second and later
rows get a warning at their Tên đề án cell naming the first row.
"""

from __future__ import annotations

from typing import Iterator

from kc_excel.validation.context import FileContext, Row
from kc_excel.validation.issues import Issue
from kc_excel.validation.registry import rule
from kc_excel.validation.rules.lookups import activity_of
from kc_excel.validation.rules.tax import tax_code_text


def line_key(row: Row) -> tuple[str, ...] | None:
    activity = activity_of(row)
    activity_key = activity.code if activity is not None else row.key_text("hoat_dong")
    facility = "" if row.blank("ma_so_thue") else tax_code_text(row.raw("ma_so_thue")).replace("-", "")
    facility = facility or row.key_text("co_so")
    content, place = row.key_text("ten_de_an"), row.key_text("dia_diem")
    if not activity_key or not (facility or content):
        return None
    return activity_key, facility, content, place


@rule("duplicate-line", scope="file")
def duplicate_line(ctx: FileContext) -> Iterator[Issue]:
    first: dict[tuple[str, ...], Row] = {}
    for row in ctx.rows:
        key = line_key(row)
        if key is None:
            continue
        if key in first:
            earlier = first[key].number_row
            yield row.issue("duplicate-line", "ten_de_an", f"trùng với dòng {earlier}", f"same as row {earlier}")
        else:
            first[key] = row
