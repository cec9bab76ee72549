"""`make bundle`: the offline package for Windows, ``dist/kc-excel-<version>-win64.zip``.

The zip holds one folder ``kc-excel-<version>-win64/`` with (:data:`BUNDLE_FILES`):

- ``wheelhouse/``: kc-excel and every dependency as wheels for 64-bit CPython 3.11
  and 3.12 on Windows, and ``requirements-win64.lock``, which pins each of them by
  version and SHA-256 (``pip install --require-hashes``);
- ``kc_excel.xlam``, built from ``macros/``;
- ``CaiDat.cmd`` / ``GoCaiDat.cmd`` (install / uninstall, from ``windows/``);
- ``HuongDanSuDung.pdf``, the staff guide ``docs/huong-dan-su-dung.md``.

pip downloads with ``--platform`` but evaluates environment markers for the
computer it runs on, so on Linux it would leave out Windows-only dependencies
(xlwings needs pywin32 on Windows). So after each download the wheelhouse is
reconciled with the requirements as Windows would read them
(:func:`windows_closure`): what is missing is downloaded, what Windows would not
install is left out, and a requirement still missing stops the build.
Downloads are cached in ``build/bundle-cache`` and tried offline first.

Usage: ``python scripts/bundle.py [--dist dist] [--cache build/bundle-cache]``.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from filelock import FileLock
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from guide_pdf import write_guide_pdf  # noqa: E402

PYTHONS = ("3.11", "3.12")
PLATFORM = "win_amd64"
LOCK_NAME = "requirements-win64.lock"
ADDIN_NAME = "kc_excel.xlam"
SCRIPTS = ("CaiDat.cmd", "GoCaiDat.cmd")
GUIDE_PDF = "HuongDanSuDung.pdf"
BUNDLE_FILES = (ADDIN_NAME, *SCRIPTS, GUIDE_PDF, f"wheelhouse/{LOCK_NAME}")
SOURCE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
SOURCE_DIRS = ("kc_excel", "macros")
_MAX_ROUNDS = 5


class BundleError(RuntimeError):
    """The bundle cannot be built; the message says why."""


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
        raise BundleError(f"expected one kc_excel wheel in {out_dir}, found {[w.name for w in wheels]}")
    return wheels[0]


def windows_environment(python: str) -> dict[str, str]:
    """The marker environment of 64-bit CPython ``python`` (``"3.11"``) on Windows."""
    return {**default_environment(), "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
            "platform_machine": "AMD64", "platform_release": "10", "platform_version": "10.0.19045",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "python_version": python, "python_full_version": f"{python}.0", "implementation_version": f"{python}.0"}


def wheel_requirements(path: Path) -> list[Requirement]:
    """The ``Requires-Dist`` lines of a wheel."""
    with zipfile.ZipFile(path) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(metadata).decode("utf-8").splitlines()
    return [Requirement(line.split(":", 1)[1].strip()) for line in lines if line.startswith("Requires-Dist:")]


def supported_tags(python: str) -> set[Tag]:
    """The wheel tags 64-bit CPython ``python`` on Windows installs."""
    version = tuple(int(part) for part in python.split("."))
    interpreter = f"cp{version[0]}{version[1]}"
    return {*cpython_tags(version, abis=[interpreter, "abi3", "none"], platforms=[PLATFORM]),
            *compatible_tags(version, interpreter, platforms=[PLATFORM])}


def windows_closure(wheelhouse: Path, python: str, pins: dict[str, str] | None = None
                    ) -> tuple[dict[str, Path], list[Requirement]]:
    """The wheels Windows would install for kc-excel (name → wheel) and the requirements no wheel meets.

    ``pins`` (name → version) restricts a name to that version.
    """
    pins = pins or {}
    environment, tags = windows_environment(python), supported_tags(python)
    available: dict[str, list[Path]] = defaultdict(list)
    for wheel in sorted(wheelhouse.glob("*.whl")):
        name, version = canonicalize_name(parse_wheel_filename(wheel.name)[0]), str(parse_wheel_filename(wheel.name)[1])
        if parse_wheel_filename(wheel.name)[3] & tags and pins.get(name, version) == version:
            available[name].append(wheel)
    chosen: dict[str, Path] = {}
    missing: list[Requirement] = []
    queue = [(Requirement("kc-excel"), "")]
    while queue:
        requirement, extra = queue.pop()
        if requirement.marker and not requirement.marker.evaluate({**environment, "extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        candidates = [chosen[name]] if name in chosen else reversed(available[name])
        wheel = next((w for w in candidates if requirement.specifier.contains(
            str(parse_wheel_filename(w.name)[1]), prereleases=True)), None)
        if wheel is None:
            missing.append(requirement)
            continue
        if name not in chosen:
            chosen[name] = wheel
            queue += [(r, "") for r in wheel_requirements(wheel)]
        queue += [(r, e) for e in requirement.extras for r in wheel_requirements(wheel)
                  if r.marker and "extra" in str(r.marker)]
    return chosen, missing


def pip_download(requirements: list[str], dest: Path, python: str, *, offline: bool,
                 constraints: Path | None = None) -> bool:
    """``pip download`` for 64-bit Windows CPython ``python`` into ``dest``; True when it succeeded."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
               "--only-binary=:all:", "--platform", PLATFORM, "--python-version", python,
               "--implementation", "cp", "--abi", f"cp{python.replace('.', '')}", "--abi", "abi3", "--abi", "none",
               "--find-links", str(dest), "--dest", str(dest), *requirements]
    if offline:
        command.insert(4, "--no-index")
    if constraints is not None:
        command += ["--constraint", str(constraints)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if not offline and done.returncode != 0:
        raise BundleError(f"pip download failed for Python {python}:\n{done.stderr[-3000:]}")
    return done.returncode == 0


def fill_wheelhouse(kc_wheel: Path, cache: Path, python: str, pins: dict[str, str] | None = None
                    ) -> dict[str, Path]:
    """Download kc-excel's dependencies for ``python`` into ``cache``; the wheels Windows needs.

    ``pins`` (name → version, from the other Python) keeps one version of each package
    for both Pythons, so one lock file serves both.
    """
    cache.mkdir(parents=True, exist_ok=True)
    shutil.copy2(kc_wheel, cache / kc_wheel.name)
    constraints = None
    if pins:
        constraints = cache.parent / f"constraints-{python}.txt"
        constraints.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pins.items())), encoding="utf-8")
    wanted = [str(cache / kc_wheel.name)]
    for _ in range(_MAX_ROUNDS):
        if not pip_download(wanted, cache, python, offline=True, constraints=constraints):
            pip_download(wanted, cache, python, offline=False, constraints=constraints)
        chosen, missing = windows_closure(cache, python, pins)
        if not missing:
            return chosen
        wanted = [f"{r.name}{r.specifier}" for r in missing]
    raise BundleError(f"Python {python}: no Windows wheel for {', '.join(map(str, missing))}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def version(wheel: Path) -> str:
    return str(parse_wheel_filename(wheel.name)[1])


def lock_text(per_python: dict[str, dict[str, Path]]) -> str:
    """Requirement lines ``name==version --hash=sha256:…``, one per package, every Python's wheel hashed."""
    releases: dict[str, set[Path]] = defaultdict(set)
    for chosen in per_python.values():
        for name, wheel in chosen.items():
            releases[name].add(wheel)
    lines = ["# kc-excel for 64-bit Windows, CPython " + " and ".join(per_python) + ": every wheel of",
             "# wheelhouse/, pinned by version and SHA-256. CaiDat.cmd installs it with",
             "# pip install --no-index --find-links wheelhouse --require-hashes -r requirements-win64.lock"]
    for name, wheels in sorted(releases.items()):
        versions = {version(wheel) for wheel in wheels}
        if len(versions) != 1:
            raise BundleError(f"{name}: not one version for every Python ({sorted(versions)})")
        needed_by = sorted(p for p, chosen in per_python.items() if name in chosen)
        marker = "" if len(needed_by) == len(per_python) else \
            " ; " + " or ".join(f'python_version == "{p}"' for p in needed_by)
        hashes = " ".join(f"--hash=sha256:{digest}" for digest in sorted({sha256(w) for w in wheels}))
        lines.append(f"{name}=={versions.pop()}{marker} {hashes}")
    return "\n".join(lines) + "\n"


def stage(root: Path, staging: Path, cache: Path) -> None:
    """Every file of the bundle into ``staging``."""
    from kc_excel.addin.build import build_addin

    wheelhouse = staging / "wheelhouse"
    wheelhouse.mkdir(parents=True)
    cache.mkdir(parents=True, exist_ok=True)
    kc_wheel = build_wheel(root, Path(tempfile.mkdtemp(prefix="kc-wheel-", dir=staging.parent)))
    with FileLock(str(cache / "wheels.lock")):  # parallel test workers share the cache
        per_python: dict[str, dict[str, Path]] = {}
        for python in PYTHONS:
            pins = {name: version(wheel) for chosen in per_python.values() for name, wheel in chosen.items()}
            per_python[python] = fill_wheelhouse(kc_wheel, cache / "wheels", python, pins)
    for wheel in {w for chosen in per_python.values() for w in chosen.values()}:
        shutil.copy2(wheel, wheelhouse / wheel.name)
    (wheelhouse / LOCK_NAME).write_text(lock_text(per_python), encoding="utf-8", newline="\r\n")
    build_addin(staging, macros_dir=root / "macros")
    for script in SCRIPTS:
        text = (root / "windows" / script).read_text(encoding="utf-8")
        (staging / script).write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))
    write_guide_pdf(root / "docs" / "huong-dan-su-dung.md", staging / GUIDE_PDF)


def project_version(root: Path) -> str:
    import tomllib

    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def make_bundle(root: Path = ROOT, dist: Path = ROOT / "dist", cache: Path = ROOT / "build" / "bundle-cache") -> Path:
    """Build ``dist/kc-excel-<version>-win64.zip`` (written whole or not at all); return its path."""
    name = f"kc-excel-{project_version(root)}-win64"
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{name}.zip"
    with tempfile.TemporaryDirectory(prefix="kc-bundle-") as tmp:
        staging = Path(tmp) / name
        stage(root, staging, cache)
        partial = Path(tmp) / f"{name}.zip"
        with zipfile.ZipFile(partial, "w") as archive:
            for path in sorted(p for p in staging.rglob("*") if p.is_file()):
                method = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
                archive.write(path, f"{name}/{path.relative_to(staging).as_posix()}", compress_type=method)
        shutil.move(partial, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "bundle-cache")
    args = parser.parse_args(argv)
    try:
        target = make_bundle(ROOT, args.dist, args.cache)
    except BundleError as error:
        print(f"make bundle: {error}", file=sys.stderr)
        return 1
    size = target.stat().st_size // 1_000_000
    print(f"Đã tạo gói cài đặt ngoại tuyến cho Windows: {target} ({size} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
