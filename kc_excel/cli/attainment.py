"""`kc-excel attainment`: programme targets + results → the DanhGia report (contract §2.5, §4).

The attainment core, the workbook reader and writer and rich's tables are
imported when the command runs: every ``kc-excel`` run imports this module to
register the command, and only ``attainment`` needs them.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer
from rich.console import Console

from kc_excel.cli.app import app
from kc_excel.cli.examples import example
from kc_excel.cli.common import EXIT_DATA_ERRORS, EXIT_OK, err, out, print_json, say
from kc_excel.cli.document import PROFILE_OPTION_HELP, load_profile, pdf_beside
from kc_excel.errors import ConfigError
from kc_excel.i18n import tr

if TYPE_CHECKING:
    from rich.table import Table

    from kc_excel.attainment.core import AttainmentReport
    from kc_excel.attainment.pace import AsOf

HELP = ("Đánh giá thực hiện chương trình khuyến công: so kết quả với chỉ tiêu đến tháng --as-of, "
        "ghi báo cáo DanhGia (.xlsx, công thức sống, biểu đồ). "
        "Attainment of programme targets as of a month: writes the DanhGia report.")
SHOWN_ISSUES = 20
TABLE_WIDTH = 150


@app.command("attainment", help=HELP, epilog=example(
    "kc-excel attainment --programme ChiTieu_2021_2025.xlsx --results KetQua_2023.xlsx --as-of 12/2023 "
    "-o DanhGia_2023.xlsx"))
def attainment(
    programme: Path = typer.Option(..., "--programme", help="Biểu chỉ tiêu chương trình (bảng ChiTieu). Programme workbook."),
    results: List[Path] = typer.Option(..., "--results", help="Báo cáo kết quả (bảng KetQua); lặp lại để gộp nhiều tệp. "
                                                                "Results workbook(s), repeat to merge."),
    as_of: str = typer.Option(..., "--as-of", help="Thời điểm đánh giá: 2023-12, 12/2023, 12-2023 hoặc T12/2023. As-of month."),
    output: Path = typer.Option(..., "-o", "--output", help="Tệp báo cáo .xlsx sẽ ghi. Report file to write."),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON ra stdout. Print JSON on stdout."),
    pdf: bool = typer.Option(False, "--pdf", help="Ghi thêm bản PDF (cần LibreOffice). Also write a PDF (needs LibreOffice)."),
    plan: Optional[Path] = typer.Option(None, "--plan", help="Kế hoạch tỉnh đã tổng hợp (kc-excel consolidate) để so "
                                                             "số lượng kế hoạch với bình quân năm của chỉ tiêu. "
                                                             "Consolidated plan to compare with the yearly share."),
    profile: Optional[Path] = typer.Option(None, "--profile", help=PROFILE_OPTION_HELP, show_default=False),
) -> None:
    # Imported here: reading and writing workbooks is only needed when the command runs.
    from kc_excel.attainment.io import attainment_from, with_plan
    from kc_excel.attainment.report import write_report
    from kc_excel.workbook.reader import read_workbook

    from kc_excel.outputs import make_way
    from kc_excel.workbook.layout import Kind

    when = _as_of(as_of)
    _check_paths(programme, results, output, plan)
    make_way(output, (Kind.ATTAINMENT,))  # only an earlier attainment report is replaced (kept as .bak)
    if pdf and find_soffice() is None:
        raise ConfigError("Không tạo được PDF: chưa cài LibreOffice (soffice). Cài LibreOffice hoặc bỏ --pdf.",
                          message_en="Cannot write a PDF: LibreOffice (soffice) is not installed. Install it or drop --pdf.")
    outcome = attainment_from(read_workbook(programme), [read_workbook(p) for p in results], when)
    if plan is not None:
        outcome = with_plan(outcome, plan)
    info = replace(outcome.info, profile=load_profile(profile))
    written = write_report(output, outcome.report, info)
    say(f"Đã ghi báo cáo đánh giá: {written}", f"Report written: {written}")
    if pdf:
        pdf_beside(written)
    if as_json:  # the contract's document, with every issue met on the way (as in validate and consolidate)
        print_json({**outcome.report.to_json(), "issues": [issue.to_json() for issue in outcome.issues]})
    else:
        # Piped output (make demo, logs) gets a wide table instead of rich's 80 columns.
        console = out if out.is_terminal else Console(width=TABLE_WIDTH, highlight=False)
        console.print(render_table(outcome.report))
    _print_issues(outcome)
    raise typer.Exit(EXIT_DATA_ERRORS if outcome.errors else EXIT_OK)

def find_soffice() -> str | None:
    """LibreOffice's ``soffice``, looked up only for ``--pdf`` (a seam tests replace)."""
    from kc_excel.libreoffice import find_soffice as soffice

    return soffice()

