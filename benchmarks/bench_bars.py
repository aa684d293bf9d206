"""Measure the bars of speed and memory for a large corpus, each against what it is compared with.

    python benchmarks/bench_bars.py [--rounds N] [--skip-memory] [--skip-import]

Run it with the Python of an environment where peel is installed. It writes (once; a
stamp keeps them) synthetic corpora of 1,000 and 5,000 reports into benchmarks/.corpus/
(see corpus.py), then times whole `peel` processes, output to /dev/null, the scenarios
taking turns round after round so that a slow moment of the machine falls on all of
them alike. Each run's wall time and CPU time (user and system, of peel and any helper
it started, from wait4) are kept; each bar is a ratio taken within a round, and printed
as the median of the rounds' ratios with their range. CPU-time ratios are what a busy
machine disturbs least; wall-time ratios are the ones users feel, and are meaningful
only on an otherwise idle machine.

The bars:

- 1,000 reports with an empty cache, against one report (the shipped one, warm):
  wall at most 4x on an idle machine, CPU at most 5x (`grades --json`); and its CPU
  in one process (PEEL_PROCESSES=1), since helpers forked onto idle cores save wall time
  and cost CPU time;
- `findings --json` on 1,000 reports, warm, against one report: at most 2.5x;
- `compare --force Kent` on 1,000 reports, warm, drawn as a table against as JSON:
  at most 1.3x;
- peak memory (max RSS, through GNU time) at 5,000 reports, warm and with an empty
  cache, for `grades --json` and `findings --json`: under 250 MB;
- `peel import` of an 8 MiB adversarial text: under 5 s.

It asserts nothing: it prints each figure and whether it meets its bar.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402
import corpus  # noqa: E402

CORPUS_DIR = HERE / ".corpus"
MIB = 1024 * 1024
IMPORT_HEAD = (
    "Examplshire PEEL 2016\nEffectiveness\nHow effective is the force at preventing crime?\n"
)
IMPORT_UNITS = ("e.g. A ", "2015 ")


@dataclass
class Run:
    """One scenario: its command line, its cache, and its runs' wall and CPU seconds."""

    argv: list[str]
    cache: Path
    empty_cache: bool = False
    env: dict[str, str] = field(default_factory=dict)  # set for this scenario alone
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def main() -> int:
    """Make the corpora, run the rounds, print the bars."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of timed runs (default 5)")
    parser.add_argument("--skip-memory", action="store_true", help="no runs at 5,000 reports")
    parser.add_argument("--skip-import", action="store_true", help="no import of 8 MiB")
    args = parser.parse_args()
    peel = bench._peel_executable()
    bench._compile_peel()
    thousand = _corpus(1000)
    env = bench._child_env()
    load = _load()
    print(bench._machine())
    with tempfile.TemporaryDirectory(prefix="peel-bars-") as tmp:
        caches = Path(tmp)
        data = ["--data", str(thousand)]
        runs = {
            "one": Run([peel, "grades", "--json"], caches / "one"),
            "one findings": Run([peel, "findings", "--json"], caches / "one-findings"),
            "1000 empty": Run([peel, "grades", "--json", *data], caches / "empty", True),
            # The same in one process: helpers on idle cores save wall time and cost CPU time.
            "1000 empty serial": Run(
                [peel, "grades", "--json", *data],
                caches / "empty-serial",
                True,
                {"PEEL_PROCESSES": "1"},
            ),
            "1000 findings": Run([peel, "findings", "--json", *data], caches / "findings"),
            "compare table": Run([peel, "compare", "--force", "Kent", *data], caches / "cmp"),
            "compare json": Run(
                [peel, "compare", "--force", "Kent", "--json", *data], caches / "cmp-json"
            ),
        }
        print(f"Warming up, then {args.rounds} rounds…", file=sys.stderr)
        for run in runs.values():
            _time(run, env)  # fills the caches, the file cache and peel's pycs
            run.wall.clear()
            run.cpu.clear()
        for n in range(args.rounds):
            for run in runs.values():
                _time(run, env)
            print(f"  round {n + 1}/{args.rounds}", file=sys.stderr)
        print(f"Load average (1, 5, 15 min) before: {load}; after the rounds: {_load()}.")
        print(f"{args.rounds} rounds; each ratio is the median of the rounds' ratios [range].")
        print()
        _bar(
            "1,000 reports, empty cache ÷ one report, wall (idle machine)",
            runs,
            "1000 empty",
            "one",
            4.0,
            "wall",
        )
        _bar("1,000 reports, empty cache ÷ one report, CPU", runs, "1000 empty", "one", 5.0, "cpu")
        _bar(
            "the same in one process (PEEL_PROCESSES=1), CPU",
            runs,
            "1000 empty serial",
            "one",
            5.0,
            "cpu",
        )
        _bar(
            "findings --json, 1,000 warm ÷ one report, wall",
            runs,
            "1000 findings",
            "one findings",
            2.5,
            "wall",
        )
        _bar(
            "findings --json, 1,000 warm ÷ one report, CPU",
            runs,
            "1000 findings",
            "one findings",
            2.5,
            "cpu",
        )
        _bar(
            "compare --force, table ÷ JSON (1,000 warm), wall",
            runs,
            "compare table",
            "compare json",
            1.3,
            "wall",
        )
        _bar(
            "compare --force, table ÷ JSON (1,000 warm), CPU",
            runs,
            "compare table",
            "compare json",
            1.3,
            "cpu",
        )
        if not args.skip_memory:
            print()
            _memory(peel, _corpus(5000), caches, env)
        if not args.skip_import:
            print()
            _import(peel, caches, env)
    print(f"\nLoad average after all runs: {_load()}.")
    return 0


def _corpus(size: int) -> Path:
    """A corpus of size reports, written once and kept while corpus.py is unchanged."""
    directory = CORPUS_DIR / f"bars-{size}"
    stamp = directory / ".stamp"
    made_by = hashlib.sha256((HERE / "corpus.py").read_bytes()).hexdigest() + f" {size}"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == made_by:
        return directory
    print(f"Writing {size:,} reports into {directory}…", file=sys.stderr)
    corpus.write_corpus(directory, size)
    stamp.write_text(made_by, encoding="utf-8")
    return directory


def _time(run: Run, env: dict[str, str]) -> None:
    """One run: a new process, stdout to /dev/null; its wall time and its CPU time."""
    if run.empty_cache:
        shutil.rmtree(run.cache, ignore_errors=True)
    child = {**env, **run.env, "XDG_CACHE_HOME": str(run.cache)}
    actions = [
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(run.argv[0], run.argv, child, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    run.wall.append(time.perf_counter() - start)
    # wait4 counts the helpers peel started and waited for along with peel itself.
    run.cpu.append(usage.ru_utime + usage.ru_stime)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench_bars: {' '.join(run.argv)} failed")


def _bar(label: str, runs: dict[str, Run], key: str, against: str, limit: float, kind: str) -> None:
    ratios = [
        a / b for a, b in zip(getattr(runs[key], kind), getattr(runs[against], kind), strict=True)
    ]
    median = statistics.median(ratios)
    mine = statistics.median(getattr(runs[key], kind))
    theirs = statistics.median(getattr(runs[against], kind))
    verdict = "meets" if median <= limit else "MISSES"
    print(
        f"{label}: {median:.2f}× [{min(ratios):.2f}–{max(ratios):.2f}] "
        f"({mine * 1000:.0f} ms ÷ {theirs * 1000:.0f} ms); bar ≤ {limit:g}×: {verdict}"
    )


def _memory(peel: str, five_thousand: Path, caches: Path, env: dict[str, str]) -> None:
    """Peak RSS at 5,000 reports, warm and with an empty cache, through GNU time."""
    if not os.path.exists(bench.GNU_TIME):
        print("Peak memory: GNU time (/usr/bin/time) is not installed; not measured.")
        return
    for command in ("grades", "findings"):
        cache = caches / f"memory-{command}"
        argv = [peel, command, "--json", "--data", str(five_thousand)]
        shutil.rmtree(cache, ignore_errors=True)
        cold = _peak_mb(argv, cache, env)  # an empty cache: every file parsed
        warm = _peak_mb(argv, cache, env)
        for what, mb in (("empty cache", cold), ("warm", warm)):
            verdict = "meets" if mb < 250 else "MISSES"
            print(
                f"Peak RSS, {command} --json, 5,000 reports, {what}: {mb:.0f} MB; "
                f"bar < 250 MB: {verdict}"
            )


def _peak_mb(argv: list[str], cache: Path, env: dict[str, str]) -> float:
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        subprocess.run(
            [bench.GNU_TIME, "-f", "%M", "-o", out.name, *argv],
            env={**env, "XDG_CACHE_HOME": str(cache)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        return int(out.read().split()[-1]) / 1024  # GNU time's %M is in kilobytes


def _import(peel: str, tmp: Path, env: dict[str, str]) -> None:
    """`peel import` of 8 MiB texts of one adversarial unit repeated: wall and CPU time."""
    for unit in IMPORT_UNITS:
        text = IMPORT_HEAD + unit * ((8 * MIB - len(IMPORT_HEAD)) // len(unit))
        source = tmp / "adversarial.txt"
        source.write_text(text, encoding="utf-8")
        run = Run([peel, "import", str(source), "-o", str(tmp / "adversarial.yaml")], tmp / "c")
        _time(run, env)
        verdict = "meets" if run.wall[0] < 5 else "MISSES"
        print(
            f"peel import of 8 MiB of {unit!r} repeated: {run.wall[0]:.2f} s wall, "
            f"{run.cpu[0]:.2f} s CPU; bar < 5 s: {verdict}"
        )


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
