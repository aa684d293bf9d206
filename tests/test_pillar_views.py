"""What the views show of real reports: a pillar's overall grade is a grade in every view and
format, a pillar summary's text can be read, a question a summary page does not break down is
said to be so (never 'not inspected'), and text the dataset marks as stopping short in its
source is said to, beside its grade, in every view."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import DATASET, FORCES, ROOT, SHIPPED, report_as

SUMMARY_PAGE = ROOT / "tests" / "fixtures" / "exampleshire_2016_summary.txt"
CUT = "text ends here in the source"
Cli = Callable[..., Any]


def summary_page(force: str, grade: str, year: int = 2016) -> str:
    """The fictional summary page, laid out as the inspectorate lays them out, as another
    force's and grade's."""
    text = SUMMARY_PAGE.read_text(encoding="utf-8")
    return (
        text.replace("Exampleshire Police does not exist", "this page is fictional")
        .replace("Exampleshire PEEL 2016", f"{force} PEEL {year}")
        .replace("Exampleshire Police", force)
        .replace("Inadequate\n", f"{grade.capitalize()}\n")
        .replace("is inadequate. This", f"is {grade}. This")
    )


def import_pages(directory: Path, pages: list[tuple[str, str]], year: int = 2016) -> Path:
    """Each (force, grade) summary page imported as the importer reads it, into directory."""
    from peelcli.api import import_report

    directory.mkdir(parents=True, exist_ok=True)
    for n, (force, grade) in enumerate(pages):
        page = directory.parent / f"page{n}.txt"
        page.write_text(summary_page(force, grade, year), encoding="utf-8")
        imported = import_report(page)
        assert imported.report.pillars[0].grade.value == grade
        assert not imported.report.pillars[0].questions
        (directory / f"{n:02d}.yaml").write_text(imported.dataset(), encoding="utf-8")
    return directory


@pytest.fixture
def summaries(tmp_path: Path) -> Path:
    """Three forces' 2016 pillar summary pages, two of them inadequate."""
    pages = [(FORCES[0], "inadequate"), (FORCES[1], "good"), (FORCES[2], "inadequate")]
    return import_pages(tmp_path / "reports", pages)


def run(cli: Cli, *args: str, status: int = 0) -> str:
    """peel's output, a table wide enough that no cell wraps."""
    result = cli(*args, env={"COLUMNS": "250"})
    assert result.exit_code == status, (args, result.stdout, result.stderr)
    return str(result.stdout)


# --- pillar grades are grades -----------------------------------------------------------


def test_inadequate_pillars_of_summary_pages_are_listed_as_csv(cli: Cli, summaries: Path) -> None:
    out = run(cli, "--data", str(summaries), "grades", "--grade", "inadequate", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["force"], r["id"], r["level"], r["grade"]) for r in rows] == [
        (FORCES[0], "E", "pillar", "inadequate"),
        (FORCES[2], "E", "pillar", "inadequate"),
    ]


def test_summary_pages_imported_at_once_answer_which_forces_were_inadequate(
    cli: Cli, tmp_path: Path
) -> None:
    # As a user asks it: `peel import *.txt -o reports/`, then one command.
    pages = []
    for n, (force, grade) in enumerate(
        [(FORCES[0], "inadequate"), (FORCES[1], "good"), (FORCES[2], "inadequate")]
    ):
        pages.append(tmp_path / f"page{n}.txt")
        pages[-1].write_text(summary_page(force, grade), encoding="utf-8")
    reports = tmp_path / "reports"
    imported = cli("import", *map(str, pages), "-o", f"{reports}/")
    assert imported.exit_code == 0, imported.stderr
    out = run(cli, "--data", f"{reports}/", "grades", "--grade", "inadequate", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted((r["force"], r["level"], r["id"], r["grade"]) for r in rows) == [
        (FORCES[2], "pillar", "E", "inadequate"),
        (FORCES[0], "pillar", "E", "inadequate"),
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "markdown", "table"])
def test_inadequate_pillars_are_listed_in_every_format(cli: Cli, summaries: Path, fmt: str) -> None:
    out = run(cli, "--data", str(summaries), "grades", "--grade", "inadequate", "--format", fmt)
    assert FORCES[0] in out and FORCES[2] in out and FORCES[1] not in out
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
        assert {(r["level"], r["id"], r["grade"]) for r in rows} == {("pillar", "E", "inadequate")}


