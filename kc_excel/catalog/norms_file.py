"""Reading a province's norms workbook (table ``DinhMuc``) into :class:`~kc_excel.catalog.norms.Norm` rows.

The workbook is opened read-only with cached values (openpyxl ``read_only``,
``data_only``); the header row is found on the sheet ``Định mức`` (or any
sheet) by matching headers through :func:`kc_excel.text.fold` and the column
aliases of :data:`kc_excel.workbook.layout.NORMS`. Every problem raises
:class:`~kc_excel.errors.ConfigError` naming the file, the sheet and the cell.
"""

from __future__ import annotations

import re
import zipfile
from contextlib import contextmanager
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from kc_excel.catalog.activities import find_activity, find_unit_of_measure
from kc_excel.catalog.norms import Norm, NormsInForce, default_norms, in_force
from kc_excel.errors import ConfigError, UnknownNameError
from kc_excel.catalog.norms import TRIEU
from kc_excel.foreign_errors import BROKEN_ZIP, MALFORMED
from kc_excel.numbers import TooPreciseError, format_vn, parse_number, states_own_unit, to_dong
from kc_excel.text import clean, fold
from kc_excel.units import implausible_amount
from kc_excel.workbook.layout import NORMS
from kc_excel.workbook.trusted import read_trusted

_HEADER_SCAN_ROWS = 30
_REQUIRED = ("hoat_dong", "ty_le", "muc_toi_da", "van_ban", "ngay_hieu_luc")


class _BadCell(Exception):
    """A cell's value cannot be used; the message is Vietnamese, the caller adds the position."""


def _header_key(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = fold(value)
    bare = re.sub(r"\s*\(.*?\)\s*", " ", text).strip()
    for col in NORMS.columns:
        names = {fold(col.header), *(fold(a) for a in col.aliases)}
        if text in names or bare in names:
            return col.key
    return None


def _find_header(wb: Any) -> tuple[Any, int, dict[str, int]] | None:
    """(sheet, header row number, {column key: column number}) of the DinhMuc table."""
    sheets = sorted(wb.worksheets, key=lambda ws: fold(ws.title).replace(" ", "") not in ("dinhmuc", "dinh_muc"))
    for ws in sheets:
        ws.reset_dimensions()  # some writers store a wrong <dimension>; read what is there
        for row in ws.iter_rows(max_row=_HEADER_SCAN_ROWS):
            r = _row_number(row)
            cols: dict[str, int] = {}
            for c, cell in enumerate(row, start=1):
                key = _header_key(getattr(cell, "value", None))
                if key and key not in cols:
                    cols[key] = c
            if "hoat_dong" in cols and ({"ty_le", "muc_toi_da"} & cols.keys()):
                return ws, r, cols
    return None


def _row_number(row: tuple) -> int:
    """The sheet row of a read-only row (empty cells carry no position)."""
    return next((cell.row for cell in row if getattr(cell, "row", None)), 0)


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _BadCell("không phải là số")
    try:
        return parse_number(value)
    except ValueError as error:
        raise _BadCell(str(error)) from None


def _ratio(value: Any, number_format: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    number = _number(value)
    stated_as_fraction = "%" in str(value) if isinstance(value, str) else "%" in (number_format or "")
    ratio = number if stated_as_fraction else number / 100
    if not 0 <= ratio <= 1:
        percent = format((ratio * 100).normalize(), "f").replace(".", ",")
        raise _BadCell(f"tỷ lệ hỗ trợ {percent}% phải từ 0% đến 100% (ghi 50 hoặc 50% cho 50%)")
    return ratio


def _amount(value: Any) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, bool):
        raise _BadCell("không phải là số")
    try:
        dong = to_dong(value, "trieu-dong")
    except TooPreciseError:
        raise _BadCell(f"“{value}” triệu đồng chi tiết hơn 1 đồng") from None
    except ValueError as error:
        raise _BadCell(str(error)) from None
    if dong < 0:
        raise _BadCell("mức hỗ trợ tối đa không được âm")
    if not states_own_unit(value) and implausible_amount(Decimal(dong) / TRIEU, "triệu đồng"):
        shown = format_vn(Decimal(dong) / TRIEU)
        raise _BadCell(f"mức hỗ trợ tối đa {shown} triệu đồng không hợp lý: cột tính bằng triệu đồng "
                       f"(có lẽ đã gõ số đồng; {shown} đồng là {format_vn(Decimal(dong) / TRIEU / TRIEU, None, at_most=6)} triệu)")
    return dong


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_excel(value).date()
    text = str(value or "").strip()
    for pattern, order in ((r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", "dmy"), (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd")):
        m = re.fullmatch(pattern, text)
        if m:
            a, b, c = (int(g) for g in m.groups())
            try:
                return date(c, b, a) if order == "dmy" else date(a, b, c)
            except ValueError:
                break
    raise _BadCell(f"ngày hiệu lực “{text}” không hợp lệ (ghi dạng ngày/tháng/năm, ví dụ 01/01/2025)")


def _text(value: Any) -> str:
    return clean(str(value)) if value is not None else ""


def _open(path: Path) -> Any:
    if not path.is_file():
        raise ConfigError(f"Không tìm thấy tệp định mức “{path}”.", message_en=f"Norms file not found: {path}")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, *MALFORMED) as exc:  # openpyxl's own, then the layers' (one table)
        raise ConfigError(
            f"Không đọc được tệp định mức “{path.name}”: cần một tệp Excel .xlsx có bảng DinhMuc ({exc.__class__.__name__}).",
            message_en=f"Cannot read the norms file {path.name}: an .xlsx workbook with table DinhMuc is needed.",
        ) from None


