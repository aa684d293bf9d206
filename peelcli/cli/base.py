"""The `peel` app: its command group, and the one place where an error becomes its message and
an exit code.

The commands live in one module per family (`browse`, `comparing`, `importing`, `checking`),
with the options they share in `options`; each reads its options, calls one function of
`peelcli.api` and hands the result to `peelcli.render`. Heavy modules (the loader, pydantic,
rich) are imported inside the commands that need them, so `peel --help` and `--json` output
do not pay for what they do not use.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations on
# every run, and evaluating them from strings cost more than all the rest of its set-up.
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from peelcli import __version__
from peelcli.cli.options import SHARED_FLAGS, SHARED_VALUED
from peelcli.cli.wording import worded_hint, worded_nothing, worded_problems
from peelcli.env import Environment
from peelcli.errors import ExitCode, NothingMatched, PeelError

_SHORT_VALUED = tuple(name for name in SHARED_VALUED if len(name) == 2)


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
        if name in SHARED_FLAGS:
            moved.append(args.pop(i))
        elif name in SHARED_VALUED:
            moved.append(args.pop(i))
            if "=" not in arg and i < len(args):
                moved.append(args.pop(i))
        elif arg[:2] in _SHORT_VALUED and len(arg) > 2:  # -dPATH, -fcsv
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
        shared = SHARED_VALUED + SHARED_FLAGS
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


def usage_errors() -> tuple[type[Any], type[Any]]:
    """The usage errors the parser raises: plain `peel`, and every other."""
    try:  # typer below 0.29 vendors click, and names its exceptions nowhere public
        from typer._click.exceptions import NoArgsIsHelpError, UsageError
    except ImportError:  # a typer that parses with click itself: click's public ones
        from click.exceptions import (  # type: ignore[assignment]
            NoArgsIsHelpError,
            UsageError,
        )
    return NoArgsIsHelpError, UsageError


def exit_code(program: Callable[[], Any], env: Environment) -> ExitCode:
    """Run the program; every error it raises becomes its message and an exit code, here and
    nowhere else (the process around it, in `peelcli.__main__`, handles only what happens
    before the command line is loaded, and defects)."""
    NoArgsIsHelpError, UsageError = usage_errors()
    try:
        code = program()
    except NoArgsIsHelpError as exc:  # plain `peel`: its help, as a usage error
        env.stderr.write(exc.format_message() + "\n")
        return ExitCode.ERROR
    except UsageError as exc:
        from peelcli.render.messages import write_error

        write_error(env, *_usage(exc))
        return ExitCode.ERROR
    except PeelError as exc:
        from peelcli.render.messages import write_error

        write_error(env, worded_problems(exc), worded_hint(exc))
        return ExitCode.ERROR
    except NothingMatched as exc:
        from peelcli.render.messages import write_nothing

        write_nothing(env, *worded_nothing(exc))
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


def _usage(exc: Any) -> tuple[str, str | None]:
    # A shared option given to a command that does not take it (`peel --force X validate`):
    # said as that, not as a typo with options of other meanings to suggest.
    name, ctx = getattr(exc, "option_name", None), getattr(exc, "ctx", None)
    if name in SHARED_VALUED + SHARED_FLAGS and ctx is not None and ctx.parent is not None:
        return (
            f"{ctx.command_path} takes no {name}",
            "'peel -h' lists the shared options each command takes.",
        )
    return usage_message(exc.format_message()), None


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
$PEEL_DATA names a report file or a directory of them.

The shared options a command takes may also come before it: peel --data reports/ grades.
The commands that read reports (grades, questions, show, findings, search, compare,
similar and track's commands) take --data, --force, --year, --format, --json, --color and
--no-pager; validate takes them all but --force and --year, as it checks whole files;
schema takes --format, --json, --color and --no-pager; export takes --data, --force and
--year; import has a --force and a --year of its own, for the report it makes.""",
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
