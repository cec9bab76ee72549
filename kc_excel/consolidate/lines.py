"""Plan lines stored compactly: a country's worth of lines (3,321 files × 40) in little memory.

A :class:`~kc_excel.models.PlanLine` with its :class:`~kc_excel.models.Provenance`
costs a few kilobytes as two pydantic objects; a :data:`PackedLine` (a named
tuple of the same fields, provenance flattened: ``unit_code``, ``file``,
``row``...) costs a few hundred bytes. The core, the summaries and the writer
work on packed lines; :class:`Lines` still iterates as ``PlanLine`` values for
callers that want the models.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Iterable, Iterator, Sequence

from kc_excel.models import PlanLine, Provenance

LINE_FIELDS = tuple(name for name in PlanLine.model_fields if name != "source")
SOURCE_FIELDS = tuple(Provenance.model_fields)
PackedLine = namedtuple("PackedLine", LINE_FIELDS + SOURCE_FIELDS)  # type: ignore[misc]
_SOURCE_DEFAULTS = {name: None for name in SOURCE_FIELDS}


def pack(line: PlanLine | Any, **source: Any) -> Any:
    """A PackedLine of ``line`` (already packed: returned as is), provenance fields overridable."""
    if isinstance(line, PackedLine):
        return line._replace(**source) if source else line
    values = {name: getattr(line, name) for name in LINE_FIELDS}
    origin = line.source.model_dump() if line.source is not None else dict(_SOURCE_DEFAULTS)
    origin.update(source)
    return PackedLine(**values, **{name: origin.get(name) for name in SOURCE_FIELDS})


def unpack(row: Any) -> PlanLine:
    """The PlanLine (with Provenance) of a PackedLine."""
    data = row._asdict()
    origin = {name: data.pop(name) for name in SOURCE_FIELDS}
    source = Provenance.model_construct(**origin) if origin.get("file") is not None else None
    return PlanLine.model_construct(**data, source=source)


class Lines(Sequence[PlanLine]):
    """Accepted lines, packed; iterating or indexing gives PlanLine values, :attr:`packed` the tuples."""

    __slots__ = ("packed",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.packed: list[Any] = [pack(item) for item in items]

    def extend(self, items: Iterable[Any]) -> None:
        self.packed.extend(pack(item) for item in items)

    def __len__(self) -> int:
        return len(self.packed)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [unpack(row) for row in self.packed[index]]
        return unpack(self.packed[index])

    def __iter__(self) -> Iterator[PlanLine]:
        return (unpack(row) for row in self.packed)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Lines):
            return self.packed == other.packed
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Lines({len(self.packed)} lines)"


def packed_lines(items: Sequence[Any]) -> tuple:
    """A tuple of PackedLine from PlanLine or PackedLine values."""
    return tuple(pack(item) for item in items)
