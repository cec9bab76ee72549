"""docs/huong-dan-su-dung.md: what it tells staff to type works, and it renders to the bundle's PDF."""

from __future__ import annotations

import re
import sys

import pypdf

from addin_helpers import ROOT
from kc_excel import udfs
from kc_excel.addin.caidat import NO_SHORT_NAME_VI
from kc_excel.addin.messages import MESSAGES_FILE, parse_messages

GUIDE = ROOT / "docs" / "huong-dan-su-dung.md"


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_every_formula_the_guide_shows_exists():
    named = set(re.findall(r"=(KC_[A-Z]+)\(", _guide()))
    assert {"KC_DOCSO", "KC_TYLE", "KC_KIEMTRA"} <= named
    assert [name for name in named if not callable(getattr(udfs, name, None))] == []


def test_the_fast_pattern_of_the_guide_is_one_call_for_a_whole_column():
    """§3.1: =KC_DOCSO(K8:K2007;"triệu đồng") entered once over S8:S2007 answers every row."""
    column = [[1_500 + row] for row in range(2_000)]
    answer = udfs.KC_DOCSO(column, "triệu đồng")
    assert len(answer) == 2_000 and all(len(row) == 1 for row in answer)
    assert answer[0] == ["Một nghìn năm trăm triệu đồng"]
    assert all(row[0].endswith("triệu đồng") for row in answer)
    assert "Ctrl+Shift+Enter" in _guide() and "K:K" in _guide()  # the two rules are stated


def test_guide_starts_with_the_offline_package_and_covers_failures():
    text = _guide()
    install = text.index("## 1. Cài đặt")
    assert text.index("CaiDat.cmd") > install and "pip install" not in text[:text.index("## 2.")]
    # What the add-in and the installer say when something fails is what the guide explains.
    messages = parse_messages((ROOT / "macros" / MESSAGES_FILE).read_text(encoding="utf-8"))
    for key in ("khong-thay-python", "loi-python"):
        assert messages[key].split(",")[0].split(" nên ")[0] in text, key
    assert "8.3" in NO_SHORT_NAME_VI and "(8.3)" in text


def test_guide_renders_to_pdf_with_its_vietnamese_letters(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from guide_pdf import write_guide_pdf
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    pdf = write_guide_pdf(GUIDE, tmp_path / "HuongDanSuDung.pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(str(pdf)).pages)
    compact = re.sub(r"\s+", " ", text)
    assert "Hướng dẫn sử dụng kc-excel" in compact and "bấm đúp CaiDat.cmd" in compact
    assert "Khuyến công" in compact and "Tin cậy quyền truy nhập" in compact
