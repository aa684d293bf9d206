"""peel export holds the grades `peel grades` lists, pillars' own among them, and says where a
pillar's, question's or area's text stops short in its source, as every view does."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHIPPED

Run = Callable[..., Any]
SUMMARY_PAGE = ROOT / "tests" / "fixtures" / "exampleshire_2016_summary.txt"


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """The shipped report with E3's text stopping mid-sentence in its source, and a pillar
    summary page (a pillar without questions) whose own text stops at a heading."""
    from peelcli.api import import_report

    directory = tmp_path / "reports"
    directory.mkdir()
    cut = SHIPPED.replace(
        "    grade: inadequate\n", "    grade: inadequate\n    truncated: mid-sentence\n", 1
    )
    (directory / "met.yaml").write_text(cut, "utf-8")
    summary = import_report(SUMMARY_PAGE).dataset()
    assert "\n  grade: inadequate\n" in summary
    summary = summary.replace(
        "\n  grade: inadequate\n", "\n  grade: inadequate\n  truncated: at a heading\n", 1
    )
    (directory / "summary.yaml").write_text(summary, "utf-8")
    return directory


def _grades_csv(peel: Run, data: Path, *args: str) -> list[dict[str, str]]:
    done = peel("--data", str(data), "grades", "--format", "csv", *args)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def _cell(value: object) -> str:
    """A value as a CSV cell holds it: null is empty."""
    return "" if value is None else str(value)


def _export(peel: Run, data: Path, *args: str) -> None:
    done = peel("--data", str(data), "export", *args)
    assert done.returncode == 0, done.stderr


def _query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_the_database_says_where_a_pillars_or_questions_text_stops_short(
    reports: Path, tmp_path: Path, peel: Run
) -> None:
    path = tmp_path / "peel.db"
    _export(peel, reports, "--sqlite", str(path))
    pillars = _query(path, "select force, pillar, grade, truncated from pillars order by force")
    assert pillars == [
        ("Exampleshire Police", "E", "inadequate", "at a heading"),
        ("Metropolitan Police Service", "E", "requires improvement", None),
    ]
    questions = _query(path, "select id, truncated from questions where truncated is not null")
    assert questions == [("E3", "mid-sentence")]
    cut = _query(path, "select distinct truncated from findings where question_id = 'E3'")
    assert cut == [("mid-sentence",)]


def test_the_grades_view_holds_the_rows_and_columns_of_grades_as_csv(
    reports: Path, tmp_path: Path, peel: Run
) -> None:
    path = tmp_path / "peel.db"
    _export(peel, reports, "--sqlite", str(path))
    with sqlite3.connect(path) as connection:
        cursor = connection.execute("select * from grades")
        columns = [d[0] for d in cursor.description]
        exported = [dict(zip(columns, map(_cell, row), strict=True)) for row in cursor]
    listed = _grades_csv(peel, reports)
    assert columns == list(listed[0])
    key = lambda r: (r["force"], r["id"])  # noqa: E731
    assert sorted(exported, key=key) == sorted(listed, key=key)
    document = json.loads((tmp_path / "peel.metadata.json").read_text("utf-8"))
    described = document["databases"]["peel"]["tables"]["grades"]["columns"]
    assert list(described) == columns and all(described.values())
    summary = [r for r in exported if r["force"] == "Exampleshire Police"]
    assert [(r["level"], r["id"], r["grade"], r["truncated"]) for r in summary] == [
        ("pillar", "E", "inadequate", "at a heading")
    ]


def test_the_grades_view_answers_which_forces_were_inadequate(
    reports: Path, tmp_path: Path, peel: Run
) -> None:
    path = tmp_path / "peel.db"
    _export(peel, reports, "--sqlite", str(path))
    found = _query(path, "select force, level, id from grades where grade = 'inadequate'")
    listed = _grades_csv(peel, reports, "--grade", "inadequate")
    assert sorted(found) == sorted((r["force"], r["level"], r["id"]) for r in listed)
    # As docs/export.md asks it: the pillar summary page's force, whose only grade is its pillar's.
    forces = "select force from grades where grade = 'inadequate' and level = 'pillar'"
    assert _query(path, forces) == [("Exampleshire Police",)]


def test_the_workbooks_grades_are_those_of_grades_as_csv(
    reports: Path, tmp_path: Path, peel: Run
) -> None:
    import openpyxl

    path = tmp_path / "peel.xlsx"
    _export(peel, reports, "--xlsx", str(path))
    book = openpyxl.load_workbook(path)
    sheet = book["Grades"].iter_rows(values_only=True)
    header = next(sheet)
    rows = [dict(zip(header, map(_cell, row), strict=True)) for row in sheet]
    listed = _grades_csv(peel, reports)
    assert "truncated" in header and "level" in header
    # The sheet lists report by report in order of force, each as `peel grades` does.
    listed.sort(key=lambda r: r["force"])
    assert rows == [{field: r[field] for field in header} for r in listed]
    assert ("pillar", "at a heading") in {(r["level"], r["truncated"]) for r in rows}
    findings = book["Findings"].iter_rows(values_only=True)
    header = next(findings)
    cut = {row[header.index("truncated")] for row in findings if row[3] == "E3"}
    assert header[3] == "question_id" and cut == {"mid-sentence"}
