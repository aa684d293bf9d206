"""Hostile surroundings rather than hostile data: where output goes, slow patterns, signals,
memory running out, deep trees and files that are not datasets at all."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peelcli.errors import os_message

Peel = Callable[..., subprocess.CompletedProcess[str]]
Cli = Callable[..., Any]


# --- errno names, not numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("ENOENT", "no such file or directory"),
        ("EACCES", "permission denied"),
        ("ENOTDIR", "a part of the path is not a directory"),
        ("EISDIR", "is a directory"),
        ("ELOOP", "too many levels of symbolic links (a symlink loop?)"),
    ],
)
def test_os_message_reads_errno_names_not_linux_numbers(
    monkeypatch: pytest.MonkeyPatch, name: str, reason: str
) -> None:
    # Another system's number for the same error (ELOOP is 62 on macOS): the name decides.
    number = 900 + len(name)
    monkeypatch.setattr(errno, name, number)
    assert os_message(OSError(number, "strerror")) == reason


# --- deep trees ------------------------------------------------------------------------


@pytest.fixture
def deep(tmp_path: Path) -> Any:
    """A folder for a deep tree, removed level by level afterwards: pytest's own clean-up
    recurses once per level and would run out of stack on it."""
    top = tmp_path / "deep"
    top.mkdir()
    yield top
    bottom = top
    while (bottom / "d").is_dir():
        bottom = bottom / "d"
    for file in bottom.iterdir():
        file.unlink()
    fd = os.open(bottom, os.O_RDONLY)
    try:  # upwards through "..": no long paths
        while bottom != top:
            up = os.open("..", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = up
            os.rmdir("d", dir_fd=fd)
            bottom = bottom.parent
    finally:
        os.close(fd)


def _tree(top: Path, depth: int) -> Path:
    """A chain of depth folders below top with one report at the bottom; the bottom folder."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):  # relative to the last folder made: no long paths
            os.mkdir("d", dir_fd=fd)
            deeper = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
    finally:
        os.close(fd)
    return top.joinpath(*["d"] * depth)


def test_a_tree_a_thousand_folders_deep_is_refused_in_one_line(peel: Peel, deep: Path) -> None:
    from conftest import SHIPPED

    top = deep
    (_tree(top, 990) / "report.yaml").write_text(SHIPPED, encoding="utf-8")
    result = peel("grades", "--json", "--data", str(top))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"peel: error: {top}: holds folders more than 64 levels deep; "
        "peel reads reports at most 64 levels below a directory it is given\n"
        "peel: Point --data at the folders that hold the reports.\n"
    )


def test_a_report_64_folders_down_is_read(peel: Peel, deep: Path) -> None:
    from conftest import SHIPPED

    top = deep
    (_tree(top, 64) / "report.yaml").write_text(SHIPPED, encoding="utf-8")
    (top / ".hidden").mkdir()
    (top / ".hidden" / "x.yaml").write_text("not: a report\n", encoding="utf-8")  # not read
    (top / "loop").symlink_to(top, target_is_directory=True)  # not followed
    result = peel("grades", "--json", "--data", str(top))
    assert (result.returncode, result.stderr) == (0, "")


# --- files that are not datasets ---------------------------------------------------------

SECRETS = "".join(f"setting_{n}: value {n}\n" for n in range(40)) + (
    "api_key: sk-live-0123456789abcdef\npassword: hunter2\npassword: twice\n"
)
NOT_A_DATASET = (
    "is not a peel dataset: its top level has none of the fields "
    "force, year, inspectorate, programme, title, pillars, areas"
)


@pytest.mark.parametrize("command", ["grades", "validate"])
def test_a_config_file_is_refused_without_quoting_it(
    peel: Peel, tmp_path: Path, command: str
) -> None:
    config = tmp_path / "settings.yaml"
    config.write_text(SECRETS, encoding="utf-8")
    args = [command, str(config)] if command == "validate" else [command, "--data", str(config)]
    result = peel(*args)
    assert (result.returncode, result.stdout) == (2, "")
    first = result.stderr.splitlines()[0]
    assert first == f"peel: error: {config}: {NOT_A_DATASET}"
    for secret in ("api_key", "sk-live", "password", "hunter2", "setting_", "value"):
        assert secret not in result.stderr
    if command == "grades":
        assert result.stderr == first + "\n"


