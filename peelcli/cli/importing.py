"""Making a dataset: import a published report."""

# No `from __future__ import annotations`: typer reads these annotations on every run.
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peelcli.cli.base import PeelCommand, app
from peelcli.cli.options import _env
from peelcli.cli.wording import worded_hint
from peelcli.env import Environment
from peelcli.errors import PeelError, Problem, quoted

if TYPE_CHECKING:
    from peelcli.importer import Need


@app.command(name="import", cls=PeelCommand)
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="The reports: each a saved web page, a PDF or its text (told apart by "
            "content); - reads stdin.",
            show_default=False,
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write the dataset to this file, replacing it only once the whole dataset "
            "is ready; or, where PATH is a directory or ends in '/', into it as "
            "FORCE_CYCLE.yaml ('northmoor-police_2023-25.yaml'), one line on stderr saying "
            "so. Missing directories are made. Several reports need a directory. Default: "
            "stdout.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        str | None,
        typer.Option(
            "--force",
            metavar="NAME",
            help="The force's name (one report only). Default: the title's words "
            "('Metropolitan' in 'Metropolitan PEEL 2016') as the text itself completes them "
            "('The Metropolitan Police Service is good …' gives 'Metropolitan Police "
            "Service'); the title's words alone where the text completes them in no way "
            "or in more than one.",
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
            "'E=requires improvement' (repeatable; one report only); needs --grade-source. "
            "Default: not stated.",
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
            help="Where the text comes from, such as the report's web address (one report only).",
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
    """Turn published PEEL reports (web pages, PDFs or text) into datasets.

    Examples:

    \b
      peel import kent-peel-2023-25.pdf -o reports/kent_2023.yaml
      peel import *.pdf -o reports/
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
    Of several reports, each that imports is written; one that fails is named on stderr,
    and the exit status is 2. On a terminal a progress bar shows how far the run has gone.
    """
    from peelcli.dataset.destination import import_destination
    from peelcli.render.progress import Progress

    env = _env(ctx)
    destination = import_destination(output, len(paths))
    options = _options(
        paths, force, year, inspectorate, source, pillar_grade, grade_source, published
    )
    progress = Progress(env, len(paths), "importing")
    try:
        failed = _import_each(env, paths, options, destination, explain, progress)
    finally:
        progress.clear()  # even when interrupted: the terminal is left clean
    return 2 if failed else 0


def _import_each(
    env: Environment,
    paths: list[str],
    options: dict[str, Any],
    destination: Any,
    explain: bool,
    progress: Any,
) -> int:
    """Import and write each report in turn; how many failed. One report that fails is its
    error; of several, each that fails is named and the rest go on."""
    from peelcli.render.messages import write_error

    failed, written = 0, dict[str, str]()
    for path in paths:
        progress.step(path)
        try:
            imported = _import(path, options)
            progress.clear()
            _write(env, path, imported, destination, explain, written)
        except PeelError as exc:
            progress.clear()
            if len(paths) == 1:
                raise
            write_error(env, [str(p) for p in exc.problems], worded_hint(exc))
            failed += 1
    return failed


# What the importer leaves open, worded with this command's options: its facts (see
# peelcli.importer.needs) and the message it gave.
_WORDED = {
    "force": "{message}; give it with --force NAME",
    "year": "{message}; give it with --year YEAR",
    "inspectorate": "{message}; give it with --inspectorate NAME",
    "force_name": "{message}; give the name with --force NAME",
    "pillar_grade": "{message}: give it with --pillar-grade {pillar}=GRADE",
    "unknown_pillars": "--pillar-grade names pillar {pillars}; the text has {found}",
    "pillar_grades_for_areas": "--pillar-grade is for reports of pillars; a PEEL assessment "
    "grades areas",
    "given": "--{field}: {why}",
    "published": "--published {value} is not a date; give it as 2017-03-02, '2 March 2017' "
    "or, for a month, 'March 2017'",
}
# Options that say something of one report alone: refused with several.
_ONE_REPORT = ("--force", "--source", "--pillar-grade", "--grade-source")


def _worded(problem: Problem, need: "Need | None") -> str:
    if need is None or need.detail not in _WORDED:
        return str(problem)
    message = _WORDED[need.detail].format(message=problem.message, **need.facts)
    return str(problem._replace(message=message))


def _options(
    paths: list[str],
    force: str | None,
    year: int | None,
    inspectorate: str | None,
    source: str | None,
    pillar_grade: list[str] | None,
    grade_source: list[str] | None,
    published: str | None,
) -> dict[str, Any]:
    """The options as import_report takes them; a usage error for what cannot be."""
    if paths.count("-") > 1:
        raise typer.BadParameter("stdin ('-') can be read once", param_hint="'PATH...'")
    if len(paths) > 1:
        given = [force, source, pillar_grade, grade_source]
        for name, value in zip(_ONE_REPORT, given, strict=True):
            if value:
                raise typer.BadParameter(
                    "it says something of one report; import that report on its own",
                    param_hint=f"'{name}'",
                )
    return {
        "force": force,
        "year": year,
        "inspectorate": inspectorate,
        "source": source,
        "pillar_grades": _pillar_grades(pillar_grade or (), grade_source or ()),
        "published": published,
        "published_source": "Given when imported, with --published." if published else None,
    }


def _import(path: str, options: dict[str, Any]) -> Any:
    from peelcli import api
    from peelcli.importer import DetailsNeeded

    try:
        return api.import_report(path, **options)
    except DetailsNeeded as exc:
        raise PeelError(
            [Problem(_worded(p, n)) for p, n in zip(exc.problems, exc.needs, strict=True)]
        ) from None


def _write(
    env: Environment,
    path: str,
    imported: Any,
    destination: Any,
    explain: bool,
    written: dict[str, str],
) -> None:
    """One report's notes on stderr, and its dataset where it goes."""
    from peelcli.dataset.destination import dataset_name, write_dataset
    from peelcli.render import messages
    from peelcli.render.output import write_text

    if explain:
        for note in imported.dropped:
            messages.write_explanation(env, note)
        for explanation in imported.explanations:
            messages.write_explanation(env, str(explanation))
    for warning, need in zip(imported.warnings, imported.needs, strict=True):
        messages.write_warning(env, _worded(warning, need))
    if destination.directory is None and destination.file is None:
        write_text(env, imported.dataset())
        return
    target = destination.file
    if target is None:
        target = os.path.join(destination.directory, dataset_name(imported.report))
        if target in written:
            raise PeelError(
                Problem(
                    f"gives {target} too, which {written[target]} gave in this run; "
                    "import it on its own with -o FILE",
                    path,
                )
            )
    write_dataset(target, imported.dataset(), protect=[path])
    if destination.directory is not None:
        written[target] = path
        report = imported.report
        messages.write_done(
            env, f"wrote {target}: {report.force} {report.cycle or report.year}, from {path}"
        )


def _pillar_grades(grades: Sequence[str], sources: Sequence[str]) -> dict[str, Any]:
    """Pillar grades given as 'E=requires improvement', each with its 'E=where it comes from'."""
    from peelcli.importer import PillarGrade
    from peelcli.models import Grade

    given = _assignments(grades, "--pillar-grade", "ID=GRADE, such as 'E=requires improvement'")
    said = _assignments(sources, "--grade-source", "ID=TEXT, such as 'E=HMIC's PEEL 2016 page'")
    problems: list[Problem] = []
    result: dict[str, Any] = {}
    for pillar, text in given.items():
        try:
            grade = Grade.parse(text)
        except ValueError as exc:
            problems.append(Problem(f"--pillar-grade {pillar}: {exc}"))
            continue
        if pillar not in said:
            problems.append(
                Problem(
                    f"--pillar-grade {pillar} needs --grade-source {pillar}=TEXT saying where "
                    "the grade comes from; the text of a report does not state it"
                )
            )
            continue
        result[pillar] = PillarGrade(grade, said[pillar])
    problems += [
        Problem(f"--grade-source {p} is given without --pillar-grade {p}")
        for p in said
        if p not in given
    ]
    if problems:
        raise PeelError(problems)
    return result


def _assignments(values: Sequence[str], option: str, form: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        key = key.strip().upper()
        if not sep or not re.fullmatch(r"[A-Z]", key) or not text.strip():
            raise PeelError(f"{option} {quoted(value)}: expected {form}")
        if key in result:
            raise PeelError(f"{option} gives pillar {key} twice")
        result[key] = text.strip()
    return result
