"""A result cache keyed by file SHA-256: a re-run after one new file reads one file.

What a reader made of a file (:class:`Analysed`: its ``_kc`` metadata, who it
identifies as, the template check's outcome, issues and accepted lines, or its
file-level error) depends on the file's bytes, on the name it is shown under
(the unit found in a file name, a unit code in a renamed file), on the units
expected, on the province key and on kc-excel itself. So it is stored under
the file's SHA-256, with the name it was identified under (another name is a
miss), in a folder named after a *fingerprint* of the kc-excel sources and
catalogue data, the norms file (if any), the expected units and a hash of the
key (:func:`context_key`): any change of those starts a fresh cache, and the
folders of other fingerprints are removed.

Location: ``$KC_EXCEL_CACHE_DIR``, else ``%LOCALAPPDATA%\\kc-excel\\cache`` on
Windows, else ``$XDG_CACHE_HOME/kc-excel`` or ``~/.cache/kc-excel``; never the
input folder (inputs are only read). ``--no-cache`` turns it off.

Robustness: entries are JSON written to a temporary file and renamed into
place; an entry that cannot be read, parsed or validated (truncated, edited,
another format, a value of the wrong type, an unknown issue code, nesting
deep enough to exhaust the parser) is deleted and the file is simply read
again: a damaged cache never ends a run. A cache that cannot be
written (read-only home) is silently skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from kc_excel import __version__
from kc_excel.consolidate.core import ExpectedUnit
from kc_excel.consolidate.identify import Identity
from kc_excel.models import LINE_FIELDS, PlanLine
from kc_excel.validation.issues import CODES, Issue, Severity

CACHE_FORMAT = 3
_AMOUNT_FIELDS = ("tong", "kcqg", "kcdp", "doi_ung", "khac")


@dataclass
class Analysed:
    """What a reader made of one file: identified, template-checked and validated (or its file-level error)."""

    sha256: str
    display: str = ""
    """The name the file was identified under (as shown: ``thư/tệp.xlsx`` for an attachment)."""
    meta: dict[str, str] = field(default_factory=dict)
    row_count: int = 0
    read_error: str | None = None
    issues: list[Issue] = field(default_factory=list)
    """Identification, template check and validation issues, in that order (or the file-level one)."""
    lines: list[PlanLine] = field(default_factory=list)
    """Accepted lines (validation's provenance; the parent places them in the unit)."""
    identity: Identity | None = None
    """Who the file is (its issues are in :attr:`issues`); None for a file that could not be read."""
    outcome: str = "not-checked"
    """The template identity check's outcome (:class:`~kc_excel.consolidate.identify.Verdict`)."""


def context_key(norms_key: str, expected: list[ExpectedUnit], key: bytes | None) -> str:
    """What a file's result depends on besides its bytes and name: the norms, the expected units, the key."""
    units = hashlib.sha256("\n".join(f"{u.code}\t{u.name}" for u in expected).encode()).hexdigest()
    signing = hashlib.sha256(key).hexdigest() if key is not None else "no-key"
    return f"{norms_key}|{units}|{signing}"


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{__version__}|{CACHE_FORMAT}".encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and (path.suffix == ".py" or "data" in path.parts) and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(extra: str = "") -> str:
    return hashlib.sha256(f"{_code_fingerprint()}|{extra}".encode()).hexdigest()[:24]


class ResultCache:
    """Get/put :class:`Analysed` by SHA-256; ``directory=None`` disables it."""

    def __init__(self, directory: Path | None, key: str) -> None:
        self.folder = None if directory is None else Path(directory) / "consolidate" / key
        self.hits = self.misses = 0
        self._made: set[Path] = set()
        """Entry folders already created by this run (one mkdir per folder, not per file)."""
        if self.folder is not None and not self.folder.exists():
            _prune(self.folder.parent, keep=key)

    def _entry(self, sha256: str, display: str) -> Path | None:
        """One entry per file and name (two copies of a file under two names are both remembered)."""
        if self.folder is None:
            return None
        name = hashlib.sha256(display.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.folder / sha256[:2] / f"{sha256}-{name}.json"

    def get(self, sha256: str, display: str) -> Analysed | None:
        """The result of the file ``sha256`` identified under the name ``display``; None: to be read."""
        entry = self._entry(sha256, display)
        if entry is None or not entry.exists():
            self.misses += 1
            return None
        try:
            document = json.loads(entry.read_text(encoding="utf-8"))
            result = _decode(document)
            if result.sha256 != sha256:
                raise ValueError("entry of another file")
        except Exception:  # noqa: BLE001 - any entry that does not decode *and* validate is a miss
            _unlink(entry)
            self.misses += 1
            return None
        if result.display != display:  # identified under another name: identify again
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, result: Analysed) -> None:
        entry = self._entry(result.sha256, result.display) if len(result.sha256) == 64 else None
        if entry is None:
            return
        try:
            if entry.parent not in self._made:
                entry.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(entry.parent)
            text = json.dumps(_encode(result), ensure_ascii=False, separators=(",", ":"))  # C encoder; dump() is not
            temp = entry.with_name(f".tmp-{os.getpid()}-{entry.name}")  # one writer per process and entry
            _write_new(temp, text.encode("utf-8"))
            os.replace(temp, entry)
        except OSError:
            pass


def _write_new(path: Path, data: bytes) -> None:
    """``data`` into ``path`` (created or truncated, owner-only): a few system calls, once per file read."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    finally:
        os.close(handle)


def _prune(parent: Path, keep: str) -> None:
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        if child.is_dir() and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


# --- JSON encoding ---------------------------------------------------------------------------

def _encode(result: Analysed) -> dict[str, Any]:
    return {
        "format": CACHE_FORMAT, "sha256": result.sha256, "display": result.display, "meta": result.meta,
        "row_count": result.row_count, "read_error": result.read_error, "outcome": result.outcome,
        "identity": _identity_to(result.identity),
        "issues": [_issue_to(i) for i in result.issues],
        "lines": [_line_to(line) for line in result.lines],
    }


def _decode(document: dict[str, Any]) -> Analysed:
    if document.get("format") != CACHE_FORMAT:
        raise ValueError("another cache format")
    read_error, display, outcome = document["read_error"], document["display"], document["outcome"]
    _expect(read_error is None or read_error in CODES, "unknown read error")
    _expect(isinstance(display, str) and isinstance(outcome, str), "bad name or outcome")
    _expect(isinstance(document["row_count"], int) and document["row_count"] >= 0, "bad row count")
    return Analysed(
        sha256=str(document["sha256"]), display=display, meta={str(k): str(v) for k, v in document["meta"].items()},
        row_count=document["row_count"], read_error=read_error, outcome=outcome,
        identity=_identity_from(document["identity"]),
        issues=[_issue_from(i) for i in document["issues"]], lines=[_line_from(x) for x in document["lines"]],
    )


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


_TEXT_OR_NONE = (str, type(None))
_INT_OR_NONE = (int, type(None))
_LINE_TYPES = {name: _INT_OR_NONE if name in ("stt", "thang_bat_dau", "thang_ket_thuc")
               else (str, type(None)) if name == "so_luong" else int if name in _AMOUNT_FIELDS else _TEXT_OR_NONE
               for name in LINE_FIELDS}
"""What a cached line field may hold (``so_luong`` as its decimal text)."""


def _identity_to(identity: Identity | None) -> list[Any] | None:
    if identity is None:
        return None
    created = identity.created.isoformat() if identity.created is not None else None
    return [identity.unit_code, identity.unit_name, identity.province_code, identity.year, identity.kind,
            created, identity.level]


def _identity_from(item: list[Any] | None) -> Identity | None:
    if item is None:
        return None
    unit_code, unit_name, province_code, year, kind, created, level = item
    _expect(all(isinstance(x, _TEXT_OR_NONE) for x in (unit_code, unit_name, province_code, kind, created, level))
            and isinstance(year, _INT_OR_NONE) and not isinstance(year, bool), "bad identity")
    return Identity(unit_code, unit_name, province_code, year, kind,
                    datetime.fromisoformat(created) if created is not None else None, level=level)


def _issue_to(issue: Issue) -> list[Any]:
    value = issue.value if issue.value is None or isinstance(issue.value, (bool, int, float, str)) \
        else str(issue.value)
    return [issue.code, str(issue.severity), issue.detail, issue.detail_en, issue.file, issue.sheet, issue.cell,
            issue.row, issue.column, value]


def _issue_from(item: list[Any]) -> Issue:
    code, severity, detail, detail_en, file, sheet, cell, row, column, value = item
    _expect(code in CODES and all(isinstance(x, _TEXT_OR_NONE) for x in (detail, detail_en, file, sheet, cell, column))
            and isinstance(row, _INT_OR_NONE) and not isinstance(row, bool), "bad issue")
    return Issue(code=code, severity=Severity(severity), detail=detail, detail_en=detail_en, file=file,
                 sheet=sheet, cell=cell, row=row, column=column, value=value)


def _line_to(line: PlanLine) -> list[Any]:
    """The line's own fields (the quantity as decimal text) and its sheet and row (the rest is placement)."""
    values = [getattr(line, name) for name in LINE_FIELDS]
    return [[str(v) if isinstance(v, Decimal) else v for v in values], [line.sheet, line.row]]


def _line_from(item: list[Any]) -> PlanLine:
    """A PlanLine of a cached line: every field's type checked here, its values by PlanLine itself."""
    values, (sheet, row) = item
    if len(values) != len(LINE_FIELDS):
        raise ValueError("another line layout")
    fields = dict(zip(LINE_FIELDS, values))
    _expect(all(isinstance(fields[name], kinds) and not isinstance(fields[name], bool)
                for name, kinds in _LINE_TYPES.items()), "bad line field")
    _expect(isinstance(fields["ten_de_an"], str) and isinstance(fields["hoat_dong"], str), "line without a name")
    _expect(isinstance(sheet, _TEXT_OR_NONE) and isinstance(row, _INT_OR_NONE), "bad line place")
    if fields["so_luong"] is not None:
        fields["so_luong"] = Decimal(fields["so_luong"])
    return PlanLine(**fields, sheet=sheet, row=row)  # raises ValueError on a negative amount, a month 13...
