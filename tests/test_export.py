"""peel export: a SQLite database for SQL and Datasette, and a workbook for a committee."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AREA_REPORT, DATASET, make_corpus

Run = Callable[..., Any]


def _export(peel: Run, *args: str) -> Any:
    done = peel("export", *args)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def database(tmp_path: Path, peel: Run) -> Path:
    """The shipped report and a fictional PEEL assessment, exported to SQLite."""
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "met.yaml").write_text(DATASET.read_text("utf-8"), "utf-8")
    (tmp_path / "reports" / "example.yaml").write_text(AREA_REPORT, "utf-8")
    path = tmp_path / "peel.db"
    _export(peel, "--data", str(tmp_path / "reports"), "--sqlite", str(path))
    return path


def _query(path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, params).fetchall()


def test_tables_have_keys_that_join_and_columns_named_as_the_json(
    database: Path, peel: Run
) -> None:
    findings = json.loads(peel("findings", "--json").stdout)
    columns = {row[1]: row[2] for row in _query(database, "pragma table_info(findings)")}
    # Every field of every finding's JSON record is a column, with the same name.
    assert {key for record in findings for key in record} <= set(columns)
    assert columns["year"] == "INTEGER" and columns["text"] == "TEXT"
    keys = {row[1] for row in _query(database, "pragma table_info(findings)") if row[5]}
    assert keys == {"key"}
    references = {(row[3], row[2]) for row in _query(database, "pragma foreign_key_list(findings)")}
    assert references == {
        ("report_key", "reports"),
        ("question_key", "questions"),
        ("cause_key", "findings"),
    }
    assert _query(database, "pragma foreign_key_check") == []
    (key,) = _query(database, "select key from findings where id = 'E3.R4'")[0]
    assert key == "metropolitan-police-service/2016/E3.R4"
    joined = _query(
        database,
        "select r.force, q.grade, c.id from findings f join questions q on q.key = f.question_key"
        " join reports r on r.key = f.report_key join findings c on c.key = f.cause_key"
        " where f.id = 'E3.R4'",
    )
    assert joined == [("Metropolitan Police Service", "inadequate", "E3.C1")]


def test_every_finding_and_grade_is_exported_word_for_word(database: Path, peel: Run) -> None:
    data = str(database.parent / "reports")
    findings = json.loads(peel("findings", "--data", data, "--json").stdout)
    exported = _query(database, "select id, kind, text, force from findings order by rowid")
    assert exported == [(f["id"], f["kind"], f["text"], f["force"]) for f in findings]
    grades = _query(database, "select level, id, grade from grades where force like 'Example%'")
    assert ("area", "A1", "requires improvement") in grades
    pillar = _query(database, "select level, grade from grades where id = 'E'")
    assert pillar == [("pillar", "requires improvement")]


def test_full_text_search_over_findings_and_judgements(database: Path) -> None:
    found = _query(
        database,
        "select f.id from findings_fts join findings f on f.rowid = findings_fts.rowid"
        " where findings_fts match 'domestic abuse' order by f.id",
    )
    assert found == [("E3.R1",), ("E3.R7",)]
    judged = _query(
        database,
        "select q.id from questions_fts join questions q on q.rowid = questions_fts.rowid"
        " where questions_fts match 'investigating'",
    )
    assert ("E2",) in judged and ("A1",) in judged


def test_views_people_would_write_first(database: Path) -> None:
    recommendations = _query(database, "select id, cause_id from recommendations")
    assert ("E3.R4", "E3.C1") in recommendations and ("A1.R1", "A1.C1") in recommendations
    assert len(recommendations) == 9


def test_metadata_names_licence_source_and_describes_every_column(database: Path) -> None:
    document = json.loads((database.parent / "peel.metadata.json").read_text("utf-8"))
    assert document["license"] == "Open Government Licence v3.0"
    assert document["license_url"].startswith("https://www.nationalarchives.gov.uk/")
    tables = document["databases"]["peel"]["tables"]
    for (table,) in _query(database, "select name from sqlite_master where type = 'table'"):
        if table.endswith(("_fts", "_data", "_idx", "_docsize", "_config", "_content")):
            continue
        described = tables[table]["columns"]
        actual = {row[1] for row in _query(database, f"pragma table_info([{table}])")}
        assert set(described) == actual, table
        assert all(described.values()), table
    sources = {r for (r,) in _query(database, "select source from reports") if r}
    assert sources and all(s in document["source"] for s in sources)


def test_datasette_serves_a_search_and_a_join(database: Path) -> None:
    from datasette.app import Datasette

    metadata = json.loads((database.parent / "peel.metadata.json").read_text("utf-8"))

    async def ask() -> tuple[Any, Any, Any]:
        app = Datasette(files=[str(database)], metadata=metadata)
        search = await app.client.get("/peel/findings.json?_search=domestic+abuse&_shape=array")
        sql = (
            "select f.id, q.grade from findings f join questions q on q.key = f.question_key"
            " where f.kind = 'recommendation' and q.grade = 'inadequate' order by f.rowid"
        )
        join = await app.client.get("/peel.json", params={"sql": sql, "_shape": "array"})
        meta = await app.client.get("/-/metadata.json")
        return search, join, meta

    search, join, meta = asyncio.run(ask())
    assert search.status_code == 200
    assert [row["id"] for row in search.json()] == ["E3.R1", "E3.R7"]
    assert join.status_code == 200
    assert [row["id"] for row in join.json()] == [f"E3.R{n}" for n in range(1, 9)]
    assert meta.json()["license"] == "Open Government Licence v3.0"


def test_export_replaces_a_database_whole(tmp_path: Path, peel: Run) -> None:
    path = tmp_path / "peel.db"
    _export(peel, "--sqlite", str(path))
    first = _query(path, "select count(*) from findings")
    _export(peel, "--sqlite", str(path))
    assert _query(path, "select count(*) from findings") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peel.db", "peel.metadata.json"]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_text("my notes\n", "utf-8"), "is not a SQLite database"),
    ],
    ids=["directory", "not-sqlite"],
)
def test_a_place_that_holds_something_else_is_refused(
    tmp_path: Path, peel: Run, make: Callable[[Path], None], says: str
) -> None:
    path = tmp_path / "peel.db"
    make(path)
    before = sorted(os.listdir(tmp_path))
    done = peel("export", "--sqlite", str(path))
    assert done.returncode == 2
    assert says in done.stderr and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert sorted(os.listdir(tmp_path)) == before
    if path.is_file():
        assert path.read_text("utf-8") == "my notes\n"


def test_a_place_that_cannot_be_written_is_one_error(tmp_path: Path, peel: Run) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    done = peel("export", "--sqlite", str(blocker / "peel.db"))
    assert done.returncode == 2
    assert "cannot write" in done.stderr and done.stderr.count("\n") == 1


def test_a_failure_midway_leaves_the_old_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peelcli.dataset.files import embedded_dataset
    from peelcli.dataset.loader import load_reports
    from peelcli.export import database, export_sqlite

    reports = load_reports([embedded_dataset()])
    path = tmp_path / "peel.db"
    export_sqlite(str(path), reports)
    before = path.read_bytes()

    def fail(connection: sqlite3.Connection, *args: Any) -> None:
        connection.execute("create table half (x)")
        raise KeyboardInterrupt

    monkeypatch.setattr(database, "write_database", fail)
    with pytest.raises(KeyboardInterrupt):
        export_sqlite(str(path), reports)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peel.db", "peel.metadata.json"]


# --- the workbook -------------------------------------------------------------------------


def _workbook(path: Path) -> Any:
    import openpyxl

    return openpyxl.load_workbook(path)


def test_workbook_sheets_are_frozen_filtered_and_sized(tmp_path: Path, peel: Run) -> None:
    path = tmp_path / "committee.xlsx"
    make_corpus(tmp_path / "reports", 3)
    _export(peel, "--data", str(tmp_path / "reports"), "--xlsx", str(path))
    book = _workbook(path)
    assert book.sheetnames[:2] == ["Grades", "Findings"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + (
            f"{sheet.max_row}"
        )
        assert all(cell.font.b for cell in sheet[1])
    findings = book["Findings"]
    header = [c.value for c in findings[1]]
    assert findings.column_dimensions["I"].width >= 60 and header[8] == "text"
    assert findings.max_row == 1 + 3 * 20
    assert findings.cell(2, header.index("text") + 1).alignment.wrap_text


def test_workbook_colours_grades_as_the_terminal_does(tmp_path: Path, peel: Run) -> None:
    from rich.style import Style

    from peelcli.models import Grade
    from peelcli.render.theme import GRADE_STYLES

    path = tmp_path / "peel.xlsx"
    _export(peel, "--xlsx", str(path))
    grades = _workbook(path)["Grades"]
    header = [c.value for c in grades[1]]
    column = header.index("grade") + 1
    seen = {}
    for row in range(2, grades.max_row + 1):
        cell = grades.cell(row, column)
        seen[cell.value] = cell.fill.fgColor.rgb
    inadequate = Style.parse(GRADE_STYLES[Grade.INADEQUATE]).color
    assert inadequate is not None
    red, green, blue = inadequate.get_truecolor()
    assert seen["inadequate"] == f"FF{red:02X}{green:02X}{blue:02X}"
    assert seen["good"] != seen["inadequate"]


def test_workbook_holds_no_formula_and_text_that_looks_like_one_is_safe(
    tmp_path: Path, peel: Run
) -> None:
    hostile = DATASET.read_text("utf-8").replace(
        "improving the completion rate, quality and supervision of DASH forms;",
        r'"=HYPERLINK(\"http://x\",\"click\")\x1b]0;owned\x07"',
    )
    (tmp_path / "hostile.yaml").write_text(hostile, "utf-8")
    path = tmp_path / "peel.xlsx"
    _export(peel, "--data", str(tmp_path / "hostile.yaml"), "--xlsx", str(path))
    book = _workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert '\'=HYPERLINK("http://x","click")\\x1b]0;owned\\x07' in texts
    years = [c.value for c in book["Findings"]["B"][1:]]
    assert years and all(isinstance(y, int) for y in years)


def test_workbook_refuses_to_write_over_another_kind_of_file(tmp_path: Path, peel: Run) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", "utf-8")
    done = peel("export", "--xlsx", str(path))
    assert done.returncode == 2 and "is not a workbook" in done.stderr
    assert path.read_text("utf-8") == "not a workbook"


def test_export_asks_for_a_file(peel: Run) -> None:
    done = peel("export")
    assert done.returncode == 2
    assert "--sqlite" in done.stderr and "--xlsx" in done.stderr


def test_each_pillar_report_of_one_year_has_a_key_of_its_own(tmp_path: Path, peel: Run) -> None:
    import re

    shipped = DATASET.read_text("utf-8")
    legitimacy = re.sub(r"\bE(?=[1-9]|$)", "L", shipped, flags=re.M).replace(
        "name: Effectiveness", "name: Legitimacy"
    )
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "e.yaml").write_text(shipped, "utf-8")
    (tmp_path / "reports" / "l.yaml").write_text(legitimacy, "utf-8")
    path = tmp_path / "peel.db"
    _export(peel, "--data", str(tmp_path / "reports"), "--sqlite", str(path))
    assert _query(path, "select key from reports order by key") == [
        ("metropolitan-police-service/2016/effectiveness",),
        ("metropolitan-police-service/2016/legitimacy",),
    ]
    keys = _query(path, "select report_key, key from findings where id in ('E3.R4', 'L3.R4')")
    assert sorted(keys) == [
        (
            "metropolitan-police-service/2016/effectiveness",
            "metropolitan-police-service/2016/E3.R4",
        ),
        ("metropolitan-police-service/2016/legitimacy", "metropolitan-police-service/2016/L3.R4"),
    ]


# --- with a tracker -----------------------------------------------------------------------


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    """A tracker with E3.R4 allocated to DCI Khan, due 30 September 2017."""
    from peelcli.dataset.files import embedded_dataset
    from peelcli.dataset.loader import load_reports
    from peelcli.tracking import operations

    path = tmp_path / "tracker.yaml"
    operations.init(str(path))
    request = operations.SetRequest(
        keys=["E3.R4"], comment="allocated", by="Tester", owner="DCI Khan", due="2017-09-30"
    )
    operations.set_entries(str(path), load_reports([embedded_dataset()]), request, lambda: "")
    return path


def test_the_database_holds_the_tracker_as_at_a_day(
    tmp_path: Path, peel: Run, tracker: Path
) -> None:
    path = tmp_path / "peel.db"
    done = _export(peel, "--sqlite", str(path), "--tracker", str(tracker), "--as-at", "2017-10-01")
    assert "1 tracked finding, 1 change, 1 response" in done.stderr
    assert _query(path, "select key, owner, rag, due, days_overdue from tracking") == [
        ("metropolitan-police-service/2016/E3.R4", "DCI Khan", "red", "2017-09-30", 1)
    ]
    assert _query(path, "select key, number, by, comment from tracking_history") == [
        ("metropolitan-police-service/2016/E3.R4", 1, "Tester", "allocated")
    ]
    assert _query(path, "select response_due, state from responses") == [("2017-04-27", "late")]
    open_ids = [r[0] for r in _query(path, "select id from open_recommendations")]
    assert open_ids == [f"E3.R{n}" for n in range(1, 9)]
    owner = _query(path, "select owner from open_recommendations where id = 'E3.R4'")
    assert owner == [("DCI Khan",)]
    assert _query(path, "pragma foreign_key_check") == []
    document = json.loads((tmp_path / "peel.metadata.json").read_text("utf-8"))
    tables = document["databases"]["peel"]["tables"]
    for table in ("tracking", "tracking_history", "responses"):
        actual = {row[1] for row in _query(path, f"pragma table_info([{table}])")}
        assert set(tables[table]["columns"]) == actual


def test_entries_of_reports_not_loaded_are_counted_and_kept_in_the_tracker(
    tmp_path: Path, peel: Run, tracker: Path
) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "example.yaml").write_text(AREA_REPORT, "utf-8")
    before = tracker.read_bytes()
    path = tmp_path / "peel.db"
    args = ("--data", str(tmp_path / "reports"), "--sqlite", str(path), "--tracker", str(tracker))
    done = _export(peel, *args)
    assert done.stderr.splitlines()[-1] == (
        "peel: warning: left out: 1 entry for a report not loaded (kept in the tracker)"
    )
    assert _query(path, "select count(*) from tracking_history") == [(0,)]
    assert tracker.read_bytes() == before
    shipped = _export(peel, "--sqlite", str(path), "--tracker", str(tracker))
    assert "left out" not in shipped.stderr


def test_without_a_tracker_there_are_no_tracking_tables(tmp_path: Path, peel: Run) -> None:
    path = tmp_path / "peel.db"
    _export(peel, "--sqlite", str(path))
    names = {n for (n,) in _query(path, "select name from sqlite_master")}
    assert "tracking" not in names and "open_recommendations" not in names


def test_the_tracking_sheet_offers_the_statuses_and_colours_rag(
    tmp_path: Path, peel: Run, tracker: Path
) -> None:
    path = tmp_path / "peel.xlsx"
    _export(peel, "--xlsx", str(path), "--tracker", str(tracker), "--as-at", "2017-10-01")
    book = _workbook(path)
    assert book.sheetnames == ["Grades", "Findings", "Tracking"]
    sheet = book["Tracking"]
    header = [c.value for c in sheet[1]]
    assert sheet.max_row == 21  # every finding, tracked or not, to allocate any of them
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        lists[header[ord(column) - ord("A")]] = validation.formula1
    assert lists == {
        "status": '"awaiting allocation,in progress,pending sign-off,closed"',
        "register_status": '"awaiting review,being progressed,complete,no further action needed"',
    }
    rows = {sheet.cell(r, 4).value: r for r in range(2, sheet.max_row + 1)}
    rag = sheet.cell(rows["E3.R4"], header.index("rag") + 1)
    assert rag.value == "red" and rag.fill.fgColor.rgb != "00000000"


def test_an_edited_workbook_imports_exactly_its_edited_cells(
    tmp_path: Path, peel: Run, tracker: Path
) -> None:
    path = tmp_path / "committee.xlsx"
    _export(peel, "--xlsx", str(path), "--tracker", str(tracker))
    book = _workbook(path)
    sheet = book["Tracking"]
    header = [c.value for c in sheet[1]]
    rows = {sheet.cell(r, header.index("id") + 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["E3.R4"], header.index("status") + 1).value = "in progress"
    sheet.cell(rows["E3.R5"], header.index("owner") + 1).value = "Sgt Patel"
    book.save(path)

    from peelcli.dataset.files import embedded_dataset
    from peelcli.dataset.loader import load_reports
    from peelcli.tracking.operations import import_spreadsheet, open_tracker

    reports = load_reports([embedded_dataset()])
    lines, _ = import_spreadsheet(str(tracker), reports, str(path), [], None, "T", True)
    changes = sorted((line.key.rsplit("/", 1)[1], line.field, line.new) for line in lines)
    assert changes == [("E3.R4", "status", "in progress"), ("E3.R5", "owner", "Sgt Patel")]
    assert all(line.problem is None for line in lines)
    before = tracker.read_bytes()
    assert open_tracker(str(tracker)).entries.keys() == {"metropolitan-police-service/2016/E3.R4"}
    import_spreadsheet(str(tracker), reports, str(path), [], None, "T", False)
    assert tracker.read_bytes() != before
    entries = open_tracker(str(tracker)).entries
    assert entries["metropolitan-police-service/2016/E3.R4"].status.value == "in progress"
    assert entries["metropolitan-police-service/2016/E3.R5"].owner == "Sgt Patel"
    assert entries["metropolitan-police-service/2016/E3.R4"].owner == "DCI Khan"


def test_a_workbook_that_is_not_one_is_refused_on_import(tmp_path: Path) -> None:
    from peelcli.errors import PeelError
    from peelcli.tracking.spreadsheet import read_rows

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PeelError, match="is not a workbook"):
        read_rows(str(broken))
