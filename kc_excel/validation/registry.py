"""The list of validation rules, kept in one place by a decorator.

A rule is a small generator registered with a stable issue code (contract §6)::

    @rule("sum-mismatch")
    def sum_mismatch(row: Row) -> Iterator[Issue]:
        ...

``scope="row"`` rules receive one :class:`~kc_excel.validation.context.Row`
(a data row of the registration table ``DangKy``); ``scope="file"`` rules
receive the whole :class:`~kc_excel.validation.context.FileContext` (cross-row
and cross-sheet checks). The decorator only attaches metadata and returns the
function unchanged, so a rule stays a plain, testable function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal

from kc_excel.validation.issues import CODES, Issue, Severity

Scope = Literal["row", "file"]
RuleFunc = Callable[[Any], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    scope: Scope
    func: RuleFunc
    kinds: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


_RULES: list[Rule] = []


def rule(code: str, *, severity: Severity | None = None, scope: Scope = "row",
         kinds: tuple[str, ...] = ("dang-ky",)) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule for issue ``code``; severity defaults to the code's own.

    ``kinds`` are the workbook kinds (``_kc.loai_bieu``) the rule applies to.
    """
    if code not in CODES:
        raise KeyError(f"issue code {code!r} is not registered in kc_excel.validation.issues.CODES")

    def register(func: RuleFunc) -> RuleFunc:
        entry = Rule(code, severity or CODES[code].severity, scope, func, kinds)
        if any(r.name == entry.name for r in _RULES):
            return func  # module re-imported: keep one entry
        _RULES.append(entry)
        func.kc_rule = entry  # type: ignore[attr-defined]
        return func

    return register


def registered(scope: Scope | None = None, kind: str | None = None) -> list[Rule]:
    """The registered rules (after importing :mod:`kc_excel.validation.rules`)."""
    # cycle: every rule module imports this one (@rule); importing them registers the rules
    import kc_excel.validation.rules  # noqa: F401

    return [r for r in _RULES
            if (scope is None or r.scope == scope) and (kind is None or kind in r.kinds)]


def codes() -> list[str]:
    """The issue codes the registered rules can produce."""
    return sorted({r.code for r in registered()})
