"""``DOT/SoTheoDoi.xlsx``: the round as staff open it, rewritten atomically after every command.

Sheets (each an Excel Table, written with the plan's streaming helpers,
:mod:`kc_excel.workbook.streamed`):

- ``Tình trạng`` (``TinhTrangDot``): one row per expected unit, coloured by status;
- ``Các lần nộp`` (``CacLanNop``): every recorded input, version by version;
- ``Thay đổi`` (``ThayDoi``): every changed cell, added and removed line of each resubmission;
- ``Nhật ký`` (``NhatKy``): the log.

Money cells hold integer đồng shown in triệu đồng, as in the plan; times are Vietnam time (UTC+7).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from kc_excel.outputs import write_atomically
from kc_excel.rounds import register
from kc_excel.rounds.diff import HEADERS, Diff, diff_versions, label, show
from kc_excel.rounds.register import Version
from kc_excel.rounds.status import ACCEPTED, HAS_ERRORS, MISSING, VALID, vietnam_text
from kc_excel.workbook.streamed import Sheet, new_streamed_workbook

COLOURS = {ACCEPTED: "#BDD7EE", VALID: "#C6EFCE", HAS_ERRORS: "#FFC7CE", MISSING: "#FFEB9C"}
STATUS_HEADERS = ["Mã đơn vị", "Đơn vị", "Trạng thái", "Số lần nộp", "Lần nộp cuối", "Số ngày trễ", "Số lỗi",
                  "Lần được duyệt", "Người duyệt", "Thời điểm duyệt"]
VERSION_HEADERS = ["Mã đơn vị", "Đơn vị", "Lần", "Thời điểm nhận", "Người gửi", "Tệp gốc", "Bản lưu", "Phiên bản mẫu",
                   "Số dòng", "Tổng kinh phí", "Số lỗi", "Số cảnh báo", "Nhận sau khi duyệt", "Người nhận",
                   "SHA-256", "Các lỗi"]
CHANGE_HEADERS = ["Đơn vị", "Từ lần", "Đến lần", "Loại", "Dòng", "Cột", "Giá trị cũ", "Giá trị mới"]
LOG_HEADERS = ["STT", "Thời điểm", "Việc", "Người thực hiện", "Đơn vị", "Lần", "Lý do", "Chi tiết"]
ACTIONS = {"open": "Mở đợt", "receive": "Nhận phiếu", "accept": "Duyệt", "reopen": "Mở lại", "remind": "Nhắc",
           "plan": "Lập kế hoạch"}


VIEW = "SoTheoDoi.xlsx"
"""The round's tracking book (sổ theo dõi), rewritten after every command that changes the round."""


def write_view(current: Any) -> Path:
    """Write ``SoTheoDoi.xlsx`` of the round ``current`` (:class:`~kc_excel.rounds.service.Round`)."""
    statuses = current.statuses()
    versions = register.versions(current.db)
    changes = list(_change_rows(all_diffs(current)))
    entries = register.log_entries(current.db)

    def write(temp: Path) -> None:
        wb, formats = new_streamed_workbook(str(temp))
        formats.update({f"round:{s}": wb.add_format({"bg_color": c, "font_name": "Times New Roman"})
                        for s, c in COLOURS.items()})
        title = f"Sổ theo dõi đợt thu phiếu — {current.info.province} — năm {current.info.year} " \
                f"— hạn {current.info.deadline}"
        _sheet(wb, formats, "Tình trạng", "TinhTrangDot", title, STATUS_HEADERS, [_status_row(s) for s in statuses],
               colour_by=2)
        _sheet(wb, formats, "Các lần nộp", "CacLanNop", title, VERSION_HEADERS, [_version_row(v) for v in versions])
        _sheet(wb, formats, "Thay đổi", "ThayDoi", title, CHANGE_HEADERS, changes)
        _sheet(wb, formats, "Nhật ký", "NhatKy", title, LOG_HEADERS,
               [_log_row(i, e) for i, e in enumerate(entries, start=1)])
        wb.close()

    return write_atomically(current.folder / VIEW, write)


def all_diffs(current: Any) -> Iterator[tuple[Version, Diff]]:
    """Each resubmission against the version before it, in the order received."""
    by_unit: dict[str, Version] = {}
    for version in register.versions(current.db):
        if version.unit_code is None:
            continue
        previous = by_unit.get(version.unit_code)
        if previous is not None:
            yield version, diff_versions(version.unit_name or version.unit_code, previous.number or 0, previous.lines,
                                         version.number or 0, version.lines)
        by_unit[version.unit_code] = version


def _sheet(wb: Any, formats: dict, name: str, table: str, title: str, headers: Sequence[str],
           rows: Sequence[Sequence[Any]], *, colour_by: int | None = None) -> None:
    sheet = Sheet(wb.add_worksheet(name), formats)
    sheet.text(0, 0, title, "title")
    sheet.table(table, headers, 2, len(rows), widths=[max(10, min(40, len(h) + 6)) for h in headers])
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            fmt = "text"
            if colour_by is not None and j == colour_by:
                fmt = f"round:{value}"
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.number(i, j, value, "money" if headers[j] == "Tổng kinh phí" else "count")
            else:
                sheet.text(i, j, value, fmt)


def _status_row(status: Any) -> list[Any]:
    latest, approval = status.latest, status.approval
    return [status.code, status.name, status.status, len(status.versions),
            vietnam_text(latest.received_at) if latest else None, status.days_late, latest.errors if latest else None,
            approval.version if approval else None, approval.accepted_by if approval else None,
            vietnam_text(approval.accepted_at) if approval else None]


def _version_row(version: register.Version) -> list[Any]:
    issues = "; ".join(f"{i.get('sheet') or ''}!{i.get('cell') or ''} {i['code']}".strip()
                       for i in version.issues if i.get("severity") == "error")
    return [version.unit_code, version.unit_name, version.number, vietnam_text(version.received_at), version.sender,
            version.original_name, version.stored, version.template_version, version.line_count,
            version.totals.get("tong", 0), version.errors, version.warnings,
            "Có" if version.after_acceptance else None, version.recorded_by, version.sha256, issues or None]


def _change_rows(diffs: Iterable[Any]) -> Iterable[list[Any]]:
    for _, diff in diffs:
        where = [diff.unit, diff.from_version, diff.to_version]
        for line in diff.added:
            yield [*where, "Thêm dòng", label(line), None, None, _money_text(line)]
        for line in diff.removed:
            yield [*where, "Bỏ dòng", label(line), None, _money_text(line), None]
        for change in diff.changed:
            yield [*where, "Sửa ô", change.line, change.column, show(change.old, change.key), show(change.new, change.key)]


def _money_text(line: dict) -> str:
    return f"{HEADERS['tong']}: {show(line.get('tong'), 'tong')}"


def _log_row(number: int, entry: register.LogEntry) -> list[Any]:
    detail = None if entry.detail is None else json.dumps(entry.detail, ensure_ascii=False)
    return [number, vietnam_text(entry.at), ACTIONS.get(entry.action, entry.action), entry.by, entry.unit, entry.version,
            entry.reason, detail]


__all__ = ["write_view"]
