"""The command line end to end: in-process with CliRunner, and as the installed `peel`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import DATASET, report_as

from peelcli import __version__

Cli = Callable[..., Any]
Peel = Callable[..., subprocess.CompletedProcess[str]]
GOOD = DATASET.read_text(encoding="utf-8")


def as_json(result: Any) -> Any:
    return json.loads(result.stdout)


def ids(result: Any) -> list[str]:
    return [item["id"] for item in as_json(result)]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The Metropolitan report and a copy posing as Kent Police 2017."""
    (tmp_path / "met.yaml").write_text(GOOD, encoding="utf-8")
    kent = report_as("Kent Police", 2017).replace("grade: inadequate", "grade: good")
    (tmp_path / "kent.yaml").write_text(kent, encoding="utf-8")
    return tmp_path


# --- grades --------------------------------------------------------------------------


def test_grades_json(cli: Cli) -> None:
    result = cli("grades", "--json")
    assert result.exit_code == 0
    data = as_json(result)
    (pillar,) = data["pillars"]
    assert (
        pillar["question"]
        == "How effective is the force at keeping people safe and reducing crime?"
    )
    assert pillar["grade"] == "requires improvement"
    assert pillar["grade_source"].startswith("Not stated in the report text")
    rows = data["questions"]
    assert [(r["id"], r["grade"]) for r in rows] == [
        ("E1", "good"),
        ("E2", "requires improvement"),
        ("E3", "inadequate"),
        ("E4", "requires improvement"),
        ("E5", "ungraded"),
    ]
    e3 = rows[2]
    assert (e3["areas_for_improvement"], e3["causes_of_concern"], e3["recommendations"]) == (
        0,
        1,
        8,
    )
    assert all(r["force"] == "Metropolitan Police Service" and r["year"] == 2016 for r in rows)


def test_grades_filter_by_grade(cli: Cli) -> None:
    result = cli("grades", "--grade", "RI", "-g", "Inadequate", "--json")
    assert [r["id"] for r in as_json(result)["questions"]] == ["E2", "E3", "E4"]
    result = cli("grades", "--grade", "outstanding", "--json")
    assert result.exit_code == 1
    assert as_json(result) == {"pillars": [], "questions": []}
    result = cli("grades", "--grade", "excellent")
    assert result.exit_code == 2
    assert "'excellent' is not a grade; expected one of" in result.stderr


def test_grades_table_piped_is_plain(peel: Peel) -> None:
    result = peel("grades")
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "Metropolitan Police Service · PEEL 2016 · HMIC"
    assert any(line.startswith("E3") and "● inadequate" in line for line in lines)
    pillar = next(line for line in lines if line.startswith("E  "))
    assert "● requires improvement" in pillar
    assert any(line.startswith("*  E grade: Not stated in the report text") for line in lines)


