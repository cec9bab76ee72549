"""Consolidation benchmark: ``kc-excel consolidate`` against a bare floor and a naive loop.

For each size N (95 = the communes and wards of Đồng Nai; 3,321 = every
commune of the country, consolidated with ``--province "toàn quốc"``), N
filled registrations of 40 lines are generated (:mod:`benchmarks.generate`),
then timed in the same run, each in its own process:

(a) ``kc-excel consolidate`` (cold: empty result cache, which it fills);
(a') the same again after one unit sent a corrected file (cache warm);
(b) a bare floor: python-calamine reads every file, pandas concatenates,
    xlsxwriter writes one sheet;
(c) the naive loop a staff script would use: openpyxl ``load_workbook`` per file;
(a1) ``kc-excel consolidate`` on a folder of one file: the fixed start-up
    (interpreter, imports, reader processes, writing a plan), so that the time
    per file can be read both ways: a / N, and (a − a1) / (N − 1) after start-up.

Sizes below :data:`REPEAT_BELOW` files are timed :data:`REPEATS` times each
(a and a1 with an empty cache every time) and the fastest run is kept, as
``timeit`` does: on a shared machine a run only gets slower by noise. Larger
sizes run once. Timed runs are not observed while they run (their end is
awaited, not polled).

Peak memory of (a) comes from one more run of it, sampled (psutil, 20 Hz)
over the whole process tree: the main process, its reader processes and
their fork server. The sampling costs about 15 % of a core, which would slow
(a), using both cores, more than (b) and (c): that run is not timed. Two
figures: the largest process's RSS, and the whole tree's memory as the sum of
PSS (proportional set size, Linux: pages shared by the forked readers counted
once), or of RSS where PSS is not available.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
PROGRAM_PYTHON = sys.executable
"""The interpreter that runs (a), (b) and (c): ``--python``; ``make bench`` passes a venv with
kc-excel's runtime dependencies only, as a centre's PC has them (no test tools: pandera imports
hypothesis when it is installed)."""


@dataclass
class Timing:
    seconds: float
    peak_main_mb: float
    peak_tree_mb: float
    returncode: int


def measure(command: list[str], *, env: dict | None = None) -> Timing:
    """Wall time of a command, unobserved: no memory sampling while it runs, its end awaited."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = _start(command, env, stderr)
        process.wait()
        seconds = time.perf_counter() - started
        _show_failure(process.returncode, stderr)
    return Timing(seconds, 0.0, 0.0, process.returncode)


def peak_memory(command: list[str], *, env: dict | None = None) -> Timing:
    """Peak memory of a command: the largest process's RSS and the whole tree's PSS, sampled at 20 Hz.

    Sampling costs about 15 % of a core (measured), taken from a program that uses both cores more
    than from a single-process one: the time of such a run is not reported (see :func:`measure`).
    """
    with tempfile.TemporaryFile() as stderr:
        process = _start(command, env, stderr)
        watched = psutil.Process(process.pid)
        peak_main = peak_tree = 0
        while process.poll() is None:
            try:
                tree = [watched, *watched.children(recursive=True)]
                sizes = [p.memory_info().rss for p in tree]
                peak_main, peak_tree = max(peak_main, max(sizes)), max(peak_tree, sum(map(_proportional, tree)))
            except psutil.Error:
                pass
            time.sleep(0.05)
        _show_failure(process.returncode, stderr)
    return Timing(0.0, peak_main / MB, peak_tree / MB, process.returncode)


def _start(command: list[str], env: dict | None, stderr: Any) -> subprocess.Popen:
    """``command`` running from the project root; its error output goes to a file, never a pipe that fills."""
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=stderr)


def _show_failure(returncode: int, stderr: Any) -> None:
    if returncode not in (0, 1):
        stderr.seek(0)
        print(stderr.read().decode(errors="replace")[-2000:], file=sys.stderr)


