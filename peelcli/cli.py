"""The `peel` command line. Each command parses its options, asks the core, hands the result
to a renderer; nothing here prints of its own or holds logic.

Heavy modules (the loader, pydantic, rich) are imported inside the commands that need them,
so `peel --help` and `--json` output do not pay for what they do not use.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations on
# every run, and evaluating them from strings cost more than all the rest of its set-up.
import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from peelcli import __version__
from peelcli.env import Environment
from peelcli.errors import ExitCode, PeelError
from peelcli.render.output import Format, write

if TYPE_CHECKING:
    from peelcli.models import Report
    from peelcli.query import Scope

app = typer.Typer(
    name="peel",
    help="""Explore police inspection (PEEL) findings: grades, judgements, recommendations.

Examples:

  peel grades

  peel show E3

  peel search "domestic abuse"

  peel findings --kind recommendation --json | jq -r '.[].text'

Reads the Metropolitan Police Service's PEEL 2016 effectiveness report unless
--data or $PEEL_DATA names a report file or a directory of them.""",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# --- options shared by the commands: declared once -----------------------------------

DataOption = Annotated[
    list[str] | None,
    typer.Option(
        "--data",
        "-d",
        metavar="PATH",
        help="A report file or a directory of them (repeatable). Default: $PEEL_DATA, "
        "else the embedded Metropolitan 2016 report.",
        show_default=False,
    ),
]
ForceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--force", metavar="NAME", help="Only forces whose name contains NAME (any case)."
    ),
]
YearOption = Annotated[list[int] | None, typer.Option("--year", help="Only reports of this year.")]
GradeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--grade",
        "-g",
        metavar="GRADE",
        help="Only questions with this grade (repeatable): outstanding, good, adequate, "
        "'requires improvement' (or ri), inadequate, ungraded.",
    ),
]
KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="Only findings of this kind (repeatable): recommendation, area_for_improvement, "
        "cause_of_concern.",
    ),
]
QuestionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--question", "-q", metavar="ID", help="Only this question, such as E3 (repeatable)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format; --json is short for --format json.",
    ),
]
ColorOption = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color",
        help="Colour on or off. Default: on for a terminal, off when piped, or as "
        "NO_COLOR / FORCE_COLOR say.",
        show_default=False,
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def _command(fn: F) -> F:
    """Run a command: a PeelError becomes a message and exit 2; a closed pipe ends quietly."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = fn(*args, **kwargs)
        except PeelError as exc:
            from peelcli.render.messages import write_error

            write_error(_env(kwargs["ctx"]), [str(p) for p in exc.problems], exc.hint)
            raise typer.Exit(ExitCode.ERROR) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        if code:
            raise typer.Exit(code)

    return run  # type: ignore[return-value]


def _silence_stdout() -> None:
    # The reader went away (`peel … | head -1`): stop writing, and let the final flush at
    # exit go nowhere instead of raising again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _env(ctx: typer.Context, color: bool | None = None) -> Environment:
    """The run's environment, built once by main (or a test), with this command's colour choice."""
    env = ctx.find_object(Environment)
    if env is None:  # run without main, as typer's test runner does
        env = ctx.ensure_object(Environment)
    if color is not None:
        env.color = color
    return env


def _scope(
    force: list[str] | None = None,
    year: list[int] | None = None,
    grade: list[str] | None = None,
    kind: list[str] | None = None,
    question: list[str] | None = None,
) -> "Scope":
    from peelcli.models import Grade, Kind
    from peelcli.query import Scope

    try:
        grades = tuple(Grade.parse(g) for g in grade or ())
        kinds = tuple(Kind.parse(k) for k in kind or ())
    except ValueError as exc:
        raise PeelError(str(exc)) from None
    return Scope(
        forces=tuple(force or ()),
        years=tuple(year or ()),
        grades=grades,
        kinds=kinds,
        questions=tuple(q.strip().upper() for q in question or ()),
    )


def _load(env: Environment, data: list[str] | None, scope: "Scope | None" = None) -> "list[Report]":
    """The reports --data names, those in scope when a scope is given."""
    from peelcli.dataset.files import data_paths
    from peelcli.dataset.loader import load_reports
    from peelcli.render.messages import write_warning

    def warn(message: str) -> None:
        write_warning(env, message)

    reports = load_reports(data_paths(data), warn=warn)
    return reports if scope is None else scope.reports(reports)


def _format(json_flag: bool, fmt: Format) -> Format:
    if json_flag and fmt not in (Format.table, Format.json):
        raise PeelError(f"--json and --format {fmt.value} ask for two formats; choose one")
    return Format.json if json_flag else fmt