def test_colour_options_and_environment(peel: Peel) -> None:
    assert "\x1b[" in peel("grades", "--color").stdout
    assert "\x1b[" in peel("grades", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in peel("grades", "--no-color", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in peel("grades", env={"NO_COLOR": "1", "FORCE_COLOR": ""}).stdout


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_grades_csv_and_markdown(cli: Cli, fmt: str) -> None:
    result = cli("grades", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [r["grade"] for r in rows][3] == "inadequate"  # the pillar's row first
        assert rows[3]["recommendations"] == "8"
        assert (rows[0]["level"], rows[0]["recommendations"]) == ("pillar", "")
    else:
        lines = result.stdout.splitlines()
        assert lines[0].startswith("| Force | Year | Pillar | ID | Question | Grade |")
        assert lines[1].startswith("|---|")
        assert len(lines) == 8


def test_json_and_another_format_conflict(cli: Cli) -> None:
    result = cli("findings", "--json", "--format", "csv")
    assert result.exit_code == 2
    assert "--json and --format csv ask for two formats; choose one" in result.stderr


# --- questions and show --------------------------------------------------------------


def test_questions_json_fields(cli: Cli) -> None:
    questions = as_json(cli("questions", "--json"))
    assert len(questions) == 5
    e1 = questions[0]
    assert set(e1) >= {"id", "title", "grade", "judgement", "summary", "force", "year"}
    assert e1["judgement"].startswith("The Metropolitan Police Service is good at preventing crime")
    assert len(e1["summary"]) == 3
    assert questions[1]["earlier_grades"] == [
        {
            "year": 2015,
            "grade": "requires improvement",
            "quote": questions[1]["summary"][3],
        }
    ]


def test_questions_brief_and_full(peel: Peel) -> None:
    full = peel("questions").stdout
    brief = peel("questions", "--brief").stdout
    assert "● good" in brief and "The Metropolitan Police Service is good at" in brief
    assert "safer neighbourhood teams" in full
    assert "safer neighbourhood teams" not in brief
    assert peel("questions", "--question", "e5", "--brief").stdout.splitlines()[2] == (
        "E5  How effective are the force’s specialist capabilities?"
    )


def test_show_question_json_has_findings_nested(cli: Cli) -> None:
    result = cli("show", "E3", "--json")
    assert result.exit_code == 0
    e3 = as_json(result)
    assert e3["id"] == "E3" and e3["grade"] == "inadequate"
    (cause,) = e3["causes_of_concern"]
    assert cause["id"] == "E3.C1" and cause["kind"] == "cause_of_concern"
    assert [r["id"] for r in cause["recommendations"]] == [f"E3.R{n}" for n in range(1, 9)]
    assert cause["recommendations"][0]["lead_in"].endswith("vulnerable people by:")


def test_show_finding_is_case_insensitive(cli: Cli) -> None:
    finding = as_json(cli("show", "e3.r4", "--json"))
    assert finding == {
        "id": "E3.R4",
        "kind": "recommendation",
        "text": "improving the completion rate, quality and supervision of DASH forms;",
        "question_id": "E3",
        "question": "How effective is the force at protecting those who are vulnerable from harm, "
        "and supporting victims?",
        "grade": "inadequate",
        "force": "Metropolitan Police Service",
        "year": 2016,
        "force_slug": "metropolitan-police-service",
        "pillar": "E",
        "truncated": None,
        "cause_id": "E3.C1",
        "lead_in": "The force should immediately take steps to improve its services to vulnerable "
        "people by:",
        "due": "2017-03-02",
    }


def test_show_recommendation_reads_as_a_sentence(peel: Peel) -> None:
    out = peel("show", "E3.R4").stdout
    lead_in = out.index("The force should immediately take steps")
    assert out.index("improving the completion rate") > lead_in
    assert "Cause of concern E3.C1" in out


def test_show_unknown_id_suggests_close_ones(cli: Cli) -> None:
    result = cli("show", "E3.R9")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "peel: error: no question or finding has the ID 'E3.R9'"
    assert "Did you mean E3.R1" in result.stderr or "Did you mean E3.R" in result.stderr


# --- findings ------------------------------------------------------------------------


def test_findings_all_and_filtered(cli: Cli) -> None:
    everything = as_json(cli("findings", "--json"))
    assert len(everything) == 3 + 3 + 1 + 8 + 5
    first = everything[0]
    assert set(first) >= {"id", "kind", "text", "question_id", "question", "grade", "force", "year"}
    assert ids(cli("findings", "--kind", "recommendation", "--json")) == [
        f"E3.R{n}" for n in range(1, 9)
    ]
    assert ids(cli("findings", "--question", "e1", "--json")) == ["E1.A1", "E1.A2", "E1.A3"]
    assert len(ids(cli("findings", "--grade", "inadequate", "--json"))) == 9
    assert ids(cli("findings", "-k", "cause", "--json")) == ["E3.C1"]
    result = cli("findings", "--question", "E5", "--json")
    assert result.exit_code == 1 and as_json(result) == []


def test_findings_bad_kind(cli: Cli) -> None:
    result = cli("findings", "--kind", "praise")
    assert result.exit_code == 2
    assert (
        "'praise' is not a kind of finding; expected one of area_for_improvement" in result.stderr
    )


def test_findings_csv_round_trips_text(cli: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("findings", "--format", "csv").stdout)))
    by_id = {r["id"]: r for r in rows}
    assert by_id["E4.A5"]["text"].endswith("structure for OCG management plans.")
    assert "‘4 Ps’" in by_id["E4.A5"]["text"]


def test_findings_table_piped(peel: Peel) -> None:
    out = peel("findings", "--kind", "recommendation").stdout
    assert "E3.R8" in out and "\x1b" not in out


# --- search --------------------------------------------------------------------------


def search(cli: Cli, *args: str) -> list[str]:
    return ids(cli("search", *args, "--json"))


def test_search_is_case_insensitive(cli: Cli) -> None:
    assert search(cli, "dash") == search(cli, "DASH") == ["E3.R4"]


def test_search_every_term_must_match_unless_any(cli: Cli) -> None:
    assert search(cli, "domestic", "orders") == ["E3.R7"]
    assert search(cli, "--any", "dash", "clare's") == ["E3.R4", "E3.R7"]


def test_search_quoted_phrase(cli: Cli) -> None:
    # Both words appear in E4.A3, but never side by side.
    assert search(cli, "organised", "groups") == ["E4.A3", "E4.A4", "E4.A5"]
    assert search(cli, "organised groups") == []
    assert search(cli, '"organised crime groups" promptly') == ["E4.A3"]
    assert search(cli, "domestic abuse") == ["E3.R1", "E3.R7"]


def test_search_plain_ascii_finds_typographic_text(cli: Cli) -> None:
    assert search(cli, "Clare's Law") == ["E3.R7"]
    assert search(cli, "'4 Ps'") == ["E4.A5"]


def test_search_hyphen_finds_dash(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        GOOD.replace("long term, multi-agency", "long\u2013term, multi\u2011agency"), "utf-8"
    )
    assert search(cli, "long-term", "multi-agency", "--data", str(path)) == ["E4.A5"]


def test_search_singular_finds_plural_and_back(cli: Cli) -> None:
    assert search(cli, "organised crime group") == ["E4.A3", "E4.A4", "E4.A5"]
    assert search(cli, "offender", "--kind", "area_for_improvement") == ["E2.A1", "E2.A2", "E2.A3"]
    assert search(cli, "vulnerabilities") == ["E3.R1", "E3.R3"]
    assert search(cli, "child") == ["E3.R1"]  # "children"


def test_search_regex(cli: Cli) -> None:
    assert search(cli, "--regex", r"DASH|Clare.s") == ["E3.R4", "E3.R7"]
    result = cli("search", "--regex", "(unclosed")
    assert result.exit_code == 2
    assert "invalid regular expression '(unclosed'" in result.stderr


def test_search_all_text_adds_judgements_and_summaries(cli: Cli) -> None:
    assert search(cli, "safer neighbourhood teams") == []
    hits = as_json(cli("search", "safer neighbourhood teams", "--all-text", "--json"))
    assert [(h["id"], h["kind"], h["paragraph"]) for h in hits] == [("E1", "summary", 3)]
    hits = as_json(cli("search", "inadequate", "--all-text", "--json"))
    assert [(h["id"], h["kind"]) for h in hits] == [("E3", "judgement")]


def test_search_hits_carry_question_grade_and_matches(cli: Cli) -> None:
    (hit,) = as_json(cli("search", "clare's", "--json"))
    assert (hit["question_id"], hit["grade"], hit["kind"]) == ("E3", "inadequate", "recommendation")
    (match,) = hit["matches"]
    assert hit["text"][match["start"] : match["end"]] == match["text"] == "Clare’s"


def test_search_highlights_on_a_terminal(peel: Peel) -> None:
    out = peel("search", "dash", "--color").stdout
    assert "\x1b[" in out
    plain = peel("search", "dash", env={"COLUMNS": "200"}).stdout
    assert plain.splitlines()[0].startswith("E3 How effective is the force at protecting")
    assert plain.splitlines()[0].endswith("· ● inadequate")
    assert plain.splitlines()[2] == "  E3.R4  recommendation"


def test_search_hits_are_grouped_under_their_question(peel: Peel) -> None:
    lines = peel("search", "force", "--question", "E2", env={"COLUMNS": "200"}).stdout
    assert lines.count("How effective is the force at investigating crime") == 1
    assert [line for line in lines.splitlines() if line.startswith("  E2.A")] == [
        "  E2.A1  area for improvement",
        "  E2.A2  area for improvement",
        "  E2.A3  area for improvement",
    ]


def test_search_no_match_exits_1(cli: Cli) -> None:
    result = cli("search", "zebra", "--json")
    assert result.exit_code == 1
    assert as_json(result) == []
    result = cli("search", "zebra")
    assert result.exit_code == 1


def test_search_filters(cli: Cli) -> None:
    assert search(cli, "force", "--question", "E2") == ["E2.A1", "E2.A2", "E2.A3"]
    assert search(cli, "force", "--grade", "good") == ["E1.A1", "E1.A2", "E1.A3"]


# --- corpora -------------------------------------------------------------------------


def test_corpus_rows_name_force_and_year(cli: Cli, corpus: Path) -> None:
    rows = as_json(cli("grades", "--data", str(corpus), "--json"))["questions"]
    assert len(rows) == 10
    assert {(r["force"], r["year"]) for r in rows} == {
        ("Kent Police", 2017),
        ("Metropolitan Police Service", 2016),
    }
    kent = as_json(cli("grades", "--data", str(corpus), "--force", "kent", "--json"))
    assert {r["force"] for r in kent["questions"]} == {"Kent Police"}
    hits = as_json(cli("search", "dash", "--data", str(corpus), "--year", "2016", "--json"))
    assert [(h["force"], h["id"]) for h in hits] == [("Metropolitan Police Service", "E3.R4")]


def test_corpus_show_needs_a_choice(cli: Cli, corpus: Path) -> None:
    result = cli("show", "E3", "--data", str(corpus))
    assert result.exit_code == 2
    assert "E3 is in 2 reports" in result.stderr
    assert "--force and --year" in result.stderr
    ok = cli("show", "E3", "--data", str(corpus), "--force", "kent", "--json")
    assert as_json(ok)["grade"] == "good"


def test_corpus_table_has_force_columns(peel: Peel, corpus: Path) -> None:
    out = peel("grades", "--data", str(corpus)).stdout
    assert any(
        line.startswith("Kent Police") and "2017" in line and "Effectiveness:" in line
        for line in out.splitlines()
    )
    assert out.splitlines()[0].split()[:3] == ["Force", "┃", "Year"]


def test_filter_matching_no_report_exits_1(cli: Cli) -> None:
    result = cli("findings", "--force", "Atlantis", "--json")
    assert result.exit_code == 1
    assert as_json(result) == []


# --- the program as a whole ----------------------------------------------------------


def test_version_and_help(peel: Peel) -> None:
    assert peel("--version").stdout == f"peel {__version__}\n"
    for flag in ("-h", "--help"):
        result = peel(flag)
        assert result.returncode == 0
        assert "Examples" in result.stdout and "peel grades" in result.stdout
    result = peel("search", "-h")
    assert result.returncode == 0
    assert 'peel search "domestic abuse"' in result.stdout


def test_no_arguments_shows_help(peel: Peel) -> None:
    result = peel()
    assert "Usage" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_is_usage_error(peel: Peel) -> None:
    result = peel("grades", "--frobnicate")
    assert result.returncode == 2
    assert result.stderr == (
        "peel: error: no such option: --frobnicate; did you mean --force or --format?\n"
    )
    assert "Traceback" not in result.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peelcli", "grades", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0
    assert len(json.loads(result.stdout)["questions"]) == 5


def test_json_is_utf8_and_exact(peel: Peel) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peelcli", "findings", "--json"],
        capture_output=True,
        check=False,
    )
    raw = result.stdout.decode("utf-8")
    assert "Clare’s Law" in raw  # not \u2019
    assert json.loads(raw)[13]["text"].startswith("increasing the use of Domestic Abuse")


