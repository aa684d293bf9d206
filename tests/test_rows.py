"""The findings listing's rows and records: what Unit.findings and the models say, made with
less work."""

from __future__ import annotations

import random
from typing import Any

import pytest
from conftest import ROOT

from peelcli import query
from peelcli.dataset.files import embedded_dataset
from peelcli.dataset.loader import load_reports
from peelcli.models import CauseOfConcern, Kind, Practice, Recommendation, Report
from peelcli.render import records


def reports() -> list[Report]:
    paths = [embedded_dataset(), ROOT / "docs" / "examples"]
    return load_reports(paths, use_cache=False)


def reference_rows(found: list[Report], kinds: tuple[Kind, ...] = ()) -> list[query.FindingRow]:
    """The rows as Unit.findings walks them, each recommendation with the cause before it."""
    rows = []
    for row in query.question_rows(found, query.Scope()):
        cause = None
        for _, kind, finding in row.question.findings():
            if isinstance(finding, CauseOfConcern):
                cause = finding
            if not kinds or kind in kinds:
                rows.append(
                    query.FindingRow(
                        *row, kind, finding, cause if kind is Kind.RECOMMENDATION else None
                    )
                )
    return rows


@pytest.mark.parametrize(
    "kinds", [(), (Kind.RECOMMENDATION,), (Kind.AREA_FOR_IMPROVEMENT, Kind.PROMISING_PRACTICE)]
)
def test_finding_rows_are_unit_findings_in_order(kinds: tuple[Kind, ...]) -> None:
    found = reports()
    rows = query.finding_rows(found, query.Scope(kinds=kinds))
    assert rows == reference_rows(found, kinds)
    assert all(type(row) is query.FindingRow for row in rows)
    if not kinds:
        assert {row.kind for row in rows} >= set(Kind) - {Kind.INNOVATIVE_PRACTICE}


def reference_record(row: query.FindingRow) -> dict[str, Any]:
    """A finding's record read field by field from its row."""
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
        "force_slug": report.force_slug,
        "pillar": row.pillar.id if row.pillar else None,
        "truncated": question.truncated.value if question.truncated else None,
    }
    if row.kind is Kind.RECOMMENDATION:
        record["cause_id"] = row.cause.id if row.cause else None
        record["lead_in"] = row.cause.recommendations_lead_in if row.cause else None
        record["due"] = finding.due if isinstance(finding, Recommendation) else None
    if isinstance(finding, Practice):
        record["title"] = finding.title
        record["paragraphs"] = list(finding.paragraphs)
    return record


def test_finding_records_read_each_question_once(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = query.finding_rows(reports(), query.Scope())
    placed = []
    place = records._place
    monkeypatch.setattr(records, "_place", lambda *args: placed.append(args) or place(*args))
    made = [records.finding_record(row) for row in rows]
    assert [list(r.items()) for r in made] == [list(reference_record(r).items()) for r in rows]
    assert len(placed) == len({id(row.question) for row in rows})


def test_finding_records_in_any_order_are_their_own_questions() -> None:
    rows = query.finding_rows(reports(), query.Scope())
    random.Random(22).shuffle(rows)
    made = [records.finding_record(row) for row in rows]
    assert [list(r.items()) for r in made] == [list(reference_record(r).items()) for r in rows]


def reference_grade_record(row: query.QuestionRow) -> dict[str, Any]:
    """A question's or area's grade record read field by field from its row."""
    unit = row.question
    record = {
        "force": row.report.force,
        "year": row.report.year,
        "pillar": row.pillar.id if row.pillar is not None else None,
        "id": unit.id,
        "title": unit.title,
        "grade": unit.grade.value,
        "carried_over_from": unit.carried_over_from,
    }
    record.update(zip(records.COUNT_NAMES, row.counts(), strict=True))
    record["force_slug"] = row.report.force_slug
    record["level"] = row.level
    record["truncated"] = unit.truncated.value if unit.truncated is not None else None
    record["grade_source"] = None
    return record


def test_grade_records_are_their_rows_fields_in_the_columns_order() -> None:
    rows = query.question_rows(reports(), query.Scope())
    assert {row.level for row in rows} == {"question", "area"}
    for row in rows:
        made = records.grade_record(row)
        assert list(made.items()) == list(reference_grade_record(row).items())
        assert tuple(made) == records.GRADE_COLUMNS
