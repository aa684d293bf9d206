"""Contents entries and a page's start found in one pass: work in proportion to the text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from peelcli.reading.detect import sniff
from peelcli.reading.leaders import entry_name, is_dot_leader_line

# The expression the scan replaces: what a contents entry was, and still is.
BACKTRACKING = re.compile(r".*\S\s*(?:(?:\.\s*){4,}|…{2,}\s*)\s*\d{1,4}")
ENTRY_END = re.compile(r"\s*(?:(?:\.\s*){4,}|…{2,}\s*)?\s*\d{1,4}$")


class CountedLine(str):
    """A line that counts how often a character of it is looked at."""

    looked = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        CountedLine.looked += 1
        return str.__getitem__(self, key)


def looks_at(line: str) -> tuple[bool, int]:
    CountedLine.looked = 0
    found = is_dot_leader_line(CountedLine(line))
    return found, CountedLine.looked


@given(st.text(alphabet=" .…\t\u00a0x7٣", max_size=24))
def test_the_scan_answers_as_the_expression_did(line: str) -> None:
    assert is_dot_leader_line(line) == (BACKTRACKING.fullmatch(line) is not None)


@given(st.text(alphabet=" .…\t\u00a0x7٣", max_size=24))
def test_an_entry_name_is_what_the_expression_left(line: str) -> None:
    assert entry_name(line) == ENTRY_END.sub("", line)


def test_contents_entries_are_found() -> None:
    for line in (
        "Overall summary ......................................... 3",
        "Investigating crime . . . . . . . . . . . . . . . . . . . 5",
        "Summary …… 12",
        "Summary ……12",
        "x....1234",
    ):
        assert is_dot_leader_line(line), line
    for line in ("Overall summary 3", "Summary … 3", "x....12345", "....1", "x ... 3", "a. b. c."):
        assert not is_dot_leader_line(line), line


def test_a_hostile_line_is_read_once_from_its_end() -> None:
    # ". " * 8000 + "x" took the expression minutes: each place a leader might start was
    # tried against the rest of the line.
    for line in (
        ". " * 8000 + "x",
        ". " * 8000 + "x ....1",
        ". " * 8000 + "1",
        "x" + ". " * 8000 + "12345",
        "x" + " ." * 8000 + " 12",
        "…" * 16000 + "1",
        " " * 16000 + "1",
        "1" * 16000,
    ):
        _, looked = looks_at(line)
        assert looked <= 2 * len(line) + 8, (line[:20], looked)
        CountedLine.looked = 0
        entry_name(CountedLine(line))
        assert CountedLine.looked <= 2 * len(line) + 8, (line[:20], CountedLine.looked)


def test_the_page_sniff_skips_comments_one_by_one() -> None:
    # A run of comments before anything else was split every way by a lazy pattern inside
    # a repeat: twice the work for each comment more, past any wait at 40 of them.
    assert sniff(b"<!---->" * 500 + b"x") == "text"
    assert sniff(b"<!---->" * 500 + b"<html>") == "html"
    assert sniff(b" <!-- a -->\n<!--b--> <P>text") == "html"
    assert sniff(b"<!-- never closed <html>") == "text"
    assert sniff(b"<!---><html>") == "text"
