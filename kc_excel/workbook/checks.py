"""Reading-time checks of a workbook's structure against its layouts.

- ``template-outdated`` (warning): ``_kc.phien_ban_mau`` older than the current template;
- ``missing-column`` (error): a required column of the layout was not found in the header row;
- ``layout-altered`` (warning): the workbook says it is our template (``_kc.ma_kiem_tra``)
  but its headers, in order and text, are not the layout's.
"""

from __future__ import annotations

from kc_excel.text import clean
from kc_excel.validation.issues import Issue, make_issue
from kc_excel.workbook.data import Table, a1
from kc_excel.workbook.layout import META_SHEET, Meta


def layout_issues(path: str, meta: dict[str, str], tables: dict[str, Table], version: int) -> list[Issue]:
    issues = _version_issues(path, meta, version)
    for table in tables.values():
        issues.extend(_missing_columns(path, table))
        if meta.get(Meta.CHECKSUM):
            issues.extend(_altered(path, table))
    return issues


def _version_issues(path: str, meta: dict[str, str], version: int) -> list[Issue]:
    text = meta.get(Meta.VERSION, "").strip()
    if not text.isdigit() or int(text) >= version:
        return []
    return [make_issue("template-outdated", f"phiên bản {text}, hiện hành {version}",
                       detail_en=f"version {text}, current {version}", file=path, sheet=META_SHEET,
                       value=text)]


def _first_col(table: Table) -> int:
    cols = [c.col for c in table.columns.values()] + [c.col for c in table.extra_headers]
    return min(cols, default=1)


def _missing_columns(path: str, table: Table) -> list[Issue]:
    issues = []
    cell = a1(table.header_row, _first_col(table))
    for column in table.layout.columns:
        if column.required and column.key not in table.columns:
            issues.append(make_issue(
                "missing-column", f"bảng {table.layout.table} không có cột “{column.header}” ở dòng tiêu đề {table.header_row}",
                detail_en=f"table {table.layout.table} has no “{column.header}” column in header row {table.header_row}",
                file=path, sheet=table.sheet, cell=cell, row=table.header_row, column=column.header))
    return issues


def _altered(path: str, table: Table) -> list[Issue]:
    found = sorted([*table.columns.values(), *table.extra_headers], key=lambda c: c.col)
    texts = [clean(str(c.value)) for c in found if c.value is not None]
    expected = [clean(h) for h in table.layout.headers]
    if texts == expected:
        return []
    position = next((i for i, (a, b) in enumerate(zip(texts, expected)) if a != b), min(len(texts), len(expected)))
    got = texts[position] if position < len(texts) else "(không có)"
    want = expected[position] if position < len(expected) else "(không có)"
    cell = found[position] if position < len(found) else None
    return [make_issue(
        "layout-altered", f"tiêu đề cột thứ {position + 1} là “{got}”, biểu mẫu là “{want}”",
        detail_en=f"header {position + 1} is “{got}”, the template has “{want}”",
        file=path, sheet=table.sheet, row=table.header_row,
        cell=cell.ref if cell else a1(table.header_row, _first_col(table)), value=got)]
