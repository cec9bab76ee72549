"""The buttons of the "Khuyến công" ribbon tab (contract §5): read the caller's book, one core call, write back.

Each public function is named by one VBA callback of ``macros/KhuyenCong.bas``
(``RunPython "import kc_excel.ribbon; kc_excel.ribbon.kiem_tra_so()"``) and
takes the workbook from ``xw.Book.caller()``; tests pass a book instead. What
the user chose in a dialog (folder, province, year, month) arrives through
hidden names of the workbook (:func:`kc_excel.addin.bookio.take_choice`), never
inside the Python command. Problems are shown in a message box in Vietnamese,
never as a traceback; long operations report progress in the status bar.

=========================  =====================  =======================================
Button                     Function               Core call
=========================  =====================  =======================================
Kiểm tra sổ này            :func:`kiem_tra_so`    validation.runner.validate_file
Xóa đánh dấu               :func:`xoa_danh_dau`   (none: undoes the marks)
Tổng hợp thư mục…          :func:`tong_hop_thu_muc` consolidate.consolidate_folder
Tính tỷ lệ đạt             :func:`tinh_ty_le_dat` attainment.io.attainment_from
Tạo phiếu đăng ký…         :func:`tao_phieu_dang_ky` workbook.templates.write_all_registrations
Nhận phiếu vào đợt…        :func:`nhan_phieu_dot` rounds.service.receive
Sổ theo dõi đợt            :func:`so_theo_doi_dot` rounds.service.touch_view (then opens it)
Hướng dẫn                  :func:`huong_dan`      (none: a message)
=========================  =====================  =======================================
"""

from __future__ import annotations

import functools
import os
import tempfile
import traceback
from pathlib import Path
from typing import Any, Callable

import xlwings as xw

from kc_excel.addin.bookio import alert, safe_text, snapshot, status, take_choice
from kc_excel import settings
from kc_excel.addin.userbook import as_users as _as_users, book_name as _book_name, told as _told
from kc_excel.errors import KcError
from kc_excel.i18n import tr

ISSUES_SHEET = "Lỗi"
ATTAINMENT_SHEET = "Đánh giá"
SPARE_NAME = "{name} (kiểm tra)"
"""Name used when the book already has a sheet of that name that kc-excel did not write (e.g. a plan's Lỗi)."""
ISSUE_HEADERS = ("STT", "Trang tính", "Ô", "Mã lỗi", "Mức độ", "Nội dung", "Màu gốc", "Ghi chú gốc")
ERROR_FILL, WARNING_FILL = (255, 199, 206), (255, 235, 156)
STATUS_FILLS = {"Vượt": (198, 239, 206), "Đạt": (198, 239, 206), "Đúng tiến độ": (221, 235, 247),
                "Chậm tiến độ": (255, 235, 156), "Chưa đạt": (255, 235, 156), "Không đạt": (255, 199, 206), "Chưa thực hiện": (255, 199, 206),
                "Chưa có số liệu": (237, 237, 237)}
GUIDE = "docs/huong-dan-su-dung.md"


class Cancelled(Exception):
    """The user gave no usable choice; the message says what is missing."""


def button(func: Callable[[Any], str | None]) -> Callable[..., str | None]:
    """Book from the caller, errors as a Vietnamese message box, status bar given back at the end."""

    @functools.wraps(func)
    def run(book: Any = None) -> str | None:
        book = book if book is not None else xw.Book.caller()
        try:
            done = func(book)
        except (KcError, Cancelled, ValueError) as error:
            done = str(error.render() if isinstance(error, KcError) else error)
            alert(book, done, critical=True)
        except Exception as error:  # noqa: BLE001 - never a traceback in Excel
            done = tr(f"Lỗi nội bộ của kc-excel ({type(error).__name__}: {error}). Gửi thông báo này cho bộ phận CNTT.",
                      f"Internal error ({type(error).__name__}: {error}).")
            traceback.print_exc()
            alert(book, done, critical=True)
        else:
            if done:
                alert(book, done)
        finally:
            status(book, False)
        return done

    return run


