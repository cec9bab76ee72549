"""The user's language for messages: Vietnamese by default, English with ``--lang en``.

Only the edges (CLI, ribbon) set it; the core renders messages through
:func:`tr` or by asking an ``Issue``/``KcError`` to render itself.
"""

from __future__ import annotations

from contextvars import ContextVar

LANGUAGES = ("vi", "en")
_current: ContextVar[str] = ContextVar("kc_lang", default="vi")


def set_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGUAGES}")
    _current.set(lang)


def get_lang() -> str:
    return _current.get()


def tr(vi: str, en: str) -> str:
    """Pick the message for the current language."""
    return en if _current.get() == "en" else vi
