"""Time the similarity engine of `peel compare` and `peel similar` on a 1,000-report corpus.

    python benchmarks/bench_similar.py [--reports N] [--runs N]

Run it with the Python of an environment where peel is installed, on an otherwise idle
machine. It builds the findings of N synthetic reports (default 1,000) with corpus.py, the
generator of the main benchmark, and times, in this process, the engine's share of the work:

- the import of peelcli.similarity and rapidfuzz (`python -X importtime` in a new process, the
  cumulative time of each, median of the runs);
- making the comparison key of every finding, with an empty key cache, as a first `similar`
  does;
- `Index.nearest` for one finding against all the others (`peel similar ID`), median and
  slowest of several queries;
- matching the findings of each pair of consecutive reports of the force with the most
  reports, pillar by pillar (`peel compare --force NAME`), with an empty key cache.

The synthetic reports reuse the shipped report's few dozen findings. Real findings differ from
report to report, and equal texts would flatter the key cache, so each finding is made distinct
by a small deterministic change: a word dropped, two neighbouring words swapped, a word of the
shipped report's prose put in. Loading the reports is not timed here: bench.py times that.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from peelcli import similarity  # noqa: E402


class Finding:
    """A finding's text and the report it belongs to."""

    def __init__(self, force: str, year: int, pillar: str, text: str) -> None:
        self.force, self.year, self.pillar, self.text = force, year, pillar, text


def report_findings(report: dict[str, Any]) -> list[str]:
    """The finding texts of one synthetic report, in reading order."""
    texts: list[str] = []
    units = report["pillars"][0]["questions"] if report.get("pillars") else report["areas"]
    for question in units:
        texts += [area["text"] for area in question["areas_for_improvement"]]
        for cause in question.get("causes_of_concern", []):
            texts.append(cause["text"])
            texts += [rec["text"] for rec in cause["recommendations"]]
    return texts


