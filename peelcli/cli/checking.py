"""Checking datasets: validate report files, and the schema they follow."""

# No `from __future__ import annotations`: typer reads these annotations on every run.
from typing import Annotated

import typer

from peelcli.cli.base import PeelCommand, app
from peelcli.cli.options import DataOption, Output, TrackerOption, output_options
from peelcli.errors import PeelError


@app.command(cls=PeelCommand)
@output_options
def validate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...", help="Report files or directories. Default: as --data."
        ),
    ] = None,
    data: DataOption = None,
    tracker: TrackerOption = None,
    *,
    out: Output,
) -> int:
    """Check report files against the dataset format, and the tracker in use (or a tracker
    given as a PATH) against its own, listing every problem.

    Examples:

    \b
      peel validate data/metropolitan_2016.yaml
      peel validate reports/
      peel validate reports/ --json | jq -r '.problems[].message'
      peel validate --tracker committee/tracker.yaml
    """
    from peelcli import api
    from peelcli.render import views
    from peelcli.render.messages import write_error
    from peelcli.tracking.store import locate

    in_use, _ = locate(tracker)
    trackers = [str(in_use)] if in_use is not None else []
    found = api.validate([*(paths or ()), *(data or ())] or None, trackers)
    for problem in found.problems:
        write_error(out.env, str(problem))
    out.write(views.validation(found))
    if found.problems:
        texts = found.texts  # a report's text given where its dataset belongs
        hint = None
        if texts:
            hint = f"Is {texts[0]} a report's text? Make a dataset of it: peel import {texts[0]}"
        raise PeelError(
            f"{len(found.problems)} problem(s) in {found.bad_files} of {found.count} file(s)",
            hint=hint,
        )
    return 0


@app.command(cls=PeelCommand)
@output_options
def schema(
    out: Output,
    tracker: Annotated[
        bool, typer.Option("--tracker", help="The tracker file's schema instead.")
    ] = False,
) -> int:
    """Print the JSON Schema of the dataset format, or of the tracker file.

    Examples:

    \b
      peel schema > peel-report.schema.json
      peel schema --tracker > peel-tracker.schema.json
    """
    from peelcli import api
    from peelcli.render import views
    from peelcli.render.output import Format

    if out.format not in (Format.table, Format.json):
        raise PeelError(f"the schema is JSON; --format {out.format.value} cannot show it")
    return out.write(views.document(api.schema(tracker)))
