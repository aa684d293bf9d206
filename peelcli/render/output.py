"""The one output path: every command hands a view to `write`, which picks the format.

Imported at start-up (the formats are the command line's choices), so it imports
nothing heavy: the terminal renderer and the data formats load when used.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from peelcli.env import Environment

Row = TypeVar("Row")


class Format(str, enum.Enum):
    """Output formats: a table (or other layout) for people, the rest for programs."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


@dataclass(frozen=True)
class View(Generic[Row]):
    """What a command shows, in every format: its rows and how each format draws them."""

    rows: Sequence[Row]
    record: Callable[[Row], dict[str, Any]]  # a row as JSON, JSON lines, CSV and Markdown see it
    columns: Sequence[str]  # the record fields CSV and Markdown show, in order
    terminal: Callable[[Environment, Sequence[Row]], None]  # the layout for people
    # The whole JSON document, from the records, where it is not simply their list.
    document: Callable[[list[dict[str, Any]]], Any] | None = None
    # Markdown to paste into a document, where a table of the records would not read well.
    briefing: Callable[[Sequence[Row]], str] | None = None


def write(env: Environment, fmt: Format, view: View[Any]) -> None:
    """A view in the chosen format, to stdout; through a pager when it is a terminal."""
    with written_whole(env):
        if env.pager and env.stdout_isatty and os.environ.get("PEEL_PAGER") != "":
            from peelcli.render.pager import paged

            with paged(env) as held:
                _write(held, fmt, view)
        else:
            _write(env, fmt, view)


def write_text(env: Environment, text: str) -> None:
    """Text to stdout as it is, such as a dataset, written whole or said not to be."""
    with written_whole(env):
        env.stdout.write(text)


@contextmanager
def written_whole(env: Environment) -> Iterator[None]:
    """Output that is flushed before it counts as written: a disk that fills or a file size
    limit is a PeelError naming standard output (exit 2), as cat and jq say so, never a
    success with part of the output missing. A reader that goes away (EPIPE) is not an
    error, and is left to the caller."""
    try:
        yield
        env.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        from peelcli.errors import PeelError, os_message

        raise PeelError(f"cannot write standard output: {os_message(exc)}") from None


def _write(env: Environment, fmt: Format, view: View[Any]) -> None:
    if fmt is Format.table:
        view.terminal(env, view.rows)
        return
    from peelcli.render import formats

    records = [view.record(row) for row in view.rows]
    if fmt is Format.json:
        formats.write_json(env, view.document(records) if view.document else records)
    elif fmt is Format.jsonl:
        formats.write_jsonl(env, records)
    elif fmt is Format.csv:
        formats.write_csv(env, records, view.columns)
    elif fmt is Format.markdown and view.briefing is not None:
        env.stdout.write(view.briefing(view.rows))
    elif fmt is Format.markdown:
        formats.write_markdown(env, records, view.columns)
    else:  # pragma: no cover - the enum has no other member
        raise AssertionError(fmt)
