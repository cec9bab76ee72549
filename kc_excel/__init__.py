"""kc-excel: Excel tooling for Vietnam's industrial-extension programme (khuyến công).

The core (catalogues, numbers, text, validation, consolidation, attainment)
imports no adapter; the CLI (:mod:`kc_excel.cli`), the xlwings UDFs
(:mod:`kc_excel.udfs`) and ribbon handlers (:mod:`kc_excel.ribbon`) are thin
layers over it.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
