"""Benchmark of the KC_* formulas against a plain baseline timed in the same run.

- KC_TYLE over 100,000 cells (a 1000×100 range of numbers against one target)
  versus plain numpy: ``np.array(range, float) / target`` then ``.tolist()``.
- KC_DOCSO over 10,000 cells (a 10000×1 range of amounts) versus a plain
  Python loop calling :func:`kc_excel.numbers.read_amount` on each number.

``rows()`` gives one row per formula: ``{"name", "cells", "seconds",
"baseline_seconds", "ratio"}`` (ratio = formula time / baseline time, best of
``repeat`` runs each); ``run()`` gives them as the Markdown table that
``python -m benchmarks`` puts in results.md. ``python -m benchmarks.bench_udfs``
prints it.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from kc_excel.numbers import read_amount
from kc_excel.udfs import KC_DOCSO, KC_TYLE


def _best(func: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def _row(name: str, cells: int, formula: Callable[[], Any], baseline: Callable[[], Any], repeat: int) -> dict:
    seconds, base = _best(formula, repeat), _best(baseline, repeat)
    return {"name": name, "cells": cells, "seconds": round(seconds, 6), "baseline_seconds": round(base, 6),
            "ratio": round(seconds / base, 2) if base else None}


def rows(repeat: int = 3) -> list[dict]:
    rng = np.random.default_rng(2021)
    actual = rng.integers(0, 100_000, size=(1000, 100)).astype(float).tolist()
    target = 17_331.0
    amounts = rng.integers(0, 10**12, size=(10_000, 1)).astype(float).tolist()
    flat = [row[0] for row in amounts]
    return [
        _row("KC_TYLE", 100_000, lambda: KC_TYLE(actual, target),
             lambda: (np.array(actual, dtype=float) / target).tolist(), repeat),
        _row("KC_DOCSO", 10_000, lambda: KC_DOCSO(amounts),
             lambda: [read_amount(x) for x in flat], repeat),
    ]


BASELINES = {"KC_TYLE": "numpy a / b", "KC_DOCSO": "read_amount loop"}


def run(repeat: int = 3) -> str:
    """The rows as a Markdown table (for ``python -m benchmarks``)."""
    lines = ["| Formula | Cells | Formula (s) | Baseline | Baseline (s) | Ratio |", "|---|---:|---:|---|---:|---:|"]
    for row in rows(repeat):
        lines.append(f"| {row['name']} | {row['cells']:,} | {row['seconds']:.4f} | {BASELINES[row['name']]} "
                     f"| {row['baseline_seconds']:.4f} | {row['ratio']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    print(run())


if __name__ == "__main__":
    main()