def _choice(book: Any, name: str, what: str) -> str:
    value = take_choice(book, name)
    if not value:
        raise Cancelled(f"Chưa chọn {what}: bấm lại nút trên thẻ Khuyến công.")
    return value


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise Cancelled(f"Năm '{text}' không hợp lệ: cần 4 chữ số, ví dụ 2026.")
    return int(text)


# --- Kiểm tra sổ này / Xóa đánh dấu -----------------------------------------------------------

@button
def kiem_tra_so(book: Any) -> str:
    """Validate the caller's book: fill + note on offending cells, every issue in a ``Lỗi`` sheet."""
    from kc_excel.validation.runner import validate_file

    _clear_marks(book)
    status(book, "Khuyến công: đang kiểm tra sổ…")
    with tempfile.TemporaryDirectory(prefix="kc-ribbon-") as tmp:
        copy = Path(tmp) / "so-dang-mo.xlsx"
        formulas_known = snapshot(book, copy)
        result = validate_file(copy)  # the command's own rules: a plan is refused as `validate` refuses it
    report = result.report
    if result.file_level:
        raise Cancelled(" ".join(i.render("vi") for i in _as_users(book, report.issues, copy)))
    issues = [i for i in _as_users(book, report.issues, copy) if formulas_known or i.code != "formula-overwritten"]
    hidden = [i for i in report.issues if i.code == "formula-overwritten" and not formulas_known]
    status(book, f"Khuyến công: đang đánh dấu {len(issues)} vấn đề…")
    if not issues and not report.truncated:
        return "Không phát hiện lỗi nào. Sổ hợp lệ."
    listed = _issues_sheet(book, _mark(book, issues), cut=report.cut_notice())
    errors = report.errors - sum(1 for i in hidden if str(i.severity) == "error")
    warnings = report.warnings - sum(1 for i in hidden if str(i.severity) != "error")
    cut = report.cut_notice()
    return (f"Đã kiểm tra: {errors} lỗi, {warnings} cảnh báo. "
            f"Các ô có vấn đề đã được tô màu và ghi chú; danh sách ở trang tính {listed}."
            + (f" Lưu ý: {cut}." if cut else ""))


def _mark(book: Any, issues: list) -> list[list[Any]]:
    """Colour and annotate each cell once (errors win over warnings); the rows of the Lỗi sheet."""
    by_cell: dict[tuple[str, str], list] = {}
    for issue in issues:
        if issue.sheet and issue.cell:
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
    original: dict[tuple[str, str], tuple[str, str]] = {}
    for (sheet, cell), found in by_cell.items():
        rng = book.sheets[sheet].range(cell)
        original[(sheet, cell)] = (_read_colour(rng), _read_note(rng))
        error = any(str(i.severity) == "error" for i in found)
        rng.color = ERROR_FILL if error else WARNING_FILL
        _write_note(rng, "\n".join(i.render("vi") for i in found))
    rows = []
    for number, issue in enumerate(issues, 1):
        colour, note = original.get((issue.sheet, issue.cell), ("", ""))
        rows.append([number, issue.sheet or "", issue.cell or "", issue.code,
                     "Lỗi" if str(issue.severity) == "error" else "Cảnh báo", issue.render("vi"), colour, note])
    return rows


def _read_colour(rng: Any) -> str:
    try:
        colour = rng.color
    except NotImplementedError:
        return ""
    return "" if colour is None else "#{:02X}{:02X}{:02X}".format(*colour)


def _read_note(rng: Any) -> str:
    try:
        note = rng.note
        return "" if note is None else str(note.text or "")
    except NotImplementedError:
        return ""


def _write_note(rng: Any, text: str) -> None:
    try:
        if rng.note is not None:
            rng.note.text = text
        else:
            rng.add_note(text)
    except NotImplementedError:
        pass


def _ours(book: Any, name: str, headers: tuple[str, ...]) -> Any | None:
    """Our sheet ``name`` (or its spare name): the one whose first row is ``headers``."""
    for candidate in (name, SPARE_NAME.format(name=name)):
        sheet = _sheet_named(book, candidate)
        if sheet is not None:
            first = sheet.range((1, 1), (1, len(headers))).options(ndim=1).value
            if [str(v or "") for v in first] == list(headers):
                return sheet
    return None


