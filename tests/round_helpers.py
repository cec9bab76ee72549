"""Submissions and helpers for the collection-round tests (real template files, CLI in process)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import jsonschema

from kc_excel.cli import main

from consolidate_helpers import T0, district, machine_line, registration

SCHEMA = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "schemas" / "round.schema.json"
VIETNAM = timezone(timedelta(hours=7))
DEADLINE = "2021-05-20"
TAN_PHU, CAM_MY, XUAN_LOC = district("Tân Phú"), district("Cẩm Mỹ"), district("Xuân Lộc")
DINH_QUAN, THONG_NHAT = district("Định Quán"), district("Thống Nhất")


def check_schema(document: dict) -> None:
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(document)


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main(["round", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys, *args: object) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code in (0, 1), err
    document = json.loads(out)
    return document


def at(path: Path, day: int, hour: int = 10) -> Path:
    """Set the file's modification time to ``day`` May 2021, ``hour`` o'clock Vietnam time."""
    stamp = datetime(2021, 5, day, hour, tzinfo=VIETNAM).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def submission(folder: Path, unit, lines: list[dict], *, day: int, name: str | None = None,
               created: datetime = T0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return at(registration(folder, unit, lines, created=created, name=name), day)


def email_with(path: Path, target: Path, *, sender: str, day: int) -> Path:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "ttkc@dongnai.example"
    message["Subject"] = "Gửi phiếu đăng ký"
    message["Date"] = format_datetime(datetime(2021, 5, day, 9, tzinfo=VIETNAM))
    message.set_content("Kính gửi Trung tâm.")
    message.add_attachment(path.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=path.name)
    target.write_bytes(bytes(message))
    return target


def faulty_line(unit) -> dict:
    """A line with an unknown activity code (error ``unknown-activity``)."""
    return machine_line(unit, 1, hoat_dong="KHONG_CO_MA_NAY")


def open_round(capsys, folder: Path) -> None:
    code, out, err = run(capsys, "open", folder, "--province", "Đồng Nai", "--year", "2022", "--deadline", DEADLINE,
                         "--level", "district", "--by", "Nguyễn An")
    assert code == 0, err


def register_rows(folder: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(folder / "so-theo-doi.sqlite") as db:
        return db.execute(sql).fetchall()


__all__ = ["CAM_MY", "DEADLINE", "DINH_QUAN", "TAN_PHU", "THONG_NHAT", "XUAN_LOC", "at", "check_schema",
           "email_with", "faulty_line", "machine_line", "open_round", "register_rows", "run", "run_json", "submission"]
