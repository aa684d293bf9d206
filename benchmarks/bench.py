"""Time whole `peel` processes against the floor of the libraries peel stands on.

    python benchmarks/bench.py [--runs N]

Run it with the Python of an environment where peel is installed (`pip install .`
or `pip install -e .`), on an otherwise idle machine: another busy process makes
every number larger and the ratios unsteady. It writes synthetic corpora of 10,
100 and 1,000 reports into benchmarks/.corpus/ (see corpus.py), checks them with
`peel validate`, then times each command as a user runs it: a new process,
output to /dev/null. Every scenario runs once to warm up, then N times (default
9), the scenarios taking turns so that a slow moment of the machine falls on all
of them alike. It prints the median, min and max wall time, the peak memory (max
RSS) and each command's ratio to what it is compared with:

- an embedded-dataset command that draws for people, to the "rich floor": a bare
  `python -c` that imports typer and yaml, defines and instantiates one small
  pydantic model, and imports rich's console and table;
- one that prints JSON, to the "floor": the same without rich;
- a corpus command, to the same command on the embedded dataset (warm).

Measured as users get it: PYTHONDONTWRITEBYTECODE is removed from the children's
environment and peel's modules are byte-compiled first, so no run pays to
compile peel. Each scenario has its own XDG_CACHE_HOME in a temporary directory:
"warm" runs find the cache the warm-up filled; "cold, empty cache" runs start
with none; "cold, one file changed" runs follow an edit of one report of the
corpus (a copy of it, so that the warm scenarios never see the edit). The
corpus stays in the operating system's file cache throughout.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

CORPUS_DIR = HERE / ".corpus"
SIZES = (10, 100, 1000)
TERM = "domestic abuse"

PLAIN_FLOOR = """\
import typer, yaml
from pydantic import BaseModel
class Point(BaseModel):
    x: int
    y: int
Point(x=1, y=2)
"""
RICH_FLOOR = PLAIN_FLOOR + "import rich.console, rich.table\n"

# The targets of the issue "as fast as its own libraries allow on one report, and nearly
# as fast on a thousand".
EMBEDDED_MAX = 1.10
COMPARE_MAX_SECONDS = 1.0  # compare and similar on 1,000 reports, warm
CORPUS_WARM_MAX = 2.5
CORPUS_COLD_MAX = 4.0
RSS_MAX_MB = 250
GNU_TIME = "/usr/bin/time"


@dataclass
class Scenario:
    """One thing to time: a command line, its cache, what runs before each timed run."""

    key: str
    label: str
    argv: list[str]
    against: str | None = None  # the key of the scenario it is compared with
    limit: float | None = None  # the target for that ratio
    before: Callable[[], None] | None = None
    cache: Path = Path()
    times: list[float] = field(default_factory=list)
    rss_kb: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def main() -> int:
    """Write the corpora, time every scenario, print the tables and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (default 9)")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")

    peel = _peel_executable()
    _compile_peel()
    corpora = _make_corpora(peel)
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="peel-bench-") as tmp:
        scenarios = _scenarios(peel, corpora, Path(tmp))
        env = _child_env()
        print(f"Warming up {len(scenarios)} scenarios, then {args.runs} rounds…", file=sys.stderr)
        for scenario in scenarios:
            _check_output(scenario, env)
            _run(scenario, env)  # the warm-up: fills the cache, the file cache, the pycs
            scenario.times.clear()
        for round_ in range(args.runs):
            for scenario in scenarios:
                _run(scenario, env)
            print(f"  round {round_ + 1}/{args.runs}", file=sys.stderr)
        for scenario in scenarios:
            _measure_memory(scenario, env)

    by_key = {s.key: s for s in scenarios}
    print()
    print(_machine())
    print(
        f"Load average (1 min) before the runs {load_before:.2f}, "
        f"after {os.getloadavg()[0]:.2f}; median of {args.runs} runs after a warm-up."
    )
    print()
    print(_table(scenarios, by_key))
    print()
    print(_scaling(by_key))
    print()
    failures = _verdicts(scenarios, by_key)
    print("All targets hold." if not failures else f"{failures} target(s) missed.")
    return 0


# --- set-up --------------------------------------------------------------------------


def _peel_executable() -> str:
    candidate = Path(sys.executable).parent / "peel"
    found = str(candidate) if candidate.exists() else shutil.which("peel")
    if not found or importlib.util.find_spec("peelcli") is None:
        sys.exit("bench: install peel into this Python first: pip install -e .")
    return found


def _compile_peel() -> None:
    # An editable install leaves peel's modules uncompiled; compile them as pip does for
    # an installed wheel, so that no run pays for it.
    spec = importlib.util.find_spec("peelcli")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            compileall.compile_dir(location, quiet=1)


