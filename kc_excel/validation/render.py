"""The terminal view of a validation: one rich table (file, sheet, cell, code, message) and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from rich.table import Table
from rich.text import Text

from kc_excel.i18n import get_lang, tr
from kc_excel.validation.issues import Severity
from kc_excel.validation.runner import ValidatedFile

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}
_LEVEL = {Severity.ERROR: ("lỗi", "error"), Severity.WARNING: ("cảnh báo", "warning")}


def issues_table(results: Sequence[ValidatedFile]) -> Table:
    """Every issue of every file, in report order."""
    lang = get_lang()
    table = Table(title=tr("Kết quả kiểm tra", "Validation results"), show_lines=False, expand=False)
    table.add_column(tr("Tệp", "File"), overflow="fold", max_width=24)
    table.add_column(tr("Trang tính", "Sheet"), overflow="fold", max_width=12)
    table.add_column(tr("Ô", "Cell"), no_wrap=True)
    table.add_column(tr("Mức độ", "Severity"), no_wrap=True)
    table.add_column(tr("Mã lỗi", "Code"), no_wrap=True)
    table.add_column(tr("Nội dung", "Message"), overflow="fold", ratio=1, min_width=30)
    for result in results:
        name = Path(result.path).name
        for issue in result.report.issues:
            style = _STYLE.get(issue.severity, "")
            table.add_row(name, issue.sheet or "", issue.cell or "", Text(tr(*_LEVEL[issue.severity]), style=style),
                          Text(issue.code, style=style), Text(issue.render(lang)))
    return table


def summary(results: Sequence[ValidatedFile]) -> str:
    """E.g. "2 tệp: 3 lỗi, 1 cảnh báo." (with the files that could not be read)."""
    errors = sum(r.report.errors for r in results)
    warnings = sum(r.report.warnings for r in results)
    unusable = sum(1 for r in results if r.file_level)
    text = tr(f"{len(results)} tệp: {errors} lỗi, {warnings} cảnh báo",
              f"{len(results)} file(s): {errors} error(s), {warnings} warning(s)")
    if unusable:
        text += tr(f"; {unusable} tệp không dùng được", f"; {unusable} file(s) unusable")
    cuts = [r.report.cut_notice(Path(r.path).name) for r in results if r.report.truncated]
    if cuts:
        text += "; " + "; ".join(cuts)
    return text + "."
