"""Reading a report: grades, questions, show, findings and search."""

# No `from __future__ import annotations`: typer reads these annotations on every run.
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from peelcli.cli.base import PeelCommand, app
from peelcli.cli.options import (
    AsAtOption,
    Data,
    GradeOption,
    KindOption,
    Output,
    QuestionOption,
    RagOption,
    TrackedStatusOption,
    TrackerOption,
    _complete_id,
    data_options,
    output_options,
)
from peelcli.errors import NothingMatched

if TYPE_CHECKING:
    from peelcli.query import Scope


def _no_rows(noun: str, scope: "Scope", why: NothingMatched | None) -> Callable[[], Exception]:
    """Why a listing is empty: the --force or --year that chose no report, else the filters."""

    def nothing() -> Exception:
        from peelcli.cli.wording import scope_filters

        if why is not None:
            return why
        filters = scope_filters(scope)
        return NothingMatched(f"no {noun} match {filters}" if filters else f"no {noun} to show")

    return nothing


@app.command(cls=PeelCommand)
@output_options
@data_options
def grades(
    data: Data,
    out: Output,
    grade: GradeOption = None,
    grid: Annotated[
        bool,
        typer.Option(
            "--grid",
            help="A force × question grid: a row per force and year, a column per pillar "
            "(its overall grade), question or area.",
        ),
    ] = False,
) -> int:
    """How each pillar, question or area was graded, with counts of findings.

    Examples:

    \b
      peel grades
      peel grades --grade inadequate --grade 'requires improvement'
      peel grades --json | jq '.questions[] | {id, grade}'
      peel grades --data reports/ --grid
    """
    from peelcli import api
    from peelcli.render import views

    scope = data.scope(grade)
    reports, why = data.load(scope)
    nothing = _no_rows("grades", scope, why)
    if grid:
        return out.rows(views.grid(*api.grade_grid(reports, scope)), nothing)
    return out.rows(views.grades(api.grades(reports, scope).listed), nothing)


@app.command(cls=PeelCommand)
@output_options
@data_options
def questions(
    data: Data,
    out: Output,
    grade: GradeOption = None,
    question: QuestionOption = None,
    brief: Annotated[
        bool, typer.Option("--brief", "-b", help="The judgement alone, no summary.")
    ] = False,
) -> int:
    """Every question with its grade, judgement and summary.

    Examples:

    \b
      peel questions
      peel questions --brief
      peel questions --grade inadequate --json | jq -r '.[].summary[]'
    """
    from peelcli import api
    from peelcli.render import views

    scope = data.scope(grade, question=question)
    reports, why = data.load(scope)
    rows = api.questions(reports, scope)
    return out.rows(views.questions(rows, brief), _no_rows("questions", scope, why))


@app.command(cls=PeelCommand)
@output_options
@data_options
def show(
    idents: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Question, finding or pillar IDs, such as E3, E3.R2 or E (any case).",
            autocompletion=_complete_id,
            show_default=False,
        ),
    ],
    data: Data,
    out: Output,
    as_at: AsAtOption = None,
    tracker: TrackerOption = None,
) -> int:
    """Questions or findings in full; a pillar's ID shows all its questions.

    Examples:

    \b
      peel show E3
      peel show e3.r4 E3.R5
      peel show E
      peel show E2.A1 --json
    """
    from peelcli import api
    from peelcli.render import views
    from peelcli.render.tracking import finding_fields
    from peelcli.tracking import operations

    scope = data.scope()
    reports, _ = data.chosen(scope, caveat=False)
    shown = api.show(reports, scope, idents)
    found, _ = operations.lookup(tracker, None, None, as_at, out.warn)
    # One question or finding is its JSON record; several, or a pillar's, a list however many.
    return out.write(views.shown(shown.found, shown.several, finding_fields(found)))


@app.command(cls=PeelCommand)
@output_options
@data_options
def findings(
    data: Data,
    out: Output,
    kind: KindOption = None,
    question: QuestionOption = None,
    grade: GradeOption = None,
    status: TrackedStatusOption = None,
    rag: RagOption = None,
    as_at: AsAtOption = None,
    tracker: TrackerOption = None,
) -> int:
    """Every finding, one per row.

    Areas for improvement, causes of concern and recommendations, in reading order.

    Examples:

    \b
      peel findings
      peel findings --kind recommendation --question E3
      peel findings --format csv > findings.csv
    """
    from peelcli import api
    from peelcli.render import views
    from peelcli.render.tracking import finding_fields
    from peelcli.tracking import operations

    scope = data.scope(grade, kind, question)
    reports, why = data.load(scope)
    found, chosen = operations.lookup(tracker, status, rag, as_at, out.warn)
    rows = operations.keep(api.findings(reports, scope), found, chosen)
    return out.rows(views.findings(rows, finding_fields(found)), _no_rows("findings", scope, why))


@app.command(cls=PeelCommand)
@output_options
@data_options
def search(
    terms: Annotated[
        list[str],
        typer.Argument(metavar="TERMS...", help="Words or quoted phrases; every one must match."),
    ],
    data: Data,
    out: Output,
    any_: Annotated[
        bool, typer.Option("--any", help="Match findings with any of the terms.")
    ] = False,
    regex: Annotated[
        bool, typer.Option("--regex", "-e", help="Take each term as a regular expression.")
    ] = False,
    all_text: Annotated[
        bool, typer.Option("--all-text", "-a", help="Search judgements and summaries too.")
    ] = False,
    kind: KindOption = None,
    question: QuestionOption = None,
    grade: GradeOption = None,
    status: TrackedStatusOption = None,
    rag: RagOption = None,
    as_at: AsAtOption = None,
    tracker: TrackerOption = None,
) -> int:
    """Find findings by keyword.

    Any case; plain quotes and hyphens match typographic ones; singular finds plural. A
    phrase in quotes matches its words side by side.

    Examples:

    \b
      peel search "domestic abuse"
      peel search training specialist --kind recommendation
      peel search --any OCG "organised crime" --json | jq -r '.[].id'
      peel search --regex 'DASH|risk assess'
    """
    from peelcli import api
    from peelcli.render import views
    from peelcli.render.tracking import finding_fields
    from peelcli.tracking import operations

    # Compiled once, and before any loading: bad terms fail at once.
    matcher = api.compile_search(terms, any_term=any_, regex=regex)
    scope = data.scope(grade, kind, question)
    reports, why = data.load(scope)
    found, chosen = operations.lookup(tracker, status, rag, as_at, out.warn)
    hits = operations.keep(api.search(reports, scope, matcher, all_text=all_text), found, chosen)

    def nothing() -> Exception:
        return why or api.no_hits(reports, scope, matcher, all_text=all_text)

    return out.rows(views.hits(hits, finding_fields(found)), nothing)
