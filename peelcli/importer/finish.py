"""What import adds once a report's units are built: when it was published, the due dates its
recommendations' words fix, and a mark where its text stops short."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from peelcli.importer.dates import COVER_DATE, PUBLISHED_LINE, date_of, due_date
from peelcli.importer.text import Line
from peelcli.models import CauseOfConcern, Report, Truncation, Unit

# A cover gives its month on one of the lines after the title: "March 2017".
_COVER_LINES = 6


class Published(NamedTuple):
    """A publication date, where it comes from, and the line that gives it (if one does)."""

    date: str
    source: str
    line: Line | None


def page_date(found: Sequence[Line]) -> Published | None:
    """The date a page gives on a line of its own: 'Published on: 12 March 2025'."""
    for line in found:
        match = PUBLISHED_LINE.fullmatch(line.text)
        if match is not None:
            date = date_of(match)
            if date is not None:
                return Published(date, f"The report's page: “{line.text}”.", line)
    return None


def cover_date(found: Sequence[Line]) -> Published | None:
    """A cover's month: 'March 2017' alone on a line just after the title (found[0])."""
    for line in found[1 : 1 + _COVER_LINES]:
        match = COVER_DATE.fullmatch(line.text)
        if match is not None:
            date = date_of(match)
            if date is not None:
                source = f"The report's cover: “{line.text}”, which gives the month alone."
                return Published(date, source, line)
    return None


def with_due_dates(report: Report) -> Report:
    """The report with a due date on each recommendation whose words, or its lead-in's, and
    the publication date fix one."""
    causes = [cause for _, unit in report.units() for cause in unit.causes_of_concern]
    if not any(cause.recommendations for cause in causes):
        return report

    def unit_with(unit: Unit) -> Unit:
        causes = [_cause_with(cause, report.published) for cause in unit.causes_of_concern]
        return unit.model_copy(update={"causes_of_concern": causes})

    return _each_unit(report, unit_with)


def _cause_with(cause: CauseOfConcern, published: str | None) -> CauseOfConcern:
    lead_in = cause.recommendations_lead_in or ""
    recommendations = [
        rec.model_copy(
            update={"due": due_date(rec.text, published) or due_date(lead_in, published)}
        )
        for rec in cause.recommendations
    ]
    return cause.model_copy(update={"recommendations": recommendations})


def _each_unit(report: Report, change: Callable[[Unit], Unit]) -> Report:
    pillars = [
        pillar.model_copy(update={"questions": [change(q) for q in pillar.questions]})
        for pillar in report.pillars
    ]
    areas = [change(area) for area in report.areas]
    return report.model_copy(update={"pillars": pillars, "areas": areas})


def mark_truncated(report: Report, where: str | None, truncation: Truncation | None) -> Report:
    """The report with the question, area or pillar summary its text stops short in marked."""
    if truncation is None or where is None:
        return report
    for pillar in report.pillars:
        if pillar.id == where:
            return _replace_pillar(report, pillar.id, {"truncated": truncation})

    def mark(unit: Unit) -> Unit:
        return unit.model_copy(update={"truncated": truncation}) if unit.id == where else unit

    return _each_unit(report, mark)


def _replace_pillar(report: Report, pid: str, update: dict[str, object]) -> Report:
    pillars = [p.model_copy(update=update) if p.id == pid else p for p in report.pillars]
    return report.model_copy(update={"pillars": pillars})