def test_grades_json_keeps_pillars_apart_and_filters_them(cli: Cli, summaries: Path) -> None:
    document = json.loads(run(cli, "--data", str(summaries), "grades", "--grade", "good", "--json"))
    assert [(p["force"], p["level"], p["grade"]) for p in document["pillars"]] == [
        (FORCES[1], "pillar", "good")
    ]
    assert document["questions"] == []


def test_a_pillar_row_comes_before_its_questions_told_apart_by_level(cli: Cli) -> None:
    rows = [json.loads(line) for line in run(cli, "grades", "--format", "jsonl").splitlines()]
    assert [(r["level"], r["id"]) for r in rows] == [("pillar", "E")] + [
        ("question", f"E{n}") for n in range(1, 6)
    ]
    pillar = rows[0]
    assert pillar["grade"] == "requires improvement" and pillar["grade_source"]
    assert pillar["title"].startswith("Effectiveness: How effective is the force")
    assert pillar["areas_for_improvement"] is None  # its questions' rows count its findings
    # --grade chooses among pillars' own grades too.
    weak = run(cli, "grades", "--grade", "requires improvement", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in weak.splitlines()] == ["E", "E2", "E4"]


def test_the_table_lists_the_pillar_as_a_row_with_its_grade_source(cli: Cli) -> None:
    lines = run(cli, "grades").splitlines()
    assert lines[0] == "Metropolitan Police Service · PEEL 2016 · HMIC"
    pillar = next(line for line in lines if line.startswith("E  "))
    assert "Effectiveness: How" in pillar and "crime? *" in pillar
    assert "● requires improvement" in pillar
    assert any(line.startswith("*  E grade: Not stated in the report text") for line in lines)


def test_the_grid_of_pillar_summaries_has_pillar_columns(cli: Cli, summaries: Path) -> None:
    table = run(cli, "--data", str(summaries), "grades", "--grid")
    assert table.splitlines()[0].split() == ["Force", "Year", "E"]
    assert "INAD" in table
    rows = json.loads(run(cli, "--data", str(summaries), "grades", "--grid", "--json"))
    assert [(r["force"], r["E"]) for r in rows] == [
        (FORCES[1], "good"),
        (FORCES[2], "inadequate"),
        (FORCES[0], "inadequate"),
    ]
    shipped = json.loads(run(cli, "grades", "--grid", "--json"))
    assert list(shipped[0])[:4] == ["force", "year", "E", "E1"]


def test_compare_a_year_includes_pillar_grades(cli: Cli, summaries: Path) -> None:
    args = ("--data", str(summaries), "compare", "--year", "2016")
    document = json.loads(run(cli, *args, "--json"))
    (unit,) = document["units"]
    assert (unit["key"], unit["level"]) == ("E", "pillar")
    groups = {g["grade"]: [f["force"] for f in g["forces"]] for g in unit["grades"]}
    assert groups == {"good": [FORCES[1]], "inadequate": [FORCES[2], FORCES[0]]}
    table = run(cli, *args)
    assert "E · Effectiveness: How effective" in " ".join(table.split())
    rows = [json.loads(line) for line in run(cli, *args, "--format", "jsonl").splitlines()]
    assert {(r["key"], r["level"]) for r in rows} == {("E", "pillar")}


# --- "not inspected" only where a report says so ------------------------------------------


@pytest.fixture
def met_over_time(tmp_path: Path) -> Path:
    """The Met's 2015 pillar summary page, and its 2016 report of questions."""
    directory = import_pages(tmp_path / "met", [("Metropolitan Police Service", "good")], 2015)
    (directory / "met_2016.yaml").write_text(SHIPPED, encoding="utf-8")
    return directory


