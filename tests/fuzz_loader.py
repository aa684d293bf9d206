"""Fuzz the loader: any bytes in, a report or a PeelError out, and never anything else.

Inputs are raw bytes, YAML made of hostile fragments, and valid reports with fragments inserted,
deleted or swapped in. Whatever the loader accepts is rendered too, every way peel can show it,
and must come out without a raw control character.

The suite runs it for a few seconds (tests/test_hostile_yaml.py). Run it longer by hand:

    python tests/fuzz_loader.py --seconds 600 [--seed N]

A failure prints the smallest input hypothesis found, and exits 1.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fuzzing
from hostile_support import HOSTILE_PIECES, raw_controls, report_data, to_yaml
from hypothesis import strategies as st

from peelcli.dataset import parse, yamlrs
from peelcli.dataset.files import Source, decode
from peelcli.dataset.loader import parse_report
from peelcli.env import Environment
from peelcli.errors import PeelError
from peelcli.models import Report
from peelcli.query import (
    Scope,
    compile_terms,
    finding_rows,
    grade_rows,
    question_rows,
    search,
)
from peelcli.render import formats, records
from peelcli.render import reading_terminal as terminal

DATASET = Path(__file__).resolve().parent.parent / "data" / "metropolitan_2016.yaml"

# Pieces of YAML syntax that parsers trip on, and a few hostile strings.
FRAGMENTS: tuple[str, ...] = (
    "[",
    "]",
    "{",
    "}",
    ",",
    "- ",
    ": ",
    "? ",
    "\n",
    "\n  ",
    "\t",
    "#",
    "&a ",
    "*a",
    "&a [*a, *a]",
    "!!int ",
    "!!str ",
    "!!float ",
    "!!binary ",
    "!!set ",
    "!!timestamp ",
    "!!python/object/apply:os.system ",
    "!x ",
    "!<tag:yaml.org,2002:str> ",
    "%YAML 1.1\n",
    "%TAG ! tag:example.com,2000:\n",
    "---\n",
    "...\n",
    "|\n  ",
    ">-\n  ",
    "'",
    "''",
    '"',
    '"\\x1b[31m"',
    '"\\ud800"',
    '"\\U0001F600"',
    '"\\0\\a\\e\\N\\_\\L\\P"',
    "2016-13-45",
    "0129",
    "1e3",
    ".nan",
    "~",
    "null",
    "NO",
    "<<: ",
    "\ufeff",
    "\x00",
    "\x1b",
    "\x85",
    "\u2028",
    "é",
    "😀",
    # Where YAML 1.2, which yaml-rs reads, and peel's rules part.
    "0x1F",
    "0o17",
    "+12",
    "-0",
    "1.5",
    ".inf",
    "1_000",
    "12:30",
    "yes",
    "True",
    "2016-01-01",
    "\r",
    "\r\n",
    "\x7f",
    "\x9b",
    "\ufffe",
    "\u2029",
    "- - - ",
    "|+\n  ",
    ">2\n   ",
    "- ? a\n  : b",
    "[a, {b: c}]",
    "{? a}",
    "!!str",
)
SEEDS: tuple[str, ...] = (
    to_yaml(report_data("Text")),
    DATASET.read_text(encoding="utf-8").split("  - id: E2\n")[0],  # the first question
)


@st.composite
def mutated(draw: st.DrawFn, pieces: tuple[str, ...] | None = None) -> bytes:
    """A valid report with a few fragments inserted, removed or swapped in."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        span = draw(st.integers(min_value=0, max_value=8))
        if pieces is None:
            piece = draw(st.sampled_from(FRAGMENTS + tuple(HOSTILE_PIECES)) | st.text(max_size=4))
        else:
            piece = draw(st.sampled_from(pieces))
        if draw(st.booleans()):
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + piece + text[at + span :]
    if pieces is not None:
        return text.encode()
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "latin-1", "utf-16"]))
    return text.encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace")


