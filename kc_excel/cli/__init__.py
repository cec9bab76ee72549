"""The ``kc-excel`` command: parse the arguments, make one core call, render, exit.

Exit codes (contract §4): 0 done/no errors, 1 errors in the data, 2 unusable
input or argument, 3 internal failure. No traceback unless ``--debug``.
"""

from __future__ import annotations

import sys
import traceback

import typer
from rich.markup import escape
from typer._click.exceptions import ClickException
from typer.exceptions import TyperException

from kc_excel.cli.app import app
from kc_excel.cli.common import EXIT_BAD_INPUT, EXIT_INTERNAL, err, file_problem
from kc_excel.cli.usage import usage_message
from kc_excel.errors import KcError, UnknownNameError
from kc_excel.i18n import LanguageError, get_lang, set_lang, split_lang, tr

# Command modules register themselves on the typer apps when imported.
from kc_excel.cli import template as _template  # noqa: F401,E402
from kc_excel.cli import validate as _validate  # noqa: F401,E402
from kc_excel.cli import consolidate as _consolidate  # noqa: F401,E402
from kc_excel.cli import attainment as _attainment  # noqa: F401,E402
from kc_excel.cli import addin as _addin  # noqa: F401,E402
from kc_excel.cli import round as _round  # noqa: F401,E402
from kc_excel.cli import document as _document  # noqa: F401,E402

__all__ = ["app", "main"]


@app.callback()
def _root(
    lang: str = typer.Option("vi", "--lang", help="Ngôn ngữ thông báo: vi hoặc en. Message language."),
    debug: bool = typer.Option(False, "--debug", help="In traceback khi có lỗi nội bộ. Show tracebacks."),
) -> None:
    """kc-excel: biểu mẫu, kiểm tra, tổng hợp và đánh giá kế hoạch khuyến công."""
    # --lang is declared here for --help only: main() reads it (i18n.split_lang) before typer runs.


def _render_kc_error(error: KcError) -> None:
    message = error.render(get_lang())
    err.print(f"[bold red]{tr('Lỗi', 'Error')}:[/] {escape(message)}", markup=True)
    missing = [name for name in getattr(error, "suggestions", ()) if name not in message]
    if isinstance(error, UnknownNameError) and missing:  # close matches once: only those the message lacks
        err.print(tr("Có phải ý bạn là: ", "Did you mean: ") + ", ".join(missing), markup=False)


def main(argv: list[str] | None = None) -> int:
    """Run the command in ``argv`` (default: ``sys.argv``); returns the exit code, or exits with it when
    ``argv`` is None (the console script and ``python -m kc_excel``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        lang, args = split_lang(args)
    except LanguageError as wrong:
        err.print(str(wrong))
        return _finish(EXIT_BAD_INPUT, argv)
    set_lang(lang or "vi")
    return _finish(_run(args, debug), argv)


def _run(args: list[str], debug: bool) -> int:
    """The command's exit code; every error becomes a message in the user's language."""
    try:
        code = app(args=args, prog_name="kc-excel", standalone_mode=False)
    except typer.Exit as exit_:
        code = exit_.exit_code
    except typer.Abort:
        code = EXIT_BAD_INPUT
    except ClickException as usage:
        err.print(usage_message(usage, _command_path(usage)), markup=False)
        code = EXIT_BAD_INPUT
    except TyperException as usage:
        err.print(usage.format_message(), markup=False)
        code = EXIT_BAD_INPUT
    except (KcError, OSError) as error:  # OSError: a file we were told to read or write, not our bug
        if debug:
            traceback.print_exc()
        if isinstance(error, KcError):
            _render_kc_error(error)
        else:
            err.print(file_problem(error), markup=False)
        code = EXIT_BAD_INPUT
    except KeyboardInterrupt:
        err.print(tr("Đã dừng theo yêu cầu.", "Interrupted."))
        code = EXIT_INTERNAL
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            traceback.print_exc()
        err.print(tr(f"Lỗi nội bộ của kc-excel ({type(exc).__name__}: {exc}). "
                     "Chạy lại với --debug và gửi kết quả cho bộ phận CNTT.",
                     f"Internal error ({type(exc).__name__}: {exc}). Run again with --debug and report it."))
        code = EXIT_INTERNAL
    return code if isinstance(code, int) else 0


def _finish(code: int, argv: list[str] | None) -> int:
    if argv is None:
        sys.exit(code)
    return code


def _command_path(usage: ClickException) -> str:
    context = getattr(usage, "ctx", None)
    return context.command_path if context is not None else "kc-excel"

