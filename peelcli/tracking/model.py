"""The tracker file's shape: entries keyed by finding, each with its statuses, owner, dates,
evidence and an append-only history; and each report's response."""

from __future__ import annotations

import enum
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from peelcli.errors import quoted

FORMAT_VERSION = 1
HEADER = (
    "# A peel tracker: each finding's status, owner, due date and history. "
    "Format: docs/tracking.md\n"
)


class _Choice(str, enum.Enum):
    """A status, parsed from any case, with '-', '_' or spaces between its words."""

    @classmethod
    def parse(cls, text: str) -> Any:
        wanted = " ".join(re.split(r"[\s_]+", text.strip().casefold()))
        for member in cls:
            if member.value == wanted or member.value.replace("-", " ") == wanted.replace("-", " "):
                return member
        choices = ", ".join(f"'{m.value}'" for m in cls)
        raise ValueError(f"{quoted(text)} is not a {cls.__doc__}; expected one of {choices}")


class Status(_Choice):
    """local status"""

    AWAITING_ALLOCATION = "awaiting allocation"
    IN_PROGRESS = "in progress"
    PENDING_SIGN_OFF = "pending sign-off"
    CLOSED = "closed"


class RegisterStatus(_Choice):
    """register status"""

    AWAITING_REVIEW = "awaiting review"
    BEING_PROGRESSED = "being progressed"
    COMPLETE = "complete"
    NO_FURTHER_ACTION = "no further action needed"


class Rag(str, enum.Enum):
    """A tracked finding's rating, derived and never typed in."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    CLOSED = "closed"

    @classmethod
    def parse(cls, text: str) -> Rag:
        wanted = text.strip().casefold()
        for member in cls:
            if member.value == wanted or member.value[0] == wanted:
                return member
        raise ValueError(
            f"{quoted(text)} is not a RAG rating; expected red, amber, green or closed"
        )


UNTRACKED = "untracked"  # the status a listing gives a finding with no entry

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    import datetime

    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{quoted(value)} is not a date; expected YYYY-MM-DD") from None
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Change(_Model):
    """One dated change to an entry: who made it, why, and the fields it set."""

    at: str = Field(description="When, in UTC: YYYY-MM-DDTHH:MM:SSZ.")
    by: str = Field(description="Who made the change: --by, else the git user, else the login.")
    comment: str = Field(description="Why, in the words of whoever made it (-m).")
    changes: dict[str, str | None] = Field(
        default_factory=dict,
        description="The fields it set and their new values (evidence: the item added); "
        "empty for a comment alone.",
    )

    @field_validator("at")
    @classmethod
    def _at_is_a_time(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", value):
            raise ValueError(f"{quoted(value)} is not a time; expected YYYY-MM-DDTHH:MM:SSZ")
        return value


class Entry(_Model):
    """A tracked finding: statuses, owner, dates, evidence and the history of its changes."""

    fingerprint: str = Field(
        description="A hash of the finding's text when it was first tracked: a re-import that "
        "changes the text is reported, never silently re-pointed."
    )
    status: Status = Field(default=Status.AWAITING_ALLOCATION, description="The local status.")
    register_status: RegisterStatus | None = Field(
        default=None, description="The status in the inspectorate's register, kept apart."
    )
    owner: str | None = Field(default=None, description="Who answers for it.")
    due: str | None = Field(
        default=None,
        description="The due date, YYYY-MM-DD; absent where the report's own deadline stands.",
    )
    revised_due: str | None = Field(default=None, description="The revised due date.")
    reason: str | None = Field(default=None, description="Why the due date was revised.")
    evidence: list[str] = Field(default_factory=list, description="Links or notes, in order.")
    history: list[Change] = Field(
        default_factory=list, description="Every change, oldest first; never rewritten."
    )

    _dates = field_validator("due", "revised_due")(_check_date)


class Response(_Model):
    """Where and when the police and crime commissioner's response to a report was published."""

    published: str | None = Field(default=None, description="When, YYYY-MM-DD.")
    url: str | None = Field(default=None, description="Where.")
    history: list[Change] = Field(default_factory=list, description="Every change, oldest first.")

    _dates = field_validator("published")(_check_date)


class Tracker(_Model):
    """A tracker file: entries keyed force-slug/cycle/ID, responses keyed force-slug/cycle."""

    version: int = Field(default=FORMAT_VERSION, description="The tracker format: 1.")
    entries: dict[str, Entry] = Field(
        default_factory=dict,
        description="Tracked findings by key, such as metropolitan-police-service/2016/E3.R4.",
    )
    responses: dict[str, Response] = Field(
        default_factory=dict,
        description="Responses to reports by key, such as metropolitan-police-service/2016.",
    )

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise ValueError(f"tracker format {value} is not one this peel reads (1)")
        return value
