"""Every sheet, table and column name of the workbooks kc-excel reads and writes.

One place for the contract's §2 names, so that the reader, the validator, the
writers and the templates never spell a header twice. A column has a stable
``key`` (used in code and JSON), its exact ``header`` as printed in our
templates, and ``aliases`` that the reader accepts from retyped headers (the
reader compares them through :func:`kc_excel.text.fold`, so diacritics and case
never matter).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

TEMPLATE_VERSION = 1
"""Version written to ``_kc.phien_ban_mau``; bump when a layout changes."""

META_SHEET = "_kc"


class Kind:
    """Values of ``_kc.loai_bieu``."""

    REGISTRATION = "dang-ky"
    PROGRAMME = "chuong-trinh"
    RESULTS = "ket-qua"
    PLAN = "ke-hoach"
    ATTAINMENT = "danh-gia"
    ALL = (REGISTRATION, PROGRAMME, RESULTS, PLAN, ATTAINMENT)
    PROFILE = "don-vi"
    """The centre's profile (``template profile``): not a form the reader takes in, so not in ALL."""
    NAMES = {REGISTRATION: ("phiếu đăng ký", "registration"),
             PROGRAMME: ("biểu chỉ tiêu chương trình", "programme"),
             RESULTS: ("báo cáo kết quả", "results"),
             PLAN: ("kế hoạch khuyến công tỉnh đã tổng hợp", "consolidated provincial plan"),
             ATTAINMENT: ("báo cáo đánh giá thực hiện", "attainment report"),
             PROFILE: ("tệp thông tin đơn vị", "profile")}
    """What messages call each kind, (Vietnamese, English): never the internal value (issue 16)."""


class Meta:
    """Keys of the hidden ``_kc`` sheet (column A key, column B value)."""

    KIND = "loai_bieu"
    VERSION = "phien_ban_mau"
    PROVINCE_CODE = "ma_tinh"
    PROVINCE_NAME = "ten_tinh"
    UNIT_CODE = "ma_don_vi"
    UNIT_NAME = "ten_don_vi"
    UNIT_LEVEL = "cap_don_vi"
    YEAR = "nam"
    FROM_YEAR = "tu_nam"
    TO_YEAR = "den_nam"
    MONEY_UNIT = "don_vi_tien"
    CREATED = "ngay_tao"
    CHECKSUM = "ma_kiem_tra"
    IDENTITY = "ma_dinh_danh"
    SIGNATURE = "chu_ky"
    AS_OF = "thoi_diem_danh_gia"
    """An attainment report's as-of month, ``YYYY-MM``."""
    PLAN_LEVEL = "cap_tong_hop"
    """The level a plan was consolidated from (``xa``, ``huyen``)."""
    LINE_COUNT = "so_dong"
    SOFTWARE = "phan_mem"
    TOTAL_PREFIX = "tong_"
    """A plan's total of each money column: ``tong_tong``, ``tong_kcqg``…"""


REGISTRATION_META_KEYS = (Meta.KIND, Meta.VERSION, Meta.PROVINCE_CODE, Meta.PROVINCE_NAME, Meta.UNIT_CODE,
                          Meta.UNIT_NAME, Meta.UNIT_LEVEL, Meta.YEAR, Meta.MONEY_UNIT, Meta.CREATED, Meta.CHECKSUM)
"""The ``_kc`` keys of every registration template kc-excel writes (signed ones add :data:`SIGNATURE_KEYS`).
A registration's identity is read as a whole: a key added here must be added to the templates too."""
SIGNATURE_KEYS = (Meta.IDENTITY, Meta.SIGNATURE)


class Level:
    """Values of ``_kc.cap_don_vi``."""

    PROVINCE = "tinh"
    DISTRICT = "huyen"
    COMMUNE = "xa"


MIN_YEAR, MAX_YEAR = 2000, 2100
"""A plan year, --year, Từ năm/Đến năm: four digits in this range."""
MONEY_UNIT_DEFAULT = "trieu-dong"
DONG_PER_MONEY_UNIT = {"trieu-dong": 1_000_000, "dong": 1, "nghin-dong": 1_000, "ty-dong": 1_000_000_000}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    money: bool = False
    width: float = 14


@dataclass(frozen=True)
class TableLayout:
    kind: str
    sheet: str
    table: str
    columns: tuple[Column, ...]
    extra_sheets: tuple[str, ...] = field(default=())

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


def _money(key: str, header: str, *aliases: str) -> Column:
    return Column(key, header, aliases, money=True, width=16)


