"""From read workbooks (:class:`~kc_excel.workbook.data.WorkbookData`) to Targets, Results and stated figures.

No file access here: the caller reads the files (``read_workbook``) and hands
the data over; problems in the data become issues with their cell, and only a
workbook that is not a programme/results workbook at all raises
:class:`~kc_excel.errors.InputError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from kc_excel.attainment.checks import RATE, StatedFigure, check_stated, kind_of
from kc_excel.attainment.core import AttainmentReport, evaluate, merge_results
from kc_excel.attainment.owner import check_plan_file, check_results_file
from kc_excel.attainment.pace import AsOf
from kc_excel.attainment.schema import (RANGE_ORDER, RESULT_ROWS, TARGET_ROWS, TARGETS, UNIQUE_CODE, YEAR_ORDER,
                                        Slot, failures, frame_of)
from kc_excel.attainment.plan import compare_plan
from kc_excel.attainment.plan_file import read_plan_file
from kc_excel.attainment.report import ReportInfo
from kc_excel.units import (
    Readings, is_percent, percent_text, read_in_unit, report_unit, stated_exponent, stated_fraction_digits, to_report_unit,
)
from kc_excel.errors import InputError
from kc_excel.models import AGGREGATIONS, CUMULATIVE, DIRECTIONS, HIGHER_IS_BETTER, Result, Target
from kc_excel.numbers import float_to_decimal, format_vn, parse_number
from kc_excel.text import fold, match_option
from kc_excel.validation.issues import Issue, IssueCounts, Severity, make_issue
from kc_excel.workbook.data import Record, Table, WorkbookData
from kc_excel.workbook.layout import PROGRAMME, RESULTS, STATED_FIGURES, Kind, Meta, TableLayout

_DECIMALS = re.compile(r"[.,](\d+)\s*%?\s*$")


def find_table(data: WorkbookData, layout: TableLayout) -> Table | None:
    """The table of ``layout`` whatever key the reader filed it under."""
    for table in data.tables.values():
        if table.layout.table == layout.table:
            return table
    return None


def _require(data: WorkbookData, layout: TableLayout, kind: str, what: str, what_en: str) -> Table:
    table = find_table(data, layout)
    if data.kind not in (None, "", kind) or table is None:
        found = data.kind or "không rõ"
        raise InputError(f"{data.path}: không phải {what} (cần bảng {layout.table}; loại biểu: {found})",
                         path=data.path, code="not-a-kc-workbook",
                         message_en=f"{data.path}: not {what_en} (table {layout.table} needed; kind: {found})")
    return table


class _Row:
    """One record being converted: typed getters that leave issues with their cell."""

    def __init__(self, data: WorkbookData, table: Table, record: Record, issues: list[Issue],
                 readings: Readings | None = None) -> None:
        self.data, self.table, self.record, self.issues = data, table, record, issues
        self.readings = readings if readings is not None else Readings()
        self.ok = True
        self.keys: list[str] = []
        """The column key (or schema slot) of each problem, in the order found."""

    def where(self, key: str) -> dict[str, Any]:
        cell = self.record.cell(key)
        header = self.table.columns.get(key)
        return {"file": self.data.path, "sheet": self.record.sheet, "row": self.record.row,
                "cell": cell.ref if cell else self.table.column_ref(key, self.record.row),
                "column": header.value if header is not None else None, "value": self.record.value(key)}

    def problem(self, code: str, key: str, detail: str = "", *, error: bool = True,
                slot: str | None = None, detail_en: str | None = None) -> None:
        severity = None if error else Severity.WARNING
        self.issues.append(make_issue(code, detail, detail_en=detail_en, severity=severity, **self.where(key)))
        self.keys.append(slot or key)
        self.ok = self.ok and not error

    def failed(self, slot: Slot, detail: tuple[str, str]) -> None:
        """A failed schema check (:mod:`~kc_excel.attainment.schema`) of this row; ``detail`` (vi, en)."""
        self.problem(slot.code, slot.key, detail[0], slot=slot.name, detail_en=detail[1])

    def in_order(self, order: Sequence[str]) -> list[Issue]:
        """This row's issues (a row given its own issue list) in reading order: by column (or check) as
        ``order`` lists them."""
        ranked = sorted(zip(self.keys, self.issues), key=lambda pair: order.index(pair[0]))
        return [issue for _, issue in ranked]

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.record.value(key)
        text = None if value is None else str(value).strip() or None
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text is None and required:
            self.problem("required-missing", key)
        return text

    def number(self, key: str, *, required: bool = False) -> Decimal | None:
        value = self.record.value(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem("required-missing", key)
            return None
        try:
            return parse_number(value)
        except (ValueError, ArithmeticError) as problem:
            self.problem("not-a-number", key, str(problem))
            return None

    def quantity(self, key: str, unit: str | None, code: str | None, *, required: bool = False) -> Decimal | None:
        """A number read in the indicator's unit (:mod:`~kc_excel.units`), kept for the scale checks."""
        if self.number(key, required=required) is None:
            return None
        reading = read_in_unit(self.record.value(key), unit)
        self.readings.add(code, reading, self.where(key))
        return reading.value

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        """One option of a closed list, exactly (accents, case, tone style forgiven); else an issue naming them."""
        text = self.text(key)
        if text is None:
            return default
        chosen = match_option(text, options)
        if chosen is None:
            self.problem("invalid-value", key, f"'{text}' không phải một lựa chọn; dùng: {' | '.join(options)}")
            return default
        return chosen