def test_compare_a_force_says_a_summary_page_does_not_break_its_pillar_down(
    cli: Cli, met_over_time: Path
) -> None:
    args = ("--data", str(met_over_time), "compare", "--force", "met")
    table = run(cli, *args)
    assert "not inspected" not in table and "not in this report" not in table
    assert "2015  pillar E ● good · not broken down" in table
    assert "2016  ● good  ≈ not broken down" in table
    document = json.loads(run(cli, *args, "--json"))
    lines = {line["key"]: line for line in document["grades"]}
    assert [lines["E"]["grades"][n]["grade"] for n in (0, 1)] == ["good", "requires improvement"]
    assert lines["E"]["changes"][0]["change"] == "down"
    assert lines["E3"]["grades"][0] == {
        "year": 2015,
        "grade": None,
        "carried_over_from": None,
        "truncated": None,
        "pillar_grade": "good",
    }
    assert lines["E3"]["changes"][0]["change"] == "not broken down"
    rows = [json.loads(r) for r in run(cli, *args, "--format", "jsonl").splitlines()]
    assert {r["change"] for r in rows if r["type"] == "grade" and r["level"] == "question"} == {
        "not broken down"
    }


# --- a summary page's text can be read -------------------------------------------------


def test_show_a_pillar_heads_with_its_name_question_and_grade(cli: Cli) -> None:
    lines = run(cli, "show", "E").splitlines()
    assert lines[2:4] == [
        "E  Effectiveness: How effective is the force at keeping people safe and reducing crime?",
        "    ● requires improvement",
    ]
    shown = json.loads(run(cli, "show", "E", "--json"))
    assert shown[0]["level"] == "pillar" and shown[0]["name"] == "Effectiveness"
    assert shown[0]["question"] == (
        "How effective is the force at keeping people safe and reducing crime?"
    )
    assert [q["id"] for q in shown[1:]] == ["E1", "E2", "E3", "E4", "E5"]


def test_a_summary_pages_text_is_read_by_show_questions_and_search(
    cli: Cli, summaries: Path
) -> None:
    data = ("--data", str(summaries), "--force", FORCES[1])
    shown = run(cli, *data, "show", "E")
    assert "● good" in shown and "This is a deterioration on last year" in shown
    assert "The force is good at preventing crime" in shown
    questions = run(cli, *data, "questions")
    assert "Effectiveness: How effective" in questions and "deterioration" in questions
    record = json.loads(run(cli, *data, "questions", "--json"))[0]
    assert (record["level"], record["id"], record["grade"]) == ("pillar", "E", "good")
    hits = json.loads(run(cli, *data, "search", "--all-text", "deterioration", "--json"))
    assert [(h["id"], h["kind"]) for h in hits] == [("E", "judgement")]
    paragraph = json.loads(run(cli, *data, "search", "-a", "vulnerable people", "--json"))
    assert [(h["kind"], h["paragraph"]) for h in paragraph] == [("summary", 2)]
    # Without --all-text, the hint says where the words are.
    result = cli(*data, "search", "deterioration")
    assert result.exit_code == 1 and "add --all-text" in result.stderr


# --- truncation is shown in every view -----------------------------------------------------


@pytest.fixture
def cut(tmp_path: Path) -> Path:
    """The shipped report with E3's text marked as stopping mid-sentence in its source."""
    text = SHIPPED.replace(
        "    grade: inadequate\n", "    grade: inadequate\n    truncated: mid-sentence\n", 1
    )
    path = tmp_path / "cut.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("grades",),
        ("grades", "--grid"),
        ("questions", "--question", "E3"),
        ("show", "E3"),
        ("show", "E3.R4"),
        ("findings", "--question", "E3"),
        ("search", "DASH"),
        ("search", "--all-text", "capacity and capability"),
        ("questions", "--question", "E3", "--format", "markdown"),
    ],
    ids=lambda a: " ".join(a),
)
def test_every_view_says_where_text_ends_in_the_source(
    cli: Cli, cut: Path, args: tuple[str, ...]
) -> None:
    out = " ".join(run(cli, "--data", str(cut), *args).split())
    assert CUT in out
    assert CUT not in " ".join(run(cli, *args).split())  # the whole text says nothing