# The fragments yaml-rs may be handed (peelcli.dataset.yamlrs turns the others away), so that
# a good share of the inputs reach it.
TO_YAML_RS = tuple(
    piece
    for piece in (*FRAGMENTS, "a", "1", "0", "-1", " ", "  ", "'", '"', "é", "x: y", "k:")
    if yamlrs.read(f"a: {piece}\n".encode("utf-8", "surrogatepass"), 64, 1000) is not None
    or piece in {"\n", "\n  ", ": ", "- ", "? ", ",", "[", "]", "{", "}", "'", '"', "#"}
)


fragments = (
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=30)
    .map("".join)
    .map(lambda text: text.encode("utf-8", "surrogatepass"))
)
inputs = st.one_of(st.binary(max_size=400), fragments, mutated(), mutated(TO_YAML_RS))


def render(report: Report) -> str:
    """Everything peel can show of a report, as one string."""
    stdout = io.StringIO()
    for colour in (False, True):
        env = Environment(stdout=stdout, stderr=io.StringIO(), color=colour, width=60)
        rows = question_rows([report], Scope())
        found = finding_rows([report], Scope())
        terminal.render_grades(env, grade_rows([report], Scope(), rows))
        terminal.render_questions(env, rows, brief=False)
        for row in rows:
            terminal.render_question_in_full(env, row)
        terminal.render_findings(env, found)
        for finding in found:
            terminal.render_finding(env, finding)
        hits = search([report], Scope(), compile_terms(["e"], regex=True), all_text=True)
        terminal.render_hits(env, hits)
        table = [records.finding_record(f) for f in found]
        formats.write_csv(env, table, records.FINDING_COLUMNS)
        formats.write_markdown(env, table, records.FINDING_COLUMNS)
        formats.write_json(env, table)
    return stdout.getvalue()


def check(data: bytes) -> None:
    """The loader returns a report, which renders cleanly, or raises a PeelError that says why;
    and the fast YAML reader gives exactly what the reference reader gives."""
    same_yaml_as_reference(data)
    try:
        report = parse_report(Source("fuzz.yaml", data))
    except PeelError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    assert raw_controls(render(report), colour=True) == []


def _yaml_outcome(read: Callable[[str, str], Any], text: str) -> tuple[str, str]:
    try:
        return "data", repr(read(text, "fuzz.yaml"))  # repr: True and 1 differ
    except PeelError as exc:
        return "error", str(exc)


def same_yaml_as_reference(data: bytes) -> None:
    """The event reader's data or error is the reference reader's, word for word; and what
    it, or yaml-rs, reads from the bytes themselves, it reads as the reference reads their
    text."""
    from_bytes = parse.regular_data(data)
    try:
        text = decode(data, "fuzz.yaml")
    except PeelError:
        assert from_bytes is None, data  # what decoding refuses, the bytes' reader refuses
        return
    reference = _yaml_outcome(parse.reference_yaml, text)
    assert _yaml_outcome(parse.parse_yaml, text) == reference, text
    if from_bytes is not None:
        assert ("data", repr(from_bytes)) == reference, text
    by_yaml_rs = yamlrs.read(data, parse.MAX_DEPTH, parse.MAX_VALUES)
    if by_yaml_rs is not None:  # what yaml-rs is handed, it reads as the reference reader
        assert ("data", repr(by_yaml_rs)) == reference, text


CHECK = check


def fuzz(
    seconds: float | None = None, seed_value: int | None = None, examples: int | None = None
) -> int:
    """Check `examples` generated inputs, or for about `seconds`; the number checked.

    Raises on a failure.
    """
    return fuzzing.fuzz(inputs, CHECK, seconds, seed_value, examples)


def main(argv: list[str] | None = None) -> int:
    """Fuzz from the command line."""
    return fuzzing.main("fuzz_loader", __doc__.splitlines()[0], fuzz, argv)


if __name__ == "__main__":
    sys.exit(main())
