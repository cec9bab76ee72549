"""Importing this module readies validation in a process that will validate many files.

Consolidation's reader fork server imports it once (:func:`kc_excel.workbook.sandbox.preload`),
so that every reader forked from it starts with the rules registered, the pandera schema
built, pandera's pandas backends registered (pandera does that on first use) and the
catalogue look-ups the rules build on first use (activities, units, norms) built, by
checking one sample row; each reader would otherwise pay all of it before its first file.
"""

from __future__ import annotations

import encodings.cp437  # noqa: F401 - zipfile decodes the names in every workbook with it

from kc_excel.validation import lines, schema  # noqa: F401 - lines: the runner's plan lines (imported lazily)
from kc_excel.workbook import checks  # noqa: F401 - the parser's layout checks (imported lazily)
from kc_excel.validation.registry import registered
from kc_excel.validation.runner import check_row
from kc_excel.workbook.layout import REGISTRATION

SAMPLE_ROW = {"stt": 1, "ten_de_an": "Đào tạo nghề may công nghiệp", "hoat_dong": "DAO_TAO_NGHE",
              "don_vi_thuc_hien": "Trung tâm Khuyến công", "don_vi_tinh": "lớp", "so_luong": 1, "tong": 100,
              "kcqg": 0, "kcdp": 70, "doi_ung": 30, "khac": 0, "thang_bat_dau": 3, "thang_ket_thuc": 9}
"""A valid registration row (triệu đồng), checked once to build the rules' look-ups."""

registered()
schema.warm_up()
check_row([SAMPLE_ROW.get(key) for key in REGISTRATION.keys])
