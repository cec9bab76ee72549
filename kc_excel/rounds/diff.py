"""What changed between two versions of a unit's registration (pure).

Lines are matched by what identifies them, not by position, so a reordered
file is not a total rewrite. Passes, each on the lines still unmatched:

1. the full identity: activity, project name (tên đề án), beneficiary (cơ sở
   thụ hưởng) and place (địa điểm), compared without diacritics or case;
2. activity + project name (the beneficiary or place was corrected);
3. activity + beneficiary + place (the project was renamed);
4. STT, the last resort (same STT and activity).

Matched lines give changed cells (old → new; money in integer đồng); lines
left over are added (only in the new version) or removed (only in the old).
STT is not compared: renumbering is not a change.

Every line read is compared, an error on it or not (``has_errors``), so a line
that breaks a norm is still "added", and a line that gains an error is
"changed", never "removed". The totals are those of every line read, lines
with errors included; the summary says so when there are any.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Sequence

from kc_excel.validation.values import fmt_trieu
from kc_excel.text import fold
from kc_excel.workbook.layout import MONEY_KEYS, REGISTRATION

HEADERS = {c.key: c.header for c in REGISTRATION.columns}
COMPARED = tuple(c.key for c in REGISTRATION.columns if c.key != "stt")
MONEY = frozenset(MONEY_KEYS)


def _f(line: dict, key: str) -> str:
    return fold(str(line.get(key) or "")).strip()


PASSES: tuple[Callable[[dict], tuple], ...] = (
    lambda l: ("full", l.get("hoat_dong"), _f(l, "ten_de_an"), _f(l, "co_so"), _f(l, "dia_diem")),
    lambda l: ("name", l.get("hoat_dong"), _f(l, "ten_de_an")),
    lambda l: ("facility", l.get("hoat_dong"), _f(l, "co_so"), _f(l, "dia_diem")) if _f(l, "co_so") else None,
    lambda l: ("stt", l.get("hoat_dong"), l.get("stt")) if l.get("stt") is not None else None,
)


@dataclass(frozen=True)
class Change:
    line: str
    column: str
    key: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "old": self.old, "new": self.new}


@dataclass
class Diff:
    unit: str
    from_version: int
    to_version: int
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    total_before: int = 0
    total_after: int = 0
    faulty_before: int = 0
    """Lines with an error in the old version (counted in ``total_before``)."""
    faulty_after: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "from_version": self.from_version, "to_version": self.to_version,
                "added": [_public(l) for l in self.added], "removed": [_public(l) for l in self.removed],
                "changed": [c.to_json() for c in self.changed],
                "total_before": self.total_before, "total_after": self.total_after,
                "lines_with_errors_before": self.faulty_before, "lines_with_errors_after": self.faulty_after}

    def summary(self, unit_name: str | None = None) -> str:
        """"Xã Phú Lâm, lần 2: 1 dòng thêm, 1 dòng bỏ, 3 ô thay đổi; tổng kinh phí 400 → 450 triệu"."""
        name = unit_name or self.unit
        money = f"tổng kinh phí {fmt_trieu(self.total_before)} → {fmt_trieu(self.total_after)} triệu" \
            if self.total_before != self.total_after else f"tổng kinh phí không đổi ({fmt_trieu(self.total_after)} triệu)"
        faulty = f" (mọi dòng đọc được, kể cả dòng có lỗi: {self.faulty_before} → {self.faulty_after} dòng)" \
            if self.faulty_before or self.faulty_after else ""
        return (f"{name}, lần {self.to_version}: {len(self.added)} dòng thêm, {len(self.removed)} dòng bỏ, "
                f"{len(self.changed)} ô thay đổi; {money}{faulty}")

    def summary_en(self, unit_name: str | None = None) -> str:
        faulty = f" (every line read, lines with errors included: {self.faulty_before} → {self.faulty_after})" \
            if self.faulty_before or self.faulty_after else ""
        return (f"{unit_name or self.unit}, version {self.to_version}: {len(self.added)} lines added, "
                f"{len(self.removed)} removed, {len(self.changed)} cells changed; total "
                f"{fmt_trieu(self.total_before, lang='en')} → {fmt_trieu(self.total_after, lang='en')} million{faulty}")


def _public(line: dict) -> dict:
    return {k: v for k, v in line.items() if not k.startswith("_")}


def label(line: dict) -> str:
    """How a line is named in a diff: its project name, beneficiary and row, and whether it has an error
    (its values are then as parsed: a cell that is no number shows blank, or 0 for money)."""
    parts = [str(line.get("ten_de_an") or "").strip() or "(không tên)"]
    if line.get("co_so"):
        parts.append(str(line["co_so"]).strip())
    marks = [f"dòng {line['row']}"] if line.get("row") else []
    marks += ["có lỗi"] if line.get("has_errors") else []
    return " — ".join(parts) + (f" ({', '.join(marks)})" if marks else "")


def match(old: Sequence[dict], new: Sequence[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """(matched pairs, removed, added) by the passes of the module docstring."""
    pairs: list[tuple[dict, dict]] = []
    left, right = list(old), list(new)
    for key_of in PASSES:
        waiting: dict[tuple, list[dict]] = {}
        for line in left:
            key = key_of(line)
            if key is not None:
                waiting.setdefault(key, []).append(line)
        still_new = []
        for line in right:
            key = key_of(line)
            bucket = waiting.get(key) if key is not None else None
            if bucket:
                pairs.append((bucket.pop(0), line))
            else:
                still_new.append(line)
        matched_old = {id(a) for a, _ in pairs}
        left, right = [l for l in left if id(l) not in matched_old], still_new
    return pairs, left, right


def diff_versions(unit: str, from_version: int, old: Sequence[dict], to_version: int, new: Sequence[dict]) -> Diff:
    """The :class:`Diff` of two versions' lines (dicts of the registration's column keys)."""
    pairs, removed, added = match(old, new)
    result = Diff(unit, from_version, to_version, added=added, removed=removed,
                  total_before=sum(int(l.get("tong") or 0) for l in old),
                  total_after=sum(int(l.get("tong") or 0) for l in new),
                  faulty_before=sum(1 for l in old if l.get("has_errors")),
                  faulty_after=sum(1 for l in new if l.get("has_errors")))
    for before, after in pairs:
        for key in COMPARED:
            a, b = _comparable(before.get(key)), _comparable(after.get(key))
            if a != b:
                result.changed.append(Change(label(after), HEADERS[key], key, before.get(key), after.get(key)))
    return result


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip() or None
        if value is not None:
            try:
                return Decimal(value)  # quantities are stored as exact decimal text
            except ArithmeticError:
                return value
    return value


def show(value: Any, key: str) -> str:
    """A cell value for people: money in triệu đồng, others as written."""
    if value is None:
        return "(trống)"
    if key in MONEY:
        return f"{fmt_trieu(int(value))} triệu"
    return str(value)
