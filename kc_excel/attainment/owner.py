"""Every file knows whose it is: a results file or a plan of another province, or of years outside the
programme's period, is refused (InputError) instead of being merged.

Province and years come from the hidden ``_kc`` sheet of the files we wrote
(``ma_tinh``, ``tu_nam``/``den_nam`` or ``nam``); a file without them (typed
by hand) is not refused for what it does not say.
"""

from __future__ import annotations

from typing import Mapping

from kc_excel.errors import InputError
from kc_excel.workbook.layout import Meta


def _year(meta: Mapping[str, str], key: str) -> int | None:
    text = str(meta.get(key) or "").strip()
    return int(text) if text.isdigit() else None


def _who(meta: Mapping[str, str]) -> str:
    name, code = meta.get(Meta.PROVINCE_NAME) or "", meta.get(Meta.PROVINCE_CODE) or ""
    return f"{name} (mã {code})".strip() if name else f"mã tỉnh {code}"


def check_province(programme: Mapping[str, str], other: Mapping[str, str], path: str, what: str) -> None:
    """InputError ``province-mismatch`` when both files state a province and they differ."""
    mine, theirs = str(programme.get(Meta.PROVINCE_CODE) or "").strip(), str(other.get(Meta.PROVINCE_CODE) or "").strip()
    if mine and theirs and mine != theirs:
        raise InputError(f"{path}: {what} của {_who(other)}, chương trình của {_who(programme)}; không gộp tệp của "
                         "tỉnh khác", path=path, code="province-mismatch",
                         message_en=f"{path}: the {what} is of province {theirs}, the programme of {mine}; not merged")


def programme_period(programme: Mapping[str, str]) -> tuple[int | None, int | None]:
    return _year(programme, Meta.FROM_YEAR), _year(programme, Meta.TO_YEAR)


def check_years(programme: Mapping[str, str], first: int | None, last: int | None, path: str, what: str) -> None:
    """InputError ``period-mismatch`` when ``first``-``last`` is not inside the programme's period."""
    start, end = programme_period(programme)
    if None in (start, end, first, last) or (start <= first and last <= end):
        return
    span = f"{first}" if first == last else f"{first}-{last}"
    raise InputError(f"{path}: {what} năm {span} nằm ngoài giai đoạn {start}-{end} của chương trình; không gộp",
                     path=path, code="period-mismatch",
                     message_en=f"{path}: the {what} of {span} is outside the programme's period {start}-{end}")


def check_results_file(programme: Mapping[str, str], results: Mapping[str, str], path: str) -> None:
    check_province(programme, results, path, "báo cáo kết quả")
    check_years(programme, _year(results, Meta.FROM_YEAR), _year(results, Meta.TO_YEAR), path, "báo cáo kết quả")


def check_plan_file(programme: Mapping[str, str], plan: Mapping[str, str], year: int, path: str) -> None:
    check_province(programme, plan, path, "kế hoạch")
    check_years(programme, year, year, path, "kế hoạch")
