"""Required values: Tên đề án, Hoạt động, and Cơ sở thụ hưởng when the activity supports a facility.

For programme (``ChiTieu``) and results (``KetQua``) tables the columns marked
``required`` in :mod:`kc_excel.workbook.layout` are checked the same way.
"""

from __future__ import annotations

from typing import Iterator

from kc_excel.validation.context import FileContext, Row, is_blank_record
from kc_excel.validation.issues import Issue, make_issue
from kc_excel.validation.registry import rule
from kc_excel.validation.rules.lookups import activity_of
from kc_excel.workbook.layout import Kind

ALWAYS = ("ten_de_an", "hoat_dong")


@rule("required-missing")
def required_missing(row: Row) -> Iterator[Issue]:
    for key in ALWAYS:
        if row.has_column(key) and row.blank(key):
            header = row.ctx.header(key)
            yield row.issue("required-missing", key, f"cột {header} để trống", f"column {header} is empty")
    activity = activity_of(row)
    if activity is not None and activity.supports_facility and row.has_column("co_so") and row.blank("co_so"):
        header = row.ctx.header("co_so")
        yield row.issue("required-missing", "co_so",
                        f"hoạt động “{activity.label}” hỗ trợ cơ sở nên phải ghi {header}",
                        f"activity “{activity.label}” supports a facility, so {header} is required")


@rule("required-missing", scope="file", kinds=(Kind.PROGRAMME, Kind.RESULTS))
def required_in_other_tables(ctx: FileContext) -> Iterator[Issue]:
    for table in ctx.data.tables.values():
        if table.layout.kind == Kind.REGISTRATION:
            continue
        required = [c for c in table.layout.columns if c.required and c.key in table.columns]
        for record in table.records:
            if is_blank_record(record):
                continue
            for column in required:
                if _blank(record.value(column.key)):
                    header = str(table.columns[column.key].value or column.header)
                    yield make_issue("required-missing", f"cột {header} để trống", detail_en=f"column {header} is empty",
                                     file=ctx.path, sheet=record.sheet, cell=table.column_ref(column.key, record.row),
                                     row=record.row, column=header, value=None)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
