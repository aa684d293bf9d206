"""Fuzz the importer: any text in, a valid report or a PeelError out; by hand, each in a budget.

Three targets, chosen with --target: "import" (the default) fuzzes the text importer as below;
"charset" fuzzes the reading of web pages that declare a charset (any name Python's codecs know,
the browsers' labels, made-up names) over bytes in many encodings; "pdf" fuzzes the reading of
PDF bytes, a small real PDF with bytes flipped, cut, repeated or PDF syntax put in. Either of the
last two must give a document or a PeelError, never any other exception: a PDF is read in a
child process under its limits, so that even a crash of the PDF library is a PeelError.

Inputs are lines drawn from what the importer recognises in every era (titles, pillar and area
headings, grades alone on a line, judgement tables, findings headings, bullets, site furniture)
mixed with hostile pieces, and the shipped and fictional report texts with fragments inserted,
deleted or swapped in. Whatever the importer returns must be a report that `peel validate`
accepts as the YAML import writes it. Run by hand, every input must also be answered within a
time budget; the suite checks a fixed number of inputs without one, since a busy machine would
break it, and bounds import's work by counting it (tests/test_importer.py). Run it by hand:

    python tests/fuzz_import.py --seconds 600 [--seed N] [--target import|charset|pdf]

A failure prints the smallest input hypothesis found, and exits 1.
"""

from __future__ import annotations

import argparse
import codecs
import encodings.aliases
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import fuzzing
from fixture_docs import LEFT, TOP, body_lines, hand_pdf
from hypothesis import strategies as st

from peelcli.dataset.dump import dump_report
from peelcli.dataset.files import Source
from peelcli.dataset.loader import parse_report
from peelcli.errors import PeelError
from peelcli.importer import import_text
from peelcli.reading import to_text
from peelcli.reading.charsets import CODECS
from peelcli.reading.html import read_html
from peelcli.report_checks import id_problems

ROOT = Path(__file__).resolve().parent.parent
# Seconds one input may take, run by hand. Inputs are a few kilobytes: a linear importer
# answers in milliseconds, a quadratic one in this much time only for inputs far larger.
BUDGET = 2.0

LINES: tuple[str, ...] = (
    "Examplshire PEEL 2016",
    "Avon and Somerset PEEL 2018",
    "PEEL 2021/22: An inspection of Exampleshire Police",
    "PEEL 2023–25: An inspection of Exampleshire Police",
    "Skip to content",
    "Last updated 02/03/2017",
    "Effectiveness",
    "Efficiency",
    "Legitimacy",
    "How effective is the force at keeping people safe and reducing crime?",
    "How efficient is the force at keeping people safe and reducing crime?",
    "How effective is the force at tackling crime?",
    "How effective are the force’s specialist capabilities?",
    "Overall summary",
    "Our judgments",
    "Important changes to PEEL",
    "HM Inspector’s observations",
    "Investigating crime",
    "Investigating crime Requires improvement",
    "Victim service assessment Not graded",
    "Protecting vulnerable people",
    "Good",
    "Adequate",
    "Requires improvement",
    "Not graded",
    "Areas for improvement",
    "Area for improvement 1",
    "Cause of concern",
    "Cause of concern 2",
    "Recommendations",
    "Innovative practice",
    "Promising practice",
    "Main findings",
    "Exampleshire Police is adequate at investigating crime.",
    "Examplshire Constabulary is good at preventing crime.",
    "The force requires improvement. It is not good.",
    "In 2015 the force was graded as ‘inadequate’.",
    "This is a deterioration on last year, when we judged the force to require improvement.",
    "This judgment has been carried over from the 2017 inspection.",
    "Within three months, the force should:",
    "Within six months, the force should review its vetting.",
    "- The force should share effective practice.",
    "• clear its backlog;",
    "•",
    "HMIC",
    "HMICFRS",
)
PIECES: tuple[str, ...] = (
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "e.g. ",
    "2015 ",
    ". ",
    ": ",
    "?",
    "‘",
    "’",
    "\u00a0",
    "\u2028",
    "\x00",
    "\x1b[31m",
    "\ufeff",
    "😀",
)
SEEDS: tuple[str, ...] = (
    (ROOT / "data" / "source" / "metropolitan_2016.txt").read_text(encoding="utf-8"),
    *(
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
    ),
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real or fictional report with a few fragments inserted, removed or swapped in."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        span = draw(st.integers(min_value=0, max_value=40))
        piece = draw(
            st.sampled_from(PIECES)
            | st.sampled_from(LINES).map(lambda line: f"\n{line}\n")
            | st.text(max_size=4)
        )
        if draw(st.booleans()):
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + piece + text[at + span :]
    return text


built = st.lists(
    st.sampled_from(LINES) | st.sampled_from(PIECES) | st.text(max_size=20), max_size=40
).map("\n".join)
repeated = st.tuples(st.sampled_from(LINES + PIECES), st.integers(1, 2000)).map(
    lambda pair: (
        LINES[0] + "\nEffectiveness\nHow effective is the force at x?\n" + pair[0] * pair[1]
    )
)
inputs = st.one_of(built, mutated(), repeated)


def check(text: str) -> None:
    """A report that validates as written, or a PeelError that says why."""
    try:
        result = import_text(text, "fuzz.txt")
    except PeelError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert id_problems(result.report) == []
        assert parse_report(Source("fuzz.yaml", dump_report(result.report).encode())) == (
            result.report
        )
        assert all(w.message for w in result.warnings)


def check_in_budget(text: str) -> None:
    """check, and within BUDGET seconds: for a run by hand, on a machine otherwise idle."""
    started = time.perf_counter()
    check(text)
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET, f"{elapsed:.2f} s for {len(text)} characters"


# --- a page's declared charset -----------------------------------------------------------

NOT_ENCODINGS = ("hex", "base64", "bz2", "quopri", "rot13", "uu", "zlib", "undefined", "idna")
CHARSETS: tuple[str, ...] = (
    *sorted({*CODECS, *encodings.aliases.aliases, *encodings.aliases.aliases.values()}),
    *NOT_ENCODINGS,
    "punycode",
)
PAGE_TEXT = ("Clare’s Law", "Good", "Полиция", "警察", "café", "\x00", "&amp;", "<p>", "\ufeff")


@st.composite
def declared_pages(draw: st.DrawFn) -> bytes:
    """A page declaring a charset, in that or another encoding, with bytes of any kind."""
    label = draw(st.sampled_from(CHARSETS) | st.text(max_size=12))
    quote = draw(st.sampled_from(['"', "'", ""]))
    text = "".join(draw(st.lists(st.sampled_from(PAGE_TEXT) | st.text(max_size=8), max_size=8)))
    page = f"<html><head><meta charset={quote}{label}{quote}></head><body><p>{text}</p></body>"
    codec = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "koi8_r", "cp932", "gb18030"]))
    data = page.encode(codec, errors="replace")
    return data + draw(st.binary(max_size=16))


