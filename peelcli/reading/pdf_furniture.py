"""A PDF's page furniture: running headers and footers, page numbers, contents pages, footnotes.

- running headers and footers (a line, its digits aside, at the top or foot of at least half
  the pages) and page numbers ("12", "Page 12 of 40") are dropped;
- a contents page (mostly lines with dot leaders, "Investigating crime ........ 12") is
  dropped, and so is a dot-leader line anywhere else;
- a contents page's entries are kept apart, as names (:func:`contents_names`): the importer
  reads a heading whose name is new as an area only where the contents lists it;
- footnotes (small lines numbered "2 …" below a page's text) are dropped, and so are their
  markers where the PDF sets them like the text: digits glued to a word that match a
  footnote of the page ("in 20162" → "in 2016", "support3." → "support.").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from peelcli.reading.leaders import entry_name, is_dot_leader_line
from peelcli.reading.pdf_lines import Line

_PAGE_NUMBER = re.compile(r"(?:page\s+)?(\d{1,4})(?:\s*(?:of|/)\s*(\d{1,4}))?", re.IGNORECASE)
# Printed page numbers may run ahead of the PDF's (unnumbered covers), not by more than this.
_PAGE_NUMBER_SLACK = 20
_CONTENTS_TITLE = re.compile(r"(?:table of )?contents", re.IGNORECASE)
_FOOTNOTE = re.compile(r"(\d{1,3})\s+\S")
# A footnote number glued to a year ("20162") or to a word and its punctuation ("support3.").
_GLUED_TO_YEAR = re.compile(r"\b((?:19|20)\d\d)(\d{1,2})\b")
_GLUED_TO_WORD = re.compile(r"(?:(?<=[^\W\d_])|(?<=[^\W\d_][’'”)]))(\d{1,2})(?=[.,;:)]?(?:\s|$))")


def _furniture_key(line: Line) -> tuple[str, int]:
    return re.sub(r"\d+", "#", line.text.casefold()), round(line.size)


def drop_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """The pages less running headers and footers, page numbers and contents pages."""
    seen: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        seen.update({_furniture_key(line) for line in _edges(lines)})
    repeated = max(2, math.ceil(len(pages) / 2))
    kept: list[list[Line]] = []
    for lines in pages:
        edges = {id(line) for line in _edges(lines)}
        lines = [
            line
            for line in lines
            if id(line) not in edges
            or (seen[_furniture_key(line)] < repeated and not _is_page_number(line, len(pages)))
        ]
        kept.append(_without_contents(lines))
    return kept


def _contents_entries(lines: list[Line]) -> list[Line]:
    # Entries are lines with dot leaders or, under a "Contents" title, lines whose last cell
    # is a page number set apart; elsewhere a line of numbers is a table's, and stays.
    titled = any(_CONTENTS_TITLE.fullmatch(line.text) for line in lines)
    return [
        line
        for line in lines
        if is_dot_leader_line(line.text)
        or (titled and len(line.cells) > 1 and line.cells[-1].isdigit())
    ]


def _is_contents_page(lines: list[Line], entries: list[Line]) -> bool:
    return len(entries) >= 3 and len(entries) * 2 >= len(lines)


def contents_names(pages: list[list[Line]]) -> list[str]:
    """The names a PDF's contents pages list, less their dot leaders and page numbers; an
    entry set over two lines ("Strategic planning, organisational management and" / "value
    for money ..... 12") is one name."""
    names: list[str] = []
    for lines in pages:
        entries = _contents_entries(lines)
        if not _is_contents_page(lines, entries):
            continue
        listed = {id(line) for line in entries}
        above: Line | None = None
        for line in sorted(lines, key=lambda line: -line.top):
            if id(line) not in listed:
                above = line
                continue
            name = entry_name(line.text)
            if (
                above is not None
                and round(above.size) == round(line.size)
                and above.bottom - line.top < line.size
                and not _CONTENTS_TITLE.fullmatch(above.text)
            ):
                name = f"{above.text} {name}"  # the entry's first line, set just above it
            names.append(name)
            above = None
    return names


def _without_contents(lines: list[Line]) -> list[Line]:
    entries = _contents_entries(lines)
    if _is_contents_page(lines, entries):
        return []  # a contents page
    dropped = {id(line) for line in entries if is_dot_leader_line(line.text)}
    return [line for line in lines if id(line) not in dropped]


def _is_page_number(line: Line, pages: int) -> bool:
    # "12", "Page 12", "12 of 40", "12/40"; not a year alone on a line at a page's foot.
    match = _PAGE_NUMBER.fullmatch(line.text)
    if match is None:
        return False
    number, total = int(match[1]), int(match[2] or 0)
    if total:
        return number <= total
    return 0 < number <= pages + _PAGE_NUMBER_SLACK


def _edges(lines: list[Line]) -> list[Line]:
    by_height = sorted(lines, key=lambda line: -line.top)
    return by_height[:2] + by_height[2:][-3:]


def drop_footnotes(lines: list[Line], body_size: float) -> tuple[list[Line], set[str]]:
    """A page's lines less its footnotes, and the footnotes' numbers."""
    body = [line for line in lines if line.size >= 0.92 * body_size]
    floor = min((line.bottom for line in body), default=math.inf)
    numbers: set[str] = set()
    notes: set[int] = set()
    in_note = False
    for line in sorted(lines, key=lambda line: -line.top):
        if line.size >= 0.92 * body_size or line.bottom >= floor:
            in_note = False
            continue
        match = _FOOTNOTE.match(line.text)
        if match:
            numbers.add(match[1])
            in_note = True
        if in_note:
            notes.add(id(line))
    return [line for line in lines if id(line) not in notes], numbers


def strip_glued_markers(text: str, numbers: Iterable[str]) -> str:
    """Text less footnote numbers glued to a year or word, for footnotes the page has."""
    known = set(numbers)
    if not known:
        return text
    text = _GLUED_TO_YEAR.sub(lambda m: m[1] if m[2] in known else m[0], text)
    return _GLUED_TO_WORD.sub(lambda m: "" if m[1] in known else m[0], text)
