"""Helpers of the hostile suite: the CLI in-process or as a subprocess, and reading back what we wrote."""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import re
import resource
import signal
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from hostile import genuine

ROOT = Path(__file__).resolve().parents[2]
KC_EXCEL = ROOT / ".venv" / "bin" / "kc-excel"
VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> CliResult:
    """``kc-excel ARGS`` in this process (stdout/stderr captured)."""
    from kc_excel.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return CliResult(code, out.getvalue(), err.getvalue())


def assert_clean_failure(result: CliResult) -> None:
    """No traceback anywhere, a Vietnamese message somewhere."""
    text = result.out + result.err
    assert "Traceback" not in text, text
    assert VIETNAMESE.search(text), text


def consolidate_args(folder: Path, output: Path, *extra: str) -> list[str]:
    return ["consolidate", str(folder), "--province", genuine.PROVINCE, "--year", str(genuine.YEAR),
            "-o", str(output), "--workers", "2", *extra]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **extra}
    return env


# --- reading back an xlsx we wrote, at the XML level ---------------------------------------

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


@dataclass(frozen=True)
class XmlCell:
    sheet: str
    ref: str
    type: str | None
    """The ``t`` attribute: ``s``, ``inlineStr``, ``str``, ``n``, ``b``... or None."""
    text: str | None
    formula: str | None


def xml_cells(path: Path) -> list[XmlCell]:
    """Every cell of every worksheet of ``path``, with its XML type, text and formula."""
    import zipfile

    from defusedxml import ElementTree

    m = "{%s}" % _NS["m"]
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            sst = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(m + "t")) for si in sst.findall(m + "si")]
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        cells: list[XmlCell] = []
        for sheet in book.iter(m + "sheet"):
            target = targets[sheet.get("{%s}id" % _NS["r"])].lstrip("/")
            part = target if target.startswith("xl/") else "xl/" + target
            root = ElementTree.fromstring(archive.read(part))
            for c in root.iter(m + "c"):
                kind = c.get("t")
                f = c.find(m + "f")
                v = c.find(m + "v")
                if kind == "s" and v is not None:
                    text = shared[int(v.text)]
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(m + "t"))
                else:
                    text = v.text if v is not None else None
                cells.append(XmlCell(sheet.get("name"), c.get("r"), kind, text,
                                     None if f is None else (f.text or "")))
    return cells


def all_text_of(path: Path) -> str:
    """Every member of a zip, decompressed, as one string (to search for leaked content)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


# --- faults: how a read-only folder and a full disk are produced, and what a plan holds ------------

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def drop_root_override() -> None:
    """preexec_fn: without CAP_DAC_OVERRIDE even root obeys the permission bits after exec."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def file_size_limit(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def plan_totals(path: Path) -> tuple[int, int]:
    """(lines, Tổng kinh phí in đồng) from Chi tiết of a plan; fails on a partial or broken file."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    meta = {row[0]: row[1] for row in book["_kc"].iter_rows(values_only=True)}
    rows = [r for r in book["Chi tiết"].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    headers = list(rows[header])
    tong = headers.index("Tổng kinh phí (triệu đồng)")
    data = [r for r in rows[header + 1:] if r and isinstance(r[0], (int, float))]
    total = sum(int(r[tong]) for r in data)
    assert int(meta["so_dong"]) == len(data) and int(meta["tong_tong"]) == total
    return len(data), total


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~kc-") or p.name.startswith(".kc-"))


INJECTION_SIGNATURES = ("HYPERLINK", "cmd|", "SUM(A1:A2)", "1+1")


def formula_leaks(path: Path) -> list[XmlCell]:
    """Cells of ``path`` whose formula carries an injection payload (must be empty)."""
    return [c for c in xml_cells(path)
            if c.formula is not None and any(s in c.formula for s in INJECTION_SIGNATURES)]


def kill_trials(args: list[str], plan: Path, old_copy: Path, expected: dict[str, tuple[int, int]], *,
                trials: int, seed: int, full_seconds: float) -> dict[str, int]:
    """Run ``args`` (a consolidation writing ``plan``) ``trials`` times, SIGKILL its process group, classify.

    Before each trial ``plan`` is reset to ``old_copy``. Even trials are killed at a random moment of
    the whole run; odd ones as soon as the temporary output appears, plus 0-150 ms (inside the write
    and rename). Returns how often the plan afterwards matched each entry of ``expected``
    (name → (lines, total)), or ``"partial/broken"``.
    """
    import random
    import shutil
    import subprocess
    import time

    rng = random.Random(seed)
    seen = {name: 0 for name in expected} | {"partial/broken": 0}
    for trial in range(trials):
        shutil.copyfile(old_copy, plan)
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, env=subprocess_env())
        if trial % 2 == 0:
            time.sleep(rng.uniform(0.2 * full_seconds, 1.05 * full_seconds))
        else:
            deadline = time.monotonic() + 3 * full_seconds + 10
            while proc.poll() is None and time.monotonic() < deadline:
                if any(p.name.startswith(".~kc-" + plan.name[:60]) for p in plan.parent.iterdir()):
                    break
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.15))
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(30)
        try:
            found = plan_totals(plan)
        except Exception:  # noqa: BLE001 - a partial or broken plan is exactly what we count
            seen["partial/broken"] += 1
            continue
        name = next((n for n, value in expected.items() if value == found), "partial/broken")
        seen[name] += 1
    return seen


# --- peak memory of a command, measured honestly --------------------------------------------------

_MEASURE = (
    "import os, resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


def run_measured(args: list[str], *, env: dict | None = None, preexec=None,
                 timeout: float = 300) -> tuple[Any, float, float]:
    """Run ``args``; (completed process, seconds, peak MiB of the largest process of its tree).

    Linux records the parent's resident size in a child's ``ru_maxrss`` at fork+exec, so measuring
    from a big process (pytest) would report the parent's memory. A small Python wrapper forks the
    command instead and reports ``RUSAGE_CHILDREN`` (the command and its waited-for descendants,
    e.g. the reader workers).
    """
    import subprocess
    import sys
    import tempfile
    import time

    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", _MEASURE, report.name, *map(str, args)], capture_output=True,
                              text=True, timeout=timeout, env=env or subprocess_env(), preexec_fn=preexec)
        seconds = time.monotonic() - started
        text = report.read().strip()
    return proc, seconds, (int(text) / 1024 if text else float("nan"))
