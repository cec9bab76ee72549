"""The three templates of contract §2.1-2.3, empty or filled with rows.

- Phiếu đăng ký (``dang-ky``): sheet ``Đăng ký``, table ``DangKy``, one file per unit.
- Chỉ tiêu chương trình (``chuong-trinh``): sheet ``Chỉ tiêu``, table ``ChiTieu``.
- Kết quả thực hiện (``ket-qua``): sheet ``Kết quả``, table ``KetQua``.

Each workbook has a ``Hướng dẫn`` sheet, the hidden ``_kc`` sheet and the
hidden ``_ds`` sheet of dropdown lists. Row dicts use the column keys of
:mod:`kc_excel.workbook.layout` (``ten_de_an``, ``kcqg``...); money is in
triệu đồng as people type it. A value may be any cell value, including text
that is deliberately wrong (the faulty example) or a :class:`~kc_excel.workbook.writer.Styled`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from kc_excel import catalog
from kc_excel.outputs import write_atomically
from kc_excel.signing import sign_meta
from kc_excel.text import strip_diacritics
from kc_excel.workbook import guide
from kc_excel.workbook import writer as w
from kc_excel.workbook.frame import Block, PrintSetup, line_height, unit_footer
from kc_excel.workbook.frame_openpyxl import OpenpyxlFrame
from kc_excel.workbook.layout import (MAX_YEAR, MIN_YEAR, MONEY_UNIT_DEFAULT, PROGRAMME, REGISTRATION, RESULTS, TEMPLATE_VERSION,
                                      TEXT_FORMAT, Level, Meta, TableLayout, layout_checksum, protect)
from kc_excel.workbook.meta import write_meta

REGISTRATION_ROWS = 30
"""Empty data rows pre-sized in a registration table (a protected sheet cannot grow a table)."""
PROGRAMME_ROWS = 30
RESULTS_ROWS = 40
DIRECTIONS = ("Càng cao càng tốt", "Càng thấp càng tốt")
AGGREGATIONS = ("Cộng dồn", "Kỳ cuối", "Bình quân")
GUIDE_WIDTH = 84
"""Characters of the instruction sheet's column: the width of an A4 portrait page inside the decree margins."""
FOOTER_GAP = 3
"""Blank rows between the registration table (its totals row) and the commune's signature block."""


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def meta_entries(layout: TableLayout, province: Any, *, unit: Any = None, created: datetime | None = None,
                 year: int | None = None, from_year: int | None = None, to_year: int | None = None,
                 key: bytes | None = None) -> dict[str, str]:
    """The ``_kc`` key/value rows (contract §2) for a workbook of ``layout``.

    Without ``unit`` the workbook belongs to the province (``cap_don_vi = tinh``).
    With a province ``key`` a registration is signed, every entry covered (see :mod:`kc_excel.signing`).
    """
    owner = unit or province
    entries = {Meta.KIND: layout.kind, Meta.VERSION: str(TEMPLATE_VERSION),
               Meta.PROVINCE_CODE: province.code, Meta.PROVINCE_NAME: province.name,
               Meta.UNIT_CODE: owner.code, Meta.UNIT_NAME: owner.name,
               Meta.UNIT_LEVEL: unit.level if unit is not None else Level.PROVINCE}
    if year is not None:
        entries[Meta.YEAR] = str(year)
    if from_year is not None:
        entries[Meta.FROM_YEAR] = str(from_year)
    if to_year is not None:
        entries[Meta.TO_YEAR] = str(to_year)
    entries[Meta.MONEY_UNIT] = MONEY_UNIT_DEFAULT
    entries[Meta.CREATED] = (created or _now()).isoformat()
    entries[Meta.CHECKSUM] = layout_checksum(layout)
    if key is not None and unit is not None and year is not None:
        entries.update(sign_meta(entries, key))
    return entries