def _as_of(text: str) -> AsOf:
    from kc_excel.attainment.pace import AsOf

    try:
        return AsOf.parse(text)
    except ValueError as problem:
        raise ConfigError(f"--as-of: {problem}", message_en=f"--as-of: '{text}' is not a month (2023-12, 12/2023, 12-2023 or T12/2023)") from None

def _check_paths(programme: Path, results: list[Path], output: Path, plan: Path | None = None) -> None:
    if output.suffix.lower() != ".xlsx":
        raise ConfigError(f"Tệp báo cáo phải có đuôi .xlsx: {output}", message_en=f"The report must be .xlsx: {output}")
    inputs = [programme, *results, *([plan] if plan else [])]
    if any(p.resolve() == output.resolve() for p in inputs if p.exists()):
        raise ConfigError(f"Tệp báo cáo {output} trùng với tệp đầu vào; chọn tên khác (không ghi đè tệp của người dùng).",
                          message_en=f"The report {output} is one of the inputs; choose another name.")

def _percent(value: Decimal | None) -> str:
    from kc_excel.numbers import format_vn

    return "" if value is None else f"{format_vn(value * 100, 2)}%"

def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    from kc_excel.numbers import format_vn

    return format_vn(value, None, at_most=4)

def render_table(report: AttainmentReport) -> Table:
    """The report as a console table (the same figures as the workbook)."""
    from rich.table import Table

    table = Table(title=tr(f"Đánh giá thực hiện đến tháng {report.as_of.label_vi}",
                           f"Attainment as of {report.as_of}"))
    table.add_column("Mã chỉ tiêu", no_wrap=True)
    table.add_column("Chỉ tiêu", ratio=1, min_width=20)
    for header in ("Tối thiểu", "Tối đa", "Thực hiện", "Tỷ lệ đạt", "Tiến độ kỳ vọng"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("Đánh giá", no_wrap=True)
    for row in report.rows:
        t = row.target
        percent = (t.unit or "").strip() == "%"
        show = _percent if percent else _number
        table.add_row(t.code, t.name, show(t.target_min), show(t.target_max), show(row.actual),
                      _percent(row.ratio), _percent(row.expected_pace), row.status)
    return table

def _print_issues(outcome) -> None:
    if not outcome.issues:
        return
    errors = outcome.errors
    say(f"{errors} lỗi, {len(outcome.issues) - errors} cảnh báo (xem trang 'Ghi chú' của báo cáo):",
        f"{errors} errors, {len(outcome.issues) - errors} warnings (see sheet 'Ghi chú' of the report):")
    for issue in outcome.issues[:SHOWN_ISSUES]:
        place = "!".join(p for p in (Path(issue.file).name if issue.file else None, issue.sheet, issue.cell) if p)
        err.print(f"  [{issue.code}] {place}: {issue.message}", markup=False)
    if len(outcome.issues) > SHOWN_ISSUES:
        say(f"  … và {len(outcome.issues) - SHOWN_ISSUES} vấn đề khác.", f"  … and {len(outcome.issues) - SHOWN_ISSUES} more.")
