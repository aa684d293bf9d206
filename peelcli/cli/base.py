"""The `peel` app: its command group, the options commands share, and the one place where an
error becomes its message and an exit code.

The commands live in one module per family (`browse`, `comparing`, `importing`, `checking`);
each reads its options, calls one function of `peelcli.api` and hands the result to
`peelcli.render`. Heavy modules (the loader, pydantic, rich) are imported inside the
commands that need them, so `peel --help` and `--json` output do not pay for what they do
not use.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations on
# every run, and evaluating them from strings cost more than all the rest of its set-up.
import functools
import inspect
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from peelcli import __version__
from peelcli.env import Environment
from peelcli.errors import ExitCode, NothingMatched, PeelError
from peelcli.render.output import Format, View, write

if TYPE_CHECKING:
    from peelcli.api import Loaded
    from peelcli.query import Scope

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
        # The run's Environment, built here once (or given by a caller) and found by every
        # command in its context.
        env = extra.pop("obj", None)
        if not isinstance(env, Environment):
            env = Environment()

        def program() -> Any:
            return super(PeelGroup, self).main(
                args, prog_name, complete_var, standalone_mode=False, obj=env, **extra
            )

        code = exit_code(program, env)
        if not standalone_mode:
            return code
        sys.exit(code)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            # click's main would make a closed pipe exit 1; carry it past to exit_code.
            raise _ReaderGone from exc


class _ReaderGone(Exception):
    """stdout's reader went away (`peel … | head -1`)."""


