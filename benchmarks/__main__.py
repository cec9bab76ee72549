"""``python -m benchmarks [--sizes 95,3321] [--out build/bench]``: every benchmark, results in results.md.

Runs the consolidation benchmark (:mod:`benchmarks.consolidation`) and, when
present, ``benchmarks/bench_udfs.py``'s ``run()``; writes the tables to
``build/bench/results.md`` (copied into the README by hand).
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

from benchmarks import consolidation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="95,3321", help="numbers of files, comma-separated (default 95,3321)")
    parser.add_argument("--out", default="build/bench", type=Path, help="work and results folder")
    parser.add_argument("--skip-udfs", action="store_true", help="only the consolidation benchmark")
    parser.add_argument("--python", default=None,
                        help="interpreter of the timed programs (default: this one); make bench passes a venv "
                             "with the runtime dependencies only")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    sections = [f"# kc-excel benchmarks\n\n{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, Python "
                f"{platform.python_version()}, {platform.system()} {platform.machine()}, "
                f"{_cores()} CPU cores; programs run by {args.python or sys.executable}.\n",
                "## Consolidation\n\n" + consolidation.run(sizes, args.out, args.python)]
    if not args.skip_udfs:
        udfs = _udfs()
        if udfs:
            sections.append("## Excel formulas (UDFs)\n\n" + udfs)
    text = "\n\n".join(sections) + "\n"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _udfs() -> str | None:
    try:
        module = importlib.import_module("benchmarks.bench_udfs")
    except ModuleNotFoundError:
        return None
    result = module.run()
    return result if isinstance(result, str) else None


if __name__ == "__main__":
    sys.exit(main())
