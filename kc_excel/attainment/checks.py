"""Consistency checks of stated figures (số liệu công bố) transcribed from published reports.

Staff copy figures from reports into the optional table ``SoLieuCongBo``
(sheet "Số liệu công bố" of a results workbook, see docs/attainment.md). Each
row has a Mã, a Loại and a Giá trị công bố; rows of Loại Tổng, Tỷ lệ and
Chênh lệch also name their Thành phần, written with the codes of other rows
(or plain numbers)::

    KP_CT    Số liệu      23.308.200.000
    KP_GN    Số liệu      13.216.387.314
    KP_TL    Tỷ lệ        56,7%            KP_GN / KP_CT
    KP_GIAM  Chênh lệch   10.225.812.686   KP_CT - KP_GN     → stated-difference-mismatch

A stated value is compared within half a unit of its last stated digit
(56,7% accepts 56,65%-56,75%; a whole number must match exactly), so a figure
rounded as published is not flagged but a mistyped one is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping

from kc_excel.numbers import parse_number
from kc_excel.text import fold, match_option
from kc_excel.validation.issues import Issue, make_issue

FIGURE, TOTAL, RATE, DIFFERENCE = "Số liệu", "Tổng", "Tỷ lệ", "Chênh lệch"
KINDS = (FIGURE, TOTAL, RATE, DIFFERENCE)
_OPERATOR = {TOTAL: "+", DIFFERENCE: "-", RATE: "/"}
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")


@dataclass(frozen=True)
class StatedFigure:
    """One row of ``SoLieuCongBo``; ``decimals`` is how many decimals were stated (of the fraction for rates)."""

    code: str
    kind: str
    value: Decimal
    decimals: int = 0
    parts: str | None = None
    name: str | None = None
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None


def kind_of(text: str | None) -> str | None:
    """Loại typed any way ("tong", "TỶ LỆ", "chenh lech", empty = Số liệu) → a :data:`KINDS` value or None."""
    if text is None or not str(text).strip():
        return FIGURE
    return match_option(text, KINDS)


def tolerance(decimals: int) -> Decimal:
    """Half a unit of the last stated digit: 3 decimals → 0,0005; 0 → 0,5."""
    return Decimal(5) * Decimal(10) ** -(decimals + 1)


def check_stated(figures: Iterable[StatedFigure], *, fmt=None) -> list[Issue]:
    """Issues for every Tổng, Tỷ lệ or Chênh lệch that its parts do not give (``fmt`` renders numbers)."""
    figures = list(figures)
    show = fmt or (lambda d: format(d, "f"))
    known = {fold(f.code): f.value for f in figures}
    issues: list[Issue] = []
    for figure in figures:
        if figure.kind == FIGURE:
            continue
        issue = _check_one(figure, known, show)
        if issue is not None:
            issues.append(issue)
    return issues


def _where(figure: StatedFigure) -> dict:
    return {"file": figure.file, "sheet": figure.sheet, "cell": figure.cell, "value": str(figure.value)}


def _check_one(figure: StatedFigure, known: Mapping[str, Decimal], show) -> Issue | None:
    try:
        terms = split_parts(figure.parts, figure.kind)
        values = [resolve(term, known) for term in terms]
    except ValueError as problem:
        return make_issue("stated-figure-invalid", f"{figure.code}: {problem}", **_where(figure))
    computed = _compute(figure.kind, values)
    if computed is None:
        return make_issue("stated-figure-invalid", f"{figure.code}: mẫu số bằng 0", detail_en=f"{figure.code}: zero denominator",
                          **_where(figure))
    if abs(figure.value - computed) <= tolerance(figure.decimals):
        return None
    return _mismatch(figure, values, computed, show)


def split_parts(parts: str | None, kind: str) -> list[str]:
    """``"A + B + C"`` (Tổng), ``"A - B"`` (Chênh lệch), ``"A / B"`` (Tỷ lệ) → the terms."""
    if parts is None or not str(parts).strip():
        raise ValueError("thiếu Thành phần")
    operator = _OPERATOR[kind]
    terms = [t.strip() for t in str(parts).split(operator)]
    if any(not t for t in terms) or len(terms) < 2 or (kind != TOTAL and len(terms) != 2):
        shape = {TOTAL: "A + B + …", DIFFERENCE: "A - B", RATE: "A / B"}[kind]
        raise ValueError(f"Thành phần '{parts}' phải có dạng {shape}")
    return terms


def resolve(term: str, known: Mapping[str, Decimal]) -> Decimal:
    """A code of the table, or a number typed Vietnamese-style."""
    if fold(term) in known:
        return known[fold(term)]
    if _CODE.match(term):
        raise ValueError(f"không có mã '{term}' trong bảng số liệu công bố")
    return parse_number(term)


def _compute(kind: str, values: list[Decimal]) -> Decimal | None:
    if kind == TOTAL:
        return sum(values, Decimal(0))
    if kind == DIFFERENCE:
        return values[0] - values[1]
    return None if values[1] == 0 else values[0] / values[1]


def _mismatch(figure: StatedFigure, values: list[Decimal], computed: Decimal, show) -> Issue:
    if figure.kind == RATE:
        stated = show_percent(figure.value, max(figure.decimals - 2, 0), show)
        expression = f"{show(values[0])} / {show(values[1])} = {show_percent(computed, 2, show)}"
        code = "stated-rate-mismatch"
    else:
        stated = show(figure.value)
        sign = " + " if figure.kind == TOTAL else " − "
        expression = sign.join(show(v) for v in values) + f" = {show(computed)}"
        code = "stated-total-mismatch" if figure.kind == TOTAL else "stated-difference-mismatch"
    detail = f"{figure.code}: {stated} ≠ {expression}"
    return make_issue(code, detail, **_where(figure))


def show_percent(value: Decimal, decimals: int, show) -> str:
    """0,567 → "56,7%" through the number renderer ``show(value, decimals)`` when it takes decimals."""
    scaled = (value * 100).quantize(Decimal(1).scaleb(-decimals))
    try:
        return f"{show(scaled, decimals)}%"
    except TypeError:
        return f"{show(scaled)}%"
