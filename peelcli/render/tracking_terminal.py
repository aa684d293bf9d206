"""The track commands for people: tables that never cut a word, RAG in its colour and in words,
and every owner, comment and piece of evidence shown literally."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from peelcli.env import Environment
from peelcli.render.sanitize import clean_line
from peelcli.render.terminal import Column, _cell, _t, make_console, print_table, rag_label
from peelcli.tracking.changes import ImportLine
from peelcli.tracking.listing import LogLine, Paper, TrackedRow
from peelcli.tracking.status import ResponseState


def _due(row: TrackedRow) -> Text:
    text = Text(clean_line(row.due or "—"))
    if row.days_overdue is not None:
        text.append(f" ({row.days_overdue}d over)", style="bold red")
    return text


def render_tracked(env: Environment, rows: Sequence[TrackedRow]) -> None:
    """Tracked findings as a table: key (or ID), status, RAG, owner, due date, text."""
    console = make_console(env)
    several = len({id(r.row.report) for r in rows}) > 1
    columns = [
        Column("Key" if several else "ID"),
        Column("Status"),
        Column("RAG"),
        Column("Owner"),
        Column("Due"),
        Column("Text", comfortable=20),
    ]
    cells = []
    for row in rows:
        owner = row.entry.owner if row.entry else None
        text = _t(row.row.text)
        if row.text_changed:
            text = Text("(text changed since tracked) ", style="italic") + text
        cells.append(
            [
                _cell(row.key if several else row.row.id, "bold"),
                Text(row.status),
                rag_label(row.rag.value),
                _cell(owner or "—"),
                _due(row),
                text,
            ]
        )
    print_table(console, columns, cells, show_lines=True)


def _changes(line: LogLine) -> Text:
    parts = [
        f"{name}: {value if value is not None else '—'}"
        for name, value in line.change.changes.items()
    ]
    return _t("\n".join(parts))


def render_log(env: Environment, lines: Sequence[LogLine]) -> None:
    """An entry's history: when, who, what changed and why, oldest first."""
    console = make_console(env)
    several = len({line.key for line in lines}) > 1
    columns = [Column("Key")] if several else []
    columns += [
        Column("When"),
        Column("By"),
        Column("Changes", comfortable=16),
        Column("Comment", comfortable=16),
    ]
    cells = []
    for line in lines:
        row = [_cell(line.key, "bold")] if several else []
        row += [
            Text(clean_line(line.change.at.replace("T", " ").rstrip("Z"))),
            _cell(line.change.by),
            _changes(line),
            _t(line.change.comment),
        ]
        cells.append(row)
    if not several and lines:
        console.print(Text(clean_line(lines[0].key), style="bold"))
    print_table(console, columns, cells, show_lines=True)


def _state(state: ResponseState) -> Text:
    styles = {"late": "bold red", "due": "dark_orange", "responded": "green", "unknown": "dim"}
    text = Text(f"● {state.state}", style=styles.get(state.state, ""))
    if state.days_late:
        text.append(f" ({state.days_late}d)")
    return text


def render_responses(env: Environment, states: Sequence[ResponseState]) -> None:
    """Each report's response: published, due 56 days later, published or not, late or not."""
    console = make_console(env)
    columns = [
        Column("Report"),
        Column("Published"),
        Column("Response due"),
        Column("Responded"),
        Column("State"),
    ]
    cells = [
        [
            _cell(f"{s.report.force} {s.report.year}", "bold"),
            Text(clean_line(s.published or "not known")),
            Text(clean_line(s.due or "—")),
            _cell(s.responded or "—"),
            _state(s),
        ]
        for s in states
    ]
    print_table(console, columns, cells)


def render_import(env: Environment, lines: Sequence[ImportLine]) -> None:
    """What an import changes, row by row, and the rows that match no finding."""
    console = make_console(env)
    columns = [Column("Row", "right"), Column("Key"), Column("Field"), Column("From"), Column("To")]
    cells = []
    for line in lines:
        if line.problem is not None:
            cells.append(
                [
                    Text(str(line.row)),
                    _cell(line.key or "—"),
                    Text("no match", style="bold red"),
                    _t(line.problem),
                    Text(""),
                ]
            )
        else:
            cells.append(
                [
                    Text(str(line.row)),
                    _cell(line.key),
                    _cell(line.field or ""),
                    _t(line.old or "—"),
                    _t(line.new or "—"),
                ]
            )
    print_table(console, columns, cells)


def render_paper(env: Environment, paper: Paper) -> None:
    """The committee's paper on a terminal: counts, overdue items, closed items, responses."""
    from peelcli.render.tracking_paper import paper_sections

    console = make_console(env)
    for n, (title, columns, rows) in enumerate(paper_sections(paper)):
        if n:
            console.print()
        console.print(Text(title, style="bold"))
        if rows:
            print_table(
                console,
                [Column(c, comfortable=16 if c in ("Text", "Finding") else 0) for c in columns],
                [[_t(c) for c in row] for row in rows],
            )
        else:
            console.print(Text("none", style="dim"))