def _caveat(env: Environment, reports: "Sequence[Report]") -> None:
    """Say once, where PEEL assessments stand beside earlier PEEL, that grades differ."""
    from peelcli.query import mixes_eras

    if mixes_eras(reports):
        from peelcli.render.messages import ERA_CAVEAT, write_warning

        write_warning(env, ERA_CAVEAT)


def _found(items: Sequence[object]) -> int:
    return ExitCode.OK if items else ExitCode.NO_MATCH


def _version(value: bool) -> None:
    if value:
        typer.echo(f"peel {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    """Explore police inspection (PEEL) findings."""


# --- commands ----------------------------------------------------------------------


@app.command()
@_command
def grades(
    ctx: typer.Context,
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
    grade: GradeOption = None,
    grid: Annotated[
        bool,
        typer.Option(
            "--grid",
            help="A force × question grid: a row per force and year, a column per question.",
        ),
    ] = False,
    json_: JsonOption = False,
    fmt: FormatOption = Format.table,
    color: ColorOption = None,
) -> int:
    """How each question was graded, with counts of findings.

    Examples:

      peel grades

      peel grades --grade inadequate --grade 'requires improvement'

      peel grades --json | jq '.questions[] | {id, grade}'

      peel grades --data reports/ --grid
    """
    from peelcli.query import grade_grid, question_rows, shown_pillars
    from peelcli.render import views

    env = _env(ctx, color)
    out = _format(json_, fmt)
    scope = _scope(force, year, grade)
    reports = _load(env, data, scope)
    rows = question_rows(reports, scope)
    _caveat(env, reports)
    if grid:
        write(env, out, views.grid(*grade_grid(rows)))
        return _found(rows)
    pillars = shown_pillars(reports, scope, rows)
    write(env, out, views.grades(pillars, rows))
    return _found([*rows, *pillars])


@app.command()
@_command
def questions(
    ctx: typer.Context,
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
    grade: GradeOption = None,
    question: QuestionOption = None,
    brief: Annotated[
        bool, typer.Option("--brief", "-b", help="The judgement alone, no summary.")
    ] = False,
    json_: JsonOption = False,
    fmt: FormatOption = Format.table,
    color: ColorOption = None,
) -> int:
    """Every question with its colour-coded grade, judgement and summary.

    Examples:

      peel questions

      peel questions --brief

      peel questions --grade inadequate --json | jq -r '.[].summary[]'
    """
    from peelcli.query import question_rows
    from peelcli.render import views

    env = _env(ctx, color)
    out = _format(json_, fmt)
    scope = _scope(force, year, grade, question=question)
    reports = _load(env, data, scope)
    _caveat(env, reports)
    rows = question_rows(reports, scope)
    write(env, out, views.questions(rows, brief))
    return _found(rows)


@app.command()
@_command
def show(
    ctx: typer.Context,
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="A question or finding ID, such as E3 or E3.R2.")
    ],
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
    json_: JsonOption = False,
    fmt: FormatOption = Format.table,
    color: ColorOption = None,
) -> int:
    """One question or finding in full.

    Examples:

      peel show E3

      peel show e3.r4

      peel show E2.A1 --json
    """
    from peelcli.query import lookup
    from peelcli.render import views

    env = _env(ctx, color)
    out = _format(json_, fmt)
    scope = _scope(force, year)
    found = lookup(_load(env, data, scope), scope, ident)
    write(env, out, views.shown(found))
    return ExitCode.OK


@app.command()
@_command
def findings(
    ctx: typer.Context,
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
    kind: KindOption = None,
    question: QuestionOption = None,
    grade: GradeOption = None,
    json_: JsonOption = False,
    fmt: FormatOption = Format.table,
    color: ColorOption = None,
) -> int:
    """Every finding, one per row: areas for improvement, causes of concern, recommendations.

    Examples:

      peel findings

      peel findings --kind recommendation --question E3

      peel findings --format csv > findings.csv
    """
    from peelcli.query import finding_rows
    from peelcli.render import views

    env = _env(ctx, color)
    out = _format(json_, fmt)
    scope = _scope(force, year, grade, kind, question)
    reports = _load(env, data, scope)
    _caveat(env, reports)
    rows = finding_rows(reports, scope)
    write(env, out, views.findings(rows))
    return _found(rows)


@app.command()
@_command
def search(
    ctx: typer.Context,
    terms: Annotated[
        list[str],
        typer.Argument(metavar="TERMS...", help="Words or quoted phrases; every one must match."),
    ],
    any_: Annotated[
        bool, typer.Option("--any", help="Match findings with any of the terms.")
    ] = False,
    regex: Annotated[
        bool, typer.Option("--regex", "-e", help="Take each term as a regular expression.")
    ] = False,
    all_text: Annotated[
        bool, typer.Option("--all-text", "-a", help="Search judgements and summaries too.")
    ] = False,
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
    kind: KindOption = None,
    question: QuestionOption = None,
    grade: GradeOption = None,
    json_: JsonOption = False,
    fmt: FormatOption = Format.table,
    color: ColorOption = None,
) -> int:
    """Find findings by keyword: any case, plain quotes and hyphens match typographic ones,
    singular finds plural.

    Examples:

      peel search "domestic abuse"

      peel search training specialist --kind recommendation

      peel search --any OCG "organised crime" --json | jq -r '.[].id'

      peel search --regex 'DASH|risk assess'
    """
    from peelcli.query import compile_terms
    from peelcli.query import search as run_search
    from peelcli.render import views

    env = _env(ctx, color)
    out = _format(json_, fmt)
    matcher = compile_terms(terms, any_term=any_, regex=regex)
    scope = _scope(force, year, grade, kind, question)
    reports = _load(env, data, scope)
    _caveat(env, reports)
    hits = run_search(reports, scope, matcher, all_text=all_text)
    write(env, out, views.hits(hits))
    return _found(hits)


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


@app.command()
@_command
def compare(
    ctx: typer.Context,
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
    question: QuestionOption = None,
    threshold: ThresholdOption = None,
    json_: JsonOption = False,
    fmt: FormatOption = Format.table,
    color: ColorOption = None,
) -> int:
    """Compare reports: one force over time (--force), or forces side by side (--year).

    Over time: each question's or area's grade in each report, oldest first, with the
    change (up, down, same, carried over, not stated), then the findings of each report
    against the one before: recurring (with both IDs and a similarity score), new, and no
    longer listed. Side by side: the forces at each grade for each question or area, and
    each force's counts of findings.

    Examples:

      peel compare --force kent --data reports/

      peel compare --year 2016 --data reports/

      peel compare --year 2023 --json --data reports/ | jq '.units[].grades[]'

      peel compare --force kent --format csv --data reports/ > kent.csv
    """
    from peelcli import compare as comparing
    from peelcli.render import views
    from peelcli.render.messages import ERA_CAVEAT

    env = _env(ctx, color)
    out = _format(json_, fmt)
    scope = _scope(force, year, question=question)
    reports = _load(env, data)
    limit = comparing.DEFAULT_THRESHOLD if threshold is None else threshold
    by_time = bool(force) or (not year and len({r.force for r in reports}) == 1)
    if by_time:
        history = comparing.force_history(reports, scope, limit)
        caveats = [ERA_CAVEAT] if not all(step.comparable for step in history.steps) else []
        write(env, out, views.history(history, caveats))
        return ExitCode.OK
    if not year:
        raise PeelError(
            "compare what? name a force to follow over time, or a year to set forces side by side",
            hint="Try: peel compare --force NAME, or peel compare --year YEAR",
        )
    comparison = comparing.forces_side_by_side(reports, scope)
    caveats = [ERA_CAVEAT] if comparison.mixes_eras else []
    write(env, out, views.side_by_side(comparison, caveats))
    return ExitCode.OK


@app.command()
@_command
def similar(
    ctx: typer.Context,
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="A finding's ID, such as E3.R2 or A1.C1.")
    ],
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
    threshold: ThresholdOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many findings.")
    ] = 10,
    json_: JsonOption = False,
    fmt: FormatOption = Format.table,
    color: ColorOption = None,
) -> int:
    """Findings in other reports that say nearly what one finding says, best first.

    --force and --year choose the report the ID is in; every other loaded report is
    searched. Searching by example finds a theme across forces.

    Examples:

      peel similar E3.R2 --data reports/ --force metropolitan

      peel similar E1.A1 --data reports/ --force kent --year 2016 --threshold 60 --json
    """
    from peelcli import compare as comparing
    from peelcli.query import FindingRow, lookup
    from peelcli.render import views
    from peelcli.render.messages import write_message

    env = _env(ctx, color)
    out = _format(json_, fmt)
    reports = _load(env, data)
    found = lookup(reports, _scope(force, year), ident)
    if not isinstance(found, FindingRow):
        raise PeelError(
            f"{found.question.id} is a question or area, not a finding",
            hint=f"Give a finding's ID, such as {found.question.id}.A1; 'peel show "
            f"{found.question.id}' lists them.",
        )
    limit_score = comparing.DEFAULT_THRESHOLD if threshold is None else threshold
    neighbours = comparing.similar_findings(reports, found, limit_score, limit)
    write(env, out, views.similar(found, neighbours, limit_score))
    if not neighbours:
        write_message(
            env,
            f"no finding in another report scores {limit_score:g} or more against {found.id}",
        )
    return _found(neighbours)


@app.command()
@_command
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...", help="Report files or directories. Default: as --data."
        ),
    ] = None,
) -> int:
    """Check report files against the dataset format; list every problem.

    Examples:

      peel validate data/metropolitan_2016.yaml

      peel validate reports/
    """
    from peelcli.dataset.files import data_paths
    from peelcli.dataset.loader import validate_paths
    from peelcli.render.messages import write_error

    env = _env(ctx)
    count, problems = validate_paths(data_paths(paths))
    for problem in problems:
        write_error(env, str(problem))
    if problems:
        files = len({p.file for p in problems})
        raise PeelError(f"{len(problems)} problem(s) in {files} of {count} file(s)")
    env.stdout.write(f"{count} file(s) valid\n")
    return ExitCode.OK


@app.command()
@_command
def schema(ctx: typer.Context) -> int:
    """Print the JSON Schema of the dataset format.

    Examples:

      peel schema > peel-report.schema.json
    """
    from peelcli.models import Report
    from peelcli.render import views

    write(_env(ctx), Format.json, views.document(Report.model_json_schema()))
    return ExitCode.OK


@app.command(name="import")
@_command
def import_(
    ctx: typer.Context,
    text_file: Annotated[
        str,
        typer.Argument(
            metavar="TEXT_FILE", help="The report's text, copied from its web page; - reads stdin."
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT.yaml",
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
            "('HMIC’s 2015 assessment'); an error if it names both or neither.",
            show_default=False,
        ),
    ] = None,
    pillar_grade: Annotated[
        list[str] | None,
        typer.Option(
            "--pillar-grade",
            metavar="ID=GRADE",
            help="A pillar's overall grade, which report texts do not state, such as "
            "'E=requires improvement' (repeatable); needs --grade-source. Default: ungraded.",
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
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="On stderr, each grade found, and the force, year and inspectorate, with the "
            "line and sentence each came from.",
        ),
    ] = False,
) -> int:
    """Turn the text of a published PEEL report into a dataset.

    Examples:

      peel import metropolitan_2016.txt -o reports/metropolitan_2016.yaml

      pbpaste | peel import - --explain > report.yaml

      peel import report.txt --pillar-grade 'E=good' --grade-source 'E=the report web page'

    The text is read as a web page copies: a title line such as 'Metropolitan PEEL 2016',
    a pillar heading (Effectiveness, Efficiency, Legitimacy), its headline question, then
    each question ('How effective is the force at …?') with its judgement (the first
    paragraph, which states the grade), summary paragraphs, 'Areas for improvement',
    'Cause of concern' and 'Recommendations'. IDs are those of the shipped dataset (E1,
    E1.A1, E3.C1, E3.R1 …). Lines that cannot be placed are listed on stderr with their
    numbers; the dataset is still written. Nothing is guessed: what the text does not state
    comes from the options or stays absent.
    """
    from peelcli.dataset.dump import dump_report
    from peelcli.dataset.files import MAX_FILE_BYTES, MAX_IMPORT_BYTES, read_input, write_file
    from peelcli.importer import import_text, parse_pillar_grades
    from peelcli.reading import to_text, within_limit
    from peelcli.render import messages

    grades = parse_pillar_grades(pillar_grade or (), grade_source or ())
    name, data = read_input(text_file, MAX_IMPORT_BYTES)
    document = within_limit(to_text(data, name), name, MAX_FILE_BYTES)
    imported = import_text(
        document.text,
        name,
        force=force,
        year=year,
        inspectorate=inspectorate,
        source=source,
        pillar_grades=grades,
    )
    env = _env(ctx)
    if explain:
        for explanation in imported.explanations:
            file, line = document.locate(explanation.file, explanation.line)
            messages.write_explanation(env, str(explanation._replace(file=file, line=line)))
    for warning in imported.warnings:
        if warning.file is not None:
            file, line = document.locate(warning.file, warning.line)
            warning = warning._replace(file=file, line=line)
        messages.write_warning(env, str(warning))
    dataset = dump_report(imported.report)
    if output is None or output == "-":
        env.stdout.write(dataset)
    else:
        write_file(output, dataset, protect=[text_file])
    return ExitCode.OK


def main() -> None:
    """The `peel` console script."""
    # Started with a stream closed (`peel … >&-`), Python leaves it None.
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    if sys.stdout is None:
        sys.stderr.write("peel: error: standard output is closed; nowhere to write results\n")
        sys.exit(ExitCode.ERROR)
    try:
        stdout_errors = "backslashreplace"
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors=stdout_errors)
        app(prog_name="peel", obj=Environment())
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
