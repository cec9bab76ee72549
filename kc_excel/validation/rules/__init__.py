"""Validation rules, one small module per family; importing this package registers them all.

Each rule is a generator decorated with :func:`kc_excel.validation.registry.rule`.
"""

from kc_excel.validation.rules import (  # noqa: F401
    catalogue,
    duplicates,
    formulas,
    indicators,
    money,
    months,
    numbers,
    places,
    required,
    structure,
    tax,
    totals,
)
