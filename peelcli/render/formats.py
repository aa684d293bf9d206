"""Data formats for programs: JSON, JSON lines, CSV and Markdown. No rich here, so --json starts
fast."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from peelcli.env import Environment
from peelcli.render.sanitize import clean, clean_json

try:  # json's own C string quoting, which json.dumps uses; not in json's documented API
    from json.encoder import encode_basestring, encode_basestring_ascii
except ImportError:  # pragma: no cover - every CPython since 2.6 has them
    import functools

    encode_basestring = functools.partial(json.dumps, ensure_ascii=False)
    encode_basestring_ascii = functools.partial(json.dumps, ensure_ascii=True)


def write_json(env: Environment, data: Any) -> None:
    """One JSON document: UTF-8, or \\u escapes where stdout cannot carry it; controls escaped.

    Written a batch of records at a time, so that the text of a large listing is never
    whole in memory.
    """
    for piece in _pieces(data, ensure_ascii=not env.stdout_utf8, clean=_clean_json):
        env.stdout.write(piece)
    env.stdout.write("\n")


def _clean_json(text: str) -> str:
    """clean_json, which has nothing to do in most of a listing's records.

    JSON's encoders escape the C0 controls in strings, and its layout is spaces and line
    breaks: text of ASCII alone (which CPython knows without looking) can hold no other
    character clean_json escapes than DEL, which a plain search finds fast.
    """
    if text.isascii() and "\x7f" not in text:
        return text
    return clean_json(text)


class _Unusual(Exception):
    """A value the fast writer leaves to json.dumps."""


BATCH = 1000  # records written at a time


def _as_it_is(text: str) -> str:
    return text


def _pieces(
    data: Any, ensure_ascii: bool, clean: Callable[[str], str] = _as_it_is
) -> Iterator[str]:
    """The text of dumps(data), in pieces: a top-level list, or the lists that are the
    values of a top-level mapping, a batch of items at a time; each item passed through
    clean, and every other piece too."""
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    if type(data) is dict and data and all(type(k) is str for k in data):
        for n, (key, value) in enumerate(data.items()):
            yield clean(("{\n  " if n == 0 else ",\n  ") + quote(key) + ": ")
            yield from _value_pieces(value, "  ", quote, ensure_ascii, clean)
        yield "\n}"
    else:
        yield from _value_pieces(data, "", quote, ensure_ascii, clean)


def _value_pieces(
    value: Any,
    indent: str,
    quote: Callable[[str], str],
    ensure_ascii: bool,
    clean: Callable[[str], str],
) -> Iterator[str]:
    if type(value) is not list or len(value) < 2:
        yield clean(_one_value(value, indent, quote, ensure_ascii))
        return
    inner = indent + "  "
    for start in range(0, len(value), BATCH):
        batch = value[start : start + BATCH]
        try:
            # Cleaned value by value: each text once, and the most need no cleaning.
            items = _flat_records(batch, inner, quote, clean) if type(batch[0]) is dict else None
        except _Unusual:
            items = None
        if items is None:
            items = [_one_value(item, inner, quote, ensure_ascii) for item in batch]
            # Item by item: most need no cleaning, and the one that does is cleaned alone.
            items = [clean(item) for item in items]
        yield ("[\n" if start == 0 else ",\n") + inner + (",\n" + inner).join(items)
    yield "\n" + indent + "]"


def _one_value(value: Any, indent: str, quote: Callable[[str], str], ensure_ascii: bool) -> str:
    try:
        return _encode(value, indent, quote)
    except _Unusual:
        # JSON's indentation only adds up level by level, and its text holds no raw line
        # break: json.dumps's text, indented, is the text at this depth.
        return json.dumps(value, ensure_ascii=ensure_ascii, indent=2).replace("\n", "\n" + indent)


def dumps(data: Any, ensure_ascii: bool) -> str:
    """Exactly json.dumps(data, ensure_ascii=ensure_ascii, indent=2), in less time.

    With indent, json.dumps runs its pure-Python encoder, a share of a large corpus's run
    (docs/speed.md). This writes the records' plain types (dicts with text keys,
    lists, text, whole numbers, true, false, null) with the same C string encoder, and
    hands anything else to json.dumps.
    """
    return "".join(_pieces(data, ensure_ascii))


_CONSTANTS = {None: "null", True: "true", False: "false"}


def _encode(value: Any, indent: str, quote: Callable[[str], str]) -> str:
    kind = type(value)
    if kind is str:
        return quote(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):  # as json writes it; NaN and infinity are not
        return float.__repr__(value)
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
            # Text, whole numbers and null inline: a call for each would cost more than all
            # the rest.
            item_kind = type(item)
            if item_kind is str:
                items.append(quote(key) + ": " + quote(item))
            elif item_kind is int:
                items.append(quote(key) + ": " + int.__repr__(item))
            elif item is None:
                items.append(quote(key) + ": null")
            else:
                items.append(quote(key) + ": " + _encode(item, inner, quote))
        return "{\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        if type(value[0]) is dict and len(value) > 1:
            flat = _flat_records(value, inner, quote)
            if flat is not None:
                return "[\n" + inner + (",\n" + inner).join(flat) + "\n" + indent + "]"
        for item in value:
            items.append(quote(item) if type(item) is str else _encode(item, inner, quote))
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"
    raise _Unusual


def _flat_records(
    records: list[Any] | tuple[Any, ...],
    indent: str,
    quote: Callable[[str], str],
    clean: Callable[[str], str] = _as_it_is,
) -> list[str] | None:
    """Records with text keys, as JSON through one writer for each set of keys: a table's
    rows, where key after key costs most of the writing; every piece of their text passed
    through clean (which must change text character by character). None when they are not
    all such records."""
    # Text that recurs (a force, a question, a grade) is quoted and cleaned once in a batch;
    # the batch bounds what is kept.
    quoted = _Quoted(quote, clean)
    writers: dict[tuple[Any, ...], Callable[[dict[str, Any]], str]] = {}
    out: list[str] = []
    for record in records:
        if type(record) is not dict or not record:
            return None
        keys = tuple(record)
        writer = writers.get(keys)
        if writer is None:
            if not all(type(k) is str for k in keys):
                return None
            writer = writers[keys] = _record_writer(keys, indent, quote, clean)(quoted)
        out.append(writer(record))
    return out


class _Quoted(dict[str, str]):
    """Each text's JSON, cleaned, made the first time it is asked for."""

    def __init__(self, quote: Callable[[str], str], clean: Callable[[str], str]) -> None:
        super().__init__()
        self.quote = quote
        self.clean = clean

    def __missing__(self, text: str) -> str:
        made = self[text] = self.clean(self.quote(text))
        return made


