"""Catalogues shipped with kc-excel, each entry citing its source (contract §3).

- activity groups (Điều 4 Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP),
  activities, units of measure, facility types, funding sources: :mod:`.activities`;
- support norms (định mức hỗ trợ, default Điều 6 Thông tư liên tịch 26/2014/TTLT-BTC-BCT,
  overridable by a province's ``DinhMuc`` workbook, read by :mod:`.norms_file`): :mod:`.norms`;
- administrative units before/after 1 July 2025 (vietnamadminunits): :mod:`.admin`,
  old→new mapping: :mod:`.succession`; tolerant name matching: :mod:`.names`.
"""

from kc_excel.catalog.activities import (
    FACILITY_TYPES,
    FUNDING_SOURCES,
    UNITS_OF_MEASURE,
    Activity,
    ActivityGroup,
    activities,
    activity_group,
    activity_groups,
    activity_name,
    find_activity,
    find_unit_of_measure,
)
from kc_excel.catalog.admin import (
    Province,
    Unit,
    communes_of,
    find_province,
    find_unit,
    provinces,
    units_of,
)
from kc_excel.catalog.norms import Norm, NormsInForce, default_norms
from kc_excel.catalog.succession import new_units_of_old, old_units_of_new, province_successor

__all__ = [
    "FACILITY_TYPES",
    "FUNDING_SOURCES",
    "UNITS_OF_MEASURE",
    "Activity",
    "ActivityGroup",
    "Norm",
    "Province",
    "Unit",
    "activities",
    "activity_group",
    "activity_groups",
    "activity_name",
    "communes_of",
    "default_norms",
    "find_activity",
    "find_province",
    "find_unit",
    "find_unit_of_measure",
    "NormsInForce",
    "new_units_of_old",
    "old_units_of_new",
    "province_successor",
    "provinces",
    "units_of",
]
