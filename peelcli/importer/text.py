"""Lines, sentences and the grades sentences state or cite: the words under every era's reader.

Every pattern here does a bounded amount of work at each place it can start, so a text is read
in time proportional to its length, whatever it holds: the importer takes files of megabytes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from heapq import merge
from itertools import islice
from typing import NamedTuple

from peelcli.models import EarlierGrade, Grade

_BULLET = re.compile(r"(?:[-–—*+]\s+|[•·◦▪‣●○■□►➢\uf0a7\uf0b7]\s*)")
_BARE_BULLET = re.compile(r"[-–—*+•·◦▪‣●○■□►➢\uf0a7\uf0b7]")
# Patterns start with a literal character and test the word boundary before it afterwards
# (a lookbehind): a leading \b or lookbehind would stop the search from skipping ahead to
# the characters a match can start with, and make every scan slower.
_YEAR = re.compile(r"(?:19|20)(?<=\b\d\d)\d\d\b")
_ABBREVIATIONS = ("e.g", "i.e", "etc", "Mr", "Mrs", "Ms", "Dr", "St", "No", "vs")
# A sentence ends at a full stop, question or exclamation mark, not after an abbreviation
# such as 'e.g.'; a lookbehind per abbreviation keeps the whole search in one regex pass.
_SENTENCE_END = re.compile(
    r"[.!?]"  # first, so that the search skips to each stop in one step
    + "".join(rf"(?<!\b{re.escape(a)}[.!?])" for a in _ABBREVIATIONS)
    + r"[’”\"')]*\s+(?=[A-Z‘“\"'(])"
)

_GRADE_WORD = r"outstanding|good|adequate|inadequate|requires\s+improvement"
# A grade a judgement states: "is good at …", "… requires improvement.", "has been judged
# as outstanding". Not "There is good evidence", "makes good use", "does not require
# improvement", nor a grade in quotation marks, which cites another judgement.
_STATED_GRADE = re.compile(
    r"(?:i(?<=\bi)(?<![Tt]here\si)s|a(?<=\ba)(?<![Tt]here\sa)re"
    r"|h(?<=\bh)(?<![Tt]here\sh)a(?:s|ve)\s+been)\s+"
    r"(?:(?:judged|graded|assessed|rated|found)\s+(?:to\s+be\s+|as\s+)?)?"
    r"(?P<word>outstanding|good|adequate|inadequate)"
    r"(?=\s+(?:at|in|on|across|overall|and|but|for|with|when|where|as)\b|\s*[.,;:]|\s*$)"
    r"|r(?<=\br)(?<![‘'\"“]r)(?<!not\sr)(?<!n’t\sr)(?<!n't\sr)equires?\s+improvement\b"
)
# The second half of a grade an earlier inspection gave: "… assessment of ‘requires
# improvement’", "… graded as good". A year before it, in the same clause, completes it.
_CITED_GRADE = re.compile(
    r"(?:(?:[Aa](?<=\b.)ssessment|[Ii](?<=\b.)nspection|[Jj](?<=\b.)udge?ment"
    r"|[Gg](?<=\b.)rad(?:e|ing)|[Rr](?<=\b.)ating)\s+(?:of|as)"
    r"|(?:[Aa](?<=\b.)ssessed|[Gg](?<=\b.)raded|[Jj](?<=\b.)udged|[Rr](?<=\b.)ated)"
    r"\s+(?:as|to\s+be))\s+"
    rf"[‘'\"“]?(?P<grade>(?i:{_GRADE_WORD}))\b[’'\"”]?"
)
_CLAUSE_END = re.compile(r"[.;:]")
# A grade of the past without its year: "a deterioration on last year, when we judged the
# force to require improvement". It is not this report's grade.
_PAST_GRADE = re.compile(
    r"(?:[Ll](?<=\b.)ast\s+year|[Pp](?<=\b.)revious\s+(?:year|inspection|assessment)"
    r"|[Ww](?<=\b.)he(?:n|re)\s+(?:we|HMIC|HMICFRS|inspectors)"
    r"\s+(?:judged|graded|assessed|rated|found))"
    rf"\b[^.;:]{{0,120}}?\b(?:{_GRADE_WORD}|require\s+improvement)\b"
)
# A judgement carried over from an earlier inspection (PEEL 2018/19).
_CARRIED = re.compile(r"[Cc](?<=\b.)arried\s+(?:over|forward)\b")
# A grade alone on its line, as a web page shows it under a heading or in a table.
GRADE_LINE = re.compile(
    rf"(?P<grade>{_GRADE_WORD}|not\s+graded|ungraded)\.?",
    re.IGNORECASE,
)


class Line(NamedTuple):
    """A non-blank line of the text."""

    number: int
    text: str  # whitespace runs made one space, ends stripped
    bulleted: bool
    body: str  # the text without its bullet


def lines(text: str) -> list[Line]:
    """The non-blank lines, numbered from 1; a bullet alone on its line marks the next."""
    found: list[Line] = []
    pending_bullet = False
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        line = " ".join(raw.split())
        if not line:
            continue
        if _BARE_BULLET.fullmatch(line):
            pending_bullet = True
            continue
        bullet = _BULLET.match(line)
        if bullet:
            found.append(Line(number, line, True, line[bullet.end() :]))
        elif pending_bullet:
            found.append(Line(number, line, True, line))
        else:
            found.append(Line(number, line, False, line))
        pending_bullet = False
    return found


def sentences(paragraph: str) -> list[str]:
    """A paragraph split into sentences, not at abbreviations such as 'e.g.'."""
    return [paragraph[start:end] for start, end in _sentence_spans(paragraph)]


# A judgement is split for its stated grades, its cited grades and a carried-over year.
@lru_cache(maxsize=64)
def _sentence_spans(paragraph: str) -> tuple[tuple[int, int], ...]:
    """Where each sentence starts and ends, surrounding spaces left out."""
    found: list[tuple[int, int]] = []
    start = 0
    for end in [*(m.end() for m in _SENTENCE_END.finditer(paragraph)), len(paragraph)]:
        # Lines have single spaces and no spaces at their ends: a space or two at most.
        while start < end and paragraph[start].isspace():
            start += 1
        stop = end
        while stop > start and paragraph[stop - 1].isspace():
            stop -= 1
        if stop > start:
            found.append((start, stop))
        start = end
    return tuple(found)


def grade_line(line: Line) -> Grade | None:
    """The grade of a line that holds a grade and nothing else, as a web page shows one."""
    match = None if line.bulleted else GRADE_LINE.fullmatch(line.text)
    if match is None:
        return None
    word = " ".join(match["grade"].lower().split())
    return Grade.UNGRADED if word in ("not graded", "ungraded") else Grade(word)


class _Cited(NamedTuple):
    start: int
    end: int
    year: int
    grade: Grade


def _cited(sentence: str) -> Iterator[_Cited]:
    """Grades of earlier inspections: a year, then in the same clause the grade it gave.

    Each year pairs with the first cited grade after it, and the search goes on after that
    grade. Years, clause ends and cited grades are each found once, in order and only as far
    as the caller reads.
    """
    years = _YEAR.finditer(sentence)
    ends = _CLAUSE_END.finditer(sentence)
    year = next(years, None)
    end = next(ends, None)
    clause = 0  # where the clause of the cited grade starts
    resume = 0
    for grade in _CITED_GRADE.finditer(sentence):
        while end is not None and end.start() < grade.start():
            clause = end.end()
            end = next(ends, None)
        start = max(resume, clause)
        while year is not None and year.start() < start:
            year = next(years, None)
        if year is None:
            return
        if year.end() > grade.start():
            continue
        word = " ".join(grade["grade"].lower().split())
        yield _Cited(year.start(), grade.end(), int(year.group()), Grade(word))
        resume = grade.end()
        year = next(years, None)


def earlier_grades(paragraph: str, limit: int | None = None) -> list[EarlierGrade]:
    """Grades of earlier inspections that a paragraph cites, each with its sentence.

    With a limit, at most that many: the first of them.
    """
    if _CITED_GRADE.search(paragraph) is None:
        return []
    found = (
        EarlierGrade(year=cited.year, grade=cited.grade, quote=sentence)
        for sentence in sentences(paragraph)
        for cited in _cited(sentence)
    )
    return list(islice(found, limit))


def stated_grades(paragraph: str, limit: int | None = None) -> list[tuple[Grade, str]]:
    """Every grade a judgement states, with its sentence; grades it cites are left out.

    With a limit, only the first that many statements are read.
    """
    found: list[tuple[Grade, str]] = []
    matches = list(islice(_STATED_GRADE.finditer(paragraph), limit))
    if not matches:
        return found
    spans = _sentence_spans(paragraph)
    starts = [start for start, _ in spans]
    m = 0
    # Only the sentences that hold a statement are read for what they cite.
    while m < len(matches):
        start, end = spans[bisect_right(starts, matches[m].start()) - 1]
        sentence = paragraph[start:end]
        # The spans that cite a grade, in order and read only as far as the statements go.
        cited = merge(
            ((c.start + start, c.end + start) for c in _cited(sentence)),
            ((p.start() + start, p.end() + start) for p in _PAST_GRADE.finditer(sentence)),
        )
        span = next(cited, None)
        reach = -1  # the furthest end of the spans that start before this statement
        while m < len(matches) and matches[m].start() < end:
            match = matches[m]
            m += 1
            while span is not None and span[0] < match.end():
                reach = max(reach, span[1])
                span = next(cited, None)
            if reach > match.start():
                continue
            word = match["word"]
            found.append((Grade(word) if word else Grade.REQUIRES_IMPROVEMENT, sentence))
    return found


def carried_over_from(paragraph: str, year: int) -> tuple[int, str] | None:
    """The earlier year a paragraph says a judgement is carried over from, with its sentence."""
    if _CARRIED.search(paragraph) is None:
        return None
    for sentence in sentences(paragraph):
        if _CARRIED.search(sentence) is None:
            continue
        years = {int(y) for y in _YEAR.findall(sentence)} - {year}
        earlier = {y for y in years if y < year}
        if len(earlier) == 1:
            return earlier.pop(), sentence
    return None
