"""Measure what each use of another library's private parts, or each own stand-in for a
standard tool, saves against the public or standard way.

    python benchmarks/bench_private.py [--reports N]

Run it with the Python of an environment where peel is installed. In this process, on
the benchmark corpus of N reports (default 1,000; see bench_bars.py, which writes it),
it times with CPU time (which a busy machine disturbs less than wall time) the median of
5 runs of each pair:

- the cache's decoder, code generated with exec that sets pydantic's private fields,
  against pydantic's own model_validate of the same data (the public way to make a
  model; model_construct does not build nested models);
- the JSON writer for records against json.dumps(indent=2), on `findings --json`'s
  records of the corpus;
- hashing the corpus with the builtin _blake2 module against hashlib's blake2b, and
  the cost of importing each, in a new process (hashlib loads OpenSSL): peel uses
  hashlib, the public way, as the private one saves no clear share of a run.

rich's private parts are no longer used: trailing spaces are dropped by a stream that
rich writes to, and a table's rules and padding are worked out from its public settings.

It prints each pair, the time saved, and the share of the user-visible run that is.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_bars  # noqa: E402


def cpu(work: Callable[[], Any], runs: int = 5) -> float:
    """The median CPU seconds of runs of work."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> int:
    """Time each pair and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, choices=(1000, 5000))
    args = parser.parse_args()
    directory = bench_bars._corpus(args.reports)
    files = sorted(directory.glob("*.yaml"))
    print(f"{len(files):,} reports; median CPU time of 5 runs; load {bench_bars._load()}.")

    from peelcli.dataset import codec
    from peelcli.dataset.loader import load_reports
    from peelcli.models import Report
    from peelcli.query import Scope, finding_rows
    from peelcli.render import formats, records

    reports = load_reports([directory], use_cache=False)
    entries = [codec.pack(r) for r in reports]
    datas = [r.model_dump() for r in reports]
    Report.model_validate(datas[0])  # the validator built before timing
    _pair(
        "cache decoder (exec-built, pydantic private fields) vs model_validate",
        cpu(lambda: [codec.unpack(e) for e in entries]),
        cpu(lambda: [Report.model_validate(d) for d in datas]),
    )

    rows = finding_rows(reports, Scope())
    found = [records.finding_record(r) for r in rows]

    def fallback() -> list[object]:
        # The decoder's own public way, taken when pydantic's private fields change.
        known, unpackers = codec.private_fields_known, dict(codec._UNPACKERS)
        codec.private_fields_known = lambda: False  # type: ignore[assignment]
        codec._UNPACKERS.clear()
        try:
            return [codec.unpack(e) for e in entries]
        finally:
            codec.private_fields_known = known  # type: ignore[assignment]
            codec._UNPACKERS.clear()
            codec._UNPACKERS.update(unpackers)

    _pair(
        "cache decoder (pydantic private fields) vs its fallback (model_construct)",
        cpu(lambda: [codec.unpack(e) for e in entries]),
        cpu(fallback),
    )

    _pair(
        "JSON writer vs json.dumps(indent=2), findings records",
        cpu(lambda: formats.dumps(found, False)),
        cpu(lambda: json.dumps(found, ensure_ascii=False, indent=2)),
    )

    blobs = [f.read_bytes() for f in files]
    import hashlib
    from _blake2 import blake2b

    _pair(
        "hash the corpus: _blake2.blake2b vs hashlib.blake2b",
        cpu(lambda: [blake2b(b, digest_size=20).hexdigest() for b in blobs]),
        cpu(lambda: [hashlib.blake2b(b, digest_size=20).hexdigest() for b in blobs]),
    )
    _pair(
        "import: _blake2 vs hashlib, in a new process",
        _import_cost("import _blake2"),
        _import_cost("import hashlib"),
    )

    return 0


def _import_cost(statement: str) -> float:
    """The median CPU seconds of `python -c statement` less those of `python -c pass`."""

    def run(code: str) -> float:
        import os

        pid = os.posix_spawn(sys.executable, [sys.executable, "-S", "-c", code], dict(os.environ))
        _, _, usage = os.wait4(pid, 0)
        return float(usage.ru_utime + usage.ru_stime)

    rounds = [run(statement) - run("pass") for _ in range(9)]
    return max(statistics.median(rounds), 0.0)


def _pair(label: str, ours: float, standard: float) -> None:
    saved = standard - ours
    print(
        f"{label}: {ours * 1000:.1f} ms vs {standard * 1000:.1f} ms "
        f"({ours / standard if standard else 0:.2f}×; saves {saved * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
