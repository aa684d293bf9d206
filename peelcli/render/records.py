"""Rows as plain records: the field names of --json, CSV and Markdown output (a public contract)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peelcli.models import Kind, Pillar, Practice, Recommendation, Report, Unit
from peelcli.query import FindingRow, GradeRow, GridRow, Hit, PillarRow


def report_fields(report: Report) -> dict[str, Any]:
    """Which report a record is of: its force, year and force's slug."""
    return {"force": report.force, "year": report.year, "force_slug": _slug(report)}


_SLUGS: dict[str, str] = {}


def _slug(report: Report) -> str:
    # Made once for each force's name: a listing of a large corpus asks for it per row.
    slug = _SLUGS.get(report.force)
    if slug is None:
        slug = _SLUGS[report.force] = report.force_slug
    return slug


# The fields that count findings of each kind, as grade records name them.
COUNT_FIELDS = {
    Kind.AREA_FOR_IMPROVEMENT: "areas_for_improvement",
    Kind.CAUSE_OF_CONCERN: "causes_of_concern",
    Kind.RECOMMENDATION: "recommendations",
    Kind.INNOVATIVE_PRACTICE: "innovative_practice",
    Kind.PROMISING_PRACTICE: "promising_practice",
}


COUNT_NAMES = tuple(COUNT_FIELDS[kind] for kind in Kind)  # in the order QuestionRow.counts gives


def truncation(row: GradeRow | Unit) -> str | None:
    """Where a pillar's, question's or area's text stops short in its source, or None."""
    truncated = row.truncated
    return truncated.value if truncated is not None else None


def _pillar_id(pillar: Pillar | None) -> str | None:
    return pillar.id if pillar is not None else None


def pillar_record(report: Report, pillar: Pillar) -> dict[str, Any]:
    """A pillar's headline question and overall grade, with where that grade comes from."""
    return {
        **report_fields(report),
        "title": report.title,
        "pillar": pillar.id,
        "name": pillar.name,
        "question": pillar.question,
        "grade": pillar.grade.value,
        "grade_source": pillar.grade_source,
        "level": "pillar",
        "truncated": pillar.truncated.value if pillar.truncated is not None else None,
    }


def grade_record(row: GradeRow) -> dict[str, Any]:
    """One row of `peel grades`: a pillar's own grade, or a question's or area's grade and how
    many findings it has (a pillar's are counted in its questions' rows, so null in its own);
    `level` tells them apart."""
    if isinstance(row, PillarRow):
        return {
            "force": row.report.force,
            "year": row.report.year,
            "pillar": row.pillar.id,
            "id": row.pillar.id,
            "title": row.title,
            "grade": row.grade.value,
            "carried_over_from": None,
            **dict.fromkeys(COUNT_NAMES),
            "force_slug": _slug(row.report),
            "level": "pillar",
            "truncated": truncation(row),
            "grade_source": row.pillar.grade_source,
        }
    report, pillar, unit = row
    areas, causes, recommendations, innovative, promising = row.counts()
    # One literal, in GRADE_COLUMNS's order (a test holds them together): a large corpus
    # has a row for every question.
    return {
        "force": report.force,
        "year": report.year,
        "pillar": _pillar_id(pillar),
        "id": unit.id,
        "title": unit.title,
        "grade": unit.grade._value_,
        "carried_over_from": unit.carried_over_from,
        "areas_for_improvement": areas,
        "causes_of_concern": causes,
        "recommendations": recommendations,
        "innovative_practice": innovative,
        "promising_practice": promising,
        "force_slug": _slug(report),
        "level": row.level,
        "truncated": truncation(unit),
        "grade_source": None,
    }


def grid_fields(columns: Sequence[str]) -> list[str]:
    """Each grid column's field: its question ID or area's name, kept apart from the row's
    own `force`, `year` and `truncated` (an area named "force" is the field "force (2)")."""
    taken = {"force", "year", "truncated"}
    fields = []
    for column in columns:
        field, n = column, 1
        while field in taken:
            n += 1
            field = f"{column} ({n})"
        taken.add(field)
        fields.append(field)
    return fields


