"""Rows as plain records: the field names of --json, CSV and Markdown output (a public contract)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from peelcli.forces import slug
from peelcli.models import Kind, Pillar, Practice, Recommendation, Report
from peelcli.query import FindingRow, GridRow, Hit, QuestionRow

if TYPE_CHECKING:
    from peelcli.across_reports import ForceHistory, Neighbour, YearComparison


def _report(report: Report) -> dict[str, Any]:
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


_COUNT_NAMES = tuple(COUNT_FIELDS[kind] for kind in Kind)  # in the order QuestionRow.counts gives


def _pillar_id(pillar: Pillar | None) -> str | None:
    return pillar.id if pillar is not None else None


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
    unit = row.question
    record = {
        "force": row.report.force,
        "year": row.report.year,
        "pillar": _pillar_id(row.pillar),
        "id": unit.id,
        "title": unit.title,
        "grade": unit.grade.value,
        "carried_over_from": unit.carried_over_from,
    }
    record.update(zip(_COUNT_NAMES, row.counts(), strict=True))
    record["force_slug"] = row.report.force_slug
    return record


def grid_fields(columns: Sequence[str]) -> list[str]:
    """Each grid column's field: its question ID or area's name, kept apart from the row's
    own `force` and `year` (an area named "force" is the field "force (2)")."""
    taken = {"force", "year"}
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
    """A row of `peel grades --grid`: force, year and a grade (or null) per question ID, under
    the fields that grid_fields gives the columns."""
    grades = {
        f: row.grades[c].value if c in row.grades else None
        for c, f in zip(columns, fields, strict=True)
    }
    return {"force": row.force, "year": row.year, **grades}


def question_record(row: QuestionRow, with_findings: bool = False) -> dict[str, Any]:
    """A question in full: judgement, summary, earlier grades, and optionally its findings."""
    q = row.question
    record: dict[str, Any] = {
        **_report(row.report),
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
    finding, question, report = row.finding, row.question, row.report
    record: dict[str, Any] = {
        "id": finding.id,
        "kind": row.kind.value,
        "text": finding.text,
        "question_id": question.id,
        "question": question.title,
        "grade": question.grade.value,
        "force": report.force,
        "year": report.year,
        "force_slug": _slug(report),
        "pillar": _pillar_id(row.pillar),
    }
    if row.kind is Kind.RECOMMENDATION:
        record["cause_id"] = row.cause.id if row.cause else None
        record["lead_in"] = row.cause.recommendations_lead_in if row.cause else None
        record["due"] = row.finding.due if isinstance(row.finding, Recommendation) else None
    if isinstance(row.finding, Practice):
        record["title"] = row.finding.title
        record["paragraphs"] = list(row.finding.paragraphs)
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
            "pillar": _pillar_id(hit.row.pillar),
            "paragraph": hit.paragraph,
        }
    record["matches"] = [
        {"start": s.start, "end": s.end, "text": hit.text[s.start : s.end]} for s in hit.spans
    ]
    return record


# Columns of CSV and Markdown output: the flat fields of each record, in order.
# A question's or area's place and grade, as every record of one begins.
_UNIT_COLUMNS = ("force", "year", "pillar", "id", "title", "grade", "carried_over_from")
GRADE_COLUMNS = (*_UNIT_COLUMNS, *COUNT_FIELDS.values(), "force_slug")
_QUESTION_FIELDS = (*_UNIT_COLUMNS, "judgement", "summary", "earlier_grades", "note")
QUESTION_COLUMNS = (*_QUESTION_FIELDS, "force_slug")
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
FINDING_COLUMNS = (*_FINDING_FIELDS, "due", "force_slug")
HIT_COLUMNS = (*_FINDING_FIELDS, "paragraph", "matches", "due", "force_slug")
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


# --- comparisons (peel compare, peel similar) ------------------------------------------


def _unit_grade(row: QuestionRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "year": row.report.year,
        "grade": row.question.grade.value,
        "carried_over_from": row.question.carried_over_from,
    }


def report_summary(report: Report) -> dict[str, Any]:
    """A report as a comparison names it: force (as written, canonical, slug), year, cycle,
    era, title and publication date."""
    return {
        **_report(report),
        "cycle": report.cycle,
        "era": report.era.value,
        "title": report.title,
        "canonical_force": report.canonical_force,
        "published": report.published,
    }


def history_document(history: ForceHistory) -> dict[str, Any]:
    """`peel compare --force` as one JSON document: grades, and findings step by step."""
    return {
        "force": history.force,
        "force_slug": slug(history.force),
        "threshold": history.threshold,
        "reports": [report_summary(r) for r in history.reports],
        "grades": [
            {
                "key": line.key,
                "title": line.title,
                "grades": [_unit_grade(row) for row in line.rows],
                "changes": [
                    {
                        "from_year": a.year,
                        "to_year": b.year,
                        "change": change.value if change else None,
                    }
                    for (a, b), change in zip(
                        itertools.pairwise(history.reports), line.changes, strict=True
                    )
                ],
            }
            for line in history.grades
        ],
        "findings": [
            {
                "from_year": step.earlier.year,
                "to_year": step.later.year,
                "comparable": step.comparable,
                "recurring": [
                    {
                        "score": r.score,
                        "earlier": finding_record(r.earlier),
                        "later": finding_record(r.later),
                    }
                    for r in step.recurring
                ],
                "new": [finding_record(f) for f in step.new],
                "no_longer_listed": [finding_record(f) for f in step.gone],
            }
            for step in history.steps
        ],
    }


def history_rows(history: ForceHistory) -> list[dict[str, Any]]:
    """`peel compare --force` as flat rows for CSV and JSON lines: grade changes, then findings."""
    rows: list[dict[str, Any]] = []
    pairs = list(itertools.pairwise(history.reports))
    force_slug = slug(history.force)
    for line in history.grades:
        for (a, b), (before, after), change in zip(
            pairs, itertools.pairwise(line.rows), line.changes, strict=True
        ):
            rows.append(
                {
                    "type": "grade",
                    "force": history.force,
                    "from_year": a.year,
                    "to_year": b.year,
                    "key": line.key,
                    "title": line.title,
                    "from_grade": before.question.grade.value if before else None,
                    "to_grade": after.question.grade.value if after else None,
                    "change": change.value if change else None,
                    "force_slug": force_slug,
                }
            )
    for step in history.steps:
        base = {"type": "finding", "force": history.force}
        years = {"from_year": step.earlier.year, "to_year": step.later.year}
        for r in step.recurring:
            rows.append(
                {
                    **base,
                    **years,
                    "status": "recurring",
                    "score": r.score,
                    **_pair(r.earlier, r.later),
                    "force_slug": force_slug,
                }
            )
        for f in step.new:
            rows.append(
                {
                    **base,
                    **years,
                    "status": "new",
                    "score": None,
                    **_pair(None, f),
                    "force_slug": force_slug,
                }
            )
        for f in step.gone:
            rows.append(
                {
                    **base,
                    **years,
                    "status": "no longer listed",
                    "score": None,
                    **_pair(f, None),
                    "force_slug": force_slug,
                }
            )
    return rows


def _pair(earlier: FindingRow | None, later: FindingRow | None) -> dict[str, Any]:
    return {
        "earlier_id": earlier.id if earlier else None,
        "earlier_text": earlier.text if earlier else None,
        "later_id": later.id if later else None,
        "later_text": later.text if later else None,
    }


HISTORY_COLUMNS = (
    "type",
    "force",
    "from_year",
    "to_year",
    "key",
    "title",
    "from_grade",
    "to_grade",
    "change",
    "status",
    "score",
    "earlier_id",
    "earlier_text",
    "later_id",
    "later_text",
    "force_slug",
)


def _counts(counts: dict[Kind, int]) -> dict[str, int]:
    return {COUNT_FIELDS[kind]: n for kind, n in counts.items()}


def side_by_side_document(comparison: YearComparison) -> dict[str, Any]:
    """`peel compare --year` as one JSON document: forces with counts, units by grade."""
    causes = {
        id(row): row.count(Kind.CAUSE_OF_CONCERN)
        for unit in comparison.units
        for _, rows in unit.by_grade
        for row in rows
    }
    return {
        "years": list(comparison.years),
        "forces": [{**report_summary(f.report), **_counts(f.counts)} for f in comparison.forces],
        "units": [
            {
                "key": unit.key,
                "title": unit.title,
                "grades": [
                    {
                        "grade": grade.value,
                        "forces": [
                            {**_report(row.report), "causes_of_concern": causes[id(row)]}
                            for row in rows
                        ],
                    }
                    for grade, rows in unit.by_grade
                ],
            }
            for unit in comparison.units
        ],
    }


def side_by_side_rows(comparison: YearComparison) -> list[dict[str, Any]]:
    """`peel compare --year` as flat rows: one per force and question or area."""
    return [
        {
            **_report(row.report),
            "key": unit.key,
            "title": unit.title,
            "grade": grade.value,
            **dict(zip(_COUNT_NAMES[:3], row.counts()[:3], strict=True)),
        }
        for unit in comparison.units
        for grade, rows in unit.by_grade
        for row in rows
    ]


SIDE_BY_SIDE_COLUMNS = (
    "force",
    "year",
    "key",
    "title",
    "grade",
    "areas_for_improvement",
    "causes_of_concern",
    "recommendations",
    "force_slug",
)


def neighbour_record(neighbour: Neighbour) -> dict[str, Any]:
    """A finding `peel similar` found, with its score."""
    return {"score": neighbour.score, **finding_record(neighbour.row)}


SIMILAR_COLUMNS = ("score", *FINDING_COLUMNS)
