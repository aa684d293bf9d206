"""Terminal safety: whatever a dataset holds, peel shows it as literal text. Markup and emoji
codes are never interpreted, and no control character, escape sequence or bidi override reaches
stdout or stderr raw, in any command, format or colour setting; JSON stays exact."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hostile_support import (
    PAYLOAD,
    PAYLOAD_SHOWN,
    SGR,
    hostile_text,
    quoted,
    raw_controls,
    report_data,
    to_yaml,
    write_report,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcli.env import Environment
from peelcli.models import Report
from peelcli.query import (
    PillarRow,
    Scope,
    compile_terms,
    finding_rows,
    grade_rows,
    question_rows,
    search,
)
from peelcli.render import formats, records
from peelcli.render import reading_terminal as terminal
from peelcli.render.sanitize import clean, clean_json, clean_line

Cli = Callable[..., Any]
WIDE = {"COLUMNS": "400"}  # wide enough that no table wraps inside a payload piece


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A valid report with the payload in every free-text field, the force name too."""
    return write_report(tmp_path / "hostile.yaml", report_data(PAYLOAD))


def assert_clean(result: Any, colour: bool) -> None:
    # With colour, rich's own SGR sequences are allowed, so a leaked "\x1b[31m" would pass
    # here unseen: PAYLOAD_SHOWN then catches it, as its escaped form would be missing.
    assert "Traceback" not in result.stderr
    assert raw_controls(result.stdout, colour) == [], result.stdout
    assert raw_controls(result.stderr) == [], result.stderr


COMMANDS = [
    ["grades"],
    ["questions"],
    ["questions", "--brief"],
    ["show", "E1"],
    ["show", "E1.A1"],
    ["show", "E1.C1"],
    ["show", "E1.R2"],
    ["findings"],
    ["search", "pwned"],
    ["search", "--all-text", "pwned"],
]


