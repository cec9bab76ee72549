"""The shipped examples (workbooks/examples): up to date, realistic, and faulty exactly where documented."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from stdnum.vn import mst

from kc_excel import catalog
from kc_excel.workbook.layout import PROGRAMME, REGISTRATION, RESULTS, layout_checksum

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "workbooks" / "examples"
MISTAKE_CODES = {"sum-mismatch", "unknown-activity", "unit-mismatch", "invalid-tax-code", "missing-tax-code",
                 "location-outside-unit", "month-out-of-range", "not-a-number", "negative-amount", "double-funding",
                 "support-ratio-exceeded", "duplicate-line", "legacy-encoding"}


def _script():
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "scripts" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows_of(path: Path, layout=REGISTRATION) -> list[dict]:
    ws = load_workbook(path)[layout.sheet]
    ref = ws.tables[layout.table].ref
    top = int("".join(c for c in ref.split(":")[0] if c.isdigit()))
    rows = []
    for values in ws.iter_rows(min_row=top + 1, max_col=len(layout.headers), values_only=True):
        if values[1] is None and values[0] in (None, "Cộng"):
            break
        rows.append(dict(zip(layout.keys, values)))
    return rows


def meta(path: Path) -> dict:
    return dict(load_workbook(path)["_kc"].iter_rows(values_only=True))


def registrations() -> list[Path]:
    return sorted(EXAMPLES.glob("DangKy_2022_*.xlsx"))


def test_examples_are_up_to_date_and_reproducible(tmp_path):
    _script().main(tmp_path)
    shipped = sorted(str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*") if p.is_file())
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == shipped
    stale = [name for name in shipped if (tmp_path / name).read_bytes() != (EXAMPLES / name).read_bytes()]
    assert stale == [], "run `make examples` and commit workbooks/examples"


def test_eleven_district_registrations_of_old_dong_nai():
    old = catalog.find_province("Đồng Nai", era="old")
    districts = {u.code: u for u in catalog.units_of(old, level="huyen")}
    files = registrations()
    assert len(files) == 11 and [f.name for f in files if "loi" in f.name] == [
        "DangKy_2022_738_Huyen-Thong-Nhat_loi.xlsx"]
    for path in files:
        values = meta(path)
        assert values["ma_don_vi"] in districts and values["cap_don_vi"] == "huyen"
        assert (values["ma_tinh"], values["nam"], values["ma_kiem_tra"]) == ("75", "2022",
                                                                              layout_checksum(REGISTRATION))
        assert values["ngay_tao"] == "2021-06-01T08:00:00+07:00"
    assert {meta(f)["ma_don_vi"] for f in files} == set(districts)


def clean_lines() -> list[tuple[Path, dict]]:
    mistakes = json.loads((EXAMPLES / "expected_mistakes.json").read_text(encoding="utf-8"))
    faulty_rows = {(m["file"], m["row"]) for m in mistakes}
    lines = []
    for path in registrations():
        top = 7  # first data row of the template (checked in test_expected_mistakes_point_at_the_cells)
        lines += [(path, r) for i, r in enumerate(rows_of(path)) if (path.name, top + i) not in faulty_rows]
    return lines


def test_valid_lines_carry_the_2022_plan():
    lines = [line for _, line in clean_lines()]
    # the faulty file's correct lines stay in: one of them is duplicated by a deliberate mistake
    money = {k: sum(Decimal(str(x[k] or 0)) for x in lines) for k in ("tong", "kcqg", "kcdp", "doi_ung", "khac")}
    assert money == {"tong": 17331, "kcqg": 300, "kcdp": 8875, "doi_ung": 8156, "khac": 0}
    by_activity = defaultdict(Counter)
    for x in lines:
        activity = catalog.find_activity(x["hoat_dong"]).code
        by_activity[activity][x["don_vi_tinh"]] += x["so_luong"]
    assert by_activity["KHOI_SU"]["học viên"] == 300
    assert by_activity["MAY_MOC"]["cơ sở"] == 15
    assert sum(1 for x in lines if catalog.find_activity(x["hoat_dong"]).code == "MAY_MOC" and x["kcqg"]) == 1
    assert by_activity["BINH_CHON"]["sản phẩm"] >= 20
    assert by_activity["TRUYEN_THONG"]["chuyên đề"] == 24 and by_activity["TRUYEN_THONG"]["cuốn"] >= 1600
    assert by_activity["HOI_THAO"]["hội thảo"] == 4


def test_valid_lines_respect_norms_tax_codes_and_communes():
    old = catalog.find_province("Đồng Nai", era="old")
    norms = catalog.default_norms()
    for path, x in clean_lines():
        unit = catalog.find_unit(old, meta(path)["ma_don_vi"], level="huyen")
        assert x["dia_diem"] in {c.name for c in catalog.communes_of(unit)}, (path.name, x)
        activity = catalog.find_activity(x["hoat_dong"])
        assert x["don_vi_tinh"] in activity.units
        assert not (x["kcqg"] and x["kcdp"])
        assert x["tong"] == sum(x[k] or 0 for k in ("kcqg", "kcdp", "doi_ung", "khac"))
        if x["loai_hinh"] in ("DNNVV", "HTX"):
            assert mst.is_valid(x["ma_so_thue"]), x
        norm = norms.get(activity.code)
        support = (x["kcqg"] or 0) + (x["kcdp"] or 0)
        if norm is not None and norm.max_ratio is not None:
            assert Decimal(support) <= norm.max_ratio * Decimal(x["tong"]), x
        if activity.code == "MAY_MOC":
            assert support <= 200 and x["so_luong"] == 1


def test_expected_mistakes_point_at_the_cells():
    mistakes = json.loads((EXAMPLES / "expected_mistakes.json").read_text(encoding="utf-8"))
    assert {m["code"] for m in mistakes} == MISTAKE_CODES and len(mistakes) == len(MISTAKE_CODES)
    path = EXAMPLES / mistakes[0]["file"]
    ws = load_workbook(path)["Đăng ký"]
    header_row = int("".join(c for c in ws.tables["DangKy"].ref.split(":")[0] if c.isdigit()))
    assert header_row + 1 == 7
    by_code = {m["code"]: m for m in mistakes}
    for m in mistakes:
        column = "".join(c for c in m["cell"] if c.isalpha())
        assert ws[f"{column}{header_row}"].value == m["column"] and m["sheet"] == "Đăng ký"
    cell = lambda code: ws[by_code[code]["cell"]]  # noqa: E731
    assert cell("month-out-of-range").value == 13 and cell("not-a-number").value == "mười lăm"
    assert cell("negative-amount").value < 0 and not mst.is_valid(cell("invalid-tax-code").value)
    assert cell("missing-tax-code").value is None
    assert cell("legacy-encoding").font.name == ".VnTime" and "§" in cell("legacy-encoding").value
    with pytest.raises(Exception):
        catalog.find_activity(cell("unknown-activity").value)
    old = catalog.find_province("Đồng Nai", era="old")
    thong_nhat = catalog.find_unit(old, "Thống Nhất", level="huyen")
    assert cell("location-outside-unit").value not in {c.name for c in catalog.communes_of(thong_nhat)}
    rows = rows_of(path)
    duplicate = rows[by_code["duplicate-line"]["row"] - 7]
    same = [r for r in rows if {k: v for k, v in r.items() if k != "stt"} ==
            {k: v for k, v in duplicate.items() if k != "stt"}]
    assert len(same) == 2


def test_legacy_cell_converts_to_a_real_name():
    legacy = pytest.importorskip("kc_excel.legacy")
    mistakes = json.loads((EXAMPLES / "expected_mistakes.json").read_text(encoding="utf-8"))
    m = next(m for m in mistakes if m["code"] == "legacy-encoding")
    value = load_workbook(EXAMPLES / m["file"])["Đăng ký"][m["cell"]].value
    assert legacy.normalize_legacy(value, ".VnTime") == ("Cơ sở mộc Đức Thành", "tcvn3")


def test_programme_and_results_from_the_seeds():
    programme = {r["ma_chi_tieu"]: r for r in rows_of(EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx", PROGRAMME)}
    results = rows_of(EXAMPLES / "KetQua_DongNai_2021-2023.xlsx", RESULTS)
    assert meta(EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx")["tu_nam"] == "2021"
    assert [programme[c]["toi_thieu"] for c in ("CT01", "CT02", "CT03", "CT05", "CT16", "CT17", "CT19")] == \
        [5, 1500, 2, 47, 120, 8000, 20]
    assert (programme["CT20"]["toi_thieu"], programme["CT20"]["don_vi_tinh"]) == (23_308.2, "triệu đồng")
    assert programme["CT20"]["den_nam"] == 2023
    assert (programme["CT21"]["toi_thieu"], programme["CT21"]["toi_da"]) == (0.05, 0.054)
    assert programme["CT22"]["cong_don"] == "Kỳ cuối"
    total = Counter()
    for r in results:
        assert r["ma_chi_tieu"] in programme and 2021 <= r["nam"] <= 2023
        total[r["ma_chi_tieu"]] += Decimal(str(r["thuc_hien"]))
    assert [total[c] for c in ("CT01", "CT02", "CT05", "CT06", "CT09", "CT16", "CT17", "CT19", "CT03")] == \
        [2, 484, 19, 3, 6, 72, 4800, 12, 0]
    assert total["CT20"] == Decimal("13216.387314") and total["CT22"] == 902_389_000  # triệu đồng, USD
    assert len({(r["ma_chi_tieu"], r["nam"]) for r in results}) == len(results)
    notes = [r["ghi_chu"] or "" for r in (*programme.values(), *results)]
    assert not [n for n in notes if "seed" in n.lower()]  # no reference that means nothing to staff
    for r in results:
        if programme[r["ma_chi_tieu"]]["hoat_dong"]:
            catalog.find_activity(programme[r["ma_chi_tieu"]]["hoat_dong"])
