"""Numbers: not-a-number, too-precise-amount, negative-amount, not-positive (Số lượng > 0).

Parsing (exact, Vietnamese text accepted) happens in :class:`~kc_excel.validation.context.Row`;
the range checks compare the parsed values exactly (integer đồng, ``Decimal``); blank and
unusable cells (reported by ``not-a-number``) are not checked.
"""

from __future__ import annotations

from typing import Iterator

from kc_excel.validation.context import NUMBER_KEYS, FileContext, Row
from kc_excel.validation.issues import Issue
from kc_excel.validation.registry import rule
from kc_excel.validation.values import shown
from kc_excel.workbook.layout import MONEY_KEYS


@rule("not-a-number")
def not_a_number(row: Row) -> Iterator[Issue]:
    for key in NUMBER_KEYS:
        parsed = row.parsed(key)
        if parsed.problem == "not-a-number":
            header = row.ctx.header(key)
            vi = _strip(parsed.message, " không phải là số")
            en = _strip(parsed.message_en, " is not a number")
            yield row.issue("not-a-number", key, f"cột {header} ghi {vi}", f"column {header} holds {en}")


@rule("too-precise-amount")
def too_precise_amount(row: Row) -> Iterator[Issue]:
    for key in MONEY_KEYS:
        parsed = row.parsed(key)
        if parsed.problem == "too-precise-amount":
            header = row.ctx.header(key)
            yield row.issue("too-precise-amount", key, f"cột {header}: {parsed.message}",
                            f"column {header}: {parsed.message_en}")


def _strip(message: str, suffix: str) -> str:
    return message[: -len(suffix)] if message.endswith(suffix) else message


@rule("negative-amount", scope="file")
def negative_amount(ctx: FileContext) -> Iterator[Issue]:
    for row in ctx.rows:
        for key in MONEY_KEYS:
            amount = row.amount(key)
            if amount is not None and amount < 0:
                header = ctx.header(key)
                raw = row.raw(key)
                yield row.issue("negative-amount", key, f"{header} = {shown(raw)}", f"{header} = {shown(raw, 'en')}")


@rule("not-positive", scope="file")
def not_positive(ctx: FileContext) -> Iterator[Issue]:
    for row in ctx.rows:
        quantity = row.number("so_luong")
        if quantity is not None and quantity <= 0:
            raw = row.raw("so_luong")
            yield row.issue("not-positive", "so_luong", f"Số lượng = {shown(raw)}", f"quantity = {shown(raw, 'en')}")
