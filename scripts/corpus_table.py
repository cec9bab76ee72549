"""Run the shared corpus (../shared/corpus/files) through the reader and count outcomes by code.

    .venv/bin/python scripts/corpus_table.py [--workers 2] [--files DIR]

prints a Markdown table (outcome code, files, slowest time, peak memory) for
the README. :func:`corpus_outcomes` is reusable from tests and other scripts
(validate and consolidate can reuse it with their own reading function).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kc_excel.errors import FileLevelError  # noqa: E402
from kc_excel.workbook.reader import ReadLimits  # noqa: E402
from kc_excel.workbook.sandbox import Sandbox  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "files"


@dataclass(frozen=True)
class Outcome:
    """One corpus file's result: the code (``ok`` when it read as a kc workbook), message, cost."""

    path: Path
    code: str
    message: str
    seconds: float
    """Time spent on this file in its worker process (wall clock)."""
    peak_bytes: int
    """Peak resident memory of the worker that read it (0 when it crashed or was killed)."""


def corpus_files(directory: Path = CORPUS) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file())


def corpus_outcomes(directory: Path = CORPUS, *, workers: int = 2,
                    limits: ReadLimits = ReadLimits()) -> list[Outcome]:
    """Read every file of ``directory`` through the reader's sandbox; one Outcome per file, in name order."""
    paths = corpus_files(directory)
    sandbox = Sandbox(workers, memory_bytes=limits.memory_bytes)
    outcomes = []
    try:
        for index, result in sandbox.run(paths, limits):
            seconds, peak = sandbox.stats.get(index, (0.0, 0))
            if isinstance(result, FileLevelError):
                outcomes.append(Outcome(paths[index], result.code, result.message, seconds, peak))
            else:
                outcomes.append(Outcome(paths[index], "ok", "", seconds, peak))
    finally:
        sandbox.close()
    return outcomes


def markdown_table(outcomes: list[Outcome]) -> str:
    """Outcome code | files | slowest (s) | peak memory (MB) | example file."""
    counts = Counter(o.code for o in outcomes)
    lines = ["| Outcome | Files | Slowest (s) | Peak memory (MB) | Example |", "|---|---:|---:|---:|---|"]
    for code, count in counts.most_common():
        group = [o for o in outcomes if o.code == code]
        slowest = max(o.seconds for o in group)
        peak = max(o.peak_bytes for o in group) / 2**20
        lines.append(f"| `{code}` | {count} | {slowest:.2f} | {peak:.0f} | {group[0].path.name} |")
    lines.append(f"| **total** | {len(outcomes)} | {max((o.seconds for o in outcomes), default=0):.2f} | "
                 f"{max((o.peak_bytes for o in outcomes), default=0) / 2**20:.0f} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--files", type=Path, default=CORPUS)
    parser.add_argument("--verbose", action="store_true", help="one line per file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    outcomes = corpus_outcomes(args.files, workers=args.workers)
    elapsed = time.monotonic() - started
    if args.verbose:
        for o in outcomes:
            print(f"{o.code:26} {o.seconds:6.2f}s {o.peak_bytes / 2**20:5.0f}MB {o.path.name}  {o.message[:150]}")
    print(markdown_table(outcomes))
    slowest = max(outcomes, key=lambda o: o.seconds)
    print(f"\n{len(outcomes)} files in {elapsed:.1f} s with {args.workers} workers; "
          f"slowest {slowest.path.name} ({slowest.seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
