"""Search input is data too: markup, brackets, backslashes and regex metacharacters in a term
match literally unless --regex, and a bad --regex is a clear error with exit 2."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hostile_support import SGR, hostile_text, raw_controls, report_data, write_report
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcli.errors import PeelError
from peelcli.query import compile_terms

Cli = Callable[..., Any]
Peel = Callable[..., subprocess.CompletedProcess[str]]

TEXTS = {
    "E1.A1": "Use [bold]markup[/bold], [link=http://x]links[/link] and :smile: as written.",
    "E1.A2": "Paths such as C:\\Users\\x; patterns a.c, (a+)+, [abc], ^start$, a|b, x*y? or {2,3}.",
    "E1.A3": "Hyphens - and -- and \u2014 dashes.",
    "E1.A4": "Only abc here.",
    "E1.A5": "Escapes \x1b[31m and \x9b2J in the data.",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    data = report_data("Text")
    question = data["pillars"][0]["questions"][0]
    question["areas_for_improvement"] = [{"id": i, "text": t} for i, t in TEXTS.items()]
    return write_report(tmp_path / "search.yaml", data)


def hits(cli: Cli, corpus: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = cli("search", "--json", "--kind", "area", "--data", str(corpus), *args)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout) if result.stdout else []


LITERAL = [
    ("[bold]markup[/bold]", ["E1.A1"]),
    ("[link=http://x]", ["E1.A1"]),
    ("[bold]", ["E1.A1"]),
    (":smile:", ["E1.A1"]),
    ("C:\\Users\\x", ["E1.A2"]),
    ("\\", ["E1.A2"]),
    ("a.c", ["E1.A2"]),  # not "abc"
    ("(a+)+", ["E1.A2"]),
    ("[abc]", ["E1.A2"]),
    ("^start$", ["E1.A2"]),
    ("a|b", ["E1.A2"]),
    ("x*y?", ["E1.A2"]),
    ("{2,3}", ["E1.A2"]),
    ("\x1b[31m", ["E1.A5"]),
    ("\x9b2J", ["E1.A5"]),
]


@pytest.mark.parametrize(("term", "expected"), LITERAL, ids=[t for t, _ in LITERAL])
def test_term_matches_literally(cli: Cli, corpus: Path, term: str, expected: list[str]) -> None:
    code, found = hits(cli, corpus, "--", term)
    assert code == 0
    assert [h["id"] for h in found] == expected
    assert {m["text"] for h in found for m in h["matches"]} == {term}


@pytest.mark.parametrize("term", ["-", "--", " - ", "\u2014"])
def test_terms_of_hyphens_match_hyphens_and_dashes(cli: Cli, corpus: Path, term: str) -> None:
    code, found = hits(cli, corpus, "--", term)
    assert code == 0
    assert [h["id"] for h in found] == ["E1.A3"]
    assert {m["text"] for h in found for m in h["matches"]} <= {"-", "--", "\u2014"}


@pytest.mark.parametrize("term", [".*", "[a-z]+", "a.d", "\\d"])
def test_metacharacters_do_not_act_without_regex(cli: Cli, corpus: Path, term: str) -> None:
    code, found = hits(cli, corpus, "--", term)
    assert (code, found) == (1, [])


def test_regex_acts_with_regex(cli: Cli, corpus: Path) -> None:
    code, found = hits(cli, corpus, "--regex", "a.c")
    assert code == 0
    assert [h["id"] for h in found] == ["E1.A2", "E1.A4"]


INVALID = [
    ("(", "missing ), unterminated subpattern at position 0", "'('"),
    ("[z-a]", "bad character range z-a at position 1", "'[z-a]'"),
    ("*", "nothing to repeat at position 0", "'*'"),
    ("\\", "bad escape (end of pattern) at position 0", "'\\\\'"),
    ("a{99999999999}", "the repetition number is too large", "'a{99999999999}'"),
    ("(" * 5000 + ")" * 5000, "nested too deeply", "'" + "(" * 60 + "…'"),
]


@pytest.mark.parametrize(("pattern", "reason", "shown"), INVALID, ids=[r for _, r, _ in INVALID])
def test_invalid_regex_is_a_clear_error(cli: Cli, pattern: str, reason: str, shown: str) -> None:
    result = cli("search", "--regex", "--", pattern)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"peel: error: invalid regular expression {shown}: {reason}\n"
        "peel: Leave out --regex to search for the text as written.\n"
    )


def test_regex_future_warnings_stay_out_of_stderr(peel: Peel, corpus: Path) -> None:
    # In a subprocess: pytest would catch the warnings before they reached stderr.
    result = peel("search", "--regex", "--data", str(corpus), "--", "[[a]|a--b|[a&&b]|[a||b]")
    assert result.returncode == 0
    assert result.stderr == ""


@pytest.mark.parametrize("terms", [[""], ['"'], ['""'], ["  "]], ids=repr)
def test_no_terms_is_a_clear_error(cli: Cli, terms: list[str]) -> None:
    result = cli("search", "--", *terms)
    assert result.exit_code == 2
    assert result.stderr == (
        "peel: error: no search terms given\npeel: Try: peel search 'domestic abuse'\n"
    )


@pytest.mark.parametrize("colour", ["--color", "--no-color"])
def test_hits_with_controls_are_shown_escaped(cli: Cli, corpus: Path, colour: str) -> None:
    result = cli("search", "--data", str(corpus), colour, "--", "\x1b[31m", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert raw_controls(result.stdout, colour == "--color") == []
    assert "Escapes \\x1b[31m and \\x9b2J in the data." in SGR.sub("", result.stdout)


# --- any term, any text --------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(terms=st.lists(st.text(max_size=20) | hostile_text, min_size=1, max_size=3))
def test_compiling_any_terms_raises_only_peel_error(terms: list[str]) -> None:
    for regex in (False, True):
        try:
            matcher = compile_terms(terms, regex=regex)
        except PeelError:
            continue
        for text in ["", *terms, " ".join(terms)]:
            spans = matcher.spans(text)
            assert spans is None or all(0 <= s < e <= len(text) for s, e in spans)


@settings(max_examples=300, deadline=None)
@given(term=hostile_text.filter(lambda t: '"' not in t), before=hostile_text)
def test_a_term_is_found_where_it_stands_as_written(term: str, before: str) -> None:
    text = f"{before} {term} end"
    spans = compile_terms([term]).spans(text)
    assert spans, (term, text)
    # Hyphens and spaces separate words (so "-0" finds the 0 in it): a match overlaps the term.
    start, end = len(before) + 1, len(before) + 1 + len(term)
    assert any(s < end and e > start for s, e in spans)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("οδοσ", "x ΟΔΟΣ end"),  # lowered, a word-final Σ is ς, elsewhere σ
        ("ΟΔΟΣ", "x οδοσ end"),
        ("οδος", "x ΟΔΟΣ end"),
        ("ΟΔΟΣ", "İ ΟΔΟΣ end"),  # İ grows when lowered: the text is folded letter by letter
        ("İstanbul", "in İSTANBUL"),
    ],
)
def test_term_and_text_fold_alike(term: str, text: str) -> None:
    spans = compile_terms([term]).spans(text)
    assert spans is not None and text[spans[0][0] : spans[0][1]].casefold() == term.casefold()