REGISTRATION = TableLayout(
    kind=Kind.REGISTRATION,
    sheet="Đăng ký",
    table="DangKy",
    extra_sheets=("Hướng dẫn",),
    columns=(
        Column("stt", "STT", ("so thu tu", "tt"), width=6),
        Column("ten_de_an", "Tên đề án, nhiệm vụ", ("ten de an", "ten nhiem vu", "de an, nhiem vu", "ten de an nhiem vu"), required=True, width=40),
        Column("hoat_dong", "Hoạt động", ("hoat dong khuyen cong", "noi dung hoat dong", "ma hoat dong"), required=True, width=28),
        Column("don_vi_thuc_hien", "Đơn vị thực hiện", ("don vi chu tri",), width=24),
        Column("co_so", "Cơ sở thụ hưởng", ("co so", "don vi thu huong", "co so thu huong (ten)"), width=28),
        Column("ma_so_thue", "Mã số thuế", ("mst", "ma so thue co so"), width=16),
        Column("loai_hinh", "Loại hình", ("loai hinh co so", "loai hinh doanh nghiep"), width=16),
        Column("dia_diem", "Địa điểm (xã, phường)", ("dia diem", "dia diem (xa phuong)", "xa, phuong", "dia diem thuc hien"), width=22),
        Column("don_vi_tinh", "Đơn vị tính", ("dvt", "don vi"), width=12),
        Column("so_luong", "Số lượng", ("sl", "so luong"), width=10),
        _money("tong", "Tổng kinh phí (triệu đồng)", "tong kinh phi", "tong cong", "tong"),
        _money("kcqg", "Khuyến công quốc gia (triệu đồng)", "khuyen cong quoc gia", "kcqg", "kinh phi kcqg"),
        _money("kcdp", "Khuyến công địa phương (triệu đồng)", "khuyen cong dia phuong", "kcdp", "kinh phi kcdp"),
        _money("doi_ung", "Vốn đối ứng (triệu đồng)", "von doi ung", "doi ung"),
        _money("khac", "Nguồn khác (triệu đồng)", "nguon khac", "khac"),
        Column("thang_bat_dau", "Tháng bắt đầu", ("thang bd", "bat dau"), width=10),
        Column("thang_ket_thuc", "Tháng kết thúc", ("thang kt", "ket thuc"), width=10),
        Column("ghi_chu", "Ghi chú", ("ghi chu",), width=24),
    ),
)

PROGRAMME = TableLayout(
    kind=Kind.PROGRAMME,
    sheet="Chỉ tiêu",
    table="ChiTieu",
    extra_sheets=("Hướng dẫn",),
    columns=(
        Column("ma_chi_tieu", "Mã chỉ tiêu", ("ma", "ma ct"), required=True, width=14),
        Column("chi_tieu", "Chỉ tiêu", ("ten chi tieu", "noi dung"), required=True, width=44),
        Column("hoat_dong", "Hoạt động", (), width=22),
        Column("don_vi_tinh", "Đơn vị tính", ("dvt",), width=12),
        Column("toi_thieu", "Chỉ tiêu tối thiểu", ("toi thieu", "chi tieu", "muc tieu"), required=True, width=16),
        Column("toi_da", "Chỉ tiêu tối đa", ("toi da",), width=16),
        Column("chieu", "Chiều đánh giá", ("chieu",), width=18),
        Column("cong_don", "Cách cộng dồn", ("cong don", "cach tinh"), width=16),
        Column("tu_nam", "Từ năm", ("tu nam",), required=True, width=9),
        Column("den_nam", "Đến năm", ("den nam",), required=True, width=9),
        Column("ghi_chu", "Ghi chú", (), width=24),
    ),
)

RESULTS = TableLayout(
    kind=Kind.RESULTS,
    sheet="Kết quả",
    table="KetQua",
    extra_sheets=("Hướng dẫn",),
    columns=(
        Column("ma_chi_tieu", "Mã chỉ tiêu", ("ma", "ma ct"), required=True, width=14),
        Column("nam", "Năm", ("nam thuc hien",), required=True, width=8),
        Column("thuc_hien", "Thực hiện", ("ket qua", "so thuc hien"), required=True, width=18),
        Column("ghi_chu", "Ghi chú", (), width=30),
    ),
)

STATED_FIGURES = TableLayout(
    # Optional second table of a results workbook: figures copied from published reports,
    # checked for internal consistency (kc_excel.attainment.checks, docs/attainment.md).
    # Its own kind string (not a loai_bieu value) so that it never competes with KetQua
    # when the reader keeps one table per layout kind; the workbook's loai_bieu stays ket-qua.
    kind="so-lieu-cong-bo",
    sheet="Số liệu công bố",
    table="SoLieuCongBo",
    columns=(
        Column("ma", "Mã", ("ma so lieu",), required=True, width=14),
        Column("noi_dung", "Nội dung", ("noi dung so lieu", "dien giai"), width=44),
        Column("loai", "Loại", ("loai so lieu", "kieu"), width=12),
        Column("gia_tri", "Giá trị công bố", ("gia tri", "so cong bo", "so lieu cong bo"), required=True, width=20),
        Column("thanh_phan", "Thành phần", ("cong thuc", "cach tinh", "thanh phan"), width=26),
        Column("ghi_chu", "Ghi chú", ("nguon",), width=30),
    ),
)