_TARGET_ORDER = ("ma_chi_tieu", "chi_tieu", "toi_thieu", "toi_da", "chieu", "cong_don", "tu_nam", "den_nam",
                 YEAR_ORDER.name, RANGE_ORDER.name, UNIQUE_CODE.name)
"""A programme row's issues in the order its cells are read, then its schema's row checks."""
_RESULT_ORDER = ("ma_chi_tieu", "nam", "thuc_hien")


def read_programme(data: WorkbookData, readings: Readings | None = None) -> tuple[list[Target], list[Issue]]:
    """Targets of table ``ChiTieu``; rows that cannot be used are left out with an error.

    Each row's cells are parsed (:func:`_target_values`), then the years, the
    range and the codes checked by the schemas of :mod:`~kc_excel.attainment.schema`.
    Targets are read in their Đơn vị tính (``readings`` collects how) and
    money targets are given in triệu đồng, as the report shows them."""
    table = _require(data, PROGRAMME, Kind.PROGRAMME, "biểu chỉ tiêu chương trình", "a programme workbook")
    rows = [_Row(data, table, record, [], readings) for record in table.records]
    values = [_target_values(row) for row in rows]
    _check(TARGET_ROWS, rows, values)
    kept = [i for i, (row, v) in enumerate(zip(rows, values))
            if row.ok and v["ma_chi_tieu"] is not None and v["tu_nam"] is not None and v["den_nam"] is not None]
    codes = [values[i]["ma_chi_tieu"] for i in kept]
    for failure in failures(TARGETS, frame_of({"ma_chi_tieu": codes}, kept)):
        first = rows[kept[codes.index(values[failure.index]["ma_chi_tieu"])]].where("ma_chi_tieu")["cell"]
        code = values[failure.index]["ma_chi_tieu"]
        rows[failure.index].failed(failure.slot, (f"'{code}' đã có ở ô {first}", f"'{code}' is already in cell {first}"))
    issues = [issue for row in rows for issue in row.in_order(_TARGET_ORDER)]
    return [_target(values[i]) for i in kept if rows[i].ok], issues


def _target_values(row: _Row) -> dict[str, Any]:
    """A programme row's cells parsed (problems left on the row), keyed by column."""
    code, name = row.text("ma_chi_tieu", required=True), row.text("chi_tieu", required=True)
    unit = row.text("don_vi_tinh")
    if code is not None:
        row.readings.units.setdefault(code, unit)
    tmin, tmax = row.quantity("toi_thieu", unit, code, required=True), row.quantity("toi_da", unit, code)
    return {"ma_chi_tieu": code, "chi_tieu": name, "don_vi_tinh": unit, "toi_thieu": tmin, "toi_da": tmax,
            "chieu": row.choice("chieu", DIRECTIONS, HIGHER_IS_BETTER),
            "cong_don": row.choice("cong_don", AGGREGATIONS, CUMULATIVE),
            "tu_nam": row.number("tu_nam", required=True), "den_nam": row.number("den_nam", required=True),
            "hoat_dong": row.text("hoat_dong"), "ghi_chu": row.text("ghi_chu")}


def _check(schema: Any, rows: list[_Row], values: list[dict[str, Any]]) -> None:
    """The rows' parsed values (the schema's columns) checked by ``schema``; each failure left on its row."""
    frame = frame_of({key: [v[key] for v in values] for key in schema.columns}, list(range(len(rows))))
    for failure in failures(schema, frame):
        rows[failure.index].failed(failure.slot, _detail(failure.slot, rows[failure.index], values[failure.index]))


