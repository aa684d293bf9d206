"""Time `peel track list` on 1,000 reports with 20,000 tracked entries against `peel findings
--json` on the same reports (the target: within 1.5×). Prints the figures; asserts nothing.

The tracker holds an entry for each of the corpus's findings, each with an owner, a due date
and a change in its history, and the rest of the 20,000 for reports not loaded (counted by
the listing, as a real tracker holds entries for reports put away). It is written by peel's
own writer, which keeps its parse in the cache, as `peel track set` does.

    python benchmarks/bench_track.py [--runs N]
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


def _time(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs + 1):  # the first run warms the caches and is not counted
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"bench: {' '.join(argv)} failed: {done.stderr.decode()}")
    return times[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
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
        findings = _time([peel, "findings", "--json", "--data", str(reports)], env, args.runs)
        listed = _time([peel, "track", "list", "--json", "--data", str(reports)], env, args.runs)
        table = _time(
            [peel, "track", "list", "--data", str(reports), "--format", "csv"], env, args.runs
        )
    f, t, c = (statistics.median(x) for x in (findings, listed, table))
    print(
        f"1,000 reports; a tracker of {ENTRIES:,} entries ({loaded:,} for loaded findings, "
        f"{size / 1e6:.1f} MB)"
    )
    print(
        f"load average (1 min) before: {load:.2f}, after: {os.getloadavg()[0]:.2f}; "
        f"median of {args.runs} warm runs"
    )
    print(f"  peel findings --json            {f * 1000:7.0f} ms")
    print(
        f"  peel track list --json          {t * 1000:7.0f} ms  {t / f:.2f}× (target ≤ {TARGET}×)"
    )
    print(f"  peel track list --format csv    {c * 1000:7.0f} ms  {c / f:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
