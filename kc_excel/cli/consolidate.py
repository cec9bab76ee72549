"""``kc-excel consolidate DIR --province P --year Y -o PLAN.xlsx [--level commune|district] [--json]``.

Exit code: 0 done, no errors (warnings and missing units allowed); 1 done, but
a file was rejected (errors, unreadable, another province or year); 2 the
folder, province, level or output cannot be used (or another run holds the
output's lock).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from kc_excel.cli.app import app
from kc_excel.cli.examples import example
from kc_excel.cli.common import EXIT_BAD_INPUT, EXIT_DATA_ERRORS, EXIT_OK, err, out, plan_year, print_json
from kc_excel.cli.document import PROFILE_OPTION_HELP, load_profile, pdf_beside, require_soffice
from kc_excel.i18n import tr

HELP = (
    "Tổng hợp thư mục phiếu đăng ký thành kế hoạch khuyến công tỉnh (kèm tình trạng nộp, lỗi, nguồn từng dòng).\n\n"
    "Consolidate a folder of registrations (.xlsx/.xlsm/.xls/.ods and .eml attachments) into the provincial plan. "
    "Exit code 0: done, no errors; 1: files rejected or with errors; 2: unusable folder/argument or output locked."
)


def document(outcome) -> dict:
    """The ``--json`` document of contract §4 (schemas/consolidate.schema.json)."""
    plan = outcome.plan
    return {"output": str(outcome.output) if outcome.output else None,
            "units": [u.to_json() for u in plan.units], "rows": len(plan.lines), "totals": plan.totals,
            "issues": [i.to_json() for i in plan.issues], "inputs": outcome.inventory}


def _level(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in ("commune", "district", "xa", "huyen"):
        raise typer.BadParameter(tr("dùng commune (xã, phường) hoặc district (huyện, trước 2025)",
                                    "use commune or district"), param_hint="--level")
    return value


@app.command("consolidate", help=HELP, epilog=example(
    "kc-excel consolidate phieu/ --province \"Đồng Nai\" --year 2026 -o KeHoach_2026.xlsx",
    "kc-excel consolidate thu/ --province \"Đồng Nai\" --year 2026 -o KeHoach_2026.xlsx --recursive --json"))
def consolidate_command(
    folder: Path = typer.Argument(..., help="Thư mục chứa phiếu đăng ký các đơn vị. Folder of registrations.",
                                  show_default=False),
    province: str = typer.Option(..., "--province", help="Tỉnh (tên hoặc mã). Province name or code.",
                                 show_default=False),
    year: int = typer.Option(..., "--year", help="Năm kế hoạch (2000-2100). Plan year.", show_default=False,
                             callback=plan_year),
    output: Path = typer.Option(..., "-o", "--output", help="Tệp kế hoạch tổng hợp (.xlsx). Output workbook.",
                                show_default=False),
    level: Optional[str] = typer.Option(None, "--level", callback=_level, show_default=False,
                                        help="commune: xã, phường (từ 2026); district: huyện (kế hoạch trước 2026). "
                                             "Mặc định: theo cấp ghi trong các phiếu. Default: the files' level."),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON (CONTRACT §4). Print JSON."),
    recursive: bool = typer.Option(False, "--recursive", help="Đọc cả thư mục con. Include subfolders."),
    accept_warnings: bool = typer.Option(
        True, "--accept-warnings/--strict",
        help="Mặc định nhận tệp chỉ có cảnh báo; --strict coi cảnh báo là lỗi. "
             "Default: files with warnings only are accepted; --strict rejects them."),
    norms: Optional[Path] = typer.Option(None, "--norms", help="Tệp định mức hỗ trợ (bảng DinhMuc). Norms workbook.",
                                         show_default=False),
    no_cache: bool = typer.Option(False, "--no-cache", help="Không dùng bộ nhớ đệm kết quả. Do not use the cache."),
    workers: int = typer.Option(2, "--workers", min=1, max=32, help="Số tiến trình đọc tệp. Reader processes."),
    profile: Optional[Path] = typer.Option(None, "--profile", help=PROFILE_OPTION_HELP, show_default=False),
    pdf: bool = typer.Option(False, "--pdf", help="Ghi thêm bản PDF (cần LibreOffice). Also write a PDF."),
) -> None:
    if output.suffix.lower() != ".xlsx":
        err.print(tr(f"Tệp kết quả phải có đuôi .xlsx: {output}", f"The output must be an .xlsx file: {output}"))
        raise typer.Exit(EXIT_BAD_INPUT)
    from kc_excel.consolidate import warm_readers

    warm_readers()  # the readers' warm start: their server imports validation while this process goes on
    from kc_excel import settings
    from kc_excel.consolidate.run import consolidate_folder
    norm_table, norms_key = _norms(norms)
    key = settings.province_key(os.environ)  # a damaged key file stops the run here (exit 2), before any work
    centre = load_profile(profile)
    if pdf:
        require_soffice()
    if norm_table is not None:  # a norms file of another province is refused before anything is read
        from kc_excel.consolidate.reading import expected_units

        found, _, _ = expected_units(province, level or "commune")
        norm_table.check_province(getattr(found, "code", None), getattr(found, "name", ""))
    with _progress(enabled=err.is_terminal) as progress:
        outcome = consolidate_folder(folder, province=province, year=year, output=output, level=level,
                                     recursive=recursive, strict=not accept_warnings, workers=workers,
                                     cache_dir=None if no_cache else settings.cache_dir(os.environ), key=key,
                                     norms=norm_table, norms_key=norms_key,
                                     lock_timeout=_lock_timeout(), progress=progress, profile=centre)
    if pdf and outcome.output is not None:
        pdf_beside(Path(outcome.output))
    if as_json:
        print_json(document(outcome))
    else:
        _show(outcome)
    raise typer.Exit(EXIT_DATA_ERRORS if outcome.plan.rejected else EXIT_OK)


def _lock_timeout() -> float:
    """Seconds to wait for another run's lock (``KC_EXCEL_LOCK_TIMEOUT``, default 10)."""
    from kc_excel.consolidate.safety import LOCK_TIMEOUT_SECONDS

    try:
        return float(os.environ.get("KC_EXCEL_LOCK_TIMEOUT", LOCK_TIMEOUT_SECONDS))
    except ValueError:
        return LOCK_TIMEOUT_SECONDS


