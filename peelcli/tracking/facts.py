"""What tracking needs to know of a report: the force's key, the publication date and a
recommendation's deadline."""

from __future__ import annotations

import re
import unicodedata

from peelcli.models import Finding, Report


def force_slug(report: Report) -> str:
    """The force's part of a key: its canonical name in lower case, words joined by '-'."""
    known = getattr(report, "force_slug", None)
    if isinstance(known, str):
        return known
    name = unicodedata.normalize("NFKD", report.force).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "force"


def published(report: Report) -> str | None:
    """When the report was published (YYYY-MM-DD, or YYYY-MM), if the dataset says."""
    value = getattr(report, "published", None)
    return value if isinstance(value, str) else None


def deadline(finding: Finding | object) -> str | None:
    """A recommendation's deadline where the report fixes one (YYYY-MM-DD or YYYY-MM)."""
    value = getattr(finding, "due", None)
    return value if isinstance(value, str) else None
