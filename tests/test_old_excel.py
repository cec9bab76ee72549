"""Old Excel: every formula in every workbook kc-excel writes works in Excel 2010 (no newer functions, no spills)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from kc_excel import catalog
from kc_excel.cli import main
from kc_excel.workbook import templates
from kc_excel.workbook.compat import forbidden_functions, functions_in, iter_formulas

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DIRS = [ROOT / "workbooks"]
EXAMPLES = ROOT / "workbooks" / "examples"


def outputs_of_the_commands(tmp_path: Path) -> list[Path]:
    """The workbooks the other commands write: a consolidated plan, an attainment report, an annotated copy."""
    plan, report, marked = tmp_path / "plan.xlsx", tmp_path / "danh-gia.xlsx", tmp_path / "danh-dau.xlsx"
    assert main(["consolidate", str(EXAMPLES), "--province", "Đồng Nai", "--year", "2022", "--level",
                 "district", "-o", str(plan), "--no-cache"]) in (0, 1)
    assert main(["attainment", "--programme", str(EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx"), "--results",
                 str(EXAMPLES / "KetQua_DongNai_2021-2023.xlsx"), "--as-of", "2023-12", "-o", str(report),
                 "--plan", str(plan)]) == 0
    assert main(["validate", str(EXAMPLES / "DangKy_2022_738_Huyen-Thong-Nhat_loi.xlsx"),
                 "--annotate", str(marked)]) == 1
    return [plan, report, marked]


def written_by_us(tmp_path: Path) -> list[Path]:
    """Fresh templates of each kind, every command's output workbook, and every workbook shipped."""
    new, old = catalog.find_province("Đồng Nai"), catalog.find_province("Đồng Nai", era="old")
    fresh = [
        templates.write_registration(tmp_path / "r.xlsx", new, catalog.units_of(new, level="xa")[0], 2026),
        templates.write_registration(tmp_path / "h.xlsx", old, catalog.units_of(old, level="huyen")[0], 2022),
        templates.write_programme(tmp_path / "p.xlsx", old, 2021, 2025),
        templates.write_results(tmp_path / "k.xlsx", old),
    ]
    shipped = [p for d in SHIPPED_DIRS if d.exists() for p in sorted(d.rglob("*.xls[xm]"))
               if not p.name.startswith("~$")]
    return fresh + outputs_of_the_commands(tmp_path) + shipped


def test_scanner_finds_new_functions_prefixes_and_spills(tmp_path):
    path = tmp_path / "new.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = '=XLOOKUP(1,B:B,C:C)'
    ws["A2"] = '=_xlfn.IFS(B1>0,"a",TRUE,"b")'
    ws["A3"] = '=IF(B1="XLOOKUP(",1,SUM(B1:B2))'  # a function name inside a string is no call
    ws["A4"] = "=IFNA(B1,0)"
    rule = FormulaRule(formula=["SWITCH(B1,1,TRUE,FALSE)"], font=Font(bold=True))
    ws.conditional_formatting.add("B1:B9", rule)
    check = DataValidation(type="custom", formula1="MAXIFS(C:C,B:B,B1)>0")
    ws.add_data_validation(check)
    check.add("C1:C9")
    wb.save(path)
    _inject_spill(path, "A5", "_xlfn._xlws.SORT(B1:B3)")
    found = forbidden_functions(path)
    assert ("Sheet", "A1", "XLOOKUP") in found
    assert ("Sheet", "A2", "_XLFN.IFS") in found and ("Sheet", "A4", "IFNA") in found
    assert ("Sheet", "A5", "dynamic-array") in found
    assert ("Sheet", "B1:B9", "SWITCH") in found and ("Sheet", "C1:C9", "MAXIFS") in found
    assert not [f for f in found if f[1] == "A3"]


def _inject_spill(path: Path, cell: str, formula: str) -> None:
    """Add a cell carrying dynamic-array metadata (cm="1"), as Excel 365 writes a spilled formula."""
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                row = f'<row r="5"><c r="{cell}" cm="1"><f t="array" ref="{cell}">{formula}</f></c></row>'
                data = data.replace(b"</sheetData>", row.encode() + b"</sheetData>")
            target.writestr(item, data)
    shutil.move(temp, path)


def test_functions_in_skips_strings_and_keeps_prefixes():
    assert functions_in('=SUBTOTAL(109,K7:K36)') == ["SUBTOTAL"]
    assert functions_in('=IF(A1="SUM(",_xlfn.CONCAT(A1,B1),0)') == ["IF", "_XLFN.CONCAT"]


def test_every_written_workbook_is_excel_2010_clean(tmp_path):
    paths = written_by_us(tmp_path)
    assert len(paths) >= 4 + 3 + 13
    formulas = {p.name: sum(1 for _ in iter_formulas(p)) for p in paths[4:7]}
    assert all(formulas.values()), formulas  # the plan, the report and the copy really hold formulas to check
    problems = {str(p.name): forbidden_functions(p) for p in paths}
    assert {name: found for name, found in problems.items() if found} == {}


def test_scan_covers_cells_validations_and_conditional_formats(tmp_path):
    """The scanner really reads the formulas of our templates (else the clean result above proves nothing)."""
    new = catalog.find_province("Đồng Nai")
    path = templates.write_registration(tmp_path / "r.xlsx", new, catalog.units_of(new, level="xa")[0], 2026)
    formulas = [f for _, _, f, _ in iter_formulas(path)]
    assert sum("SUBTOTAL(109," in f for f in formulas) == 10  # cells and the table's totalsRowFormula
    assert "DS_HoatDong" in formulas  # the list validation's source
    assert any(f.startswith("AND(ISNUMBER(") for f in formulas)  # the conditional number format
    assert any(f.startswith("'_ds'!$") for f in formulas)  # the defined names


@pytest.mark.libreoffice
def test_templates_open_cleanly_in_libreoffice(soffice, tmp_path):
    from kc_excel.libreoffice import convert
    for path in written_by_us(tmp_path)[:4]:
        converted = convert(path, "ods", tmp_path / "ods")
        assert converted.stat().st_size > 1000
