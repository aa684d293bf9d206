"""Time `peel track list` on 1,000 reports with 20,000 tracked entries against `peel findings
--json` on the same reports (the target: `track list --json` within 1.5×), and each in CSV.
Prints the figures; asserts nothing.

The tracker holds an entry for each of the corpus's findings, each with an owner, a due date
and a change in its history, and the rest of the 20,000 for reports not loaded (counted by
the listing, as a real tracker holds entries for reports put away). It is written by peel's
own writer, which keeps its parse in the cache, as `peel track set` does.

    python benchmarks/bench_track.py [--runs N] [--tables]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

ENTRIES = 20_000
TARGET = 1.5


def _tracker(reports_dir: Path, path: Path) -> int:
    from peelcli.dataset.loader import load_reports
    from peelcli.tracking.keys import Index, fingerprint
    from peelcli.tracking.model import Change, Entry, Status, Tracker
    from peelcli.tracking.store import remember
    from peelcli.tracking.yamlio import dump

    index = Index.of(load_reports([reports_dir]))
    tracker = Tracker()
    statuses = list(Status)
    for n, (key, row) in enumerate(index.rows.items()):
        if len(tracker.entries) == ENTRIES:
            break
        tracker.entries[key] = Entry(
            fingerprint=fingerprint(row.text),
            status=statuses[n % len(statuses)],
            owner=f"Owner {n % 97}",
            due=f"20{18 + n % 9}-0{1 + n % 9}-15",
            history=[Change(at="2026-12-04T18:00:00Z", by="bench", comment="allocated")],
        )
    loaded = len(tracker.entries)
    for n in range(ENTRIES - loaded):
        tracker.entries[f"put-away-force/{2000 + n % 20}/E1.A{n + 1}"] = Entry(
            fingerprint="0" * 16, owner="Someone", due="2019-03-31"
        )
    data = dump(tracker).encode("utf-8")
    path.write_bytes(data)
    remember(data, tracker, str(path.resolve()))
    return loaded


def _time(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """The median wall-clock and CPU (user + system) seconds of warm runs. On a busy machine
    the CPU time moves less than the wall-clock time, so both are shown."""
    import resource

    def cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    times, cpus = [], []
    for _ in range(runs + 1):  # the first run warms the caches and is not counted
        start, start_cpu = time.perf_counter(), cpu()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        cpus.append(cpu() - start_cpu)
        if done.returncode != 0:
            sys.exit(f"bench: {' '.join(argv)} failed: {done.stderr.decode()}")
    return statistics.median(times[1:]), statistics.median(cpus[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument(
        "--tables",
        action="store_true",
        help="time the piped tables of findings and track list too (one run each: slow)",
    )
    args = parser.parse_args()
    peel = str(Path(sys.executable).parent / "peel")
    with tempfile.TemporaryDirectory(prefix="peel-bench-track-") as tmp:
        reports = Path(tmp) / "reports"
        corpus.write_corpus(reports, 1000)
        tracker = Path(tmp) / "tracker.yaml"
        env = {
            **os.environ,
            "PEEL_TRACKER": str(tracker),
            "XDG_CACHE_HOME": str(Path(tmp) / "cache"),
        }
        env.pop("PEEL_CACHE", None)
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        loaded = _tracker(reports, tracker)
        size = tracker.stat().st_size
        load = os.getloadavg()[0]
        data = ["--data", str(reports)]
        commands = [
            ("peel findings --json", ["findings", "--json"], args.runs),
            ("peel track list --json", ["track", "list", "--json"], args.runs),
            ("peel findings --format csv", ["findings", "--format", "csv"], args.runs),
            ("peel track list --format csv", ["track", "list", "--format", "csv"], args.runs),
        ]
        if args.tables:
            commands += [
                ("peel findings | cat", ["findings"], 1),
                ("peel track list | cat", ["track", "list"], 1),
            ]
        medians = {name: _time([peel, *argv, *data], env, runs) for name, argv, runs in commands}
    print(
        f"1,000 reports; a tracker of {ENTRIES:,} entries ({loaded:,} for loaded findings, "
        f"{size / 1e6:.1f} MB)"
    )
    print(
        f"load average (1 min) before: {load:.2f}, after: {os.getloadavg()[0]:.2f}; "
        f"median of {args.runs} warm runs (piped tables: one)"
    )
    base, base_cpu = medians["peel findings --json"]
    print(f"  {'':30} {'wall ms':>7}  {'ratio':>5}  {'CPU ms':>7}  {'ratio':>5}")
    for name, (took, used) in medians.items():
        target = f"  (target ≤ {TARGET}×)" if name == "peel track list --json" else ""
        print(
            f"  {name:30} {took * 1000:7.0f}  {took / base:4.2f}×  {used * 1000:7.0f}  "
            f"{used / base_cpu:4.2f}×{target}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