def read_norms_meta(path: Path) -> dict[str, str]:
    """The ``_kc`` key/value rows of a norms workbook (province, when it says); {} without that sheet."""
    wb = _open(path)
    try:
        if "_kc" not in wb.sheetnames:
            return {}
        meta = {}
        for row in wb["_kc"].iter_rows(max_row=200, max_col=2, values_only=True):
            key, value = (tuple(row) + (None, None))[:2]
            if key and value is not None:
                meta[str(key).strip()] = str(value).strip()
        return meta
    finally:
        wb.close()


_SNIFF_BYTES = 2 * 1024 * 1024


def looks_like_norms(path: Path) -> bool:
    """True when ``path`` is an .xlsx whose parts name a DinhMuc table or hold its headers.

    A sniff of a few bounded zip parts, never a full parse: the file is a
    centre file the sandboxed reader has just declined (``validate`` only
    then checks it as a norms workbook)."""
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [n for n in archive.namelist() if n.startswith("xl/tables/") or n == "xl/sharedStrings.xml"]
            texts = [_head(archive, name) for name in parts[:20]]
    except (*BROKEN_ZIP, RuntimeError):  # not a readable zip (RuntimeError: an encrypted entry): not norms
        return False
    if any('displayName="DinhMuc"' in text for text in texts):
        return True
    words = fold(" ".join(texts))
    return "ngay hieu luc" in words and ("ty le ho tro" in words or "muc ho tro" in words)


def _head(archive: zipfile.ZipFile, name: str) -> str:
    with archive.open(name) as part:
        return part.read(_SNIFF_BYTES).decode("utf-8", "replace")


def read_norm_rows(path: Path) -> list[Norm]:
    """Every filled row of the ``DinhMuc`` table of ``path``, as norms (no defaults merged)."""
    wb = _open(path)
    try:
        found = _find_header(wb)
        if found is None:
            raise ConfigError(
                f"Tệp định mức “{path.name}” không có bảng DinhMuc (trang “{NORMS.sheet}”) với các cột: "
                f"{' | '.join(NORMS.headers)}.",
                message_en=f"The norms file {path.name} has no DinhMuc table with columns {' | '.join(NORMS.headers)}.",
            )
        ws, header_row, cols = found
        missing = [NORMS.column(k).header for k in _REQUIRED if k not in cols]
        if missing:
            raise ConfigError(
                f"Tệp định mức “{path.name}”, trang “{ws.title}”, dòng tiêu đề {header_row}: thiếu cột {', '.join(missing)}.",
                message_en=f"Norms file {path.name}, sheet {ws.title}, header row {header_row}: missing column(s) {', '.join(missing)}.",
            )
        return _check_duplicates(path, ws.title, list(_rows(path, ws, header_row, cols)))
    finally:
        wb.close()