@pytest.mark.parametrize("cache", ["1", "0"])
def test_a_tracker_among_the_reports_is_named_as_one(
    peel: Peel, tmp_path: Path, cache: str
) -> None:
    # A team keeps its tracker in git beside its reports: said as what it is, not as some
    # unknown file.
    reports = tmp_path / "reports"
    reports.mkdir()
    from conftest import DATASET

    shutil.copy(DATASET, reports)
    tracker = reports / "peel-tracker.yaml"
    assert peel("track", "init", "--tracker", str(tracker)).returncode == 0
    result = peel("grades", "--data", str(reports), env={"PEEL_CACHE": cache})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"peel: error: {tracker}: is a peel tracker, not a report: keep it apart from the "
        "reports it tracks\n"
    )


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_symlink_to_proc_status_is_refused_without_quoting_it(peel: Peel, tmp_path: Path) -> None:
    link = tmp_path / "status.yaml"
    link.symlink_to("/proc/self/status")
    result = peel("grades", "--data", str(link))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"peel: error: {link}: {NOT_A_DATASET}\n"


def test_one_dataset_field_is_enough_to_be_checked_as_a_report(peel: Peel, tmp_path: Path) -> None:
    path = tmp_path / "half.yaml"
    path.write_text("title: Half a report\nextra: 1\n", encoding="utf-8")
    result = peel("grades", "--data", str(path))
    assert result.returncode == 2
    assert "unknown field 'extra'" in result.stderr
    assert "missing required field" in result.stderr


def test_values_and_tags_quoted_in_errors_are_cut_short(peel: Peel, tmp_path: Path) -> None:
    from conftest import SHIPPED

    long_tag = "!" + "t" * 5000
    for text in (
        SHIPPED.replace("year: 2016", f"year: {long_tag} 2016", 1),
        SHIPPED.replace("year: 2016", "year: " + "9" * 5000, 1),
        "force: !" + "h" * 5000 + "!x Kent\n",  # PyYAML's message quotes the handle
    ):
        path = tmp_path / "long.yaml"
        path.write_text(text, encoding="utf-8")
        result = peel("grades", "--data", str(path))
        assert result.returncode == 2
        longest = max(len(line) for line in result.stderr.splitlines())
        assert longest - len(str(path)) < 200, result.stderr


def test_quoted_cuts_any_value_short() -> None:
    from peelcli.errors import quoted

    assert quoted("x" * 100) == "'" + "x" * 60 + "…'"
    assert quoted(10**100) == "1" + "0" * 59 + "…"
    assert quoted(2016) == "2016"


# --- a --regex that backtracks without end -------------------------------------------------


@pytest.fixture
def backtracking(tmp_path: Path) -> Path:
    """A report whose every text is 40 a's and a '!': (a+)+$ would take days on it."""
    from hostile_support import report_data, write_report

    return write_report(tmp_path / "aaa.yaml", report_data("a" * 40 + "!", "Kent"))


def test_a_catastrophic_regex_is_stopped_with_a_clear_error(peel: Peel, backtracking: Path) -> None:
    # The real timer, end to end; how soon it answers is timed in benchmarks/bench_bounds.py.
    result = peel("search", "--regex", "--all-text", "--data", str(backtracking), "--", "(a+)+$")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "peel: error: the pattern '(a+)+$' ran for more than 0.5 seconds on one text; "
        "simplify it (a repeat inside a repeat, such as (a+)+, can take forever)\n"
    )


def test_a_regex_within_the_limit_still_finds(peel: Peel, backtracking: Path) -> None:
    result = peel("search", "--regex", "--json", "--data", str(backtracking), "--", "a+!$")
    assert (result.returncode, result.stderr) == (0, "")
    assert "E1.A1" in result.stdout


def test_the_time_limit_is_lifted_after_the_search(cli: Cli, backtracking: Path) -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    result = cli("search", "--regex", "--data", str(backtracking), "--", "a+!$")
    assert result.exit_code == 0
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?a)(?u)x", "ASCII and UNICODE flags are incompatible"),
        ("(?u)(?a)x", "ASCII and UNICODE flags are incompatible"),
    ],
)
def test_conflicting_regex_flags_are_a_clear_error(cli: Cli, pattern: str, reason: str) -> None:
    result = cli("search", "--regex", "--", pattern)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"peel: error: invalid regular expression {pattern!r}: {reason}\n"
        "peel: Leave out --regex to search for the text as written.\n"
    )


