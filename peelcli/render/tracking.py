"""The track commands' views: records (the JSON, CSV and Markdown fields, a public contract)
and the layouts for people, which load rich only when drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from peelcli.env import Environment
from peelcli.query import FindingRow
from peelcli.render.output import View

if TYPE_CHECKING:
    from peelcli.tracking.changes import ImportLine
    from peelcli.tracking.listing import LogLine, Paper, TrackedRow
    from peelcli.tracking.status import ResponseState

TRACK_COLUMNS = (
    "key",
    "force",
    "year",
    "id",
    "kind",
    "status",
    "register_status",
    "rag",
    "owner",
    "due",
    "revised_due",
    "reason",
    "days_overdue",
    "evidence",
    "text",
    "text_changed",
    "last_change",
)
LOG_COLUMNS = ("key", "number", "at", "by", "comment", "changes")
RESPONSE_COLUMNS = (
    "key",
    "force",
    "year",
    "published",
    "response_due",
    "responded",
    "url",
    "state",
    "days_late",
)
IMPORT_COLUMNS = ("row", "key", "field", "old", "new", "problem")
PAPER_COLUMNS = ("section", *TRACK_COLUMNS, "closed_on")
# A finding's tracked fields, as findings, search and show add them.
Tracked = Callable[[FindingRow], dict[str, Any]]


def track_record(row: TrackedRow) -> dict[str, Any]:
    """A tracked finding: its key and place, statuses, RAG, owner, dates and words."""
    entry = row.entry
    finding = row.row
    return {
        "key": row.key,
        "force": finding.report.force,
        "year": finding.report.year,
        "id": finding.id,
        "kind": finding.kind.value,
        "status": row.status,
        "register_status": entry.register_status.value if entry and entry.register_status else None,
        "rag": row.rag.value,
        "owner": entry.owner if entry else None,
        "due": (entry.due if entry else None) or _report_due(row),
        "revised_due": entry.revised_due if entry else None,
        "reason": entry.reason if entry else None,
        "days_overdue": row.days_overdue,
        "evidence": list(entry.evidence) if entry else [],
        "text": finding.text,
        "text_changed": row.text_changed,
        "last_change": entry.history[-1].at if entry and entry.history else None,
    }


def _report_due(row: TrackedRow) -> str | None:
    from peelcli.tracking.facts import deadline

    return deadline(row.row.finding)


def tracked(rows: Sequence[TrackedRow]) -> View[TrackedRow]:
    """`peel track list`: a row per tracked finding."""

    def table(env: Environment, rows: Sequence[TrackedRow]) -> None:
        from peelcli.render.tracking_terminal import render_tracked

        render_tracked(env, rows)

    return View(rows, track_record, TRACK_COLUMNS, table)


def log_record(line: LogLine) -> dict[str, Any]:
    """One change: when, by whom, why, and the fields it set."""
    change = line.change
    return {
        "key": line.key,
        "number": line.number,
        "at": change.at,
        "by": change.by,
        "comment": change.comment,
        "changes": dict(change.changes),
    }


def log(lines: Sequence[LogLine]) -> View[LogLine]:
    """`peel track log` and what `set` and `response` changed: changes, oldest first."""

    def table(env: Environment, rows: Sequence[LogLine]) -> None:
        from peelcli.render.tracking_terminal import render_log

        render_log(env, rows)

    return View(lines, log_record, LOG_COLUMNS, table)


def response_record(state: ResponseState) -> dict[str, Any]:
    """A report's 56-day response: when due, when published, and whether late."""
    return {
        "key": state.key,
        "force": state.report.force,
        "year": state.report.year,
        "published": state.published,
        "response_due": state.due,
        "responded": state.responded,
        "url": state.url,
        "state": state.state,
        "days_late": state.days_late,
    }


def responses(states: Sequence[ResponseState]) -> View[ResponseState]:
    """`peel track responses`: each report's response due date, and which are late."""

    def table(env: Environment, rows: Sequence[ResponseState]) -> None:
        from peelcli.render.tracking_terminal import render_responses

        render_responses(env, rows)

    return View(states, response_record, RESPONSE_COLUMNS, table)


def import_record(line: ImportLine) -> dict[str, Any]:
    """A change a spreadsheet's row makes, or why the row matches no finding."""
    return {
        "row": line.row,
        "key": line.key,
        "field": line.field,
        "old": line.old,
        "new": line.new,
        "problem": line.problem,
    }


def imported(lines: Sequence[ImportLine]) -> View[ImportLine]:
    """`peel track import`: the changes, row by row, and the rows that match nothing."""

    def table(env: Environment, rows: Sequence[ImportLine]) -> None:
        from peelcli.render.tracking_terminal import render_import

        render_import(env, rows)

    return View(lines, import_record, IMPORT_COLUMNS, table)


def paper_document(paper: Paper) -> dict[str, Any]:
    """`peel track report` as one JSON document."""
    from peelcli.tracking.model import UNTRACKED

    return {
        "as_at": paper.as_at.isoformat(),
        "since": paper.since.isoformat() if paper.since else None,
        "reports": [
            {
                "key": c.key,
                "force": c.report.force,
                "year": c.report.year,
                "statuses": {k: v for k, v in c.statuses.items() if k != UNTRACKED or v},
                "rags": c.rags,
            }
            for c in paper.counts
        ],
        "overdue": [track_record(r) for r in paper.overdue],
        "closed": [{**track_record(r), "closed_on": day} for r, day in paper.closed],
        "responses": [response_record(s) for s in paper.responses],
        "entries_not_loaded": paper.unplaced.not_loaded,
        "entries_not_found": list(paper.unplaced.missing),
    }


def paper_rows(paper: Paper) -> list[dict[str, Any]]:
    """`peel track report` as flat rows for CSV and JSON lines: overdue, then closed items."""
    rows = [{"section": "overdue", **track_record(r), "closed_on": None} for r in paper.overdue]
    rows += [{"section": "closed", **track_record(r), "closed_on": day} for r, day in paper.closed]
    return rows


def paper_view(paper: Paper) -> View[dict[str, Any]]:
    """`peel track report`: the paper an audit committee reads."""

    def table(env: Environment, rows: Sequence[dict[str, Any]]) -> None:
        from peelcli.render.tracking_terminal import render_paper

        render_paper(env, paper)

    def document(flat: list[dict[str, Any]]) -> dict[str, Any]:
        return paper_document(paper)

    def briefing(rows: Sequence[dict[str, Any]]) -> str:
        from peelcli.render.tracking_paper import paper_markdown

        return paper_markdown(paper)

    return View(paper_rows(paper), _same, PAPER_COLUMNS, table, document, briefing)


def _same(row: dict[str, Any]) -> dict[str, Any]:
    return row


def finding_fields(found: Callable[[FindingRow], TrackedRow] | None) -> Tracked | None:
    """What findings, search and show add to a finding when a tracker is in use."""
    if found is None:
        return None

    def fields(row: FindingRow) -> dict[str, Any]:
        state = found(row)
        entry = state.entry
        return {
            "key": state.key,
            "status": state.status,
            "rag": state.rag.value,
            "owner": entry.owner if entry else None,
            "tracked_due": state.due,
        }

    return fields
