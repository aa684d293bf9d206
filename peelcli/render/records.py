"""Rows as plain records: the field names of --json, CSV and Markdown output (a public contract)."""

from __future__ import annotations

from typing import Any

from peelcli.models import Kind, Pillar, Report
from peelcli.query import FindingRow, GridRow, Hit, QuestionRow


def _report(report: Report) -> dict[str, Any]:
    return {"force": report.force, "year": report.year}


def pillar_record(report: Report, pillar: Pillar) -> dict[str, Any]:
    """A pillar's headline question and overall grade, with where that grade comes from."""
    return {
        **_report(report),
        "title": report.title,
        "pillar": pillar.id,
        "name": pillar.name,
        "question": pillar.question,
        "grade": pillar.grade.value,
        "grade_source": pillar.grade_source,
    }


def grade_record(row: QuestionRow) -> dict[str, Any]:
    """One row of `peel grades`: a question, its grade and how many findings it has."""
    return {
        **_report(row.report),
        "pillar": row.pillar.id,
        "id": row.question.id,
        "title": row.question.title,
        "grade": row.question.grade.value,
        "areas_for_improvement": row.count(Kind.AREA_FOR_IMPROVEMENT),
        "causes_of_concern": row.count(Kind.CAUSE_OF_CONCERN),
        "recommendations": row.count(Kind.RECOMMENDATION),
    }


def grid_record(row: GridRow, columns: list[str]) -> dict[str, Any]:
    """A row of `peel grades --grid`: force, year and a grade (or null) per question ID."""
    grades = {c: row.grades[c].value if c in row.grades else None for c in columns}
    return {"force": row.force, "year": row.year, **grades}


def question_record(row: QuestionRow, with_findings: bool = False) -> dict[str, Any]:
    """A question in full: judgement, summary, earlier grades, and optionally its findings."""
    q = row.question
    record: dict[str, Any] = {
        **_report(row.report),
        "pillar": row.pillar.id,
        "id": q.id,
        "title": q.title,
        "grade": q.grade.value,
        "judgement": q.judgement,
        "summary": list(q.summary),
        "earlier_grades": [
            {"year": e.year, "grade": e.grade.value, "quote": e.quote} for e in q.earlier_grades
        ],
        "note": q.note,
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
    return record


def finding_record(row: FindingRow) -> dict[str, Any]:
    """A finding with its question, grade, force and year; a recommendation with its lead-in."""
    record: dict[str, Any] = {
        "id": row.id,
        "kind": row.kind.value,
        "text": row.text,
        "question_id": row.question.id,
        "question": row.question.title,
        "grade": row.question.grade.value,
        **_report(row.report),
        "pillar": row.pillar.id,
    }
    if row.kind is Kind.RECOMMENDATION:
        record["cause_id"] = row.cause.id if row.cause else None
        record["lead_in"] = row.cause.recommendations_lead_in if row.cause else None
    return record


def hit_record(hit: Hit) -> dict[str, Any]:
    """A search hit: the finding's record (or the question's text) and where the terms matched."""
    if isinstance(hit.row, FindingRow):
        record = finding_record(hit.row)
    else:
        q = hit.row.question
        record = {
            "id": q.id,
            "kind": hit.kind,
            "text": hit.text,
            "question_id": q.id,
            "question": q.title,
            "grade": q.grade.value,
            **_report(hit.row.report),
            "pillar": hit.row.pillar.id,
            "paragraph": hit.paragraph,
        }
    record["matches"] = [
        {"start": s.start, "end": s.end, "text": hit.text[s.start : s.end]} for s in hit.spans
    ]
    return record


# Columns of CSV and Markdown output: the flat fields of each record, in order.
GRADE_COLUMNS = (
    "force",
    "year",
    "pillar",
    "id",
    "title",
    "grade",
    "areas_for_improvement",
    "causes_of_concern",
    "recommendations",
)
QUESTION_COLUMNS = (
    "force",
    "year",
    "pillar",
    "id",
    "title",
    "grade",
    "judgement",
    "summary",
    "earlier_grades",
    "note",
)
# New fields go at the end, so that a spreadsheet's columns stay where they were.
FINDING_COLUMNS = (
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
HIT_COLUMNS = (*FINDING_COLUMNS, "paragraph", "matches")
# `peel show` of a question: its findings as JSON text in a cell each.
QUESTION_IN_FULL_COLUMNS = (*QUESTION_COLUMNS, "areas_for_improvement", "causes_of_concern")

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
    """A record field's name in words, for a reader rather than a program."""
    return HEADERS.get(field) or field.replace("_", " ").capitalize()
