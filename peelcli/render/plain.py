"""Output for programs: JSON, CSV and Markdown. No rich here, so --json starts fast."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from peelcli.env import Environment
from peelcli.render.sanitize import clean, clean_line


def write_json(env: Environment, data: Any) -> None:
    """One JSON document; non-ASCII as UTF-8, or as \\u escapes where stdout cannot carry it."""
    env.stdout.write(dumps(data, ensure_ascii=not env.stdout_utf8) + "\n")


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
    out: list[str] = []
    write = out.append

    def scalar(value: Any) -> str | None:
        kind = type(value)
        if kind is str:
            return quote(value)
        if kind is int:
            return int.__repr__(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        return None

    def container(value: Any, indent: str) -> None:
        if len(indent) > 200:
            raise _Unusual  # deep enough to be a cycle: json.dumps says so
        inner = indent + "  "
        kind = type(value)
        if kind is dict:
            if not value:
                write("{}")
                return
            write("{\n" + inner)
            first = True
            for key, item in value.items():
                if type(key) is not str:
                    raise _Unusual
                if not first:
                    write(",\n" + inner)
                first = False
                write(quote(key) + ": ")
                text = scalar(item)
                if text is None:
                    container(item, inner)
                else:
                    write(text)
            write("\n" + indent + "}")
        elif kind is list or kind is tuple:
            if not value:
                write("[]")
                return
            write("[\n" + inner)
            first = True
            for item in value:
                if not first:
                    write(",\n" + inner)
                first = False
                text = scalar(item)
                if text is None:
                    container(item, inner)
                else:
                    write(text)
            write("\n" + indent + "]")
        else:
            raise _Unusual

    text = scalar(data)
    if text is not None:
        return text
    try:
        container(data, "")
    except _Unusual:
        return json.dumps(data, ensure_ascii=ensure_ascii, indent=2)
    return "".join(out)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


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


def write_error(env: Environment, message: str, hint: str | None = None) -> None:
    """An error for a person on stderr: what is wrong, then what to do; sanitised."""
    lines = message.splitlines() or [message]
    env.stderr.write("".join(f"peel: error: {clean(line)}\n" for line in lines))
    if hint:
        env.stderr.write(f"peel: {clean(hint)}\n")