def test_head_ends_quietly(tmp_path: Path) -> None:
    from conftest import peel_executable

    for args in ("findings", "findings --json", "show E3", "search force"):
        result = subprocess.run(
            f"'{peel_executable()}' {args} | head -1",
            shell=True,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0
        assert result.stderr == "", args
        assert len(result.stdout.splitlines()) == 1


def test_grades_grid_is_force_by_question(cli: Cli, peel: Peel, corpus: Path) -> None:
    efficiency = GOOD.replace("- id: E\n  name: Effectiveness", "- id: F\n  name: Efficiency")
    for n in range(1, 6):
        efficiency = efficiency.replace(f"id: E{n}", f"id: F{n}")
    (corpus / "met-efficiency.yaml").write_text(efficiency, encoding="utf-8")
    rows = as_json(cli("grades", "--data", str(corpus), "--grid", "--json"))
    assert rows == [
        {"force": "Kent Police", "year": 2017, "E": "requires improvement", "E1": "good",
         "E2": "requires improvement", "E3": "good", "E4": "requires improvement",
         "E5": "ungraded", "F": None, "F1": None, "F2": None, "F3": None, "F4": None,
         "F5": None, "truncated": []},
        {"force": "Metropolitan Police Service", "year": 2016, "E": "requires improvement",
         "E1": "good", "E2": "requires improvement", "E3": "inadequate",
         "E4": "requires improvement", "E5": "ungraded", "F": "requires improvement",
         "F1": "good", "F2": "requires improvement", "F3": "inadequate",
         "F4": "requires improvement", "F5": "ungraded", "truncated": []},
    ]  # fmt: skip
    header = cli("grades", "--data", str(corpus), "--grid", "--format", "csv").stdout.splitlines()
    assert header[0] == "force,year,E,E1,E2,E3,E4,E5,F,F1,F2,F3,F4,F5,truncated"
    # Too wide for 40 columns, the grid becomes records: one field a line, nothing cut.
    narrow = peel("grades", "--data", str(corpus), "--grid", env={"COLUMNS": "40"}).stdout
    assert "…" not in narrow
    assert all(len(line) <= 40 for line in narrow.splitlines())
    assert "OUT outstanding · GOOD good" in narrow
    met = narrow.split("\n\n")[1].splitlines()
    assert [line.split(maxsplit=1) for line in met[:2]] == [
        ["Force", "Metropolitan Police Service"],
        ["Year", "2016"],
    ]
    assert [line.split()[1] for line in met[2:14]] == ["RI", "GOOD", "RI", "INAD", "RI", "n/g"] * 2
    wide = peel("grades", "--data", str(corpus), "--grid", env={"COLUMNS": "140"}).stdout
    lines = wide.splitlines()
    assert lines[0].split() == ["Force", "Year", *[f"{p}{n}" for p in "EF" for n in ("", *"12345")]]
    (met_row,) = [line for line in lines if line.startswith("Metropolitan")]
    assert met_row.split()[3:] == ["2016", *["RI", "GOOD", "RI", "INAD", "RI", "n/g"] * 2]
