"""The centre's profile workbook (``DonVi.xlsx``, table ``ThongTinDonVi``: Mục | Nội dung).

Written once by ``kc-excel template profile``, read by every command that
writes a report (``--profile``). Each field of :class:`~kc_excel.workbook.frame.Profile`
is one row; "Nơi nhận" holds one recipient per line. Unknown rows and a
quyền hạn ký other than blank/KT./TL./Q. are errors naming the file and cell,
never silently dropped.
"""

from __future__ import annotations

from dataclasses import fields
from functools import partial
from pathlib import Path

from openpyxl import load_workbook

from kc_excel.errors import InputError
from kc_excel.outputs import write_atomically
from kc_excel.text import fold
from kc_excel.workbook import writer as w
from kc_excel.workbook.frame import AUTHORITIES, Profile
from kc_excel.workbook.layout import TEMPLATE_VERSION, Kind, Meta
from kc_excel.workbook.meta import write_meta

SHEET = "Thông tin đơn vị"
TABLE = "ThongTinDonVi"
HEADERS = ("Mục", "Nội dung")

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("parent_agency", "Cơ quan chủ quản", "SỞ CÔNG THƯƠNG TỈNH ĐỒNG NAI"),
    ("agency", "Cơ quan ban hành", "TRUNG TÂM KHUYẾN CÔNG ĐỒNG NAI"),
    ("symbol", "Ký hiệu viết tắt", "TTKC"),
    ("place", "Địa danh", "Đồng Nai"),
    ("signer_title", "Chức vụ người ký", "Phó Giám đốc"),
    ("authority", "Quyền hạn ký (để trống, KT., TL., Q.)", "KT."),
    ("superior_title", "Chức vụ của cấp trên khi ký thay", "Giám đốc"),
    ("signer_name", "Họ tên người ký", "Nguyễn Văn A"),
    ("preparer", "Người lập biểu", "Trần Thị B"),
    ("recipients", "Nơi nhận (mỗi dòng một nơi)", "Sở Công Thương tỉnh Đồng Nai\nCục Công nghiệp địa phương\nLưu: VT"),
    ("number", "Số (để trống để văn thư điền)", ""),
)
"""(field of Profile, Mục as printed, example)."""


def write_profile_template(path: str | Path, *, example: bool = True) -> Path:
    """``DonVi.xlsx``: the table to fill (with the Đồng Nai example, or empty)."""
    wb = w.new_workbook()
    ws = wb.create_sheet(SHEET)
    rows = [[label, value if example else None] for _, label, value in FIELDS]
    table = w.add_table(ws, TABLE, HEADERS, rows, widths=[40, 70])
    for r in range(table.first_row, table.last_row + 1):
        ws.cell(r, 2).alignment = w.Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 48 if FIELDS[r - table.first_row][0] == "recipients" else 18
    write_meta(wb, {Meta.KIND: Kind.PROFILE, Meta.VERSION: TEMPLATE_VERSION})
    return write_atomically(path, partial(w.save_workbook, wb))


def typed_in(path: str | Path) -> bool:
    """True when a profile's Nội dung differs from what ``template profile`` writes (the example, or empty)."""
    wb = load_workbook(path, read_only=False)
    ws, ref = _table(wb, Path(path))
    values = [row[1].value for row in ws[ref][1:]]
    written = ([None] * len(FIELDS), [value or None for _, _, value in FIELDS])
    return [value or None for value in values] not in written


def read_profile(path: str | Path) -> Profile:
    """The Profile in ``path``; InputError naming the file and cell when it cannot be used."""
    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except Exception as problem:  # noqa: BLE001 - any unreadable file is the user's input error
        raise InputError(f"{path}: không đọc được tệp thông tin đơn vị ({type(problem).__name__})", path=path,
                         message_en=f"{path}: cannot read the profile workbook") from None
    ws, ref = _table(wb, path)
    return _profile(ws, ref, path)


def _table(wb, path: Path):
    for ws in wb.worksheets:
        if TABLE in ws.tables:
            return ws, ws.tables[TABLE].ref
    raise InputError(f"{path}: không có bảng {TABLE} (tạo bằng: kc-excel template profile -o DonVi.xlsx)",
                     path=path, code="not-a-kc-workbook",
                     message_en=f"{path}: no table {TABLE} (create one with kc-excel template profile)")


def _profile(ws, ref: str, path: Path) -> Profile:
    labels = {fold(label.split("(")[0]): name for name, label, _ in FIELDS}
    values: dict[str, object] = {}
    for row in ws[ref][1:]:
        label, cell = row[0], row[1]
        if label.value is None or str(label.value).strip() == "":
            continue
        name = labels.get(fold(str(label.value).split("(")[0]))
        if name is None:
            raise InputError(f"{path}, trang '{ws.title}', ô {label.coordinate}: mục '{label.value}' không có "
                             f"trong mẫu thông tin đơn vị", path=path,
                             message_en=f"{path}, sheet '{ws.title}', cell {label.coordinate}: unknown item")
        text = "" if cell.value is None else str(cell.value).strip()
        values[name] = tuple(t.strip() for t in text.splitlines() if t.strip()) if name == "recipients" else text
        if name == "authority" and text not in AUTHORITIES:
            raise InputError(f"{path}, trang '{ws.title}', ô {cell.coordinate}: quyền hạn ký '{text}' phải để "
                             f"trống hoặc là KT., TL., Q.", path=path,
                             message_en=f"{path}, cell {cell.coordinate}: authority must be blank, KT., TL. or Q.")
    known = {f.name for f in fields(Profile)}
    return Profile(**{k: v for k, v in values.items() if k in known})