ATTAINMENT = TableLayout(
    # The attainment report (contract §2.5); written by kc_excel.attainment.report, not read back.
    kind=Kind.ATTAINMENT,
    sheet="Đánh giá",
    table="DanhGia",
    columns=(
        Column("ma_chi_tieu", "Mã chỉ tiêu", width=14),
        Column("chi_tieu", "Chỉ tiêu", width=40),
        Column("don_vi_tinh", "Đơn vị tính", width=11),
        Column("toi_thieu", "Chỉ tiêu tối thiểu", width=16),
        Column("toi_da", "Chỉ tiêu tối đa", width=16),
        Column("thuc_hien", "Thực hiện", width=16),
        Column("ty_le_dat", "Tỷ lệ đạt (%)", width=11),
        Column("tien_do", "Tiến độ kỳ vọng (%)", width=11),
        Column("danh_gia", "Đánh giá", width=15),
        Column("chieu", "Chiều đánh giá", width=17),
        Column("cong_don", "Cách cộng dồn", width=13),
        Column("giai_doan", "Giai đoạn", width=11),
        Column("ghi_chu", "Ghi chú", width=36),
    ),
)

LAYOUTS: dict[str, TableLayout] = {
    Kind.REGISTRATION: REGISTRATION,
    Kind.PROGRAMME: PROGRAMME,
    Kind.RESULTS: RESULTS,
    STATED_FIGURES.table: STATED_FIGURES,
}

# A province's own support norms (định mức hỗ trợ), read by kc_excel.catalog.norms_file.load_norms.
# Not a submission kind, so it stays out of LAYOUTS (the reader never looks for it).
NORMS = TableLayout(
    kind="dinh-muc",
    sheet="Định mức",
    table="DinhMuc",
    columns=(
        Column("hoat_dong", "Hoạt động", ("ma hoat dong", "noi dung", "noi dung hoat dong"), required=True, width=40),
        Column("ty_le", "Tỷ lệ hỗ trợ tối đa (%)", ("ty le ho tro toi da", "ty le toi da", "ty le ho tro", "ty le (%)", "ty le"), width=14),
        Column("muc_toi_da", "Mức hỗ trợ tối đa (triệu đồng)", ("muc ho tro toi da", "muc toi da", "muc ho tro", "so tien toi da"), money=True, width=16),
        Column("tinh_theo", "Tính theo", ("don vi tinh", "dvt", "tinh cho", "theo"), width=14),
        Column("van_ban", "Văn bản", ("can cu", "van ban phap ly", "nguon", "quyet dinh", "nghi quyet"), required=True, width=34),
        Column("ngay_hieu_luc", "Ngày hiệu lực", ("hieu luc", "hieu luc tu ngay", "tu ngay", "ngay ap dung"), required=True, width=14),
    ),
)
NORMS_LAYOUT: dict[str, TableLayout] = {"DinhMuc": NORMS}


class PlanSheets:
    """Sheets and tables of the consolidated plan (contract §2.4), as (sheet, table)."""

    SUMMARY = ("Tổng hợp", "TongHop")
    BY_GROUP = ("Tổng hợp", "TongHopNhom")
    BY_UNIT = ("Theo đơn vị", "TheoDonVi")
    DETAIL = ("Chi tiết", "ChiTiet")
    STATUS = ("Tình trạng nộp", "TinhTrang")
    ISSUES = ("Lỗi", "Loi")


# Money columns of a registration line, in the order of the contract (§2.1).
MONEY_KEYS = ("tong", "kcqg", "kcdp", "doi_ung", "khac")
FUNDING_KEYS = ("kcqg", "kcdp", "doi_ung", "khac")

META_KEYS = (Meta.KIND, Meta.VERSION, Meta.PROVINCE_CODE, Meta.PROVINCE_NAME, Meta.UNIT_CODE, Meta.UNIT_NAME,
             Meta.UNIT_LEVEL, Meta.YEAR, Meta.FROM_YEAR, Meta.TO_YEAR, Meta.AS_OF, Meta.MONEY_UNIT, Meta.CREATED,
             Meta.CHECKSUM, *SIGNATURE_KEYS, Meta.PLAN_LEVEL, Meta.LINE_COUNT,
             *(Meta.TOTAL_PREFIX + key for key in MONEY_KEYS), Meta.SOFTWARE)
"""Every ``_kc`` key kc-excel writes, in the order it writes them (each workbook a subsequence of this):
:func:`kc_excel.workbook.meta.write_meta` refuses a key not listed here."""


def layout_checksum(layout: TableLayout, version: int = TEMPLATE_VERSION) -> str:
    """Checksum of the locked layout written to ``_kc.ma_kiem_tra``.

    It covers the kind, the template version, the sheet and table names and
    the exact headers in order; a reader recomputes it to tell an altered
    layout from an intact one.
    """
    text = "|".join([layout.kind, str(version), layout.sheet, layout.table, *layout.headers])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


TEXT_FORMAT = "@"
"""The number format of cells kept as text (codes with leading zeros, ``_kc`` values)."""


def protect(ws: Any) -> None:
    """Protect an openpyxl sheet without password, as every protected sheet of ours is: filtering,
    sorting and formatting stay allowed. (Here, beside the layout, so that the one ``_kc`` writer
    does not import openpyxl for the streamed plan.)"""
    p = ws.protection
    p.sheet = True
    p.autoFilter = p.sort = False
    p.formatCells = p.formatColumns = p.formatRows = False
    p.selectLockedCells = p.selectUnlockedCells = False
