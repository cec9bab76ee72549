"""The reports as they print: rendered to PDF by LibreOffice and read back with pdftotext (poppler-utils).

Each report is rendered once per module. The checks read the paper, not the
workbook: the frame's lines are there, every text of the printed first page
appears whole, header rows repeat on every page of a long sheet, the pages
are those the layout promises, and no internal code or hash is printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pytest

from kc_excel.consolidate.core import ExpectedUnit, SubmittedFile, build_plan
from kc_excel.libreoffice import write_pdf
from kc_excel.models import PlanLine
from kc_excel.validation.issues import make_issue
from kc_excel.workbook.frame import MOTTO, NATION, Profile
from kc_excel.workbook.plan_book import write_plan

CENTRE = Profile(parent_agency="Sở Công Thương tỉnh Đồng Nai", agency="Trung tâm Khuyến công Đồng Nai",
                 symbol="TTKC", place="Đồng Nai", signer_title="Phó Giám đốc", authority="KT.",
                 superior_title="Giám đốc", signer_name="Nguyễn Văn An", preparer="Trần Thị Bình",
                 recipients=("Sở Công Thương tỉnh Đồng Nai", "Lưu: VT"))
UNITS = [ExpectedUnit("731", "Thành phố Biên Hòa"), ExpectedUnit("734", "Huyện Tân Phú"),
         ExpectedUnit("739", "Huyện Cẩm Mỹ")]
HASH = "c0ffee" * 10 + "abcd"
LINES = 160


@pytest.fixture(scope="module")
def pdftotext() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is required in CI but is not installed")
        pytest.skip("pdftotext not installed: install poppler-utils (make libreoffice)")
    return path


def pages_of(pdf: Path, pdftotext: str, *, layout: bool = True) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed); ``layout=False``: reading order."""
    args = [pdftotext, *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")[:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def appears_whole(text: str, paper: str) -> bool:
    """``text`` (squashed) is in ``paper`` in order, at most a neighbour cell's worth of other characters
    between its pieces (a wrapped cell's lines share baselines with the cells beside it)."""
    wanted = squash(text)
    start = paper.find(wanted[:6])
    while start >= 0:
        window, i = paper[start:start + 2 * len(wanted) + 40], 0
        for char in window:
            i += char == wanted[i]
            if i == len(wanted):
                return True
        start = paper.find(wanted[:6], start + 1)
    return False


def _line(unit: str, row: int, file: str, activity: str) -> PlanLine:
    return PlanLine(ten_de_an=f"Đề án số {row}", hoat_dong=activity, co_so=f"Cơ sở {row}", don_vi_tinh="cơ sở",
                    so_luong=1, tong=120_000_000, kcdp=60_000_000, doi_ung=60_000_000,
                    unit_code=unit, unit_name=unit, file=file, sheet="Đăng ký", row=row, sha256=HASH)


def _plan():
    tan_phu = [_line("734", 7 + i, "tan-phu.xlsx", ("MAY_MOC", "HOI_CHO")[i % 2]) for i in range(LINES)]
    cam_my = [_line("739", 7, "cam-my.xlsx", "MAY_MOC")]
    error = make_issue("required-missing", "thiếu tên đề án", file="cam-my.xlsx", sheet="Đăng ký", cell="B8")
    files = [SubmittedFile(path="tan-phu.xlsx", sha256=HASH, unit_code="734", unit_name="Huyện Tân Phú",
                        province_code="75", year=2022, kind="dang-ky", lines=tuple(tan_phu), row_count=LINES),
             SubmittedFile(path="cam-my.xlsx", sha256=HASH, unit_code="739", unit_name="Huyện Cẩm Mỹ",
                        province_code="75", year=2022, kind="dang-ky", lines=tuple(cam_my), row_count=2,
                        issues=(error,))]
    return build_plan(files, UNITS, province_code="75", province_name="Tỉnh Đồng Nai", year=2022, level="huyen")


@pytest.fixture(scope="module")
def plan_paper(tmp_path_factory, soffice, pdftotext):
    folder = tmp_path_factory.mktemp("plan-paper")
    xlsx = folder / "KeHoach.xlsx"
    write_plan(_plan(), xlsx, created=datetime(2026, 2, 5, 3, 0, tzinfo=timezone.utc), profile=CENTRE)
    pdf = write_pdf(xlsx, folder / "KeHoach.pdf")
    return xlsx, pages_of(pdf, pdftotext), pages_of(pdf, pdftotext, layout=False)


def test_the_plan_first_page_carries_the_decree_frame(plan_paper):
    _, pages, _ = plan_paper
    first = pages[0]
    for line in ("SỞ CÔNG THƯƠNG TỈNH ĐỒNG NAI", "TRUNG TÂM KHUYẾN CÔNG ĐỒNG NAI", NATION, MOTTO,
                 "Số: ……/KH-TTKC", "Đồng Nai, ngày 05 tháng 02 năm 2026", "KẾ HOẠCH KHUYẾN CÔNG NĂM 2022",
                 "Đơn vị tính: triệu đồng", "I. TỔNG HỢP THEO NỘI DUNG HOẠT ĐỘNG"):
        assert line in first, line
    signed = "".join(pages)
    for line in ("Nơi nhận:", "- Sở Công Thương tỉnh Đồng Nai;", "- Lưu: VT.", "NGƯỜI LẬP BIỂU", "KT. GIÁM ĐỐC",
                 "PHÓ GIÁM ĐỐC", "Nguyễn Văn An", "Trần Thị Bình"):
        assert line in signed, line


def test_the_plan_names_what_was_left_out_with_its_amount(plan_paper):
    _, pages, _ = plan_paper
    text = squash("".join(pages[:3]))
    assert squash("Thành phố Biên Hòa (chưa nộp phiếu)") in text
    assert squash("Huyện Cẩm Mỹ (phiếu có lỗi, 1 lỗi; kinh phí đăng ký 120 triệu đồng không tính vào kế hoạch)") in text
    assert squash("Tổng kinh phí không tính vào kế hoạch (phần đọc được): 120 triệu đồng.") in text


def test_every_text_of_the_printed_first_sheet_appears_whole(plan_paper):
    xlsx, _, pages = plan_paper
    ws = openpyxl.load_workbook(xlsx)["Tổng hợp"]
    hidden = {col for dim in ws.column_dimensions.values() if dim.hidden for col in range(dim.min, dim.max + 1)}
    texts = [c.value for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.column not in hidden and not c.value.startswith("=")]
    assert len(texts) > 30
    paper = squash("".join(pages))
    assert [t for t in texts if not appears_whole(t, paper)] == []


def test_numbers_print_in_the_vietnamese_locale_whatever_the_machines(plan_paper):
    _, pages, _ = plan_paper
    first = pages[0]  # 161 lines of 120 triệu: 19.320 triệu in all, 19.200 from Huyện Tân Phú
    assert "19.200" in first and "19,200" not in first
    assert re.findall(r"\b\d{1,3},\d{3}\b", first) == []  # no en-US thousands separator on the page


def test_the_chart_names_the_activity_groups_on_its_axis(plan_paper):
    import zipfile

    from kc_excel.consolidate import summary

    xlsx, _, _ = plan_paper
    with zipfile.ZipFile(xlsx) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    categories = re.findall(r"<c:cat>(.*?)</c:cat>", chart)
    assert categories and all("<c:strRef><c:f>'Tổng hợp'!$B$11:$B$" in c for c in categories)
    names = [title for _, title, _ in summary.by_group(_plan().lines)]
    cached = re.findall(r"<c:v>(.*?)</c:v>", categories[0])
    assert cached == [n.replace("&", "&amp;") for n in names] and len(names) >= 9
    ws = openpyxl.load_workbook(xlsx)["Tổng hợp"]
    assert [ws.cell(11 + i, 2).value for i in range(len(names))] == names  # the range holds those names


def test_the_readme_and_docs_link_images_that_exist():
    root = Path(__file__).resolve().parents[1]
    documents = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    links = [(doc, target) for doc in documents
             for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8"))]
    assert any("docs/paper/" in target for _, target in links)
    assert [(d.name, t) for d, t in links if not (d.parent / t).exists()] == []


def test_header_rows_repeat_on_every_page_of_the_detail(plan_paper):
    _, pages, _ = plan_paper
    detail = [p for p in pages if "Đề án số" in p]
    assert len(detail) >= 2
    assert all("Đơn vị nộp" in p and "Tên đề án" in squash(p).replace("Tênđềán", "Tên đề án") for p in detail)


def test_no_internal_code_or_hash_is_printed(plan_paper):
    xlsx, pages, _ = plan_paper
    paper = "".join(pages)
    for code in ("MAY_MOC", "HOI_CHO", HASH[:16], "required-missing", "unit-missing"):
        assert code not in paper, code
    wb = openpyxl.load_workbook(xlsx)  # …and nothing is lost: the codes are in the file, not on paper
    kept = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert {"MAY_MOC", HASH, "required-missing"} <= kept


def test_pages_are_numbered_and_each_sheet_is_one_page_wide(plan_paper):
    _, pages, _ = plan_paper
    total = len(pages)
    assert [n for n, page in enumerate(pages, start=1) if f"Trang {n}/{total}" not in page] == []
    wide = [p for p in pages if "Đề án số" in p]
    assert all("SHA" not in p for p in wide)


def _in_millions(targets, results):
    """The seed with its disbursement in triệu đồng, as the shipped programme states it (13.216,387314 triệu)."""
    from decimal import Decimal

    million = Decimal(1_000_000)
    targets = [t.model_copy(update={"unit": "triệu đồng", "target_min": t.target_min / million})
               if t.code == "GIAI_NGAN" else t for t in targets]
    results = [r.model_copy(update={"value": r.value / million}) if r.code == "GIAI_NGAN" else r for r in results]
    return targets, results


@pytest.fixture(scope="module")
def report_paper(tmp_path_factory, soffice, pdftotext):
    from kc_excel.attainment import AsOf, evaluate
    from kc_excel.attainment.report import ReportInfo, write_report
    from kc_excel.attainment.plan import compare_plan, plan_quantities
    from test_attainment_core import seed_results, seed_targets
    from test_attainment_plan import HEADERS, ROWS

    folder = tmp_path_factory.mktemp("report-paper")
    targets, results = _in_millions(seed_targets(), seed_results())
    report = evaluate(targets, results, AsOf(2023, 12))
    activities = {"KHOI_SU": "KHOI_SU", "MAY_MOC": "MAY_MOC", "NHAN_HIEU": "NHAN_HIEU"}
    planned = [t.model_copy(update={"activity": activities[t.code]}) for t in targets if t.code in activities]
    info = ReportInfo(province_name="Tỉnh Đồng Nai", province_code="75", from_year=2021, to_year=2025,
                      created=datetime(2024, 1, 8, tzinfo=timezone.utc), profile=CENTRE,
                      plan=tuple(compare_plan(planned, plan_quantities(ROWS, HEADERS), 2022)))
    xlsx = write_report(folder / "DanhGia.xlsx", report, info)
    return report, xlsx, pages_of(write_pdf(xlsx, folder / "DanhGia.pdf"), pdftotext)


def test_the_attainment_report_is_a_document_with_its_chart_on_one_page(report_paper):
    report, xlsx, pages = report_paper
    first = pages[0]
    for line in (NATION, MOTTO, "TRUNG TÂM KHUYẾN CÔNG ĐỒNG NAI", "Số: ……/BC-TTKC",
                 "Đồng Nai, ngày 08 tháng 01 năm 2024", "BÁO CÁO ĐÁNH GIÁ THỰC HIỆN CHƯƠNG TRÌNH KHUYẾN CÔNG"):
        assert line in first, line
    assert "KT. GIÁM ĐỐC" in "".join(pages)
    sheets = openpyxl.load_workbook(xlsx).sheetnames
    visible = [s for s in sheets if not s.startswith("_")]
    chart_pages = [p for p in pages if "Tỷ lệ đạt so với tiến độ kỳ vọng" in p]
    assert len(chart_pages) == 1  # the chart sheet prints on exactly one page
    assert len(pages) >= len(visible)
    axis = squash(chart_pages[0])
    assert [r.target.name for r in report.rows if squash(r.target.name) not in axis] == []  # every indicator
    assert [r.target.code for r in report.rows if r.target.code in "".join(pages)] == []  # …by name, not code


def test_amounts_in_trieu_dong_print_to_at_most_three_decimals_in_vietnamese(report_paper):
    report, xlsx, pages = report_paper
    paper = "".join(pages)
    kept = [c.value for row in openpyxl.load_workbook(xlsx).worksheets[0].iter_rows() for c in row]
    assert 13216.387314 in kept  # the cell keeps the exact amount…
    assert "13.216,387" in paper  # …the paper shows it in the Vietnamese way, to the nghìn đồng
    assert re.findall(r"\d[.,]\d{4,}", paper) == []  # no six-decimal amount anywhere
    assert re.search(r"\d+,\d\d%", paper) and not re.search(r"\d+\.\d\d%", paper)  # 40,00%, not 40.00%


def test_the_plan_comparison_prints_names_whole_on_one_page_width(report_paper):
    _, _, pages = report_paper
    compared = [p for p in pages if "SO SÁNH KẾ HOẠCH NĂM 2022" in p]
    assert len(compared) == 1  # one page: the long Ghi chú wraps instead of shrinking the sheet
    paper = squash(compared[0])
    for text in ("Đào tạo khởi sự, quản trị doanh nghiệp", "Ứng dụng máy móc thiết bị tiên tiến",
                 "Hỗ trợ xây dựng, đăng ký nhãn hiệu", "không có trong kế hoạch năm",
                 "Kế hoạch năm 2022 không có trong kế hoạch năm (hoạt động và đơn vị tính này)"):
        assert appears_whole(text, paper), text
    for code in ("KHOI_SU", "MAY_MOC", "NHAN_HIEU", "Mã chỉ tiêu", "Mã hoạt động"):
        assert code not in compared[0], code


def test_the_registration_template_prints_on_a4_with_the_commune_signature(tmp_path, soffice, pdftotext):
    from kc_excel import catalog
    from kc_excel.workbook.templates import write_registration

    province = catalog.find_province("Đồng Nai")
    unit = catalog.find_unit(province, "Phước Long")
    xlsx = write_registration(tmp_path / "DangKy.xlsx", province, unit, 2026,
                              [{"ten_de_an": "Hỗ trợ máy sấy nông sản cho cơ sở chế biến hạt điều xuất khẩu",
                                "hoat_dong": "Ứng dụng máy móc thiết bị tiên tiến", "tong": 300}])
    from kc_excel.cli import main

    assert main(["pdf", str(xlsx)]) == 0  # `kc-excel pdf` prints any workbook kc-excel wrote
    pages = pages_of(xlsx.with_suffix(".pdf"), pdftotext)
    assert len(pages) == 2  # the registration sheet on one page, the instructions on another
    sheet = pages[0]
    for line in ("PHIẾU ĐĂNG KÝ KẾ HOẠCH KHUYẾN CÔNG NĂM 2026", "NGƯỜI LẬP BIỂU", "CHỦ TỊCH UBND PHƯỜNG",
                 "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)", "…………, ngày …… tháng …… năm ……", "Điện thoại",
                 "Trang 1/2"):
        assert line in sheet, line
    assert appears_whole("Hỗ trợ máy sấy nông sản cho cơ sở chế biến hạt điều xuất khẩu", squash(sheet))
    assert "Khuyến công qua thư điện tử." in squash(pages[1]).replace("Khuyếncôngquathưđiệntử.", "Khuyến công qua thư điện tử.")
    for code in ("MAY_MOC", "KHOI_SU", "dang-ky", "DS_HoatDong"):
        assert code not in "".join(pages), code


def test_consolidate_with_profile_and_pdf_writes_the_signed_document(tmp_path, soffice, pdftotext):
    from kc_excel.cli import main
    from kc_excel.workbook.profile import write_profile_template

    examples = Path(__file__).resolve().parents[1] / "workbooks" / "examples"
    profile = write_profile_template(tmp_path / "DonVi.xlsx")
    out = tmp_path / "KeHoach.xlsx"
    code = main(["consolidate", str(examples), "--province", "Đồng Nai", "--year", "2022", "--level", "district",
                 "--no-cache", "--profile", str(profile), "--pdf", "-o", str(out)])
    assert code == 1  # the shipped faulty registration of Huyện Thống Nhất is rejected…
    text = squash("".join(pages_of(out.with_suffix(".pdf"), pdftotext)))
    assert squash("TRUNG TÂM KHUYẾN CÔNG ĐỒNG NAI") in text and squash("Số: ……/KH-TTKC") in text
    assert squash("Không tổng hợp 1 đơn vị: Huyện Thống Nhất (phiếu có lỗi") in text  # …and named on paper
