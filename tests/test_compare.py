"""peel compare and peel similar, on corpora the tests build from the shipped report."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AREA_REPORT, DATASET

from peelcli.dataset.dump import dump_report
from peelcli.dataset.loader import load_reports
from peelcli.models import Report
from peelcli.render.messages import ERA_CAVEAT

Cli = Callable[..., Any]

REWORDED = "improve the quality and supervision of DASH risk assessments;"
ADDED = "The force should publish its stop and search data every month."


def shipped() -> dict[str, Any]:
    (report,) = load_reports([DATASET], use_cache=False)
    data: dict[str, Any] = report.model_dump(mode="json")
    return data


def later_year() -> dict[str, Any]:
    """The Met in 2018: E1 down a grade, E2 carried over, one finding reworded, one removed,
    one added."""
    data = shipped()
    data["year"] = 2018
    data["title"] = "Metropolitan PEEL 2018"
    questions = data["pillars"][0]["questions"]
    e1, e2, e3, e4 = questions[:4]
    e1["grade"] = "requires improvement"
    e1["areas_for_improvement"].append({"id": "E1.A4", "text": ADDED})
    e2["carried_over_from"] = 2016
    recommendations = e3["causes_of_concern"][0]["recommendations"]
    assert recommendations[3]["id"] == "E3.R4"
    recommendations[3]["text"] = REWORDED
    assert e4["areas_for_improvement"][-1]["id"] == "E4.A5"
    e4["areas_for_improvement"].pop()
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(dump_report(Report.model_validate(data)), encoding="utf-8")
    return path


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    write(tmp_path / "met2016.yaml", shipped())
    write(tmp_path / "met2018.yaml", later_year())
    return tmp_path


def history(cli: Cli, corpus: Path, *args: str) -> dict[str, Any]:
    result = cli("compare", "--force", "metropolitan", "--json", "--data", str(corpus), *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_grades_over_time_with_each_change(cli: Cli, two_years: Path) -> None:
    document = history(cli, two_years)
    assert [r["year"] for r in document["reports"]] == [2016, 2018]
    changes = {line["key"]: line["changes"][0]["change"] for line in document["grades"]}
    assert changes == {
        "E": "same",
        "E1": "down",
        "E2": "carried over",
        "E3": "same",
        "E4": "same",
        "E5": "ungraded",
    }
    e2 = document["grades"][2]["grades"]  # after the pillar's and E1's
    assert e2 == [
        {
            "year": 2016,
            "grade": "requires improvement",
            "carried_over_from": None,
            "truncated": None,
            "pillar_grade": None,
        },
        {
            "year": 2018,
            "grade": "requires improvement",
            "carried_over_from": 2016,
            "truncated": None,
            "pillar_grade": None,
        },
    ]
    assert "caveats" not in document


def test_findings_recurring_new_and_no_longer_listed(cli: Cli, two_years: Path) -> None:
    (step,) = history(cli, two_years)["findings"]
    assert (step["from_year"], step["to_year"], step["comparable"]) == (2016, 2018, True)
    assert [f["id"] for f in step["new"]] == ["E1.A4"]
    assert [f["text"] for f in step["new"]] == [ADDED]
    assert [f["id"] for f in step["no_longer_listed"]] == ["E4.A5"]
    recurring = {(r["earlier"]["id"], r["later"]["id"]): r["score"] for r in step["recurring"]}
    assert len(recurring) == 19  # the shipped report's 20, less the one removed
    assert all(a == b for a, b in recurring)
    reworded = recurring[("E3.R4", "E3.R4")]
    assert 70 <= reworded < 100
    assert all(score == 100 for pair, score in recurring.items() if pair != ("E3.R4", "E3.R4"))


def test_a_higher_threshold_turns_the_rewording_into_new_and_gone(
    cli: Cli, two_years: Path
) -> None:
    (step,) = history(cli, two_years, "--threshold", "95")["findings"]
    assert sorted(f["id"] for f in step["new"]) == ["E1.A4", "E3.R4"]
    assert sorted(f["id"] for f in step["no_longer_listed"]) == ["E3.R4", "E4.A5"]


def test_the_terminal_layout_writes_changes_in_words(cli: Cli, two_years: Path) -> None:
    result = cli("compare", "--force", "met", "--data", str(two_years), env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "2018  ● requires improvement  ▼ down" in out
    assert "(carried over from 2016)  → carried over" in out
    assert "Findings 2016 → 2018" in out
    assert "Recurring (19)" in out and "New (1)" in out and "No longer listed (1)" in out
    assert "E3.R4 → E3.R4  score" in out


def test_each_comparison_layout_is_written_in_one_call_to_rich(
    cli: Cli, two_years: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A call to rich for each of a layout's thousands of lines cost more than the drawing:
    # with colour rich draws the page in one call; plain, the page writes it, wrapping
    # nothing through rich.
    from rich.console import Console
    from rich.text import Text

    calls: list[str] = []
    real_print, real_wrap = Console.print, Text.wrap

    def printed(self: Console, *args: Any, **kwargs: Any) -> None:
        calls.append("print")
        real_print(self, *args, **kwargs)

    def wrapped(self: Text, *args: Any, **kwargs: Any) -> Any:
        calls.append("wrap")
        return real_wrap(self, *args, **kwargs)

    monkeypatch.setattr(Console, "print", printed)
    monkeypatch.setattr(Text, "wrap", wrapped)
    data = ["--data", str(two_years)]
    for args in (
        ["compare", "--force", "met"],
        ["compare", "--year", "2016"],
        ["similar", "E3.R4", "--year", "2016"],
    ):
        for colour, drawn in (("--color", ["print"]), ("--no-color", [])):
            calls.clear()
            result = cli(*args, colour, *data, env={"COLUMNS": "60"})
            assert result.exit_code == 0, result.stderr
            assert len(result.stdout.splitlines()) >= 10
            assert [c for c in calls if c == "print"] == drawn, args
            if not drawn:
                assert calls == [], args


def test_csv_and_jsonl_have_a_row_per_change(cli: Cli, two_years: Path) -> None:
    result = cli("compare", "--force", "met", "-f", "csv", "--data", str(two_years))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    grades = [r for r in rows if r["type"] == "grade"]
    assert [(r["key"], r["change"]) for r in grades][:3] == [
        ("E", "same"),
        ("E1", "down"),
        ("E2", "carried over"),
    ]
    assert [r["level"] for r in grades][:2] == ["pillar", "question"]
    findings = [r for r in rows if r["type"] == "finding"]
    assert {r["status"] for r in findings} == {"recurring", "new", "no longer listed"}
    lines = cli("compare", "--force", "met", "-f", "jsonl", "--data", str(two_years)).stdout
    assert [json.loads(line)["type"] for line in lines.splitlines()] == [r["type"] for r in rows]


def test_a_force_name_that_matches_several_is_refused(cli: Cli, two_years: Path) -> None:
    kent = shipped()
    kent["force"] = "Metropolitan Kent Police"
    write(two_years / "kent.yaml", kent)
    # 'Metropolitan' names the Metropolitan Police Service in peel's table of forces: a part
    # of a name that is no force's name matches both.
    result = cli("compare", "--force", "politan", "--data", str(two_years))
    assert result.exit_code == 2
    assert result.stderr.startswith("peel: error: --force matches 2 forces: ")


def test_a_mixed_era_pair_says_grades_cannot_be_compared(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "met2016.yaml", shipped())
    later = AREA_REPORT.replace("Exampleshire Police", "Metropolitan Police Service")
    (tmp_path / "met2023.yaml").write_text(later, encoding="utf-8")
    result = cli("compare", "--force", "metropolitan", "--json", "--data", str(tmp_path))
    assert result.exit_code == 0
    assert result.stderr == f"peel: warning: {ERA_CAVEAT}\n"  # as every command warns
    document = json.loads(result.stdout)
    assert "caveats" not in document
    (step,) = document["findings"]
    assert step["comparable"] is False
    # The DASH finding recurs across the change of era, in other words.
    assert [(r["earlier"]["id"], r["later"]["id"]) for r in step["recurring"]] == [
        ("E3.R4", "A1.A1")
    ]
    assert [f["id"] for f in step["new"]] == ["A1.C1", "A1.R1"]
    assert len(step["no_longer_listed"]) == 19
    table = cli("compare", "--force", "met", "--data", str(tmp_path), env={"COLUMNS": "120"})
    assert "cannot be compared directly" in table.stdout


@pytest.fixture
def one_year(tmp_path: Path) -> Path:
    for force, e1, causes in (
        ("Kent Police", "outstanding", 1),
        ("Dorset Police", "good", 0),
        ("Essex Police", "good", 1),
    ):
        data = shipped()
        data["force"] = force
        data["pillars"][0]["questions"][0]["grade"] = e1
        if not causes:
            data["pillars"][0]["questions"][2]["causes_of_concern"] = []
        write(tmp_path / f"{force.split()[0].lower()}.yaml", data)
    return tmp_path


def test_forces_side_by_side_grouped_by_grade(cli: Cli, one_year: Path) -> None:
    result = cli("compare", "--year", "2016", "--json", "--data", str(one_year))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["years"] == [2016]
    pillar, e1 = document["units"][:2]
    assert (pillar["key"], pillar["level"], e1["key"], e1["level"]) == (
        "E",
        "pillar",
        "E1",
        "question",
    )
    assert [(g["grade"], [f["force"] for f in g["forces"]]) for g in e1["grades"]] == [
        ("outstanding", ["Kent Police"]),
        ("good", ["Dorset Police", "Essex Police"]),
    ]
    counts = {f["force"]: f["causes_of_concern"] for f in document["forces"]}
    assert counts == {"Dorset Police": 0, "Essex Police": 1, "Kent Police": 1}


def test_which_forces_had_a_cause_of_concern_on_a_question(cli: Cli, one_year: Path) -> None:
    result = cli("compare", "--year", "2016", "-f", "csv", "--data", str(one_year))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    with_causes = sorted(
        r["force"] for r in rows if r["key"] == "E3" and r["causes_of_concern"] != "0"
    )
    assert with_causes == ["Essex Police", "Kent Police"]
    table = cli("compare", "--year", "2016", "--data", str(one_year), env={"COLUMNS": "120"})
    assert "Essex Police 2016 (1 cause of concern)" in table.stdout
    assert "● outstanding  Kent Police 2016" in table.stdout


def test_compare_with_neither_force_nor_year_in_a_corpus_of_many_forces(
    cli: Cli, one_year: Path
) -> None:
    result = cli("compare", "--data", str(one_year))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith("peel: error: compare what?")


def test_similar_finds_the_rewording_in_another_report_best_first(
    cli: Cli, two_years: Path
) -> None:
    result = cli(
        "similar", "E3.R4", "--force", "met", "--year", "2016", "--json", "--data", str(two_years)
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["finding"]["id"] == "E3.R4" and document["threshold"] == 70
    (found,) = document["similar"]
    assert (found["id"], found["year"], found["text"]) == ("E3.R4", 2018, REWORDED)
    assert 70 <= found["score"] < 100


def test_similar_with_nothing_close_exits_1_and_says_so(cli: Cli, two_years: Path) -> None:
    result = cli("similar", "E1.A4", "--data", str(two_years))
    assert result.exit_code == 1
    assert result.stderr == (
        "peel: no finding in another report scores 70 or more against E1.A4\n"
        "peel: A lower --threshold finds findings less alike.\n"
    )


def test_similar_of_a_question_is_a_usage_error(cli: Cli, two_years: Path) -> None:
    result = cli("similar", "E3", "--year", "2016", "--data", str(two_years))
    assert result.exit_code == 2
    assert "E3 is a question or area, not a finding" in result.stderr


def test_every_comparison_shows_text_from_the_data_escaped(cli: Cli, tmp_path: Path) -> None:
    from hostile_support import PAYLOAD, raw_controls

    for year in (2023, 2024):
        text = AREA_REPORT.replace("year: 2023\ncycle: 2023–25\n", f"year: {year}\n")
        force = json.dumps("Exampleshire " + PAYLOAD)
        text = text.replace("force: Exampleshire Police", f"force: {force}")
        text = text.replace("title: Investigating crime", f"title: {json.dumps(PAYLOAD)}")
        (tmp_path / f"{year}.yaml").write_text(text, encoding="utf-8")
    for args in (
        ["compare", "--force", "exampleshire"],
        ["compare", "--year", "2023"],
        ["similar", "A1.A1", "--year", "2023"],
    ):
        result = cli(*args, "--data", str(tmp_path), env={"COLUMNS": "100"})
        assert result.exit_code == 0, (args, result.stderr)
        assert "\\x1b[31mRED" in result.stdout, args
        assert raw_controls(result.stdout) == [], args


def test_a_filter_that_leaves_nothing_to_compare_says_which_and_exits_1(
    cli: Cli, one_year: Path
) -> None:
    for args, message in (
        (["--year", "1999"], "peel: no report is from --year 1999"),
        (["--force", "nobody"], "peel: no report's force matches --force 'nobody'"),
    ):
        result = cli("compare", *args, "--data", str(one_year))
        assert result.exit_code == 1, (args, result.stderr)
        assert result.stderr.splitlines()[0] == message
        assert result.stdout == ""
