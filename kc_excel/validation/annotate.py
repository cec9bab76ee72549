"""``--annotate OUT.xlsx``: a marked-up copy of a workbook, never a change to the input.

The copy has each offending cell filled (red for errors, amber for warnings)
with a comment holding the message(s), and a sheet ``Lỗi`` listing every
issue (STT, Trang tính, Ô with an internal hyperlink to the cell, Mã lỗi,
Mức độ, Nội dung). Text is always stored as text (a value starting with "="
never becomes a formula). The copy is written to a temporary file beside
``out`` and moved into place, so ``out`` is either complete or absent.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from kc_excel.errors import InputError, OutputError
from kc_excel.outputs import NAME_CHARS_IN_TEMP, TEMP_PREFIX, make_way, write_atomically
from kc_excel.i18n import get_lang, set_lang, tr
from kc_excel.validation.issues import Issue, Severity
from kc_excel.workbook.limited import LimitExceeded, run_limited
from kc_excel.workbook.writer import save_workbook

ISSUES_SHEET = "Lỗi"
ANNOTATABLE = (".xlsx", ".xlsm")
FILL = {Severity.ERROR: PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE"),
        Severity.WARNING: PatternFill("solid", start_color="FFFFEB9C", end_color="FFFFEB9C")}
HEADERS = ("STT", "Trang tính", "Ô", "Mã lỗi", "Mức độ", "Nội dung")
SEVERITY_VI = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}
AUTHOR = "kc-excel"


ANNOTATED_KINDS = ("dang-ky", "chuong-trinh", "ket-qua")
"""The ``_kc.loai_bieu`` of an annotated copy (with its ``Lỗi`` sheet) that ``--annotate`` may replace."""
ANNOTATE_MEMORY_BYTES = 1024 * 1024 * 1024
ANNOTATE_TIMEOUT_SECONDS = 60.0
"""``--annotate`` loads the whole workbook with openpyxl: in a child under these limits (a 30 MB file
with a padded sheet once took minutes and gigabytes in the main process)."""


def annotate_within_limits(source: str | Path, issues: Sequence[Issue], out: str | Path, *,
                           cut: str | None = None, memory_bytes: int = ANNOTATE_MEMORY_BYTES,
                           timeout_seconds: float = ANNOTATE_TIMEOUT_SECONDS) -> Path:
    """:func:`annotate` in a child process under memory and time limits; over them: InputError, nothing written.
    ``cut`` says the list of issues was cut."""

    source, out = Path(source), Path(out)
    _check_paths(source, out)
    make_way(out, ANNOTATED_KINDS, sheet=ISSUES_SHEET)  # only an earlier annotated copy is replaced (.bak kept)
    try:
        return run_limited(_annotate_in, get_lang(), source, list(issues), out, cut, memory_bytes=memory_bytes,
                           timeout_seconds=timeout_seconds)
    except LimitExceeded as exceeded:
        _remove_leftovers(out)
        raise InputError(f"Không đánh dấu được {source.name}: tệp quá lớn để đánh dấu ({exceeded.vi}). "
                         f"Xóa các trang tính, ô thừa rồi kiểm tra lại.", path=source, code="file-too-large",
                         message_en=f"Cannot annotate {source.name}: the file is too large to annotate "
                                    f"({exceeded.en}).") from None


def _annotate_in(lang: str, source: Path, issues: list[Issue], out: Path, cut: str | None) -> Path:
    set_lang(lang)
    return annotate(source, issues, out, cut=cut)


def _remove_leftovers(out: Path) -> None:
    """The hidden temporary file of a killed child (``.~kc-NAME.XXXX.tmp``)."""
    for temp in out.parent.glob(f"{TEMP_PREFIX}{out.name[:NAME_CHARS_IN_TEMP]}.*.tmp"):
        temp.unlink(missing_ok=True)


def _check_paths(source: Path, out: Path) -> None:
    if source.suffix.lower() not in ANNOTATABLE:
        raise InputError(tr(f"Chỉ đánh dấu được tệp .xlsx/.xlsm, không phải {source.name}",
                            f"Only .xlsx/.xlsm files can be annotated, not {source.name}"), path=source)
    if out.suffix.lower() not in ANNOTATABLE:
        raise OutputError(tr(f"Tệp đánh dấu phải có đuôi .xlsx hoặc .xlsm: {out.name}",
                             f"The annotated file must end in .xlsx or .xlsm: {out.name}"), path=out)
    if out.exists() and out.resolve() == source.resolve():
        raise OutputError(tr("Không ghi đè lên tệp đang kiểm tra; chọn tên tệp khác cho --annotate.",
                             "Will not overwrite the file being checked; choose another --annotate name."), path=out)


def annotate(source: str | Path, issues: Sequence[Issue], out: str | Path, *, cut: str | None = None) -> Path:
    """Write the annotated copy of ``source`` to ``out``; return ``out``. ``cut`` says the list was cut."""
    source, out = Path(source), Path(out)
    _check_paths(source, out)
    book = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    mark_cells(book, issues)
    write_issue_sheet(book, issues, cut=cut)
    _save(book, out)
    return out


def mark_cells(book: Any, issues: Iterable[Issue]) -> None:
    """Fill and comment every cell an issue points at (errors win over warnings)."""
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.sheet in book.sheetnames and issue.cell:
            by_cell[(issue.sheet, issue.cell.replace("$", ""))].append(issue)
    lang = get_lang()
    for (sheet, ref), found in by_cell.items():
        cell = book[sheet][ref]
        worst = Severity.ERROR if any(i.severity == Severity.ERROR for i in found) else Severity.WARNING
        cell.fill = FILL[worst]
        text = "\n".join(f"[{i.code}] {i.render(lang)}" for i in found)
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, min(60 + 40 * len(found), 400)
        cell.comment = comment


def write_issue_sheet(book: Any, issues: Sequence[Issue], *, cut: str | None = None) -> Worksheet:
    """The ``Lỗi`` sheet (replacing an older one), second in the book and active on opening."""
    if ISSUES_SHEET in book.sheetnames:
        del book[ISSUES_SHEET]
    ws = book.create_sheet(ISSUES_SHEET, index=min(1, len(book.sheetnames)))
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = False
    book.active = ws
    for col, header in enumerate(HEADERS, start=1):
        set_text(ws.cell(1, col), header).font = Font(bold=True)
    lang = get_lang()
    for row, issue in enumerate(issues, start=2):
        ws.cell(row, 1, row - 1)
        set_text(ws.cell(row, 2), issue.sheet or "")
        link = ws.cell(row, 3)
        set_text(link, issue.cell or "")
        if issue.sheet in book.sheetnames and issue.cell:
            link.hyperlink = Hyperlink(ref=link.coordinate, location=internal_target(issue.sheet, issue.cell))
            link.font = Font(color="FF0563C1", underline="single")
        set_text(ws.cell(row, 4), issue.code)
        set_text(ws.cell(row, 5), SEVERITY_VI.get(issue.severity, str(issue.severity)) if lang == "vi"
                 else str(issue.severity))
        set_text(ws.cell(row, 6), issue.render(lang))
    if cut:  # the last row says the list is not whole
        set_text(ws.cell(len(issues) + 2, 6), cut[:1].upper() + cut[1:] + ".").font = Font(bold=True, color="FF9C0006")
    for letter, width in zip("ABCDEF", (6, 14, 8, 24, 10, 100)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return ws


def internal_target(sheet: str, cell: str) -> str:
    """``'Đăng ký'!K7``: a location inside the workbook (quotes doubled in the sheet name)."""
    column, row = coordinate_from_string(cell.replace("$", ""))
    return "'{}'!{}{}".format(sheet.replace("'", "''"), column, row)


def set_text(cell: Any, text: str) -> Any:
    """Store ``text`` as a string even when it starts with "=" (never a formula)."""
    cell.value = text
    cell.data_type = "s"
    return cell


def _save(book: Any, out: Path) -> None:
    """All-or-nothing save (a read-only or full folder is an OutputError, exit 2)."""
    write_atomically(out, partial(save_workbook, book))

