"""Corpus commands on reports of different PEEL eras, alone and mixed in one corpus."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AREA_REPORT, SHIPPED

from peelcli.render.messages import ERA_CAVEAT

Cli = Callable[..., Any]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    (tmp_path / "met.yaml").write_text(SHIPPED, encoding="utf-8")
    (tmp_path / "exampleshire.yaml").write_text(AREA_REPORT, encoding="utf-8")
    return tmp_path


@pytest.fixture
def areas(tmp_path: Path) -> Path:
    path = tmp_path / "exampleshire.yaml"
    path.write_text(AREA_REPORT, encoding="utf-8")
    return path


def test_an_area_report_alone_has_its_areas_and_no_caveat(cli: Cli, areas: Path) -> None:
    result = cli("grades", "--json", "--data", str(areas))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["pillars"] == []
    assert [(q["id"], q["title"], q["grade"], q["pillar"]) for q in document["questions"]] == [
        ("A1", "Investigating crime", "requires improvement", None),
        ("A2", "Protecting vulnerable people", "adequate", None),
        ("A3", "Recording data about crime", "not stated", None),
    ]
    assert document["questions"][1]["promising_practice"] == 1
    assert result.stderr == ""


def test_the_table_of_an_area_report_names_the_report(cli: Cli, areas: Path) -> None:
    result = cli("grades", "--data", str(areas), env={"COLUMNS": "120"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Exampleshire Police · PEEL 2023 · HMICFRS")
    assert "● not stated" in result.stdout and "● adequate" in result.stdout


def test_mixed_eras_say_once_that_grades_cannot_be_compared(cli: Cli, mixed: Path) -> None:
    for args in (
        ["grades"],
        ["grades", "--grid"],
        ["grades", "--json"],
        ["findings", "--json"],
        ["search", "supervision"],
        ["questions", "--brief"],
    ):
        result = cli(*args, "--data", str(mixed), env={"COLUMNS": "200"})
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stderr == f"peel: warning: {ERA_CAVEAT}\n", args


def test_the_grid_shows_each_reports_own_questions_or_areas(cli: Cli, mixed: Path) -> None:
    result = cli("grades", "--grid", "--json", "--data", str(mixed))
    rows = {row["force"]: row for row in json.loads(result.stdout)}
    met, example = rows["Metropolitan Police Service"], rows["Exampleshire Police"]
    assert met["E3"] == "inadequate" and met["Investigating crime"] is None
    assert example["Investigating crime"] == "requires improvement" and example["E3"] is None
    assert example["Recording data about crime"] == "not stated"
    assert list(met)[-4:] == [
        "Investigating crime",
        "Protecting vulnerable people",
        "Recording data about crime",
        "truncated",
    ]


def test_findings_and_show_of_areas_and_practice(cli: Cli, areas: Path) -> None:
    found = json.loads(cli("findings", "--json", "--data", str(areas)).stdout)
    assert [(f["id"], f["kind"]) for f in found] == [
        ("A1.A1", "area_for_improvement"),
        ("A1.C1", "cause_of_concern"),
        ("A1.R1", "recommendation"),
        ("A2.P1", "promising_practice"),
    ]
    assert found[2]["lead_in"] == "Within three months, the force should:"
    assert found[3]["title"] == "A safe place to talk"
    practice = cli("show", "A2.P1", "--data", str(areas), env={"COLUMNS": "100"})
    assert "A safe place to talk" in practice.stdout
    assert "promising practice" in practice.stdout
    area = cli("show", "A2", "--data", str(areas), env={"COLUMNS": "100"})
    assert "Promising practice" in area.stdout and "A2.P1" in area.stdout
    kinds = cli("findings", "--kind", "pp", "--json", "--data", str(areas))
    assert [f["id"] for f in json.loads(kinds.stdout)] == ["A2.P1"]


def test_search_finds_area_findings_beside_question_findings(cli: Cli, mixed: Path) -> None:
    result = cli("search", "supervision", "--json", "--data", str(mixed))
    forces = {hit["force"] for hit in json.loads(result.stdout)}
    assert forces == {"Metropolitan Police Service", "Exampleshire Police"}


def test_a_carried_over_judgement_is_shown_as_carried_over(cli: Cli, tmp_path: Path) -> None:
    text = SHIPPED.replace("year: 2016", "year: 2018", 1).replace(
        "  - id: E2\n", "  - id: E2\n    carried_over_from: 2017\n", 1
    )
    path = tmp_path / "met2018.yaml"
    path.write_text(text, encoding="utf-8")
    table = cli("grades", "--data", str(path), env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.stderr
    (line,) = [line for line in table.stdout.splitlines() if line.startswith("E2 ")]
    assert "(carried over from 2017)" in line
    document = json.loads(cli("grades", "--json", "--data", str(path)).stdout)
    assert [q["carried_over_from"] for q in document["questions"]] == [None, 2017, None, None, None]


def test_the_same_force_and_year_of_areas_twice_is_refused(cli: Cli, areas: Path) -> None:
    (areas.parent / "again.yaml").write_text(AREA_REPORT, encoding="utf-8")
    result = cli("grades", "--data", str(areas.parent))
    assert result.exit_code == 2
    assert result.stderr.startswith("peel: error: ")
    assert "repeats the areas of Exampleshire Police 2023, already in " in result.stderr


def test_the_documentation_corpus_is_valid_and_says_it_is_fictional(cli: Cli) -> None:
    from conftest import ROOT

    examples = ROOT / "docs" / "examples"
    result = cli("validate", str(examples))
    assert result.exit_code == 0, result.stderr
    reports = json.loads(cli("grades", "--grid", "--json", "--data", str(examples)).stdout)
    assert len(reports) == 5
    for path in examples.glob("*.yaml"):
        assert "source: 'Fictional: " in path.read_text(encoding="utf-8"), path
