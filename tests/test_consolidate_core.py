"""The pure core of consolidation: statuses, versions, rejections, duplicates, conservation."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kc_excel.consolidate.core import (HAS_ERRORS, MISSING, SUPERSEDED, UNREADABLE, VALID, ExpectedUnit,
                                       SubmittedFile, build_plan, facility_key)
from kc_excel.models import PlanLine
from kc_excel.validation.issues import Severity, make_issue

UNITS = [ExpectedUnit("731", "Thành phố Biên Hòa"), ExpectedUnit("734", "Huyện Tân Phú"),
         ExpectedUnit("739", "Huyện Cẩm Mỹ")]
T0 = datetime(2021, 5, 1, 8, 0)


def line(unit: str, row: int, file: str, *, tong: int = 100_000_000, kcdp: int = 50_000_000,
         doi_ung: int = 50_000_000, co_so: str | None = None, mst: str | None = None,
         dia_diem: str | None = None, hoat_dong: str = "MAY_MOC") -> PlanLine:
    return PlanLine(ten_de_an=f"Đề án {row}", hoat_dong=hoat_dong, co_so=co_so, ma_so_thue=mst, dia_diem=dia_diem,
                    don_vi_tinh="cơ sở", so_luong=1, tong=tong, kcdp=kcdp, doi_ung=doi_ung,
                    unit_code=unit, unit_name=unit, file=file, sheet="Đăng ký", row=row, sha256="ab" * 32)


def submission(unit: str, file: str, lines=(), *, created=T0, mtime=0.0, province="75", year=2022,
               issues=(), read_error=None) -> SubmittedFile:
    return SubmittedFile(path=file, sha256="ab" * 32, mtime=mtime, unit_code=unit, unit_name=unit,
                      province_code=province, year=year, kind="dang-ky", created=created, lines=tuple(lines),
                      row_count=len(lines), issues=tuple(issues), read_error=read_error)


def plan_of(files, **options):
    return build_plan(files, UNITS, province_code="75", province_name="Tỉnh Đồng Nai", year=2022,
                      level="huyen", **options)


def statuses(plan):
    return [(u.code, u.status, u.file) for u in plan.units]


def codes(plan):
    return sorted(i.code for i in plan.issues)


def test_every_expected_unit_gets_a_row_and_missing_ones_are_flagged():
    plan = plan_of([submission("734", "tan-phu.xlsx", [line("734", 7, "tan-phu.xlsx")])])
    assert statuses(plan) == [("731", MISSING, None), ("734", VALID, "tan-phu.xlsx"), ("739", MISSING, None)]
    assert codes(plan) == ["unit-missing", "unit-missing"]
    assert not plan.rejected
    assert len(plan.lines) == 1


def test_newest_version_by_created_wins_and_older_ones_are_superseded():
    old = submission("734", "v1.xlsx", [line("734", 7, "v1.xlsx", tong=1)], created=T0, mtime=500)
    new = submission("734", "v2.xlsx", [line("734", 7, "v2.xlsx", tong=2, kcdp=1, doi_ung=1)],
                     created=T0 + timedelta(days=1), mtime=100)
    plan = plan_of([new, old])
    rows = [(u.code, u.status, u.file) for u in plan.units if u.code == "734"]
    assert rows == [("734", VALID, "v2.xlsx"), ("734", SUPERSEDED, "v1.xlsx")]
    assert [ln.file for ln in plan.lines] == ["v2.xlsx"]
    superseded = [i for i in plan.issues if i.code == "superseded-version"]
    assert [(i.file, i.value) for i in superseded] == [("v1.xlsx", "v2.xlsx")]


def test_file_time_breaks_a_tie_of_created():
    a = submission("734", "a.xlsx", [line("734", 7, "a.xlsx")], mtime=200)
    b = submission("734", "b.xlsx", [line("734", 8, "b.xlsx")], mtime=100)
    plan = plan_of([a, b])
    assert [ln.file for ln in plan.lines] == ["a.xlsx"]
    assert ("734", SUPERSEDED, "b.xlsx") in statuses(plan)


def test_files_of_another_province_or_year_are_rejected():
    other = submission("734", "khac-tinh.xlsx", [line("734", 7, "khac-tinh.xlsx")], province="79")
    wrong_year = submission("739", "nam-2021.xlsx", [line("739", 7, "nam-2021.xlsx")], year=2021)
    stranger = submission("999", "la.xlsx", [line("999", 7, "la.xlsx")])
    plan = plan_of([other, wrong_year, stranger])
    assert plan.lines == []
    assert plan.rejected
    assert codes(plan).count("unit-not-in-province") == 2
    assert "year-mismatch" in codes(plan)
    extra = [(u.file, u.status, u.expected) for u in plan.units if not u.expected]
    assert extra == [("khac-tinh.xlsx", HAS_ERRORS, False), ("nam-2021.xlsx", HAS_ERRORS, False),
                     ("la.xlsx", HAS_ERRORS, False)]
    assert statuses(plan)[:3] == [("731", MISSING, None), ("734", MISSING, None), ("739", MISSING, None)]


def test_unreadable_and_erroneous_files():
    bad = make_issue("file-corrupt", file="hong.xlsx")
    err = make_issue("sum-mismatch", file="loi.xlsx", sheet="Đăng ký", row=7)
    plan = plan_of([submission("731", "hong.xlsx", read_error="file-corrupt", issues=[bad]),
                    submission("734", "loi.xlsx", [line("734", 8, "loi.xlsx")], issues=[err])])
    assert statuses(plan)[:2] == [("731", UNREADABLE, "hong.xlsx"), ("734", HAS_ERRORS, "loi.xlsx")]
    assert plan.lines == []  # lines only from files without errors
    assert plan.rejected


def test_warnings_are_accepted_by_default_and_rejected_with_strict():
    warn = make_issue("legacy-encoding", file="w.xlsx", sheet="Đăng ký", row=7)
    files = [submission("734", "w.xlsx", [line("734", 7, "w.xlsx")], issues=[warn])]
    relaxed = plan_of(files)
    strict = plan_of(files, strict=True)
    assert relaxed.units[1].status == VALID and len(relaxed.lines) == 1 and not relaxed.rejected
    assert strict.units[1].status == HAS_ERRORS and strict.lines == [] and strict.rejected
    assert (strict.units[1].errors, strict.units[1].warnings) == (1, 0)
    assert [i.severity for i in strict.issues if i.code == "legacy-encoding"] == [Severity.ERROR]


def test_duplicates_across_units_by_tax_code_and_by_name_and_commune():
    a = [line("731", 7, "a.xlsx", co_so="Cơ sở Thành Nhân", mst="0100109106"),
         line("731", 8, "a.xlsx", co_so="HTX Mây tre Tân Phú", dia_diem="Xã Phú Lâm")]
    b = [line("734", 9, "b.xlsx", co_so="Cty khác tên", mst="0100109106"),
         line("734", 10, "b.xlsx", co_so="htx may tre  tan phu", dia_diem="Xa Phu Lam"),
         line("734", 11, "b.xlsx", co_so="HTX Mây tre Tân Phú", dia_diem="Xã Phú Lâm", hoat_dong="MO_HINH")]
    plan = plan_of([submission("731", "a.xlsx", a), submission("734", "b.xlsx", b)])
    dups = [i for i in plan.issues if i.code == "duplicate-across-units"]
    assert [(i.file, i.row) for i in dups] == [("b.xlsx", 9), ("b.xlsx", 10)]
    assert "a.xlsx" in dups[0].detail and "dòng 7" in dups[0].detail and "734" in dups[0].detail
    for lang in ("vi", "en"):  # issue 16: the activity by its name
        assert "MAY_MOC" not in dups[0].render(lang)
        assert "Ứng dụng máy móc thiết bị tiên tiến" in dups[0].render(lang)
    assert all(i.severity == Severity.WARNING for i in dups)
    assert len(plan.lines) == 5  # a warning: lines stay accepted


def test_same_facility_twice_in_one_unit_is_not_a_cross_unit_duplicate():
    a = [line("731", 7, "a.xlsx", mst="0100109106"), line("731", 8, "a.xlsx", mst="0100109106")]
    plan = plan_of([submission("731", "a.xlsx", a)])
    assert "duplicate-across-units" not in codes(plan)


def test_invalid_tax_code_falls_back_to_name_and_commune():
    assert facility_key(line("1", 1, "f", co_so="Cơ sở A", mst="0100109107", dia_diem="Xã B")) == "ten:co so a|xa b"
    assert facility_key(line("1", 1, "f", mst="0100109106")) == "mst:0100109106"
    assert facility_key(line("1", 1, "f")) is None


money = st.integers(min_value=0, max_value=5_000_000_000_000)


@st.composite
def submissions(draw):
    files = []
    for unit in draw(st.lists(st.sampled_from([u.code for u in UNITS]), unique=True)):
        name = f"{unit}.xlsx"
        amounts = draw(st.lists(st.tuples(money, money, money, money), max_size=8))
        lines = [PlanLine(ten_de_an="x", hoat_dong="MAY_MOC", tong=sum(a), kcqg=a[0], kcdp=a[1], doi_ung=a[2],
                          khac=a[3], unit_code=unit, file=name, sheet="Đăng ký", row=7 + i, sha256="0" * 64)
                 for i, a in enumerate(amounts)]
        files.append(submission(unit, name, lines))
    return files


@settings(max_examples=150, deadline=None)
@given(submissions())
def test_conservation_every_total_to_the_dong_and_every_line_once(files):
    plan = plan_of(files)
    inputs = [ln for f in files for ln in f.lines]
    for key in ("tong", "kcqg", "kcdp", "doi_ung", "khac"):
        assert plan.totals[key] == sum(getattr(ln, key) for ln in inputs)
    seen = sorted((ln.unit_code, ln.file, ln.row) for ln in plan.lines)
    assert seen == sorted((f.unit_code, f.path, ln.row) for f in files for ln in f.lines)
    assert len(set(seen)) == len(seen)


# --- trust: who a submission belongs to (kc_excel.consolidate.trust) ---------------------------------

def _signed(unit, file, identity, **options):
    return replace(submission(unit, file, [line(unit, 7, file)], **options), identity=identity)


def test_a_signed_file_is_never_superseded_by_a_newer_unsigned_or_legacy_one():
    signed = _signed("734", "ky.xlsx", "ok", created=T0)
    unsigned = _signed("734", "moi.xlsx", "unsigned", created=datetime(2099, 1, 1))
    legacy = _signed("734", "cu.xlsx", "legacy", created=datetime(2098, 1, 1))
    plan = plan_of([unsigned, signed, legacy])
    rows = {u.file: u.status for u in plan.units if u.code == "734"}
    assert rows == {"ky.xlsx": VALID, "moi.xlsx": SUPERSEDED, "cu.xlsx": SUPERSEDED}
    assert [ln.file for ln in plan.lines] == ["ky.xlsx"]


def test_a_file_whose_identity_failed_is_nobodys():
    mismatch = make_issue("template-identity-mismatch", "x", file="gia.xlsx", sheet="_kc")
    genuine = _signed("734", "that.xlsx", "ok", created=T0)
    forged = _signed("734", "gia.xlsx", "mismatch", created=T0 + timedelta(days=9), issues=[mismatch])
    plan = plan_of([genuine, forged])
    assert ("734", VALID, "that.xlsx") in statuses(plan)
    assert (None, HAS_ERRORS, "gia.xlsx") in statuses(plan) and "superseded-version" not in codes(plan)


def test_one_failing_signature_is_the_files_own_not_the_keys():
    issue = make_issue("template-identity-mismatch", "x", file="a.xlsx", sheet="_kc")
    alone = [_signed("734", "a.xlsx", "bad-signature", issues=[issue]), _signed("739", "b.xlsx", "unsigned")]
    assert "signing-key-mismatch" not in codes(plan_of(alone))
    with_good = [*alone, _signed("731", "c.xlsx", "ok"), _signed("739", "d.xlsx", "bad-signature", issues=[issue])]
    assert "signing-key-mismatch" not in codes(plan_of(with_good))  # a file verifies: the key is right
    all_bad = [alone[0], _signed("739", "d.xlsx", "bad-signature", issues=[issue])]
    plan = plan_of(all_bad)
    assert codes(plan).count("signing-key-mismatch") == 1 and "template-identity-mismatch" not in codes(plan)


@pytest.mark.parametrize("changes", [{"tong": -1}, {"kcdp": 1.5}, {"khac": True}, {"thang_bat_dau": 13},
                                     {"thang_ket_thuc": 0}, {"row": 0}, {"so_luong": Decimal("NaN")}])
def test_a_plan_line_refuses_what_a_plan_cannot_hold(changes):
    """Money is non-negative integer đồng and months are 1-12 in every PlanLine, however it is built."""
    with pytest.raises(ValueError):
        PlanLine(ten_de_an="x", hoat_dong="MAY_MOC", **changes)


def test_a_line_read_with_errors_keeps_its_values_and_placing_a_line_keeps_its_own():
    faulty = PlanLine.as_read(ten_de_an="x", hoat_dong="MAY_MOC", thang_bat_dau=13, row=9)
    assert (faulty.thang_bat_dau, faulty.row, faulty.tong, faulty.unit_code) == (13, 9, 0, None)
    with pytest.raises(TypeError):
        PlanLine.as_read(ten_de_an="x", hoat_dong="MAY_MOC", source="old form")
    placed = line("734", 7, "a.xlsx").placed(unit_code="739", file="thu.eml/a.xlsx")
    assert (placed.unit_code, placed.file, placed.row, placed.tong) == ("739", "thu.eml/a.xlsx", 7, 100_000_000)
    negative = PlanLine.as_read(ten_de_an="x", hoat_dong="MAY_MOC", doi_ung=-50_000_000, row=9)
    assert negative.placed(unit_code="739", file="b.xlsx").doi_ung == -50_000_000  # kept as read: a round's diff
    with pytest.raises(TypeError):
        placed.placed(tong=1)  # placing sets where a line came from, never what it says
    assert PlanLine(ten_de_an="x", hoat_dong="MAY_MOC", so_luong=2).so_luong == Decimal(2)


def test_two_versions_ordered_only_by_file_time_are_said_with_what_the_choice_is_worth():
    """Same template (same ngay_tao) sent twice with different figures: the newer file time wins, and a
    warning names both files and their totals instead of a silent choice."""
    first = replace(submission("734", "a.xlsx", [line("734", 7, "a.xlsx", tong=75_250_000)], mtime=2.0),
                    sha256="01" * 32)
    second = replace(submission("734", "a (1).xlsx", [line("734", 7, "a (1).xlsx", tong=95_250_000)], mtime=1.0),
                     sha256="02" * 32)
    plan = plan_of([first, second])
    [issue] = [i for i in plan.issues if i.code == "version-order-uncertain"]
    assert (issue.file, issue.value) == ("a (1).xlsx", "a.xlsx")
    assert "dùng a.xlsx (tổng 75,25 triệu), bỏ a (1).xlsx (tổng 95,25 triệu)" in issue.detail
    assert "a.xlsx used (total 75.25 million)" in issue.detail_en
    later = replace(second, created=T0.replace(hour=9))  # a newer template: its order is certain
    assert not [i for i in plan_of([first, later]).issues if i.code == "version-order-uncertain"]
    same = replace(second, sha256=first.sha256)  # the same bytes twice: nothing to choose
    assert not [i for i in plan_of([first, same]).issues if i.code == "version-order-uncertain"]
