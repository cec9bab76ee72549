"""Run the shared corpus through the `kc-excel validate` and `kc-excel consolidate` commands; count outcomes.

    .venv/bin/python scripts/corpus_outcomes.py [--files DIR] [--out build/corpus/outcomes.md]

What a user would run, as a user would run it (the installed CLI, in
subprocesses, JSON output parsed):

- ``kc-excel validate --json FILE...`` once over every file: the outcome of
  each file is its first error code (``valid`` when none);
- ``kc-excel validate --json FILE`` once per file: the slowest file (wall
  clock, CLI start-up included) and the exit codes seen;
- ``kc-excel consolidate DIR --province "Đồng Nai" --year 2026 --json`` over a
  copy of the folder: the ``Tình trạng nộp`` status of each file and the codes
  of the issues raised.

Memory is the peak resident size of the largest process of each command's
tree (the CLI and its reader workers; see ``run_measured`` in tests/hostile/helpers.py). The Markdown goes
to stdout and to ``--out``; :func:`run_all` is reused by tests/hostile/test_corpus_cli.py.
(scripts/corpus_table.py, by the reader's author, gives the per-file cost inside the reader.)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile.helpers import KC_EXCEL, run_measured  # noqa: E402  (tests/hostile/helpers.py)

CORPUS = ROOT.parent / "shared" / "corpus" / "files"


@dataclass
class CommandOutcome:
    name: str
    files: int
    exit_codes: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    """File outcome (first error code, or a status) → number of files."""
    issue_codes: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    peak_mib: float = 0.0
    worst: tuple[float, str] = (0.0, "")
    """(seconds, file name) of the slowest single-file run."""
    tracebacks: list[str] = field(default_factory=list)
    """Files (or "all") whose run printed a traceback or an internal error."""


def _run(args: list[str], timeout: float = 900) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run the CLI; (completed process, seconds, peak MiB of its process tree)."""
    env = {**os.environ}
    env.setdefault("KC_EXCEL_CACHE_DIR", tempfile.mkdtemp(prefix="kc-cache-"))
    return run_measured([str(KC_EXCEL), *args], env=env, timeout=timeout)


def _bad(stderr: str) -> bool:
    return "Traceback" in stderr or "Lỗi nội bộ" in stderr or "Internal error" in stderr


def validate_all(files: list[Path]) -> CommandOutcome:
    """One ``validate --json`` over every file."""
    result = CommandOutcome("validate (all files, one run)", len(files))
    proc, result.seconds, result.peak_mib = _run(["validate", "--json", *map(str, files)])
    result.exit_codes[proc.returncode] += 1
    if _bad(proc.stderr):
        result.tracebacks.append("all")
    document = json.loads(proc.stdout)
    for entry in document["files"]:
        errors = [i["code"] for i in entry["issues"] if i["severity"] == "error"]
        result.outcomes[errors[0] if errors else "valid"] += 1
        result.issue_codes.update(i["code"] for i in entry["issues"])
    return result


def validate_each(files: list[Path], workers: int = 2) -> CommandOutcome:
    """``validate --json FILE`` once per file (``workers`` at a time): the slowest file and the exit codes."""
    result = CommandOutcome("validate (one run per file)", len(files))
    started = time.monotonic()

    def one(path: Path) -> tuple[Path, subprocess.CompletedProcess, float, float]:
        return (path, *_run(["validate", "--json", str(path)], timeout=120))

    with ThreadPoolExecutor(workers) as pool:
        for path, proc, seconds, peak in pool.map(one, files):
            result.peak_mib = max(result.peak_mib, peak)
            result.exit_codes[proc.returncode] += 1
            result.worst = max(result.worst, (seconds, path.name))
            if _bad(proc.stderr):
                result.tracebacks.append(path.name)
            try:
                entry = json.loads(proc.stdout)["files"][0]
                errors = [i["code"] for i in entry["issues"] if i["severity"] == "error"]
                result.outcomes[errors[0] if errors else "valid"] += 1
            except (ValueError, IndexError, KeyError):
                result.outcomes["(no JSON)"] += 1
    result.seconds = time.monotonic() - started
    return result


def consolidate_all(files: list[Path], *, province: str = "Đồng Nai", year: int = 2026) -> CommandOutcome:
    """``consolidate`` over a folder holding a copy of every file."""
    result = CommandOutcome("consolidate (folder of all files)", len(files))
    with tempfile.TemporaryDirectory(prefix="kc-corpus-") as scratch:
        folder = Path(scratch) / "nop"
        folder.mkdir()
        for path in files:
            shutil.copyfile(path, folder / path.name)
        proc, result.seconds, result.peak_mib = _run(["consolidate", str(folder), "--province", province, "--year", str(year),
                                     "-o", str(Path(scratch) / "plan.xlsx"), "--json", "--no-cache"])
    result.exit_codes[proc.returncode] += 1
    if _bad(proc.stderr):
        result.tracebacks.append("all")
    document = json.loads(proc.stdout)
    for unit in document["units"]:
        if unit["file"]:
            result.outcomes[unit["status"]] += 1
    result.issue_codes.update(i["code"] for i in document["issues"] if i.get("file"))
    return result


def run_all(directory: Path = CORPUS, *, each: bool = True) -> tuple[list[Path], list[CommandOutcome]]:
    files = sorted(p for p in directory.iterdir() if p.is_file())
    results = [validate_all(files)]
    if each:
        results.append(validate_each(files))
    results.append(consolidate_all(files))
    return files, results


def markdown(files: list[Path], results: list[CommandOutcome]) -> str:
    lines = [f"Corpus: {len(files)} files (`../shared/corpus/files`), run through the `kc-excel` command.", "",
             "| Command | Outcome (files) | Exit codes | Time | Slowest file | Peak memory | Tracebacks |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        outcome = ", ".join(f"`{k}` {v}" for k, v in r.outcomes.most_common())
        exits = ", ".join(f"{k}: {v}" for k, v in sorted(r.exit_codes.items()))
        worst = f"{r.worst[0]:.1f} s ({r.worst[1]})" if r.worst[1] else "—"
        lines.append(f"| {r.name} | {outcome} | {exits} | {r.seconds:.1f} s | {worst} | {r.peak_mib:.0f} MiB | "
                     f"{len(r.tracebacks)} |")
    consolidate = results[-1]
    if consolidate.issue_codes:
        lines += ["", "Issue codes raised by `consolidate` for the corpus files: "
                  + ", ".join(f"`{k}` {v}" for k, v in consolidate.issue_codes.most_common()) + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=Path, default=CORPUS)
    parser.add_argument("--no-each", action="store_true", help="skip the one-run-per-file pass (~1 min)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "corpus" / "outcomes.md")
    args = parser.parse_args(argv)
    files, results = run_all(args.files, each=not args.no_each)
    table = markdown(files, results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
