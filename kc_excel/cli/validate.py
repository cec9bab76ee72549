"""``kc-excel validate FILE... [--json] [--annotate OUT.xlsx] [--norms FILE] [--year Y]``.

Exit code: 2 if any file cannot be used (file-level issue) or an argument is
bad; else 1 if any file has errors; else 0 (warnings allowed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kc_excel.cli.app import app
from kc_excel.cli.examples import example
from kc_excel.cli.common import EXIT_BAD_INPUT, EXIT_DATA_ERRORS, EXIT_OK, err, out, plan_year, print_json
from kc_excel.i18n import tr

HELP = (
    "Kiểm tra phiếu đăng ký (và biểu chương trình, kết quả): chỉ ra từng ô sai bằng tiếng Việt.\n\n"
    "Validate workbooks and point at each wrong cell. Exit code 0: no errors (warnings allowed); "
    "1: errors in the data; 2: a file cannot be used or an argument is wrong."
)


def exit_code(results: list) -> int:
    if any(r.file_level for r in results):
        return EXIT_BAD_INPUT
    if any(r.report.errors for r in results):
        return EXIT_DATA_ERRORS
    return EXIT_OK


def document(results: list) -> dict:
    """The ``--json`` document of contract §4 (schemas/validate.schema.json)."""
    errors = sum(r.report.errors for r in results)
    return {"valid": errors == 0 and not any(r.file_level for r in results),
            "files": [r.to_json() for r in results],
            "summary": {"errors": errors, "warnings": sum(r.report.warnings for r in results),
                        "truncated": any(r.report.truncated for r in results)}}


def _norms(path: Optional[Path]) -> dict | None:
    if path is None:
        return None
    from kc_excel.catalog.norms_file import load_norms_in_force

    return load_norms_in_force(path)


@app.command("validate", help=HELP, epilog=example(
    "kc-excel validate DangKy_2026_XaAnPhuoc.xlsx",
    "kc-excel --lang en validate phieu/*.xlsx --json --year 2026",
    "kc-excel validate DangKy.xlsx --annotate DangKy_loi.xlsx"))
def validate_command(
    files: list[Path] = typer.Argument(..., metavar="FILE", show_default=False,
                                       help="Các tệp cần kiểm tra (.xlsx, .xlsm, .xls, .ods). Files to check."),
    as_json: bool = typer.Option(False, "--json", help="In một tài liệu JSON ra stdout. Print one JSON document."),
    annotate: Optional[Path] = typer.Option(
        None, "--annotate", help="Ghi bản sao có đánh dấu ô lỗi và trang Lỗi (chỉ với một tệp .xlsx/.xlsm). "
                                 "Write a marked-up copy.", show_default=False),
    norms: Optional[Path] = typer.Option(None, "--norms", help="Tệp định mức hỗ trợ (bảng DinhMuc). Norms workbook.",
                                         show_default=False),
    year: Optional[int] = typer.Option(None, "--year", help="Năm kế hoạch phải khớp với biểu mẫu (2000-2100). "
                                       "Expected plan year.", show_default=False, callback=plan_year),
    max_issues: int = typer.Option(10_000, "--max-issues", min=1, help="Liệt kê tối đa N vấn đề mỗi tệp (số đếm "
                                   "vẫn đủ; danh sách bị cắt thì có báo). At most N issues listed per file."),
) -> None:
    if annotate is not None and not _annotate_ok(files):
        raise typer.Exit(EXIT_BAD_INPUT)
    from kc_excel.validation.runner import validate_file, validate_files

    norm_table = _norms(norms)
    if len(files) == 1:
        results = [validate_file(files[0], norms=norm_table, expected_year=year, limit=max_issues)]
    else:
        results = validate_files(files, norms=norm_table, expected_year=year, limit=max_issues)
    _show(results, as_json)
    code = exit_code(results)
    if annotate is not None:
        code = max(code, _write_annotation(results[0], annotate))
    raise typer.Exit(code)


def _annotate_ok(files: list[Path]) -> bool:
    if len(files) != 1:
        err.print(tr("--annotate chỉ dùng với đúng một tệp.", "--annotate takes exactly one input file."))
        return False
    if files[0].suffix.lower() not in (".xlsx", ".xlsm"):
        err.print(tr(f"--annotate chỉ đánh dấu được tệp .xlsx/.xlsm, không phải {files[0].name}.",
                     f"--annotate works on .xlsx/.xlsm files only, not {files[0].name}."))
        return False
    return True


def _show(results: list, as_json: bool) -> None:
    if as_json:
        print_json(document(results))
        return
    from kc_excel.validation.render import issues_table, summary

    if any(r.report.issues for r in results):
        out.print(issues_table(results))
    out.print(summary(results))


def _write_annotation(result, target: Path) -> int:
    if result.file_level:
        err.print(tr("Không đánh dấu được: tệp không dùng được.", "Nothing annotated: the file cannot be used."))
        return EXIT_BAD_INPUT
    from kc_excel.validation.annotate import annotate_within_limits

    annotate_within_limits(result.path, result.report.issues, target, cut=result.report.cut_notice())
    err.print(tr(f"Đã ghi bản đánh dấu: {target}", f"Annotated copy written: {target}"))
    return EXIT_OK