def _norms(path: Optional[Path]) -> tuple[dict | None, str]:
    if path is None:
        return None, ""
    import hashlib

    from kc_excel.catalog.norms_file import load_norms_in_force

    key = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else str(path)
    return load_norms_in_force(path), key


class _progress:
    """A rich progress bar on stderr when it is a terminal; nothing when piped."""

    def __init__(self, enabled: bool) -> None:
        self.enabled, self.bar, self.task = enabled, None, None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn(tr("Đọc và kiểm tra tệp", "Reading files")), BarColumn(),
                            MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True)
        self.bar.start()
        self.task = self.bar.add_task("", total=None)
        return self.update

    def update(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _show(outcome) -> None:
    from rich.console import Console
    from rich.table import Table

    from kc_excel.consolidate.core import STATUSES_EN
    from kc_excel.i18n import get_lang
    from kc_excel.validation.values import fmt_trieu

    english = get_lang() == "en"

    def trieu(dong: int) -> str:
        return fmt_trieu(dong, lang=get_lang())

    plan = outcome.plan
    table = Table(title=tr(f"Tình trạng nộp — {plan.province_name} — năm {plan.year}",
                           f"Submissions — {plan.province_name} — {plan.year}"))
    for header in (tr("Mã", "Code"), tr("Đơn vị", "Unit"), tr("Trạng thái", "Status"), tr("Tệp", "File"),
                   tr("Số dòng", "Rows"), tr("Lỗi", "Errors"), tr("Cảnh báo", "Warnings")):
        table.add_column(header)
    for u in plan.units:
        status = STATUSES_EN.get(u.status, u.status) if english else u.status
        table.add_row(u.code or "", u.name, status, u.file or "", _n(u.rows), _n(u.errors), _n(u.warnings))
    wide = out if out.is_terminal else Console(file=out.file, width=160, highlight=False, soft_wrap=True)
    wide.print(table)
    totals = plan.totals
    out.print(tr(f"Đã tổng hợp {len(plan.lines)} dòng từ {outcome.files} tệp. Tổng kinh phí {trieu(totals['tong'])} "
                 f"triệu đồng (KCQG {trieu(totals['kcqg'])}; KCĐP {trieu(totals['kcdp'])}; vốn đối ứng "
                 f"{trieu(totals['doi_ung'])}; nguồn khác {trieu(totals['khac'])}).",
                 f"Consolidated {len(plan.lines)} lines from {outcome.files} files. Total {trieu(totals['tong'])} "
                 f"million VND."))
    out.print(tr(f"{outcome.read} tệp/phần đọc được, {outcome.left_out} bị bỏ qua (lý do trong trang Lỗi).",
                 f"{outcome.read} files/parts read, {outcome.left_out} left out (reasons in sheet Lỗi)."))
    out.print(tr(f"{plan.errors} lỗi, {plan.warnings} cảnh báo (trang Lỗi). Đã ghi: {outcome.output}",
                 f"{plan.errors} errors, {plan.warnings} warnings (sheet Lỗi). Written: {outcome.output}"))


def _n(value: int | None) -> str:
    return "" if value is None else str(value)
