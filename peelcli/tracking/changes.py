"""What `peel track set`, `response` and `import` do to a tracker: changes checked before the
lock is taken, made under it, and each written into the history with who made it and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from peelcli.errors import PeelError
from peelcli.tracking.keys import Index, fingerprint
from peelcli.tracking.model import Change, Entry, RegisterStatus, Response, Status, Tracker


def author(given: str | None) -> str:
    """Who makes a change: --by, else git's user.name, else the login name."""
    if given and given.strip():
        return given.strip()
    import subprocess

    try:
        found = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    if found:
        return found
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name to be had (a container's unnamed user)
        return "unknown"


@dataclass
class Edit:
    """The changes one `peel track set` asks for; None leaves a field as it is."""

    comment: str
    by: str
    at: str
    status: Status | None = None
    register_status: RegisterStatus | None = None
    owner: str | None = None
    due: str | None = None
    reason: str | None = None
    evidence: str | None = None

    def check(self) -> None:
        """Refuse what cannot be done, before anything is read or locked."""
        if not self.comment.strip():
            raise PeelError("-m: say why, in a word or more; the history keeps it")
        if self.reason is not None and self.due is None:
            raise PeelError("--reason goes with --due: it says why a due date was revised")


class Made(NamedTuple):
    """A change made to an entry (or, with a dry run, that would be)."""

    key: str
    change: Change
    number: int  # its place in the entry's history, from 1
    new: bool  # the entry was made by it
    text_changed: bool  # the finding's words differ from those first tracked


def apply_edit(tracker: Tracker, index: Index, keys: Sequence[str], edit: Edit) -> list[Made]:
    """Each key's entry changed as edit says, each change added to its history."""
    made = []
    for key in keys:
        row = index.rows[key]
        entry = tracker.entries.get(key)
        new = entry is None
        if entry is None:
            entry = Entry(fingerprint=fingerprint(row.text))
        changes: dict[str, str | None] = {}
        if new:
            changes["status"] = entry.status.value
        if edit.status is not None and (new or entry.status is not edit.status):
            entry.status = edit.status
            changes["status"] = edit.status.value
        if edit.register_status is not None and entry.register_status is not edit.register_status:
            entry.register_status = edit.register_status
            changes["register_status"] = edit.register_status.value
        if edit.owner is not None and entry.owner != (edit.owner or None):
            entry.owner = edit.owner or None
            changes["owner"] = entry.owner
        if edit.due is not None:
            # The report's own deadline stands until the tracker sets a date of its own; from
            # then on, a new date is a revision, with its reason.
            current = entry.revised_due or entry.due
            if current is None:
                entry.due = edit.due
                changes["due"] = edit.due
            elif edit.due != current:
                if not edit.reason:
                    raise PeelError(
                        f"{key} is due on {current} already; a revised date needs --reason",
                        hint="Say why with --reason TEXT; the history keeps both dates.",
                    )
                entry.revised_due = edit.due
                entry.reason = edit.reason
                changes["revised_due"] = edit.due
                changes["reason"] = edit.reason
        if edit.evidence:
            entry.evidence.append(edit.evidence)
            changes["evidence"] = edit.evidence
        change = Change(at=edit.at, by=edit.by, comment=edit.comment, changes=changes)
        entry.history.append(change)
        tracker.entries[key] = entry
        made.append(
            Made(key, change, len(entry.history), new, entry.fingerprint != fingerprint(row.text))
        )
    return made


def apply_response(
    tracker: Tracker,
    key: str,
    published: str | None,
    url: str | None,
    comment: str,
    by: str,
    at: str,
) -> tuple[Change, int]:
    """Record when and where a report's response was published; the change and its place in
    the response's history."""
    response = tracker.responses.get(key) or Response()
    changes: dict[str, str | None] = {}
    if published is not None and published != response.published:
        response.published = published
        changes["published"] = published
    if url is not None and url != response.url:
        response.url = url
        changes["url"] = url
    change = Change(at=at, by=by, comment=comment, changes=changes)
    response.history.append(change)
    tracker.responses[key] = response
    return change, len(response.history)


def now_stamp() -> str:
    """The time of a change as the history writes it."""
    from peelcli.tracking.dates import now, stamp

    return stamp(now())


# --- import from a spreadsheet --------------------------------------------------------

# The fields a spreadsheet may set, and the other columns peel's own CSV writes (read, not set).
IMPORTED = ("status", "register_status", "owner", "due", "revised_due", "reason", "evidence")
IDENTIFYING = ("key", "force", "year", "id")
EXTRA = ("comment",)
SHOWN = ("kind", "text", "rag", "days_overdue", "text_changed", "question_id", "last_change")


class ImportLine(NamedTuple):
    """A change one row of a spreadsheet makes, or why the row matches no finding."""

    row: int  # the spreadsheet's row number, its header being row 1
    key: str
    field: str | None
    old: str | None
    new: str | None
    problem: str | None = None


@dataclass
class Plan:
    """What an import will do: the changes row by row, the rows that match nothing, and the
    columns left unread."""

    lines: list[ImportLine] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)

    @property
    def unmatched(self) -> list[ImportLine]:
        return [line for line in self.lines if line.problem is not None]
