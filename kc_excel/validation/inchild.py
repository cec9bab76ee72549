"""Validation inside the reader's child process: ``validate`` under the same limits as ``consolidate``.

:class:`ValidateInChild` is a reader *task* (:mod:`kc_excel.workbook.sandbox`):
right after a file is parsed in a resource-limited child, the rules run there
too, with a fresh CPU budget and wall-clock deadline. A file whose values make
a rule loop or eat memory is killed with the child and becomes that file's
``file-too-large`` issue; the other files and the run go on. Consolidation
does the same with :class:`~kc_excel.consolidate.parallel.Validator`.
"""

from __future__ import annotations

from typing import Any


class ValidateInChild:
    """``task(data, extra)`` → ``(data, report)``: the data as read and its validation report."""

    def __init__(self, *, norms: dict | None = None, expected_year: int | None = None, unit: Any = None,
                 limit: int | None = None) -> None:
        self.norms, self.expected_year, self.unit, self.limit = norms, expected_year, unit, limit

    def prepare(self) -> None:
        # heavy: the rules' imports, once per child, never in validate's parent
        import kc_excel.validation.preload  # noqa: F401

    def __call__(self, data: Any, extra: Any = None) -> tuple[Any, Any]:
        from kc_excel.validation.runner import check_by_kind  # cycle: runner imports ValidateInChild

        options = {} if self.limit is None else {"limit": self.limit}
        return data, check_by_kind(data, norms=self.norms, expected_year=self.expected_year, unit=self.unit, **options)
