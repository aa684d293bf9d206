"""Output for programs: JSON, CSV and Markdown. No rich here, so --json starts fast."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from peelcli.env import Environment
from peelcli.render.sanitize import clean, clean_json, clean_line


def write_json(env: Environment, data: Any) -> None:
    """One JSON document: UTF-8, or \\u escapes where stdout cannot carry it; controls escaped."""
    text = json.dumps(data, ensure_ascii=not env.stdout_utf8, indent=2)
    env.stdout.write(clean_json(text) + "\n")


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


def write_error(env: Environment, messages: str | Sequence[str], hint: str | None = None) -> None:
    """Errors for a person on stderr, one line each, then what to do; sanitised.

    A message quotes the input (file names, field paths, values), so a line break
    in it is escaped like any control character: data cannot start a line of its own.
    """
    lines = [messages] if isinstance(messages, str) else messages
    env.stderr.write("".join(f"peel: error: {clean_line(line)}\n" for line in lines))
    if hint:
        env.stderr.write(f"peel: {clean_line(hint)}\n")