def _proportional(process: psutil.Process) -> int:
    """PSS from ``/proc/PID/smaps_rollup`` (Linux: shared pages split between their processes), else RSS.

    Read directly: psutil's ``memory_full_info`` walks every mapping of the process, which on a
    2-core machine sampling four processes 20 times a second would slow down what it measures.
    """
    try:
        with open(f"/proc/{process.pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return process.memory_info().rss


def _check_ran(timings: dict[str, Timing]) -> None:
    """A program that failed would be timed as fast: refuse to report it."""
    failed = [f"({name}) exit {t.returncode}" for name, t in timings.items() if t.returncode not in (0, 1)]
    if failed:
        raise SystemExit(f"benchmark programs failed: {', '.join(failed)}")


REPEATS = 3
REPEAT_BELOW = 1000


def best_of(times: int, command: list[str], *, env: dict | None = None, before=None,
            memory: bool = False) -> Timing:
    """The fastest of ``times`` unobserved runs (``before()`` first, each time); with ``memory``, one
    more run gives the peak memory (:func:`peak_memory`)."""
    runs = []
    for run_once in [measure] * times + ([peak_memory] if memory else []):
        if before is not None:
            before()
        runs.append(run_once(command, env=env))
    fastest = min(runs[:times], key=lambda t: t.seconds)
    failed = next((t for t in runs if t.returncode not in (0, 1)), None)
    return Timing(fastest.seconds, max(t.peak_main_mb for t in runs), max(t.peak_tree_mb for t in runs),
                  (failed or fastest).returncode)


def _fresh(cache: Path, plan: Path) -> None:
    """Every run of (a) alike: no cache, no earlier plan (nor its .bak) to check and keep."""
    from kc_excel.outputs import backup_path

    shutil.rmtree(cache, ignore_errors=True)
    for path in (plan, backup_path(plan)):
        path.unlink(missing_ok=True)


def _task(name: str, *args: str) -> list[str]:
    return [PROGRAM_PYTHON, "-m", "benchmarks.tasks", name, *map(str, args)]


def _consolidate(folder: Path, province: str, plan: Path) -> list[str]:
    return [PROGRAM_PYTHON, "-m", "kc_excel", "consolidate", str(folder), "--province", province,
            "--year", "2026", "-o", str(plan), "--json"]


def start_up(work: Path) -> Timing:
    """(a1): ``kc-excel consolidate`` of one file, cache empty."""
    from kc_excel import catalog
    from benchmarks.generate import generate

    folder, cache = work / "files-1", work / "cache-1"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    generate(folder, catalog.units_of(catalog.find_province("Đồng Nai"), "xa")[:1])
    plan = work / "plan-1.xlsx"
    a1 = best_of(REPEATS, _consolidate(folder, "Đồng Nai", plan), env={"KC_EXCEL_CACHE_DIR": str(cache)},
                 before=lambda: _fresh(cache, plan))
    _check_ran({"a1": a1})
    return a1


def run_size(n: int, work: Path) -> dict:
    from kc_excel import catalog
    from benchmarks.generate import CREATED, generate

    folder = work / f"files-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    if n == 95:
        province, units = "Đồng Nai", catalog.units_of(catalog.find_province("Đồng Nai"), "xa")
    else:
        province = "toàn quốc"
        units = [u for p in catalog.provinces() for u in catalog.units_of(p, "xa")][:n]
    started = time.perf_counter()
    files = generate(folder, units)
    generated = time.perf_counter() - started
    cache = work / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    plan = work / f"plan-{n}.xlsx"
    consolidate = _consolidate(folder, province, plan)
    env = {"KC_EXCEL_CACHE_DIR": str(cache)}
    times = REPEATS if n < REPEAT_BELOW else 1
    a = best_of(times, consolidate, env=env, before=lambda: _fresh(cache, plan), memory=True)
    generate(folder, units[:1], created=CREATED + timedelta(days=5), suffix="_sua")
    rerun = measure(consolidate, env=env)  # the cache as the last (a) left it, plus one new file
    b = best_of(times, _task("floor", folder, work / f"floor-{n}.xlsx"))
    c = best_of(times, _task("naive", folder))
    _check_ran({"a": a, "a'": rerun, "b": b, "c": c})
    return {"n": len(files), "generate": generated, "a": a, "rerun": rerun, "b": b, "c": c,
            "plan_bytes": plan.stat().st_size if plan.exists() else 0}


def _after_start_up(r: dict, a1: Timing | None) -> float | None:
    """(a − a1) / (N − 1) in ms: the time of one more file once started."""
    if a1 is None or r["n"] < 2:
        return None
    return 1000 * (r["a"].seconds - a1.seconds) / (r["n"] - 1)


def table(results: list[dict], a1: Timing | None = None) -> str:
    head = ("| N files (40 lines each) | generate (s) | (a) kc-excel consolidate (s) | (a) per file (ms) | "
            "(a) per file after start-up (ms) | (a') re-run, 1 new file (s) | (b) floor (s) | "
            "(c) naive openpyxl (s) | a/b | c/a | c/b | peak memory (a): RSS of the largest process / PSS of all processes (MB) |")
    rows = [head, "|" + "---|" * 12]
    for r in results:
        a, b, c = r["a"], r["b"], r["c"]
        marginal = _after_start_up(r, a1)
        rows.append(f"| {r['n']:,} | {r['generate']:.1f} | {a.seconds:.1f} | {1000 * a.seconds / r['n']:.1f} | "
                    f"{'–' if marginal is None else f'{marginal:.1f}'} | "
                    f"{r['rerun'].seconds:.1f} | {b.seconds:.1f} | {c.seconds:.1f} | {a.seconds / b.seconds:.2f} | "
                    f"{c.seconds / a.seconds:.1f} | {c.seconds / b.seconds:.1f} | "
                    f"{a.peak_main_mb:.0f} / {a.peak_tree_mb:.0f} |")
    text = "\n".join(rows)
    if a1 is not None:
        text += f"\n\nFixed start-up, (a1) `kc-excel consolidate` of one file: {a1.seconds:.1f} s."
    return text


def run(sizes: list[int], work: Path, python: str | None = None) -> str:
    global PROGRAM_PYTHON
    PROGRAM_PYTHON = python or sys.executable
    work.mkdir(parents=True, exist_ok=True)
    a1 = start_up(work)
    results = []
    for n in sizes:
        print(f"… N = {n}", file=sys.stderr, flush=True)
        results.append(run_size(n, work))
        print(table(results[-1:], a1), file=sys.stderr, flush=True)
    text = table(results, a1)
    if len(results) > 1:
        per_file = [r["a"].seconds / r["n"] for r in results]
        text += f"\n\nTime per file, largest/smallest N: {per_file[-1] / per_file[0]:.2f}×"
        marginal = [_after_start_up(r, a1) for r in (results[0], results[-1])]
        if None not in marginal:
            text += f"; after start-up: {marginal[1] / marginal[0]:.2f}×"
        text += "."
    (work / "consolidation.json").write_text(json.dumps(
        {"start_up": a1.__dict__,
         "sizes": [{**{k: v for k, v in r.items() if not isinstance(v, Timing)},
                    **{k: v.__dict__ for k, v in r.items() if isinstance(v, Timing)}} for r in results]}, indent=2))
    return text
