"""Consolidating real template files end to end: CLI, JSON, workbook, versions, rejections, e-mail, cache."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import jsonschema
import pytest
from decimal import Decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from referencing import Registry, Resource

from kc_excel import catalog
from kc_excel.cli import main
from kc_excel.consolidate.run import consolidate_folder
from kc_excel.consolidate.intake import Intake, is_ignored, sanitize_filename

from consolidate_helpers import (T0, district, drop_meta, machine_line, registration, set_text_cells, sheet_xml,
                                 sha256)

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "schemas"
TAN_PHU, CAM_MY = district("Tân Phú"), district("Cẩm Mỹ")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["consolidate", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def consolidate(folder: Path, out: Path, tmp_path: Path, **options):
    return consolidate_folder(folder, province="Đồng Nai", year=2022, output=out, level="district",
                              cache_dir=tmp_path / "cache", **options)


def check_schema(document: dict) -> None:
    schema = json.loads((SCHEMAS / "consolidate.schema.json").read_text(encoding="utf-8"))
    issue = json.loads((SCHEMAS / "issue.schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resources([("kc-excel/issue.schema.json", Resource.from_contents(issue)),
                                          ("issue.schema.json", Resource.from_contents(issue))])
    jsonschema.Draft202012Validator(schema, registry=registry).validate(document)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    registration(inbox, TAN_PHU, [machine_line(TAN_PHU, 1), machine_line(TAN_PHU, 2, tong=300.5, doi_ung=150.5)])
    registration(inbox, CAM_MY, [machine_line(CAM_MY, 1, tong=123.456789, kcdp=61.728394, doi_ung=61.728395)])
    (inbox / "~$DangKy_2022_734.xlsx").write_bytes(b"lock")
    (inbox / ".~lock.DangKy_2022_739.xlsx#").write_text("lock")
    (inbox / "Cong-van.pdf").write_bytes(b"%PDF")
    return inbox


def test_cli_json_is_valid_totals_exact_and_inputs_untouched(folder, tmp_path, capsys):
    before = {p.name: sha256(p) for p in folder.iterdir()}
    out = tmp_path / "plan.xlsx"
    code, stdout, _ = run(capsys, folder, "--province", "dong nai", "--year", "2022", "--level", "district",
                          "-o", out, "--json", "--no-cache")
    document = json.loads(stdout)
    check_schema(document)
    assert code == 0  # missing districts are warnings
    assert document["rows"] == 3
    assert document["totals"] == {"tong": 400_000_000 + 300_500_000 + 123_456_789, "kcqg": 0,
                                  "kcdp": 150_000_000 + 150_000_000 + 61_728_394,
                                  "doi_ung": 250_000_000 + 150_500_000 + 61_728_395, "khac": 0}
    units = {u["code"]: u for u in document["units"]}
    assert len(units) == 11 and units["734"]["status"] == "Hợp lệ" and units["734"]["rows"] == 2
    assert units["731"]["status"] == "Chưa nộp"
    assert sum(1 for i in document["issues"] if i["code"] == "unit-missing") == 9
    assert {p.name: sha256(p) for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("plan")) == ["plan.xlsx", "plan.xlsx.lock"] \
        or sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("plan")) == ["plan.xlsx"]


def test_workbook_sheets_tables_provenance_and_meta(folder, tmp_path):
    out = tmp_path / "plan.xlsx"
    outcome = consolidate(folder, out, tmp_path)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Theo đơn vị", "Chi tiết", "Tình trạng nộp", "Lỗi", "_kc"]
    tables = {name for ws in wb for name in ws.tables}
    assert tables == {"TongHop", "TongHopNhom", "TheoDonVi", "ChiTiet", "TinhTrang", "Loi"}
    assert len(wb["Tổng hợp"]._charts) == 1
    detail = wb["Chi tiết"]
    ref = detail.tables["ChiTiet"].ref
    rows = list(detail.iter_rows(min_row=int(re.search(r"\d+", ref).group()), values_only=True))
    header, data = rows[0], [r for r in rows[1:] if r[0] is not None]
    col = {h: i for i, h in enumerate(header)}
    got = sorted((r[col["Mã đơn vị"]], r[col["Tệp nguồn"]], r[col["Dòng"]], r[col["Tổng kinh phí (triệu đồng)"]],
                  r[col["SHA-256"]]) for r in data)
    assert got == sorted((ln.unit_code, ln.file, ln.row, ln.tong, ln.sha256)
                         for ln in outcome.plan.lines)
    assert {r[col["SHA-256"]] for r in data} == {sha256(folder / "DangKy_2022_734.xlsx"),
                                                 sha256(folder / "DangKy_2022_739.xlsx")}
    meta = {r[0]: r[1] for r in wb["_kc"].iter_rows(values_only=True)}
    assert meta["loai_bieu"] == "ke-hoach" and meta["nam"] == "2022" and meta["tong_tong"] == "823956789"
    assert wb["_kc"].sheet_state == "hidden"
    status = [r[1:4] for r in wb["Tình trạng nộp"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert ("734", "Huyện Tân Phú", "Hợp lệ") in status and len(status) == 11


def test_formula_looking_text_is_written_as_text(folder, tmp_path):
    hostile = ['=HYPERLINK("http://evil.example","bấm")', "=cmd|'/C calc'!A0", "@SUM(1+1)", "+1+1", "-1+1"]
    path = folder / "DangKy_2022_734.xlsx"
    set_text_cells(path, {(0, "Tên đề án, nhiệm vụ"): hostile[0], (0, "Ghi chú"): hostile[1],
                          (1, "Tên đề án, nhiệm vụ"): hostile[2], (1, "Ghi chú"): hostile[3],
                          (0, "Đơn vị thực hiện"): hostile[4]})
    out = tmp_path / "plan.xlsx"
    outcome = consolidate(folder, out, tmp_path)
    assert len(outcome.plan.lines) == 3
    xml = sheet_xml(out, "Chi tiết")
    assert "<f>" not in xml and "<f " not in xml
    from xml.sax.saxutils import escape
    for text in hostile:
        assert f"<t>{escape(text)}</t>" in xml or f'<t xml:space="preserve">{escape(text)}</t>' in xml, text
    values = {c.value for row in load_workbook(out)["Chi tiết"].iter_rows() for c in row if c.data_type == "s"}
    assert set(hostile) <= values


def test_newest_version_is_used_and_the_other_superseded(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    registration(inbox, TAN_PHU, [machine_line(TAN_PHU, 1, tong=100, kcdp=50, doi_ung=50)], name="ban-dau.xlsx")
    registration(inbox, TAN_PHU, [machine_line(TAN_PHU, 1)], name="ban-sua.xlsx", created=T0 + timedelta(days=3))
    outcome = consolidate(inbox, tmp_path / "plan.xlsx", tmp_path)
    rows = [(u.status, u.file) for u in outcome.plan.units if u.code == "734"]
    assert rows == [("Hợp lệ", "ban-sua.xlsx"), ("Bị thay thế", "ban-dau.xlsx")]
    assert outcome.plan.totals["tong"] == 400_000_000
    assert [i.file for i in outcome.plan.issues if i.code == "superseded-version"] == ["ban-dau.xlsx"]


def test_files_of_another_province_or_year_are_rejected(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    registration(inbox, TAN_PHU, [machine_line(TAN_PHU, 1)], year=2023)
    other = catalog.find_province("Bình Dương", era="old")
    unit = catalog.units_of(other, level="huyen")[0]
    registration(inbox, unit, [machine_line(unit, 1)], province=other)
    code, stdout, _ = run(capsys, inbox, "--province", "Đồng Nai", "--year", "2022", "--level", "district",
                          "-o", tmp_path / "plan.xlsx", "--json", "--no-cache")
    document = json.loads(stdout)
    check_schema(document)
    assert code == 1
    assert document["rows"] == 0
    found = {i["code"] for i in document["issues"] if i["severity"] == "error"}
    assert {"year-mismatch", "unit-not-in-province"} <= found
    rejected = [u for u in document["units"] if u["status"] == "Có lỗi"]
    assert len(rejected) == 2


def test_unit_identified_by_file_name_when_metadata_is_missing(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = registration(inbox, CAM_MY, [machine_line(CAM_MY, 1)], name="Phieu dang ky - huyen Cam My.xlsx")
    drop_meta(path, "ma_don_vi", "ten_don_vi")
    outcome = consolidate(inbox, tmp_path / "plan.xlsx", tmp_path)
    assert [(u.code, u.status) for u in outcome.plan.units if u.code == "739"] == [("739", "Hợp lệ")]
    assert [i.file for i in outcome.plan.issues if i.code == "unit-identified-by-filename"] == [path.name]
    assert outcome.plan.lines[0].unit_code == "739"


def test_eml_attachments_with_sender_date_and_sanitised_names(folder, tmp_path):
    attachment = folder / "DangKy_2022_739.xlsx"
    message = EmailMessage()
    message["From"] = "Phòng Kinh tế Cẩm Mỹ <kinhte@cammy.example>"
    message["To"] = "ttkc@dongnai.example"
    message["Subject"] = "Gửi phiếu đăng ký"
    message["Date"] = format_datetime(T0 + timedelta(days=10))
    message.set_content("Kính gửi Trung tâm.")
    message.add_attachment(attachment.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           filename="../../Phiếu Cẩm Mỹ.xlsx")
    message.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="cong-van.pdf")
    attachment.unlink()
    (folder / "thu-cam-my.eml").write_bytes(bytes(message))
    outcome = consolidate(folder, tmp_path / "plan.xlsx", tmp_path)
    lines = [ln for ln in outcome.plan.lines if ln.unit_code == "739"]
    assert len(lines) == 1
    source = lines[0]
    assert source.file == "thu-cam-my.eml/Phiếu Cẩm Mỹ.xlsx"
    assert source.email_from == "Phòng Kinh tế Cẩm Mỹ <kinhte@cammy.example>"
    assert source.email_date.startswith("2021-05-11T08:00:00")
    assert not list(tmp_path.rglob("Phiếu Cẩm Mỹ.xlsx"))  # extracted privately, then removed


def test_intake_ignores_lock_temp_hidden_files_and_sanitises_names(tmp_path):
    for name in ("a.xlsx", "b.XLS", "c.ods", "d.xlsm", "~$a.xlsx", ".~lock.a.xlsx#", "x.tmp", "~wrl0001.tmp",
                 ".hidden.xlsx", "note.pdf"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.xlsx").write_bytes(b"x")
    with Intake(tmp_path) as flat, Intake(tmp_path, recursive=True) as deep:
        assert [c.display for c in flat.collect()] == ["a.xlsx", "b.XLS", "c.ods", "d.xlsm"]
        assert [c.display for c in deep.collect()] == ["a.xlsx", "b.XLS", "c.ods", "d.xlsm", "sub/e.xlsx"]
    assert is_ignored("~$Book1.xlsx") and not is_ignored("Book1.xlsx")
    assert sanitize_filename("..\\..\\a<b>:c.xlsx") == "a_b__c.xlsx"
    assert sanitize_filename(None, ".xls") == "tep-dinh-kem.xls"


def test_existing_output_is_kept_as_bak_and_cache_makes_reruns_cheap(folder, tmp_path):
    out = tmp_path / "plan.xlsx"
    first = consolidate(folder, out, tmp_path)
    old = sha256(out)
    assert first.cache_hits == 0
    registration(folder, district("Xuân Lộc"), [machine_line(district("Xuân Lộc"), 1)])
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{corrupt", encoding="utf-8")
        break
    second = consolidate(folder, out, tmp_path)
    assert second.cache_hits == 1  # one corrupt entry re-read, the new file read
    assert sha256(out.with_name("plan.xlsx.bak")) == old
    assert second.plan.totals["tong"] == first.plan.totals["tong"] + 400_000_000
    third = consolidate(folder, out, tmp_path)
    assert third.cache_hits == 3
    assert third.plan.lines == second.plan.lines


def test_bad_arguments_exit_2(tmp_path, capsys):
    code, _, stderr = run(capsys, tmp_path / "khong-co", "--province", "Đồng Nai", "--year", "2022", "-o",
                          tmp_path / "p.xlsx")
    assert code == 2 and "Không tìm thấy thư mục" in stderr
    code, _, stderr = run(capsys, tmp_path, "--province", "Tỉnh Không Có", "--year", "2022", "-o",
                          tmp_path / "p.xlsx")
    assert code == 2
    code, _, _ = run(capsys, tmp_path, "--province", "Đồng Nai", "--year", "2022", "-o", tmp_path / "p.xlsx",
                     "--level", "tinh")
    assert code == 2


amounts = st.tuples(st.integers(0, 10**9), st.integers(0, 10**9), st.integers(0, 10**9)).map(
    lambda t: [Decimal(x) / 1_000_000 for x in t])  # triệu đồng, exact to the đồng


@settings(max_examples=int(os.environ.get('KC_CONSOLIDATE_EXAMPLES', '4')), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(amounts, min_size=1, max_size=4), min_size=2, max_size=3))
def test_conservation_through_files_and_readers(tmp_path_factory, per_unit):
    """Random valid submissions → the plan's totals are the inputs' sums to the đồng, each line once."""
    folder = tmp_path_factory.mktemp("inbox")
    units = [TAN_PHU, CAM_MY, district("Xuân Lộc")][: len(per_unit)]
    expected, rows = dict.fromkeys(["tong", "kcdp", "doi_ung"], 0), set()
    for unit, lines in zip(units, per_unit):
        made = []
        for n, (kcdp, doi_ung, extra) in enumerate(lines, start=1):
            kcdp = min(kcdp, doi_ung + extra, Decimal(200))  # within the norm: ≤ 50 % and ≤ 200 triệu
            made.append(machine_line(unit, n, tong=kcdp + doi_ung + extra, kcdp=kcdp, doi_ung=doi_ung + extra,
                                     co_so=f"Cơ sở {unit.code}-{n}"))
            for key, value in (("tong", kcdp + doi_ung + extra), ("kcdp", kcdp), ("doi_ung", doi_ung + extra)):
                expected[key] += int(value * 1_000_000)
        path = registration(folder, unit, made)
        rows |= {(unit.code, path.name, n) for n in range(len(made))}
    outcome = consolidate_folder(folder, province="Đồng Nai", year=2022, output=None, level="district",
                                 cache_dir=False)
    assert [i.code for i in outcome.plan.issues if i.severity == 'error'] == []
    assert {k: outcome.plan.totals[k] for k in expected} == expected
    got = [(ln.unit_code, ln.file, ln.row) for ln in outcome.plan.lines]
    assert len(got) == len(set(got)) == len(rows)
    assert {(u, f) for u, f, _ in got} == {(u, f) for u, f, _ in rows}


def test_help_text_in_vietnamese_and_english(capsys):
    code = main(["consolidate", "--help"])
    text = capsys.readouterr().out
    assert code == 0
    assert "Tổng hợp thư mục" in text and "Consolidate a folder" in text
    for option in ("--province", "--year", "--level", "--json", "--recursive", "--strict", "--accept-warnings"):
        assert option in text


def test_signed_templates_are_verified_and_a_renamed_neighbour_form_is_rejected(tmp_path):
    from kc_excel.signing import load_or_create_key
    from kc_excel.workbook.templates import write_registration

    key = load_or_create_key(tmp_path / "config")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    province = catalog.find_province("Đồng Nai", era="old")
    write_registration(inbox / "DangKy_2022_739.xlsx", province, CAM_MY, 2022, [machine_line(CAM_MY, 1)],
                       created=T0, key=key)
    # Tân Phú's people filled in Xuân Lộc's signed form and named it after Tân Phú
    xuan_loc = district("Xuân Lộc")
    write_registration(inbox / "DangKy_2022_734_Huyen-Tan-Phu.xlsx", province, xuan_loc, 2022,
                       [machine_line(xuan_loc, 1)], created=T0, key=key)
    outcome = consolidate(inbox, tmp_path / "plan.xlsx", tmp_path, key=key)  # the key is passed, not looked up
    status = {u.code: u.status for u in outcome.plan.units if u.file}
    assert status == {"739": "Hợp lệ", None: "Có lỗi"}  # a failed identity is credited to no unit
    assert {u.code: u.status for u in outcome.plan.units}["741"] == "Chưa nộp"
    mismatch = [i for i in outcome.plan.issues if i.code == "template-identity-mismatch"]
    assert [i.file for i in mismatch] == ["DangKy_2022_734_Huyen-Tan-Phu.xlsx"]
    assert {ln.unit_code for ln in outcome.plan.lines} == {"739"}