def _new_sheet(book: Any, name: str) -> Any:
    """A new last sheet ``name``, or its spare name when the user already has a sheet so named."""
    if _sheet_named(book, name) is not None:
        name = SPARE_NAME.format(name=name)
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def _issues_sheet(book: Any, rows: list[list[Any]], *, cut: str | None = None) -> str:
    sheet = _new_sheet(book, ISSUES_SHEET)
    table = [list(ISSUE_HEADERS)] + [[safe_text(v) for v in row] for row in rows]
    if cut:  # the list is not whole: its last row says so
        table.append(["", "", "", "", "", safe_text(cut[:1].upper() + cut[1:] + "."), "", ""])
    sheet.range("A1").value = table
    try:
        sheet.range((1, 1), (1, len(ISSUE_HEADERS))).font.bold = True
        sheet.range("A:H").autofit()
    except NotImplementedError:
        pass
    sheet.activate()
    return sheet.name


def _sheet_named(book: Any, name: str) -> Any | None:
    return next((s for s in book.sheets if s.name == name), None)


def _clear_marks(book: Any) -> int:
    """Undo the marks listed in our Lỗi sheet (colour and note as they were), delete that sheet."""
    sheet = _ours(book, ISSUES_SHEET, ISSUE_HEADERS)
    if sheet is None:
        return 0
    rows = sheet.used_range.options(ndim=2).value[1:]
    cells = {}
    for row in rows:
        row = list(row) + [None] * (len(ISSUE_HEADERS) - len(row))
        if row[1] and row[2] and _sheet_named(book, str(row[1])) is not None:
            cells[(str(row[1]), str(row[2]))] = (row[6] or "", row[7] or "")
    for (name, cell), (colour, note) in cells.items():
        rng = book.sheets[name].range(cell)
        rng.color = colour or None
        _restore_note(rng, note)
    sheet.delete()
    return len(cells)


def _restore_note(rng: Any, note: str) -> None:
    try:
        if note:
            _write_note(rng, note)
        elif rng.note is not None:
            rng.note.delete()
    except NotImplementedError:
        pass


@button
def xoa_danh_dau(book: Any) -> str:
    """Remove the marks of the last check and its Lỗi sheet."""
    cleared = _clear_marks(book)
    return f"Đã xóa đánh dấu ở {cleared} ô." if cleared else "Không có đánh dấu nào để xóa."


# --- Tổng hợp thư mục… ----------------------------------------------------------------------

@button
def tong_hop_thu_muc(book: Any) -> str:
    """Consolidate the chosen folder into the plan workbook ``KeHoach_<năm>_tong-hop.xlsx`` there, and open it."""
    from kc_excel.consolidate.run import consolidate_folder
    from kc_excel.numbers import format_vn

    folder = Path(_choice(book, "KC_THU_MUC", "thư mục"))
    province = _choice(book, "KC_TINH", "tỉnh")
    year = _year(_choice(book, "KC_NAM", "năm kế hoạch"))
    out = folder / f"KeHoach_{year}_tong-hop.xlsx"

    def progress(done: int, total: int) -> None:
        status(book, f"Khuyến công: đã đọc {done}/{total} tệp…")

    level = "commune" if year >= 2026 else "district"
    outcome = consolidate_folder(folder, province=province, year=year, output=out, level=level, progress=progress,
                                 cache_dir=settings.cache_dir(os.environ), key=settings.province_key(os.environ))
    plan = outcome.plan
    opened = _open(book, out)
    total = format_vn(plan.totals.get("tong", 0))
    return (f"Đã tổng hợp {outcome.files} tệp: {len(plan.lines)} dòng, tổng kinh phí {total} đồng; "
            f"{plan.errors} lỗi, {plan.warnings} cảnh báo." + ("" if opened else f" Kết quả: {out}"))


def _open(book: Any, path: Path) -> bool:
    try:
        book.app.books.open(str(path))
        return True
    except (NotImplementedError, TypeError, AttributeError):
        return False


# --- Tính tỷ lệ đạt -------------------------------------------------------------------------

