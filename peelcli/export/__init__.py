"""Loaded reports handed on whole: a SQLite database for SQL and Datasette, a workbook for Excel.

Each file is made under a temporary name beside its place and renamed into it when complete,
so a failure leaves what was there before; a place that holds something else is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from peelcli.dataset.files import replacing, write_file
from peelcli.models import Report

if TYPE_CHECKING:
    from peelcli.export.tracked import Tracking

SQLITE_HEADER = b"SQLite format 3\x00"
XLSX_HEADER = b"PK\x03\x04"  # an .xlsx file is a zip archive


class Exported(NamedTuple):
    """What an export wrote: the file, its companion (Datasette's metadata), rows per table."""

    path: str
    metadata: str | None
    rows: dict[str, int]

    def summary(self) -> str:
        """What was written, in words: 'wrote peel.db (1 report, 20 findings) and …'."""
        counts = ", ".join(f"{n} {_WORDS[table][n != 1]}" for table, n in self.rows.items())
        also = f" and {self.metadata}" if self.metadata else ""
        return f"wrote {self.path} ({counts}){also}"


# What a table or sheet holds, in words: one, and several.
_WORDS = {
    "reports": ("report", "reports"),
    "pillars": ("pillar", "pillars"),
    "questions": ("question or area", "questions and areas"),
    "findings": ("finding", "findings"),
    "grades": ("grade", "grades"),
    "tracking": ("tracked finding", "tracked findings"),
    "tracking_history": ("change", "changes"),
    "responses": ("response", "responses"),
}


def tracking_in_use(
    option: str | None, as_at: str | None, warn: Callable[[str], None]
) -> Tracking | None:
    """The tracker in use (--tracker, $PEEL_TRACKER, or one here), if any, and the day of the
    export's ratings: --as-at, else today."""
    from peelcli.tracking.operations import as_at_day, tracker_if_any

    day = as_at_day(as_at)
    tracker = tracker_if_any(option, warn)
    if tracker is None:
        return None
    from peelcli.export.tracked import Tracking

    return Tracking(tracker, day)


def metadata_path(path: str) -> str:
    """Where an export's metadata.json goes: beside it, named after it (peel.metadata.json)."""
    import os

    stem, _ = os.path.splitext(path)
    return f"{stem}.metadata.json"


def export_sqlite(
    path: str, reports: Sequence[Report], tracking: Tracking | None = None
) -> Exported:
    """The reports (and the tracker, if one is in use) as a SQLite database at path, and
    Datasette's metadata beside it."""
    import sqlite3

    from peelcli.export.database import database_name, metadata, write_database

    more, views = [], {}
    if tracking is not None:
        from peelcli.export import tracked

        more, views = tracked.table_rows(tracking, reports), tracked.VIEWS
    with replacing(path, "SQLite database", lambda head: head.startswith(SQLITE_HEADER)) as temp:
        connection = sqlite3.connect(temp)
        try:
            rows = write_database(connection, reports, more, views)
        finally:
            connection.close()
    document = metadata(database_name(path), reports, [table for table, _ in more], views)
    companion = metadata_path(path)
    write_file(companion, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return Exported(path, companion, rows)


def export_workbook(
    path: str, reports: Sequence[Report], tracking: Tracking | None = None
) -> Exported:
    """The reports as an Excel workbook at path: grades, findings and, with a tracker, every
    finding's tracking."""
    from peelcli.export.workbook import report_sheets, tracking_sheet, write_workbook

    sheets = report_sheets(reports)
    if tracking is not None:
        sheets.append(tracking_sheet(tracking, reports))
    with replacing(path, "workbook", lambda head: head.startswith(XLSX_HEADER)) as temp:
        write_workbook(temp, sheets)
    return Exported(path, None, {sheet.name.lower(): len(sheet.records) for sheet in sheets})
