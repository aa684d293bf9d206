"""The `peel` command line. Each command parses its options, asks the core, hands the result
to a renderer; nothing here prints of its own or holds logic.

Heavy modules (the loader, pydantic, rich) are imported inside the commands that need them,
so `peel --help` and `--json` output do not pay for what they do not use.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations on
# every run, and evaluating them from strings cost more than all the rest of its set-up.
import functools
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from peelcli import __version__
from peelcli.env import Environment
from peelcli.errors import ExitCode, PeelError
from peelcli.render.output import Format, View, write, write_text

if TYPE_CHECKING:
    from peelcli.models import Report
    from peelcli.query import NothingMatched, Scope

# Options every command shares, which may also come before the command (`peel --data X
# grades`): those that take a value, then flags.
_SHARED_VALUED = ("--data", "-d", "--force", "--year", "--format", "-f")
_SHARED_FLAGS = ("--json", "--color", "--no-color", "--no-pager")


def options_after_command(args: Sequence[str]) -> list[str]:
    """The arguments with shared options given before the command moved to just after it."""
    args = list(args)
    moved: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0]
        if arg == "--" or not arg.startswith("-"):
            break
        if name in _SHARED_FLAGS:
            moved.append(args.pop(i))
        elif name in _SHARED_VALUED:
            moved.append(args.pop(i))
            if "=" not in arg and i < len(args):
                moved.append(args.pop(i))
        elif arg[:2] in ("-d", "-f") and len(arg) > 2:  # -dPATH, -fcsv
            moved.append(args.pop(i))
        else:
            i += 1
    if i >= len(args) or args[i] == "--":
        return moved + args  # no command: left as they were, for the group to judge
    return args[: i + 1] + moved + args[i + 1 :]


class PeelCommand(TyperCommand):
    """A command whose usage line and listing read as written: `ID...`, not `{ID...}`, and its
    summary in full rather than cut to fit."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [re.sub(r"^\{(.*)\}$", r"\1", p) for p in super().collect_usage_pieces(ctx)]

    def get_short_help_str(self, limit: int = 45) -> str:
        return " ".join((self.help or "").split("\n\n")[0].split())


class PeelGroup(TyperGroup):
    """peel's command group: shared options before the command, and usage errors on one line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        rearranged = options_after_command(args)
        shared = _SHARED_VALUED + _SHARED_FLAGS
        eager = {"-h", "--help", "-V", "--version", "--install-completion", "--show-completion"}
        if rearranged == args and args[:1] and args[0].split("=")[0] in shared:
            if eager & set(args):  # help or the version asked for: the shared options can wait
                rearranged = [a for a in args if a in eager]
            else:
                ctx.fail(f"no command given, such as: peel {' '.join(args)} grades")
        return super().parse_args(ctx, rearranged)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from typer._click.exceptions import NoArgsIsHelpError, UsageError

        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:  # plain `peel`: its help, as a usage error
            sys.stderr.write(exc.format_message() + "\n")
            code = ExitCode.ERROR
        except UsageError as exc:
            from peelcli.render.messages import write_error

            write_error(Environment(), usage_message(exc.format_message()))
            code = ExitCode.ERROR
        except typer.Abort:
            code = ExitCode.INTERRUPTED
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


def usage_message(message: str) -> str:
    """A usage error of typer's on one line in peel's words, its suggestion kept."""
    message = message.strip().replace("\n", " ")
    message = re.sub(r"\.? Did you mean ", "; did you mean ", message)
    message = re.sub(
        r" \(Possible options: ([^)]*)\)",
        lambda m: "; did you mean " + " or ".join(m.group(1).split(", ")) + "?",
        message,
    )
    message = message[:1].lower() + message[1:]
    return message[:-1] if message.endswith(".") else message


app = typer.Typer(
    name="peel",
    cls=PeelGroup,
    help="""Explore police inspection (PEEL) findings: grades, judgements, recommendations.

Examples:

\b
  peel grades
  peel show E3
  peel search "domestic abuse"
  peel findings --kind recommendation --json | jq -r '.[].text'

