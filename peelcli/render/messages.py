"""Messages for a person on stderr: errors, warnings, explanations. One line each, sanitised."""

from __future__ import annotations

from collections.abc import Sequence

from peelcli.env import Environment
from peelcli.render.sanitize import clean_line

ERA_CAVEAT = (
    "grades of PEEL assessments (from 2021, five grades, by area of policing) cannot be "
    "compared directly with grades of earlier PEEL (four grades, by question)"
)


def write_error(env: Environment, messages: str | Sequence[str], hint: str | None = None) -> None:
    """Errors for a person on stderr, one line each, then what to do; sanitised.

    A message quotes the input (file names, field paths, values), so a line break
    in it is escaped like any control character: data cannot start a line of its own.
    """
    lines = [messages] if isinstance(messages, str) else messages
    env.stderr.write("".join(f"peel: error: {clean_line(line)}\n" for line in lines))
    if hint:
        env.stderr.write(f"peel: {clean_line(hint)}\n")


def write_warning(env: Environment, message: str) -> None:
    """A warning for a person on stderr, on one line, sanitised; the run goes on."""
    env.stderr.write(f"peel: warning: {clean_line(message)}\n")


def write_explanation(env: Environment, message: str) -> None:
    """Where a value came from (--explain), on stderr, on one line, sanitised."""
    env.stderr.write(f"peel: explain: {clean_line(message)}\n")


def write_done(env: Environment, message: str) -> None:
    """What a command that writes files wrote, on stderr, on one line, sanitised."""
    env.stderr.write(f"peel: {clean_line(message)}\n")


def write_nothing(env: Environment, message: str, hints: Sequence[str] = ()) -> None:
    """Why a command shows nothing (exit status 1), then what might find something."""
    env.stderr.write(f"peel: {clean_line(message)}\n")
    env.stderr.write("".join(f"peel: {clean_line(hint)}\n" for hint in hints))