def _rows(layout: TableLayout, records: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    rows = []
    for record in records:
        unknown = set(record) - set(layout.keys)
        if unknown:
            raise KeyError(f"unknown column keys for {layout.table}: {sorted(unknown)}")
        rows.append([record.get(k) for k in layout.keys])
    return rows


def _sheet(wb: Workbook, layout: TableLayout, title: Sequence[str], records: Iterable[Mapping[str, Any]],
           min_rows: int, totals: Mapping[str, str] | None = None,
           signature: Block | None = None) -> tuple[Worksheet, w.TableRange]:
    ws = wb.create_sheet(layout.sheet)
    header_row = w.write_title(ws, title, width=min(len(layout.columns), 8)) + 1
    table = w.add_table(ws, layout.table, layout.headers, _rows(layout, records), header_row=header_row,
                        min_rows=min_rows, totals=totals, widths=[c.width for c in layout.columns])
    ws.row_dimensions[header_row].height = 45
    ws.freeze_panes = ws.cell(table.first_row, 1)
    first, last = layout.headers[0], layout.headers[-1]
    w.unlock(ws, f"{table.letter(first)}{table.first_row}:{table.letter(last)}{table.last_row}")
    _wrap_text_columns(ws, layout, table)
    if signature is not None:  # below the blank rows that end the table for every reader
        top = (table.totals_row or table.last_row) + FOOTER_GAP + 1
        end = OpenpyxlFrame().draw(ws, signature, top)
        w.unlock(ws, f"A{top}:{table.letter(layout.headers[-1])}{end - 1}")  # contact and names can be typed
    OpenpyxlFrame.setup(ws, PrintSetup(landscape=True, repeat_rows=(header_row - 1, header_row - 1)))
    protect(ws)
    return ws, table


def _wrap_text_columns(ws: Worksheet, layout: TableLayout, table: w.TableRange) -> None:
    """Text columns wrap, every data cell sits at the top of its row, and each filled row is tall enough
    to show its longest text."""
    texts = {i + 1: c.width for i, c in enumerate(layout.columns) if not c.money and c.width >= 14}
    wrapped, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for r in range(table.first_row, table.last_row + 1):
        for col in range(table.first_col, table.first_col + len(layout.columns)):
            ws.cell(r, col).alignment = wrapped if col in texts else top
        filled = [(ws.cell(r, col).value, width) for col, width in texts.items()]
        filled = [(v, width) for v, width in filled if isinstance(v, str)]
        if filled:
            ws.row_dimensions[r].height = line_height(filled)


def _finish(wb: Workbook, guide_text: Sequence[str], meta: Mapping[str, str], created: datetime | None) -> Workbook:
    sheet = w.write_text_sheet(wb, "Hướng dẫn", guide_text, width=GUIDE_WIDTH)
    for row, text in enumerate(guide_text, start=1):
        sheet.row_dimensions[row].height = line_height([(text, GUIDE_WIDTH)], size=12)
    OpenpyxlFrame.setup(sheet, PrintSetup(landscape=False))
    write_meta(wb, meta)
    wb._sheets.sort(key=lambda sheet: sheet.sheet_state != "visible")  # hidden _ds, _kc last
    wb.active = 0
    if created is not None:
        w.set_created(wb, created)
    return wb


# --- registration ---------------------------------------------------------------

def registration_workbook(province: Any, unit: Any, year: int, lines: Iterable[Mapping[str, Any]] = (), *,
                          created: datetime | None = None, key: bytes | None = None,
                          min_rows: int = REGISTRATION_ROWS) -> Workbook:
    """A Phiếu đăng ký for ``unit`` (a catalog Unit) of ``province`` for plan year ``year``."""
    wb = w.new_workbook()
    title = [f"PHIẾU ĐĂNG KÝ KẾ HOẠCH KHUYẾN CÔNG NĂM {year}", f"Đơn vị: {unit.name}",
             _province_name(province), "Đơn vị tiền: triệu đồng"]
    totals = {REGISTRATION.headers[0]: w.TOTAL_LABEL, **{h: "sum" for h in _money_headers()}}
    ws, table = _sheet(wb, REGISTRATION, title, lines, min_rows, totals,
                       signature=unit_footer(f"Chủ tịch UBND {getattr(unit, 'kind', None) or 'xã'}",
                                            len(REGISTRATION.columns)))
    _registration_checks(wb, ws, table, unit)
    meta = meta_entries(REGISTRATION, province, unit=unit, year=year, created=created, key=key)
    return _finish(wb, guide.REGISTRATION, meta, created)


def _money_headers() -> list[str]:
    return [c.header for c in REGISTRATION.columns if c.money]


def _province_name(province: Any) -> str:
    return getattr(province, "name", str(province))


def _registration_checks(wb: Workbook, ws: Worksheet, table: w.TableRange, unit: Any) -> None:
    h = {c.key: c.header for c in REGISTRATION.columns}
    lists = {
        "hoat_dong": w.add_choices(wb, "DS_HoatDong", [a.label for a in catalog.activities()]),
        "loai_hinh": w.add_choices(wb, "DS_LoaiHinh", list(catalog.FACILITY_TYPES)),
        "don_vi_tinh": w.add_choices(wb, "DS_DonViTinh", list(catalog.UNITS_OF_MEASURE)),
        "dia_diem": w.add_choices(wb, "DS_DiaDiem", [c.name for c in catalog.communes_of(unit)]),
    }
    prompts = {"hoat_dong": "Chọn hoạt động trong danh mục.", "loai_hinh": "Chọn loại hình cơ sở.",
               "don_vi_tinh": "Chọn đơn vị tính phù hợp với hoạt động.",
               "dia_diem": f"Chọn xã, phường thuộc {unit.name}."}
    for key, name in lists.items():
        w.add_list_validation(ws, table.data_range(h[key]), name, title=h[key], prompt=prompts[key])
    for key in ("thang_bat_dau", "thang_ket_thuc"):
        w.add_number_validation(ws, table.data_range(h[key]), whole=True, minimum=1, maximum=12,
                                title=h[key], prompt="Nhập tháng từ 1 đến 12.")
        w.set_number_format(ws, table.data_range(h[key]), "0")
    w.add_number_validation(ws, table.data_range(h["so_luong"]), minimum=0, exclusive_minimum=True,
                            title=h["so_luong"], prompt="Nhập số lớn hơn 0.")
    w.set_number_format(ws, table.data_range(h["so_luong"]), decimals_when_needed=True)
    for header in _money_headers():
        w.add_number_validation(ws, table.data_range(header), minimum=0, title="Kinh phí (triệu đồng)",
                                prompt="Nhập số tiền (triệu đồng), không âm.")
        letter = table.letter(header)
        w.set_number_format(ws, f"{letter}{table.first_row}:{letter}{table.totals_row}", decimals_when_needed=True)
    w.add_number_validation(ws, table.data_range(h["stt"]), whole=True, minimum=1, title="STT")
    w.set_number_format(ws, table.data_range(h["ma_so_thue"]), TEXT_FORMAT)


def write_registration(path: str | Path, province: Any, unit: Any, year: int,
                       lines: Iterable[Mapping[str, Any]] = (), **options: Any) -> Path:
    """Write a Phiếu đăng ký (optionally filled with ``lines``) atomically to ``path``."""
    book = registration_workbook(province, unit, year, lines, **options)
    return write_atomically(path, partial(w.save_workbook, book, fixed_time=options.get("created")))


def registration_file_name(year: int, unit: Any) -> str:
    """``DangKy_<year>_<unit code>_<ASCII name>.xlsx``: unique by code, safe on Windows, zip and mail."""
    return f"DangKy_{year}_{unit.code}_{ascii_slug(unit.name)}.xlsx"


def ascii_slug(text: str) -> str:
    """``"Phường Phước Long"`` → ``"Phuong-Phuoc-Long"``."""
    folded = strip_diacritics(text)
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in folded).split()
    return "-".join(words) or "don-vi"


