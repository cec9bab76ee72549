"""The user's workbook in messages: issues found in our temporary copy of it are told about the book itself.

The ribbon validates a snapshot of the open book (:func:`kc_excel.addin.bookio.snapshot`)
written to a temporary file; a message naming that file means nothing to the
user, so every mention of it becomes the book's own name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def book_name(book: Any) -> str:
    """The user's workbook as Excel names it (never our temporary copy)."""
    try:
        return str(book.fullname or book.name)
    except (NotImplementedError, AttributeError):
        return str(getattr(book, "name", "") or "sổ đang mở")


def told(book: Any, text: str | None, *copies: Path) -> str | None:
    """``text`` with every mention of our temporary copies replaced by the user's workbook."""
    for path in sorted({str(c) for c in copies} | {c.name for c in copies}, key=len, reverse=True):
        text = text.replace(path, book_name(book)) if text else text
    return text


def as_users(book: Any, issues: list, *copies: Path) -> list:
    """Issues of our temporary copies told about the user's workbook (file and any text naming the copy)."""
    paths = {str(c) for c in copies} | {c.name for c in copies}
    return [i.at(file=book_name(book) if i.file in paths else i.file, detail=told(book, i.detail, *copies),
                 detail_en=told(book, i.detail_en, *copies)) for i in issues]