@pytest.mark.parametrize("colour", ["--color", "--no-color"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_shows_the_payload_as_literal_text(
    cli: Cli, hostile: Path, command: list[str], colour: str
) -> None:
    result = cli(*command, "--data", str(hostile), colour, env=WIDE)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert_clean(result, colour == "--color")
    shown = result.stdout
    if colour == "--color":
        assert "\x1b[" in shown  # colour really was on
        shown = SGR.sub("", shown)
    for piece in PAYLOAD_SHOWN:
        assert piece in shown, piece


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
@pytest.mark.parametrize("command", [["grades"], ["findings"], ["search", "pwned"]], ids=" ".join)
def test_plain_formats_show_the_payload_as_literal_text(
    cli: Cli, hostile: Path, command: list[str], fmt: str
) -> None:
    result = cli(*command, "--data", str(hostile), "--format", fmt, "--color")
    assert result.exit_code == 0, result.stderr
    assert_clean(result, colour=False)  # no colour in CSV or Markdown, even when asked
    for piece in PAYLOAD_SHOWN:
        assert piece in result.stdout, piece


@pytest.mark.parametrize(
    "command",
    [
        ["grades"],
        ["questions"],
        ["show", "E1"],
        ["show", "E1.R1"],
        ["findings"],
        ["search", "pwned"],
    ],
    ids=" ".join,
)
def test_json_escapes_every_control_and_stays_exact(
    cli: Cli, hostile: Path, command: list[str]
) -> None:
    result = cli(*command, "--data", str(hostile), "--json", "--color")
    assert result.exit_code == 0, result.stderr
    assert_clean(result, colour=False)
    strings = _strings(json.loads(result.stdout))
    assert PAYLOAD in strings  # decoded, the payload is exactly what the file holds
    assert "\\u009b2J" in result.stdout and "\\u202eRTL" in result.stdout


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("colour", [{"FORCE_COLOR": "1"}, {"NO_COLOR": "1"}], ids=["on", "off"])
def test_validate_with_colour_on_and_off(
    cli: Cli, hostile: Path, tmp_path: Path, colour: dict[str, str]
) -> None:
    result = cli("validate", str(hostile), env=colour)
    valid = f"{hostile}: valid\n1 file(s) valid\n"
    assert (result.exit_code, result.stdout, result.stderr) == (0, valid, "")
    data = report_data(PAYLOAD)
    data["pillars"][0]["questions"][0]["grade"] = PAYLOAD
    data[PAYLOAD] = PAYLOAD
    bad = write_report(tmp_path / "bad.yaml", data)
    result = cli("validate", str(bad), env=colour)
    assert result.exit_code == 2
    assert_clean(result, colour=False)
    lines = result.stderr.splitlines()
    assert len(lines) == 3  # the unknown field, the grade, the count: one line each
    assert all(line.startswith("peel: error: ") for line in lines)
    assert "unknown field '\\x1b[31mRED\\x1b[0m" in lines[0] + lines[1]


# --- text echoed in error messages ---------------------------------------------------


def test_unknown_field_name_is_escaped_on_one_line(cli: Cli, tmp_path: Path) -> None:
    key = "evil\n\x1b[31mkey\u2028peel: error: spoof"
    body = to_yaml(report_data("ok")) + f"{quoted(key)}: 1\n"
    path = tmp_path / "report.yaml"
    path.write_text(body, encoding="utf-8")
    line = body.count("\n")
    result = cli("grades", "--data", str(path), "--color")
    assert result.exit_code == 2
    shown = "evil\\n\\x1b[31mkey\\u2028peel: error: spoof"
    assert result.stderr == f"peel: error: {path}:{line}:1: {shown}: unknown field '{shown}'\n"
    assert result.stdout == ""


def test_bad_grade_value_is_escaped(cli: Cli, tmp_path: Path) -> None:
    data = report_data("ok")
    data["pillars"][0]["questions"][0]["grade"] = "good\x1b[31m\n[bold]fake"
    path = write_report(tmp_path / "report.yaml", data)
    lines = path.read_text(encoding="utf-8").splitlines()
    line, column = next((n, s.index('"good')) for n, s in enumerate(lines, 1) if '"good\\x1b' in s)
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"peel: error: {path}:{line}:{column + 1}: pillars[0].questions[0].grade: "
        "'good\\x1b[31m\\n[bold]fake' is not a grade; expected one of 'outstanding', 'good', "
        "'adequate', 'requires improvement', 'inadequate', 'ungraded', 'not stated'",
        "peel: error: 1 problem(s) in 1 of 1 file(s)",
    ]


def test_tag_with_encoded_line_break_stays_on_its_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_text("force: !foo%0apeel:%20error:%20spoof%1b%5b31m x\n", encoding="utf-8")
    result = cli("grades", "--data", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"peel: error: {path}:1:8: unsupported tag !foo\\npeel: error: spoof\\x1b[31m; "
        "a report holds text, whole numbers, lists, mappings\n"
    )


def test_file_name_is_escaped(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "evil\n\x1b]0;title\x07.yaml"
    bad.write_text("- a list\n", encoding="utf-8")
    result = cli("findings", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"peel: error: {tmp_path}/evil\\n\\x1b]0;title\\x07.yaml:1:1: "
        "expected a mapping of report fields at top level, found a list\n"
    )


def test_force_names_in_corpus_errors_are_escaped(cli: Cli, tmp_path: Path) -> None:
    force = "Evil\nForce\x1b[2J"
    write_report(tmp_path / "a.yaml", report_data("ok", force=force))
    write_report(tmp_path / "b.yaml", report_data("ok", force=force))
    result = cli("findings", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"peel: error: {tmp_path}/b.yaml: repeats pillar E of Evil\\nForce\\x1b[2J 2016, "
        f"already in {tmp_path}/a.yaml\n"
    )


def test_ambiguous_id_names_hostile_forces_escaped(cli: Cli, tmp_path: Path) -> None:
    write_report(tmp_path / "a.yaml", report_data("ok", force="A\x1b[31m"))
    other = report_data("ok", force="B\u202e")
    other["year"] = 2017
    write_report(tmp_path / "b.yaml", other)
    result = cli("show", "E1.A1", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        "peel: error: E1.A1 is in 2 reports: A\\x1b[31m 2016, B\\u202e 2017\n"
        "peel: Choose one with --force and --year.\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["grades", "--grade", "\x1b[31m[bold]"],
            "peel: error: '\\x1b[31m[bold]' is not a grade; expected one of 'outstanding', "
            "'good', 'adequate', 'requires improvement', 'inadequate', 'ungraded', 'not stated'\n",
        ),
        (
            ["findings", "--kind", "\x9b2J"],
            "peel: error: '\\x9b2J' is not a kind of finding; expected one of "
            "area_for_improvement, cause_of_concern, recommendation, innovative_practice, "
            "promising_practice\n",
        ),
        (
            ["show", "\x1b]0;x\x07"],
            "peel: error: no question or finding has the ID '\\x1b]0;x\\x07'\n"
            "peel: Run 'peel findings' to list the IDs.\n",
        ),
    ],
    ids=["grade", "kind", "show"],
)
def test_options_echoed_in_errors_are_escaped(cli: Cli, args: list[str], expected: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == expected


# --- the sanitiser -------------------------------------------------------------------

UNSAFE = (
    [chr(c) for c in range(0x20) if chr(c) not in "\n\t"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + list("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e")
    + list("\u2066\u2067\u2068\u2069\ufeff")
)


@pytest.mark.parametrize("char", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_sanitiser_escapes_every_unsafe_character(char: str) -> None:
    code = ord(char)
    expected = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    assert clean(f"a{char}b") == f"a{expected}b"
    assert json.loads(clean_json(json.dumps(char, ensure_ascii=False))) == char


def test_sanitiser_keeps_newline_and_tab_but_one_line_fields_escape_them() -> None:
    assert clean("a\nb\tc") == "a\nb\tc"
    assert clean_line("a\nb\tc") == "a\\nb\\tc"


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",))) | hostile_text)
def test_sanitised_text_never_holds_a_raw_control(text: str) -> None:
    assert raw_controls(clean(text)) == []
    assert raw_controls(clean_line(text)) == []
    assert "\n" not in clean_line(text) and "\t" not in clean_line(text)
    document = json.dumps({"t": text}, ensure_ascii=False)
    assert raw_controls(clean_json(document)) == []
    assert json.loads(clean_json(document)) == {"t": text}


# --- every renderer, any text --------------------------------------------------------


def _stream(utf8: bool) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8" if utf8 else "ascii", newline="")


def _written(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def _render_everything(report: Report, env: Environment) -> None:
    scope = Scope()
    rows = question_rows([report], scope)
    findings = finding_rows([report], scope)
    hits = search([report], scope, compile_terms([r"\W+"], regex=True), all_text=True)
    listed = grade_rows([report], scope, rows)
    terminal.render_grades(env, listed)
    terminal.render_questions(env, listed, brief=False)
    terminal.render_shown(env, [r for r in listed if isinstance(r, PillarRow)])
    for row in rows:
        terminal.render_question_in_full(env, row)
    for finding in findings:
        terminal.render_finding(env, finding)
    terminal.render_findings(env, findings)
    terminal.render_hits(env, hits)
    table = [records.finding_record(f) for f in findings]
    formats.write_csv(env, table, records.FINDING_COLUMNS)
    formats.write_markdown(env, table, records.FINDING_COLUMNS)
    grades = [records.grade_record(r) for r in listed]
    formats.write_csv(env, grades, records.GRADE_COLUMNS)
    formats.write_markdown(env, grades, records.GRADE_COLUMNS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(hostile_text, min_size=1, max_size=6),
    colour=st.booleans(),
    width=st.integers(min_value=20, max_value=160),
)
def test_rendering_any_text_never_raises_nor_writes_a_control(
    texts: list[str], colour: bool, width: int
) -> None:
    report = Report.model_validate(report_data(*texts))
    stdout = _stream(utf8=True)
    env = Environment(stdout=stdout, stderr=io.StringIO(), color=colour, width=width)
    _render_everything(report, env)
    assert raw_controls(_written(stdout), colour) == []


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(hostile_text, min_size=1, max_size=6), utf8=st.booleans())
def test_json_of_any_text_is_exact_and_escaped(texts: list[str], utf8: bool) -> None:
    report = Report.model_validate(report_data(*texts))
    stdout = _stream(utf8)
    env = Environment(stdout=stdout, stderr=io.StringIO())
    rows = question_rows([report], Scope())
    data = [records.question_record(r, with_findings=True) for r in rows]
    data += [records.pillar_record(report, p) for p in report.pillars]
    formats.write_json(env, data)
    out = _written(stdout)
    assert raw_controls(out) == []
    assert json.loads(out) == data
    assert set(texts) <= set(_strings(json.loads(out)))


# --- every command, every format, hostile text in every field ------------------------

# Text that attacks the formats besides the terminal: a spreadsheet formula, HTML for a
# Markdown renderer, a cell separator, OSC 52 (write to the clipboard), a C1 control.
FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"
HTML = "<img src=x onerror=alert(1)>"
EVERY_FIELD = (
    PAYLOAD,
    FORMULA,
    HTML,
    "a|b\nc\td",
    "\x1b]52;c;ZXZpbA==\x07clip",
    "=1+2",
    "-3\u202eRLO\x9b2J",
)
# Areas name the grid's columns: hostile names, and two that a row's own fields have.
AREA_TITLES = (PAYLOAD, FORMULA, HTML, "\x1b]0;title\x07 | x", "force", "year", "=HYPERLINK()")


def _every_field(data: dict[str, Any], text: Any) -> dict[str, Any]:
    """report_data's report with the free-text fields it leaves out filled too."""
    data["inspectorate_source"] = text()
    data["summary"] = [text(), text()]
    pillar = data["pillars"][0] if data.get("pillars") else None
    if pillar is not None:
        pillar["judgement"] = text()
        pillar["summary"] = [text()]
    units = pillar["questions"] if pillar is not None else data["areas"]
    for kind in ("innovative_practice", "promising_practice"):
        units[0][kind] = [
            {
                "id": f"{units[0]['id']}.{kind[0].upper()}1",
                "title": text(),
                "text": text(),
                "paragraphs": [text(), text()],
            }
        ]
    return data


@pytest.fixture(scope="module")
def everywhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four reports: one force in two years, another beside it, and a PEEL assessment
    whose areas are named by hostile text; every free-text field holds hostile text."""
    from itertools import cycle

    directory = tmp_path_factory.mktemp("everywhere")
    text = cycle(EVERY_FIELD).__next__
    evil = "Evilshire " + PAYLOAD
    for name, force, year in (
        ("a", evil, 2016),
        ("b", evil, 2017),
        ("c", "Badshire " + HTML, 2016),
    ):
        data = _every_field(report_data(*EVERY_FIELD, force=force), text)
        data["year"] = year
        write_report(directory / f"{name}.yaml", data)
    first = report_data(*EVERY_FIELD)["pillars"][0]["questions"][0]
    areas = []
    for n, title in enumerate(AREA_TITLES, 1):
        area = {**first, "id": f"A{n}", "title": title, "grade": "good"}
        for kind in ("areas_for_improvement", "causes_of_concern"):
            area[kind] = []
        areas.append(area)
    areas[0]["areas_for_improvement"] = [{"id": "A1.A1", "text": PAYLOAD}]
    assessment = {
        **report_data(*EVERY_FIELD, force="Areashire \x1b]52;c;ZXZpbA==\x07"),
        "year": 2023,
        "pillars": [],
        "areas": areas,
    }
    write_report(directory / "d.yaml", _every_field(assessment, text))
    _track_everything(directory, _tracker_of(directory))
    return directory


def _tracker_of(directory: Path) -> Path:
    """The tracker of the reports in directory: beside it, not in it, as a team keeps one."""
    return directory.with_name(directory.name + "-tracker.yaml")


def _track_everything(directory: Path, tracker_file: Path) -> None:
    """A tracker beside the reports, every finding in it, with hostile owners and comments."""
    import subprocess

    from conftest import peel_executable

    peel = peel_executable()
    tracker = ["--tracker", str(tracker_file)]
    keys = subprocess.run(
        [peel, "findings", "--format", "jsonl", "--data", str(directory)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    subprocess.run([peel, "track", "init", *tracker], capture_output=True, check=True, timeout=60)
    said = PAYLOAD.replace("\0", "")  # an argument cannot carry a NUL
    hostile = ["--owner", said, "--evidence", HTML, "-m", said]
    done = subprocess.run(
        [peel, "track", "set", "-", *hostile, "--data", str(directory), *tracker],
        input=keys,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()


EVERY_COMMAND = [
    ["grades"],
    ["grades", "--grid"],
    ["questions"],
    ["questions", "--brief"],
    ["show", "E1", "--year", "2016", "--force", "evil"],
    ["show", "E1.A1", "--year", "2016", "--force", "evil"],
    ["show", "E1.C1", "--year", "2017"],
    ["show", "E1.R2", "--year", "2017"],
    ["show", "E1.I1", "--year", "2017"],
    ["show", "A1", "--year", "2023"],
    ["findings"],
    ["search", "pwned"],
    ["search", "--all-text", "pwned"],
    ["search", "--regex", "p.ned"],
    ["compare", "--force", "evilshire"],
    ["compare", "--year", "2016"],
    ["similar", "E1.A1", "--year", "2016", "--force", "evil", "--threshold", "0"],
    ["validate"],
    ["track", "list", "--all"],
    ["track", "report"],
    ["track", "responses"],
]
EVERY_FORMAT = [
    ["--color"],
    ["--no-color"],
    ["--format", "json"],
    ["--format", "jsonl"],
    ["--format", "csv"],
    ["--format", "markdown"],
]
_ESCAPED_PIPES = re.compile(r"\\\\|\\\|")


@pytest.mark.parametrize("fmt", EVERY_FORMAT, ids=" ".join)
@pytest.mark.parametrize("command", EVERY_COMMAND, ids=" ".join)
def test_every_command_in_every_format_keeps_hostile_text_inert(
    cli: Cli, everywhere: Path, command: list[str], fmt: list[str]
) -> None:
    tracker = ["--tracker", str(_tracker_of(everywhere))] if command[0] == "track" else []
    result = cli(*command, "--data", str(everywhere), *tracker, *fmt, env=WIDE)
    assert result.exit_code == 0, result.stderr
    assert_clean(result, colour=fmt == ["--color"])
    out = result.stdout
    assert "\x1b]" not in out and "\x9b" not in out  # no OSC, no C1 CSI, colour or not
    if fmt[-1] == "json":
        json.loads(out)
    elif fmt[-1] == "jsonl":
        assert all(isinstance(json.loads(line), dict) for line in out.splitlines())
    elif fmt[-1] == "csv":
        import csv

        rows = list(csv.reader(io.StringIO(out)))
        header = rows[0]
        assert len(set(header)) == len(header), header  # a reader keyed by name loses nothing
        assert all(len(row) == len(header) for row in rows)  # no cell spills into another
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c.startswith(formats._FORMULA_START)]
    elif fmt[-1] == "markdown":
        assert "<" not in out.replace("<br>", "")  # no HTML but peel's own line breaks
        table = [line for line in out.splitlines() if line.startswith("|")]
        columns = {_ESCAPED_PIPES.sub("", line).count("|") for line in table}
        assert len(columns) <= 1, table  # every row as many cells as the header


def test_the_grid_keeps_hostile_area_names_exact_and_apart_from_its_own_fields(
    cli: Cli, everywhere: Path
) -> None:
    rows = json.loads(cli("grades", "--grid", "--json", "--data", str(everywhere)).stdout)
    (areashire,) = [row for row in rows if row["year"] == 2023]
    assert areashire["force"].startswith("Areashire")  # not overwritten by the area "force"
    assert areashire["year"] == 2023
    assert areashire["force (2)"] == areashire["year (2)"] == "good"
    assert {PAYLOAD, FORMULA, HTML} <= set(areashire)  # JSON keys exact, as the data has them
    header = cli("grades", "--grid", "--format", "csv", "--data", str(everywhere)).stdout
    assert "'@SUM(1+1)*cmd|" in header.splitlines()[0]
