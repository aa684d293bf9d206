"""Time `peel export` against `peel findings --json` on the same reports, and the writers chosen.

    python benchmarks/bench_export.py [--reports N] [--rounds N]

Run it with the Python of an environment where peel is installed. It writes N synthetic reports
(default 1,000) with corpus.py, fills peel's cache with one run, then times, in interleaved
rounds, three commands on the warm corpus:

- `peel findings --json` (the yardstick: every finding as JSON);
- `peel export --sqlite FILE` (bar: at most 3× the yardstick);
- `peel export --xlsx FILE` (bar: at most 10× the yardstick).

Each round runs the three one after another, and the ratios are taken per round, so that a
change in the machine's load touches both sides of a ratio alike; the median and range of the
ratios are printed, with the wall and CPU time of each command and the machine's load.

It then times, in this process and on the same rows, the writers that were weighed for each
file: the standard library's sqlite3 against sqlite-utils' insert_all (where sqlite-utils is
installed), and XlsxWriter against openpyxl's write-only workbook. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def _peel() -> str:
    candidate = Path(sys.executable).parent / "peel"
    found = str(candidate) if candidate.exists() else shutil.which("peel")
    if not found:
        sys.exit("bench_export: install peel into this Python first: pip install -e .")
    return found


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (of the child) of one run; the run must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"bench_export: {' '.join(command)} failed:\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _commands(peel: str, data: Path, out: Path) -> dict[str, list[str]]:
    return {
        "findings --json": [peel, "--data", str(data), "findings", "--json"],
        "export --sqlite": [peel, "--data", str(data), "export", "--sqlite", str(out / "p.db")],
        "export --xlsx": [peel, "--data", str(data), "export", "--xlsx", str(out / "p.xlsx")],
    }


def _commands_bench(peel: str, data: Path, out: Path, rounds: int) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PEEL_DATA", "PEEL_CACHE")}
    commands = _commands(peel, data, out)
    _timed(commands["findings --json"], env)  # fills the cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(_timed(command, env))
    base = times["findings --json"]
    print(f"\nCommands on {data.name}, warm cache, {rounds} interleaved rounds:")
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        line = f"  {name:<16} wall {wall * 1000:7.0f} ms   cpu {cpu * 1000:7.0f} ms"
        if name != "findings --json":
            ratios = [w / b for (w, _), (b, _) in zip(runs, base, strict=True)]
            cpu_ratios = [c / b for (_, c), (_, b) in zip(runs, base, strict=True)]
            bar = 3 if "sqlite" in name else 10
            line += (
                f"   ÷ findings: {statistics.median(ratios):.2f}"
                f" ({min(ratios):.2f}–{max(ratios):.2f}), cpu {statistics.median(cpu_ratios):.2f}"
                f"   bar ≤ {bar}"
            )
        print(line)


def _rows(data: Path) -> list[dict[str, Any]]:
    from peelcli.dataset.files import discover
    from peelcli.dataset.loader import load_reports
    from peelcli.query import Scope, finding_rows
    from peelcli.render.records import finding_record

    reports = load_reports(discover([data]))
    return [finding_record(row) for row in finding_rows(reports, Scope())]


def _best(fn: Callable[[], None], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def _writers_bench(data: Path, out: Path) -> None:
    import sqlite3

    records = _rows(data)
    columns = sorted({key for record in records for key in record})
    values = [tuple(_plain(r.get(c)) for c in columns) for r in records]
    print(
        f"\nWriters on the same {len(records)} findings ({len(columns)} columns), CPU, best of 3:"
    )

    def stdlib() -> None:
        path = out / "stdlib.db"
        path.unlink(missing_ok=True)
        with sqlite3.connect(path) as db:
            db.execute(f"create table findings ({', '.join(f'[{c}]' for c in columns)})")
            marks = ", ".join("?" * len(columns))
            db.executemany(f"insert into findings values ({marks})", values)

    print(f"  sqlite3 executemany        {_best(stdlib) * 1000:7.0f} ms")
    try:
        import sqlite_utils
    except ImportError:
        print("  sqlite-utils insert_all    (not installed: pip install sqlite-utils)")
    else:

        def utils() -> None:
            path = out / "utils.db"
            path.unlink(missing_ok=True)
            db = sqlite_utils.Database(path)
            db["findings"].insert_all({c: _plain(r.get(c)) for c in columns} for r in records)
            db.close()

        print(f"  sqlite-utils insert_all    {_best(utils) * 1000:7.0f} ms")

    def xlsxwriter_book() -> None:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(out / "xw.xlsx"), {"constant_memory": True})
        sheet = book.add_worksheet("Findings")
        wrap = book.add_format({"text_wrap": True})
        for n, row in enumerate(values):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(n, c, value, wrap)
                elif value is not None:
                    sheet.write_number(n, c, value, wrap)
        book.close()

    def openpyxl_book() -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Findings")
        wrap = Alignment(wrap_text=True)
        for row in values:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrap
                cells.append(cell)
            sheet.append(cells)
        book.save(str(out / "op.xlsx"))

    print(f"  XlsxWriter (constant mem)  {_best(xlsxwriter_book) * 1000:7.0f} ms")
    print(f"  openpyxl (write-only)      {_best(openpyxl_book) * 1000:7.0f} ms")


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    peel = _peel()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / f"reports-{args.reports}"
        corpus.write_corpus(data, args.reports)
        out = Path(tmp) / "out"
        out.mkdir()
        _commands_bench(peel, data, out, args.rounds)
        _writers_bench(data, out)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
