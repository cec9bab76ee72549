"""`pip install kc-excel` from the built wheel alone (no source tree) can build the add-in.

The wheel is built from a copy of the checkout, installed with ``--no-deps`` into a fresh
virtual environment outside the checkout (dependencies reach it through a ``.pth`` line
naming this interpreter's site-packages, whose own ``.pth`` files, among them the editable
install of the checkout, are not run), and ``kc-excel addin build`` runs there from a
temporary folder without PYTHONPATH. The VBA read back with olevba equals ``macros/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from addin_helpers import MACROS, ROOT, assert_vba_equals_macros, bundle_script
from kc_excel.addin.messages import MESSAGES_FILE

@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return bundle_script().build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def wheel_venv(wheel, tmp_path_factory) -> Path:
    """A virtual environment with only the wheel installed, dependencies borrowed read-only."""
    venv = tmp_path_factory.mktemp("venv") / "kc"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = _venv_python(venv)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "kc_borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, env=_clean_env())
    return venv


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform.startswith("win") else "bin/python")


def _clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "PYTHONHOME"}}


def test_wheel_carries_every_macros_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {f"kc_excel/addin/macros/{p.name}" for p in MACROS.iterdir() if p.is_file()}
    assert {"kc_excel/addin/macros/customUI14.xml", f"kc_excel/addin/macros/{MESSAGES_FILE}"} <= expected
    assert expected <= names
    with zipfile.ZipFile(wheel) as archive:
        for path in MACROS.iterdir():
            if path.is_file():
                assert archive.read(f"kc_excel/addin/macros/{path.name}") == path.read_bytes(), path.name


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # oletools' use of old pyparsing names
def test_addin_builds_from_the_wheel_alone_outside_the_checkout(wheel_venv, tmp_path):
    python = _venv_python(wheel_venv)
    where = subprocess.run([str(python), "-c", "import kc_excel, pathlib; print(pathlib.Path(kc_excel.__file__))"],
                           cwd=tmp_path, env=_clean_env(), check=True, capture_output=True, text=True).stdout.strip()
    assert Path(where).is_relative_to(wheel_venv), where  # the wheel's copy, not the checkout
    command = wheel_venv / ("Scripts/kc-excel.exe" if sys.platform.startswith("win") else "bin/kc-excel")
    done = subprocess.run([str(command), "addin", "build", "-o", "out"], cwd=tmp_path, env=_clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert_vba_equals_macros(tmp_path / "out" / "kc_excel.xlam")
