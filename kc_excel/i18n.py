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


class LanguageError(ValueError):
    """A ``--lang`` that is missing its value or names a language we do not write."""


def split_lang(args: list[str]) -> tuple[str | None, list[str]]:
    """``(language, the other arguments)`` from a command line: the one parser of ``--lang``.

    ``--lang en`` and ``--lang=en`` are accepted anywhere on the line; the
    language is None when the option is absent. Raises :class:`LanguageError`
    (message in Vietnamese and English) for a missing or unknown value.
    """
    language, rest, items = None, [], iter(args)
    for arg in items:
        if arg == "--lang" or arg.startswith("--lang="):
            value = arg.partition("=")[2] if "=" in arg else next(items, None)
            if value not in LANGUAGES:
                shown = "" if value is None else f" '{value}'"
                raise LanguageError(f"--lang{shown} không hợp lệ: dùng vi (tiếng Việt) hoặc en (English). "
                                    f"--lang{shown} is not valid: use vi or en.")
            language = value
        else:
            rest.append(arg)
    return language, rest


def tr(vi: str, en: str) -> str:
    """Pick the message for the current language."""
    return en if _current.get() == "en" else vi
