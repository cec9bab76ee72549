"""Exceptions of kc-excel: raised only when an operation cannot run at all.

Problems *in the data* are not exceptions; they are ``Issue`` values collected
in a report (see :mod:`kc_excel.validation.issues`). An exception means that
the command could not do its work, and carries the context a user needs::

    KcError                    base: every error kc-excel raises on purpose
    ├── InputError             an input file cannot be used (carries .path, .code)
    │   └── FileLevelError     a file-level issue code (file-encrypted, file-corrupt, ...)
    ├── TemplateError          a template cannot be produced (bad unit, bad year)
    ├── ConfigError            a setting, option or catalogue entry is wrong
    │   └── UnknownNameError   a province/unit/activity name matched nothing (carries .suggestions)
    └── OutputError            an output cannot be written (read-only folder, disk full, locked)

The CLI maps ``InputError``/``ConfigError``/``OutputError``/``TemplateError``
to exit code 2 and anything else to exit code 3.
"""

from __future__ import annotations

from pathlib import Path


class KcError(Exception):
    """Base of every error kc-excel raises on purpose. ``str()`` is Vietnamese."""

    def __init__(self, message: str, *, message_en: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message

    def render(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message


class InputError(KcError):
    """An input file cannot be used at all."""

    def __init__(self, message: str, *, path: str | Path | None = None,
                 code: str = "file-unreadable", message_en: str | None = None) -> None:
        super().__init__(message, message_en=message_en)
        self.path = str(path) if path is not None else None
        self.code = code


class FileLevelError(InputError):
    """A file-level issue (the whole file is rejected with ``code``)."""


class TemplateError(KcError):
    """A template cannot be produced from the given arguments."""


class ConfigError(KcError):
    """A setting, option value or catalogue lookup is wrong."""


class UnknownNameError(ConfigError):
    """A name matched no catalogue entry; ``suggestions`` lists the closest ones."""

    def __init__(self, message: str, *, suggestions: list[str] | None = None,
                 message_en: str | None = None) -> None:
        super().__init__(message, message_en=message_en)
        self.suggestions = list(suggestions or [])


class OutputError(KcError):
    """An output file cannot be written (folder read-only, disk full, locked)."""

    def __init__(self, message: str, *, path: str | Path | None = None,
                 message_en: str | None = None) -> None:
        super().__init__(message, message_en=message_en)
        self.path = str(path) if path is not None else None
