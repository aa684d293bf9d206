"""Every loaded report as one SQLite database, for SQL and Datasette, with its metadata.json.

Written with the standard library's sqlite3: the schema is a few tables whose columns, types,
keys and full-text indexes are stated once below, and ``executemany`` inserts the rows. Keys are
peel's stable keys (a report's force slug and cycle, then an ID); columns are named as the
fields of ``--json`` output, so that a query reads as a jq filter does.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from peelcli.forces import slug
from peelcli.models import PILLAR_LETTERS, Kind, Pillar, Recommendation, Report, Unit
from peelcli.query import FindingRow, QuestionRow, Scope, finding_rows, question_rows
from peelcli.render.records import COUNT_FIELDS, COUNT_NAMES

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


class Column(NamedTuple):
    """A column of an exported table: its name (a JSON field's), SQL type and description."""

    name: str
    type: str
    description: str


class Table(NamedTuple):
    """An exported table: its columns, primary key, foreign keys and description."""

    name: str
    description: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (column, "table(column)")
    primary_key: tuple[str, ...] = ("key",)


_KEY = "peel's stable key: the force's slug and the report's cycle"


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


def _report_columns() -> tuple[Column, ...]:
    return (
        _c("force", "TEXT", "The force's name as the report writes it."),
        _c("year", "INTEGER", "The year of the inspection; a cycle's first year."),
    )


def _truncated(whose: str) -> Column:
    return _c(
        "truncated",
        "TEXT",
        f"Where {whose} stops short in the source: 'mid-sentence', 'at a heading' or "
        "'before a list'; null where it is whole.",
    )


def _counts() -> tuple[Column, ...]:
    return tuple(
        _c(field, "INTEGER", f"How many {kind.label} findings it has.")
        for kind, field in COUNT_FIELDS.items()
    )


TABLES = (
    Table(
        "reports",
        "One row per inspection report: which force, which cycle, and where the text is from.",
        (
            _c(
                "key",
                "TEXT",
                f"{_KEY}, and for a report of one pillar (to 2017 each pillar had a report) "
                "the pillar's name: metropolitan-police-service/2016/effectiveness.",
            ),
            *_report_columns(),
            _c("cycle", "TEXT", "The cycle as the report names it, such as 2018/19 or 2023–25."),
            _c("era", "TEXT", "pillar (2014–2017), integrated (2018/19) or assessment (2021–)."),
            _c("inspectorate", "TEXT", "HMIC, or HMICFRS from July 2017."),
            _c("programme", "TEXT", "The inspection programme: PEEL."),
            _c("title", "TEXT", "The report's title."),
            _c("source", "TEXT", "Where the report's text comes from."),
            _c("published", "TEXT", "When it was published: YYYY-MM-DD, or YYYY-MM for a month."),
            _c("published_source", "TEXT", "Where the publication date comes from."),
            _c("canonical_force", "TEXT", "The force's canonical name, from peel's table."),
            _c("force_slug", "TEXT", "A stable key for the force: its canonical name's slug."),
        ),
    ),
    Table(
        "pillars",
        "A pillar of a report to 2019 (effectiveness, efficiency, legitimacy) and its overall "
        "grade.",
        (
            _c("key", "TEXT", "The force's slug, the cycle and the pillar's letter: …/2016/E."),
            _c("report_key", "TEXT", "The report it belongs to."),
            *_report_columns(),
            _c("pillar", "TEXT", "One capital letter: E, F or L in PEEL."),
            _c("name", "TEXT", "The pillar's name, such as Effectiveness."),
            _c("question", "TEXT", "The pillar's headline question."),
            _c("grade", "TEXT", "The pillar's overall grade."),
            _c("grade_source", "TEXT", "Where the overall grade comes from, when not the text."),
            _c("judgement", "TEXT", "The paragraph of a pillar summary that states its grade."),
            _c("summary", "TEXT", "The paragraphs of a pillar summary, as a JSON list."),
            _truncated("the pillar's own text (a pillar summary's)"),
        ),
        (("report_key", "reports(key)"),),
    ),
    Table(
        "questions",
        "Each graded question of a pillar, or area of policing of a PEEL assessment.",
        (
            _c(
                "key",
                "TEXT",
                "The force's slug, the cycle and the question's or area's ID: …/2016/E3.",
            ),
            _c("report_key", "TEXT", "The report it belongs to."),
            _c("pillar_key", "TEXT", "Its pillar; null for an area of policing."),
            *_report_columns(),
            _c("pillar", "TEXT", "Its pillar's letter; null for an area of policing."),
            _c("id", "TEXT", "The question's or area's ID, such as E1 or A3."),
            _c("title", "TEXT", "The question, or the name of the area of policing."),
            _c("grade", "TEXT", "The grade the report gives."),
            _c("carried_over_from", "INTEGER", "The year of an earlier judgement carried over."),
            _c("judgement", "TEXT", "The paragraph that states the judgement."),
            _c("summary", "TEXT", "Its summary paragraphs, as a JSON list."),
            _c("note", "TEXT", "A note on the source, not report text."),
            *_counts(),
            _truncated("its text"),
        ),
        (("report_key", "reports(key)"), ("pillar_key", "pillars(key)")),
    ),
    Table(
        "findings",
        "Every finding: areas for improvement, causes of concern, the recommendations each "
        "cause carries, and boxes of innovative or promising practice, word for word.",
        (
            _c("key", "TEXT", "The force's slug, the cycle and the finding's ID: …/2016/E3.R4."),
            _c("report_key", "TEXT", "The report it belongs to."),
            _c("question_key", "TEXT", "The question or area it belongs to."),
            _c("cause_key", "TEXT", "For a recommendation, the cause of concern it belongs to."),
            _c("id", "TEXT", "Stable ID, such as E1.A1, E3.R2 or A3.A1."),
            _c("kind", "TEXT", "What the finding is: " + ", ".join(k.value for k in Kind) + "."),
            _c("text", "TEXT", "The finding, word for word."),
            _c("question_id", "TEXT", "The ID of its question or area."),
            _c("question", "TEXT", "Its question, or the name of its area."),
            _c("grade", "TEXT", "The grade of its question or area."),
            *_report_columns(),
            _c("pillar", "TEXT", "Its pillar's letter; null for an area of policing."),
            _c("cause_id", "TEXT", "For a recommendation, its cause of concern's ID."),
            _c("lead_in", "TEXT", "For a recommendation, the sentence it completes."),
            _c("title", "TEXT", "For a practice box, its heading."),
            _c("paragraphs", "TEXT", "For a practice box, its further paragraphs (JSON list)."),
            _c("due", "TEXT", "For a recommendation, the date its deadline falls on, if fixed."),
            _c("force_slug", "TEXT", "A stable key for the force: its canonical name's slug."),
            _truncated("the text of its question or area"),
        ),
        (
            ("report_key", "reports(key)"),
            ("question_key", "questions(key)"),
            ("cause_key", "findings(key)"),
        ),
    ),
)

# Full-text indexes: (index, table, columns). Datasette finds each by its content= table.
FULL_TEXT = (
    ("findings_fts", "findings", ("text",)),
    ("questions_fts", "questions", ("title", "judgement", "summary")),
)

VIEWS = {
    "grades": (
        "Every grade of every report, pillars' overall grades and questions' or areas' grades, "
        "by force and year, told apart by level: the rows and columns of `peel grades --format "
        "csv`.",
        f"""
        select p.force, p.year, p.pillar, p.pillar as id,
               p.name || coalesce(': ' || nullif(p.question, ''), '') as title, p.grade,
               null as carried_over_from, {", ".join(f"null as {c}" for c in COUNT_NAMES)},
               r.force_slug, 'pillar' as level, p.truncated, p.grade_source
          from pillars p join reports r on r.key = p.report_key
        union all
        select q.force, q.year, q.pillar, q.id, q.title, q.grade, q.carried_over_from,
               {", ".join(f"q.{c}" for c in COUNT_NAMES)}, r.force_slug,
               case when q.pillar is null then 'area' else 'question' end, q.truncated, null
          from questions q join reports r on r.key = q.report_key
        """,
    ),
    "recommendations": (
        "Every recommendation with the cause of concern it answers and its question's grade.",
        """
        select r.key, r.force, r.year, r.id, r.text, r.lead_in, c.id as cause_id,
               c.text as cause, r.question_id, r.question, r.grade
          from findings r join findings c on c.key = r.cause_key
         where r.kind = 'recommendation'
        """,
    ),
}


# The columns of the grades view, described as the tables' are.
VIEW_COLUMNS = {
    "grades": {
        "force": "The force's name as the report writes it.",
        "year": "The year of the inspection; a cycle's first year.",
        "pillar": "Its pillar's letter; null for an area of policing.",
        "id": "The pillar's letter, or the question's or area's ID, such as E1 or A3.",
        "title": "The pillar's name and headline question, or the question or area.",
        "grade": "The grade the report gives.",
        "carried_over_from": "The year of an earlier judgement carried over.",
        **{
            field: f"How many {kind.label} findings it has; null for a pillar's own row."
            for kind, field in COUNT_FIELDS.items()
        },
        "force_slug": "A stable key for the force: its canonical name's slug.",
        "level": "pillar (a pillar's overall grade), question (a pillar's question) or area "
        "(an area of policing).",
        "truncated": "Where its text stops short in the source: 'mid-sentence', 'at a "
        "heading' or 'before a list'; null where it is whole.",
        "grade_source": "Where a pillar's overall grade comes from, when not the text.",
    }
}


def finding_base(report: Report) -> str:
    """What the keys of a report's pillars, questions and findings start with: the force's
    slug and the cycle. Their IDs tell the pillars of one year's reports apart."""
    return f"{report.force_slug}/{report.cycle or report.year}"


def report_key(report: Report) -> str:
    """The key of a report that does not change when it is imported again: its force and
    cycle, and for a report of fewer than the three pillars (to 2017 a force had a report
    for each), the pillar's name."""
    pillars = {p.id for p in report.pillars}
    if not pillars or pillars == set(PILLAR_LETTERS):
        return finding_base(report)
    return f"{finding_base(report)}/" + "+".join(slug(p.name) for p in report.pillars)


def _cut(unit: Pillar | Unit) -> str | None:
    return unit.truncated.value if unit.truncated is not None else None


def _json_list(items: Sequence[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def _rows(reports: Sequence[Report]) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows, in the order of its columns."""
    scope = Scope()
    out: dict[str, list[tuple[Any, ...]]] = {t.name: [] for t in TABLES}
    for report in reports:
        key, base = report_key(report), finding_base(report)
        out["reports"].append(
            (
                key,
                report.force,
                report.year,
                report.cycle,
                report.era.value,
                report.inspectorate,
                report.programme,
                report.title,
                report.source,
                report.published,
                report.published_source,
                report.canonical_force,
                report.force_slug,
            )
        )
        for pillar in report.pillars:
            out["pillars"].append(
                (
                    f"{base}/{pillar.id}",
                    key,
                    report.force,
                    report.year,
                    pillar.id,
                    pillar.name,
                    pillar.question,
                    pillar.grade.value,
                    pillar.grade_source,
                    pillar.judgement,
                    _json_list(pillar.summary),
                    _cut(pillar),
                )
            )
    for row in question_rows(reports, scope):
        out["questions"].append(_question(row))
    for finding in finding_rows(reports, scope):
        out["findings"].append(_finding(finding))
    return out


def _question(row: QuestionRow) -> tuple[Any, ...]:
    key, base = report_key(row.report), finding_base(row.report)
    unit, pillar = row.question, row.pillar
    return (
        f"{base}/{unit.id}",
        key,
        f"{base}/{pillar.id}" if pillar else None,
        row.report.force,
        row.report.year,
        pillar.id if pillar else None,
        unit.id,
        unit.title,
        unit.grade.value,
        unit.carried_over_from,
        unit.judgement,
        _json_list(unit.summary),
        unit.note,
        *row.counts(),
        _cut(unit),
    )


def _finding(row: FindingRow) -> tuple[Any, ...]:
    key, base = report_key(row.report), finding_base(row.report)
    finding = row.finding
    practice = row.kind in (Kind.INNOVATIVE_PRACTICE, Kind.PROMISING_PRACTICE)
    return (
        f"{base}/{finding.id}",
        key,
        f"{base}/{row.question.id}",
        f"{base}/{row.cause.id}" if row.cause else None,
        finding.id,
        row.kind.value,
        finding.text,
        row.question.id,
        row.question.title,
        row.question.grade.value,
        row.report.force,
        row.report.year,
        row.pillar.id if row.pillar else None,
        row.cause.id if row.cause else None,
        row.cause.recommendations_lead_in if row.cause else None,
        getattr(finding, "title", None) if practice else None,
        _json_list(getattr(finding, "paragraphs", [])) if practice else None,
        finding.due if isinstance(finding, Recommendation) else None,
        row.report.force_slug,
        _cut(row.question),
    )


def _create(table: Table) -> str:
    columns = [f"[{c.name}] {c.type}" for c in table.columns]
    columns.append("PRIMARY KEY (" + ", ".join(f"[{c}]" for c in table.primary_key) + ")")
    columns += [f"FOREIGN KEY([{col}]) REFERENCES {target}" for col, target in table.foreign_keys]
    return f"CREATE TABLE [{table.name}] (\n   " + ",\n   ".join(columns) + "\n)"


def write_database(
    connection: sqlite3.Connection,
    reports: Sequence[Report],
    more: Sequence[tuple[Table, list[Any]]] = (),
    views: dict[str, tuple[str, str]] | None = None,
) -> dict[str, int]:
    """The tables of the reports, and more tables (the tracker's) with their views; their
    indexes and full-text indexes; rows per table."""
    rows = _rows(reports)
    contents = [(table, rows[table.name]) for table in TABLES] + list(more)
    with connection:
        for table, found in contents:
            connection.execute(_create(table))
            marks = ", ".join("?" * len(table.columns))
            connection.executemany(f"INSERT INTO [{table.name}] VALUES ({marks})", found)
            for column, _ in table.foreign_keys:
                if (column,) == table.primary_key:
                    continue  # the key's own index serves
                connection.execute(
                    f"CREATE INDEX [idx_{table.name}_{column}] ON [{table.name}] ([{column}])"
                )
        for index, table_name, columns in FULL_TEXT:
            names = ", ".join(f"[{c}]" for c in columns)
            connection.execute(
                f"CREATE VIRTUAL TABLE [{index}] USING FTS5 ({names}, content=[{table_name}])"
            )
            connection.execute(
                f"INSERT INTO [{index}] (rowid, {names}) SELECT rowid, {names} FROM [{table_name}]"
            )
        for name, (_, sql) in {**VIEWS, **(views or {})}.items():
            connection.execute(f"CREATE VIEW [{name}] AS {sql.strip()}")
    return {table.name: len(found) for table, found in contents}


def metadata(
    database: str,
    reports: Iterable[Report],
    more: Sequence[Table] = (),
    views: dict[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Datasette's metadata.json for an export: title, licence, source, and every table's and
    column's description."""
    sources = sorted({r.source for r in reports if r.source})
    tables: dict[str, Any] = {
        t.name: {
            "description": t.description,
            "columns": {c.name: c.description for c in t.columns},
        }
        for t in (*TABLES, *more)
    }
    for name, (description, _) in {**VIEWS, **(views or {})}.items():
        tables[name] = {"description": description}
        if name in VIEW_COLUMNS:
            tables[name]["columns"] = VIEW_COLUMNS[name]
    for index, table, _ in FULL_TEXT:
        tables[index] = {"description": f"Full-text index of {table}.", "hidden": True}
    return {
        "title": "PEEL inspection findings",
        "description": "Grades and findings of police inspection (PEEL) reports, exported by peel.",
        "license": LICENCE,
        "license_url": LICENCE_URL,
        "source": "; ".join(sources) if sources else "HMICFRS PEEL reports",
        "databases": {database: {"tables": tables}},
    }


def database_name(path: str) -> str:
    """The name Datasette gives a database file: its name without the extension."""
    return os.path.splitext(os.path.basename(path))[0]