def test_the_search_is_pure_and_the_time_limit_lives_apart() -> None:
    import re
    from pathlib import Path

    from peelcli import query

    modules = sorted(Path(query.__file__).parent.glob("*.py"))
    assert len(modules) > 1 and not any("signal" in m.read_text("utf-8") for m in modules)
    plain, regex = query.compile_terms(["(a+)+$"]), query.compile_terms(["(a+)+$"], regex=True)
    assert all(isinstance(p, re.Pattern) for p in plain.patterns + regex.patterns)


class FakeClock:
    """A clock that moves only when told: each read advances it by step seconds."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_the_limit_is_per_text_and_for_the_whole_search() -> None:
    from peelcli.pattern import Budget, TooSlow

    # Many quick texts, a tick between each, for 9 of the 10 seconds: nothing is refused.
    budget = Budget(per_text=0.5, whole=10, clock=FakeClock(0.01))
    for _ in range(440):  # each step and tick reads the clock: 880 reads, 8.8 seconds
        budget.step()
        budget.tick()
    # A tick with no text begun since the last: one text has run for the whole interval.
    with pytest.raises(TooSlow) as stuck:
        budget.tick()
    assert not stuck.value.whole
    # Quick texts that add up to more than the whole search may take: refused at the step
    # that passes it.
    budget = Budget(per_text=0.5, whole=10, clock=FakeClock(1.0))
    with pytest.raises(TooSlow) as long:
        for _ in range(100):
            budget.step()
    assert long.value.whole and budget.steps == 11  # 11 seconds after the start


def _corpus(tmp_path: Path, texts: int) -> list[Any]:
    from hostile_support import report_data, write_report

    from peelcli.dataset.loader import load_reports

    paths = []
    for n in range(texts):
        data = report_data("x" * 30 + "#")
        data["year"] = 2000 + n
        paths.append(write_report(tmp_path / f"{n}.yaml", data))
    return load_reports(paths, use_cache=False)


def test_a_regex_quick_on_each_text_but_slow_in_all_is_stopped(tmp_path: Path) -> None:
    from peelcli.errors import PeelError
    from peelcli.pattern import Budget, time_limited
    from peelcli.query import Scope, compile_terms, search

    reports = _corpus(tmp_path, 20)
    matcher = compile_terms([r"(?:\w*?\s*?){6}#"], regex=True)
    budget = Budget(per_text=1000, whole=10, clock=FakeClock(1.0))  # each text: a second
    with pytest.raises(PeelError) as info, time_limited(matcher, budget) as bounded:
        search(reports, Scope(), bounded, all_text=True)
    assert budget.steps == 11  # stopped at the first text past the limit, not at the end
    assert str(info.value) == (
        "the pattern '(?:\\\\w*?\\\\s*?){6}#' ran for more than 10 seconds in all; simplify it "
        "(a repeat inside a repeat, such as (a+)+, can take forever)"
    )


def test_a_text_that_runs_past_its_tick_is_stopped_and_the_timer_is_lifted(
    tmp_path: Path,
) -> None:
    import signal

    from peelcli.errors import PeelError
    from peelcli.pattern import Budget, time_limited
    from peelcli.query import Scope, compile_terms, search

    reports = _corpus(tmp_path, 1)
    matcher = compile_terms(["x#"], regex=True)
    before = signal.getsignal(signal.SIGALRM)
    budget = Budget(per_text=1000, whole=10**6)  # the real timer never fires here
    with pytest.raises(PeelError) as info, time_limited(matcher, budget) as bounded:
        assert signal.getitimer(signal.ITIMER_REAL)[1] == 1000  # armed, every per_text
        tick = signal.getsignal(signal.SIGALRM)
        assert callable(tick)
        assert search(reports, Scope(), bounded)  # it finds, and counts the texts
        tick(signal.SIGALRM, None)  # the texts moved on since the last tick: fine
        tick(signal.SIGALRM, None)  # nothing moved: a text has run past the interval
    assert str(info.value).startswith("the pattern 'x#' ran for more than 1000 seconds on one")
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_command_line_bounds_the_whole_search(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peelcli import pattern

    _corpus(tmp_path, 3)
    monkeypatch.setattr(pattern, "_now", FakeClock(4.0))  # each text: four seconds
    result = cli("search", "--regex", "--all-text", "--data", str(tmp_path), "--", "x#")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "peel: error: the pattern 'x#' ran for more than 10 seconds in all; simplify it "
        "(a repeat inside a repeat, such as (a+)+, can take forever)\n"
    )


class FakeTimer:
    """signal's interval timer, driven by hand: the test says when the interval ends."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import signal

        self.handler: Any = signal.SIG_DFL
        self.armed: list[tuple[float, ...]] = []
        real_signal = signal.signal

        def fake_signal(signum: int, handler: Any) -> Any:
            if signum != signal.SIGALRM:
                return real_signal(signum, handler)
            previous, self.handler = self.handler, handler
            return previous

        def fake_setitimer(which: int, seconds: float, interval: float = 0.0) -> None:
            assert which == signal.ITIMER_REAL
            self.armed.append((seconds, interval))

        monkeypatch.setattr(signal, "signal", fake_signal)
        monkeypatch.setattr(signal, "setitimer", fake_setitimer)

    def tick(self) -> None:
        """One interval has passed: the handler runs, as SIGALRM would run it."""
        import signal

        self.handler(signal.SIGALRM, None)


