"""The options of the `peel track` commands, declared once: what a change says (its message,
its author, the fields it sets), the filters of `track list`, and those of import and
response. The options every command shares are in `peelcli.cli.options`."""

# No `from __future__ import annotations`: typer reads these annotations on every run.
from typing import Annotated

import typer

# --- what a change says ----------------------------------------------------------------

KeysArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="KEY...",
        help="Findings: IDs such as E3.R4 where one report holds them, or keys such as "
        "metropolitan-police-service/2016/E3.R4; - reads them from stdin, a line each or "
        "the JSON that findings and search write.",
        show_default=False,
    ),
]
MessageOption = Annotated[
    str,
    typer.Option("--message", "-m", metavar="TEXT", help="Why: the history keeps it."),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="NAME",
        help="Who makes the change. Default: git's user.name, else the login name.",
        show_default=False,
    ),
]
SetStatusOption = Annotated[
    str | None,
    typer.Option(
        "--status",
        "-s",
        metavar="STATUS",
        help="'awaiting allocation', 'in progress', 'pending sign-off' or 'closed'.",
        show_default=False,
    ),
]
RegisterStatusOption = Annotated[
    str | None,
    typer.Option(
        "--register-status",
        metavar="STATUS",
        help="The inspectorate register's: 'awaiting review', 'being progressed', "
        "'complete' or 'no further action needed'.",
        show_default=False,
    ),
]
OwnerOption = Annotated[
    str | None, typer.Option("--owner", metavar="NAME", help="Who answers for it.")
]
DueOption = Annotated[
    str | None,
    typer.Option(
        "--due",
        metavar="DATE",
        help="Due date: 2027-03-31, or from today: 30d, 6w, 3m, 1y. Once it has one "
        "(from the report or the tracker), a new date is a revision and needs --reason.",
        show_default=False,
    ),
]
ReasonOption = Annotated[
    str | None,
    typer.Option("--reason", metavar="TEXT", help="Why the due date was revised."),
]
EvidenceOption = Annotated[
    str | None,
    typer.Option("--evidence", metavar="TEXT", help="A link or note to add as evidence."),
]

# --- track list's filters --------------------------------------------------------------

ListStatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        "-s",
        metavar="STATUS",
        help="Only this status (repeatable); 'untracked' lists findings with no entry.",
    ),
]
ListRagOption = Annotated[
    list[str] | None,
    typer.Option("--rag", metavar="RAG", help="Only red, amber, green or closed (repeatable)."),
]
OwnerFilterOption = Annotated[
    list[str] | None,
    typer.Option("--owner", metavar="NAME", help="Only owners whose name contains NAME."),
]
OverdueOption = Annotated[bool, typer.Option("--overdue", help="Only items past their due date.")]
DueWithinOption = Annotated[
    str | None,
    typer.Option(
        "--due-within", metavar="SPAN", help="Only open items due within SPAN, such as 30d."
    ),
]
AllOption = Annotated[
    bool, typer.Option("--all", help="Every finding of the loaded reports, untracked too.")
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", metavar="DATE", help="List items closed on or after DATE. Default: all."
    ),
]

# --- track response and track import ---------------------------------------------------

ReportArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[REPORT]",
        help="The report's key, such as metropolitan-police-service/2016. Default: the one "
        "report loaded.",
        show_default=False,
    ),
]
PublishedOption = Annotated[
    str | None,
    typer.Option("--published", metavar="DATE", help="When the response was published."),
]
UrlOption = Annotated[
    str | None, typer.Option("--url", metavar="URL", help="Where it was published.")
]
NoteOption = Annotated[
    str, typer.Option("--message", "-m", metavar="TEXT", help="A note for the history.")
]
SpreadsheetArgument = Annotated[
    str, typer.Argument(metavar="FILE", help="A CSV file with a header row; - reads stdin.")
]
MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="COLUMN=FIELD",
        help="Read a column as a field: key, id, force, year, status, register_status, "
        "owner, due, revised_due, reason, evidence or comment (repeatable).",
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Show what would change; change nothing.")
]
ImportMessageOption = Annotated[
    str | None,
    typer.Option(
        "--message",
        "-m",
        metavar="TEXT",
        help="The history's note for each change. Default: a row's comment column, else "
        "'imported from FILE'.",
        show_default=False,
    ),
]
