"""Regenerate workbooks/examples/ (``make examples``): Đồng Nai 2022 registrations, programme, results.

Figures come from ../shared/seeds:
- 000: the 2022 plan of Đồng Nai (17.331 triệu: KCQG 300, KCĐP 8.875, thu hút từ
  cơ sở trên 8.000; 300 học viên, 15 cơ sở máy móc (01 KCQG), 20 sản phẩm bình
  chọn, 24 chuyên đề truyền hình, 1.600 cuốn bản tin, 04 hội thảo...), spread over
  the 11 pre-2025 districts (huyện, thành phố) of the old province.
- 001: the 2021-2025 programme targets; 004: the 2021-2023 results and the
  programme's growth/export targets quoted there.

One district (Huyện Thống Nhất, file name ending ``_loi``) carries one of each
deliberate mistake, listed in ``expected_mistakes.json`` for the validation tests.
Output is deterministic: fixed ``ngay_tao`` and byte-reproducible xlsx files.

Usage: python scripts/make_examples.py [OUT_DIR]   (default workbooks/examples)
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import partial
from pathlib import Path

from openpyxl import Workbook, load_workbook
from stdnum.vn import mst

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kc_excel import catalog  # noqa: E402
from kc_excel.attainment.examples import add_stated_figures  # noqa: E402
from kc_excel.numbers import format_vn  # noqa: E402
from kc_excel.workbook import templates  # noqa: E402
from kc_excel.workbook.layout import REGISTRATION, Level  # noqa: E402
from kc_excel.outputs import write_atomically  # noqa: E402
from kc_excel.workbook.writer import Styled, save_workbook  # noqa: E402

CREATED = datetime(2021, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=7)))
YEAR = 2022
FAULTY = "Thống Nhất"
PLAN = {"kcqg": 300, "kcdp": 8875, "doi_ung": 8156}  # triệu đồng, seed 000 (8.156 = 17.331 - 300 - 8.875)
DISTRICTS = ["Biên Hòa", "Long Khánh", "Tân Phú", "Vĩnh Cửu", "Định Quán", "Trảng Bom", "Thống Nhất",
             "Cẩm Mỹ", "Long Thành", "Xuân Lộc", "Nhơn Trạch"]
TRADES = ["chế biến hạt điều", "mộc gia dụng", "cơ khí nông cụ", "dệt may", "chế biến nông sản",
          "gốm mỹ nghệ", "đan lát mây tre", "chế biến thực phẩm", "in bao bì", "sản xuất nước mắm",
          "chế biến cà phê", "sấy trái cây", "gia công kim loại", "sản xuất đồ gỗ mỹ nghệ", "chế biến tiêu"]
MACHINE_TOTALS = [650, 800, 720, 380, 900, 800, 560, 610, 700, 390, 700, 850, 640, None]  # None: balances đối ứng


def tax_code(n: int) -> str:
    """The n-th valid 10-digit Đồng Nai-style tax code (36 + 7 digits + stdnum check digit)."""
    while True:
        body = f"36{(104_729 + n * 7_919) % 10_000_000:07d}"
        check = mst.calc_check_digit(body)
        n += 1000
        if len(check) == 1:
            return body + check


def line(name: str, activity: str, unit: str, qty, *, kcqg=0, kcdp=0, doi_ung=0, co_so=None, mst_=None,
         loai_hinh=None, months=(3, 10), note=None) -> dict:
    label = catalog.find_activity(activity).label
    return {"ten_de_an": name, "hoat_dong": label, "don_vi_thuc_hien": "Trung tâm Khuyến công và Tư vấn Phát triển "
            "Công nghiệp", "co_so": co_so, "ma_so_thue": mst_, "loai_hinh": loai_hinh, "don_vi_tinh": unit,
            "so_luong": qty, "tong": kcqg + kcdp + doi_ung, "kcqg": kcqg or None, "kcdp": kcdp or None,
            "doi_ung": doi_ung or None, "thang_bat_dau": months[0], "thang_ket_thuc": months[1], "ghi_chu": note}


def machinery(i: int, district: str, total: int, *, national: bool = False) -> dict:
    support = min(200, total // 2)
    kind = "HTX" if i % 5 == 4 else "DNNVV"
    owner = f"{'Hợp tác xã' if kind == 'HTX' else 'Công ty TNHH'} {TRADES[i % len(TRADES)].capitalize()} {district}"
    funds = {"kcqg": support} if national else {"kcdp": support}
    return line(f"Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong {TRADES[i % len(TRADES)]}", "MAY_MOC", "cơ sở", 1,
                doi_ung=total - support, co_so=owner, mst_=tax_code(i), loai_hinh=kind,
                note="Khuyến công quốc gia" if national else None, **funds)


def plan_lines() -> dict[str, list[dict]]:
    """The valid 2022 lines per district (short name), summing to PLAN exactly."""
    by: dict[str, list[dict]] = {d: [] for d in DISTRICTS}
    by["Tân Phú"].append(machinery(0, "Tân Phú", 600, national=True))
    machines = [machinery(i + 1, DISTRICTS[i % 11], t) for i, t in enumerate(MACHINE_TOTALS[:-1])]
    for i, item in enumerate(machines):
        by[DISTRICTS[i % 11]].append(item)
    for i, d in enumerate(["Biên Hòa", "Long Khánh", "Trảng Bom", "Long Thành", "Xuân Lộc", "Định Quán"]):
        by[d].append(line("Đào tạo khởi sự, quản trị doanh nghiệp", "KHOI_SU", "học viên", 50, kcdp=100,
                          months=(4 + i % 3, 9)))
    by["Biên Hòa"] += [
        line("Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh", "BINH_CHON", "sản phẩm", 20, kcdp=180),
        line("Tham gia bình chọn sản phẩm CNNT tiêu biểu cấp khu vực", "BINH_CHON", "sản phẩm", 16, kcdp=120),
        line("Xây dựng và phát sóng chuyên đề khuyến công trên Đài PT-TH Đồng Nai", "TRUYEN_THONG", "chuyên đề", 24,
             kcdp=1200, months=(1, 12)),
        line("Xuất bản Bản tin Khuyến công", "TRUYEN_THONG", "cuốn", 1600, kcdp=96, months=(3, 12)),
        line("Hội thảo phổ biến công nghệ, kỹ thuật mới trong sản xuất CNNT", "HOI_THAO", "hội thảo", 1, kcqg=100,
             note="Khuyến công quốc gia")]
    by["Long Khánh"] += [line("Thiết kế in ấn brochure sản phẩm CNNT tiêu biểu", "TRUYEN_THONG", "cuốn", 1000, kcdp=60),
                         line("Tổ chức đoàn tham quan, khảo sát, học tập kinh nghiệm trong nước", "THAM_QUAN",
                              "đoàn", 1, kcdp=350, months=(6, 6))]
    for d in ("Xuân Lộc", "Cẩm Mỹ", "Định Quán"):
        by[d].append(line("Hội thảo phổ biến công nghệ, kỹ thuật mới trong sản xuất CNNT", "HOI_THAO", "hội thảo", 1,
                          kcdp=120, months=(7, 7)))
    by["Trảng Bom"] += [line("Xét tặng danh hiệu thợ giỏi", "XET_TANG", "người", 55, kcdp=330, months=(8, 11)),
                        line("Đề nghị xét tặng danh hiệu Nghệ nhân Ưu tú", "XET_TANG", "người", 11, kcdp=66,
                             months=(8, 11))]
    by["Long Thành"] += [line("Tham gia hội chợ triển lãm cấp khu vực (Tây Ninh, Ninh Thuận)", "HOI_CHO", "lần", 2,
                              kcdp=800, months=(5, 11)),
                         line("Hỗ trợ thuê gian hàng hội chợ, triển lãm trong nước", "HOI_CHO", "gian hàng", 8,
                              kcdp=120, doi_ung=80, months=(5, 11))]
    by["Vĩnh Cửu"].append(_facility_line(20, "NHAN_HIEU", "Hỗ trợ xây dựng và đăng ký nhãn hiệu", 30, 30, "Vĩnh Cửu"))
    by["Nhơn Trạch"].append(_facility_line(21, "PHONG_TRUNG_BAY", "Hỗ trợ đầu tư phòng trưng bày giới thiệu sản phẩm",
                                           100, 100, "Nhơn Trạch"))
    for k, d in enumerate(["Cẩm Mỹ", "Xuân Lộc", "Tân Phú", "Vĩnh Cửu", "Nhơn Trạch"]):
        by[d].append(_facility_line(22 + k, "TU_VAN", "Hỗ trợ thuê tư vấn quản lý sản xuất, thiết kế mẫu mã", 30, 30, d))
    by["Thống Nhất"].append(line("Hỗ trợ lập quy hoạch chi tiết cụm công nghiệp Quang Trung", "CUM_CONG_NGHIEP", "cụm",
                                 1, kcdp=500, doi_ung=500, months=(3, 12)))
    _balance(by, machines)
    return by


def _facility_line(i: int, activity: str, name: str, kcdp: int, doi_ung: int, district: str) -> dict:
    trade = TRADES[i % len(TRADES)]
    return line(f"{name} ({trade})", activity, "cơ sở", 1, kcdp=kcdp, doi_ung=doi_ung,
                co_so=f"Công ty TNHH {trade.capitalize()} {district}", mst_=tax_code(i), loai_hinh="DNNVV")


def _balance(by: dict[str, list[dict]], machines: list[dict]) -> None:
    """Add the last machinery facility and the network line so that the sums equal the 2022 plan."""
    totals = {k: sum(int(x[k] or 0) for lines in by.values() for x in lines) for k in PLAN}
    last = machinery(len(machines) + 1, DISTRICTS[len(machines) % 11], 200 + PLAN["doi_ung"] - totals["doi_ung"])
    by[DISTRICTS[len(machines) % 11]].append(last)
    rest = PLAN["kcdp"] - totals["kcdp"] - 200
    by["Long Khánh"].append(line("Duy trì mạng lưới cộng tác viên khuyến công giai đoạn II", "NANG_LUC", "người", 65,
                                 kcdp=rest, months=(1, 12)))
    check = {k: sum(int(x[k] or 0) for lines in by.values() for x in lines) for k in PLAN}
    assert check == PLAN and totals["kcqg"] == PLAN["kcqg"], check


def place(lines: list[dict], unit) -> list[dict]:
    """Number the lines and put each in a real commune of the district."""
    communes = [c.name for c in catalog.communes_of(unit)]
    return [{"stt": i, "dia_diem": communes[(i * 3) % len(communes)], **x} for i, x in enumerate(lines, start=1)]


# --- the faulty district --------------------------------------------------------

TCVN3 = {"ơ": "¬", "ở": "ë", "ộ": "é", "Đ": "§", "ứ": "ø", "à": "µ", "ế": "Õ", "ạ": "¹", "ả": "¶"}


def tcvn3(text: str) -> str:
    """Encode ``text`` in TCVN3 (ABC) as a .VnTime font shows it (only the letters used here)."""
    return "".join(TCVN3.get(ch, ch) for ch in text)


def faulty_lines(district: str, first: dict, other_commune: str) -> list[tuple[dict, str, str]]:
    """(line, mistake code, header of the faulty cell): one deliberate mistake per line.

    ``first`` is the district's first (valid, placed) line: the duplicate-line mistake copies it.
    """
    wrong_mst = tax_code(31)
    wrong_mst = wrong_mst[:-1] + str((int(wrong_mst[-1]) + 1) % 10)
    h = {c.key: c.header for c in REGISTRATION.columns}
    no_mst = {**machinery(32, district, 600), "ma_so_thue": None}
    legacy = {**machinery(31, district, 700), "co_so": Styled(tcvn3("Cơ sở mộc Đức Thành"), ".VnTime"),
              "loai_hinh": "Hộ kinh doanh", "ma_so_thue": None}
    return [
        ({**machinery(34, district, 500), "tong": 500, "doi_ung": 250}, "sum-mismatch", h["tong"]),
        ({**line("Hỗ trợ làm đường giao thông nông thôn", "HOI_THAO", "đề án", 1, kcdp=100),
          "hoat_dong": "Làm đường giao thông", "don_vi_tinh": "đề án"}, "unknown-activity", h["hoat_dong"]),
        (line("Hội thảo giới thiệu máy móc chế biến", "HOI_THAO", "cơ sở", 1, kcdp=80), "unit-mismatch",
         h["don_vi_tinh"]),
        ({**machinery(35, district, 640), "ma_so_thue": wrong_mst}, "invalid-tax-code", h["ma_so_thue"]),
        (no_mst, "missing-tax-code", h["ma_so_thue"]),
        ({**machinery(36, district, 560), "dia_diem": other_commune}, "location-outside-unit", h["dia_diem"]),
        ({**line("Đào tạo khởi sự doanh nghiệp", "KHOI_SU", "học viên", 30, kcdp=60), "thang_ket_thuc": 13},
         "month-out-of-range", h["thang_ket_thuc"]),
        ({**line("Đào tạo quản trị doanh nghiệp", "KHOI_SU", "học viên", 15, kcdp=40), "so_luong": "mười lăm"},
         "not-a-number", h["so_luong"]),
        ({**line("Tham gia hội chợ hàng CNNT", "HOI_CHO", "gian hàng", 2, kcdp=150), "tong": 100, "doi_ung": -50},
         "negative-amount", h["doi_ung"]),
        ({**line("Hội thảo liên kết tiêu thụ sản phẩm", "HOI_THAO", "hội thảo", 1, kcdp=100), "kcqg": 50, "tong": 150},
         "double-funding", h["kcqg"]),
        ({**machinery(37, district, 300), "kcdp": 180, "doi_ung": 120}, "support-ratio-exceeded", h["kcdp"]),
        ({k: v for k, v in first.items() if k != "stt"}, "duplicate-line", h["ten_de_an"]),
        (legacy, "legacy-encoding", h["co_so"]),
    ]


# --- writing ----------------------------------------------------------------------

def registrations(out: Path, province) -> tuple[list[Path], list[dict]]:
    units = {u.short if hasattr(u, "short") else u.name: u for u in catalog.units_of(province, level=Level.DISTRICT)}
    by = plan_lines()
    paths, mistakes = [], []
    for short in DISTRICTS:
        unit = _unit(units, province, short)
        lines, codes = by[short], []
        if short == FAULTY:
            other = catalog.communes_of(_unit(units, province, "Tân Phú"))[0].name
            extra = faulty_lines(short, place(lines, unit)[0], other)
            lines = lines + [x for x, _, _ in extra]
            codes = [(len(by[short]) + i, code, header) for i, (_, code, header) in enumerate(extra)]
        name = templates.registration_file_name(YEAR, unit)
        if short == FAULTY:
            name = name.replace(".xlsx", "_loi.xlsx")
        path = templates.write_registration(out / name, province, unit, YEAR, place(lines, unit), created=CREATED)
        paths.append(path)
        mistakes += _positions(path, codes)
    return paths, mistakes


def _unit(units: dict, province, short: str):
    return units.get(short) or catalog.find_unit(province, short, level=Level.DISTRICT)


def _positions(path: Path, codes: list[tuple[int, str, str]]) -> list[dict]:
    """Sheet/cell of each deliberate mistake, read back from the written table."""
    if not codes:
        return []
    ws = load_workbook(path)[REGISTRATION.sheet]
    top = int("".join(ch for ch in ws.tables[REGISTRATION.table].ref.split(":")[0] if ch.isdigit()))
    letters = {ws.cell(top, j).value: ws.cell(top, j).column_letter for j in range(1, len(REGISTRATION.columns) + 1)}
    return [{"file": path.name, "sheet": REGISTRATION.sheet, "cell": f"{letters[header]}{top + 1 + index}",
             "row": top + 1 + index, "column": header, "code": code} for index, code, header in codes]


# --- programme 2021-2025 (seed 001, growth/export targets quoted in seed 004) --------

SOURCE = "bài sơ kết 2,5 năm thực hiện Chương trình"


def _t(code, name, activity, unit, low, high=None, how="Cộng dồn", years=(2021, 2025), note=None) -> dict:
    return {"ma_chi_tieu": code, "chi_tieu": name, "hoat_dong": activity, "don_vi_tinh": unit, "toi_thieu": low,
            "toi_da": high, "chieu": "Càng cao càng tốt", "cong_don": how, "tu_nam": years[0], "den_nam": years[1],
            "ghi_chu": note}


TARGETS = [
    _t("CT01", "Tổ chức đoàn tham quan, khảo sát, học tập kinh nghiệm trong nước", "THAM_QUAN", "đoàn", 5),
    _t("CT02", "Đào tạo khởi sự, quản trị doanh nghiệp", "KHOI_SU", "học viên", 1500),
    _t("CT03", "Hỗ trợ cơ sở CNNT xây dựng và đăng ký nhãn hiệu", "NHAN_HIEU", "cơ sở", 2),
    _t("CT04", "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật", "MO_HINH", "mô hình", 2),
    _t("CT05", "Hỗ trợ cơ sở CNNT ứng dụng máy móc thiết bị tiên tiến", "MAY_MOC", "cơ sở", 47),
    _t("CT06", "Tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh", "BINH_CHON", "lần", 5),
    _t("CT07", "Tham gia bình chọn sản phẩm CNNT tiêu biểu cấp khu vực, quốc gia", "BINH_CHON", "lần", 2),
    _t("CT08", "Xét tặng danh hiệu Nghệ nhân, Thợ giỏi, Người có công đưa nghề về địa phương", "XET_TANG", "lần", 5),
    _t("CT09", "Tham gia hội chợ, triển lãm trong nước", "HOI_CHO", "lần", 15),
    _t("CT10", "Hỗ trợ gian hàng cho cơ sở CNNT tham gia hội chợ, triển lãm", "HOI_CHO", "gian hàng", 42),
    _t("CT11", "Hỗ trợ phòng trưng bày giới thiệu, quảng bá sản phẩm tại cơ sở CNNT", "PHONG_TRUNG_BAY", "cơ sở", 5),
    _t("CT12", "Hỗ trợ lập quy hoạch chi tiết cụm công nghiệp", "CUM_CONG_NGHIEP", "cụm", 4),
    _t("CT13", "Hỗ trợ sửa chữa, nâng cấp hệ thống xử lý ô nhiễm tại cơ sở CNNT", "XU_LY_O_NHIEM", "cơ sở", 2),
    _t("CT14", "Hỗ trợ lãi suất vốn vay cho cơ sở CNNT di dời vào cụm công nghiệp", "LAI_SUAT", "cơ sở", 2),
    _t("CT15", "Hỗ trợ cơ sở CNNT thuê tư vấn", "TU_VAN", "cơ sở", 25),
    _t("CT16", "Chuyên đề khuyến công trên Đài Phát thanh Truyền hình Đồng Nai", "TRUYEN_THONG", "chuyên đề", 120),
    _t("CT17", "Xuất bản Bản tin khuyến công", "TRUYEN_THONG", "cuốn", 8000),
    _t("CT18", "Thiết kế in ấn brochure sản phẩm CNNT tiêu biểu", "TRUYEN_THONG", "cuốn", 5000),
    _t("CT19", "Tổ chức hội thảo phổ biến công nghệ, kỹ thuật mới", "HOI_THAO", "hội thảo", 20),
    _t("CT20", "Kinh phí khuyến công hỗ trợ đề án, nhiệm vụ giai đoạn 2021-2023", None, "triệu đồng",
       Decimal("23308.2"), years=(2021, 2023), note=f"Theo Chương trình ({SOURCE})"),
    _t("CT21", "Tăng trưởng giá trị sản xuất CNNT bình quân năm", None, "%", Decimal("0.05"), Decimal("0.054"),
       how="Bình quân", note=f"Chương trình: 5-5,4%/năm ({SOURCE})"),
    _t("CT22", "Giá trị xuất khẩu của cơ sở CNNT", None, "USD", 900_000_000, how="Kỳ cuối",
       note=f"Chương trình: 900.000.000 USD ({SOURCE})"),
    _t("CT23", "Tỷ trọng giá trị sản xuất CNNT trong giá trị sản xuất công nghiệp toàn tỉnh", None, "%",
       Decimal("0.08"), Decimal("0.085"), how="Kỳ cuối", note=f"Chương trình: 8-8,5% ({SOURCE})"),
    _t("CT24", "Tăng trưởng giá trị xuất khẩu bình quân năm", None, "%", Decimal("0.052"), Decimal("0.06"),
       how="Bình quân", note=f"Chương trình: 5,2-6%/năm ({SOURCE})"),
]
PERCENT = ("CT21", "CT23", "CT24")
SPLIT = f"{SOURCE.capitalize()} chỉ có tổng 2021-2023; chia theo năm để minh họa"


def _r(code, year, value, note=None) -> dict:
    return {"ma_chi_tieu": code, "nam": year, "thuc_hien": value, "ghi_chu": note}


def _split(code: str, values: tuple, total) -> list[dict]:
    assert sum(values) == total, (code, values, total)
    return [_r(code, 2021 + i, v, f"{SPLIT} (tổng {format_vn(total, 6).rstrip('0').rstrip(',')})") for i, v in enumerate(values)]


RESULTS = [
    *_split("CT01", (0, 1, 1), 2), *_split("CT02", (60, 212, 212), 484), *_split("CT05", (5, 7, 7), 19),
    *[_r("CT06", y, 1) for y in (2021, 2022, 2023)],
    _r("CT07", 2021, 1, f"Năm 2021 và năm 2023 ({SOURCE})"), _r("CT07", 2023, 1, f"Năm 2021 và năm 2023 ({SOURCE})"),
    *[_r("CT08", y, 1) for y in (2021, 2022, 2023)], *_split("CT09", (1, 2, 3), 6),
    *[_r(code, y, 0, f"Chưa triển khai: thiếu cơ sở pháp lý, đối tượng ({SOURCE})")
      for code in ("CT03", "CT04", "CT11", "CT12", "CT13", "CT14", "CT15") for y in (2021, 2022, 2023)],
    *[_r("CT16", y, 24) for y in (2021, 2022, 2023)], *[_r("CT17", y, 1600) for y in (2021, 2022, 2023)],
    *[_r("CT18", y, 1000) for y in (2021, 2022, 2023)], *[_r("CT19", y, 4) for y in (2021, 2022, 2023)],
    *_split("CT20", (3_105, 5_020, Decimal("5091.387314")), Decimal("13216.387314")),
    _r("CT21", 2023, Decimal("0.034"), f"Bình quân giai đoạn 2021-2023 ({SOURCE})"),
    _r("CT22", 2023, 902_389_000, f"Giá trị xuất khẩu đạt 902.389.000 USD ({SOURCE})"),
    _r("CT23", 2023, Decimal("0.089"), f"Theo {SOURCE}: 8,9%"),
    _r("CT24", 2023, Decimal("0.097"), f"Bình quân giai đoạn 2021-2023 ({SOURCE})"),
]


CONTACT_PEOPLE = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Hoa", None,
                  "Võ Thanh Hùng", "Đặng Thị Lan", "Bùi Văn Long", "Huỳnh Thị Mai"]


def contacts(path: Path, province) -> Path:
    """A contacts workbook (Đơn vị | Email | Người liên hệ) for ``--contacts``: every district but Nhơn Trạch."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh bạ"
    ws.append(["Đơn vị", "Email", "Người liên hệ"])
    units = [u for u in catalog.units_of(province, level=Level.DISTRICT) if u.short != "Nhơn Trạch"]
    for unit, person in zip(units, CONTACT_PEOPLE):
        slug = templates.ascii_slug(unit.short).lower().replace("-", "")
        ws.append([unit.name, f"phongkinhte.{slug}@example.com", person])
    return write_atomically(path, partial(save_workbook, wb, fixed_time=CREATED))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    old = catalog.find_province("Đồng Nai", era="old")
    paths, mistakes = registrations(out, old)
    templates.write_programme(out / "ChuongTrinh_DongNai_2021-2025.xlsx", old, 2021, 2025, TARGETS,
                              created=CREATED, percent_codes=PERCENT)
    results = templates.results_workbook(old, RESULTS, from_year=2021, to_year=2023, created=CREATED,
                                         percent_codes=PERCENT)
    add_stated_figures(results)  # the figures seed 004 states, checked by `kc-excel attainment`
    write_atomically(out / "KetQua_DongNai_2021-2023.xlsx", partial(save_workbook, results, fixed_time=CREATED))
    contacts(out / "danh-ba" / "DanhBa_DongNai_huyen.xlsx", old)
    (out / "expected_mistakes.json").write_text(json.dumps(mistakes, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    totals = {k: sum(int(x[k] or 0) for lines in plan_lines().values() for x in lines) for k in PLAN}
    print(f"Đã tạo {len(paths)} phiếu đăng ký năm {YEAR} của {old.name} (1 tệp có lỗi cố ý: "
          f"{len(mistakes)} lỗi), 1 biểu chỉ tiêu ({len(TARGETS)} chỉ tiêu), 1 biểu kết quả "
          f"({len(RESULTS)} dòng) trong {out}")
    print("Kế hoạch 2022 (các dòng hợp lệ, triệu đồng): KCQG {kcqg}, KCĐP {kcdp}, đối ứng {doi_ung}, tổng {t}".format(
        t=sum(totals.values()), **totals))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "workbooks" / "examples")