_WRITERS: dict[tuple[Any, ...], Callable[[_Quoted], Callable[[dict[str, Any]], str]]] = {}


def _record_writer(
    keys: tuple[str, ...], indent: str, quote: Callable[[str], str], clean: Callable[[str], str]
) -> Callable[[_Quoted], Callable[[dict[str, Any]], str]]:
    """A function that writes a record with these keys, in this order, as JSON at this depth:
    straight-line code, one expression for the whole record. Text and null go in as they
    are, anything else through _other_value; each piece is cleaned."""
    made = _WRITERS.get((keys, indent, quote, clean))
    if made is not None:
        return made
    inner = indent + "  "
    pieces = [("{\n" if n == 0 else ",\n") + inner + quote(k) + ": " for n, k in enumerate(keys)]
    pieces = [*map(clean, pieces), "\n" + indent + "}"]
    values = ", ".join(f"v{n}" for n in range(len(keys)))
    body = "".join(
        f"{{P{n}}}{{Q[v{n}] if v{n}.__class__ is S else 'null' if v{n} is None else O(v{n})}}"
        for n in range(len(keys))
    )
    source = (
        "def make(Q):\n"
        "    def write(record):\n"
        f"        {values}, = record.values()\n"
        f'        return f"{body}{{P{len(keys)}}}"\n'
        "    return write\n"
    )
    # The pieces and helpers are bound as names: nothing of the data is in the source.
    space: dict[str, Any] = {f"P{n}": piece for n, piece in enumerate(pieces)}
    other = _other_value(inner, quote)
    space.update(S=str, O=other if clean is _as_it_is else lambda value: clean(other(value)))
    exec(compile(source, "<record writer>", "exec"), space)
    if len(_WRITERS) > 64:  # sets of keys can come from the data (a grid's areas)
        _WRITERS.clear()
    made = _WRITERS[(keys, indent, quote, clean)] = space["make"]
    return made  # type: ignore[no-any-return]


