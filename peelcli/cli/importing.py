"""Making a dataset: import a published report."""

# No `from __future__ import annotations`: typer reads these annotations on every run.
from typing import Annotated

import typer

from peelcli.cli.base import PeelCommand, app
from peelcli.cli.options import _env


@app.command(name="import", cls=PeelCommand)
def import_(
    ctx: typer.Context,
    text_file: Annotated[
        str,
        typer.Argument(
            metavar="PATH",
            help="The report: a saved web page, a PDF or its text (told apart by content); "
            "- reads stdin.",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write the dataset here, replacing the file only once the whole dataset is "
            "ready. Default: stdout.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        str | None,
        typer.Option(
            "--force",
            metavar="NAME",
            help="The force's name. Default: the title's words ('Metropolitan' in "
            "'Metropolitan PEEL 2016') as the text itself completes them ('The Metropolitan "
            "Police Service is good …' gives 'Metropolitan Police Service'); the title's words "
            "alone where the text completes them in no way or in more than one.",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YEAR",
            help="The inspection's year. Default: the year in the title.",
            show_default=False,
        ),
    ] = None,
    inspectorate: Annotated[
        str | None,
        typer.Option(
            "--inspectorate",
            metavar="NAME",
            help="Who inspected. Default: HMIC or HMICFRS, whichever the text names "
            "('HMIC’s 2015 assessment'); where it names neither, inferred from the year (HMIC "
            "to 2016, HMICFRS from 2018) and recorded as inferred. Needed for a 2017 text that "
            "names neither, and for a text to 2017 that names both.",
            show_default=False,
        ),
    ] = None,
    pillar_grade: Annotated[
        list[str] | None,
        typer.Option(
            "--pillar-grade",
            metavar="ID=GRADE",
            help="A pillar's overall grade, which report texts do not state, such as "
            "'E=requires improvement' (repeatable); needs --grade-source. Default: not stated.",
            show_default=False,
        ),
    ] = None,
    grade_source: Annotated[
        list[str] | None,
        typer.Option(
            "--grade-source",
            metavar="ID=TEXT",
            help="Where a pillar's --pillar-grade comes from (repeatable).",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="TEXT",
            help="Where the text comes from, such as the report's web address.",
        ),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            metavar="DATE",
            help="When the report was published, such as 2017-03-02 or '2 March 2017'. "
            "Default: the page's 'Published on: …' line, else the month on a PDF's cover; "
            "none where the text gives neither.",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="On stderr, each grade found, and the force, year, inspectorate and "
            "publication date, with the line and sentence each came from; and each block left "
            "out as site furniture, with why.",
        ),
    ] = False,
) -> int:
    """Turn a published PEEL report (a web page, a PDF or text) into a dataset.

    Examples:

    \b
      peel import kent-peel-2023-25.pdf -o reports/kent_2023.yaml
      peel import saved-page.html -o reports/kent_2023.yaml
      peel import - --explain < report.txt > report.yaml
      peel import report.txt --pillar-grade 'E=good' --grade-source 'E=web page'

    A web page or PDF is read into text first, its site furniture, running headers and
    footers, page numbers and contents pages left out. The text's structure tells its era:
    pillars and their questions ('How effective is the force at …?') to 2019, with
    judgements carried over in 2018/19; areas of policing from 2021, with their judgement
    table, areas for improvement, causes of concern and recommendations, and practice. Lines
    that cannot be placed are listed on stderr with their line or page; the dataset is
    still written. Nothing is guessed: a grade the text does not state is 'not stated'.
    """
    from peelcli import api
    from peelcli.dataset.files import write_file
    from peelcli.importer import parse_pillar_grades, parse_published
    from peelcli.render import messages
    from peelcli.render.output import write_text

    env = _env(ctx)
    grades = parse_pillar_grades(pillar_grade or (), grade_source or ())
    imported = api.import_report(
        text_file,
        force=force,
        year=year,
        inspectorate=inspectorate,
        source=source,
        pillar_grades=grades,
        published=parse_published(published),
    )
    if explain:
        for note in imported.dropped:
            messages.write_explanation(env, note)
        for explanation in imported.explanations:
            messages.write_explanation(env, str(explanation))
    for warning in imported.warnings:
        messages.write_warning(env, str(warning))
    if output is None or output == "-":
        write_text(env, imported.dataset())
    else:
        write_file(output, imported.dataset(), protect=[text_file])
    return 0
