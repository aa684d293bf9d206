"""The JSON contract, exactly: every record of every command's JSON has the fields that
docs/json.md lists for it, no more and no fewer, so that a field renamed or dropped fails here
and a field added is one line of the docs."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

JSON_MD = ROOT / "docs" / "json.md"
EXAMPLES = ROOT / "docs" / "examples"
FINDING_KINDS = {
    "area_for_improvement": "finding",
    "cause_of_concern": "finding",
    "recommendation": "recommendation",
    "innovative_practice": "practice",
    "promising_practice": "practice",
}
Record = dict[str, Any]


@cache
def documented() -> dict[str, frozenset[str]]:
    """Each record of docs/json.md's table, with its fields (those of italic names included)."""
    text = JSON_MD.read_text(encoding="utf-8")
    table = text.split("<!-- fields:", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")][2:]  # past the header
    own: dict[str, tuple[set[str], list[str]]] = {}
    for row in rows:
        name, fields, _ = (cell.strip() for cell in row.strip("|").split("|"))
        assert name not in own, f"docs/json.md lists {name!r} twice"
        own[name] = (set(re.findall(r"`([^`]+)`", fields)), re.findall(r"\*([^*]+)\*", fields))

    def resolve(name: str) -> frozenset[str]:
        fields, included = own[name]
        return frozenset(fields.union(*(resolve(other) for other in included)))

    return {name: resolve(name) for name in own}


def fields(record: str) -> frozenset[str]:
    return documented()[record]


def finding_record(finding: Record) -> str:
    """The docs' name for a finding's record: it depends on the finding's kind."""
    return FINDING_KINDS[finding["kind"]]


def check(record: str, value: Record) -> None:
    assert isinstance(value, dict), (record, value)
    assert set(value) == fields(record), (
        f"{record}: fields not in docs/json.md {sorted(set(value) - fields(record))}, "
        f"in the docs but not the output {sorted(fields(record) - set(value))}"
    )


def check_finding(finding: Record, extra: str | None = None) -> None:
    expected = fields(finding_record(finding)) | (fields(extra) if extra else frozenset())
    assert set(finding) == expected, (finding_record(finding), extra, sorted(finding))


Run = Callable[..., Any]


@pytest.fixture
def run(cli: Callable[..., Any]) -> Run:
    """peel's output for args, parsed: one JSON document, or with jsonl, a list of lines."""

    def parsed(*args: str) -> Any:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        if "jsonl" in args:
            return [json.loads(line) for line in result.stdout.splitlines()]
        if "csv" in args:
            return list(csv.reader(io.StringIO(result.stdout)))
        return json.loads(result.stdout)

    return parsed


@pytest.fixture
def practice(tmp_path: Path) -> tuple[str, ...]:
    """The options to read the 2023 example with a box of innovative practice added."""
    text = (EXAMPLES / "exampleshire_2023.yaml").read_text(encoding="utf-8")
    box = (
        "  innovative_practice:\n  - id: A3.I1\n    title: Call-backs\n"
        "    text: The force calls back every caller.\n    paragraphs:\n    - It works.\n"
    )
    text = text.replace("  promising_practice:\n", box + "  promising_practice:\n")
    (tmp_path / "exampleshire_2023.yaml").write_text(text, encoding="utf-8")
    return ("--data", str(tmp_path / "exampleshire_2023.yaml"))


def _every(items: list[Any]) -> Iterator[Any]:
    assert items, "nothing to check"
    yield from items


DATA = [(), ("--data", str(EXAMPLES))]
DATA_IDS = ["shipped", "examples"]


@pytest.mark.parametrize("data", DATA, ids=DATA_IDS)
def test_findings_and_their_kinds(run: Run, data: tuple[str, ...]) -> None:
    findings = run("findings", "--json", *data)
    for finding in _every(findings):
        check_finding(finding)
    assert [set(f) for f in run("findings", "--format", "jsonl", *data)] == [
        set(f) for f in findings
    ]


def test_every_kind_of_finding_is_seen() -> None:
    from peelcli.models import Kind

    assert set(FINDING_KINDS) == {kind.value for kind in Kind}


def test_findings_of_every_kind_are_checked(run: Run, practice: tuple[str, ...]) -> None:
    findings = run("findings", "--json", *practice) + run("findings", "--json")
    for finding in findings:
        check_finding(finding)
    assert {f["kind"] for f in findings} == set(FINDING_KINDS)


@pytest.mark.parametrize(("wanted", "record"), [("E3.R4", "recommendation"), ("E2.A1", "finding")])
def test_show_a_finding(run: Run, wanted: str, record: str) -> None:
    check(record, run("show", wanted, "--json"))


@pytest.mark.parametrize(
    "args", [("search", "dash"), ("search", "--all-text", "victims")], ids=["findings", "all text"]
)
def test_search_hits(run: Run, args: tuple[str, ...]) -> None:
    hits = run(*args, "--json")
    for hit in _every(hits):
        if hit["kind"] in ("judgement", "summary"):
            check("text hit", hit)
        else:
            check_finding(hit, "search hit")
        for match in _every(hit["matches"]):
            check("match", match)
    assert [set(h) for h in run(*args, "--format", "jsonl")] == [set(h) for h in hits]


def test_all_text_finds_judgements_and_summaries(run: Run) -> None:
    kinds = {hit["kind"] for hit in run("search", "--all-text", "victims", "--json")}
    assert {"judgement", "summary"} <= kinds


@pytest.mark.parametrize("data", DATA, ids=DATA_IDS)
def test_questions(run: Run, data: tuple[str, ...]) -> None:
    questions = run("questions", "--json", *data)
    for question in _every(questions):
        check("question", question)
        for earlier in question["earlier_grades"]:
            check("earlier grade", earlier)
    assert any(q["earlier_grades"] for q in questions) or data


def _check_in_full(question: Record) -> None:
    check("question in full", question)
    for earlier in question["earlier_grades"]:
        check("earlier grade", earlier)
    for cause in question["causes_of_concern"]:
        check("cause of concern in full", cause)
        for recommendation in cause["recommendations"]:
            check("recommendation", recommendation)
    for name in ("areas_for_improvement", "innovative_practice", "promising_practice"):
        for finding in question[name]:
            check_finding(finding)


def _shown(run: Run, practice: tuple[str, ...]) -> list[Record]:
    examples = ("--json", "--data", str(EXAMPLES), "--year", "2023")
    return [
        run("show", "E3", "--json"),
        run("show", "E2", "--json"),
        run("show", "A2", *examples, "--force", "exampleshire"),
        run("show", "A2", *examples, "--force", "sampleton"),
        run("show", "A3", "--json", *practice),
    ]


def test_show_a_question_or_area(run: Run, practice: tuple[str, ...]) -> None:
    shown = _shown(run, practice)
    for question in shown:
        _check_in_full(question)
    for part in (
        "causes_of_concern",
        "areas_for_improvement",
        "innovative_practice",
        "promising_practice",
        "earlier_grades",
    ):
        assert any(question[part] for question in shown), part
    assert any(c["recommendations"] for q in shown for c in q["causes_of_concern"])


def test_show_a_pillar(run: Run) -> None:
    pillar, *questions = run("show", "E", "--json")
    check("pillar text", pillar)
    for question in _every(questions):
        _check_in_full(question)


def test_questions_of_a_pillar_summary(run: Run, tmp_path: Path) -> None:
    summary = (
        "force: Exampleshire Police\nyear: 2016\ninspectorate: HMIC\nprogramme: PEEL\n"
        "title: Exampleshire PEEL 2016\npillars:\n- id: E\n  name: Effectiveness\n"
        "  grade: good\n  judgement: Exampleshire Police is good.\n"
    )
    (tmp_path / "summary.yaml").write_text(summary, encoding="utf-8")
    (pillar,) = run("questions", "--json", "--data", str(tmp_path / "summary.yaml"))
    check("pillar text", pillar)


@pytest.mark.parametrize("data", DATA, ids=DATA_IDS)
def test_grades(run: Run, data: tuple[str, ...]) -> None:
    grades = run("grades", "--json", *data)
    check("grades", grades)
    for pillar in _every(grades["pillars"]):
        check("grades pillar", pillar)
    for row in _every(grades["questions"]):
        check("grades row", row)
    for row in _every(run("grades", "--format", "jsonl", *data)):
        check("grades row", row)


@pytest.mark.parametrize("data", DATA, ids=DATA_IDS)
def test_grades_grid(run: Run, data: tuple[str, ...]) -> None:
    listed = run("grades", "--format", "jsonl", *data)
    units = {row["id"] if row["pillar"] else row["title"] for row in listed}
    own = fields("grid row")
    assert own == {"force", "year", "truncated"}
    seen: set[str] = set()
    for row in _every(run("grades", "--grid", "--json", *data)):
        assert own <= set(row)
        seen |= set(row) - own
    assert seen == units


def test_compare_a_force_over_time(run: Run) -> None:
    args = ("compare", "--force", "exampleshire", "--data", str(EXAMPLES))
    document = run(*args, "--json")
    check("force over time", document)
    for report in _every(document["reports"]):
        check("report", report)
    for unit in _every(document["grades"]):
        check("unit over time", unit)
        for grade in unit["grades"]:
            if grade is not None:
                check("grade in a report", grade)
        for change in _every(unit["changes"]):
            check("change", change)
    for step in _every(document["findings"]):
        check("step", step)
        for pair in step["recurring"]:
            check("recurring", pair)
            check_finding(pair["earlier"])
            check_finding(pair["later"])
        for finding in step["new"] + step["no_longer_listed"]:
            check_finding(finding)
    assert all(document["findings"][0][part] for part in ("recurring", "new", "no_longer_listed"))
    rows = run(*args, "--format", "jsonl")
    for row in _every(rows):
        check(f"{row['type']} change row", row)
    assert {row["type"] for row in rows} == {"grade", "finding"}
    header = run(*args, "--format", "csv")[0]
    assert set(header) == fields("grade change row") | fields("finding change row")


def test_compare_forces_side_by_side(run: Run) -> None:
    args = ("compare", "--year", "2023", "--data", str(EXAMPLES))
    document = run(*args, "--json")
    check("forces side by side", document)
    for force in _every(document["forces"]):
        check("force in a year", force)
    for unit in _every(document["units"]):
        check("unit side by side", unit)
        for group in _every(unit["grades"]):
            check("grade group", group)
            for force in _every(group["forces"]):
                check("force graded", force)
    for row in _every(run(*args, "--format", "jsonl")):
        check("side by side row", row)


def test_similar(run: Run) -> None:
    args = ("similar", "E1.A1", "--force", "exampleshire", "--year", "2016", "--threshold", "10")
    args += ("--data", str(EXAMPLES))
    document = run(*args, "--json")
    check("similar findings", document)
    check_finding(document["finding"])
    for finding in _every(document["similar"]):
        check_finding(finding, "similar finding")
    assert [set(f) for f in run(*args, "--format", "jsonl")] == [
        set(f) for f in document["similar"]
    ]


def test_schema_properties(run: Run) -> None:
    assert set(run("schema")["properties"]) == fields("report file")


TRACKER = ROOT / "docs" / "tracking" / "met-2016-tracker.yaml"
ACTIONS = ROOT / "docs" / "tracking" / "met-2016-actions.csv"


@pytest.fixture
def tracker(tmp_path: Path) -> tuple[str, ...]:
    """--tracker and a copy of the example tracker: overdue, closed and revised items, and a
    response published late."""
    path = tmp_path / "tracker.yaml"
    path.write_bytes(TRACKER.read_bytes())
    return ("--tracker", str(path))


def test_findings_with_a_tracker(run: Run, tracker: tuple[str, ...]) -> None:
    shown = [run("show", "E3.R4", "--json", *tracker), *run("findings", "--json", *tracker)]
    for finding in _every(shown):
        check_finding(finding, "tracked finding")
    assert {f["status"] for f in shown} >= {"untracked", "closed", "in progress"}
    for hit in _every(run("search", "dash", "--json", *tracker)):
        tracked = fields(finding_record(hit)) | fields("tracked finding")
        assert set(hit) == tracked | fields("search hit"), sorted(hit)


def test_track_list(run: Run, tracker: tuple[str, ...]) -> None:
    rows = run("track", "list", "--all", "--as-at", "2017-10-01", "--json", *tracker)
    for row in _every(rows):
        check("track list row", row)
    assert {r["rag"] for r in rows} == {"red", "amber", "green", "closed"}
    lines = run("track", "list", "--format", "jsonl", *tracker)
    assert [set(r) for r in lines] == [fields("track list row")] * 5
    header = run("track", "list", "--format", "csv", *tracker)[0]
    assert set(header) == fields("track list row")


def test_track_changes(run: Run, tracker: tuple[str, ...]) -> None:
    changes = run("track", "log", "E3.R4", "--json", *tracker)
    changes += run("track", "set", "E3.R5", "--owner", "DS Patel", "-m", "x", "--json", *tracker)
    response = ("track", "response", "--published", "2017-05-10", "--json", *tracker)
    changes += run(*response)
    for change in _every(changes):
        check("track change", change)
    assert len(changes) == 4


def test_track_responses(run: Run, tracker: tuple[str, ...]) -> None:
    for response in _every(run("track", "responses", "--json", *tracker)):
        check("track response", response)


def test_track_import(run: Run, tracker: tuple[str, ...]) -> None:
    args = ("track", "import", str(ACTIONS), "--map", "Lead officer=owner", "--dry-run")
    rows = run(*args, "--json", *tracker)
    for row in _every(rows):
        check("track import row", row)
    assert any(r["problem"] for r in rows) and any(r["problem"] is None for r in rows)


def test_track_report(run: Run, tracker: tuple[str, ...]) -> None:
    args = ("track", "report", "--as-at", "2017-10-01", "--since", "2017-06-01", *tracker)
    paper = run(*args, "--json")
    check("track report", paper)
    for counts in _every(paper["reports"]):
        check("track report counts", counts)
    for row in _every(paper["overdue"]):
        check("track list row", row)
    for item in _every(paper["closed"]):
        check("track closed item", item)
    for response in _every(paper["responses"]):
        check("track response", response)
    rows = run(*args, "--format", "jsonl")
    for row in _every(rows):
        check("track report row", row)
    assert {r["section"] for r in rows} == {"overdue", "closed"}
    assert set(run(*args, "--format", "csv")[0]) == fields("track report row")


# Each record of the docs' table, and the test above that holds it to the output.
CHECKED = {
    "finding": test_findings_and_their_kinds,
    "recommendation": test_findings_and_their_kinds,
    "practice": test_findings_and_their_kinds,
    "search hit": test_search_hits,
    "match": test_search_hits,
    "text hit": test_search_hits,
    "question": test_questions,
    "earlier grade": test_questions,
    "question in full": test_show_a_question_or_area,
    "cause of concern in full": test_show_a_question_or_area,
    "grades": test_grades,
    "grades pillar": test_grades,
    "grades row": test_grades,
    "pillar text": test_show_a_pillar,
    "grid row": test_grades_grid,
    "force over time": test_compare_a_force_over_time,
    "report": test_compare_a_force_over_time,
    "unit over time": test_compare_a_force_over_time,
    "grade in a report": test_compare_a_force_over_time,
    "change": test_compare_a_force_over_time,
    "step": test_compare_a_force_over_time,
    "recurring": test_compare_a_force_over_time,
    "grade change row": test_compare_a_force_over_time,
    "finding change row": test_compare_a_force_over_time,
    "forces side by side": test_compare_forces_side_by_side,
    "force in a year": test_compare_forces_side_by_side,
    "unit side by side": test_compare_forces_side_by_side,
    "grade group": test_compare_forces_side_by_side,
    "force graded": test_compare_forces_side_by_side,
    "side by side row": test_compare_forces_side_by_side,
    "similar findings": test_similar,
    "similar finding": test_similar,
    "report file": test_schema_properties,
    "tracked finding": test_findings_with_a_tracker,
    "track list row": test_track_list,
    "track change": test_track_changes,
    "track response": test_track_responses,
    "track import row": test_track_import,
    "track report": test_track_report,
    "track report counts": test_track_report,
    "track closed item": test_track_report,
    "track report row": test_track_report,
}


def test_every_record_the_docs_list_is_held_to_the_output() -> None:
    assert set(documented()) == set(CHECKED)


def test_a_field_renamed_in_the_output_fails() -> None:
    finding = dict.fromkeys(fields("finding"))
    check("finding", finding)
    finding["question_title"] = finding.pop("question")
    with pytest.raises(AssertionError, match=r"not in docs/json.md \['question_title'\]"):
        check("finding", finding)


ERA_COMMANDS = [
    ("grades",),
    ("questions",),
    ("findings",),
    ("search", "domestic"),
    ("compare", "--force", "exampleshire"),
    ("compare", "--year", "2016", "--year", "2023"),
    ("similar", "A2.A1", "--force", "exampleshire", "--year", "2023"),
]


@pytest.mark.parametrize("args", ERA_COMMANDS, ids=[" ".join(a) for a in ERA_COMMANDS])
def test_the_era_warning_goes_to_stderr_and_never_into_the_json(
    cli: Callable[..., Any], args: tuple[str, ...]
) -> None:
    # One contract for every command: PEEL assessments beside earlier PEEL is a warning on
    # stderr, as a skipped file is; the JSON holds only the data, whatever its eras.
    from peelcli.render.messages import ERA_CAVEAT

    result = cli(*args, "--json", "--data", str(EXAMPLES))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count(f"peel: warning: {ERA_CAVEAT}\n") == 1
    assert "caveat" not in result.stdout.lower()
