"""The comparison programs of the consolidation benchmark, each run in its own process.

    python -m benchmarks.tasks floor DIR OUT.xlsx   # (b) calamine + pandas concat + xlsxwriter
    python -m benchmarks.tasks naive DIR            # (c) openpyxl load_workbook per file
"""

from __future__ import annotations

import sys
from pathlib import Path


def floor(folder: Path, out: Path) -> int:
    """Read every file's registration sheet with python-calamine, concatenate, write one sheet."""
    import pandas as pd
    from python_calamine import CalamineWorkbook

    frames = []
    for path in sorted(folder.glob("*.xlsx")):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Đăng ký").to_python()
        header = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
        body = [row for row in rows[header + 1:] if row[1] not in ("", None)]
        frame = pd.DataFrame(body, columns=[str(c) for c in rows[header]])
        frame["Tệp"] = path.name
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table.to_excel(out, sheet_name="Tổng hợp", index=False, engine="xlsxwriter")
    return len(table)


def naive(folder: Path) -> int:
    """What a staff script does: openpyxl on every file, every row of the form."""
    from openpyxl import load_workbook

    count = 0
    for path in sorted(folder.glob("*.xlsx")):
        ws = load_workbook(path)["Đăng ký"]
        count += sum(1 for row in ws.iter_rows(values_only=True) if row[1] not in (None, ""))
    return count


if __name__ == "__main__":
    task, *args = sys.argv[1:]
    if task == "floor":
        print(floor(Path(args[0]), Path(args[1])))
    elif task == "naive":
        print(naive(Path(args[0])))
    else:
        raise SystemExit(f"unknown task {task}")
