"""Tracking: `peel track` and its commands, over a tracker file kept beside the reports."""

# No `from __future__ import annotations`: typer reads these annotations on every run.
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from peelcli.cli.base import PeelCommand, app, options_after_command
from peelcli.cli.options import (
    AsAtOption,
    Data,
    KindOption,
    Output,
    TrackerOption,
    _env,
    data_options,
    output_options,
)
from peelcli.cli.tracking_options import (
    AllOption,
    ByOption,
    DryRunOption,
    DueOption,
    DueWithinOption,
    EvidenceOption,
    ImportMessageOption,
    KeysArgument,
    ListRagOption,
    ListStatusOption,
    MapOption,
    MessageOption,
    NoteOption,
    OverdueOption,
    OwnerFilterOption,
    OwnerOption,
    PublishedOption,
    ReasonOption,
    RegisterStatusOption,
    ReportArgument,
    SetStatusOption,
    SinceOption,
    SpreadsheetArgument,
    UrlOption,
)
from peelcli.errors import NothingMatched


class TrackGroup(TyperGroup):
    """`peel track`: list when no command is named (`peel track --overdue` lists), and the
    options every command shares taken before the command as after it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not {"-h", "--help"} & set(args) and not set(args) & set(self.commands):
            args = ["list", *args]
        return super().parse_args(ctx, options_after_command(args))

    def get_short_help_str(self, limit: int = 45) -> str:
        return " ".join((self.help or "").split("\n\n")[0].split())


track = typer.Typer(
    name="track",
    cls=TrackGroup,
    help="""Track each finding to closure: status, owner, due dates, RAG and history.

The tracker is a YAML file kept apart from the reports: --tracker PATH, else
$PEEL_TRACKER, else peel-tracker.yaml in the current directory. Without a command,
lists the tracked findings.

Examples:

