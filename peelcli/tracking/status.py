"""What the tracker says on a given day: due dates, RAG, days overdue, responses due or late.
Pure functions of the tracker, the reports and the day asked about (--as-at)."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from peelcli.models import Report
from peelcli.tracking.dates import from_text
from peelcli.tracking.facts import published
from peelcli.tracking.model import Entry, Rag, RegisterStatus, Response, Status

AMBER_WITHIN = 30  # days: due this soon is amber
RESPONSE_DAYS = 56  # Police Act 1996 s.55(5A): comments published within 56 days


_FIELDS = ("status", "register_status", "owner", "due", "revised_due", "reason")


def as_it_was(entry: Entry, as_at: datetime.date) -> Entry:
    """The entry as it stood at the end of a day: the changes its history dates later are
    undone, so that a paper made again later for that day comes out the same. An entry first
    made after the day is shown as it was made, as nothing earlier is known of it."""
    day = as_at.isoformat()
    later = [c for c in entry.history[1:] if c.at[:10] > day]
    if not later:
        return entry
    earlier = [entry.history[0], *(c for c in entry.history[1:] if c.at[:10] <= day)]
    update: dict[str, object] = {"history": earlier}
    for name in _FIELDS:
        if not any(name in c.changes for c in later):
            continue  # as it is now, changed by no later change (or by hand)
        value = None
        for change in earlier:
            value = change.changes.get(name, value)
        try:
            if name == "status":
                update[name] = Status(value) if value else Status.AWAITING_ALLOCATION
            elif name == "register_status":
                update[name] = RegisterStatus(value) if value else None
            else:
                update[name] = value
        except ValueError:  # a history edited by hand: keep what the entry says now
            continue
    evidence = list(entry.evidence)
    for change in reversed(later):
        added = change.changes.get("evidence")
        if added:  # one item from set, or an import's items, a blank line apart
            import re

            items = [added] if added in evidence else re.split(r"\n\s*\n", added)
            for item in items:
                if item.strip() in evidence:
                    evidence.reverse()
                    evidence.remove(item.strip())
                    evidence.reverse()
    update["evidence"] = evidence
    return entry.model_copy(update=update)


def due_date(entry: Entry | None, deadline: str | None) -> str | None:
    """The date an item is due: its revised date, else the tracker's, else the report's."""
    if entry is not None:
        if entry.revised_due:
            return entry.revised_due
        if entry.due:
            return entry.due
    return deadline


def rag(entry: Entry | None, due: str | None, as_at: datetime.date) -> Rag:
    """Red when overdue; amber when due within 30 days or without an owner; green otherwise;
    closed apart."""
    if entry is not None and entry.status is Status.CLOSED:
        return Rag.CLOSED
    day = from_text(due)
    if day is not None and day < as_at:
        return Rag.RED
    if day is not None and (day - as_at).days <= AMBER_WITHIN:
        return Rag.AMBER
    if entry is None or not entry.owner:
        return Rag.AMBER
    return Rag.GREEN


def days_overdue(entry: Entry | None, due: str | None, as_at: datetime.date) -> int | None:
    """How many days past its due date an open item is; None when it is not overdue."""
    if entry is not None and entry.status is Status.CLOSED:
        return None
    day = from_text(due)
    if day is None or day >= as_at:
        return None
    return (as_at - day).days


def closed_on(entry: Entry) -> str | None:
    """The day the entry was last closed (YYYY-MM-DD), if it is closed."""
    if entry.status is not Status.CLOSED:
        return None
    for change in reversed(entry.history):
        if change.changes.get("status") == Status.CLOSED.value:
            return change.at[:10]
    return None


class ResponseState(NamedTuple):
    """A report's response: when it was due and whether it came, in time or late."""

    report: Report
    key: str
    published: str | None  # the report's publication
    due: str | None  # 56 days after
    responded: str | None  # when the response was published, by the day asked about
    url: str | None
    state: str  # 'responded', 'late', 'due', or 'unknown' where the report's date is not known
    days_late: int | None


def response_state(
    report: Report, key: str, response: Response | None, as_at: datetime.date
) -> ResponseState:
    """The 56-day response to a report as at a day."""
    when = published(report)
    start = from_text(when)
    responded = response.published if response is not None else None
    answered = from_text(responded)
    if answered is not None and answered > as_at:
        responded = None  # not yet, on the day asked about
    url = response.url if response is not None and responded else None
    if start is None:
        return ResponseState(report, key, when, None, responded, url, "unknown", None)
    due = start + datetime.timedelta(days=RESPONSE_DAYS)
    late_by = None
    if responded is not None:
        day = from_text(responded)
        assert day is not None
        state = "responded" if day <= due else "late"
        late_by = (day - due).days if day > due else None
    elif as_at > due:
        state, late_by = "late", (as_at - due).days
    else:
        state = "due"
    return ResponseState(report, key, when, due.isoformat(), responded, url, state, late_by)
