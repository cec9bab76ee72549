"""Bounds on reading one untrusted workbook, and the file-level errors the reader raises.

Every submission arrives by e-mail and is untrusted. :class:`ReadLimits`
bounds what one file may cost (bytes on disk, bytes once unzipped, memory,
CPU and wall-clock time of the child process that parses it); the defaults
suit a registration form of a few thousand rows and leave room for a
200,000-row one.

:func:`file_error` builds the :class:`~kc_excel.errors.FileLevelError` for a
file-level issue code, with a Vietnamese message that names the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kc_excel.errors import FileLevelError
from kc_excel.validation.issues import CODES

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Per-file bounds; pass ``ReadLimits(timeout_seconds=60)`` etc. to change one."""

    max_file_bytes: int = 100 * MB
    """A file bigger than this on disk is refused (file-too-large)."""
    max_unpacked_bytes: int = 300 * MB
    """Sum of the declared uncompressed sizes of a zip's members."""
    max_ratio: float = 200.0
    """Compression ratio allowed for a member bigger than ``ratio_floor_bytes``."""
    ratio_floor_bytes: int = 8 * MB
    max_members: int = 10_000
    memory_bytes: int = 1024 * MB
    """RLIMIT_AS of the child process (address space, POSIX only)."""
    cpu_seconds: int = 20
    """CPU seconds per file in the child (RLIMIT_CPU, POSIX only)."""
    timeout_seconds: float = 20.0
    """Wall-clock seconds per file; the child is killed after that."""
    header_scan_rows: int = 30
    """Rows scanned at the top of each sheet to find a header row."""
    max_rows: int = 1_000_000
    """Rows kept per table; more is refused as file-too-large."""


def file_error(code: str, path: str | Path, detail_vi: str = "", detail_en: str = "") -> FileLevelError:
    """A FileLevelError whose message names the file, says what is wrong and how to fix it."""
    name = Path(path).name
    info = CODES[code]
    vi = f"Tệp {name}: {info.title_vi.lower()}"
    en = f"File {name}: {info.title_en[0].lower()}{info.title_en[1:]}"
    if detail_vi:
        vi += f" ({detail_vi})"
    if detail_en or detail_vi:
        en += f" ({detail_en or detail_vi})"
    return FileLevelError(f"{vi}. {info.fix_vi}", path=str(path), code=code, message_en=f"{en}. {info.fix_en}")