def vary(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    """The text with one word dropped, two neighbours swapped and one word put in."""
    words = text.split()
    if len(words) > 4:
        del words[rng.randrange(1, len(words))]
        i = rng.randrange(1, len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    words.insert(rng.randrange(1, len(words) + 1), rng.choice(vocabulary))
    return " ".join(words)


def build(count: int) -> list[Finding]:
    """The findings of the first count reports of the benchmark corpus, each made distinct."""
    bank = corpus.sentence_bank()
    vocabulary = sorted({w for s in bank.prose for w in re.findall(r"[a-z]{5,}", s)})
    findings = []
    for index, (force, year, pillar) in enumerate(corpus.slots()[:count], 1):
        rng = random.Random(f"2016:{index}")
        report = (
            corpus.make_area_report(rng, force, year)
            if pillar == "A"
            else corpus.make_report(rng, force, year, pillar)
        )
        for text in report_findings(report):
            findings.append(Finding(force, year, pillar, vary(rng, text, vocabulary)))
    return findings


def timed(function: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times in seconds of runs calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def import_times(runs: int) -> dict[str, float]:
    """Median cumulative import time in seconds of the engine and rapidfuzz, in new processes."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    found: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs + 1):  # the first run byte-compiles
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import peelcli.similarity"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        for line in done.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] in ("peelcli.similarity", "rapidfuzz"):
                found[parts[2]].append(int(parts[1]) / 1e6)
    return {name: statistics.median(times[1:]) for name, times in found.items()}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main() -> int:
    """Build the findings, time each step, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, help="reports (default 1,000)")
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (default 9)")
    parser.add_argument(
        "--twins", type=int, default=2000, help="near-identical findings a report (default 2,000)"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    findings = build(args.reports)
    texts = [f.text for f in findings]
    distinct = len(set(texts))

    imports = import_times(args.runs)

    def make_keys() -> None:
        similarity.key.cache_clear()
        for text in texts:
            similarity.key(text)

    key_times, key_cpu = timed(make_keys, args.runs)
    index = similarity.Index.of(texts)

    queries = random.Random(13).sample(range(len(texts)), args.runs * 3)
    nearest_times, nearest_cpu = [], []
    hits = []
    for q in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        found = index.nearest(texts[q], exclude={q})
        nearest_times.append(time.perf_counter() - start)
        nearest_cpu.append(time.process_time() - start_cpu)
        hits.append(len(found))

    by_force: dict[str, dict[str, list[tuple[int, list[str]]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    reports: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for f in findings:
        reports[(f.force, f.year, f.pillar)].append(f.text)
    for (force, year, pillar), report_texts in reports.items():
        by_force[force][pillar].append((year, report_texts))
    force = max(by_force, key=lambda name: sum(len(v) for v in by_force[name].values()))
    force_reports = sum(len(v) for v in by_force[force].values())
    pairs = 0

    def compare_force() -> None:
        nonlocal pairs
        similarity.key.cache_clear()
        pairs = 0
        for series in by_force[force].values():
            series.sort()
            for (_, earlier), (_, later) in itertools.pairwise(series):
                similarity.match_findings(earlier, later)
                pairs += 1

    compare_times, compare_cpu = timed(compare_force, args.runs)

    # Two reports of near-identical findings, where every pair passes the threshold: the
    # case where keeping every pair over it cost memory in the product of their sizes.
    import tracemalloc

    rng = random.Random(17)
    vocabulary = sorted({w for t in texts[:200] for w in t.split()})
    opening = texts[0]

    def near(count: int) -> list[str]:
        return [f"{opening} {' '.join(rng.sample(vocabulary, 3))} {n}" for n in range(count)]

    twins = (near(args.twins), near(args.twins))
    similarity.key.cache_clear()
    tracemalloc.start()
    start, start_cpu = time.perf_counter(), time.process_time()
    similarity.match_findings(*twins)
    twin_time, twin_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    twin_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    import rapidfuzz

    print(
        f"Machine: {cores} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, rapidfuzz {rapidfuzz.__version__}; "
        f"load average {load_before:.1f} before the runs, {os.getloadavg()[0]:.1f} after."
    )
    print(
        f"{args.reports:,} reports, {len(texts):,} findings ({distinct:,} distinct); "
        f"median of {args.runs} runs unless said. CPU time is this process's, which a busy "
        "machine inflates less than wall time.\n"
    )
    median = statistics.median
    rows = [
        ("import peelcli.similarity (with rapidfuzz)", imports.get("peelcli.similarity", 0), None),
        ("import rapidfuzz alone", imports.get("rapidfuzz", 0), None),
        (
            f"keys of all {len(texts):,} findings, empty cache",
            median(key_times),
            median(key_cpu),
        ),
        (
            f"nearest: one finding against {len(texts):,}, median of {len(queries)}",
            median(nearest_times),
            median(nearest_cpu),
        ),
        (f"nearest: the slowest of {len(queries)}", max(nearest_times), max(nearest_cpu)),
        (
            f"compare one force: {force}, {force_reports} reports, {pairs} consecutive pairs",
            median(compare_times),
            median(compare_cpu),
        ),
        (
            f"match two reports of {args.twins:,} near-identical findings, one run "
            f"(Python's peak memory {twin_peak / 1e6:.1f} MB)",
            twin_time,
            twin_cpu,
        ),
    ]
    print("| step | wall ms | CPU ms |")
    print("|---|---:|---:|")
    for label, seconds, cpu in rows:
        print(f"| {label} | {ms(seconds)} | {'' if cpu is None else ms(cpu)} |")
    similar_total = imports.get("peelcli.similarity", 0) + statistics.median(key_times)
    similar_total += statistics.median(nearest_times)
    compare_total = imports.get("peelcli.similarity", 0) + statistics.median(compare_times)
    print(
        f"\nThe engine's share of `peel similar ID` (import, keys, one look-up): "
        f"{ms(similar_total)} ms; of `peel compare --force NAME` (import, matching): "
        f"{ms(compare_total)} ms. Neighbours found per look-up at the default threshold "
        f"{similarity.DEFAULT_THRESHOLD:g}: median {statistics.median(hits):g}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