def check_page(data: bytes) -> None:
    """A document or a PeelError, read in this process: decoding is what is fuzzed."""
    try:
        document = read_html(data, "fuzz.html")
    except PeelError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert document.kind == "html"
        codecs.encode(document.text, "utf-8")  # text, not surrogates half a pair


# --- PDF bytes ------------------------------------------------------------------------


@cache
def seed_pdf() -> bytes:
    """A small real PDF with a contents page and footnote: the bytes mutated."""
    return hand_pdf(
        [
            [(LEFT, TOP, "Exampleshire PEEL 2023", 16, "Helvetica-Bold")],
            body_lines(["Contents", "Overall summary ........ 3", "Investigating crime .... 5"]),
            body_lines(["Investigating crime    Good", "The force is good at it.2", "2 A note."]),
        ]
    )


PDF_PIECES = (
    b"/FlateDecode", b"/Filter", b"stream\n", b"endstream", b"obj", b"endobj", b"<<", b">>",
    b"[", b"]", b"/Count 99999999", b"/Kids [", b"R", b"0 0 R", b"BT", b"ET", b"Tj", b"(x)",
    b"%PDF-1.7", b"%%EOF", b"xref", b"trailer", b"\x00", b"\xff" * 8, b"9" * 12,
)  # fmt: skip


@st.composite
def pdf_bytes(draw: st.DrawFn) -> bytes:
    """The seed PDF with a few pieces of it flipped, cut, repeated or replaced."""
    data = seed_pdf()
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        span = draw(st.integers(min_value=0, max_value=64))
        piece = draw(
            st.sampled_from(PDF_PIECES) | st.binary(max_size=8) | st.just(data[at : at + span])
        )
        data = data[:at] + piece + data[at + draw(st.sampled_from([0, span])) :]
    return data


def check_pdf(data: bytes) -> None:
    """A document or a PeelError, read as peel import reads it: in a child, under limits."""
    try:
        document = to_text(data, "fuzz.pdf")
    except PeelError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert document.kind in ("pdf", "text")


TARGETS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], None]]] = {
    "import": (inputs, check),
    "charset": (declared_pages(), check_page),
    "pdf": (pdf_bytes(), check_pdf),
}
CHECK = check


def fuzz(
    seconds: float | None = None,
    seed_value: int | None = None,
    examples: int | None = None,
    target: str = "import",
) -> int:
    """Check `examples` generated inputs of a target, or for about `seconds`; the number
    checked.

    Raises on a failure.
    """
    strategy, checker = TARGETS[target]
    if target == "import":
        checker = CHECK
    elif target == "pdf":
        import pypdfium2  # type: ignore[import-untyped]  # noqa: F401  # once, not in each child
    return fuzzing.fuzz(strategy, checker, seconds, seed_value, examples)


def main(argv: list[str] | None = None) -> int:
    """Fuzz from the command line."""
    global CHECK
    CHECK = check_in_budget
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--target", choices=sorted(TARGETS), default="import")
    chosen, rest = parser.parse_known_args(argv)

    def run(seconds: float, seed_value: int | None) -> int:
        return fuzz(seconds, seed_value, target=chosen.target)

    name = "fuzz_import" if chosen.target == "import" else f"fuzz_import --target {chosen.target}"
    return fuzzing.main(name, __doc__.splitlines()[0], run, rest)


if __name__ == "__main__":
    sys.exit(main())
