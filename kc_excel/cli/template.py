"""`kc-excel template registration|programme|results`: write the templates of contract §2.1-2.3.

The catalogue, the template writer (openpyxl) and the mail drafts are imported
inside the commands: every ``kc-excel`` run imports this module to register the
commands, and only ``template`` needs them.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from kc_excel.cli.app import template_app
from kc_excel.cli.examples import example
from kc_excel.cli.common import EXIT_DATA_ERRORS, EXIT_OK, err, out, plan_year, say
from kc_excel.errors import ConfigError, TemplateError
from kc_excel.i18n import tr

_PROVINCE = typer.Option(..., "--province", "-p",
                         help="Tỉnh: tên (có/không dấu, có/không 'Tỉnh') hoặc mã. Province name or code.")
_OUTPUT = typer.Option(..., "--output", "-o", help="Tệp kết quả (.xlsx), hoặc thư mục với --all. Output file or folder.")


def _level(value: str) -> tuple[str, str]:
    """The ``_kc.cap_don_vi`` level code and the province era of ``--level``."""
    from kc_excel.workbook.layout import Level

    levels = {"commune": (Level.COMMUNE, "new"), "district": (Level.DISTRICT, "old")}
    if value not in levels:
        raise ConfigError(f"--level '{value}' không hợp lệ: dùng commune (xã, phường, từ 2026) "
                          "hoặc district (huyện, trước 2026).",
                          message_en=f"--level '{value}' is invalid: use commune or district.")
    return levels[value]


def _province_key() -> bytes | None:
    """The centre's signing key (created on first use); unsigned templates if it cannot be stored.

    A damaged key file (empty, too short, not hex) stops the command (ConfigError, exit 2): templates
    signed with it, or unsigned ones, would all fail or weaken verification later."""
    from kc_excel import settings
    from kc_excel.signing import load_or_create_key

    try:
        return load_or_create_key(settings.config_dir(os.environ))
    except OSError as error:
        say(f"Cảnh báo: không tạo được khóa ký biểu mẫu ({error}); biểu mẫu sẽ không có chữ ký.",
            f"Warning: cannot create the signing key ({error}); templates will be unsigned.")
        return None


def _deadline(value: str | None, year: int) -> date:
    from kc_excel import mail

    if value is None:
        return mail.default_deadline(year)
    try:
        due = date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--deadline '{value}' không hợp lệ: nhập ngày dạng YYYY-MM-DD, ví dụ {year - 1}-05-20.",
                          message_en=f"--deadline '{value}' is invalid: use YYYY-MM-DD.") from None
    if due < date.today():
        say(f"Cảnh báo: hạn gửi lại {due:%d/%m/%Y} đã qua.", f"Warning: the deadline {due:%d/%m/%Y} is past.")
    return due


@template_app.command("registration", epilog=example(
    "kc-excel template registration -p \"Đồng Nai\" -y 2026 -u \"Xã An Phước\" -o DangKy_AnPhuoc.xlsx",
    "kc-excel template registration -p \"Đồng Nai\" -y 2026 --all -o phieu/ --contacts DanhBa.xlsx"))
def registration(
    province: str = _PROVINCE,
    year: int = typer.Option(..., "--year", "-y", help="Năm kế hoạch (2000-2100). Plan year.", callback=plan_year),
    output: Path = _OUTPUT,
    unit: Optional[str] = typer.Option(None, "--unit", "-u", help="Đơn vị (xã, phường hoặc huyện): tên hoặc mã. Unit."),
    all_units: bool = typer.Option(False, "--all", help="Một tệp cho mỗi đơn vị của tỉnh vào thư mục -o. One file per unit."),
    level: str = typer.Option("commune", "--level",
                              help="commune: xã, phường sau 2025 (mặc định); district: huyện trước 2025."),
    contacts: Optional[Path] = typer.Option(None, "--contacts",
                                            help="Danh bạ (.xlsx: Đơn vị | Email | Người liên hệ): viết thư nháp .eml."),
    deadline: Optional[str] = typer.Option(None, "--deadline",
                                           help="Hạn gửi lại (YYYY-MM-DD); mặc định 20/05 năm trước năm kế hoạch."),
) -> None:
    """Phiếu đăng ký kế hoạch khuyến công (bảng DangKy) cho một đơn vị hoặc mọi đơn vị (--all).

    Registration template for one unit, or for every unit of the province with --all.
    """
    from kc_excel import catalog
    from kc_excel.workbook import templates

    level_code, era = _level(level)
    found = catalog.find_province(province, era=era)
    key = _province_key()
    if all_units:
        _all(found, year, output, level_code, key, contacts, deadline)
        return
    if unit is None:
        raise ConfigError("Cần --unit (một đơn vị) hoặc --all (mọi đơn vị của tỉnh).",
                          message_en="Give --unit (one unit) or --all (every unit of the province).")
    target = catalog.find_unit(found, unit, level=level_code)
    from kc_excel.outputs import make_way
    from kc_excel.workbook.layout import Kind

    make_way(output, (Kind.REGISTRATION,), blank=True)  # only an earlier registration is replaced (kept as .bak)
    path = templates.write_registration(output, found, target, year, key=key)
    say(f"Đã tạo phiếu đăng ký {target.name} năm {year}: {path}", f"Wrote the registration of {target.name}: {path}")
    raise typer.Exit(EXIT_OK)


def _all(province, year: int, out_dir: Path, level: str, key: bytes, contacts: Path | None,
         deadline: str | None) -> None:
    from kc_excel import mail
    from kc_excel.workbook import templates

    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"Với --all, -o phải là một thư mục: {out_dir} là một tệp.",
                          message_en=f"With --all, -o must be a folder: {out_dir} is a file.")
    people = mail.read_contacts(contacts) if contacts else None
    due = _deadline(deadline, year) if contacts else None
    from kc_excel.outputs import make_way
    from kc_excel.workbook.layout import Kind

    written = templates.write_all_registrations(out_dir, province, year, level=level, key=key,
                                                before_write=lambda path: make_way(path, (Kind.REGISTRATION,), blank=True))
    out.print(tr(f"Đã tạo {len(written)} phiếu đăng ký năm {year} của {province.name} trong {out_dir}",
                 f"Wrote {len(written)} registration templates for {year} of {province.name} into {out_dir}"))
    if people is None:
        raise typer.Exit(EXIT_OK)
    matched, unknown, problems = mail.check_contacts(people, province, level)
    missing = []
    for unit, path in written:
        contact = matched.get(unit.code)
        if contact is None:
            missing.append(unit.name)
            continue
        message = mail.draft(unit, contact, path, year=year, province=province, deadline=due)
        mail.write_eml(message, path.with_suffix(".eml"))
    out.print(tr(f"Đã viết {len(written) - len(missing)} thư nháp .eml (hạn gửi lại {due:%d/%m/%Y}).",
                 f"Wrote {len(written) - len(missing)} .eml drafts (deadline {due:%d/%m/%Y})."))
    if missing:
        out.print(tr(f"{len(missing)} đơn vị chưa có địa chỉ thư: ", f"{len(missing)} units without e-mail: ")
                  + ", ".join(missing))
    for contact in unknown:
        err.print(tr(f"Danh bạ dòng {contact.row}: '{contact.unit}' không phải đơn vị của {province.name}; bỏ qua.",
                     f"Contacts row {contact.row}: '{contact.unit}' is not a unit of {province.name}; skipped."))
    for problem in problems:
        err.print(problem.message())
    raise typer.Exit(EXIT_DATA_ERRORS if problems else EXIT_OK)


@template_app.command("programme", epilog=example(
    "kc-excel template programme -p \"Đồng Nai\" --from-year 2026 --to-year 2030 -o ChiTieu_2026_2030.xlsx"))
def programme(
    province: str = _PROVINCE,
    from_year: int = typer.Option(..., "--from-year", help="Năm đầu giai đoạn. First year.", callback=plan_year),
    to_year: int = typer.Option(..., "--to-year", help="Năm cuối giai đoạn. Last year.", callback=plan_year),
    output: Path = _OUTPUT,
    era: Optional[str] = typer.Option(None, "--era",
                                      help="old: tỉnh trước 2025-07; new: tỉnh sau sáp nhập. Mặc định theo Từ năm."),
) -> None:
    """Chỉ tiêu chương trình khuyến công giai đoạn (bảng ChiTieu). Programme targets template."""
    from kc_excel import catalog
    from kc_excel.workbook import templates

    if to_year < from_year:
        raise TemplateError(f"--to-year {to_year} trước --from-year {from_year}.",
                            message_en=f"--to-year {to_year} is before --from-year {from_year}.")
    found = catalog.find_province(province, era=_era(era, from_year))
    from kc_excel.outputs import make_way
    from kc_excel.workbook.layout import Kind

    make_way(output, (Kind.PROGRAMME,), blank=True)  # only an earlier programme template is replaced (kept as .bak)
    path = templates.write_programme(output, found, from_year, to_year)
    say(f"Đã tạo biểu chỉ tiêu chương trình {from_year}-{to_year}: {path}", f"Wrote the programme template: {path}")
    raise typer.Exit(EXIT_OK)


@template_app.command("results", epilog=example(
    "kc-excel template results -p \"Đồng Nai\" -o KetQua_2026.xlsx"))
def results(
    province: str = _PROVINCE,
    output: Path = _OUTPUT,
    era: str = typer.Option("new", "--era", help="new: tỉnh sau sáp nhập (mặc định); old: tỉnh trước 2025-07."),
) -> None:
    """Báo cáo kết quả thực hiện (bảng KetQua). Results template."""
    from kc_excel import catalog
    from kc_excel.workbook import templates

    found = catalog.find_province(province, era=_era(era, None))
    from kc_excel.outputs import make_way
    from kc_excel.workbook.layout import Kind

    make_way(output, (Kind.RESULTS,), blank=True)  # only an earlier results template is replaced (kept as .bak)
    path = templates.write_results(output, found)
    say(f"Đã tạo biểu báo cáo kết quả: {path}", f"Wrote the results template: {path}")
    raise typer.Exit(EXIT_OK)


def _era(value: str | None, from_year: int | None) -> str:
    if value is None:
        return "old" if from_year is not None and from_year < 2026 else "new"
    if value not in ("old", "new"):
        raise ConfigError(f"--era '{value}' không hợp lệ: dùng old hoặc new.",
                          message_en=f"--era '{value}' is invalid: use old or new.")
    return value
