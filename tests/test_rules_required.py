"""required-missing: Tên đề án, Hoạt động, and Cơ sở thụ hưởng for activities that support a facility."""

from __future__ import annotations

from builders import build_registration, clean_machine_row, clean_training_row, validate_built

SHEET = "Đăng ký"


def test_required_missing(tmp_path):
    rows = [
        clean_machine_row(),
        clean_machine_row(stt=2, ten_de_an=None),                      # B3
        clean_training_row(stt=3, hoat_dong=None),                     # C4
        clean_machine_row(stt=4, ten_de_an="Máy sấy", co_so=None),     # E5: MAY_MOC supports a facility
        clean_training_row(stt=5, co_so=None),                         # training: no facility needed
    ]
    built = build_registration(tmp_path / "req.xlsx", rows)
    assert validate_built(built).flatten("sheet", "cell", "code") == [
        (SHEET, built.cell("ten_de_an", 1), "required-missing"),
        (SHEET, built.cell("hoat_dong", 2), "required-missing"),
        (SHEET, built.cell("co_so", 3), "required-missing"),
    ]
    facility = validate_built(built).issues[-1]
    for lang in ("vi", "en"):  # issue 16: the activity's name, not its code
        text = facility.render(lang)
        assert "“Ứng dụng máy móc thiết bị tiên tiến” " in text and "MAY_MOC" not in text, text


def test_required_missing_in_a_results_table():
    from kc_excel.validation.runner import validate_workbook
    from kc_excel.workbook.data import Cell, Record, Table, WorkbookData
    from kc_excel.workbook.layout import RESULTS

    sheet = RESULTS.sheet
    columns = {key: Cell(sheet, 3, i + 1, column.header) for i, (key, column) in enumerate(zip(RESULTS.keys, RESULTS.columns))}
    def record(row, values):
        return Record(sheet, row, {k: Cell(sheet, row, columns[k].col, v) for k, v in zip(RESULTS.keys, values)})
    table = Table(RESULTS, sheet, 3, columns, [record(4, ["CT01", 2021, 120, None]), record(5, ["CT02", 2022, None, "chưa có"])])
    data = WorkbookData("ketqua.xlsx", "0" * 64, "xlsx", [sheet], {"loai_bieu": "ket-qua"}, {"ket-qua": table})
    assert validate_workbook(data).flatten("sheet", "cell", "code") == [(sheet, "C5", "required-missing")]
