"""Build hook: ship ``macros/`` (VBA modules, ribbon XML, settings, messages) inside the wheel.

``macros/`` stays the one reviewed text source (STYLE.md: the .xlam is built from it).
When a wheel is built, its files are copied to ``kc_excel/addin/macros/`` of the
build, where :func:`kc_excel.addin.sources.find_macros_dir` finds them in an
installed package. Everything else is configured in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MACROS = Path(__file__).resolve().parent / "macros"
PACKAGED = Path("kc_excel") / "addin" / "macros"


class BuildPyWithMacros(build_py):
    """``build_py`` that also copies ``macros/*`` into the built package."""

    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads macros/ from the checkout
            return
        target = Path(self.build_lib) / PACKAGED
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(MACROS.iterdir()):
            if source.is_file():
                shutil.copyfile(source, target / source.name)


setup(cmdclass={"build_py": BuildPyWithMacros})
