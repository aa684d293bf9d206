"""The options commands share, declared once, as sqlite-utils declares `@output_options`.

`output_options` gives a command --format, --json, --color and --no-pager, and hands it an
`Output`; `data_options` gives it --data, --force and --year, and hands it `Data`, which
loads the reports in scope and warns as every command does. Filters a few commands share
(--grade, --kind, --question, the tracker's) are declared here too, and each command names
its own.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations on
# every run, and evaluating them from strings cost more than all the rest of its set-up.
import functools
import inspect
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from peelcli.env import Environment
from peelcli.errors import ExitCode, PeelError
from peelcli.render.output import Format, View, write

if TYPE_CHECKING:
    from peelcli.api import Loaded
    from peelcli.query import Scope

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


def _warn(env: Environment, message: str) -> None:
    from peelcli.render.messages import write_warning

    write_warning(env, message)


@dataclass(frozen=True)
class Output:
    """The output options: where a view goes and in which format."""

    env: Environment
    format: Format

    def warn(self, message: str) -> None:
        """A warning to stderr, for a library function's warn."""
        _warn(self.env, message)

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
        from peelcli import api

        return api.scope(self.forces, self.years, grade or (), kind or (), question or ())

    def load(self, scope: "Scope | None" = None, caveat: bool = True) -> "Loaded":
        """The reports in scope (all of them without one); warnings to stderr, and, with
        caveat, the warning that grades of two eras of PEEL stand side by side."""
        from peelcli import api
        from peelcli.render.messages import ERA_CAVEAT

        loaded = api.load(self.paths, scope, warn=self.warn)
        if caveat and loaded.mixes_eras:
            self.warn(ERA_CAVEAT)
        return loaded

    def warn(self, message: str) -> None:
        """A warning to stderr, for a library function's warn."""
        _warn(self.env, message)

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


def _names(option: Any) -> tuple[list[str], bool]:
    """An option's names (`--color/--no-color` is two), and whether it takes a value."""
    kind, info = typing.get_args(option)[:2]
    decls = [info.default, *info.param_decls] if isinstance(info.default, str) else []
    if not decls:
        decls = list(info.param_decls)
    return [n for decl in decls for n in decl.split("/")], kind not in (bool, bool | None)


# The options every command that reads reports shares, which may also come before the
# command (`peel --data X grades`): their names, as declared above.
SHARED = (DataOption, ForceOption, YearOption, FormatOption, JsonOption, ColorOption, PagerOption)
SHARED_VALUED = tuple(n for o in SHARED if _names(o)[1] for n in _names(o)[0])
SHARED_FLAGS = tuple(n for o in SHARED if not _names(o)[1] for n in _names(o)[0])
