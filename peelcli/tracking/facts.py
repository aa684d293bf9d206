"""What tracking needs to know of a report: the force's key, the publication date and a
recommendation's deadline, as the models give them."""

from __future__ import annotations

from peelcli.models import CauseOfConcern, Finding, Recommendation, Report


def force_slug(report: Report) -> str:
    """The force's part of a key: its canonical name, as 'metropolitan-police-service'."""
    return report.force_slug


def published(report: Report) -> str | None:
    """When the report was published (YYYY-MM-DD, or YYYY-MM), if the dataset says."""
    return report.published


def deadline(finding: Finding | CauseOfConcern) -> str | None:
    """A recommendation's deadline where the report fixes one (YYYY-MM-DD or YYYY-MM)."""
    return finding.due if isinstance(finding, Recommendation) else None