def _other_value(indent: str, quote: Callable[[str], str]) -> Callable[[Any], str]:
    """JSON of a record's value other than text or null, at this depth: whole numbers and
    lists of text nearly as they are, anything else through _encode."""
    item_indent = ",\n" + indent + "  "
    list_end = "\n" + indent + "]"

    def other(value: Any) -> str:
        kind = type(value)
        if kind is int:
            return int.__repr__(value)
        if kind is list and value and all(type(v) is str for v in value):
            return "[" + item_indent[1:] + item_indent.join(map(quote, value)) + list_end
        return _encode(value, indent, quote)

    return other


def write_jsonl(env: Environment, records: Iterable[Any]) -> None:
    """One JSON object per line, for streaming into jq, DuckDB or pandas; controls escaped."""
    ensure_ascii = not env.stdout_utf8
    env.stdout.write(
        "".join(
            clean_json(json.dumps(r, ensure_ascii=ensure_ascii, separators=(",", ":"))) + "\n"
            for r in records
        )
    )


def _cell(value: Any) -> str:
    """A record's value as one cell: paragraphs apart by a blank line, nested data as JSON."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


# A spreadsheet reads a cell that begins with one of these as a formula (or, for tab and
# carriage return, may drop them and read what follows as one): OWASP's CSV injection advice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a ' before it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def sheet_cell(value: Any) -> str:
    """A record's value as a spreadsheet's text cell: control characters escaped, and never
    the start of a formula."""
    return csv_safe(clean(_cell(value)))


def write_csv(env: Environment, records: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """Records as CSV with a header row; text keeps its newlines, control characters escaped,
    and no cell starts a spreadsheet formula."""
    import csv

    writer = csv.writer(env.stdout, lineterminator="\n")
    # Headers can be data too (the grid's areas are named by the report): cleaned as cells are.
    writer.writerow(distinct([csv_safe(clean(c)) for c in columns]))
    for record in records:
        writer.writerow([sheet_cell(record.get(c)) for c in columns])


def markdown_text(text: str) -> str:
    """Text for Markdown: control and invisible characters escaped, HTML's <, > and & as
    entities, so nothing in it becomes markup."""
    import html

    return html.escape(clean(text), quote=False)


def distinct(headers: Sequence[str]) -> list[str]:
    """Headers with any repeated one numbered, so that a reader keyed by header loses nothing.

    Distinct names can show alike once cleaned (a raw ESC and the text \\x1b).
    """
    seen: set[str] = set()
    out: list[str] = []
    for name in headers:
        shown, n = name, 1
        while shown in seen:
            n += 1
            shown = f"{name} ({n})"
        seen.add(shown)
        out.append(shown)
    return out


def _markdown_text_cell(text: str) -> str:
    cell = markdown_text(text).replace("|", "\\|")
    return cell.replace("\t", " ").replace("\n", "<br>")


def _markdown_cell(field: str, value: Any) -> str:
    if field == "matches" and isinstance(value, list):
        text = ", ".join(f"“{m.get('text', '')}”" for m in value if isinstance(m, dict))
    elif field == "earlier_grades" and isinstance(value, list):
        text = "; ".join(f"{e.get('year')}: {e.get('grade')}" for e in value if isinstance(e, dict))
    else:
        text = _cell(value)
    return _markdown_text_cell(text)


def write_markdown(
    env: Environment, records: Iterable[dict[str, Any]], columns: Sequence[str]
) -> None:
    """Records as a Markdown table, for briefing notes: headers in words, every field."""
    from peelcli.render.records import header

    headers = distinct([_markdown_text_cell(header(c)) for c in columns])
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(columns)]
    lines += [
        "| " + " | ".join(_markdown_cell(c, r.get(c)) for c in columns) + " |" for r in records
    ]
    env.stdout.write("\n".join(lines) + "\n")
