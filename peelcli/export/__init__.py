"""Loaded reports handed on whole: a SQLite database for SQL and Datasette, a workbook for Excel.

Each file is made under a temporary name beside its place and renamed into it when complete,
so a failure leaves what was there before; a place that holds something else is refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import NamedTuple

from peelcli.dataset.files import replacing, write_file
from peelcli.models import Report

SQLITE_HEADER = b"SQLite format 3\x00"
XLSX_HEADER = b"PK\x03\x04"  # an .xlsx file is a zip archive


class Exported(NamedTuple):
    """What an export wrote: the file, its companion (Datasette's metadata), rows per table."""

    path: str
    metadata: str | None
    rows: dict[str, int]

    def summary(self) -> str:
        """What was written, in words: 'wrote peel.db (1 report, 20 findings) and …'."""
        counts = ", ".join(
            f"{n} {table if n != 1 else _SINGULAR[table]}" for table, n in self.rows.items()
        )
        also = f" and {self.metadata}" if self.metadata else ""
        return f"wrote {self.path} ({counts}){also}"


_SINGULAR = {
    "reports": "report",
    "pillars": "pillar",
    "questions": "question or area",
    "findings": "finding",
    "grades": "grade",
    "tracking": "tracked finding",
    "history": "change",
}


def metadata_path(path: str) -> str:
    """Where an export's metadata.json goes: beside it, named after it (peel.metadata.json)."""
    import os

    stem, _ = os.path.splitext(path)
    return f"{stem}.metadata.json"


def export_sqlite(path: str, reports: Sequence[Report]) -> Exported:
    """The reports as a SQLite database at path, and Datasette's metadata beside it."""
    import sqlite3

    from peelcli.export.database import database_name, metadata, write_database

    with replacing(path, "SQLite database", lambda head: head.startswith(SQLITE_HEADER)) as temp:
        connection = sqlite3.connect(temp)
        try:
            rows = write_database(connection, reports)
        finally:
            connection.close()
    document = metadata(database_name(path), reports)
    companion = metadata_path(path)
    write_file(companion, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return Exported(path, companion, rows)


def export_workbook(path: str, reports: Sequence[Report]) -> Exported:
    """The reports as an Excel workbook at path: grades, findings and tracking sheets."""
    from peelcli.export.workbook import report_sheets, write_workbook

    sheets = report_sheets(reports)
    with replacing(path, "workbook", lambda head: head.startswith(XLSX_HEADER)) as temp:
        write_workbook(temp, sheets)
    return Exported(path, None, {sheet.name.lower(): len(sheet.records) for sheet in sheets})
