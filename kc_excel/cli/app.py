"""The typer application objects; command modules register themselves on them."""

from __future__ import annotations

import typer

from kc_excel.cli.examples import example

HELP = (
    "kc-excel: biểu mẫu, kiểm tra, tổng hợp và đánh giá kế hoạch khuyến công.\n\n"
    "Excel tooling for the khuyến công programme: templates, validation, consolidation, attainment."
)

app = typer.Typer(help=HELP, epilog=example("kc-excel validate DangKy_AnPhuoc.xlsx",
                                 'kc-excel consolidate phieu/ --province "Đồng Nai" --year 2026 -o KeHoach_2026.xlsx'),
                  no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None)
template_app = typer.Typer(help="Tạo biểu mẫu (đăng ký, chương trình, kết quả). Write templates.",
                           epilog=example('kc-excel template registration -p "Đồng Nai" -y 2026 --all -o phieu/'),
                           no_args_is_help=True, rich_markup_mode=None)
addin_app = typer.Typer(help="Add-in Excel: build và cài đặt. Build and install the Excel add-in.",
                        epilog=example("kc-excel addin build", "kc-excel addin install"),
                        no_args_is_help=True, rich_markup_mode=None)
app.add_typer(template_app, name="template")
app.add_typer(addin_app, name="addin")