def grid_record(row: GridRow, columns: Sequence[str], fields: Sequence[str]) -> dict[str, Any]:
    """A row of `peel grades --grid`: force, year and a grade (or null) per pillar letter,
    question ID or area, under the fields that grid_fields gives the columns, and in
    `truncated` the fields whose text stops short in the source."""
    grades = {
        f: row.grades[c].value if c in row.grades else None
        for c, f in zip(columns, fields, strict=True)
    }
    cut = set(row.truncated)
    truncated = [f for c, f in zip(columns, fields, strict=True) if c in cut]
    return {"force": row.force, "year": row.year, **grades, "truncated": truncated}


def pillar_text_record(row: PillarRow) -> dict[str, Any]:
    """A pillar with its own grade and text, as `questions` and `show` give it: a question's
    fields, and its name, headline question and where its grade comes from."""
    pillar = row.pillar
    return {
        **report_fields(row.report),
        "pillar": pillar.id,
        "id": pillar.id,
        "title": row.title,
        "grade": pillar.grade.value,
        "carried_over_from": None,
        "judgement": pillar.judgement,
        "summary": list(pillar.summary),
        "earlier_grades": [],
        "note": None,
        "level": "pillar",
        "truncated": truncation(row),
        "name": pillar.name,
        "question": pillar.question,
        "grade_source": pillar.grade_source,
    }


def question_record(row: GradeRow, with_findings: bool = False) -> dict[str, Any]:
    """A question in full: judgement, summary, earlier grades, and optionally its findings; a
    pillar's own grade and text as pillar_text_record gives them."""
    if isinstance(row, PillarRow):
        return pillar_text_record(row)
    q = row.question
    record: dict[str, Any] = {
        **report_fields(row.report),
        "pillar": _pillar_id(row.pillar),
        "id": q.id,
        "title": q.title,
        "grade": q.grade.value,
        "carried_over_from": q.carried_over_from,
        "judgement": q.judgement,
        "summary": list(q.summary),
        "earlier_grades": [
            {"year": e.year, "grade": e.grade.value, "quote": e.quote} for e in q.earlier_grades
        ],
        "note": q.note,
        "level": row.level,
        "truncated": truncation(q),
    }
    if with_findings:
        findings = [FindingRow(row.report, row.pillar, q, kind, f) for _, kind, f in q.findings()]
        record["areas_for_improvement"] = [
            finding_record(f) for f in findings if f.kind is Kind.AREA_FOR_IMPROVEMENT
        ]
        record["causes_of_concern"] = [
            {
                **finding_record(FindingRow(row.report, row.pillar, q, Kind.CAUSE_OF_CONCERN, c)),
                "recommendations": [
                    finding_record(FindingRow(row.report, row.pillar, q, Kind.RECOMMENDATION, r, c))
                    for r in c.recommendations
                ],
            }
            for c in q.causes_of_concern
        ]
        for kind, name in (
            (Kind.INNOVATIVE_PRACTICE, "innovative_practice"),
            (Kind.PROMISING_PRACTICE, "promising_practice"),
        ):
            record[name] = [finding_record(f) for f in findings if f.kind is kind]
    return record


def finding_record(row: FindingRow) -> dict[str, Any]:
    """A finding with its question, grade, force and year; a recommendation with its lead-in."""
    report, pillar, question, kind, finding, cause = row
    placed = _placed
    if placed[0] is not question or placed[1] is not report or placed[2] is not pillar:
        placed = _place(report, pillar, question)
    record: dict[str, Any] = {
        "id": finding.id,
        "kind": kind._value_,
        "text": finding.text,
        "question_id": placed[3],
        "question": placed[4],
        "grade": placed[5],
        "force": placed[6],
        "year": placed[7],
        "force_slug": placed[8],
        "pillar": placed[9],
        "truncated": placed[10],
    }
    if kind is _RECOMMENDATION:
        record["cause_id"] = cause.id if cause else None
        record["lead_in"] = cause.recommendations_lead_in if cause else None
        record["due"] = finding.due if isinstance(finding, Recommendation) else None
    if isinstance(finding, Practice):
        record["title"] = finding.title
        record["paragraphs"] = list(finding.paragraphs)
    return record


