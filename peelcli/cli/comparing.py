"""Comparing reports: compare (a force over time, forces side by side) and similar."""

# No `from __future__ import annotations`: typer reads these annotations on every run.
from typing import Annotated

import typer

from peelcli.cli.base import PeelCommand, app
from peelcli.cli.options import Data, Output, QuestionOption, data_options, output_options

ThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        "-t",
        min=0,
        max=100,
        metavar="SCORE",
        help="How alike two findings must be, from 0 to 100, to count as saying the same. "
        "Default: 70.",
        show_default=False,
    ),
]


@app.command(cls=PeelCommand)
@output_options
@data_options
def compare(
    data: Data,
    out: Output,
    question: QuestionOption = None,
    threshold: ThresholdOption = None,
) -> int:
    """Compare reports: one force over time (--force), or forces side by side (--year).

    Over time: each question's or area's grade in each report, oldest first, with the
    change (up, down, same, carried over, not stated), then the findings of each report
    against the one before: recurring (with both IDs and a similarity score), new, and no
    longer listed. Side by side: the forces at each grade for each question or area, and
    each force's counts of findings.

    Examples:

    \b
      peel compare --force exampleshire --data docs/examples/
      peel compare --year 2023 --data docs/examples/
      peel compare --year 2023 --json --data reports/ | jq '.units[].grades[]'
      peel compare --force kent --format csv --data reports/ > kent.csv
    """
    from peelcli import api
    from peelcli.across_reports import ForceHistory
    from peelcli.render import views

    scope = data.scope(question=question)
    reports, _ = data.chosen(scope)
    found = api.compare(reports, scope, threshold)
    if isinstance(found, ForceHistory):
        return out.write(views.history(found))
    return out.write(views.side_by_side(found))


@app.command(cls=PeelCommand)
@output_options
@data_options
def similar(
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="A finding's ID, such as E3.R2 or A1.C1.")
    ],
    data: Data,
    out: Output,
    threshold: ThresholdOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many findings.")
    ] = 10,
) -> int:
    """Findings in other reports that say nearly what one finding says, best first.

    --force and --year choose the report the ID is in; every other loaded report is
    searched. Searching by example finds a theme across forces.

    Examples:

    \b
      peel similar A2.A1 --force exampleshire --year 2023 --data docs/examples/
      peel similar E1.A1 --force kent --year 2016 --threshold 60 --json --data reports/
    """
    from peelcli import api
    from peelcli.errors import NothingMatched
    from peelcli.render import views

    reports, _ = data.load()
    found = api.similar(reports, data.scope(), ident, threshold, limit)
    view = views.similar(found.target, found.neighbours, found.threshold)

    def nothing() -> Exception:
        if len(reports) < 2:  # nothing to compare with: a lower threshold finds nothing either
            return NothingMatched(
                f"no other report is loaded to compare {found.target.id} with",
                ["Load more reports with --data, such as a directory of them."],
            )
        return NothingMatched(
            f"no finding in another report scores {found.threshold:g} or more against "
            f"{found.target.id}",
            ["A lower --threshold finds findings less alike."],
        )

    return out.rows(view, nothing)
