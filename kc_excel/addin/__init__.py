"""The Excel add-in ``kc_excel.xlam``: built on any OS from the text sources in ``macros/``
(shipped inside the wheel as ``kc_excel/addin/macros/``).

- :mod:`kc_excel.addin.sources` reads ``macros/`` (VBA modules, ribbon XML,
  settings sheet) and checks that they agree with each other.
- :mod:`kc_excel.addin.build` writes the add-in package reproducibly
  (same sources → byte-identical file).
- :mod:`kc_excel.addin.messages` turns the Vietnamese messages of
  ``macros/thong_diep.tsv`` into the generated VBA module ``ThongDiep``.
- :mod:`kc_excel.addin.install` installs it for the current Windows user;
  :mod:`kc_excel.addin.caidat` is the add-in step of the offline package's
  ``CaiDat.cmd`` (see ``scripts/bundle.py``).
- :mod:`kc_excel.addin.selftest` runs the add-in's VBA self-test in
  LibreOffice headless.

The Python side of the buttons lives in :mod:`kc_excel.ribbon`, the KC_*
formulas in :mod:`kc_excel.udfs`.
"""

from kc_excel.addin.build import ADDIN_NAME, build_addin
from kc_excel.addin.sources import MacroSources, find_macros_dir, load_sources

__all__ = ["ADDIN_NAME", "MacroSources", "build_addin", "find_macros_dir", "load_sources"]
