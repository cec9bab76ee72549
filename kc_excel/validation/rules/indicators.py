"""Programme (``ChiTieu``) and results (``KetQua``, ``SoLieuCongBo``) workbooks validated by their own rules.

``kc-excel validate`` on a programme or a results workbook runs the same
readers ``kc-excel attainment`` uses (:mod:`kc_excel.attainment.io`), so a
duplicate indicator code, an unknown Cách cộng dồn, a misstated figure… are
found before the attainment run. ``required-missing`` is left to
:mod:`.required`, which checks every required column of these tables.

The attainment readers are imported inside the rules, not at the top: they
check with pandera (:mod:`kc_excel.attainment.schema`), whose import (pandas
included, ~0.35 s) a registration file never needs; the readers' fork server
imports every rule module (``tests/test_rules_ranges.py`` checks it stays so).
"""

from __future__ import annotations

from typing import Iterator

from kc_excel.attainment.checks import check_stated
from kc_excel.attainment.core import merge_results
from kc_excel.errors import InputError
from kc_excel.units import Readings
from kc_excel.validation.context import FileContext
from kc_excel.validation.issues import Issue
from kc_excel.validation.registry import rule
from kc_excel.workbook.layout import Kind

_LEFT_TO_OTHER_RULES = {"required-missing"}


@rule("duplicate-indicator", scope="file", kinds=(Kind.PROGRAMME,))
def programme_rows(ctx: FileContext) -> Iterator[Issue]:
    # heavy: attainment.io imports openpyxl, which no reader child needs for a registration (+0.2 s per start)
    from kc_excel.attainment.io import read_programme

    readings = Readings()
    try:
        _, issues = read_programme(ctx.data, readings)
    except InputError:  # no ChiTieu table: the reader has said so (missing-column / layout)
        return
    yield from (i for i in [*issues, *readings.issues()] if i.code not in _LEFT_TO_OTHER_RULES)


@rule("duplicate-result", scope="file", kinds=(Kind.RESULTS,))
def results_rows(ctx: FileContext) -> Iterator[Issue]:
    # heavy: as above
    from kc_excel.attainment.io import read_results, read_stated

    try:
        results, issues = read_results(ctx.data)
    except InputError:  # no KetQua table: the reader has said so
        return
    _, duplicates = merge_results(results)
    figures, stated = read_stated(ctx.data)
    found = [*issues, *duplicates, *stated, *check_stated(figures)]
    yield from (i for i in found if i.code not in _LEFT_TO_OTHER_RULES)