Reads the Metropolitan Police Service's PEEL 2016 effectiveness report unless --data or
$PEEL_DATA names a report file or a directory of them. The options every command shares
(--data, --force, --year, --format, --json, --color, --no-pager) may also come before the
command: peel --data reports/ grades.""",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    # `peel --install-completion` for bash, zsh and fish; the answers come from
    # peelcli.completion, imported only when a shell asks.
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help, as click writes it: placeholders as written (no <str>), paragraphs wrapped
    # to the terminal, and no rich to import for -h.
    rich_markup_mode=None,
)


# --- shell completion: each answer's module loads only when a shell asks -------------


def _complete_kind(incomplete: str) -> list[str]:
    from peelcli.completion import kinds

    return kinds(incomplete)


def _complete_grade(incomplete: str) -> list[str]:
    from peelcli.completion import grades

    return grades(incomplete)


def _complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    from peelcli.completion import ids

    return ids(ctx.params.get("data"), incomplete)


def _complete_question(ctx: typer.Context, incomplete: str) -> list[str]:
    from peelcli.completion import ids

    return ids(ctx.params.get("data"), incomplete, findings=False)


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
        "--force",
        metavar="NAME",
        help="Only this force (repeatable): any name of it, such as Met, GMP or 'Avon and "
        "Somerset'; its name as a report writes it; or part of that name (any case).",
    ),
]
YearOption = Annotated[
    list[int] | None, typer.Option("--year", metavar="YEAR", help="Only reports of this year.")
]
GradeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--grade",
        "-g",
        metavar="GRADE",
        autocompletion=_complete_grade,
        help="Only questions with this grade (repeatable): outstanding, good, adequate, "
        "'requires improvement' (or ri), inadequate, ungraded, 'not stated' (or n/s).",
    ),
]
KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        autocompletion=_complete_kind,
        help="Only findings of this kind (repeatable): area_for_improvement (afi), "
        "cause_of_concern (coc), recommendation (rec).",
    ),
]
QuestionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--question",
        "-q",
        metavar="ID",
        help="Only this question, such as E3 (repeatable).",
        autocompletion=_complete_question,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        case_sensitive=False,
        help="table, json, jsonl (a JSON object a line), csv or markdown, in any case; "
        "--json is short for --format json.",
    ),
]
PagerOption = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Write to the terminal at once, without a pager. Default: output taller than "
        "the terminal goes through $PEEL_PAGER, else $PAGER, else 'less -FRX'.",
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
        except Exception as exc:
            from peelcli.query import NothingMatched

            if not isinstance(exc, NothingMatched):
                raise
            from peelcli.render.messages import write_nothing

            write_nothing(_env(kwargs["ctx"]), exc.message, exc.hints)
            raise typer.Exit(ExitCode.NO_MATCH) from None
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


def _env(ctx: typer.Context, color: bool | None = None, no_pager: bool = False) -> Environment:
    """The run's environment, built once by main (or a test), with this command's choices."""
    env = ctx.find_object(Environment)
    if env is None:  # run without main, as typer's test runner does
        env = ctx.ensure_object(Environment)
    if color is not None:
        env.color = color
    if no_pager:
        env.pager = False
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


def _load(
    env: Environment, data: list[str] | None, scope: "Scope | None" = None
) -> "tuple[list[Report], NothingMatched | None]":
    """The reports in scope (all of them without a scope), and which filter left none, if one
    did."""
    from peelcli.dataset.files import data_paths
    from peelcli.dataset.loader import load_reports
    from peelcli.query import lookalike_forces, narrow
    from peelcli.render.messages import write_warning

    def warn(message: str) -> None:
        write_warning(env, message)

    reports = load_reports(data_paths(data), warn=warn)
    if len(reports) > 1:
        for warning in lookalike_forces(reports):
            warn(warning)
    return (reports, None) if scope is None else narrow(reports, scope)


def _show(
    env: Environment,
    fmt: Format,
    view: "View[Any]",
    why: "NothingMatched | None",
    nothing: Callable[[], Exception],
) -> int:
    """A view to stdout; when it is empty, only a program's format writes it (`[]`, a CSV
    header), and stderr says why there is nothing: the filter that left no report (why),
    else what nothing matched."""
    if view.rows or fmt is not Format.table:
        write(env, fmt, view)
    if not view.rows:
        raise why or nothing()
    return ExitCode.OK


def _no_rows(noun: str, scope: "Scope") -> Callable[[], Exception]:
    def nothing() -> Exception:
        from peelcli.query import NothingMatched, filters_named

        filters = filters_named(scope)
        return NothingMatched(f"no {noun} match {filters}" if filters else f"no {noun} to show")

    return nothing


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


@app.command(cls=PeelCommand)
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
    no_pager: PagerOption = False,
) -> int:
    """How each question was graded, with counts of findings.

    Examples:

    \b
      peel grades
      peel grades --grade inadequate --grade 'requires improvement'
      peel grades --json | jq '.questions[] | {id, grade}'
      peel grades --data reports/ --grid
    """
    from peelcli.query import grade_grid, question_rows, shown_pillars
    from peelcli.render import views

    env = _env(ctx, color, no_pager)
    out = _format(json_, fmt)
    scope = _scope(force, year, grade)
    reports, why = _load(env, data, scope)
    rows = question_rows(reports, scope)
    _caveat(env, reports)
    if grid:
        return _show(env, out, views.grid(*grade_grid(rows)), why, _no_rows("questions", scope))
    pillars = shown_pillars(reports, scope, rows)
    view = views.grades(pillars, rows)
    if pillars and not rows:  # pillar summary pages: a pillar's grade, no questions under it
        write(env, out, view)
        return ExitCode.OK
    return _show(env, out, view, why, _no_rows("questions", scope))


@app.command(cls=PeelCommand)
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
    no_pager: PagerOption = False,
) -> int:
    """Every question with its grade, judgement and summary.

    Examples:

    \b
      peel questions
      peel questions --brief
      peel questions --grade inadequate --json | jq -r '.[].summary[]'
    """
    from peelcli.query import question_rows
    from peelcli.render import views

    env = _env(ctx, color, no_pager)
    out = _format(json_, fmt)
    scope = _scope(force, year, grade, question=question)
    reports, why = _load(env, data, scope)
    _caveat(env, reports)
    rows = question_rows(reports, scope)
    return _show(env, out, views.questions(rows, brief), why, _no_rows("questions", scope))


@app.command(cls=PeelCommand)
@_command
def show(
    ctx: typer.Context,
    idents: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Question, finding or pillar IDs, such as E3, E3.R2 or E (any case).",
            autocompletion=_complete_id,
            show_default=False,
        ),
    ],
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
    json_: JsonOption = False,
    fmt: FormatOption = Format.table,
    color: ColorOption = None,
    no_pager: PagerOption = False,
) -> int:
    """Questions or findings in full; a pillar's ID shows all its questions.

    Examples:

    \b
      peel show E3
      peel show e3.r4 E3.R5
      peel show E
      peel show E2.A1 --json
    """
    from peelcli.query import lookup_all
    from peelcli.render import views

    env = _env(ctx, color, no_pager)
    out = _format(json_, fmt)
    scope = _scope(force, year)
    reports, why = _load(env, data, scope)
    if why is not None:
        raise why
    found = lookup_all(reports, scope, idents)
    # One question or finding is its JSON record; several, or a pillar's, a list however many.
    pillars = {r.pillar.id.upper() for r in found if r.pillar is not None}
    several = len(idents) > 1 or any(i.strip().upper() in pillars for i in idents)
    write(env, out, views.shown(found, several=several))
    return ExitCode.OK


@app.command(cls=PeelCommand)
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
    no_pager: PagerOption = False,
) -> int:
    """Every finding, one per row.

    Areas for improvement, causes of concern and recommendations, in reading order.

    Examples:

    \b
      peel findings
      peel findings --kind recommendation --question E3
      peel findings --format csv > findings.csv
    """
    from peelcli.query import finding_rows
    from peelcli.render import views

    env = _env(ctx, color, no_pager)
    out = _format(json_, fmt)
    scope = _scope(force, year, grade, kind, question)
    reports, why = _load(env, data, scope)
    _caveat(env, reports)
    rows = finding_rows(reports, scope)
    return _show(env, out, views.findings(rows), why, _no_rows("findings", scope))


@app.command(cls=PeelCommand)
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
    no_pager: PagerOption = False,
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
    from peelcli.query import compile_terms, no_hits
    from peelcli.query import search as run_search
    from peelcli.render import views

    env = _env(ctx, color, no_pager)
    out = _format(json_, fmt)
    matcher = compile_terms(terms, any_term=any_, regex=regex)
    scope = _scope(force, year, grade, kind, question)
    reports, why = _load(env, data, scope)
    _caveat(env, reports)
    hits = run_search(reports, scope, matcher, all_text=all_text)

    def nothing() -> Exception:
        return no_hits(reports, scope, terms, any_term=any_, regex=regex, all_text=all_text)

    return _show(env, out, views.hits(hits), why, nothing)


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
    no_pager: PagerOption = False,
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
    from peelcli import compare as comparing
    from peelcli.render import views
    from peelcli.render.messages import ERA_CAVEAT

    env = _env(ctx, color, no_pager)
    out = _format(json_, fmt)
    scope = _scope(force, year, question=question)
    reports, why = _load(env, data, scope)
    if why is not None:  # --force or --year chose no report: nothing to compare, as elsewhere
        raise why
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


@app.command(cls=PeelCommand)
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
    no_pager: PagerOption = False,
) -> int:
    """Findings in other reports that say nearly what one finding says, best first.

    --force and --year choose the report the ID is in; every other loaded report is
    searched. Searching by example finds a theme across forces.

    Examples:

    \b
      peel similar A2.A1 --force exampleshire --year 2023 --data docs/examples/
      peel similar E1.A1 --force kent --year 2016 --threshold 60 --json --data reports/
    """
    from peelcli import compare as comparing
    from peelcli.query import FindingRow, NothingMatched, lookup
    from peelcli.render import views

    env = _env(ctx, color, no_pager)
    out = _format(json_, fmt)
    reports, _ = _load(env, data)
    found = lookup(reports, _scope(force, year), ident)
    if not isinstance(found, FindingRow):
        raise PeelError(
            f"{found.question.id} is a question or area, not a finding",
            hint=f"Give a finding's ID, such as {found.question.id}.A1; 'peel show "
            f"{found.question.id}' lists them.",
        )
    limit_score = comparing.DEFAULT_THRESHOLD if threshold is None else threshold
    neighbours = comparing.similar_findings(reports, found, limit_score, limit)
    view = views.similar(found, neighbours, limit_score)

    def nothing() -> Exception:
        return NothingMatched(
            f"no finding in another report scores {limit_score:g} or more against {found.id}",
            ["A lower --threshold finds findings less alike."],
        )

    return _show(env, out, view, None, nothing)


@app.command(cls=PeelCommand)
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
    """Check report files against the dataset format, listing every problem.

    Examples:

    \b
      peel validate data/metropolitan_2016.yaml
      peel validate reports/
    """
    from peelcli.dataset.files import data_paths
    from peelcli.dataset.loader import validate_paths
    from peelcli.render.messages import write_error
    from peelcli.render.sanitize import clean_line

    env = _env(ctx)
    checked: list[str] = []
    count, problems = validate_paths(data_paths(paths), checked)
    for problem in problems:
        write_error(env, str(problem))
    bad = {p.file for p in problems}
    env.stdout.write("".join(f"{clean_line(f)}: valid\n" for f in checked if f not in bad))
    if problems:
        # A report's text given where its dataset belongs: say how to make one.
        texts = [
            f
            for f in checked
            if f in bad and not f.endswith((".yaml", ".yml")) and os.path.isfile(f)
        ]
        hint = None
        if texts:
            hint = f"Is {texts[0]} a report's text? Make a dataset of it: peel import {texts[0]}"
        raise PeelError(f"{len(problems)} problem(s) in {len(bad)} of {count} file(s)", hint=hint)
    env.stdout.write(f"{count} file(s) valid\n")
    return ExitCode.OK


@app.command(cls=PeelCommand)
@_command
def schema(ctx: typer.Context) -> int:
    """Print the JSON Schema of the dataset format.

    Examples:

    \b
      peel schema > peel-report.schema.json
    """
    from peelcli.models import Report
    from peelcli.render import views

    schema = {
        # Which JSON Schema dialect this is (pydantic writes 2020-12) and a name for the
        # schema that validators and editors can refer to; peel has no web address to give.
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:peelcli:dataset:report",
        **Report.model_json_schema(),
    }
    write(_env(ctx), Format.json, views.document(schema))
    return ExitCode.OK


@app.command(cls=PeelCommand)
@_command
def export(
    ctx: typer.Context,
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
    data: DataOption = None,
    force: ForceOption = None,
    year: YearOption = None,
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
    env = _env(ctx)
    scope = _scope(force, year)
    reports, why = _load(env, data, scope)
    if why is not None:
        raise why
    tracking = tracking_in_use(tracker, as_at, lambda message: write_warning(env, message))
    for path, exporter in ((sqlite, export_sqlite), (xlsx, export_workbook)):
        if path is not None:
            done = exporter(path, reports, tracking)
            write_done(env, done.summary())
    return ExitCode.OK


@app.command(name="import", cls=PeelCommand)
@_command
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
    from peelcli.dataset.dump import dump_report
    from peelcli.dataset.files import MAX_FILE_BYTES, MAX_IMPORT_BYTES, read_input, write_file
    from peelcli.importer import import_text, parse_pillar_grades, parse_published
    from peelcli.reading import to_text, within_limit
    from peelcli.render import messages

    grades = parse_pillar_grades(pillar_grade or (), grade_source or ())
    published_date = parse_published(published)
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
        published=published_date,
        headings=document.headings,
    )
    env = _env(ctx)
    if explain:
        for note in document.dropped_notes(name):
            messages.write_explanation(env, note)
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
        write_text(env, dataset)
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