def exit_code(program: Callable[[], Any], env: Environment) -> ExitCode:
    """Run the program; every error it raises becomes its message and an exit code, here and
    nowhere else (the process around it, in `peelcli.__main__`, handles only what happens
    before the command line is loaded, and defects)."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    try:
        code = program()
    except NoArgsIsHelpError as exc:  # plain `peel`: its help, as a usage error
        env.stderr.write(exc.format_message() + "\n")
        return ExitCode.ERROR
    except UsageError as exc:
        from peelcli.render.messages import write_error

        write_error(env, usage_message(exc.format_message()))
        return ExitCode.ERROR
    except PeelError as exc:
        from peelcli.render.messages import write_error

        write_error(env, [str(p) for p in exc.problems], exc.hint)
        return ExitCode.ERROR
    except NothingMatched as exc:
        from peelcli.render.messages import write_nothing

        write_nothing(env, exc.message, exc.hints)
        return ExitCode.NO_MATCH
    except _ReaderGone:
        _silence_stdout()
        return ExitCode.OK
    except (typer.Abort, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode(code) if isinstance(code, int) else ExitCode.OK


def _silence_stdout() -> None:
    # The reader went away: stop writing, and let the final flush at exit go nowhere
    # instead of raising again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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

TrackerOption = Annotated[
    str | None,
    typer.Option(
        "--tracker",
        metavar="PATH",
        help="The tracker file (peel track). Default: $PEEL_TRACKER, else peel-tracker.yaml "
        "in the current directory, if there is one.",
        show_default=False,
    ),
]
TrackedStatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="Only findings with this tracked status (repeatable): 'awaiting allocation', "
        "'in progress', 'pending sign-off', 'closed' or 'untracked'.",
    ),
]
AsAtOption = Annotated[
    str | None,
    typer.Option(
        "--as-at",
        metavar="DATE",
        help="Tracked RAG and due dates as at this day (YYYY-MM-DD) rather than today, so "
        "that a paper made again later comes out the same.",
        show_default=False,
    ),
]
RagOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rag", metavar="RAG", help="Only findings rated red, amber, green or closed (repeatable)."
    ),
]

# --- the shared options, declared once, as sqlite-utils declares @output_options -------

F = TypeVar("F", bound=Callable[..., Any])

_CONTEXT = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)


def _option(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def _with_options(
    fn: Callable[..., Any],
    given: str,
    options: list[inspect.Parameter],
    build: Callable[..., Any],
    before: Sequence[str] = (),
) -> Any:
    """fn as a command that takes options in place of its parameter given, which receives
    build(ctx, **options) instead. The options go before the first parameter named in
    before (the command's own filters), else after the command's own parameters."""
    own = [p for p in inspect.signature(fn).parameters.values() if p.name != given]
    takes_ctx = any(p.name == "ctx" for p in own)
    at = next((n for n, p in enumerate(own) if p.name in before), len(own))
    params = [*own[:at], *options, *own[at:]]
    if not takes_ctx:
        params.append(_CONTEXT)
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]
    names = [p.name for p in options]

    @functools.wraps(fn)
    def run(**kwargs: Any) -> Any:
        ctx = kwargs["ctx"] if takes_ctx else kwargs.pop("ctx")
        chosen = {name: kwargs.pop(name) for name in names}
        return fn(**kwargs, **{given: build(ctx, **chosen)})

    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params}
    return run


def _env(ctx: typer.Context) -> Environment:
    """The run's environment, built once by the group."""
    env = ctx.find_object(Environment)
    return env if env is not None else ctx.ensure_object(Environment)


@dataclass(frozen=True)
class Output:
    """The output options: where a view goes and in which format."""

    env: Environment
    format: Format

    def write(self, view: "View[Any]") -> ExitCode:
        """The view to stdout, in the format chosen."""
        write(self.env, self.format, view)
        return ExitCode.OK

    def rows(self, view: "View[Any]", nothing: Callable[[], Exception]) -> ExitCode:
        """A listing to stdout; when it is empty, only a program's format writes it (`[]`, a
        CSV header), and nothing() says why on stderr."""
        if view.rows or self.format is not Format.table:
            write(self.env, self.format, view)
        if not view.rows:
            raise nothing()
        return ExitCode.OK


def _output(
    ctx: typer.Context, json_: bool, fmt: Format, color: bool | None, no_pager: bool
) -> Output:
    env = _env(ctx)
    if color is not None:
        env.color = color
    if no_pager:
        env.pager = False
    if json_ and fmt not in (Format.table, Format.json):
        raise PeelError(f"--json and --format {fmt.value} ask for two formats; choose one")
    return Output(env, Format.json if json_ else fmt)


def output_options(fn: F) -> F:
    """Give a command --json, --format, --color and --no-pager; it receives them as `out`."""
    options = [
        _option("json_", JsonOption, False),
        _option("fmt", FormatOption, Format.table),
        _option("color", ColorOption, None),
        _option("no_pager", PagerOption, False),
    ]
    return _with_options(fn, "out", options, _output)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Data:
    """The data options: the report files, and which forces and years of them."""

    env: Environment
    paths: list[str] | None
    forces: tuple[str, ...]
    years: tuple[int, ...]

    def scope(
        self,
        grade: Sequence[str] | None = None,
        kind: Sequence[str] | None = None,
        question: Sequence[str] | None = None,
    ) -> "Scope":
        """These forces and years, with a command's own filters by grade, kind and ID."""
        from peelcli.models import Grade, Kind
        from peelcli.query import Scope

        try:
            grades = tuple(Grade.parse(g) for g in grade or ())
            kinds = tuple(Kind.parse(k) for k in kind or ())
        except ValueError as exc:
            raise PeelError(str(exc)) from None
        questions = tuple(q.strip().upper() for q in question or ())
        return Scope(self.forces, self.years, grades, kinds, questions)

    def load(self, scope: "Scope | None" = None, caveat: bool = True) -> "Loaded":
        """The reports in scope (all of them without one); warnings to stderr, and, with
        caveat, the warning that grades of two eras of PEEL stand side by side."""
        from peelcli import api
        from peelcli.render.messages import ERA_CAVEAT, write_warning

        def warn(message: str) -> None:
            write_warning(self.env, message)

        loaded = api.load(self.paths, scope, warn=warn)
        if caveat and loaded.mixes_eras:
            warn(ERA_CAVEAT)
        return loaded

    def chosen(self, scope: "Scope", caveat: bool = True) -> "Loaded":
        """As load, but a --force or --year that leaves no report is an answer of its own."""
        loaded = self.load(scope, caveat)
        if loaded.nothing is not None:
            raise loaded.nothing
        return loaded


def _data(
    ctx: typer.Context, data: list[str] | None, force: list[str] | None, year: list[int] | None
) -> Data:
    return Data(_env(ctx), data, tuple(force or ()), tuple(year or ()))


# A command's own filters, before which the data options stand in its help.
_FILTERS = ("grade", "kind", "question", "threshold")


def data_options(fn: F) -> F:
    """Give a command --data, --force and --year; it receives them as `data`."""
    options = [
        _option("data", DataOption, None),
        _option("force", ForceOption, None),
        _option("year", YearOption, None),
    ]
    return _with_options(fn, "data", options, _data, before=_FILTERS)  # type: ignore[no-any-return]


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


def main() -> None:
    """The `peel` console script."""
    # Started with a stream closed (`peel … >&-`), Python leaves it None.
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    if sys.stdout is None:
        sys.stderr.write("peel: error: standard output is closed; nowhere to write results\n")
        sys.exit(ExitCode.ERROR)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    app(prog_name="peel", obj=Environment())
