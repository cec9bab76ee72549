"""Run every hostile case and fault through the real `kc-excel` command and print the README table.

    .venv/bin/python scripts/hostile_table.py [--quick] [--trials 20]

Each row is *observed*, not written by hand: the hostile files are generated
from a genuine signed template (tests/hostile/payloads.py), each case runs the
installed CLI in a subprocess, and the table reports the code found in its
JSON, the exit code and the wall-clock time (CLI start-up included) and, for
the bomb cases, the peak memory of the process tree. The Markdown goes to
stdout and to build/hostile/table.md. ``--quick`` skips the 200,000-row file
and the folder of 100 (about 25 s each).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from filelock import FileLock  # noqa: E402

from hostile import genuine, payloads  # noqa: E402
from hostile.helpers import (KC_EXCEL, drop_root_override, file_size_limit, formula_leaks,  # noqa: E402
                             kill_trials, leftovers, plan_totals, run_measured, xml_cells)
from kc_excel.signing import load_or_create_key  # noqa: E402

EXAMPLES = ROOT / "workbooks" / "examples"
INJECTION = ['=HYPERLINK("http://x","y")', "=cmd|'/C calc'!A0", "@SUM(A1:A2)", "+1+1", "-1+1"]


@dataclass
class Row:
    case: str
    expected: str
    observed: str
    exit: str
    seconds: float


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_mib: float


def kc(*args, env: dict | None = None, preexec=None) -> Run:
    """Run the installed CLI; peak memory is that of its process tree (see helpers.run_measured)."""
    proc, seconds, peak = run_measured([str(KC_EXCEL), *map(str, args)], env={**os.environ, **(env or {})},
                                       preexec=preexec)
    return Run(proc.returncode, proc.stdout, proc.stderr, seconds, peak)


def clean(run: Run) -> str:
    """' ; traceback!' when the run printed a traceback or an internal error."""
    bad = "Traceback" in run.err or "Lỗi nội bộ" in run.err
    return "; **traceback/internal error printed**" if bad else ""


def codes_of(run: Run) -> str:
    try:
        document = json.loads(run.out)
    except ValueError:
        return "(no JSON)"
    files = document.get("files") or []
    found = sorted({i["code"] for f in files for i in f["issues"] if i["severity"] == "error"})
    return ", ".join(f"`{c}`" for c in found) or "valid"


class Lab:
    """A scratch folder with a province key, a cache, and the genuine signed template."""

    def __init__(self, root: Path) -> None:
        self.root = root
        config = root / "config"
        os.environ["KC_EXCEL_CONFIG"] = str(config)
        os.environ["KC_EXCEL_CACHE_DIR"] = str(root / "cache")
        self.key = load_or_create_key(config)
        self.base = genuine.write_genuine(root / "base.xlsx", key=self.key)
        self.rows: list[Row] = []

    def dir(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def add(self, case: str, expected: str, observed: str, run: Run | None, seconds: float | None = None) -> None:
        exit_ = "" if run is None else str(run.code)
        self.rows.append(Row(case, expected, observed + ("" if run is None else clean(run)), exit_,
                             seconds if seconds is not None else (run.seconds if run else 0.0)))

    def folder_of(self, name: str, units=None, lines_per_unit: int = 2) -> tuple[Path, list[dict]]:
        folder = self.dir(name)
        expected = []
        for unit in units or genuine.communes()[:3]:
            lines = [genuine.clean_line(unit, n) for n in range(1, lines_per_unit + 1)]
            genuine.write_genuine(folder / f"DangKy_2026_{unit.code}.xlsx", unit, lines, key=self.key)
            expected.extend(lines)
        return folder, expected


def consolidate(folder: Path, output: Path, *extra: str, province: str = genuine.PROVINCE) -> list[str]:
    return ["consolidate", str(folder), "--province", province, "--year", str(genuine.YEAR), "-o", str(output),
            *extra]


# --- hostile files -------------------------------------------------------------------------------------

def hostile_files(lab: Lab, quick: bool) -> None:
    cases = [
        ("Billion laughs (entity bomb) in the data sheet", "refused, never expanded", payloads.billion_laughs),
        ("External entity `file:///etc/passwd`", "refused, file never read", payloads.external_entity),
        ("External parameter entity", "refused", lambda b, o: payloads.external_entity(b, o, parameter=True)),
        ("Zip bomb: 1 GiB sheet in ~1 MB", "refused before inflating, < 5 s, low memory", payloads.zip_bomb),
        ("Duplicate zip entry names", "refused as ambiguous", payloads.duplicate_entries),
        ("Encrypted workbook (password)", "refused: \"tệp có mật khẩu\"", payloads.encrypted),
        ("Truncated template (2/3 of the bytes)", "refused as corrupt", payloads.truncated),
    ]
    for case, expected, make in cases:
        path = make(lab.base, lab.dir("files") / f"{make.__name__}-{len(lab.rows)}.xlsx")
        before = genuine.sha256(path)
        run = kc("validate", "--json", path)
        leaked = payloads.PASSWD_MARKER in run.out + run.err
        observed = f"{codes_of(run)}; input unchanged: {'yes' if genuine.sha256(path) == before else 'NO'}"
        if "passwd" in case:
            observed += f"; passwd content in output: {'YES' if leaked else 'no'}"
        observed += f"; peak memory {run.peak_mib:.0f} MiB"
        lab.add(case, expected, observed, run)
    network(lab)
    link = lab.dir("files") / "zero.xlsx"
    link.symlink_to("/dev/zero")
    run = kc("validate", "--json", link)
    lab.add("A device as input (`zero.xlsx` → `/dev/zero`)", "ends quickly, refused", codes_of(run), run)
    path = payloads.renamed(lab.base, lab.dir("files") / "Phiếu đăng ký.xls")
    run = kc("validate", "--json", path)
    lab.add("Template renamed `.xls`", "read by content (it is a zip with xl/workbook.xml)", codes_of(run), run)
    if not quick:
        path = payloads.many_rows(lab.base, lab.dir("files") / "200000.xlsx", 200_000)
        run = kc("validate", "--json", path)
        lab.add(f"200,000-row submission ({path.stat().st_size // 2**20} MB)", "bounded: processed or file-too-large",
                f"{codes_of(run)} ({_detail(run)}); peak memory {run.peak_mib:.0f} MiB", run)
    long_names(lab)


def network(lab: Lab) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
    path = payloads.external_entity(lab.base, lab.dir("files") / "xxe-http.xlsx", url)
    run = kc("validate", "--json", path)
    try:
        listener.accept()
        contacted = "YES"
    except socket.timeout:
        contacted = "no"
    finally:
        listener.close()
    lab.add("External entity `http://127.0.0.1/...`", "refused, nothing fetched",
            f"{codes_of(run)}; connection made: {contacted}", run)


def long_names(lab: Lab) -> None:
    folder = lab.dir("long")
    path = payloads.long_name(folder)
    shutil.copyfile(lab.base, path)
    run = kc("validate", "--json", path)
    plan = lab.dir("long-out") / "plan.xlsx"
    run2 = kc(*consolidate(folder, plan, "--json"))
    rows = json.loads(run2.out)["rows"] if run2.code in (0, 1) else "-"
    lab.add("File name: 200 characters, Vietnamese letters, spaces", "validated and consolidated",
            f"validate: {codes_of(run)}; consolidate: {rows} line(s)", run2, run.seconds + run2.seconds)


def injection(lab: Lab) -> None:
    units = genuine.communes()
    folder = lab.dir("injection")
    free = {"B7": INJECTION[0], "D7": INJECTION[1], "E7": INJECTION[2], "R7": INJECTION[3], "R8": INJECTION[4]}
    checked = {"C7": INJECTION[1], "H7": INJECTION[2], "J7": INJECTION[3], "K7": INJECTION[4], "I7": INJECTION[0]}
    a = genuine.write_genuine(lab.root / "a.xlsx", units[0], [genuine.clean_line(units[0], 1),
                                                               genuine.clean_line(units[0], 2)], key=lab.key)
    b = genuine.write_genuine(lab.root / "b.xlsx", units[1], key=lab.key)
    payloads.with_texts(a, folder / "a.xlsx", free)
    bad = payloads.with_texts(b, folder / "b.xlsx", checked)
    started = time.monotonic()
    annotated = lab.root / "annotated.xlsx"
    run = kc("validate", bad, "--annotate", annotated)
    plan = lab.root / "injection-plan.xlsx"
    run2 = kc(*consolidate(folder, plan))
    programme = payloads.with_texts(EXAMPLES / "ChuongTrinh_DongNai_2021-2025.xlsx", lab.root / "ct.xlsx",
                                    {"B5": INJECTION[0], "K5": INJECTION[1], "B6": INJECTION[2]})
    report = lab.root / "danh-gia.xlsx"
    run3 = kc("attainment", "--programme", programme, "--results", EXAMPLES / "KetQua_DongNai_2021-2023.xlsx",
              "--as-of", "2023-12", "-o", report)
    parts = []
    for label, path, r in (("annotated copy + Lỗi", annotated, run), ("plan (Chi tiết, Lỗi)", plan, run2),
                           ("attainment report", report, run3)):
        if not path.exists():
            parts.append(f"{label}: not written (exit {r.code})")
            continue
        leaks = formula_leaks(path)
        texts = sum(1 for c in xml_cells(path) if c.text and any(p in c.text for p in INJECTION))
        parts.append(f"{label}: {texts} text cell(s), **{len(leaks)} formula(s)**" if leaks
                     else f"{label}: {texts} text cell(s), 0 formulas")
    lab.add("Formula injection `=HYPERLINK`, `=cmd|`, `@SUM`, `+1+1`, `-1+1`", "text in every output",
            "; ".join(parts), run2, time.monotonic() - started)


# --- faults ----------------------------------------------------------------------------------------------

def faults(lab: Lab, trials: int, quick: bool) -> None:
    folder, expected = lab.folder_of("three")
    want = (len(expected), genuine.expected_total_dong(expected))
    out_dir = lab.dir("ro-out")
    plan = out_dir / "plan.xlsx"
    kc(*consolidate(folder, plan))
    old = genuine.sha256(plan)
    out_dir.chmod(0o555)
    try:
        run = kc(*consolidate(folder, plan), preexec=drop_root_override)
    finally:
        out_dir.chmod(0o755)
    lab.add("Output folder read-only", "exit 2, clear message, old plan kept",
            f"{_first_line(run.err)}; old plan kept: {'yes' if genuine.sha256(plan) == old else 'NO'}", run)

    genuine.write_genuine(folder / "DangKy_new.xlsx", genuine.communes()[5], key=lab.key)
    run = kc(*consolidate(folder, plan, "--no-cache"), preexec=file_size_limit(4096))
    lab.add("Disk full (`RLIMIT_FSIZE`, EFBIG)", "exit 2, old plan kept, no temp file",
            f"{_first_line(run.err)}; old plan kept: {'yes' if genuine.sha256(plan) == old else 'NO'}; "
            f"temp files left: {len(leftovers(out_dir))}", run)
    (folder / "DangKy_new.xlsx").unlink()
    killed(lab, trials)

    with FileLock(str(plan) + ".lock"):
        run = kc(*consolidate(folder, plan), env={"KC_EXCEL_LOCK_TIMEOUT": "1"})
    lab.add("Another run holds the output's lock", "waits, then exit 2 with the lock message",
            _first_line(run.err), run)
    race = lab.dir("race") / "plan.xlsx"
    started = time.monotonic()
    procs = [subprocess.Popen([str(KC_EXCEL), *consolidate(folder, race, "--no-cache")], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(2)]
    codes = [p.wait(120) for p in procs]
    ok = plan_totals(race) == want
    lab.add("Two consolidations racing for one output", "one waits; the plan is complete",
            f"exit codes {codes}; plan complete and correct: {'yes' if ok else 'NO'}", None,
            time.monotonic() - started)
    if not quick:
        hundred(lab)


def killed(lab: Lab, trials: int) -> None:
    folder, expected = lab.folder_of("killed")
    plan = folder / "KeHoach.xlsx"
    kc(*consolidate(folder, plan))
    old = plan_totals(plan)
    copy = lab.root / "old-plan.xlsx"
    shutil.copyfile(plan, copy)
    unit = genuine.communes()[3]
    extra = [genuine.clean_line(unit, 1, tong=1000, kcdp=200, doi_ung=800)]
    genuine.write_genuine(folder / f"DangKy_2026_{unit.code}.xlsx", unit, extra, key=lab.key)
    new = (old[0] + 1, old[1] + genuine.expected_total_dong(extra))
    full = kc(*consolidate(folder, lab.root / "timing.xlsx")).seconds  # also fills the result cache
    started = time.monotonic()
    seen = kill_trials([str(KC_EXCEL), *consolidate(folder, plan)], plan, copy, {"old": old, "new": new},
                       trials=trials, seed=20260107, full_seconds=full)
    left = len(leftovers(folder))
    after = kc(*consolidate(folder, plan, "--json"))
    rerun = json.loads(after.out)["rows"] == new[0] if after.code == 0 else False
    lab.add(f"Killed (SIGKILL) at random moments, {trials} trials", "old plan or complete new one",
            f"old plan {seen['old']}, complete new plan {seen['new']}, partial/broken {seen['partial/broken']}; "
            f"temp files left {left}, ignored by the next run, which is correct: "
            f"{'yes' if rerun else 'NO'}", None, time.monotonic() - started)


def hundred(lab: Lab) -> None:
    from kc_excel import catalog

    province = catalog.find_province("Thanh Hóa")
    units = catalog.units_of(province, level="xa")[:100]
    folder = lab.dir("hundred")
    for unit in units[:98]:
        genuine.write_genuine(folder / f"DangKy_2026_{unit.code}.xlsx", unit, [genuine.clean_line(unit)],
                              key=lab.key, of_province=province)
    (folder / f"DangKy_2026_{units[98].code}.xlsx").write_bytes(b"KC-FAULT:abort" + b"\0" * 100)
    (folder / f"DangKy_2026_{units[99].code}.xlsx").write_bytes(b"KC-FAULT:hang" + b"\0" * 100)
    run = kc(*consolidate(folder, lab.root / "hundred.xlsx", "--json", "--no-cache", province=province.name),
             env={"KC_EXCEL_FAULT_INJECTION": "1"})
    document = json.loads(run.out)
    statuses = {}
    for unit in document["units"]:
        if unit["file"]:
            statuses[unit["status"]] = statuses.get(unit["status"], 0) + 1
    lab.add("Reader crash (abort) + hang, in a folder of 100", "those 2 `Không đọc được`, 98 consolidated",
            ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())) + f"; lines {document['rows']}", run)


def identity(lab: Lab) -> None:
    from kc_excel.workbook.templates import registration_file_name

    units = genuine.communes()
    folder = lab.dir("identity")
    neighbour = genuine.write_genuine(lab.root / "c.xlsx", units[2], [genuine.clean_line(units[1])], key=lab.key)
    shutil.copyfile(neighbour, folder / registration_file_name(genuine.YEAR, units[1]))
    genuine.write_genuine(folder / "mau-cu.xlsx", units[5], key=None)
    run = kc(*consolidate(folder, lab.root / "identity.xlsx", "--json"))
    document = json.loads(run.out)
    found = {}
    for issue in document["issues"]:
        if issue["code"].startswith("template-"):
            found.setdefault(Path(issue["file"]).name, set()).add(issue["code"])
    renamed = ", ".join(sorted(found.get(registration_file_name(genuine.YEAR, units[1]), ()))) or "nothing flagged"
    old = ", ".join(sorted(found.get("mau-cu.xlsx", ()))) or "nothing flagged"
    lab.add("Neighbour's template renamed / unsigned older template",
            "`template-identity-mismatch` / `template-unsigned` warning", f"renamed: {renamed}; unsigned: {old}", run)


def _detail(run: Run) -> str:
    """The reader's specific detail in the first issue's message (between the title and the fix)."""
    try:
        message = json.loads(run.out)["files"][0]["issues"][0]["message"]
    except (ValueError, LookupError):
        return "?"
    return message.split(": ", 1)[-1].split(". ", 1)[0]


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and "Traceback" not in line]
    line = lines[0] if lines else "(no message)"
    return (line[:110] + "…") if len(line) > 110 else line


def markdown(rows: list[Row]) -> str:
    out = ["| Case | Expected | Observed | Exit | Time (s) |", "|---|---|---|---|---|"]
    for r in rows:
        observed = r.observed.replace("|", "\\|")
        case = r.case.replace("|", "\\|")
        out.append(f"| {case} | {r.expected} | {observed} | {r.exit} | {r.seconds:.1f} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 200,000-row file and the folder of 100")
    parser.add_argument("--trials", type=int, default=20, help="SIGKILL trials (default 20)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "hostile" / "table.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kc-hostile-") as scratch:
        lab = Lab(Path(scratch))
        hostile_files(lab, args.quick)
        injection(lab)
        identity(lab)
        faults(lab, args.trials, args.quick)
        table = markdown(lab.rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
