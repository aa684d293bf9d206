"""The tracker in an export: each tracked finding's state on the day of the export, its history
and each report's response, as tables of the database and a sheet of the workbook."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from peelcli.export.database import Column, Table
from peelcli.models import Report
from peelcli.query import Scope
from peelcli.render.tracking import TRACK_COLUMNS, response_record, track_record
from peelcli.tracking.listing import TrackedRow, responses, tracked_rows
from peelcli.tracking.model import RegisterStatus, Status, Tracker


class Tracking(NamedTuple):
    """A tracker and the day its ratings and lateness are reckoned for (--as-at)."""

    tracker: Tracker
    as_at: datetime.date

    def rows(self, reports: Sequence[Report], untracked: bool) -> list[TrackedRow]:
        """Each tracked finding of the reports (with untracked, every finding) as at the day."""
        return tracked_rows(self.tracker, reports, Scope(), self.as_at, untracked)

    def left_out(self, reports: Sequence[Report]) -> list[str]:
        """What to say of the entries an export leaves out, no loaded finding answering to
        them: they stay in the tracker, counted here."""
        from peelcli.tracking.keys import Index
        from peelcli.tracking.listing import unplaced

        return unplaced(self.tracker, Index.of(reports)).messages()


_TYPES = {"year": "INTEGER", "days_overdue": "INTEGER", "text_changed": "INTEGER"}
_DESCRIPTIONS = {
    "key": "The finding's key: the force's slug, the cycle and the finding's ID.",
    "force": "The force's name as the report writes it.",
    "year": "The year of the inspection.",
    "id": "The finding's ID.",
    "kind": "What the finding is: a recommendation, an area for improvement, ….",
    "status": "The local status: " + ", ".join(s.value for s in Status) + ".",
    "register_status": "The inspectorate register's status: "
    + ", ".join(s.value for s in RegisterStatus)
    + "; kept apart from the local one.",
    "rag": "Red when overdue, amber when due within 30 days or without an owner, green "
    "otherwise, closed apart; reckoned as at the day of the export.",
    "owner": "Who answers for it.",
    "due": "When it is due: the tracker's date, else the report's deadline.",
    "revised_due": "The revised due date.",
    "reason": "Why the due date was revised.",
    "days_overdue": "Days past its due date as at the day of the export; null when not overdue.",
    "evidence": "Links or notes, as a JSON list.",
    "text": "The finding's words.",
    "text_changed": "1 when the finding's words have changed since it was tracked.",
    "last_change": "When it last changed, in UTC.",
}

TRACKING = Table(
    "tracking",
    "Each tracked finding: its statuses, owner, due dates, evidence and RAG rating.",
    tuple(Column(c, _TYPES.get(c, "TEXT"), _DESCRIPTIONS[c]) for c in TRACK_COLUMNS),
    (("key", "findings(key)"),),
)
HISTORY = Table(
    "tracking_history",
    "Every change to a tracked finding, oldest first; never rewritten.",
    (
        Column("key", "TEXT", "The tracked finding's key."),
        Column("number", "INTEGER", "1 for the finding's first change, and so on."),
        Column("at", "TEXT", "When, in UTC."),
        Column("by", "TEXT", "Who made the change."),
        Column("comment", "TEXT", "Why, in the words of whoever made it."),
        Column("changes", "TEXT", "The fields it set and their new values, as a JSON object."),
    ),
    (("key", "tracking(key)"),),
    ("key", "number"),
)
RESPONSES = Table(
    "responses",
    "Each report's response by its police and crime commissioner, due 56 days after publication.",
    (
        Column("key", "TEXT", "The report's key in the tracker: the force's slug and the cycle."),
        Column("force", "TEXT", "The force's name as the report writes it."),
        Column("year", "INTEGER", "The year of the inspection."),
        Column("published", "TEXT", "When the report was published."),
        Column("response_due", "TEXT", "56 days after publication."),
        Column("responded", "TEXT", "When the response was published."),
        Column("url", "TEXT", "Where the response was published."),
        Column("state", "TEXT", "Whether the response is due, late or published."),
        Column("days_late", "INTEGER", "Days late as at the day of the export."),
    ),
)
VIEWS = {
    "open_recommendations": (
        "Every recommendation not closed in the tracker, with its status, owner and due date.",
        """
        select f.key, f.force, f.year, f.id, f.text, t.status, t.rag, t.owner,
               coalesce(t.due, f.due) as due, t.days_overdue
          from findings f left join tracking t on t.key = f.key
         where f.kind = 'recommendation' and (t.status is null or t.status != 'closed')
        """,
    ),
}


def _value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def table_rows(tracking: Tracking, reports: Sequence[Report]) -> list[tuple[Table, list[Any]]]:
    """The tracking tables and their rows: entries of loaded findings only (the others have
    no finding to join), with their history, and the reports' responses."""
    rows = tracking.rows(reports, untracked=False)
    records = [track_record(row) for row in rows]
    history = [
        (row.key, n, c.at, c.by, c.comment, json.dumps(dict(c.changes), ensure_ascii=False))
        for row in rows
        if row.entry is not None
        for n, c in enumerate(row.entry.history, 1)
    ]
    states = [response_record(s) for s in responses(tracking.tracker, reports, tracking.as_at)]
    return [
        (TRACKING, [tuple(_value(r[c.name]) for c in TRACKING.columns) for r in records]),
        (HISTORY, history),
        (RESPONSES, [tuple(s[c.name] for c in RESPONSES.columns) for s in states]),
    ]


def sheet_records(tracking: Tracking, reports: Sequence[Report]) -> list[dict[str, Any]]:
    """The tracking sheet: every finding of the reports, tracked or not, as `track list
    --all` gives them, so that a committee can allocate any of them."""
    return [track_record(row) for row in tracking.rows(reports, untracked=True)]


CHOICES = {
    "status": tuple(s.value for s in Status),
    "register_status": tuple(s.value for s in RegisterStatus),
}