def test_the_table_says_it_beside_the_grade(cli: Cli, cut: Path) -> None:
    out = run(cli, "--data", str(cut), "findings", "--question", "E3")
    assert "● inadequate · text" in out
    grid = run(cli, "--data", str(cut), "grades", "--grid")
    assert "INAD†" in grid and f"† {CUT}" in grid


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("grades", "--format", "jsonl"), "truncated"),
        (("questions", "--format", "jsonl"), "truncated"),
        (("findings", "--format", "jsonl"), "truncated"),
        (("search", "--any", "DASH", "sex offenders", "--format", "jsonl"), "truncated"),
    ],
    ids=lambda a: a[0] if isinstance(a, tuple) else a,
)
def test_the_mark_is_a_field(cli: Cli, cut: Path, args: tuple[str, ...], field: str) -> None:
    rows = [json.loads(line) for line in run(cli, "--data", str(cut), *args).splitlines()]
    marked = {r[field] for r in rows if r.get("question_id", r.get("id")) == "E3"}
    assert marked == {"mid-sentence"}
    assert {r[field] for r in rows if r.get("question_id", r.get("id")) != "E3"} == {None}


def test_the_mark_is_a_field_of_csv_and_grid_records(cli: Cli, cut: Path) -> None:
    out = run(cli, "--data", str(cut), "findings", "--question", "E3", "--format", "csv")
    assert {r["truncated"] for r in csv.DictReader(io.StringIO(out))} == {"mid-sentence"}
    (row,) = json.loads(run(cli, "--data", str(cut), "grades", "--grid", "--json"))
    assert row["truncated"] == ["E3"]


def test_compare_says_where_text_ends(cli: Cli, cut: Path, tmp_path: Path) -> None:
    later = tmp_path / "later.yaml"
    later.write_text(report_as(year=2017), encoding="utf-8")
    data = ("--data", str(cut), "--data", str(later))
    history = " ".join(run(cli, *data, "compare", "--force", "met").split())
    assert f"2016 ● inadequate · {CUT}" in history
    document = json.loads(run(cli, *data, "compare", "--force", "met", "--json"))
    e3 = next(line for line in document["grades"] if line["key"] == "E3")
    assert [g["truncated"] for g in e3["grades"]] == ["mid-sentence", None]
    rows = [
        json.loads(line)
        for line in run(cli, *data, "compare", "--force", "met", "--format", "jsonl").splitlines()
    ]
    e3_change = next(r for r in rows if r.get("key") == "E3")
    assert (e3_change["from_truncated"], e3_change["to_truncated"]) == ("mid-sentence", None)
    side = " ".join(run(cli, "--data", str(cut), "compare", "--year", "2016").split())
    assert f"Metropolitan Police Service 2016 ({CUT}) (1 cause of concern)" in side


# --- similar, and the schema --------------------------------------------------------------


def test_similar_with_one_report_says_there_is_no_other(cli: Cli) -> None:
    result = cli("similar", "E3.R4")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "peel: no other report is loaded to compare E3.R4 with",
        "peel: Load more reports with --data, such as a directory of them.",
    ]
    assert "threshold" not in result.stderr


def test_the_schema_lists_the_fields_of_a_report_as_imported(cli: Cli) -> None:
    schema = json.loads(run(cli, "schema"))
    assert {"published", "published_source"} <= set(schema["properties"])
    definitions = schema["$defs"]
    for model in ("Question", "Area", "Pillar"):
        truncated = json.dumps(definitions[model]["properties"]["truncated"])
        assert "mid-sentence" in truncated, model
    assert "due" in definitions["Recommendation"]["properties"]
    assert DATASET.exists()
