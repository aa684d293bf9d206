"""Dates a report's words fix: when it was published, and when a recommendation falls due.

Dates are written as the dataset holds them: YYYY-MM-DD, or YYYY-MM where the source gives
only a month (a PDF cover's "March 2017"). Nothing is guessed: a deadline is read only from
words that fix one ("By 31 March 2023", "Within six months", "immediately") and, where it
counts from publication, only with the publication date; "as soon as possible" has none.
"""

from __future__ import annotations

import calendar
import datetime
import re

MONTHS = {name.casefold(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# "12 March 2025", "March 2017", "2 Mar 2017"
_DATE = re.compile(rf"(?:{_DAY}\s+)?{_MONTH}\s+{_YEAR}", re.IGNORECASE)
# A page's own line: "Published on: 12 March 2025", "Published: March 2017",
# "Publication date: 2 March 2017".
PUBLISHED_LINE = re.compile(
    rf"(?:published(?:\s+on)?|publication\s+date|date\s+of\s+publication)\s*:?\s*{_DATE.pattern}\.?",
    re.IGNORECASE,
)
# A cover's line of the month alone: "March 2017".
COVER_DATE = re.compile(rf"{_MONTH}\s+{_YEAR}", re.IGNORECASE)


def date_of(match: re.Match[str]) -> str | None:
    """A matched date as the dataset writes it, or None where it is not on the calendar."""
    year, month = int(match["year"]), MONTHS[match["month"].casefold()]
    day = match.groupdict().get("day")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return datetime.date(year, month, int(day)).isoformat()
    except ValueError:
        return None


_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
    "a": 1, "an": 1,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,2}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
# "Within six months, …", "within 12 months of the publication of this report"
_WITHIN = re.compile(
    rf"\bwithin\s+(?:the\s+next\s+)?{_COUNT}\s+(?P<unit>months?|years?|weeks?)\b", re.IGNORECASE
)
# "By 31 March 2023, …", "by the end of March 2023", "by the end of 2023"
_BY_DATE = re.compile(rf"\bby\s+(?:the\s+end\s+of\s+)?{_DATE.pattern}", re.IGNORECASE)
_BY_YEAR_END = re.compile(rf"\bby\s+the\s+end\s+of\s+{_YEAR}\b", re.IGNORECASE)
_IMMEDIATELY = re.compile(r"\bimmediately\b", re.IGNORECASE)


def due_date(words: str, published: str | None) -> str | None:
    """The date a deadline in words falls on, or None where the words fix none.

    "By 31 March 2023" is that day, whatever the publication date; "by March 2023" or "by
    the end of March 2023" the month's last day; "Within six months" counts from publication
    (to the day, or to the month where publication is known only to the month); "immediately"
    is publication itself.
    """
    by = _BY_DATE.search(words)
    if by is not None:
        if by["day"] is None:
            year, month = int(by["year"]), MONTHS[by["month"].casefold()]
            last = calendar.monthrange(year, month)[1]
            return datetime.date(year, month, last).isoformat()
        return date_of(by)
    year_end = _BY_YEAR_END.search(words)
    if year_end is not None:
        return f"{year_end['year']}-12-31"
    if published is None:
        return None
    within = _WITHIN.search(words)
    if within is not None:
        count = within["count"].casefold()
        n = int(count) if count.isdigit() else _NUMBERS[count]
        unit = within["unit"].casefold().rstrip("s")
        if unit == "week":
            if len(published) != 10:
                return None  # weeks from a month: no day is fixed
            day = datetime.date.fromisoformat(published) + datetime.timedelta(weeks=n)
            return day.isoformat()
        return add_months(published, n * 12 if unit == "year" else n)
    if _IMMEDIATELY.search(words):
        return published
    return None


def add_months(date: str, months: int) -> str:
    """A date (YYYY-MM-DD or YYYY-MM) some months on; a day past the month's end is its last."""
    year, month = int(date[:4]), int(date[5:7])
    index = year * 12 + month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if len(date) == 7:
        return f"{year:04d}-{month:02d}"
    day = min(int(date[8:10]), calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day).isoformat()


_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?")


def parse_date(text: str) -> str | None:
    """A date as a person types it ('2017-03-02', '2 March 2017', 'March 2017', '2017-03'),
    as the dataset writes it; None where it is no date."""
    text = " ".join(text.split())
    iso = _ISO.fullmatch(text)
    if iso is not None:
        year, month = int(iso["year"]), int(iso["month"])
        try:
            day = datetime.date(year, month, int(iso["day"] or 1))
        except ValueError:
            return None
        return day.isoformat() if iso["day"] else day.isoformat()[:7]
    words = _DATE.fullmatch(text)
    return date_of(words) if words is not None else None
