"""Diffs between a unit's versions use every line read, those with an error too (issue 17)."""

from __future__ import annotations

import json

from kc_excel.rounds.diff import diff_versions

from round_helpers import (TAN_PHU, check_schema, faulty_line, machine_line, open_round, register_rows, run,
                           run_json, submission)


def test_lines_with_errors_are_added_and_changed_never_dropped(tmp_path, capsys):
    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    one, two = machine_line(TAN_PHU, 1), machine_line(TAN_PHU, 2)
    v1 = submission(tmp_path / "v1", TAN_PHU, [one, two], day=19)
    bad = faulty_line(TAN_PHU) | {"stt": 3, "ten_de_an": "Đề án mã sai", "co_so": "Cơ sở mới", "tong": 100,
                                  "kcdp": 40, "doi_ung": 60}
    v2 = submission(tmp_path / "v2", TAN_PHU, [one, two, bad], day=20)
    broken = machine_line(TAN_PHU, 1, doi_ung=300)  # 150 + 300 ≠ 400: an error on an accepted line
    v3 = submission(tmp_path / "v3", TAN_PHU, [broken, two], day=21)
    assert run(capsys, "receive", dot, v1)[0] == 0
    code, out, _ = run(capsys, "receive", dot, v2)
    assert code == 1
    assert ("lần 2: 1 dòng thêm, 0 dòng bỏ, 0 ô thay đổi; tổng kinh phí 800 → 900 triệu "
            "(mọi dòng đọc được, kể cả dòng có lỗi: 0 → 1 dòng)") in out
    diff = run_json(capsys, "diff", dot, "--unit", TAN_PHU.code)
    check_schema(diff)
    assert [(l["ten_de_an"], l["has_errors"]) for l in diff["added"]] == [("Đề án mã sai", True)]
    assert (diff["total_after"], diff["lines_with_errors_after"]) == (900_000_000, 1)

    code, out, _ = run(capsys, "receive", dot, v3)
    assert code == 1 and "lần 3: 0 dòng thêm, 1 dòng bỏ, 1 ô thay đổi" in out
    diff = run_json(capsys, "diff", dot, "--unit", TAN_PHU.code, "--from", 1, "--to", 3)
    check_schema(diff)
    assert diff["added"] == diff["removed"] == []  # the broken line is changed, not removed
    assert [(c["column"], c["old"], c["new"]) for c in diff["changed"]] == [
        ("Vốn đối ứng (triệu đồng)", 250_000_000, 300_000_000)]
    stored = [json.loads(lines) for (lines,) in register_rows(dot, "SELECT lines FROM version ORDER BY id")]
    assert [[l["has_errors"] for l in lines] for lines in stored] == [[False, False], [False, False, True],
                                                                      [True, False]]
    assert [u for u in run_json(capsys, "status", dot)["units"] if u["code"] == TAN_PHU.code][0]["errors"] == 1


def test_the_summary_says_what_the_totals_cover():
    old = [{"hoat_dong": "MAY_MOC", "ten_de_an": "A", "tong": 100, "has_errors": False}]
    new = old + [{"hoat_dong": "MAY_MOC", "ten_de_an": "B", "tong": 50, "has_errors": True}]
    change = diff_versions("734", 1, old, 2, new)
    assert change.summary("Tân Phú").endswith("(mọi dòng đọc được, kể cả dòng có lỗi: 0 → 1 dòng)")
    assert "lines with errors included: 0 → 1" in change.summary_en()
    assert "kể cả" not in diff_versions("734", 1, old, 2, old).summary()


def test_a_line_whose_values_fail_the_plan_model_is_still_read(tmp_path, capsys):
    dot = tmp_path / "DOT"
    open_round(capsys, dot)
    one = machine_line(TAN_PHU, 1)
    assert run(capsys, "receive", dot, submission(tmp_path / "v1", TAN_PHU, [one], day=19))[0] == 0
    odd = one | {"thang_bat_dau": 13, "so_luong": "nhiều"}  # a month and a quantity no PlanLine accepts
    code, out, _ = run(capsys, "receive", dot, submission(tmp_path / "v2", TAN_PHU, [odd], day=20))
    assert code == 1 and "lần 2: 0 dòng thêm, 0 dòng bỏ" in out
    [(lines,)] = register_rows(dot, "SELECT lines FROM version WHERE number = 2")
    [line] = json.loads(lines)
    assert (line["ten_de_an"], line["tong"], line["has_errors"]) == (one["ten_de_an"], 400_000_000, True)
    assert line["thang_bat_dau"] == 13 and line["so_luong"] is None  # as read: the month kept, "nhiều" no number
    assert line["thang_ket_thuc"] == one["thang_ket_thuc"]  # the valid cells of the line are kept too


def test_totals_are_written_with_each_languages_marks():
    old = [{"hoat_dong": "MAY_MOC", "ten_de_an": "A", "tong": 2_371_500_000, "has_errors": False}]
    new = [{"hoat_dong": "MAY_MOC", "ten_de_an": "A", "tong": 1_561_000_000, "has_errors": False}]
    change = diff_versions("734", 1, old, 2, new)
    assert "tổng kinh phí 2.371,5 → 1.561 triệu" in change.summary("Tân Phú")
    assert "total 2,371.5 → 1,561 million" in change.summary_en()


def test_a_changed_line_with_an_error_says_so():
    old = [{"hoat_dong": "MAY_MOC", "ten_de_an": "A", "tong": 600_000_000, "row": 7, "has_errors": False}]
    new = [{"hoat_dong": "MAY_MOC", "ten_de_an": "A", "tong": 0, "row": 7, "has_errors": True}]  # "sáu trăm"
    [change] = diff_versions("734", 1, old, 2, new).changed
    assert change.line == "A (dòng 7, có lỗi)"
