"""`peel track` end to end, as the installed command: the issue's walk-through on the shipped
report, the pipe from search, CSV round trips, many writers at once, kills mid-write, bad
trackers, and the layout on terminals of several widths and in pipes."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import peel_executable, run_on_terminal

Run = Callable[..., subprocess.CompletedProcess[str]]
KEY = "metropolitan-police-service/2016/E3.R4"
IDS = [f"E1.A{n}" for n in (1, 2, 3)] + [f"E2.A{n}" for n in (1, 2, 3)]
IDS += ["E3.C1"] + [f"E3.R{n}" for n in range(1, 9)] + [f"E4.A{n}" for n in (1, 2, 3, 4, 5)]


@pytest.fixture
def tracker(tmp_path: Path, peel: Run, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tracker.yaml"
    monkeypatch.setenv("PEEL_TRACKER", str(path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15T08:00:00Z
    result = peel("track", "init")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"peel: made the tracker {path}\n"
    return path


def _json(result: subprocess.CompletedProcess[str]) -> object:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_walk_through_of_the_issue(tracker: Path, peel: Run) -> None:
    made = _json(
        peel(
            "track",
            "set",
            "E3.R4",
            "--owner",
            "DCI Khan",
            "--due",
            "2017-09-30",
            "-m",
            "allocated",
            "--by",
            "A Analyst",
            "--json",
        )
    )
    assert made == [
        {
            "key": KEY,
            "number": 1,
            "at": "2027-01-15T08:00:00Z",
            "by": "A Analyst",
            "comment": "allocated",
            "changes": {"status": "awaiting allocation", "owner": "DCI Khan", "due": "2017-09-30"},
        }
    ]
    listed = peel("track", "list", "--as-at", "2017-10-01", "--overdue", "--json")
    rows = _json(listed)
    assert [(r["key"], r["rag"], r["days_overdue"], r["owner"]) for r in rows] == [  # type: ignore[index, union-attr]
        (KEY, "red", 1, "DCI Khan")
    ]
    # On a terminal, red in its colour and in words.
    screen = run_on_terminal(
        "track",
        "list",
        "--as-at",
        "2017-10-01",
        "--overdue",
        "--no-pager",
        env={"PEEL_TRACKER": str(tracker)},
    ).screen
    assert "\x1b[1;31m● red" in screen and "E3.R4" in screen
    logged = peel("track", "log", "E3.R4")
    assert logged.returncode == 0, logged.stderr
    assert "A Analyst" in logged.stdout and "allocated" in logged.stdout
    assert "2027-01-15 08:00:00" in logged.stdout
    paper = peel("track", "report", "--as-at", "2017-10-01")  # piped: the table, plain
    assert paper.returncode == 0 and "\x1b" not in paper.stdout
    overdue = paper.stdout.split("\nOverdue\n", 1)[1].split("\n\n", 1)[0]
    assert "E3.R4" in overdue and "DCI Khan" in overdue and "│ 1 " in overdue
    responses = _json(peel("track", "responses", "--as-at", "2017-05-01", "--json"))
    assert responses == [
        {
            "key": "metropolitan-police-service/2016",
            "force": "Metropolitan Police Service",
            "year": 2016,
            "published": "2017-03-02",
            "response_due": "2017-04-27",
            "responded": None,
            "url": None,
            "state": "late",
            "days_late": 4,
        }
    ]


def test_the_author_is_git_user_else_the_login(tracker: Path, peel: Run, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "LOGNAME": "jbloggs", "USER": "jbloggs"}
    made = _json(peel("track", "set", "E3.R1", "-m", "x", "--json", env=env))
    assert made[0]["by"] == "jbloggs"  # type: ignore[index]
    (home / ".gitconfig").write_text("[user]\n\tname = Jo Bloggs\n", "utf-8")
    made = _json(peel("track", "set", "E3.R1", "-m", "y", "--json", env=env))
    assert made[0]["by"] == "Jo Bloggs"  # type: ignore[index]


def test_keys_piped_from_search(tracker: Path, peel: Run) -> None:
    found = peel("search", "domestic abuse", "--kind", "rec", "--format", "jsonl")
    made = peel(
        "track", "set", "-", "--owner", "DCI Khan", "-m", "allocated", "--json", input=found.stdout
    )
    keys = [m["key"] for m in _json(made)]  # type: ignore[union-attr, index]
    assert keys == [f"metropolitan-police-service/2016/E3.R{n}" for n in (1, 7)]
    listed = _json(peel("track", "list", "--owner", "khan", "--json"))
    assert [r["id"] for r in listed] == ["E3.R1", "E3.R7"]  # type: ignore[index, union-attr]


def test_a_key_that_matches_nothing_writes_nothing(tracker: Path, peel: Run) -> None:
    before = tracker.read_bytes()
    result = peel("track", "set", "E3.R4", "E3.R44", "-m", "x")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "peel: error: no loaded finding has the key 'E3.R44'; nearest: E3.R4, E3.R8, E3.R7, E3.R6"
    )
    assert tracker.read_bytes() == before


def test_csv_from_list_imports_back_unchanged_and_edits_become_changes(
    tracker: Path, peel: Run, tmp_path: Path
) -> None:
    peel("track", "set", "E3.R4", "--owner", "DCI Khan", "--due", "2017-09-30", "-m", "a")
    peel("track", "set", "E3.R5", "--owner", '=HYPERLINK("x")', "--evidence", "-1 note", "-m", "b")
    written = peel("track", "list", "--format", "csv")
    assert written.returncode == 0
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(written.stdout, "utf-8")
    same = peel("track", "import", str(sheet), "--json")
    assert _json(same) == []
    assert "nothing to change" in same.stderr
    rows = list(csv.DictReader(io.StringIO(written.stdout)))
    rows[0]["owner"] = "DS Patel"
    rows[1]["status"] = "closed"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    writer.writerow({**rows[0], "key": "", "id": "E7.R1"})
    sheet.write_text(out.getvalue(), "utf-8")
    before = tracker.read_bytes()
    dry = peel("track", "import", str(sheet), "--dry-run", "--json")
    assert tracker.read_bytes() == before
    expected = [
        {
            "row": 2,
            "key": KEY,
            "field": "owner",
            "old": "DCI Khan",
            "new": "DS Patel",
            "problem": None,
        },
        {
            "row": 3,
            "key": "metropolitan-police-service/2016/E3.R5",
            "field": "status",
            "old": "awaiting allocation",
            "new": "closed",
            "problem": None,
        },
    ]
    found = _json(dry)
    assert found[:2] == expected  # type: ignore[index]
    unmatched = found[2]  # type: ignore[index]
    assert (unmatched["row"], unmatched["key"], unmatched["field"]) == (4, "E7.R1", None)
    assert unmatched["problem"].startswith(
        "no loaded finding has the key 'metropolitan-police-service/2016/E7.R1'; nearest: "
        "metropolitan-police-service/2016/E3.R1"
    )
    assert "1 rows match no finding" in dry.stderr
    assert _json(peel("track", "import", str(sheet), "--json")) == found
    listed = {r["id"]: r for r in _json(peel("track", "list", "--json"))}  # type: ignore[union-attr]
    assert listed["E3.R4"]["owner"] == "DS Patel" and listed["E3.R5"]["rag"] == "closed"
    assert listed["E3.R5"]["owner"] == '=HYPERLINK("x")'
    assert listed["E3.R5"]["evidence"] == ["-1 note"]


def test_every_listing_in_csv_imports_back_unchanged_whatever_its_text(
    tracker: Path, peel: Run, tmp_path: Path
) -> None:
    hostile = "\x1b[31mEvil\x1b[0m\u202e | x\n## heading"
    peel("track", "set", "E3.R4", "--owner", hostile, "--evidence", "\u202eev", "-m", "a")
    peel("track", "set", "E3.R5", "--status", "closed", "--evidence", "one\n\ntwo", "-m", "b")
    peel("track", "set", "E3.R5", "--evidence", "three", "--register-status", "complete", "-m", "c")
    before = tracker.read_bytes()
    for args in (["--all"], []):
        written = peel("track", "list", *args, "--format", "csv")
        assert "\x1b" not in written.stdout and "\\x1b[31mEvil" in written.stdout
        sheet = tmp_path / "sheet.csv"
        sheet.write_text(written.stdout, "utf-8")
        same = peel("track", "import", str(sheet), "--json")
        assert (_json(same), same.stderr) == (
            [],
            "peel: the spreadsheet and the tracker agree: nothing to change\n",
        ), args
    assert tracker.read_bytes() == before


def _put_away(tracker: Path) -> dict[str, object]:
    """Add twelve entries for reports not loaded, and one whose finding its report lacks."""
    from peelcli.tracking.model import Change, Entry, Response
    from peelcli.tracking.store import load
    from peelcli.tracking.yamlio import dump

    held = load(tracker)
    change = Change(at="2018-01-01T09:00:00Z", by="A Analyst", comment="from last year")
    for n in range(12):
        held.entries[f"kent-police/{2005 + n}/E1.A1"] = Entry(
            fingerprint="0" * 16, owner="DI Rowe", due="2018-03-31", history=[change]
        )
    held.entries["metropolitan-police-service/2016/E9.A1"] = Entry(
        fingerprint="0" * 16, history=[change]
    )
    for n in range(2):
        held.responses[f"kent-police/{2005 + n}"] = Response(published="2006-01-01")
    tracker.write_text(dump(held), "utf-8")
    return {k: v for k, v in held.entries.items() if not k.endswith("/E3.R4")}


def test_entries_for_reports_not_loaded_are_counted_and_kept(tracker: Path, peel: Run) -> None:
    peel("track", "set", "E3.R4", "--owner", "DCI Khan", "--due", "2017-09-30", "-m", "a")
    kept = _put_away(tracker)
    said = [
        "peel: warning: 12 entries for reports not loaded",
        "peel: warning: 1 entry whose finding is not in its loaded report: "
        "metropolitan-police-service/2016/E9.A1",
    ]
    listed = peel("track", "list", "--as-at", "2017-10-01", "--json")
    assert [r["key"] for r in _json(listed)] == [KEY]  # type: ignore[index, union-attr]
    assert listed.stderr.splitlines() == said
    paper = peel("track", "report", "--as-at", "2017-10-01", "--json")
    document = _json(paper)
    assert (document["entries_not_loaded"], document["entries_not_found"]) == (  # type: ignore[index]
        12,
        ["metropolitan-police-service/2016/E9.A1"],
    )
    assert paper.stderr.splitlines() == said
    answered = peel("track", "responses", "--json")
    assert [r["key"] for r in _json(answered)] == ["metropolitan-police-service/2016"]  # type: ignore[index, union-attr]
    assert answered.stderr == "peel: warning: 2 responses for reports not loaded\n"
    written = peel("track", "report", "--as-at", "2017-10-01", "--format", "markdown").stdout
    assert written.endswith(
        "## Entries not counted above\n\n| Why | Entries |\n|---|---|\n"
        "| their report is not loaded | 12 |\n"
        "| their finding is not in its loaded report: "
        "metropolitan-police-service/2016/E9.A1 | 1 |\n"
    )
    # Changes to loaded findings, by hand and from a spreadsheet, keep every other entry.
    assert peel("track", "set", "E3.R4", "--status", "closed", "-m", "done").returncode == 0
    sheet = tracker.parent / "sheet.csv"
    sheet.write_text("id,owner\nE3.R5,DS Patel\nE3.R6,DS Patel\n", "utf-8")
    assert peel("track", "import", str(sheet)).returncode == 0
    from peelcli.tracking.store import load

    after = load(tracker)
    entries = after.entries
    assert {k: v for k, v in entries.items() if k in kept} == kept
    assert len(entries) == 13 + 3 and len(after.responses) == 2


def test_sixteen_writers_at_once_leave_sixteen_changes(tracker: Path) -> None:
    env = {**os.environ, "PEEL_TRACKER": str(tracker)}
    procs = [
        subprocess.Popen(
            [peel_executable(), "track", "set", ident, "--owner", f"owner {n}", "-m", f"m{n}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n, ident in enumerate(IDS[:16])
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 16
    from peelcli.tracking.store import load

    entries = load(tracker).entries
    assert sorted(entries) == sorted(f"metropolitan-police-service/2016/{i}" for i in IDS[:16])
    assert all(len(e.history) == 1 for e in entries.values())


def test_two_writers_on_one_key_leave_both_changes(tracker: Path) -> None:
    env = {**os.environ, "PEEL_TRACKER": str(tracker)}
    procs = [
        subprocess.Popen(
            [peel_executable(), "track", "set", "E3.R4", "--evidence", f"item {n}", "-m", f"m{n}"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for n in range(2)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    from peelcli.tracking.store import load

    entry = load(tracker).entries[KEY]
    assert sorted(c.comment for c in entry.history) == ["m0", "m1"]
    assert sorted(entry.evidence) == ["item 0", "item 1"]


def _big_tracker(path: Path, count: int) -> None:
    from peelcli.tracking.model import Change, Entry, Tracker
    from peelcli.tracking.yamlio import dump

    tracker = Tracker()
    for n in range(count):
        tracker.entries[f"force-{n}/2016/E1.A1"] = Entry(
            fingerprint="0" * 16,
            owner="x" * 200,
            history=[Change(at="2026-12-04T18:00:00Z", by="b", comment="c" * 200)],
        )
    path.write_text(dump(tracker), "utf-8")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_a_kill_at_any_moment_leaves_the_old_file_or_the_new(tmp_path: Path, signum: int) -> None:
    from peelcli.tracking.store import load

    path = tmp_path / "t.yaml"
    _big_tracker(path, 3000)
    env = {**os.environ, "PEEL_TRACKER": str(path), "PEEL_CACHE": "0"}
    argv = [peel_executable(), "track", "set", "E3.R4"]
    start = time.monotonic()
    subprocess.run([*argv, "-m", "timing"], env=env, check=True, capture_output=True)
    whole = time.monotonic() - start  # how long a change takes here, from start to exit
    old = path.read_bytes()
    outcomes = set()
    for n in range(8):
        proc = subprocess.Popen(
            [*argv, "-m", f"try {n}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(whole * n / 7)  # from before the tracker is read to after it is written
        proc.send_signal(signum)
        proc.wait(timeout=60)
        now = path.read_bytes()
        history = load(path).entries["metropolitan-police-service/2016/E3.R4"].history
        if now == old:
            outcomes.add("old")
        else:
            assert history[-1].comment == f"try {n}"
            outcomes.add("new")
            old = now
        if signum != signal.SIGKILL:  # a signal peel hears: no temporary file left behind
            assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert outcomes <= {"old", "new"} and outcomes  # each kill left one or the other
    # A later write removes whatever temporary file a SIGKILL left.
    subprocess.run([*argv, "-m", "after"], env=env, check=True, capture_output=True)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# Runs peel as its console script does, stopping for good at one moment of the tracker's
# write (and saying so by making the marker file), so that a test can kill it right there.
PAUSING_WRITER = """
import os, sys, tempfile, time
from pathlib import Path

