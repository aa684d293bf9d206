"""The rows the track commands show: tracked findings with their state on a day, their
history, the committee's paper and the responses. Pure functions: no I/O."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from peelcli.models import Report
from peelcli.query import FindingRow, Scope, finding_rows
from peelcli.tracking.facts import deadline
from peelcli.tracking.keys import Index, fingerprint, report_key
from peelcli.tracking.model import UNTRACKED, Change, Entry, Rag, Status, Tracker
from peelcli.tracking.status import (
    ResponseState,
    as_it_was,
    closed_on,
    days_overdue,
    due_date,
    rag,
    response_state,
)


class TrackedRow(NamedTuple):
    """A finding with its tracked state as at a day (entry None: untracked)."""

    key: str
    row: FindingRow
    entry: Entry | None
    rag: Rag
    due: str | None
    days_overdue: int | None
    text_changed: bool

    @property
    def status(self) -> str:
        return self.entry.status.value if self.entry is not None else UNTRACKED


@dataclass(frozen=True)
class Filters:
    """What `peel track list` narrows the rows to."""

    statuses: tuple[str, ...] = ()
    rags: tuple[Rag, ...] = ()
    owners: tuple[str, ...] = ()
    overdue: bool = False
    due_by: datetime.date | None = None  # --due-within: due on or before this day

    def keeps(self, row: TrackedRow) -> bool:
        from peelcli.tracking.dates import from_text

        if self.statuses and row.status not in self.statuses:
            return False
        if self.rags and row.rag not in self.rags:
            return False
        if self.owners:
            owner = (row.entry.owner if row.entry else None) or ""
            if not any(o.casefold() in owner.casefold() for o in self.owners):
                return False
        if self.overdue and row.days_overdue is None:
            return False
        if self.due_by is not None:
            day = from_text(row.due)
            if day is None or day > self.due_by or row.rag is Rag.CLOSED:
                return False
        return True


@dataclass
class Unplaced:
    """Entries kept in the tracker that no loaded finding answers to: counted, never dropped."""

    not_loaded: int = 0  # their report is not loaded
    missing: list[str] = field(default_factory=list)  # their report is, the finding is not

    def messages(self) -> list[str]:
        said = []
        if self.not_loaded == 1:
            said.append("1 entry for a report not loaded")
        elif self.not_loaded:
            said.append(f"{self.not_loaded} entries for reports not loaded")
        if self.missing:
            shown = ", ".join(self.missing[:3]) + (" …" if len(self.missing) > 3 else "")
            entries = "1 entry" if len(self.missing) == 1 else f"{len(self.missing)} entries"
            said.append(f"{entries} whose finding is not in its loaded report: {shown}")
        return said


def tracked_rows(
    tracker: Tracker,
    reports: Sequence[Report],
    scope: Scope,
    as_at: datetime.date,
    untracked: bool = False,
) -> list[TrackedRow]:
    """Each finding in scope that the tracker holds (and with untracked, every other one), in
    reading order, with its state as at a day."""
    entries = tracker.entries
    keys: dict[int, str] = {}
    rows = []
    for row in finding_rows(reports, scope):
        prefix = keys.get(id(row.report))
        if prefix is None:
            prefix = keys[id(row.report)] = report_key(row.report)
        key = f"{prefix}/{row.id}"
        entry = entries.get(key)
        if entry is None and not untracked:
            continue
        rows.append(state(key, row, entry, as_at))
    return rows


def state(key: str, row: FindingRow, entry: Entry | None, as_at: datetime.date) -> TrackedRow:
    """A finding's tracked state as at a day: the entry as it stood then."""
    if entry is not None:
        entry = as_it_was(entry, as_at)
    due = due_date(entry, deadline(row.finding))
    changed = entry is not None and entry.fingerprint != fingerprint(row.text)
    return TrackedRow(
        key, row, entry, rag(entry, due, as_at), due, days_overdue(entry, due, as_at), changed
    )


def unplaced(tracker: Tracker, index: Index) -> Unplaced:
    """The entries no loaded finding answers to."""
    found = Unplaced()
    for key in tracker.entries:
        if key in index.rows:
            continue
        if key.rpartition("/")[0] in index.reports:
            found.missing.append(key)
        else:
            found.not_loaded += 1
    return found


class LogLine(NamedTuple):
    """One change in an entry's history."""

    key: str
    number: int  # 1 for the first change
    change: Change


def history(tracker: Tracker, key: str) -> list[LogLine]:
    """An entry's (or a report's response's) changes, oldest first."""
    held = tracker.entries.get(key) or tracker.responses.get(key)
    changes = held.history if held is not None else []
    return [LogLine(key, n, change) for n, change in enumerate(changes, 1)]


def responses(
    tracker: Tracker, reports: Sequence[Report], as_at: datetime.date
) -> list[ResponseState]:
    """Each loaded report's response as at a day, in the order the reports were loaded."""
    states = []
    for report in reports:
        key = report_key(report)
        states.append(response_state(report, key, tracker.responses.get(key), as_at))
    return states


class ReportCounts(NamedTuple):
    """One report's tracked findings counted by status and by RAG."""

    report: Report
    key: str
    statuses: dict[str, int]
    rags: dict[str, int]


@dataclass
class Paper:
    """The paper an audit committee reads."""

    as_at: datetime.date
    since: datetime.date | None
    counts: list[ReportCounts]
    overdue: list[TrackedRow]  # most days overdue first
    closed: list[tuple[TrackedRow, str]]  # closed on or after since, with the day
    responses: list[ResponseState]  # due or late
    unplaced: Unplaced  # entries no counted finding answers to, kept and counted apart


def paper(
    tracker: Tracker,
    reports: Sequence[Report],
    rows: Sequence[TrackedRow],
    as_at: datetime.date,
    since: datetime.date | None,
) -> Paper:
    """Counts by status and RAG for each report, overdue items first, items closed since a
    day, the 56-day responses due or late, and the entries that no loaded finding answers to."""
    by_report: dict[int, ReportCounts] = {}
    for report in reports:
        by_report[id(report)] = ReportCounts(
            report,
            report_key(report),
            {s.value: 0 for s in Status} | {UNTRACKED: 0},
            {r.value: 0 for r in Rag},
        )
    for row in rows:
        counts = by_report[id(row.row.report)]
        counts.statuses[row.status] += 1
        counts.rags[row.rag.value] += 1
    overdue = sorted(
        (r for r in rows if r.days_overdue is not None), key=lambda r: -(r.days_overdue or 0)
    )
    closed = []
    for row in rows:
        day = closed_on(row.entry) if row.entry is not None else None
        if day is not None and (since is None or day >= since.isoformat()):
            closed.append((row, day))
    states = [s for s in responses(tracker, reports, as_at) if s.state in ("due", "late")]
    counted = [c for c in by_report.values() if sum(c.statuses.values())]
    left = unplaced(tracker, Index.of(reports))
    return Paper(as_at, since, counted, overdue, closed, states, left)
