"""Command-line usage errors in the user's language (click writes them in English).

typer's bundled click raises :class:`UsageError` subclasses whose messages are
English text. :func:`usage_message` rebuilds each one from its parts in
Vietnamese (``--lang en`` keeps click's own text): a missing option or
argument, an unknown option or command (with close matches once), a value
that is not valid for its type, a file that does not exist or cannot be read
or written, extra arguments. Every message ends with where to find help.
"""

from __future__ import annotations

import re

from typer._click import exceptions as click_errors

from kc_excel.i18n import get_lang

# click's BadParameter texts (typer._click, typer._param_types) and pydantic's range texts → Vietnamese.
_VALUE_PROBLEMS = [
    (re.compile(r"^(?:File|Directory|Path) '(?P<name>.*)' does not exist\.$"), "không tìm thấy tệp hoặc thư mục '{name}'"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<name>.*)' is a file\.$"), "'{name}' là một tệp, cần một thư mục"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<name>.*)' is a directory\.$"), "'{name}' là một thư mục, cần một tệp"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<name>.*)' is not readable\.$"),
     "không có quyền đọc '{name}' (tệp đang mở hoặc bị khóa?)"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<name>.*)' is not writable\.$"),
     "không có quyền ghi '{name}' (thư mục chỉ đọc hoặc tệp đang mở?)"),
    (re.compile(r"^'(?P<name>.*)': Permission denied$"), "không có quyền truy cập '{name}'"),
    (re.compile(r"greater than or equal to (?P<n>[^\s.]+(?:\.\d+)?)"), "cần một số lớn hơn hoặc bằng {n}"),
    (re.compile(r"greater than (?P<n>[^\s.]+(?:\.\d+)?)"), "cần một số lớn hơn {n}"),
    (re.compile(r"less than or equal to (?P<n>[^\s.]+(?:\.\d+)?)"), "cần một số nhỏ hơn hoặc bằng {n}"),
    (re.compile(r"less than (?P<n>[^\s.]+(?:\.\d+)?)"), "cần một số nhỏ hơn {n}"),
    (re.compile(r"(?P<value>\S+) is not in the range (?P<range>.+?)\.?$"), "{value} nằm ngoài khoảng {range}"),
    (re.compile(r"valid integer|not a valid int", re.I), "cần một số nguyên"),
    (re.compile(r"valid number|valid float", re.I), "cần một số"),
    (re.compile(r"^'(?P<name>.*)' is not one of (?P<choices>.*)\.$"), "'{name}' không phải một trong {choices}"),
]


def usage_message(error: click_errors.ClickException, command: str = "kc-excel") -> str:
    """The message of a usage error, Vietnamese unless the language is English."""
    if get_lang() == "en":
        return error.format_message()
    return f"{_vietnamese(error)}\nXem cách dùng: {command} --help"


def _vietnamese(error: click_errors.ClickException) -> str:
    if isinstance(error, click_errors.MissingParameter):
        kind = {"option": "tùy chọn", "argument": "tham số"}.get(_param_type(error), "tham số")
        return f"Thiếu {kind} {_hint(error)}."
    if isinstance(error, click_errors.NoSuchOption):
        text = f"Không có tùy chọn '{error.option_name}'."
        return f"{text} Có phải ý bạn là: {', '.join(sorted(error.possibilities))}?" if error.possibilities else text
    if isinstance(error, click_errors.BadParameter):
        return f"Giá trị không hợp lệ cho {_hint(error)}: {_value_problem(error.message)}."
    if isinstance(error, click_errors.BadOptionUsage):
        if "requires" in error.message:
            return f"Tùy chọn '{error.option_name}' cần một giá trị."
        return f"Tùy chọn '{error.option_name}' không nhận giá trị."
    if isinstance(error, click_errors.FileError):
        return f"Không mở được tệp '{error.ui_filename}': {error.message}."
    return _general(error.message)


def _general(message: str) -> str:
    command = re.match(r"No such command '(.*?)'\.(?: Did you mean (.*)\?)?$", message)
    if command:
        text = f"Không có lệnh '{command.group(1)}'."
        return f"{text} Có phải ý bạn là {command.group(2)}?" if command.group(2) else text
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)$", message)
    if extra:
        return f"Thừa tham số: {extra.group(1)}."
    if message.startswith("Missing command"):
        return "Thiếu tên lệnh."
    return f"Lệnh không hợp lệ ({message})."


def _value_problem(message: str) -> str:
    for pattern, text in _VALUE_PROBLEMS:
        match = pattern.search(message)
        if match:
            return text.format(**match.groupdict())
    return message


def _param_type(error: click_errors.MissingParameter) -> str | None:
    if error.param_type is not None:
        return error.param_type
    return getattr(error.param, "param_type_name", None)


def _hint(error: click_errors.BadParameter) -> str:
    hint = error.param_hint if error.param_hint is not None else (
        error.param.get_error_hint() if error.param is not None else "")
    return click_errors._join_param_hints(hint) or ""
