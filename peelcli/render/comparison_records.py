"""Comparisons as plain records: `peel compare` (a force over time, forces side by side) and
`peel similar`, for --json, CSV and Markdown (a public contract, as records.py's)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from peelcli.forces import slug
from peelcli.models import Kind, Report
from peelcli.query import FindingRow, GradeRow, PillarRow, QuestionRow
from peelcli.render.records import (
    COUNT_FIELDS,
    COUNT_NAMES,
    FINDING_COLUMNS,
    finding_record,
    report_fields,
    truncation,
)

if TYPE_CHECKING:
    from peelcli.across_reports import ForceHistory, GradeLine, Neighbour, YearComparison


def _unit_grade(row: GradeRow | None, summary: PillarRow | None) -> dict[str, Any] | None:
    """A unit's grade in one report; where a pillar summary covers it instead, that pillar's
    grade (and no grade of its own); None where neither is in the report."""
    if summary is not None:
        return {
            "year": summary.report.year,
            "grade": None,
            "carried_over_from": None,
            "truncated": truncation(summary),
            "pillar_grade": summary.grade.value,
        }
    if row is None:
        return None
    return {
        "year": row.report.year,
        "grade": row.grade.value,
        "carried_over_from": row.carried_over_from,
        "truncated": truncation(row),
        "pillar_grade": None,
    }


def _summaries(line: GradeLine) -> tuple[PillarRow | None, ...]:
    return line.summaries or (None,) * len(line.rows)


def report_summary(report: Report) -> dict[str, Any]:
    """A report as a comparison names it: force (as written, canonical, slug), year, cycle,
    era, title and publication date."""
    return {
        **report_fields(report),
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
                "level": line.level,
                "grades": [
                    _unit_grade(row, summary)
                    for row, summary in zip(line.rows, _summaries(line), strict=True)
                ],
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
                    "from_grade": before.grade.value if before else None,
                    "to_grade": after.grade.value if after else None,
                    "change": change.value if change else None,
                    "force_slug": force_slug,
                    "level": line.level,
                    "from_truncated": truncation(before) if before else None,
                    "to_truncated": truncation(after) if after else None,
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
    "level",
    "from_truncated",
    "to_truncated",
)


def _counts(counts: dict[Kind, int]) -> dict[str, int]:
    return {COUNT_FIELDS[kind]: n for kind, n in counts.items()}


def side_by_side_document(comparison: YearComparison) -> dict[str, Any]:
    """`peel compare --year` as one JSON document: forces with counts, units by grade."""
    # A pillar's own grade: its questions count its findings.
    causes = {
        id(row): row.count(Kind.CAUSE_OF_CONCERN) if isinstance(row, QuestionRow) else None
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
                "level": unit.level,
                "grades": [
                    {
                        "grade": grade.value,
                        "forces": [
                            {
                                **report_fields(row.report),
                                "causes_of_concern": causes[id(row)],
                                "truncated": truncation(row),
                            }
                            for row in rows
                        ],
                    }
                    for grade, rows in unit.by_grade
                ],
            }
            for unit in comparison.units
        ],
    }


def _three_counts(row: GradeRow) -> dict[str, int | None]:
    # A pillar's own grade: its questions count its findings.
    if isinstance(row, PillarRow):
        return dict.fromkeys(COUNT_NAMES[:3])
    return dict(zip(COUNT_NAMES[:3], row.counts()[:3], strict=True))


def side_by_side_rows(comparison: YearComparison) -> list[dict[str, Any]]:
    """`peel compare --year` as flat rows: one per force and question or area."""
    return [
        {
            **report_fields(row.report),
            "key": unit.key,
            "title": unit.title,
            "grade": grade.value,
            **_three_counts(row),
            "level": unit.level,
            "truncated": truncation(row),
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
    "level",
    "truncated",
)


def neighbour_record(neighbour: Neighbour) -> dict[str, Any]:
    """A finding `peel similar` found, with its score."""
    return {"score": neighbour.score, **finding_record(neighbour.row)}


SIMILAR_COLUMNS = ("score", *FINDING_COLUMNS)