def write_all_registrations(out_dir: str | Path, province: Any, year: int, *, level: str = Level.COMMUNE,
                            created: datetime | None = None, key: bytes | None = None,
                            before_write: Callable[[Path], None] | None = None) -> list[tuple[Any, Path]]:
    """One registration file per unit of ``province`` at ``level`` (``xa`` or ``huyen``) in ``out_dir``.

    ``before_write(path)`` is called before each file is written (the CLI's
    :func:`~kc_excel.outputs.make_way`: an existing file that is not an earlier template is refused)."""
    out_dir = Path(out_dir)
    created = created or _now()
    written, taken = [], set()
    for unit in catalog.units_of(province, level=level):
        name = registration_file_name(year, unit)
        stem, n = name[:-5], 2
        while name.lower() in taken:
            name, n = f"{stem}-{n}.xlsx", n + 1
        taken.add(name.lower())
        if before_write is not None:
            before_write(out_dir / name)
        written.append((unit, write_registration(out_dir / name, province, unit, year, created=created, key=key)))
    return written


# --- programme and results ------------------------------------------------------

def programme_workbook(province: Any, from_year: int, to_year: int, targets: Iterable[Mapping[str, Any]] = (), *,
                       created: datetime | None = None, percent_codes: Iterable[str] = ()) -> Workbook:
    """Chỉ tiêu chương trình khuyến công of ``province`` for ``from_year``-``to_year``."""
    wb = w.new_workbook()
    title = [f"CHỈ TIÊU CHƯƠNG TRÌNH KHUYẾN CÔNG GIAI ĐOẠN {from_year}-{to_year}",
             _province_name(province)]
    targets = [dict(t) for t in targets]
    ws, table = _sheet(wb, PROGRAMME, title, targets, PROGRAMME_ROWS)
    h = {c.key: c.header for c in PROGRAMME.columns}
    w.add_list_validation(ws, table.data_range(h["hoat_dong"]),
                          w.add_choices(wb, "DS_HoatDong", [a.label for a in catalog.activities()]),
                          title=h["hoat_dong"], prompt="Không bắt buộc: hoạt động của chỉ tiêu.")
    w.add_list_validation(ws, table.data_range(h["chieu"]), w.add_choices(wb, "DS_Chieu", DIRECTIONS),
                          strict=True, title=h["chieu"], prompt="Càng cao càng tốt hoặc Càng thấp càng tốt.")
    w.add_list_validation(ws, table.data_range(h["cong_don"]), w.add_choices(wb, "DS_CongDon", AGGREGATIONS),
                          strict=True, title=h["cong_don"], prompt="Cộng dồn, Kỳ cuối hoặc Bình quân.")
    _year_checks(ws, table, [h["tu_nam"], h["den_nam"]])
    _value_formats(ws, table, [h["toi_thieu"], h["toi_da"]], targets, set(percent_codes))
    meta = meta_entries(PROGRAMME, province, from_year=from_year, to_year=to_year, created=created)
    return _finish(wb, guide.PROGRAMME, meta, created)


