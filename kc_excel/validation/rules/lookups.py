"""Catalogue look-ups shared by the rules, cached per file (one look-up per distinct text)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kc_excel.catalog import FACILITY_TYPES, UNITS_OF_MEASURE, find_activity
from kc_excel.errors import UnknownNameError
from kc_excel.text import fold
from kc_excel.validation.context import Row


def activity_lookup(row: Row) -> tuple[Any, list[str]] | None:
    """(Activity or None, suggestions) for the row's Hoạt động; None when the cell is blank.

    Asked by several rules for every row: looked up once per distinct text and file.
    """
    text = row.text("hoat_dong")
    if text is None:
        return None
    known = row.ctx.activities
    found = known.get(text)
    if found is None:
        found = known[text] = _find_activity(text)
    return found


def _find_activity(text: str) -> tuple[Any, list[str]]:
    try:
        return find_activity(text), []
    except UnknownNameError as error:
        return None, list(error.suggestions)


def activity_of(row: Row) -> Any:
    """The row's catalogue Activity, or None (blank or unknown)."""
    found = activity_lookup(row)
    return None if found is None else found[0]


@lru_cache(maxsize=64)
def fold_index(items: tuple[str, ...]) -> dict[str, str]:
    return {fold(item): item for item in items}


@lru_cache(maxsize=4096)
def folded(text: str) -> str:
    """:func:`kc_excel.text.fold`, cached (the same few names recur on every row)."""
    return fold(text)


@lru_cache(maxsize=4096)
def unit_of_measure(text: str) -> str | None:
    """The catalogue spelling of a unit of measure, or None if it is not in the catalogue.

    Remembered per text, as :func:`facility_type`: the catalogue lists are constant tuples.
    """
    return fold_index(tuple(UNITS_OF_MEASURE)).get(folded(text))


_FACILITY_ALIASES = {
    "doanh nghiep nho va vua": "DNNVV", "doanh nghiep": "DNNVV", "dn": "DNNVV", "dnnvv": "DNNVV",
    "hop tac xa": "HTX", "to hop tac": "Tổ hợp tác", "ho kinh doanh": "Hộ kinh doanh",
    "co quan": "Cơ quan/đơn vị", "don vi": "Cơ quan/đơn vị", "co quan, don vi": "Cơ quan/đơn vị",
}


@lru_cache(maxsize=4096)
def facility_type(text: str) -> str | None:
    """The catalogue facility type (Loại hình) a text names, or None."""
    key = folded(text)
    known = fold_index(tuple(FACILITY_TYPES))
    if key in known:
        return known[key]
    alias = _FACILITY_ALIASES.get(key)
    return alias if alias in FACILITY_TYPES else None
