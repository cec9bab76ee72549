"""The two round buttons ("Nhận phiếu vào đợt…", "Sổ theo dõi đợt") against xlwings' Book API (remote engine)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlwings as xw

from kc_excel import ribbon
from kc_excel.rounds.service import open_round

from round_helpers import CAM_MY, TAN_PHU, machine_line, register_rows, submission
from test_ribbon import actions, alerts, payload, remote_engine  # noqa: F401 - the remote engine fixture


def a_round(tmp_path: Path) -> Path:
    dot = tmp_path / "DOT"
    open_round(dot, province="Đồng Nai", year=2022, deadline=date(2021, 5, 20), level="district", by="test").close()
    return dot


def test_nhan_phieu_dot_receives_the_chosen_files_into_the_remembered_round(tmp_path):
    dot = a_round(tmp_path)
    one = submission(tmp_path / "in", TAN_PHU, [machine_line(TAN_PHU, 1)], day=19)
    two = submission(tmp_path / "in", CAM_MY, [machine_line(CAM_MY, 1)], day=19)
    book = xw.Book(json=payload(one, names={"KC_DOT": str(dot), "KC_TEP_NHAN": f"{one}|{two}|"}))
    ribbon.nhan_phieu_dot(book)
    [message] = alerts(book)
    assert "Huyện Tân Phú, lần 1: hợp lệ" in message and "Huyện Cẩm Mỹ, lần 1: hợp lệ" in message
    assert [a["args"][0] for a in actions(book, "nameDelete")] == ["KC_TEP_NHAN"]  # the round stays remembered
    assert sorted(register_rows(dot, "SELECT unit_code, number FROM version")) == \
        sorted([(TAN_PHU.code, 1), (CAM_MY.code, 1)])

    again = submission(tmp_path / "lan2", TAN_PHU, [machine_line(TAN_PHU, 1, tong=450, doi_ung=300)], day=21)
    book = xw.Book(json=payload(one, names={"KC_DOT": str(dot), "KC_TEP_NHAN": str(again)}))
    ribbon.nhan_phieu_dot(book)
    assert "Huyện Tân Phú, lần 2: 0 dòng thêm, 0 dòng bỏ, 2 ô thay đổi; tổng kinh phí 400 → 450 triệu" \
        in alerts(book)[0]


def test_so_theo_doi_dot_rewrites_the_view_and_names_it(tmp_path):
    dot = a_round(tmp_path)
    (dot / "SoTheoDoi.xlsx").unlink()
    book = xw.Book(json=payload(submission(tmp_path / "in", TAN_PHU, [machine_line(TAN_PHU, 1)], day=19),
                                names={"KC_DOT": str(dot)}))
    ribbon.so_theo_doi_dot(book)
    assert (dot / "SoTheoDoi.xlsx").is_file()
    # the remote engine cannot open a second book: the handler then names the file instead
    assert alerts(book) == [f"Sổ theo dõi đợt: {dot / 'SoTheoDoi.xlsx'}"]


def test_round_buttons_without_a_round_folder_say_so(tmp_path):
    book = xw.Book(json=payload(submission(tmp_path / "in", TAN_PHU, [machine_line(TAN_PHU, 1)], day=19),
                                names={"KC_TEP_NHAN": "x.xlsx"}))
    ribbon.nhan_phieu_dot(book)
    assert alerts(book) == ["Chưa chọn thư mục đợt: bấm lại nút trên thẻ Khuyến công."]
    book = xw.Book(json=payload(submission(tmp_path / "in", TAN_PHU, [machine_line(TAN_PHU, 1)], day=19),
                                names={"KC_DOT": str(tmp_path / "khong-phai-dot")}))
    ribbon.so_theo_doi_dot(book)
    assert "chưa phải thư mục đợt" in alerts(book)[0]
