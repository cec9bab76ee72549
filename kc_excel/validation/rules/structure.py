"""Structure: year-mismatch (``_kc.nam`` against the year being checked); layout-altered for a
registration whose ``_kc`` identity is not the template's (:func:`kc_excel.signing.altered_keys`:
a key missing, renamed, repeated or extra, a money unit other than triệu đồng), as an error.

The other structural codes come from the reader: ``not-a-kc-workbook`` (file
level), ``template-outdated``, ``layout-altered``, ``missing-column``,
``legacy-encoding``, ``row-outside-table``; the runner keeps them in the report.
"""

from __future__ import annotations

from typing import Iterator

from kc_excel.signing import altered_keys
from kc_excel.validation.context import FileContext
from kc_excel.validation.issues import Issue, Severity, make_issue
from kc_excel.validation.registry import rule
from kc_excel.workbook.layout import Kind, Meta


@rule("year-mismatch", scope="file", kinds=(Kind.REGISTRATION, Kind.RESULTS))
def year_mismatch(ctx: FileContext) -> Iterator[Issue]:
    if ctx.expected_year is None:
        return
    written = str(ctx.meta.get(Meta.YEAR) or "").strip()
    if not written:
        return
    try:
        year = int(float(written))
    except ValueError:
        year = None
    if year != int(ctx.expected_year):
        yield ctx.meta_issue("year-mismatch", Meta.YEAR,
                             f"biểu mẫu ghi năm {written}, đang kiểm tra kế hoạch năm {ctx.expected_year}",
                             f"the workbook is for {written}, the check is for {ctx.expected_year}", written)


@rule("layout-altered", scope="file", kinds=(Kind.REGISTRATION,))  # yields errors: an edited _kc
def kc_identity_altered(ctx: FileContext) -> Iterator[Issue]:
    if not ctx.meta:
        return  # a form without _kc: nothing claimed
    altered = altered_keys(ctx.meta)
    if altered is not None:
        yield make_issue("layout-altered", altered[0], detail_en=altered[1], severity=Severity.ERROR,
                         file=ctx.path, sheet="_kc")
