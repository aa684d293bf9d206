"""One function for each `peel track` command: what it asks of the tracker and the reports,
with its answer as rows for the renderer. The commands only read options and call these."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from peelcli.errors import PeelError
from peelcli.query import FindingRow
from peelcli.tracking import store

if TYPE_CHECKING:
    from peelcli.models import Report
    from peelcli.query import Scope
    from peelcli.tracking.changes import ImportLine
    from peelcli.tracking.listing import Filters, LogLine, Paper, TrackedRow
    from peelcli.tracking.model import Tracker
    from peelcli.tracking.status import ResponseState

Warn = Callable[[str], None]
R = TypeVar("R")


def tracker_path(option: str | None) -> Path:
    """The tracker in use; a PeelError saying where peel looked when there is none."""
    path, looked = store.locate(option)
    if path is None:
        raise PeelError(
            "no tracker: looked at " + ", ".join(looked),
            hint="Make one with: peel track init (or name one with --tracker PATH).",
        )
    return path


def open_tracker(option: str | None, warn: Warn | None = None) -> Tracker:
    """The tracker in use, read and checked."""
    return store.load(tracker_path(option), warn)


def tracker_if_any(option: str | None, warn: Warn | None = None) -> Tracker | None:
    """The tracker in use, if one is: findings, search and show add its statuses."""
    path, _ = store.locate(option)
    return None if path is None else store.load(path, warn)


def init(option: str | None) -> Path:
    """A new, empty tracker where --tracker, $PEEL_TRACKER or the default names it."""
    path, _ = store.locate(option)
    target = path or Path(store.DEFAULT_NAME)
    store.create(target)
    return target


def as_at_day(text: str | None) -> datetime.date:
    """The day answers are given for: --as-at, else today."""
    from peelcli.tracking.dates import parse_date, today

    return today() if text is None else parse_date(text, today(), "--as-at")


def date_option(text: str | None, option: str) -> str | None:
    """A date option as YYYY-MM-DD; relative dates count from today."""
    from peelcli.tracking.dates import parse_date, today

    return None if text is None else parse_date(text, today(), option).isoformat()


@dataclass(frozen=True)
class SetRequest:
    """What `peel track set` was asked to do."""

    keys: Sequence[str]
    comment: str
    by: str | None = None
    status: str | None = None
    register_status: str | None = None
    owner: str | None = None
    due: str | None = None
    reason: str | None = None
    evidence: str | None = None


def set_entries(
    option: str | None, reports: Sequence[Report], request: SetRequest, stdin: Callable[[], str]
) -> tuple[list[LogLine], list[str]]:
    """Each key's entry changed and its history added to, under the lock; the changes made,
    and warnings (a finding's words changed since it was tracked)."""
    from peelcli.tracking.changes import Edit, apply_edit, author, now_stamp
    from peelcli.tracking.keys import Index, read_keys
    from peelcli.tracking.listing import LogLine
    from peelcli.tracking.model import RegisterStatus, Status

    path = tracker_path(option)
    given = read_keys(request.keys, stdin() if "-" in request.keys else None)
    try:
        status = Status.parse(request.status) if request.status else None
        register = (
            RegisterStatus.parse(request.register_status) if request.register_status else None
        )
    except ValueError as exc:
        raise PeelError(str(exc)) from None
    edit = Edit(
        comment=request.comment,
        by=author(request.by),
        at=now_stamp(),
        status=status,
        register_status=register,
        owner=request.owner,
        due=date_option(request.due, "--due"),
        reason=request.reason,
        evidence=request.evidence,
    )
    edit.check()
    index = Index.of(reports)
    keys = index.resolve_all(given)
    made = store.update(path, lambda tracker: apply_edit(tracker, index, keys, edit))
    warnings = [
        f"{m.key}: the finding's words have changed since it was first tracked; check that "
        "the entry still answers to them"
        for m in made
        if m.text_changed
    ]
    return [LogLine(m.key, m.number, m.change) for m in made], warnings


def list_entries(
    option: str | None,
    reports: Sequence[Report],
    scope: Scope,
    filters: Filters,
    as_at: datetime.date,
    untracked: bool,
    warn: Warn | None = None,
) -> tuple[list[TrackedRow], list[str]]:
    """The tracked findings in scope as at a day, filtered; and what to say of the entries
    no loaded finding answers to, and of findings whose words changed since tracked."""
    from peelcli.tracking.keys import Index
    from peelcli.tracking.listing import tracked_rows, unplaced

    tracker = open_tracker(option, warn)
    wanted_untracked = untracked or "untracked" in filters.statuses
    rows = tracked_rows(tracker, reports, scope, as_at, wanted_untracked)
    rows = [row for row in rows if filters.keeps(row)]
    said = unplaced(tracker, Index.of(reports)).messages()
    changed = [row.key for row in rows if row.text_changed]
    if changed:
        shown = ", ".join(changed[:3]) + (" …" if len(changed) > 3 else "")
        said.append(
            f"{len(changed)} tracked findings' words have changed since they were tracked "
            f"(text_changed): {shown}"
        )
    return rows, said


def entry_log(option: str | None, reports: Sequence[Report], key: str) -> list[LogLine]:
    """An entry's history, oldest first: by its key, or by an ID the loaded reports place."""
    from peelcli.tracking.keys import Index
    from peelcli.tracking.listing import history

    tracker = open_tracker(option)
    if key.strip() in tracker.entries or key.strip() in tracker.responses:
        return history(tracker, key.strip())
    found = Index.of(reports).resolve(key)
    lines = history(tracker, found)
    if not lines:
        raise PeelError(
            f"{found} is not tracked", hint=f"Track it with: peel track set {key} -m TEXT"
        )
    return lines


def committee_paper(
    option: str | None,
    reports: Sequence[Report],
    scope: Scope,
    as_at: datetime.date,
    since: datetime.date | None,
) -> Paper:
    """The paper an audit committee reads."""
    from peelcli.tracking.listing import paper, tracked_rows

    tracker = open_tracker(option)
    chosen = scope.reports(reports)
    rows = tracked_rows(tracker, chosen, scope, as_at)
    return paper(tracker, chosen, rows, as_at, since)


def report_responses(
    option: str | None, reports: Sequence[Report], as_at: datetime.date, warn: Warn | None = None
) -> list[ResponseState]:
    """Each loaded report's response due date, and which are late; the responses the tracker
    holds for reports not loaded are kept, and counted in a warning."""
    from peelcli.tracking.keys import report_key
    from peelcli.tracking.listing import responses
    from peelcli.tracking.model import Tracker

    path, _ = store.locate(option)
    tracker = store.load(path) if path is not None else Tracker()
    loaded = {report_key(report) for report in reports}
    away = sum(1 for key in tracker.responses if key not in loaded)
    if away and warn is not None:
        said = "1 response" if away == 1 else f"{away} responses"
        warn(f"{said} for {'a report' if away == 1 else 'reports'} not loaded")
    return responses(tracker, reports, as_at)


def record_response(
    option: str | None,
    reports: Sequence[Report],
    report: str | None,
    published: str | None,
    url: str | None,
    comment: str,
    by: str | None,
) -> list[LogLine]:
    """When and where a report's response was published, into the tracker."""
    from peelcli.tracking.changes import apply_response, author, now_stamp
    from peelcli.tracking.keys import report_key
    from peelcli.tracking.listing import LogLine

    path = tracker_path(option)
    keys = [report_key(r) for r in reports]
    if report is None:
        if len(keys) != 1:
            raise PeelError(
                f"{len(keys)} reports are loaded: name one, such as {keys[0] if keys else '…'}"
            )
        key = keys[0]
    else:
        key = report.strip().lower()
        if key not in keys:
            import difflib

            close = difflib.get_close_matches(key, keys, n=3, cutoff=0.5)
            nearest = f"; nearest: {', '.join(close)}" if close else ""
            raise PeelError(f"no loaded report has the key {report!r}{nearest}")
    if published is None and url is None:
        raise PeelError(
            "say when (--published DATE) or where (--url URL) the response was published"
        )
    day = date_option(published, "--published")
    who, at = author(by), now_stamp()
    change, number = store.update(
        path, lambda tracker: apply_response(tracker, key, day, url, comment, who, at)
    )
    return [LogLine(key, number, change)]


def import_spreadsheet(
    option: str | None,
    reports: Sequence[Report],
    file: str,
    mapping: Sequence[str],
    comment: str | None,
    by: str | None,
    dry_run: bool,
    shown: Callable[[str], str] | None = None,
) -> tuple[list[ImportLine], list[str]]:
    """A spreadsheet's rows made changes to the tracker (none with dry_run); the changes and
    the rows that match no finding, and the columns left unread. shown: how peel writes text
    into a spreadsheet, so that a cell as peel wrote it is no change."""
    from peelcli.tracking import spreadsheet
    from peelcli.tracking.changes import author, now_stamp
    from peelcli.tracking.keys import Index

    path = tracker_path(option)
    headers, rows = spreadsheet.read_rows(file)
    spreadsheet.column_map(headers, mapping)  # refuse a bad --map before taking the lock
    index = Index.of(reports)
    note = comment or f"imported from {spreadsheet.import_path(file)}"
    who, at = author(by), now_stamp()
    result = store.update(
        path,
        lambda tracker: spreadsheet.plan(
            tracker, index, headers, rows, mapping, note, who, at, shown
        ),
        dry_run=dry_run,
    )
    return result.lines, result.unused_columns


def day_option(text: str | None, option: str) -> datetime.date | None:
    """A date option as a date; relative dates count from today."""
    from peelcli.tracking.dates import parse_date, today

    return None if text is None else parse_date(text, today(), option)


def filters(
    statuses: Sequence[str] | None,
    rags: Sequence[str] | None,
    owners: Sequence[str] | None,
    overdue: bool,
    due_within: str | None,
    as_at: str | None,
) -> Filters:
    """`peel track list`'s filters, each value checked."""
    from peelcli.tracking.dates import shift
    from peelcli.tracking.listing import Filters
    from peelcli.tracking.model import UNTRACKED, Rag, Status

    try:
        wanted = tuple(
            UNTRACKED if s.strip().casefold() == UNTRACKED else Status.parse(s).value
            for s in statuses or ()
        )
        ratings = tuple(Rag.parse(r) for r in rags or ())
    except ValueError as exc:
        raise PeelError(str(exc)) from None
    due_by = shift(as_at_day(as_at), due_within, "--due-within") if due_within else None
    return Filters(wanted, ratings, tuple(owners or ()), overdue, due_by)


def list_hints(chosen: Filters, scope: Scope) -> list[str]:
    """What might find something when `track list` finds nothing."""
    narrowed = chosen.statuses or chosen.rags or chosen.owners or chosen.overdue
    if not (narrowed or chosen.due_by or scope.kinds or scope.forces or scope.years):
        return ["Nothing is tracked in these reports yet: peel track set ID -m TEXT tracks one."]
    return ["Fewer filters find more; --all lists untracked findings too."]


class Lookup:
    """Each finding's tracked state as at a day, for findings, search and show."""

    def __init__(self, tracker: Tracker, as_at: datetime.date) -> None:
        self.tracker = tracker
        self.as_at = as_at
        self._prefixes: dict[int, str] = {}

    def __call__(self, row: FindingRow) -> TrackedRow:
        from peelcli.tracking.keys import report_key
        from peelcli.tracking.listing import state

        prefix = self._prefixes.get(id(row.report))
        if prefix is None:
            prefix = self._prefixes[id(row.report)] = report_key(row.report)
        key = f"{prefix}/{row.id}"
        return state(key, row, self.tracker.entries.get(key), self.as_at)


def lookup(
    option: str | None,
    statuses: Sequence[str] | None,
    rags: Sequence[str] | None,
    as_at: str | None = None,
    warn: Warn | None = None,
) -> tuple[Lookup | None, Filters | None]:
    """The tracker in use as a lookup (None without one), and --status and --rag as filters; a
    filter without a tracker is an error that says where peel looked."""
    path, _ = store.locate(option)
    if path is None and not statuses and not rags:
        return None, None
    chosen = filters(statuses, rags, None, False, None, None)
    if path is None:
        if chosen.statuses or chosen.rags:
            tracker_path(option)  # the error saying where peel looked
        return None, chosen
    return Lookup(store.load(path, warn), as_at_day(as_at)), chosen


def keep(rows: Sequence[R], found: Lookup | None, chosen: Filters | None) -> list[R]:
    """The rows (findings, or search hits) whose tracked state passes --status and --rag."""
    if found is None or chosen is None or not (chosen.statuses or chosen.rags):
        return list(rows)
    kept = []
    for row in rows:
        finding = getattr(row, "row", row)
        if isinstance(finding, FindingRow) and chosen.keeps(found(finding)):
            kept.append(row)
    return kept