def _child_env() -> dict[str, str]:
    drop = {"PYTHONDONTWRITEBYTECODE", "PEEL_DATA", "PEEL_CACHE", "NO_COLOR", "FORCE_COLOR"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _make_corpora(peel: str) -> dict[str, Path]:
    """The corpora of 10, 100 and 1,000 reports, and a copy of the largest to edit."""
    corpora: dict[str, Path] = {}
    for size in SIZES:
        directory = CORPUS_DIR / f"reports-{size}"
        print(f"Writing {size} reports into {directory}…", file=sys.stderr)
        paths = corpus.write_corpus(directory, size)
        _validate(peel, directory, len(paths))
        corpora[str(size)] = directory
    edited = CORPUS_DIR / "reports-1000-edited"
    if edited.exists():
        shutil.rmtree(edited)
    shutil.copytree(corpora["1000"], edited)
    corpora["edited"] = edited
    return corpora


def _validate(peel: str, directory: Path, count: int) -> None:
    done = subprocess.run(
        [peel, "validate", str(directory)], capture_output=True, text=True, env=_child_env()
    )
    last = done.stdout.strip().splitlines()[-1:] or [""]
    if done.returncode != 0 or last[0] != f"{count} file(s) valid":
        sys.exit(f"bench: the generated corpus is not valid:\n{done.stderr}")


def _one_file_changer(directory: Path) -> Callable[[], None]:
    """Before each run, give one report of the directory words it has not had before."""
    files = sorted(directory.glob("*.yaml"))
    target = files[len(files) // 2]
    original = target.read_text(encoding="utf-8")
    edits = [0]

    def change() -> None:
        edits[0] += 1
        text = original.replace("Synthetic:", f"Synthetic (edit {edits[0]}):", 1)
        target.write_text(text, encoding="utf-8")

    return change


def _emptier(cache: Path) -> Callable[[], None]:
    def empty() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    return empty


def _scenarios(peel: str, corpora: dict[str, Path], tmp: Path) -> list[Scenario]:
    python = sys.executable
    search = [peel, "search", TERM, "--json"]
    grades_json = [peel, "grades", "--json"]
    scenarios = [
        Scenario(
            "floor",
            "floor: `python -c` importing typer and yaml, one pydantic model",
            [python, "-c", PLAIN_FLOOR],
        ),
        Scenario(
            "rich floor",
            "rich floor: the same, and rich's console and table",
            [python, "-c", RICH_FLOOR],
        ),
        Scenario("grades", "peel grades", [peel, "grades"], "rich floor", EMBEDDED_MAX),
        Scenario("grades --json", "peel grades --json", grades_json, "floor", EMBEDDED_MAX),
        Scenario("show", "peel show E3", [peel, "show", "E3"], "rich floor", EMBEDDED_MAX),
        Scenario("search", f'peel search "{TERM}" --json', search, "floor", EMBEDDED_MAX),
        Scenario(
            "grades --json empty",
            "peel grades --json, cold (empty cache)",
            grades_json,
            "floor",
        ),
        Scenario(
            "search empty",
            f'peel search "{TERM}" --json, cold (empty cache)',
            search,
            "floor",
        ),
    ]
    for key, argv in (("search", search), ("grades --json", grades_json)):
        data = ["--data", str(corpora["1000"])]
        scenarios += [
            Scenario(
                f"1000 {key} warm",
                f"1,000 reports: {key}, warm",
                [*argv, *data],
                key,
                CORPUS_WARM_MAX,
            ),
            Scenario(
                f"1000 {key} empty",
                f"1,000 reports: {key}, cold (empty cache)",
                [*argv, *data],
                key,
                CORPUS_COLD_MAX,
            ),
            Scenario(
                f"1000 {key} changed",
                f"1,000 reports: {key}, cold (one file changed)",
                [*argv, "--data", str(corpora["edited"])],
                key,
                CORPUS_COLD_MAX,
                before=_one_file_changer(corpora["edited"]),
            ),
        ]
    thousand = ["--data", str(corpora["1000"])]
    scenarios += [
        Scenario(
            "1000 compare warm",
            "1,000 reports: compare --force Kent, warm",
            [peel, "compare", "--force", "Kent", "--json", *thousand],
        ),
        Scenario(
            "1000 compare year warm",
            "1,000 reports: compare --year 2016, warm",
            [peel, "compare", "--year", "2016", "--json", *thousand],
        ),
        Scenario(
            "1000 similar warm",
            "1,000 reports: similar E2.R2 of Kent 2016, warm",
            [peel, "similar", "E2.R2", "--force", "Kent", "--year", "2016", "--json", *thousand],
        ),
    ]
    for size in SIZES[:-1]:
        scenarios.append(
            Scenario(
                f"{size} search warm",
                f"{size} reports: search, warm",
                [*search, "--data", str(corpora[str(size)])],
            )
        )
    for n, scenario in enumerate(scenarios):
        scenario.cache = tmp / f"cache-{n}"
        if scenario.key.endswith(" empty"):
            scenario.before = _emptier(scenario.cache / "peel")
    return scenarios


# --- running -------------------------------------------------------------------------


def _check_output(scenario: Scenario, env: dict[str, str]) -> None:
    """Run once with output kept, to be sure the command works and its JSON parses."""
    if scenario.before:
        scenario.before()
    done = subprocess.run(
        scenario.argv,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "XDG_CACHE_HOME": str(scenario.cache)},
    )
    if done.returncode != 0:
        sys.exit(f"bench: {scenario.label} failed ({done.returncode}):\n{done.stderr}")
    if "--json" in scenario.argv:
        json.loads(done.stdout)


def _run(scenario: Scenario, env: dict[str, str]) -> None:
    """One timed run: a new process, stdout to /dev/null; its wall time."""
    if scenario.before:
        scenario.before()
    child_env = {**env, "XDG_CACHE_HOME": str(scenario.cache)}
    actions = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawn(scenario.argv[0], scenario.argv, child_env, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {scenario.label} failed during timing")
    scenario.times.append(elapsed)


def _measure_memory(scenario: Scenario, env: dict[str, str]) -> None:
    """peel's own peak memory, in one more run, through GNU time.

    A child this process starts inherits this process's peak RSS as its own figure
    (the kernel carries the peak of the image it replaces across exec), so wait4's
    figure would be the benchmark's. GNU time is small: the peel it forks and execs
    starts from time's peak, not ours.
    """
    if not os.path.exists(GNU_TIME):
        return
    if scenario.before:
        scenario.before()
    child_env = {**env, "XDG_CACHE_HOME": str(scenario.cache)}
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        done = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", out.name, *scenario.argv],
            env=child_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if done.returncode == 0:
            scenario.rss_kb = max(scenario.rss_kb, int(out.read().split()[-1]))


# --- report --------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def _rss_mb(scenario: Scenario) -> float:
    # GNU time's %M is in kilobytes.
    return scenario.rss_kb / 1024


def _ratio(scenario: Scenario, by_key: dict[str, Scenario]) -> float | None:
    if not scenario.against:
        return None
    return scenario.median / by_key[scenario.against].median


def _table(scenarios: list[Scenario], by_key: dict[str, Scenario]) -> str:
    rows = [
        "| command | median ms | min | max | peak RSS MB | ratio | compared with (target) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in scenarios:
        if s.key in ("10 search warm", "100 search warm"):
            continue
        ratio = _ratio(s, by_key)
        against = ""
        if s.against:
            against = by_key[s.against].label.split(":")[0]
            against += f" (≤ {s.limit:g}×)" if s.limit else ""
        rows.append(
            f"| {s.label} | {_ms(s.median)} | {_ms(min(s.times))} | {_ms(max(s.times))} | "
            f"{f'{_rss_mb(s):.0f}' if s.rss_kb else 'n/a'} | "
            f"{'' if ratio is None else f'{ratio:.2f}'} | {against} |"
        )
    return "\n".join(rows)


def _scaling(by_key: dict[str, Scenario]) -> str:
    one = by_key["search"].median
    rows = [
        f'`peel search "{TERM}" --json --data DIR`, warm:',
        "",
        "| reports | median ms | ms per report beyond the first |",
        "|---:|---:|---:|",
        f"| 1 (embedded) | {_ms(one)} | |",
    ]
    for size in SIZES:
        median = by_key[f"{size} search warm"].median
        rows.append(f"| {size:,} | {_ms(median)} | {(median - one) * 1000 / (size - 1):.2f} |")
    return "\n".join(rows)


def _verdicts(scenarios: list[Scenario], by_key: dict[str, Scenario]) -> int:
    failures = 0
    for s in scenarios:
        ratio = _ratio(s, by_key)
        if ratio is not None and s.limit is not None and ratio > s.limit:
            against = by_key[s.against].label if s.against else ""
            print(f"MISSED: {s.label}: {ratio:.2f}× {against}; target ≤ {s.limit:g}×")
            failures += 1
        if _rss_mb(s) >= RSS_MAX_MB:
            print(f"MISSED: {s.label}: peak RSS {_rss_mb(s):.0f} MB; target < {RSS_MAX_MB} MB")
            failures += 1
    for key in ("1000 compare warm", "1000 compare year warm", "1000 similar warm"):
        s = by_key[key]
        if s.median > COMPARE_MAX_SECONDS:
            print(f"MISSED: {s.label}: {_ms(s.median)} ms; target < {COMPARE_MAX_SECONDS:g} s")
            failures += 1
    for key in ("search", "grades --json"):
        cold = by_key[f"1000 {key} empty"].median / by_key[f"{key} empty"].median
        print(
            f"Cold against cold: 1,000 reports, {key}, empty cache: {cold:.2f}× the same "
            "command on the embedded dataset with an empty cache."
        )
    return failures


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib.metadata as m, yaml; "
            "print(', '.join(f'{p} {m.version(p)}' for p in "
            "('peelcli', 'typer', 'pydantic', 'rich', 'PyYAML')), "
            "'(with libyaml)' if yaml.__with_libyaml__ else '(without libyaml)')",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return (
        f"Machine: {cores} cores (nproc), {cpu}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {versions}."
    )


if __name__ == "__main__":
    sys.exit(main())