def _detail(slot: Slot, row: _Row, values: Mapping[str, Any]) -> tuple[str, str]:
    """(Vietnamese, English) detail of a failed check, numbers in each language's marks."""
    if slot is YEAR_ORDER:
        to, since = int(values["den_nam"]), int(values["tu_nam"])
        return f"Đến năm {to}, Từ năm {since}", f"to-year {to}, from-year {since}"
    if slot is RANGE_ORDER:
        unit = values["don_vi_tinh"]
        most, least = (_bound(values[k], unit, "vi") for k in ("toi_da", "toi_thieu"))
        most_en, least_en = (_bound(values[k], unit, "en") for k in ("toi_da", "toi_thieu"))
        return f"tối đa {most}, tối thiểu {least}", f"maximum {most_en}, minimum {least_en}"
    typed = row.record.value(slot.key)  # a year out of range: the cell as typed
    return _year_text(typed, "vi"), _year_text(typed, "en")


def _bound(value: Decimal, unit: str | None, lang: str) -> str:
    """A target bound as the sheet shows it: a percentage for a % indicator (0,054 → 5,4 %)."""
    return percent_text(value, lang) if is_percent(unit) else format_vn(value, None, lang=lang)


def _year_text(value: Any, lang: str = "vi") -> str:
    """A year cell as the user typed it: 1999 (not the reader's 1999.0), 2020,5, or the text."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = float_to_decimal(value) if isinstance(value, float) else Decimal(value)
        if number == number.to_integral_value():
            return str(int(number))
        return format_vn(number, None, lang=lang).replace("." if lang == "vi" else ",", "")
    return str(value)


def _target(values: Mapping[str, Any]) -> Target:
    unit = values["don_vi_tinh"]
    return Target(code=values["ma_chi_tieu"], name=values["chi_tieu"] or values["ma_chi_tieu"],
                  activity=values["hoat_dong"], unit=report_unit(unit),
                  target_min=to_report_unit(values["toi_thieu"], unit),
                  target_max=to_report_unit(values["toi_da"], unit),
                  direction=values["chieu"], aggregation=values["cong_don"], from_year=int(values["tu_nam"]),
                  to_year=int(values["den_nam"]), note=values["ghi_chu"])


def read_results(data: WorkbookData, units: Mapping[str, str | None] | None = None,
                 readings: Readings | None = None) -> tuple[list[Result], list[Issue]]:
    """Results of table ``KetQua``, each with its file, sheet and Thực hiện cell.

    ``units`` (code → the programme's Đơn vị tính as typed) decides how each
    Thực hiện is read; money results are given in triệu đồng like the targets;
    Năm is checked by :data:`~kc_excel.attainment.schema.RESULT_ROWS`."""
    table = _require(data, RESULTS, Kind.RESULTS, "báo cáo kết quả thực hiện", "a results workbook")
    rows = [_Row(data, table, record, [], readings) for record in table.records]
    values = [_result_values(row, units or {}) for row in rows]
    _check(RESULT_ROWS, rows, values)
    results = [Result(code=v["ma_chi_tieu"], year=int(v["nam"]), value=v["thuc_hien"], note=row.text("ghi_chu"),
                      file=data.path, sheet=row.record.sheet, cell=row.where("thuc_hien")["cell"])
               for row, v in zip(rows, values)
               if row.ok and None not in (v["ma_chi_tieu"], v["nam"], v["thuc_hien"])]
    return results, [issue for row in rows for issue in row.in_order(_RESULT_ORDER)]


def _result_values(row: _Row, units: Mapping[str, str | None]) -> dict[str, Any]:
    """A results row's cells parsed; a row without Thực hiện is not counted (a warning, Thực hiện None)."""
    code, year = row.text("ma_chi_tieu", required=True), row.number("nam", required=True)
    if row.record.value("thuc_hien") is None or str(row.record.value("thuc_hien")).strip() == "":
        row.problem("required-missing", "thuc_hien", "chưa có số thực hiện, dòng không được tính", error=False)
        return {"ma_chi_tieu": code, "nam": year, "thuc_hien": None}
    unit = units.get(code) if code else None
    value = to_report_unit(row.quantity("thuc_hien", unit, code), unit)
    return {"ma_chi_tieu": code, "nam": year, "thuc_hien": value}


def stated_decimals(raw: Any, kind: str) -> int:
    """Decimals the figure was stated with, counted on the fraction for rates ("56,7%" → 3) and on đồng for
    magnitude words ("10,09 tỷ" → 2 − 9 = −7: within 5 triệu đồng; "36.524,6 triệu" → −5)."""
    exponent = stated_exponent(raw)
    if exponent:
        return stated_fraction_digits(raw) - exponent
    if isinstance(raw, str):
        match = _DECIMALS.search(raw.strip())
        decimals = len(match.group(1)) if match and not _thousands(raw) else 0
        return decimals + 2 if kind == RATE and raw.strip().endswith("%") else decimals
    exponent = parse_number(raw).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _thousands(text: str) -> bool:
    """"23.308.200.000" or "1.500" (Vietnamese thousands groups), not a decimal part."""
    return bool(re.fullmatch(r"\s*-?\d{1,3}(\.\d{3})+\s*(%)?\s*", text))


def read_stated(data: WorkbookData) -> tuple[list[StatedFigure], list[Issue]]:
    """Stated figures of the optional table ``SoLieuCongBo`` (none when the workbook has no such table)."""
    table = find_table(data, STATED_FIGURES)
    figures: list[StatedFigure] = []
    issues: list[Issue] = []
    seen: dict[str, str] = {}
    for record in table.records if table else ():
        row = _Row(data, table, record, issues)
        code, value = row.text("ma", required=True), row.number("gia_tri", required=True)
        if code is not None and fold(code) in seen:  # the first row stays; never a silent replacement
            row.problem("duplicate-stated-figure", "ma", f"'{code}' đã có ở ô {seen[fold(code)]}; dòng này không dùng")
            continue
        if code is not None:
            seen[fold(code)] = row.where("ma")["cell"]
        kind = kind_of(row.text("loai"))
        if kind is None:
            row.problem("invalid-value", "loai", "dùng Số liệu, Tổng, Tỷ lệ hoặc Chênh lệch")
        if code is None or value is None or kind is None:
            continue
        raw = record.value("gia_tri")
        decimals = stated_decimals(raw, kind)
        if kind == RATE and value > 1 and not (isinstance(raw, str) and "%" in raw):
            value, decimals = value / 100, decimals + 2  # "56,7" in a Tỷ lệ row means 56,7%
        figures.append(StatedFigure(code=code, kind=kind, value=value, decimals=decimals,
                                    parts=row.text("thanh_phan"), name=row.text("noi_dung"), file=data.path,
                                    sheet=record.sheet, cell=row.where("gia_tri")["cell"]))
    return figures, issues


@dataclass
class AttainmentRun(IssueCounts):
    """Everything one attainment run produced: the report, its header info and every issue."""

    report: AttainmentReport
    info: ReportInfo
    issues: list[Issue] = field(default_factory=list)
    programme_meta: dict[str, str] = field(default_factory=dict)
    """The programme's ``_kc`` (province, period): a plan of another province or year is refused."""


def attainment_from(programme: WorkbookData, results: Sequence[WorkbookData], as_of: AsOf) -> AttainmentRun:
    """Targets + merged results (+ stated-figure checks) → the report of one as-of month."""
    readings = Readings()
    targets, issues = read_programme(programme, readings)
    issues = [*programme.issues, *issues]
    collected: list[Result] = []
    for data in results:
        check_results_file(programme.meta, data.meta, data.path)
        found, problems = read_results(data, readings.units, readings)
        figures, stated_problems = read_stated(data)
        collected.extend(found)
        issues.extend([*data.issues, *problems, *stated_problems, *check_stated(figures, fmt=_show)])
    merged, duplicates = merge_results(collected)
    report = evaluate(targets, merged, as_of)
    issues.extend([*duplicates, *report.issues, *readings.issues()])
    return AttainmentRun(report, _info(programme, targets, issues), issues, dict(programme.meta))


def with_plan(outcome: AttainmentRun, path) -> AttainmentRun:
    """Add the plan-vs-programme comparison of a consolidated plan workbook (InputError if it is not one)."""
    year, quantities, meta = read_plan_file(path, with_meta=True)
    check_plan_file(outcome.programme_meta, meta, year, str(path))
    compared = compare_plan([row.target for row in outcome.report.rows], quantities, year)
    return AttainmentRun(outcome.report, replace(outcome.info, plan=tuple(compared)), outcome.issues, outcome.programme_meta)


def _show(value: Decimal, decimals: int | None = None) -> str:
    return format_vn(value, decimals, at_most=6)


def _info(programme: WorkbookData, targets: Iterable[Target], issues: list[Issue]) -> ReportInfo:
    meta = programme.meta
    years = [(t.from_year, t.to_year) for t in targets]
    first = _int(meta.get(Meta.FROM_YEAR)) or (min(y[0] for y in years) if years else None)
    last = _int(meta.get(Meta.TO_YEAR)) or (max(y[1] for y in years) if years else None)
    return ReportInfo(province_name=meta.get(Meta.PROVINCE_NAME) or None, province_code=meta.get(Meta.PROVINCE_CODE),
                      from_year=first, to_year=last, issues=tuple(issues))


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).strip()) if text not in (None, "") else None
    except ValueError:
        return None
