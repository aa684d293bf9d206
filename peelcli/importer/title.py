"""A report's title, on one line or over a cover's lines, and the cover's date.

Titles as pages and copied text give them, on one line:

    Metropolitan PEEL 2016
    Avon and Somerset PEEL 2018
    PEEL 2023–25: An inspection of Kent Police
    West Yorkshire 2018/19                  (a force's page: read where no other title is)

and as the inspectorate's PDFs set them on their cover, over two to four lines (or joined
into one, as a PDF reader may join lines set alike):

    PEEL: Police effectiveness 2016                            the programme, subject, year
    An inspection of the Metropolitan Police Service           the force ("the" is not its name)
    March 2017                                                 when it was published

    PEEL 2023–25                                               the programme and cycle
    Police effectiveness, efficiency and legitimacy            the subject, on its own line
    An inspection of Northmoor Police
    March 2025

The title is the cover's lines joined by a space, less the date, which says when the report
was published (to the month).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from peelcli.importer.finish import Published
from peelcli.importer.text import Line

_CYCLE = r"(?P<year>(?:19|20)\d\d)(?P<end>\s*[/–-]\s*(?:\d\d){1,2})?"
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH = "|".join(MONTHS)
# "PEEL: Police effectiveness", "PEEL Police effectiveness, efficiency and legitimacy"
_SUBJECT = (
    r"(?:police\s+)?(?:effectiveness|efficiency|legitimacy)"
    r"(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)(?:efficiency|legitimacy))*"
)
# "Metropolitan PEEL 2016", "Avon and Somerset PEEL 2018", "Exampleshire PEEL 2021/22"
TITLE = re.compile(rf"(?P<force>.+?)\s+PEEL:?\s+{_CYCLE}")
# "PEEL 2023–25: An inspection of Exampleshire Police", and a cover's lines joined
TITLE_INSPECTION = re.compile(
    rf"PEEL:?\s+(?:{_SUBJECT}\s+)?{_CYCLE}\s*[:–-]?\s+(?:.*?\s)?(?:an?\s+)?inspection\s+of\s+"
    rf"(?:the\s+)?(?P<force>.+?)(?:\s+(?P<month>{_MONTH})\s+(?P<published>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_COVER_DATE = re.compile(rf"(?:{_MONTH})\s+(?:19|20)\d\d", re.IGNORECASE)
# "West Yorkshire 2018/19": a force's PEEL page, titled by the force and the cycle alone.
# Read only where no other title is found.
TITLE_FORCE_CYCLE = re.compile(
    r"(?P<force>[A-Z][A-Za-z&'’. -]{1,60}?)\s+(?P<year>(?:19|20)\d\d)(?P<end>/\d\d)"
)
# "PEEL 2023–25" alone, as a cover that does not name the force opens: the year and cycle.
_PROGRAMME = re.compile(rf"PEEL:?\s+(?:{_SUBJECT}\s+)?{_CYCLE}\b", re.IGNORECASE)
TITLE_LENGTH = 300  # longer lines are paragraphs, not titles
_TITLE_SEARCH = 10  # lines of site furniture or banner a title may follow
_COVER_LINES = 4


def one_line_title(text: str) -> re.Match[str] | None:
    """The match of a title on one line, or None."""
    if len(text) > TITLE_LENGTH:
        return None
    return (
        TITLE_INSPECTION.fullmatch(text)
        or TITLE.fullmatch(text)
        or TITLE_FORCE_CYCLE.fullmatch(text)
    )


def programme_cycle(text: str) -> re.Match[str] | None:
    """The year and cycle that a title naming no force gives ("PEEL 2023–25"), or None."""
    return _PROGRAMME.search(text) if len(text) <= TITLE_LENGTH else None


@dataclass(frozen=True)
class Title:
    """The report's title: where it starts, its lines, and the cover's date if it has one."""

    start: int  # its first line's index among the lines
    line: Line  # the title as one line, numbered as its first
    count: int  # how many lines it takes
    published: Published | None  # the cover's month, where the title's lines end with it


def find_title(found: Sequence[Line]) -> Title | None:
    """The title among the first lines: on one line, or over a cover's lines."""
    for i, line in enumerate(found[:_TITLE_SEARCH]):
        if line.bulleted or len(line.text) > TITLE_LENGTH:
            continue
        cover = _cover(found, i)
        if cover is not None:
            return cover
        match = TITLE.fullmatch(line.text)
        if match is not None:
            return _titled(found, i, 1, match)
    for i, line in enumerate(found[:_TITLE_SEARCH]):
        match = None if line.bulleted else TITLE_FORCE_CYCLE.fullmatch(line.text)
        if match is not None:
            return _titled(found, i, 1, match)
    return None


def _cover(found: Sequence[Line], start: int) -> Title | None:
    """A title that starts "PEEL" at ``start`` and names the force, on as few lines as it
    takes (a cover's, or fewer where a reader joined them), and the cover's date after it."""
    text = ""
    for end in range(start, min(start + _COVER_LINES, len(found))):
        line = found[end]
        if line.bulleted:
            return None
        text = f"{text} {line.text}" if text else line.text
        if len(text) > TITLE_LENGTH:
            return None
        match = TITLE_INSPECTION.fullmatch(text)
        if match is None or match.start("force") < len(text) - len(line.text):
            continue  # the force's name is on a line of its own, whole
        after = found[end + 1] if end + 1 < len(found) else None
        if match["month"] is None and after is not None and _COVER_DATE.fullmatch(after.text):
            dated = TITLE_INSPECTION.fullmatch(f"{text} {after.text}")
            if dated is not None and dated["month"]:
                return _titled(found, start, end + 2 - start, dated)
        return _titled(found, start, end + 1 - start, match)
    return None


def _titled(found: Sequence[Line], start: int, count: int, match: re.Match[str]) -> Title:
    first = found[start]
    published = None
    if match.re is TITLE_INSPECTION and match["month"]:
        # The month's own words, on the line that gives them, as a cover's date line is.
        words = f"{match['month']} {match['published']}"
        line = Line(found[start + count - 1].number, words, False, words)
        published = Published(
            f"{match['published']}-{MONTHS.index(match['month'].casefold()) + 1:02d}",
            f"The report's cover: “{words}”, which gives the month alone.",
            line,
        )
        text = match.string[: match.end("force")].rstrip()
    else:
        text = match.string
    return Title(start, Line(first.number, text, False, text), count, published)
