"""`make bundle`: the offline package for Windows, dist/kc-excel-<version>-win64.zip.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
SOURCE_DIRS = ("kc_excel", "macros")


def build_wheel(root: Path, out_dir: Path) -> Path:
    """The kc-excel wheel, built from a copy of ``root`` (never in the checkout itself) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kc-wheel-src-") as tmp:
        source = Path(tmp) / "kc-excel"
        source.mkdir()
        for name in SOURCE_FILES:
            shutil.copy2(root / name, source / name)
        for name in SOURCE_DIRS:
            shutil.copytree(root / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                        "--wheel-dir", str(out_dir), str(source)], check=True)
    wheels = sorted(out_dir.glob("kc_excel-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one kc_excel wheel in {out_dir}, found {[w.name for w in wheels]}")
    return wheels[0]
