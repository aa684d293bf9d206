"""Dates as people type them: ISO 8601 (2027-03-31), or relative to a day (30d, 6w, 3m, 1y)."""

from __future__ import annotations

import datetime
import re

from peelcli.errors import PeelError, quoted

_RELATIVE = re.compile(r"([0-9]{1,4})([dwmy])")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EXPECTED = "expected a date such as 2027-03-31, or a time from now such as 30d, 6w, 3m or 1y"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month, months later; the month's last day where it is shorter."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def shift(day: datetime.date, text: str, option: str) -> datetime.date:
    """day moved on by a span such as 30d, 6w, 3m or 1y."""
    match = _RELATIVE.fullmatch(text.strip().lower())
    if match is None:
        raise PeelError(
            f"{option}: {quoted(text)} is not a span of time; expected such as 30d, 6w, 3m or 1y"
        )
    count, unit = int(match.group(1)), match.group(2)
    try:
        if unit == "d":
            return day + datetime.timedelta(days=count)
        if unit == "w":
            return day + datetime.timedelta(weeks=count)
        return add_months(day, count * (12 if unit == "y" else 1))
    except (OverflowError, ValueError):
        raise PeelError(f"{option}: {quoted(text)} reaches past the calendar's end") from None


def parse_date(text: str, today: datetime.date, option: str) -> datetime.date:
    """A date from ISO 8601 or a span after today; one clear error naming the option."""
    stripped = text.strip()
    if _RELATIVE.fullmatch(stripped.lower()):
        return shift(today, stripped, option)
    if _ISO.fullmatch(stripped):
        try:
            return datetime.date.fromisoformat(stripped)
        except ValueError:
            raise PeelError(f"{option}: {quoted(text)} is not a date on the calendar") from None
    raise PeelError(f"{option}: {quoted(text)} is not a date; {EXPECTED}")


def from_text(text: str | None) -> datetime.date | None:
    """A stored date (YYYY-MM-DD) as a date; a month alone (YYYY-MM) as its last day, so that
    nothing is called late that might not be."""
    if not text:
        return None
    if len(text) == 7:
        import calendar

        year, month = int(text[:4]), int(text[5:])
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return datetime.date.fromisoformat(text)


def now() -> datetime.datetime:
    """The time a change is made, in UTC; SOURCE_DATE_EPOCH, where set, stands in for the
    clock, as in reproducible builds, so that examples and tests come out the same."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise PeelError(
                f"SOURCE_DATE_EPOCH: {quoted(epoch)} is not a time; expected seconds since 1970"
            ) from None
    return datetime.datetime.now(datetime.timezone.utc)


def today() -> datetime.date:
    """Today's date in UTC (as now() gives it)."""
    return now().date()


def stamp(moment: datetime.datetime) -> str:
    """A moment as the history writes it: YYYY-MM-DDTHH:MM:SSZ."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