@pytest.fixture
def timer(monkeypatch: pytest.MonkeyPatch) -> FakeTimer:
    return FakeTimer(monkeypatch)


def test_the_limit_is_armed_for_the_time_given_and_lifted_after(timer: FakeTimer) -> None:
    import signal

    from peelcli.pattern import Budget, time_limited
    from peelcli.query import compile_terms

    with time_limited(compile_terms(["x"], regex=True), Budget(per_text=0.5)):
        assert timer.armed == [(0.5, 0.5)]  # fires every 0.5 s until lifted
        assert timer.handler is not signal.SIG_DFL
    assert timer.armed == [(0.5, 0.5), (0, 0.0)]
    assert timer.handler is signal.SIG_DFL


def test_a_search_of_slow_texts_stops_only_on_one_slower_than_the_limit(
    timer: FakeTimer,
) -> None:
    from peelcli import query
    from peelcli.dataset.files import embedded_dataset
    from peelcli.dataset.loader import load_reports
    from peelcli.errors import PeelError
    from peelcli.pattern import Budget, time_limited

    reports = load_reports([embedded_dataset()], use_cache=False)
    ticks_per_text, texts = [1], [0]

    class Slow(query.Matcher):
        def spans(self, text: str) -> list[tuple[int, int]] | None:
            texts[0] += 1
            for _ in range(ticks_per_text[0]):
                timer.tick()  # as if this text took a whole interval
            return super().spans(text)

    def run() -> list[query.Hit]:
        matcher = Slow(*query.compile_terms(["victims?"], regex=True))
        with time_limited(matcher, Budget(per_text=0.5, whole=10**6)) as bounded:
            return query.search(reports, query.Scope(), bounded, all_text=True)

    hits = run()
    # Each text took one interval, so the whole search many times the limit: not stopped.
    assert (texts[0] > 20, len(hits)) == (True, 5), texts
    ticks_per_text[0] = 2
    with pytest.raises(PeelError) as caught:
        run()
    # Stopped between its patterns: none is running to be named.
    assert str(caught.value).startswith("the pattern ran for more than 0.5 seconds on one text;")


# --- import -o: where the dataset goes --------------------------------------------------


def _import(out: str, stdin: Any = None, stdout: Any = None) -> subprocess.CompletedProcess[str]:
    from conftest import SOURCE_TEXT, peel_executable

    source = "-" if stdin is not None else str(SOURCE_TEXT)
    return subprocess.run(
        [peel_executable(), "import", source, "-o", out],
        stdin=stdin,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=60,
    )