@button
def tinh_ty_le_dat(book: Any) -> str:
    """Attainment of the programme in the caller's book as of the chosen month, in an ``Đánh giá`` sheet."""
    from kc_excel.attainment import AsOf
    from kc_excel.attainment.io import attainment_from
    from kc_excel.workbook.reader import read_workbook

    as_of = AsOf.parse(_choice(book, "KC_DEN_THANG", "tháng đánh giá"))
    results_file = take_choice(book, "KC_TEP_KET_QUA")
    status(book, "Khuyến công: đang tính tỷ lệ đạt…")
    with tempfile.TemporaryDirectory(prefix="kc-ribbon-") as tmp:
        copy = Path(tmp) / "so-dang-mo.xlsx"
        snapshot(book, copy)
        try:  # the command's own reading: refused files are refused here too, naming the user's book
            programme = read_workbook(copy)
            results = read_workbook(results_file) if results_file else programme
            outcome = attainment_from(programme, [results], as_of)
        except KcError as error:
            raise Cancelled(_told(book, str(error.render()), copy)) from None
        issues = _as_users(book, list(outcome.issues), copy)
    _clear_marks(book)
    _attainment_sheet(book, outcome.report)
    rows = outcome.report.rows
    late = sum(1 for r in rows if r.status in ("Chậm tiến độ", "Chưa đạt", "Không đạt"))
    done = (f"Đã đánh giá {len(rows)} chỉ tiêu đến tháng {as_of.label_vi}: {late} chỉ tiêu chậm tiến độ, "
            f"chưa đạt hoặc không đạt. Xem trang tính {ATTAINMENT_SHEET}.")
    if not issues:
        return done
    listed = _issues_sheet(book, _issue_rows(issues))
    return done + f" Có {outcome.errors} lỗi, {outcome.warnings} cảnh báo trong số liệu: xem trang tính {listed}."


def _issue_rows(issues: list) -> list[list[Any]]:
    """Rows of the Lỗi sheet for issues that mark no cell of this book (another file's, or the report's)."""
    return [[n, i.sheet or "", i.cell or "", i.code, "Lỗi" if str(i.severity) == "error" else "Cảnh báo",
             i.render("vi"), "", ""] for n, i in enumerate(issues, 1)]


ATTAINMENT_HEADERS = ("Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu tối thiểu", "Chỉ tiêu tối đa",
                      "Thực hiện", "Tỷ lệ đạt (%)", "Tiến độ kỳ vọng (%)", "Đánh giá")


def _number(value: Any) -> Any:
    return None if value is None else float(value)


def _attainment_sheet(book: Any, report: Any) -> None:
    old = _ours(book, ATTAINMENT_SHEET, ATTAINMENT_HEADERS)
    if old is not None:
        old.delete()
    sheet = _new_sheet(book, ATTAINMENT_SHEET)
    rows = [[safe_text(r.target.code), safe_text(r.target.name), safe_text(r.target.unit or ""),
             _number(r.target.target_min), _number(r.target.target_max), _number(r.actual),
             _number(r.ratio), _number(r.expected_pace), r.status] for r in report.rows]
    sheet.range("A1").value = [list(ATTAINMENT_HEADERS)] + rows
    for offset, row in enumerate(report.rows, 2):
        sheet.range((offset, 9)).color = STATUS_FILLS.get(row.status)
    try:
        sheet.range((1, 1), (1, len(ATTAINMENT_HEADERS))).font.bold = True
        if rows:
            sheet.range((2, 7), (len(rows) + 1, 8)).number_format = "0.0%"
    except NotImplementedError:
        pass
    sheet.activate()


# --- Tạo phiếu đăng ký… / Hướng dẫn ---------------------------------------------------------

@button
def tao_phieu_dang_ky(book: Any) -> str:
    """One registration template per unit of the chosen province and year, in the chosen folder."""
    from kc_excel.catalog import find_province
    from kc_excel.outputs import make_way
    from kc_excel.workbook.layout import Kind
    from kc_excel.signing import load_or_create_key
    from kc_excel.workbook.templates import write_all_registrations

    folder = Path(_choice(book, "KC_THU_MUC", "thư mục"))
    year = _year(_choice(book, "KC_NAM", "năm kế hoạch"))
    level, era = ("xa", "new") if year >= 2026 else ("huyen", "old")
    province = find_province(_choice(book, "KC_TINH", "tỉnh"), era=era)
    status(book, f"Khuyến công: đang tạo phiếu đăng ký cho {province.name}…")
    try:  # signed like `kc-excel template registration --all`, so they never come back template-unsigned
        key, unsigned = load_or_create_key(settings.config_dir(os.environ)), ""
    except OSError as error:  # a config folder it cannot write; a damaged key (ConfigError) stops, as in the CLI
        key, unsigned = None, f" Cảnh báo: không tạo được khóa ký biểu mẫu ({error}); các phiếu không có chữ ký."
    written = write_all_registrations(folder, province, year, level=level, key=key,
                                      before_write=lambda path: make_way(path, (Kind.REGISTRATION,), blank=True))
    return f"Đã tạo {len(written)} phiếu đăng ký năm {year} của {province.name} trong thư mục {folder}." + unsigned


