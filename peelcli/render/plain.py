"""Output for programs: JSON, CSV and Markdown. No rich here, so --json starts fast."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from peelcli.env import Environment
from peelcli.render.sanitize import clean, clean_json, clean_line


def write_json(env: Environment, data: Any) -> None:
    """One JSON document: UTF-8, or \\u escapes where stdout cannot carry it; controls escaped."""
    env.stdout.write(clean_json(dumps(data, ensure_ascii=not env.stdout_utf8)) + "\n")


class _Unusual(Exception):
    """A value the fast writer leaves to json.dumps."""


def dumps(data: Any, ensure_ascii: bool) -> str:
    """Exactly json.dumps(data, ensure_ascii=ensure_ascii, indent=2), in 60% of its time.

    With indent, json.dumps runs its pure-Python encoder; for 1,000 reports' records that
    was a tenth of the run. This writes the records' plain types (dicts with text keys,
    lists, text, whole numbers, true, false, null) with the same C string encoder, and
    hands anything else to json.dumps.
    """
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    try:
        return _encode(data, "", quote)
    except _Unusual:
        return json.dumps(data, ensure_ascii=ensure_ascii, indent=2)


_CONSTANTS = {None: "null", True: "true", False: "false"}


def _encode(value: Any, indent: str, quote: Callable[[str], str]) -> str:
    kind = type(value)
    if kind is str:
        return quote(value)
    if kind is int:
        return int.__repr__(value)
    if value is None or kind is bool:
        return _CONSTANTS[value]
    if len(indent) > 200:
        raise _Unusual  # deep enough to be a cycle: json.dumps says so
    inner = indent + "  "
    items: list[str] = []
    if kind is dict:
        if not value:
            return "{}"
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            # Text and numbers inline: a call for each would cost a third more.
            item_kind = type(item)
            if item_kind is str:
                items.append(quote(key) + ": " + quote(item))
            elif item_kind is int:
                items.append(quote(key) + ": " + int.__repr__(item))
            else:
                items.append(quote(key) + ": " + _encode(item, inner, quote))
        return "{\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        for item in value:
            items.append(quote(item) if type(item) is str else _encode(item, inner, quote))
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"
    raise _Unusual


def write_records(
    env: Environment,
    fmt: str,
    records: list[dict[str, Any]],
    columns: Sequence[str],
    document: Any = None,
) -> None:
    """Records as "json", "csv" or "markdown"; JSON writes ``document`` instead when given."""
    if fmt == "json":
        write_json(env, records if document is None else document)
    elif fmt == "csv":
        write_csv(env, records, columns)
    else:
        write_markdown(env, records, columns)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def write_warning(env: Environment, message: str) -> None:
    """A warning for a person on stderr, on one line, sanitised; the run goes on."""
    env.stderr.write(f"peel: warning: {clean_line(message)}\n")


def write_explanation(env: Environment, message: str) -> None:
    """Where a value came from (--explain), on stderr, on one line, sanitised."""
    env.stderr.write(f"peel: explain: {clean_line(message)}\n")


def write_file(name: str, text: str, protect: Sequence[str] = ()) -> None:
    """Text to a file as UTF-8, whole or not at all: a failure leaves what was there before.

    ``protect`` names files that must not be replaced, such as the input of the run.
    """
    import contextlib
    import os
    import tempfile
    from pathlib import Path

    from peelcli.errors import PeelError, Problem, os_message

    path = Path(name)
    data = text.encode("utf-8")
    try:
        exists = path.exists()
        if exists and any(os.path.exists(p) and path.samefile(p) for p in protect):
            raise PeelError(Problem("is the file being read; write to another file", name))
        if exists and not path.is_file():  # /dev/stdout, a FIFO: nothing to replace
            with open(path, "wb") as handle:
                handle.write(data)
            return
        mask = os.umask(0)
        os.umask(mask)
        mode = path.stat().st_mode & 0o7777 if exists else 0o666 & ~mask
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise PeelError(Problem(f"cannot write: {os_message(exc)}", name)) from None


def write_csv(env: Environment, records: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """Records as CSV with a header row; text keeps its newlines, control characters escaped."""
    import csv

    writer = csv.writer(env.stdout, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([clean(_cell(record.get(c))) for c in columns])


def write_markdown(
    env: Environment, records: Iterable[dict[str, Any]], columns: Sequence[str]
) -> None:
    """Records as a Markdown table, for briefing notes."""

    def cell(value: Any) -> str:
        return clean_line(_cell(value)).replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in records]
    env.stdout.write("\n".join(lines) + "\n")


def write_error(env: Environment, messages: str | Sequence[str], hint: str | None = None) -> None:
    """Errors for a person on stderr, one line each, then what to do; sanitised.

    A message quotes the input (file names, field paths, values), so a line break
    in it is escaped like any control character: data cannot start a line of its own.
    """
    lines = [messages] if isinstance(messages, str) else messages
    env.stderr.write("".join(f"peel: error: {clean_line(line)}\n" for line in lines))
    if hint:
        env.stderr.write(f"peel: {clean_line(hint)}\n")