def write_programme(path: str | Path, province: Any, from_year: int, to_year: int,
                    targets: Iterable[Mapping[str, Any]] = (), **options: Any) -> Path:
    """Write the programme workbook atomically to ``path``."""
    book = programme_workbook(province, from_year, to_year, targets, **options)
    return write_atomically(path, partial(w.save_workbook, book, fixed_time=options.get("created")))


def results_workbook(province: Any, results: Iterable[Mapping[str, Any]] = (), *,
                     from_year: int | None = None, to_year: int | None = None,
                     created: datetime | None = None, percent_codes: Iterable[str] = ()) -> Workbook:
    """Báo cáo kết quả thực hiện of ``province``; ``tu_nam``/``den_nam`` default to the years reported."""
    results = [dict(r) for r in results]
    years = [int(r["nam"]) for r in results if isinstance(r.get("nam"), int)]
    from_year = from_year if from_year is not None else (min(years) if years else None)
    to_year = to_year if to_year is not None else (max(years) if years else None)
    wb = w.new_workbook()
    period = f" GIAI ĐOẠN {from_year}-{to_year}" if from_year and to_year else ""
    title = [f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH KHUYẾN CÔNG{period}",
             _province_name(province)]
    ws, table = _sheet(wb, RESULTS, title, results, RESULTS_ROWS)
    h = {c.key: c.header for c in RESULTS.columns}
    _year_checks(ws, table, [h["nam"]])
    _value_formats(ws, table, [h["thuc_hien"]], results, set(percent_codes))
    meta = meta_entries(RESULTS, province, from_year=from_year, to_year=to_year, created=created)
    return _finish(wb, guide.RESULTS, meta, created)


def write_results(path: str | Path, province: Any, results: Iterable[Mapping[str, Any]] = (),
                  **options: Any) -> Path:
    """Write the results workbook atomically to ``path``."""
    book = results_workbook(province, results, **options)
    return write_atomically(path, partial(w.save_workbook, book, fixed_time=options.get("created")))


def _year_checks(ws: Worksheet, table: w.TableRange, headers: Sequence[str]) -> None:
    for header in headers:
        w.add_number_validation(ws, table.data_range(header), whole=True, minimum=MIN_YEAR, maximum=MAX_YEAR,
                                title=header, prompt="Nhập năm có 4 chữ số.")
        w.set_number_format(ws, table.data_range(header), "0")


def _value_formats(ws: Worksheet, table: w.TableRange, headers: Sequence[str],
                   records: Sequence[Mapping[str, Any]], percent_codes: set[str]) -> None:
    """Counts and money: thousands separators; indicators in ``percent_codes``: ``0.0%``."""
    for header in headers:
        w.add_number_validation(ws, table.data_range(header), minimum=0, title=header,
                                prompt="Nhập số không âm; tỷ lệ dạng phần trăm (5,4%).")
        w.set_number_format(ws, table.data_range(header), decimals_when_needed=True)
        for i, record in enumerate(records):
            if record.get("ma_chi_tieu") in percent_codes:
                ws[f"{table.letter(header)}{table.first_row + i}"].number_format = w.PERCENT_FORMAT