def _rows(path: Path, ws: Any, header_row: int, cols: dict[str, int]) -> Iterator[tuple[str, Norm]]:
    last = max(cols.values())
    for row in ws.iter_rows(min_row=header_row + 1, max_col=last):
        r = _row_number(row)
        cells = {key: row[c - 1] if c - 1 < len(row) else None for key, c in cols.items()}
        values = {key: getattr(cell, "value", None) for key, cell in cells.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        norm = _row_norm(path, ws.title, r, cols, cells, values)
        _check_caps(path, ws.title, r, cols, values)
        yield f"{get_column_letter(cols['hoat_dong'])}{r}", norm


_CAPS = ("ty_le", "muc_toi_da")


def _check_caps(path: Path, sheet: str, r: int, cols: dict[str, int], values: dict) -> None:
    """A row must bring a usable cap: a blank cap cell that holds a formula has no cached value (never
    computed), and a row with no cap at all would lift the default caps of its activity."""
    blank = [key for key in _CAPS if key in cols and _blank(values.get(key))]
    for key in blank:
        cell = f"{get_column_letter(cols[key])}{r}"
        if _formula_at(path, sheet, cell):
            with _at(path, sheet, cell):
                raise _BadCell("công thức chưa có giá trị đã tính (mở tệp bằng Excel, để Excel tính rồi lưu lại, "
                               "hoặc gõ số)")
    if len(blank) == len([key for key in _CAPS if key in cols]):
        with _at(path, sheet, f"{get_column_letter(cols[blank[0]])}{r}"):
            raise _BadCell("dòng định mức không có mức hỗ trợ nào (Tỷ lệ hỗ trợ, Mức hỗ trợ tối đa đều trống): "
                           "ghi ít nhất một mức, hoặc xóa dòng để dùng định mức mặc định")


def _blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def _formula_at(path: Path, sheet: str, cell: str) -> bool:
    """True when ``cell`` holds a formula (the cached-values view shows it blank)."""
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        value = wb[sheet][cell].value
        return isinstance(value, str) and value.startswith("=")
    finally:
        wb.close()


@contextmanager
def _at(path: Path, sheet: str, cell: str) -> Iterator[None]:
    """Turn a bad value inside the block into a ConfigError naming file, sheet and cell."""
    try:
        yield
    except (_BadCell, UnknownNameError) as exc:
        problem = exc.message if isinstance(exc, UnknownNameError) else str(exc)
        raise ConfigError(
            f"Tệp định mức “{path.name}”, trang “{sheet}”, ô {cell}: {problem}",
            message_en=f"Norms file {path.name}, sheet {sheet}, cell {cell}: {problem}",
        ) from None


def _row_norm(path: Path, sheet: str, r: int, cols: dict[str, int], cells: dict, values: dict) -> Norm:
    def at(key: str):
        return _at(path, sheet, f"{get_column_letter(cols.get(key, cols['hoat_dong']))}{r}")

    with at("hoat_dong"):
        activity = find_activity(values["hoat_dong"])
    with at("ty_le"):
        ratio = _ratio(values["ty_le"], getattr(cells["ty_le"], "number_format", ""))
    with at("muc_toi_da"):
        amount = _amount(values["muc_toi_da"])
    with at("tinh_theo"):
        per = _per(activity, values.get("tinh_theo"))
    with at("van_ban"):
        source = _text(values["van_ban"])
        if not source:
            raise _BadCell("chưa ghi văn bản quy định định mức (số, ký hiệu văn bản)")
    with at("ngay_hieu_luc"):
        effective = _date(values["ngay_hieu_luc"])
    return Norm(activity=activity.code, max_ratio=ratio, max_amount=amount, per=per,
                source=source, effective=effective)


def _per(activity: Any, value: Any) -> str:
    if value is None or str(value).strip() == "":
        default = default_norms().get(activity.code)
        return default.per if default else activity.units[0]
    per = find_unit_of_measure(value)
    if per not in activity.units:
        raise _BadCell(f"hoạt động {activity.code} không tính theo “{per}” (đơn vị tính được phép: {', '.join(activity.units)})")
    return per


def _check_duplicates(path: Path, sheet: str, rows: list[tuple[str, Norm]]) -> list[Norm]:
    seen: dict[tuple[str, date], str] = {}
    for cell, norm in rows:
        first = seen.setdefault((norm.activity, norm.effective), cell)
        if first != cell:
            raise ConfigError(
                f"Tệp định mức “{path.name}”, trang “{sheet}”, ô {cell}: hoạt động {norm.activity} đã có định mức "
                f"cùng ngày hiệu lực {norm.effective:%d/%m/%Y} ở ô {first}.",
                message_en=f"Norms file {path.name}, sheet {sheet}, cell {cell}: activity {norm.activity} already has a norm "
                           f"effective {norm.effective:%d/%m/%Y} at cell {first}.",
            )
    return [norm for _, norm in rows]


def load_norms(path: str | Path, *, as_of: date | None = None) -> dict[str, Norm]:
    """:func:`default_norms` overridden by the rows of the workbook's ``DinhMuc`` table in force on ``as_of``.

    Raises :class:`~kc_excel.errors.ConfigError` naming the file, sheet and
    cell of the first bad entry (no usable cap, an implausible cap…).
    """
    rows, _meta = _read_checked(path)
    return in_force(rows, as_of)


def load_norms_in_force(path: str | Path) -> NormsInForce:
    """The norms file checked whole (ConfigError on its first bad entry), to be applied per plan year."""
    rows, meta = _read_checked(path)
    return NormsInForce(rows, meta, Path(path).name)


def _read_checked(path: str | Path) -> tuple[list[Norm], dict[str, str]]:
    """(rows, ``_kc``) of a norms file, read after the reader's file checks and under its limits."""
    return read_trusted(_rows_and_meta, Path(path), as_error=ConfigError)


def _rows_and_meta(path: Path) -> tuple[list[Norm], dict[str, str]]:
    return list(read_norm_rows(path)), read_norms_meta(path)
