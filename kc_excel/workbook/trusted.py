"""Workbooks the centre gives us (an earlier plan, norms, the contact book), read under the reader's limits.

They come from our own users, but a plan may have been edited, a contact book
padded or damaged: :func:`read_trusted` runs the same file-level checks as a
submission (:func:`~kc_excel.workbook.sniff.sniff`: size, zip bomb, encryption,
XML entities, format) and then the caller's reading function, both in a child
process under the same memory and time limits (:class:`ReadLimits`). Over the
limits the file is ``file-too-large``; a file-level problem is its
:class:`~kc_excel.errors.FileLevelError`; what the function raises on purpose
(a ``ConfigError`` naming a bad cell) is raised here unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from kc_excel.errors import FileLevelError, KcError
from kc_excel.workbook.limited import LimitExceeded, run_limited
from kc_excel.workbook.limits import ReadLimits, file_error
from kc_excel.workbook.sniff import sniff


def _checked_call(func: Callable[..., Any], path: Path, args: tuple, limits: ReadLimits) -> Any:
    if path.is_file():  # a missing file: the function's own message
        sniff(path, limits)
    return func(path, *args)


def read_trusted(func: Callable[..., Any], path: str | Path, *args: Any, limits: ReadLimits = ReadLimits(),
                 as_error: type[KcError] | None = None) -> Any:
    """``func(path, *args)`` after the file-level checks, in a child under ``limits``.

    ``as_error``: the class a file-level problem is raised as (``ConfigError`` for a norms file).
    """
    path = Path(path)
    try:
        try:
            return run_limited(_checked_call, func, path, args, limits, memory_bytes=limits.memory_bytes,
                               timeout_seconds=limits.timeout_seconds)
        except LimitExceeded as exceeded:
            raise file_error("file-too-large", path, exceeded.vi, exceeded.en) from None
    except FileLevelError as problem:
        if as_error is None:
            raise
        raise as_error(problem.message, message_en=problem.message_en) from None