# --- Nhận phiếu vào đợt… / Sổ theo dõi đợt ------------------------------------------------------

ROUND_NAME = "KC_DOT"
"""The round folder, remembered in the workbook (a hidden name kept across clicks)."""


def _round(book: Any) -> Any:
    from kc_excel.rounds.service import load

    folder = take_choice(book, ROUND_NAME, keep=True)
    if not folder:
        raise Cancelled("Chưa chọn thư mục đợt: bấm lại nút trên thẻ Khuyến công.")
    return load(folder)


@button
def nhan_phieu_dot(book: Any) -> str:
    """Receive the chosen files (or .eml) into the round folder remembered for this workbook."""
    from kc_excel.rounds.service import receipt, receive, who

    files = [p for p in _choice(book, "KC_TEP_NHAN", "tệp").split("|") if p.strip()]
    current = _round(book)
    try:
        status(book, f"Khuyến công: đang nhận {len(files)} tệp vào đợt…")
        outcome = receive(current, files, by=who(), key=settings.province_key(os.environ))
        names = {code: u.name for code, u in current.units.items()}
    finally:
        current.close()
    lines = receipt(outcome, names)
    lines += [f"Đã có trong sổ (cùng nội dung): {name}" for name in outcome.already]
    lines += [f"Không có phiếu để ghi: {name}" for name in outcome.ignored]
    return "\n".join(lines)


@button
def so_theo_doi_dot(book: Any) -> str | None:
    """Rewrite and open the round's ``SoTheoDoi.xlsx``."""
    from kc_excel.rounds.service import touch_view

    current = _round(book)
    try:
        path = touch_view(current)
    finally:
        current.close()
    return None if _open(book, path) else f"Sổ theo dõi đợt: {path}"


GUIDE_TEXT = """Thẻ Khuyến công:
• Kiểm tra sổ này: tô màu, ghi chú ô có lỗi và liệt kê ở trang tính Lỗi.
• Xóa đánh dấu: bỏ màu và ghi chú của lần kiểm tra trước.
• Tổng hợp thư mục…: tổng hợp các phiếu đăng ký trong một thư mục thành kế hoạch tỉnh.
• Tính tỷ lệ đạt: đánh giá thực hiện chương trình đến tháng bạn chọn.
• Tạo phiếu đăng ký…: tạo phiếu cho mọi xã, phường (hoặc huyện) của tỉnh.
• Nhận phiếu vào đợt…: ghi các tệp (hoặc thư .eml) nhận được vào sổ theo dõi của đợt.
• Sổ theo dõi đợt: mở SoTheoDoi.xlsx (tình trạng, các lần nộp, thay đổi, nhật ký).
• Nạp công thức KC_*: đăng ký các công thức với Excel (một lần).

Công thức: KC_DOCSO, KC_SO, KC_MST, KC_CHUANHOA, KC_TYLE, KC_TIENDO, KC_DANHGIA, KC_TANGTRUONG, KC_KIEMTRA
(Chèn hàm > nhóm KC để xem mô tả từng đối số).

Hướng dẫn đầy đủ: tệp {guide} trong thư mục cài kc-excel."""


@button
def huong_dan(book: Any) -> None:
    """A short guide in a message box."""
    alert(book, GUIDE_TEXT.format(guide=GUIDE))
    return None


__all__ = ["huong_dan", "kiem_tra_so", "nhan_phieu_dot", "so_theo_doi_dot", "tao_phieu_dang_ky", "tinh_ty_le_dat",
           "tong_hop_thu_muc", "xoa_danh_dau"]
