"""Writing reports out: export to a SQLite database or an Excel workbook."""

# No `from __future__ import annotations`: typer reads these annotations on every run.
from typing import Annotated

import typer

from peelcli.cli.base import PeelCommand, app
from peelcli.cli.options import Data, data_options
from peelcli.errors import PeelError


@app.command(cls=PeelCommand)
@data_options
def export(
    data: Data,
    sqlite: Annotated[
        str | None,
        typer.Option(
            "--sqlite",
            metavar="FILE",
            help="Write a SQLite database, with FILE's name and .metadata.json for Datasette.",
            show_default=False,
        ),
    ] = None,
    xlsx: Annotated[
        str | None,
        typer.Option("--xlsx", metavar="FILE", help="Write an Excel workbook.", show_default=False),
    ] = None,
    tracker: Annotated[
        str | None,
        typer.Option(
            "--tracker",
            metavar="PATH",
            help="The tracker to export with the reports [default: $PEEL_TRACKER, else "
            "peel-tracker.yaml here, if there is one].",
            show_default=False,
        ),
    ] = None,
    as_at: Annotated[
        str | None,
        typer.Option(
            "--as-at",
            metavar="DATE",
            help="Reckon RAG ratings and lateness as at DATE [default: today].",
            show_default=False,
        ),
    ] = None,
) -> int:
    """Write the loaded reports to a SQLite database or an Excel workbook.

    A database has a table each for reports, pillars, questions and areas, and findings,
    keyed by peel's stable keys, with full-text search; open it with Datasette
    (pip install 'peelcli[datasette]'). A workbook has a sheet of grades and one of
    findings. With a tracker in use, both add every finding's tracking, which
    `peel track import` reads back from an edited workbook. FILE is replaced whole, or
    not at all.

    Examples:

    \b
      peel export --sqlite peel.db && datasette peel.db -m peel.metadata.json
      peel --data reports/ export --xlsx committee.xlsx
    """
    from peelcli.export import export_sqlite, export_workbook, tracking_in_use
    from peelcli.render.messages import write_done, write_warning

    if sqlite is None and xlsx is None:
        raise PeelError("name a file to write: --sqlite FILE or --xlsx FILE")
    reports, _ = data.chosen(data.scope(), caveat=False)
    tracking = tracking_in_use(tracker, as_at, lambda message: write_warning(data.env, message))
    for path, exporter in ((sqlite, export_sqlite), (xlsx, export_workbook)):
        if path is not None:
            done = exporter(path, reports, tracking)
            write_done(data.env, done.summary())
    for message in tracking.left_out(reports) if tracking is not None else ():
        write_warning(data.env, f"left out: {message} (kept in the tracker)")
    return 0