stage, marker, tracker = sys.argv[1], Path(sys.argv[2]), os.path.realpath(sys.argv[3])


def pause():
    marker.write_text(stage)
    time.sleep(600)


real_mkstemp, real_fdopen, real_replace = tempfile.mkstemp, os.fdopen, os.replace
ours = set()


def mkstemp(*args, **kwargs):
    fd, name = real_mkstemp(*args, **kwargs)
    if os.path.basename(name).startswith("." + os.path.basename(tracker) + "."):
        ours.add(fd)
    return fd, name


class HalfWriter:
    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        pause()


def fdopen(fd, *args, **kwargs):
    handle = real_fdopen(fd, *args, **kwargs)
    return HalfWriter(handle) if stage == "writing" and fd in ours else handle


def replace(source, target):
    ours = os.path.realpath(target) == tracker
    if ours and stage == "written":
        pause()
    real_replace(source, target)
    if ours and stage == "renamed":
        pause()


tempfile.mkstemp, os.fdopen, os.replace = mkstemp, fdopen, replace
sys.argv = ["peel", *sys.argv[4:]]
from peelcli.__main__ import main

main()
"""


@pytest.mark.parametrize("stage", ["writing", "written", "renamed"])
def test_a_kill_9_in_the_write_leaves_a_whole_file_and_the_next_write_no_stray(
    tmp_path: Path, tracker: Path, peel: Run, stage: str
) -> None:
    import sys

    from peelcli.tracking.store import load

    assert peel("track", "set", "E3.R4", "--owner", "DCI Khan", "-m", "first").returncode == 0
    old = tracker.read_bytes()
    script, marker = tmp_path / "pausing_writer.py", tmp_path / "paused"
    script.write_text(PAUSING_WRITER, "utf-8")
    argv = [sys.executable, str(script), stage, str(marker), str(tracker)]
    argv += ["track", "set", "E3.R4", "--owner", "DS Patel", "-m", "second"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120  # a guard against a hang, not a measure of speed
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "the writer never reached the moment"
        time.sleep(0.01)
    proc.kill()
    proc.communicate(timeout=60)
    strays = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    comments = [c.comment for c in load(tracker).entries[KEY].history]  # whole: it parses
    if stage == "renamed":
        assert comments == ["first", "second"] and strays == []
    else:
        assert tracker.read_bytes() == old and comments == ["first"]
        assert [p.name.startswith(".tracker.yaml.") for p in strays] == [True]
        assert strays[0].stat().st_size > 0  # the new file, or half of it, never renamed
    done = peel("track", "set", "E3.R4", "--evidence", "minutes", "-m", "third")
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert [c.comment for c in load(tracker).entries[KEY].history][-1] == "third"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["tracker.yaml", "tracker.yaml.lock", "pausing_writer.py", "paused"]
    )


def test_a_bad_tracker_is_reported_and_kept(tmp_path: Path, peel: Run) -> None:
    path = tmp_path / "t.yaml"
    text = (
        "version: 1\nentries:\n  metropolitan-police-service/2016/E3.R4:\n"
        "    fingerprint: x\n    status: done\n"
    )
    path.write_text(text, "utf-8")
    for args in (["track", "list"], ["track", "set", "E3.R4", "-m", "x"], ["findings"]):
        result = peel(*args, env={"PEEL_TRACKER": str(path)})
        assert result.returncode == 2, args
        assert result.stderr.startswith(
            f"peel: error: {path}:5:13: entries.metropolitan-police-service/2016/E3.R4.status: "
            "'done' is not one of"
        ), (args, result.stderr)
    assert path.read_text("utf-8") == text


def test_no_tracker_says_where_peel_looked(tmp_path: Path, peel: Run) -> None:
    result = peel("track", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "peel: error: no tracker: looked at --tracker, $PEEL_TRACKER, peel-tracker.yaml in the "
        "current directory\n"
        "peel: Make one with: peel track init (or name one with --tracker PATH).\n"
    )


def test_dates_that_are_not_dates_are_one_clear_error(tracker: Path, peel: Run) -> None:
    result = peel("track", "set", "E3.R4", "--due", "next week", "-m", "x")
    assert (result.returncode, result.stderr.splitlines()[0]) == (
        2,
        "peel: error: --due: 'next week' is not a date; expected a date such as 2027-03-31, or a "
        "time from now such as 30d, 6w, 3m or 1y",
    )


def test_untrusted_text_is_shown_literally(tracker: Path, peel: Run) -> None:
    peel(
        "track",
        "set",
        "E3.R4",
        "--owner",
        "\x1b[31mEvil\x1b[0m",
        "-m",
        "\u202ereversed",
        "--by",
        "x\ny",
    )
    for args in (
        ["track", "list"],
        ["track", "log", "E3.R4"],
        ["track", "list", "--format", "csv"],
        ["track", "report"],
        ["track", "report", "--format", "markdown"],
    ):
        result = peel(*args)
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout, args
        assert "Evil" in result.stdout, args
    screen = run_on_terminal(
        "track", "log", "E3.R4", "--no-pager", env={"PEEL_TRACKER": str(tracker)}
    ).screen
    assert "\\x1b[31mEvil" in screen and "\\u202ereversed" in screen


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_list_on_terminals_of_several_widths(tracker: Path, peel: Run, columns: int) -> None:
    peel("track", "set", "E3.R4", "E1.A1", "--owner", "DCI Khan", "--due", "2017-09-30", "-m", "a")
    shown = run_on_terminal(
        "track",
        "list",
        "--as-at",
        "2017-10-01",
        "--no-pager",
        "--no-color",
        columns=columns,
        env={"PEEL_TRACKER": str(tracker)},
    )
    assert shown.status == 0, shown.stderr
    lines = shown.screen.splitlines()
    assert max(len(line) for line in lines) <= columns
    text = " ".join(" ".join(lines).split())
    assert (
        "improving the completion rate, quality and supervision of DASH forms;"
        in text.replace("│ ", "")
        or "DASH" in text
    )
    piped = peel("track", "list", "--as-at", "2017-10-01")
    assert piped.returncode == 0 and "\x1b" not in piped.stdout and "● red" in piped.stdout


def test_findings_search_and_show_carry_the_tracked_status(tracker: Path, peel: Run) -> None:
    peel("track", "set", "E3.R4", "--owner", "DCI Khan", "--due", "2017-09-30", "-m", "a")
    peel("track", "set", "E3.R7", "--status", "closed", "-m", "done")
    tracked = ["--status", "awaiting allocation", "--status", "in progress"]
    red = _json(peel("findings", "--rag", "red", *tracked, "--as-at", "2017-10-01", "--json"))
    assert [(r["id"], r["status"], r["rag"], r["key"]) for r in red] == [  # type: ignore[index, union-attr]
        ("E3.R4", "awaiting allocation", "red", KEY)
    ]
    closed = _json(peel("search", "domestic abuse", "--status", "closed", "--json"))
    assert [(r["id"], r["rag"]) for r in closed] == [("E3.R7", "closed")]  # type: ignore[index, union-attr]
    untracked = _json(peel("findings", "--kind", "rec", "--status", "untracked", "--json"))
    assert [r["id"] for r in untracked] == [  # type: ignore[index, union-attr]
        "E3.R1",
        "E3.R2",
        "E3.R3",
        "E3.R5",
        "E3.R6",
        "E3.R8",
    ]
    shown = _json(peel("show", "E3.R4", "--as-at", "2017-10-01", "--json"))
    assert (shown["status"], shown["rag"], shown["owner"], shown["tracked_due"]) == (  # type: ignore[index]
        "awaiting allocation",
        "red",
        "DCI Khan",
        "2017-09-30",
    )
    csv_out = peel("findings", "--format", "csv").stdout.splitlines()[0]
    assert csv_out.endswith(",key,status,rag,owner,tracked_due")
    screen = run_on_terminal(
        "search", "DASH", "--no-pager", "--as-at", "2017-10-01", env={"PEEL_TRACKER": str(tracker)}
    ).screen
    assert "recommendation  awaiting allocation · \x1b[1;31m● red" in screen


def test_findings_without_a_tracker_are_as_they_were(peel: Run, tmp_path: Path) -> None:
    plain = _json(peel("findings", "--json", cwd=tmp_path))
    assert "status" not in plain[0]  # type: ignore[index]
    result = peel("findings", "--rag", "red", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("peel: error: no tracker: looked at")


def test_validate_checks_the_tracker_and_schema_describes_it(
    tracker: Path, peel: Run, tmp_path: Path
) -> None:
    done = peel("validate")
    assert done.returncode == 0 and f"{tracker}: valid" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nentries:\n  a/2016/E1.A1:\n    fingerprint: x\n    owner: [1]\n")
    done = peel("validate", str(bad))
    assert done.returncode == 2
    assert (
        f"peel: error: {bad}:5:12: entries.a/2016/E1.A1.owner: Input should be a valid string"
        in (done.stderr)
    )
    schema = _json(peel("schema", "--tracker"))
    assert schema["$id"] == "urn:peelcli:tracker"  # type: ignore[index]
    assert set(schema["properties"]) == {"version", "entries", "responses"}  # type: ignore[index]


def test_track_help_lists_its_commands(peel: Run) -> None:
    helped = peel("track", "-h")
    assert helped.returncode == 0
    for name in ("set", "list", "log", "report", "responses", "response", "import", "init"):
        assert f"  {name} " in helped.stdout, name
    assert "track" in peel("-h").stdout


def test_list_filters(tracker: Path, peel: Run) -> None:
    peel("track", "set", "E3.R4", "--owner", "DCI Khan", "--due", "2017-09-30", "-m", "a")
    peel("track", "set", "E3.R5", "--owner", "DS Patel", "--due", "2017-10-20", "-m", "b")
    peel("track", "set", "E3.R6", "--owner", "DS Patel", "--due", "2018-06-30", "-m", "c")
    peel("track", "set", "E3.R8", "--due", "2018-06-30", "-m", "d")

    def ids(*args: str) -> list[str]:
        found = _json(peel("track", "list", "--as-at", "2017-10-01", "--json", *args))
        return [r["id"] for r in found]  # type: ignore[index, union-attr]

    assert ids() == ["E3.R4", "E3.R5", "E3.R6", "E3.R8"]
    assert ids("--rag", "amber") == ["E3.R5", "E3.R8"]  # due within 30 days; no owner
    assert ids("--rag", "green") == ["E3.R6"]
    assert ids("--due-within", "30d") == ["E3.R4", "E3.R5"]
    assert ids("--owner", "patel") == ["E3.R5", "E3.R6"]
    afi = peel("track", "list", "--kind", "afi")
    assert (afi.returncode, afi.stderr) == (
        1,
        "peel: no tracked findings match\n"
        "peel: Fewer filters find more; --all lists untracked findings too.\n",
    )
    everything = ids("--all")
    assert len(everything) == 20 and "E1.A1" in everything
    untracked = _json(peel("track", "list", "--status", "untracked", "--json"))
    assert {r["status"] for r in untracked} == {"untracked"}  # type: ignore[index, union-attr]
    nothing = peel("track", "list", "--rag", "closed")
    assert nothing.returncode == 1 and nothing.stderr.startswith("peel: no tracked findings match")
    bad = peel("track", "list", "--rag", "purple")
    assert (bad.returncode, bad.stderr.splitlines()[0]) == (
        2,
        "peel: error: 'purple' is not a RAG rating; expected red, amber, green or closed",
    )


def test_a_reimport_that_changes_a_findings_words_is_reported_never_repointed(
    tracker: Path, peel: Run, tmp_path: Path
) -> None:
    from conftest import DATASET

    from peelcli.tracking.store import load

    peel("track", "set", "E3.R4", "--owner", "DCI Khan", "-m", "allocated")
    before = load(tracker).entries[KEY]
    words = "improving the completion rate, quality and supervision of DASH forms;"
    again = tmp_path / "metropolitan_2016.yaml"
    text = DATASET.read_text("utf-8")
    assert text.count(words) == 1
    again.write_text(text.replace(words, "improving the supervision of DASH forms;"), "utf-8")
    listed = peel("track", "list", "--data", str(again), "--json")
    rows = _json(listed)
    assert [(r["key"], r["text_changed"]) for r in rows] == [(KEY, True)]  # type: ignore[index, union-attr]
    assert rows[0]["text"] == "improving the supervision of DASH forms;"  # type: ignore[index]
    assert listed.stderr == (
        "peel: warning: 1 tracked findings' words have changed since they were tracked "
        f"(text_changed): {KEY}\n"
    )
    made = peel("track", "set", "E3.R4", "--status", "in progress", "-m", "x", "--data", str(again))
    assert made.returncode == 0
    assert made.stderr.startswith(f"peel: warning: {KEY}: the finding's words have changed")
    after = load(tracker).entries[KEY]
    assert after.fingerprint == before.fingerprint  # still the words first tracked
    assert after.history[0] == before.history[0]  # the history is only added to
    assert _json(peel("track", "list", "--json"))[0]["text_changed"] is False  # type: ignore[index]


def test_list_in_every_format_and_by_force_and_year(tracker: Path, peel: Run) -> None:
    peel("track", "set", "E3.R4", "--owner", "DCI Khan", "--due", "2017-09-30", "-m", "a")
    day = ("--as-at", "2017-10-01")
    lines = peel("track", "list", *day, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["rag"] for line in lines] == ["red"]
    markdown = peel("track", "list", *day, "--format", "markdown").stdout.splitlines()
    assert markdown[0].startswith("| Key | Force | Year | ID | Kind | Status |")
    assert markdown[2].startswith(f"| {KEY} | Metropolitan Police Service | 2016 | E3.R4 |")
    assert [
        r["id"] for r in _json(peel("track", "list", "--force", "met", "--year", "2016", "--json"))
    ] == ["E3.R4"]  # type: ignore[index, union-attr]
    other = peel("track", "list", "--year", "2019")
    assert (other.returncode, other.stderr.splitlines()) == (
        1,
        [
            "peel: warning: 1 entry for a report not loaded",  # out of scope: counted, kept
            "peel: no report is from --year 2019",
            "peel: Years loaded: 2016.",
        ],
    )


def test_the_tracking_modules_stay_under_500_lines() -> None:
    from conftest import ROOT

    package = ROOT / "peelcli"
    modules = [*(package / "tracking").glob("*.py"), *(package / "render").glob("tracking*.py")]
    modules += [package / "cli" / "track.py", package / "cli" / "tracking_options.py"]
    sizes = {m.name: m.read_text("utf-8").count("\n") for m in modules}
    assert len(sizes) > 10 and max(sizes.values()) < 500, sizes


def test_a_paper_made_again_later_for_the_same_day_comes_out_the_same(
    tracker: Path, peel: Run
) -> None:
    def at(day: str) -> dict[str, str]:
        moment = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.timezone.utc)
        return {"SOURCE_DATE_EPOCH": str(int(moment.timestamp()) + 9 * 3600)}

    set_ = ("track", "set")
    peel(
        *set_,
        "E3.R4",
        "--owner",
        "DCI Khan",
        "--due",
        "2017-09-30",
        "-m",
        "a",
        env=at("2017-03-21"),
    )
    peel(
        *set_,
        "E3.R5",
        "--owner",
        "DS Patel",
        "--due",
        "2017-09-01",
        "-m",
        "b",
        env=at("2017-03-21"),
    )
    paper = ("track", "report", "--as-at", "2017-10-01", "--since", "2017-01-01", "--json")
    listing = ("track", "list", "--as-at", "2017-10-01", "--json")
    first = [_json(peel(*paper)), _json(peel(*listing))]
    overdue = [r["id"] for r in first[0]["overdue"]]  # type: ignore[index]
    assert overdue == ["E3.R5", "E3.R4"]
    # Later the items are closed, revised, handed on and given evidence.
    peel(*set_, "E3.R4", "--status", "closed", "--evidence", "x", "-m", "c", env=at("2017-10-02"))
    peel(
        *set_,
        "E3.R5",
        "--due",
        "2018-03-31",
        "--reason",
        "r",
        "--owner",
        "DI Rowe",
        "-m",
        "d",
        env=at("2017-11-01"),
    )
    assert [_json(peel(*paper)), _json(peel(*listing))] == first
    today = _json(peel("track", "list", "--as-at", "2017-11-02", "--json"))
    assert [(r["id"], r["rag"], r["owner"]) for r in today] == [  # type: ignore[index, union-attr]
        ("E3.R4", "closed", "DCI Khan"),
        ("E3.R5", "green", "DI Rowe"),
    ]


def test_a_reports_response_is_recorded_by_its_key(tracker: Path, peel: Run) -> None:
    report = "metropolitan-police-service/2016"
    url = "https://www.example.org/response"
    made = peel("track", "response", report, "--published", "2017-04-20", "--url", url, "--json")
    assert [(c["key"], c["changes"]) for c in _json(made)] == [  # type: ignore[index, union-attr]
        (report, {"published": "2017-04-20", "url": url})
    ]
    found = _json(peel("track", "responses", "--as-at", "2017-05-01", "--json"))
    assert [(r["state"], r["responded"], r["url"], r["days_late"]) for r in found] == [  # type: ignore[index, union-attr]
        ("responded", "2017-04-20", url, None)
    ]
    assert peel("track", "log", report, "--json").returncode == 0
    wrong = peel("track", "response", "metropolitan-police-service/2017", "--published", "1d")
    assert (wrong.returncode, wrong.stderr.splitlines()[0]) == (
        2,
        "peel: error: no loaded report has the key 'metropolitan-police-service/2017'; "
        f"nearest: {report}",
    )
    nothing = peel("track", "response", "-m", "x")
    assert (nothing.returncode, nothing.stderr.splitlines()[0]) == (
        2,
        "peel: error: say when (--published DATE) or where (--url URL) the response was published",
    )