\b
  peel track init
  peel track set E3.R4 --owner "DCI Khan" --due 2017-09-30 -m "allocated"
  peel track list --overdue
  peel track log E3.R4
  peel track report --since 2017-06-01 --format markdown > paper.md""",
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    no_args_is_help=False,
)
app.add_typer(track)


@track.command(name="set", cls=PeelCommand)
@output_options
@data_options
def set_(
    keys: KeysArgument,
    message: MessageOption,
    data: Data,
    out: Output,
    status: SetStatusOption = None,
    register_status: RegisterStatusOption = None,
    owner: OwnerOption = None,
    due: DueOption = None,
    reason: ReasonOption = None,
    evidence: EvidenceOption = None,
    by: ByOption = None,
    tracker: TrackerOption = None,
) -> int:
    """Change tracked findings: status, owner, due date, evidence; each change kept with who
    made it and why.

    A key that matches no loaded finding is refused with the nearest, and then nothing is
    written.

    Examples:

    \b
      peel track set E3.R4 --owner "DCI Khan" --due 2017-09-30 -m "allocated"
      peel track set E3.R4 --status closed --evidence https://example.org/audit -m "done"
      peel search DASH --format jsonl | peel track set - --owner "DCI Khan" -m allocated
    """
    import sys

    from peelcli.render.tracking import log
    from peelcli.tracking import operations

    reports, _ = data.chosen(data.scope(), caveat=False)
    request = operations.SetRequest(
        keys, message, by, status, register_status, owner, due, reason, evidence
    )
    made, warnings = operations.set_entries(tracker, reports, request, sys.stdin.read)
    for warning in warnings:
        out.warn(warning)
    return out.write(log(made))


@track.command(name="list", cls=PeelCommand)
@output_options
@data_options
def list_(
    data: Data,
    out: Output,
    status: ListStatusOption = None,
    rag: ListRagOption = None,
    owner: OwnerFilterOption = None,
    overdue: OverdueOption = False,
    due_within: DueWithinOption = None,
    all_: AllOption = False,
    kind: KindOption = None,
    as_at: AsAtOption = None,
    tracker: TrackerOption = None,
) -> int:
    """Tracked findings with their status, RAG, owner and due date (the default of `track`).

    RAG is derived: red when overdue, amber when due within 30 days or without an owner,
    green otherwise, closed apart.

    Examples:

    \b
      peel track list --overdue
      peel track list --rag red --rag amber --owner khan
      peel track list --as-at 2017-10-01 --due-within 30d
      peel track list --all --format csv > tracker.csv
    """
    from peelcli.render.tracking import tracked
    from peelcli.tracking import operations

    scope = data.scope(kind=kind)
    reports, why = data.load(scope, caveat=False)
    filters = operations.filters(status, rag, owner, overdue, due_within, as_at)
    rows, said = operations.list_entries(
        tracker, reports, scope, filters, operations.as_at_day(as_at), all_, out.warn
    )
    for message in said:
        out.warn(message)

    def nothing() -> Exception:
        hints = operations.list_hints(filters, scope)
        return why or NothingMatched("no tracked findings match", hints)

    return out.rows(tracked(rows), nothing)


@track.command(name="log", cls=PeelCommand)
@output_options
@data_options
def log_(
    key: Annotated[
        str, typer.Argument(metavar="KEY", help="A finding's ID or key, or a report's key.")
    ],
    data: Data,
    out: Output,
    tracker: TrackerOption = None,
) -> int:
    """A tracked finding's history, oldest first: when, who, what changed and why.

    Examples:

    \b
      peel track log E3.R4
      peel track log metropolitan-police-service/2016/E3.R4 --json
    """
    from peelcli.render.tracking import log
    from peelcli.tracking import operations

    reports, _ = data.load(data.scope(), caveat=False)
    return out.write(log(operations.entry_log(tracker, reports, key)))


@track.command(name="report", cls=PeelCommand)
@output_options
@data_options
def report_(
    data: Data,
    out: Output,
    since: SinceOption = None,
    as_at: AsAtOption = None,
    tracker: TrackerOption = None,
) -> int:
    """The paper an audit committee reads: counts by status and RAG for each report, overdue
    items first with their owners, items closed since a date, responses due or late.

    Examples:

    \b
      peel track report --as-at 2017-10-01
      peel track report --since 2017-06-01 --format markdown > paper.md
    """
    from peelcli.render.tracking import paper_view
    from peelcli.tracking import operations

    scope = data.scope()
    reports, _ = data.chosen(scope, caveat=False)
    day = operations.as_at_day(as_at)
    since_day = operations.day_option(since, "--since")
    paper = operations.committee_paper(tracker, reports, scope, day, since_day)
    for message in paper.unplaced.messages():
        out.warn(message)
    return out.write(paper_view(paper))


@track.command(name="responses", cls=PeelCommand)
@output_options
@data_options
def responses_(
    data: Data,
    out: Output,
    as_at: AsAtOption = None,
    tracker: TrackerOption = None,
) -> int:
    """Each loaded report's response: published, due 56 days later, and which are late.

    The police and crime commissioner publishes comments on a report, with the chief
    constable's, within 56 days of its publication (Police Act 1996 s.55).

    Examples:

    \b
      peel track responses
      peel track responses --as-at 2017-05-01 --json
    """
    from peelcli.render.tracking import responses
    from peelcli.tracking import operations

    reports, _ = data.chosen(data.scope(), caveat=False)
    states = operations.report_responses(tracker, reports, operations.as_at_day(as_at), out.warn)
    return out.write(responses(states))


@track.command(name="response", cls=PeelCommand)
@output_options
@data_options
def response_(
    data: Data,
    out: Output,
    report: ReportArgument = None,
    published: PublishedOption = None,
    url: UrlOption = None,
    message: NoteOption = "response published",
    by: ByOption = None,
    tracker: TrackerOption = None,
) -> int:
    """Record when and where a report's response was published.

    Examples:

    \b
      peel track response --published 2017-04-20 --url https://example.org/response
      peel track response metropolitan-police-service/2016 --published 2017-04-20
    """
    from peelcli.render.tracking import log
    from peelcli.tracking import operations

    reports, _ = data.chosen(data.scope(), caveat=False)
    made = operations.record_response(tracker, reports, report, published, url, message, by)
    return out.write(log(made))


@track.command(name="import", cls=PeelCommand)
@output_options
@data_options
def import_(
    file: SpreadsheetArgument,
    data: Data,
    out: Output,
    mapping: MapOption = None,
    dry_run: DryRunOption = False,
    message: ImportMessageOption = None,
    by: ByOption = None,
    tracker: TrackerOption = None,
) -> int:
    """Bring an existing spreadsheet tracker in: what it changes, row by row, and the rows
    that match no finding, never dropped silently.

    Columns are matched by their header (key, id, force, year, status, owner, due, …, as
    `track list --format csv` writes them); IDs as `set` matches them.

    Examples:

    \b
      peel track import tracker.csv --dry-run
      peel track import actions.csv --map 'Rec ref=id' --map 'Lead officer=owner'
    """
    from peelcli.render.tracking import imported
    from peelcli.tracking import operations

    reports, _ = data.chosen(data.scope(), caveat=False)
    from peelcli.render.sanitize import clean

    lines, unused = operations.import_spreadsheet(
        tracker, reports, file, mapping or [], message, by, dry_run, clean
    )
    warn = out.warn
    if unused:
        warn("columns not read: " + ", ".join(unused))
    unmatched = [line for line in lines if line.problem is not None]
    if unmatched:
        warn(
            f"{len(unmatched)} rows match no finding; they are listed, and nothing was made of them"
        )
    if dry_run:
        warn("a dry run: nothing was changed")
    if not lines:
        from peelcli.render.messages import write_nothing

        write_nothing(out.env, "the spreadsheet and the tracker agree: nothing to change")
        if out.format.value == "table":
            return 0
    return out.write(imported(lines))


@track.command(name="init", cls=PeelCommand)
def init_(ctx: typer.Context, tracker: TrackerOption = None) -> int:
    """Make an empty tracker: at --tracker, else $PEEL_TRACKER, else peel-tracker.yaml here.

    Examples:

    \b
      peel track init
      peel track init --tracker committee/met-2016.yaml
    """
    from peelcli.render.sanitize import clean_line
    from peelcli.tracking import operations

    path = operations.init(tracker)
    _env(ctx).stderr.write(f"peel: made the tracker {clean_line(str(path))}\n")
    return 0