_RECOMMENDATION = Kind.RECOMMENDATION

# The fields a finding's record takes from its question, pillar and report, for the question
# last asked about: a listing asks for them once for each of a question's findings, in turn.
# The models are frozen, so what was read from them holds while they are the same objects.
_placed: tuple[Any, ...] = (None, None, None)


def _place(report: Report, pillar: Pillar | None, question: Unit) -> tuple[Any, ...]:
    global _placed
    _placed = (
        question,
        report,
        pillar,
        question.id,
        question.title,
        question.grade.value,
        report.force,
        report.year,
        _slug(report),
        _pillar_id(pillar),
        truncation(question),
    )
    return _placed


def hit_record(hit: Hit) -> dict[str, Any]:
    """A search hit: the finding's record (or the pillar's, question's or area's text) and where
    the terms matched."""
    row = hit.row
    if isinstance(row, FindingRow):
        record = finding_record(row)
    else:
        record = {
            "id": row.id,
            "kind": hit.kind,
            "text": hit.text,
            "question_id": row.id,
            "question": row.title,
            "grade": row.grade.value,
            **report_fields(row.report),
            "pillar": row.pillar.id if row.pillar is not None else None,
            "paragraph": hit.paragraph,
            "truncated": truncation(row),
        }
    record["matches"] = [
        {"start": s.start, "end": s.end, "text": hit.text[s.start : s.end]} for s in hit.spans
    ]
    return record


# Columns of CSV and Markdown output: the flat fields of each record, in order.
# A question's or area's place and grade, as every record of one begins.
_UNIT_COLUMNS = ("force", "year", "pillar", "id", "title", "grade", "carried_over_from")
GRADE_COLUMNS = (
    *_UNIT_COLUMNS,
    *COUNT_FIELDS.values(),
    "force_slug",
    "level",
    "truncated",
    "grade_source",
)
_QUESTION_FIELDS = (*_UNIT_COLUMNS, "judgement", "summary", "earlier_grades", "note")
# A pillar's own text adds its name, headline question and grade's source (empty for others).
_PILLAR_TEXT_FIELDS = ("level", "truncated", "name", "question", "grade_source")
QUESTION_COLUMNS = (*_QUESTION_FIELDS, "force_slug", *_PILLAR_TEXT_FIELDS)
# New fields go at the end, so that a spreadsheet's columns stay where they were.
_FINDING_FIELDS = (
    "force",
    "year",
    "id",
    "kind",
    "question_id",
    "grade",
    "text",
    "question",
    "pillar",
    "cause_id",
    "lead_in",
)
FINDING_COLUMNS = (*_FINDING_FIELDS, "due", "force_slug", "truncated")
HIT_COLUMNS = (*_FINDING_FIELDS, "paragraph", "matches", "due", "force_slug", "truncated")
# What findings, search and show add to a finding where a tracker is in use.
TRACKED_COLUMNS = ("key", "status", "rag", "owner", "tracked_due")
# `peel show` of a question: its findings as JSON text in a cell each.
QUESTION_IN_FULL_COLUMNS = (
    *_QUESTION_FIELDS,
    "areas_for_improvement",
    "causes_of_concern",
    "innovative_practice",
    "promising_practice",
    "force_slug",
    *_PILLAR_TEXT_FIELDS,
)

# Markdown's column headers: the fields in words.
HEADERS = {
    "id": "ID",
    "question_id": "Question ID",
    "title": "Question",
    "cause_id": "Cause of concern",
    "lead_in": "Lead-in",
    "areas_for_improvement": "Areas for improvement",
    "causes_of_concern": "Causes of concern",
}


def header(field: str) -> str:
    """A record field's name in words, for a reader rather than a program.

    Only peel's own names (snake_case) are put in words: a field named by the data, such
    as an area of policing in the grid, is shown as the report writes it.
    """
    if field in HEADERS:
        return HEADERS[field]
    if field.isascii() and field.replace("_", "").isalnum() and field.islower():
        return field.replace("_", " ").capitalize()
    return field
