"""The centre's profile and PDFs: ``template profile``, ``profile use|show``, ``pdf FILE``, and the
``--profile`` / ``--pdf`` options every report command shares.

The remembered profile is a path stored in the user's config folder
(``profile.txt`` beside the signing key); it is read here, at the edge, and
passed to the writers as a :class:`~kc_excel.workbook.frame.Profile`.
"""

from __future__ import annotations

import os

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from kc_excel.cli.app import app, template_app
from kc_excel.cli.common import EXIT_OK, say
from kc_excel.cli.examples import example
from kc_excel.errors import ConfigError, InputError

if TYPE_CHECKING:
    from kc_excel.workbook.frame import Profile

REMEMBERED = "profile.txt"
PROFILE_OPTION_HELP = ("Tệp thông tin đơn vị (bảng ThongTinDonVi) cho khung văn bản: cơ quan, người ký… "
                       "Mặc định: tệp đã chọn bằng 'kc-excel profile use'. Centre profile for the document frame.")
profile_app = typer.Typer(help="Thông tin đơn vị cho khung văn bản (cơ quan, người ký). The centre's profile.",
                          no_args_is_help=True, rich_markup_mode=None,
                          epilog=example("kc-excel profile use DonVi.xlsx", "kc-excel profile show"))
app.add_typer(profile_app, name="profile")


def _remembered_file() -> Path:
    from kc_excel import settings

    return settings.config_dir(os.environ) / REMEMBERED


def load_profile(path: Optional[Path]) -> Profile | None:
    """``--profile`` when given, else the remembered one, else None (the frame keeps dotted lines)."""
    if path is not None:
        return _read_profile(path)
    remembered = _remembered_file()
    if not remembered.is_file():
        return None
    stored = Path(remembered.read_text(encoding="utf-8").strip())
    if not stored.is_file():
        say(f"Cảnh báo: không thấy tệp thông tin đơn vị đã chọn ({stored}); khung văn bản để trống.",
            f"Warning: the remembered profile {stored} is missing; the frame is left blank.")
        return None
    return _read_profile(stored)


def _read_profile(path: Path) -> Profile:
    """The profile workbook read (openpyxl is imported only when there is one to read)."""
    from kc_excel.workbook.profile import read_profile

    return read_profile(path)


@template_app.command("profile", help="Tạo tệp thông tin đơn vị (DonVi.xlsx, bảng ThongTinDonVi: Mục | Nội dung) "
                                      "để điền một lần. Write the centre's profile workbook to fill once.",
                       epilog=example("kc-excel template profile -o DonVi.xlsx"))
def template_profile(
    output: Path = typer.Option(..., "--output", "-o", help="Tệp kết quả (.xlsx). Output file."),
    empty: bool = typer.Option(False, "--empty", help="Không điền ví dụ Đồng Nai. Leave the values empty."),
) -> None:
    from kc_excel.outputs import make_way
    from kc_excel.workbook.layout import Kind
    from kc_excel.workbook.profile import write_profile_template

    if output.suffix.lower() != ".xlsx":
        raise ConfigError(f"Tệp phải có đuôi .xlsx: {output}", message_en=f"The file must be .xlsx: {output}")
    make_way(output, (Kind.PROFILE,), blank=True)  # only an unedited earlier profile is replaced (kept as .bak)
    written = write_profile_template(output, example=not empty)
    say(f"Đã ghi tệp thông tin đơn vị: {written}. Sửa cột 'Nội dung', rồi chạy: kc-excel profile use {written}",
        f"Profile written: {written}. Edit 'Nội dung', then run: kc-excel profile use {written}")
    raise typer.Exit(EXIT_OK)


@profile_app.command("use", help="Ghi nhớ tệp thông tin đơn vị cho người dùng này (mọi báo cáo dùng nó khi "
                                 "không có --profile). Remember this profile for this user.",
                     epilog=example("kc-excel profile use DonVi.xlsx"))
def profile_use(path: Path = typer.Argument(..., help="DonVi.xlsx")) -> None:
    profile = load_profile(path)  # refuse a file that cannot be read now, not at the next report
    remembered = _remembered_file()
    remembered.parent.mkdir(parents=True, exist_ok=True)
    remembered.write_text(str(path.resolve()), encoding="utf-8")
    say(f"Đã ghi nhớ {path.resolve()} ({profile.agency or 'chưa có tên cơ quan'}).",
        f"Remembered {path.resolve()}.")
    raise typer.Exit(EXIT_OK)


@profile_app.command("show", help="In thông tin đơn vị đang dùng. Show the profile in use.",
                     epilog=example("kc-excel profile show"))
def profile_show() -> None:
    from dataclasses import asdict

    from kc_excel.cli.common import print_json

    profile = load_profile(None)
    print_json(asdict(profile) if profile else None)
    raise typer.Exit(EXIT_OK)


def written_by_kc_excel(path: Path) -> bool:
    """True when the workbook's document properties name kc-excel as its author."""
    from kc_excel.foreign_errors import BROKEN_ZIP

    try:
        with zipfile.ZipFile(path) as book:
            core = book.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, *BROKEN_ZIP):
        return False
    return "<dc:creator>kc-excel</dc:creator>" in core


def pdf_beside(xlsx: Path) -> Path:
    """Write ``X.pdf`` beside ``X.xlsx`` through LibreOffice and say so."""
    from kc_excel.libreoffice import write_pdf

    document = write_pdf(xlsx, xlsx.with_suffix(".pdf"))
    say(f"Đã ghi PDF: {document}", f"PDF written: {document}")
    return document


@app.command("pdf", help="Xuất PDF (A4, đủ khung văn bản) của một bảng tính do kc-excel ghi, qua LibreOffice. "
                         "PDF of a workbook kc-excel wrote.",
              epilog=example("kc-excel pdf KeHoach_2026.xlsx -o KeHoach_2026.pdf"))
def pdf_command(path: Path = typer.Argument(..., help="Tệp .xlsx do kc-excel ghi."),
                output: Optional[Path] = typer.Option(None, "--output", "-o", help="Tệp PDF (mặc định cạnh tệp .xlsx).")
                ) -> None:
    from kc_excel.libreoffice import write_pdf

    if not path.is_file():
        raise InputError(f"Không tìm thấy tệp {path}.", path=path, message_en=f"File not found: {path}.")
    if not written_by_kc_excel(path):
        raise InputError(f"{path}: không phải bảng tính do kc-excel ghi; lệnh pdf chỉ xuất báo cáo của kc-excel.",
                         path=path, code="not-a-kc-workbook",
                         message_en=f"{path}: not a workbook written by kc-excel.")
    document = write_pdf(path, output or path.with_suffix(".pdf"))
    say(f"Đã ghi PDF: {document}", f"PDF written: {document}")
    raise typer.Exit(EXIT_OK)


def require_soffice() -> None:
    """Refuse ``--pdf`` before any work when LibreOffice is not installed."""
    from kc_excel.libreoffice import find_soffice

    if find_soffice() is None:
        raise ConfigError("Không tạo được PDF: chưa cài LibreOffice (soffice). Cài LibreOffice hoặc bỏ --pdf.",
                          message_en="Cannot write a PDF: LibreOffice (soffice) is not installed. Install it or drop --pdf.")