def _imported() -> str:
    from conftest import SOURCE_TEXT, peel_executable

    return subprocess.run(
        [peel_executable(), "import", str(SOURCE_TEXT)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_output_through_a_symlink_writes_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "links").mkdir()
    (tmp_path / "files").mkdir()
    target = tmp_path / "files" / "report.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "links" / "report.yaml"
    link.symlink_to("../files/report.yaml")
    result = _import(str(link))
    assert (result.returncode, result.stderr) == (0, "")
    assert link.is_symlink() and os.readlink(link) == "../files/report.yaml"
    assert target.read_text(encoding="utf-8") == _imported()
    assert target.stat().st_mode & 0o7777 == 0o640
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert left == ["files", "files/report.yaml", "links", "links/report.yaml"]


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "report.yaml"
    link.symlink_to("made.yaml")
    result = _import(str(link))
    assert (result.returncode, result.stderr) == (0, "")
    assert link.is_symlink()
    assert (tmp_path / "made.yaml").read_text(encoding="utf-8") == _imported()


@pytest.mark.parametrize("name", ["/dev/fd/1", "/proc/self/fd/1"])
def test_output_to_an_open_descriptor_is_written_through(tmp_path: Path, name: str) -> None:
    if not Path(name).parent.exists():
        pytest.skip(f"no {Path(name).parent}")
    captured = tmp_path / "cap.yaml"
    with captured.open("w", encoding="utf-8") as stdout:
        result = _import(name, stdout=stdout)
    assert (result.returncode, result.stderr) == (0, "")
    assert captured.read_text(encoding="utf-8") == _imported()
    assert [p.name for p in tmp_path.iterdir()] == ["cap.yaml"]


def test_output_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = _import(str(fifo))
    reader.join(timeout=30)
    assert (result.returncode, result.stderr) == (0, "")
    assert received == [_imported().encode("utf-8")]
    assert fifo.is_fifo()


def test_a_replaced_file_loses_setuid_setgid_and_sticky_bits(tmp_path: Path) -> None:
    out = tmp_path / "report.yaml"
    out.write_text("old\n", encoding="utf-8")
    if os.geteuid() == 0:  # root replacing another user's file: the case that mattered
        os.chown(out, 65534, 65534)
    out.chmod(0o7755)
    assert out.stat().st_mode & 0o7000  # the file system kept at least one of them
    result = _import(str(out))
    assert (result.returncode, result.stderr) == (0, "")
    assert out.stat().st_mode & 0o7777 == 0o755


def test_the_output_may_not_replace_stdin(tmp_path: Path) -> None:
    from conftest import SOURCE_TEXT

    notes = tmp_path / "notes.txt"
    notes.write_bytes(SOURCE_TEXT.read_bytes())
    for out in (notes, tmp_path / "link.txt", tmp_path / "hard.txt"):
        if out.name == "link.txt":
            out.symlink_to(notes)
        elif out.name == "hard.txt":
            os.link(notes, out)
        with notes.open("rb") as stdin:
            result = _import(str(out), stdin=stdin)
        assert (result.returncode, result.stdout) == (2, "")
        assert (
            result.stderr == f"peel: error: {out}: is the file being read; write to another file\n"
        )
        assert notes.read_bytes() == SOURCE_TEXT.read_bytes()


# --- signals: no helper outlives peel ----------------------------------------------------

needs_helpers = pytest.mark.skipif(
    not Path("/proc/self/status").exists() or len(os.sched_getaffinity(0)) < 2,
    reason="peel forks helpers on Linux with two cores or more",
)

# Run in a process of its own that adopts orphans (PR_SET_CHILD_SUBREAPER), so that a helper
# peel leaves behind, running or a zombie, becomes its child and can be seen; pytest itself
# should not collect other tests' orphans.
KILLER = r"""
import ctypes, json, os, random, signal, subprocess, sys, time

peel, corpus, caches = sys.argv[1], sys.argv[2], sys.argv[3]
if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    sys.exit(3)
random.seed(int(sys.argv[4]))


def helpers(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return children.read().split()
    except OSError:
        return []


# Each signal twice: once at a random moment from start-up on, once at a random moment
# after the first helper is seen (from the instant of its fork on).
runs = []
for n, signum in enumerate([signal.SIGTERM, signal.SIGHUP, signal.SIGINT] * 2):
    # Cold, so parsed; with helpers even where other work keeps the cores busy.
    env = {**os.environ, "XDG_CACHE_HOME": os.path.join(caches, str(n)), "PEEL_PROCESSES": "2"}
    process = subprocess.Popen(
        [peel, "grades", "--json", "--data", corpus],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    at = time.monotonic() + random.uniform(0.05, 1.0) if n < 3 else None
    runs.append([process, signum, at, random.uniform(0.0, 0.3)])
waiting = list(runs)
while waiting:
    now = time.monotonic()
    for run in list(waiting):
        process, signum, at, after = run
        if at is None and (helpers(process.pid) or process.poll() is not None):
            run[2] = at = now + after
        if at is not None and now >= at:
            process.send_signal(signum)
            waiting.remove(run)
    time.sleep(0.002)
codes = [(int(sig), run.wait(), run.stderr.read().decode()) for run, sig, _, _ in runs]
time.sleep(1)  # as the issue asks: one second on, nothing of peel's may be left
left = []
for name in os.listdir("/proc"):
    try:
        with open(f"/proc/{name}/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
    except OSError:
        continue
    if name.isdigit() and int(fields["PPid"]) == os.getpid():
        left.append(fields["State"].strip())
        os.kill(int(name), signal.SIGKILL)
while True:  # reap what was left, so that nothing outlives this test either
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        break
print(json.dumps({"codes": codes, "left": left}))
"""


@needs_helpers
def test_no_helper_outlives_peel_stopped_by_a_signal(tmp_path: Path) -> None:
    import json
    import random
    import sys

    from conftest import make_corpus, peel_executable

    from peelcli.dataset import pool

    make_corpus(tmp_path / "reports", 3 * pool.PARALLEL_FROM)
    seed = random.randrange(1 << 30)
    arguments = [peel_executable(), str(tmp_path / "reports"), str(tmp_path / "caches"), str(seed)]
    done = subprocess.run(
        [sys.executable, "-c", KILLER, *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["left"] == [], seed
    for signum, code, stderr in outcome["codes"]:
        # Killed before it could handle the signal (still starting), stopped, or done.
        assert code in (-signum, 128 + signum, 0), (seed, signum, code, stderr)
        if code == -signum and _in_python_start_up(stderr):
            continue  # Python's own words, before a line of peel's ran: not peel's to word
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr


def _in_python_start_up(stderr: str) -> bool:
    """Whether stderr is Python's report of a Ctrl-C before any of peel's code ran.

    A SIGINT that lands while the interpreter sets up its path, or while the console script
    that pip writes imports what it needs before it imports peel (moments that last longer on
    a busy machine), raises KeyboardInterrupt where peel cannot catch it. Then no frame of
    the traceback is in the peelcli package.
    """
    import re

    frames = re.findall(r'File "([^"]+)"', stderr)
    return bool(frames) and not any("/peelcli/" in frame for frame in frames)


# Run in a process of its own, where the code runs on the main thread as peel's does: a
# signal is handled on the main thread, which a test runner's worker may not be.
JUST_AFTER_FORK = r"""
import os, signal, sys
from pathlib import Path
from peelcli.dataset import loader, pool
from peelcli.dataset.files import read_sources

sources = read_sources([Path(sys.argv[1])])
forked = []
real_fork = os.fork

def fork_then_interrupted():
    pid = real_fork()
    if pid:  # Ctrl-C the instant fork() returns, before peel can note the pid
        forked.append(pid)
        os.kill(os.getpid(), signal.SIGINT)
    return pid

pool._processes = lambda misses: 2
os.fork = fork_then_interrupted
try:
    pool.parse_many(sources, loader.parse_report)
except KeyboardInterrupt:
    pass
else:
    sys.exit("no KeyboardInterrupt")
assert len(forked) == 1, forked
try:
    os.waitpid(forked[0], os.WNOHANG)
except ChildProcessError:
    print("reaped")  # neither running nor a zombie
else:
    print("left behind")
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="helpers are forked")
def test_a_signal_just_after_fork_still_ends_the_helper(tmp_path: Path) -> None:
    import sys

    from conftest import make_corpus

    from peelcli.dataset import pool

    make_corpus(tmp_path / "reports", pool.PARALLEL_FROM)
    done = subprocess.run(
        [sys.executable, "-c", JUST_AFTER_FORK, str(tmp_path / "reports")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "reaped\n"), done.stderr


# --- memory running out ------------------------------------------------------------------

OUT_OF_MEMORY = "ran out of memory loading the reports; free some, or load fewer at once"


def _no_memory(source: object) -> object:
    raise MemoryError


def test_memory_running_out_while_loading_is_one_line_naming_the_path(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import make_corpus

    from peelcli.dataset import loader

    make_corpus(tmp_path / "reports", 3)
    monkeypatch.setattr(loader, "parse_report", _no_memory)
    result = cli("grades", "--data", str(tmp_path / "reports"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"peel: error: {tmp_path / 'reports'}: {OUT_OF_MEMORY}\n"


def test_validate_names_the_file_memory_ran_out_on(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import make_corpus

    from peelcli.dataset import loader

    (path,) = make_corpus(tmp_path / "reports", 1)
    monkeypatch.setattr(loader, "parse_report", _no_memory)
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"peel: error: {path}: {OUT_OF_MEMORY}"


@pytest.mark.parametrize("error", [ValueError("unmarshallable object"), SystemError, MemoryError])
def test_a_cache_write_that_fails_costs_only_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    from conftest import make_corpus

    from peelcli.dataset import loader, store

    def fail(value: object) -> bytes:
        raise error

    make_corpus(tmp_path / "reports", 3)
    monkeypatch.setattr(store, "_tail", fail)
    warnings: list[str] = []
    reports = loader.load_reports([tmp_path / "reports"], warn=warnings.append)
    assert (len(reports), warnings) == (3, [])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_memory_limits_give_exit_2_and_one_line_never_an_internal_error(tmp_path: Path) -> None:
    import re
    import resource
    import sys

    from conftest import make_corpus, peel_executable

    make_corpus(tmp_path / "reports", 300)
    # What peel's modules take, as the base of the limits: the corpus needs some 35 MB
    # more, and these leave less than that, then plenty (as `ulimit -v` sets them). Each
    # limit is tried cold (parsing) and warm (from the cache).
    modules = "peelcli.cli, peelcli.dataset.loader, peelcli.dataset.parse, peelcli.query"
    status = subprocess.run(
        [sys.executable, "-c", f"import {modules}; print(open('/proc/self/status').read())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    base = int(re.search(r"VmPeak:\s*(\d+) kB", status).group(1)) >> 10  # type: ignore[union-attr]
    outcomes = []
    for megabytes in (base + 2, base + 10, base + 18, base + 300):
        limit = megabytes << 20
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache{megabytes}")}
        for _ in ("cold", "warm"):
            done = subprocess.run(
                [peel_executable(), "grades", "--json", "--data", str(tmp_path / "reports")],
                capture_output=True,
                text=True,
                env=env,
                check=False,
                timeout=60,
                preexec_fn=lambda limit=limit: resource.setrlimit(
                    resource.RLIMIT_AS, (limit, limit)
                ),
            )
            outcomes.append((megabytes, done.returncode, done.stderr))
    for megabytes, code, stderr in outcomes:
        assert code in (0, 2), (megabytes, stderr)
        assert stderr.count("\n") == (code == 2), (megabytes, stderr)
        assert code == 0 or "ran out of memory" in stderr, (megabytes, stderr)
    loading = f"peel: error: {tmp_path / 'reports'}: {OUT_OF_MEMORY}\n"
    assert any(stderr == loading for _, _, stderr in outcomes)
    assert [code for megabytes, code, _ in outcomes if megabytes == base + 300] == [0, 0]


KILL_9 = r"""
import ctypes, os, signal, subprocess, sys

if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    sys.exit(3)
peel = subprocess.Popen(
    [sys.argv[1], "grades", "--json", "--data", sys.argv[2]], stdout=subprocess.DEVNULL
)
helpers = []
while not helpers and peel.poll() is None:
    try:
        with open(f"/proc/{peel.pid}/task/{peel.pid}/children") as children:
            helpers = children.read().split()
    except OSError:
        pass
peel.send_signal(signal.SIGKILL)  # no handler runs: only the helper's own request can act
peel.wait()
# Its helpers are this process's children now: how each ended, however long that took. A
# helper that outlived peel would finish its share and exit; one that asked to die with
# peel was killed.
states = []
for pid in helpers:
    try:
        _, status = os.waitpid(int(pid), 0)
    except ChildProcessError:
        states.append("gone")
        continue
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        states.append("killed")
    elif os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1:
        states.append("gone")  # peel died before it could ask: it left at once, unread
    else:
        states.append(f"ended:{status}")
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        break
print(" ".join(states))
"""


@needs_helpers
def test_a_helper_dies_with_peel_killed_outright(tmp_path: Path) -> None:
    import sys

    from conftest import make_corpus, peel_executable

    from peelcli.dataset import pool

    make_corpus(tmp_path / "reports", 12 * pool.PARALLEL_FROM)
    done = subprocess.run(
        [sys.executable, "-c", KILL_9, peel_executable(), str(tmp_path / "reports")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        # Helpers even on a machine whose cores are busy with other work.
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PEEL_PROCESSES": "2"},
    )
    assert done.returncode == 0, done.stderr
    states = done.stdout.split()
    assert states, "peel started no helper"
    assert set(states) <= {"killed", "gone"}, states  # killed with peel, not left parsing
