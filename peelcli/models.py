"""The dataset's shape: a report, its pillars, questions and findings.

Grades and finding kinds are defined here once; every other module reads them
from here. Models are built lazily (``defer_build``): a run served from the
cache constructs trusted data without paying for pydantic's validator build.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from peelcli.errors import quoted


class Grade(str, enum.Enum):
    """A PEEL judgement, ordered from best to worst, plus ``ungraded``."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    ADEQUATE = "adequate"
    REQUIRES_IMPROVEMENT = "requires improvement"
    INADEQUATE = "inadequate"
    UNGRADED = "ungraded"

    @property
    def rank(self) -> int:
        """4 for outstanding down to 0 for inadequate; -1 when ungraded."""
        return _GRADE_RANK[self]

    @property
    def short(self) -> str:
        """The grade in a few letters, for grids too narrow for words."""
        return GRADE_SHORT[self]

    # Grades compare by rank (outstanding is greatest), not as strings.
    def __lt__(self, other: object) -> bool:
        return self.rank < other.rank if isinstance(other, Grade) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.rank <= other.rank if isinstance(other, Grade) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.rank > other.rank if isinstance(other, Grade) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.rank >= other.rank if isinstance(other, Grade) else NotImplemented

    __hash__ = str.__hash__

    @classmethod
    def parse(cls, text: str) -> Grade:
        """Read a grade as a person types it: any case, '-' or '_' for spaces."""
        key = re.sub(r"[\s_-]+", " ", text.strip().lower())
        key = _GRADE_ALIASES.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise ValueError(
                f"{quoted(text)} is not a grade; expected one of {grade_choices()}"
            ) from None


_GRADE_RANK = {
    Grade.OUTSTANDING: 4,
    Grade.GOOD: 3,
    Grade.ADEQUATE: 2,
    Grade.REQUIRES_IMPROVEMENT: 1,
    Grade.INADEQUATE: 0,
    Grade.UNGRADED: -1,
}
_GRADE_ALIASES = {"ri": "requires improvement", "none": "ungraded", "not graded": "ungraded"}

GRADE_SHORT = {
    Grade.OUTSTANDING: "OUT",
    Grade.GOOD: "GOOD",
    Grade.ADEQUATE: "ADQ",
    Grade.REQUIRES_IMPROVEMENT: "RI",
    Grade.INADEQUATE: "INAD",
    Grade.UNGRADED: "n/g",
}


def grade_choices() -> str:
    """The grades as a person types them, for messages and help."""
    return ", ".join(repr(g.value) for g in Grade)


class Kind(str, enum.Enum):
    """What a finding is."""

    AREA_FOR_IMPROVEMENT = "area_for_improvement"
    CAUSE_OF_CONCERN = "cause_of_concern"
    RECOMMENDATION = "recommendation"

    @property
    def letter(self) -> str:
        """The letter a finding of this kind has in its ID (``E1.A1``)."""
        return KIND_LETTERS[self]

    @property
    def label(self) -> str:
        """The kind in words, for tables."""
        return self.value.replace("_", " ")

    @classmethod
    def parse(cls, text: str) -> Kind:
        """Read a kind as a person types it: any case, spaces or '-' for '_', singular or plural."""
        key = re.sub(r"[\s-]+", "_", text.strip().lower())
        key = _KIND_ALIASES.get(key, key)
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(k.value for k in cls)
            raise ValueError(
                f"{quoted(text)} is not a kind of finding; expected one of {choices}"
            ) from None


KIND_LETTERS = {
    Kind.AREA_FOR_IMPROVEMENT: "A",
    Kind.CAUSE_OF_CONCERN: "C",
    Kind.RECOMMENDATION: "R",
}
_KIND_ALIASES = {
    "areas_for_improvement": "area_for_improvement",
    "afi": "area_for_improvement",
    "area": "area_for_improvement",
    "causes_of_concern": "cause_of_concern",
    "cause": "cause_of_concern",
    "concern": "cause_of_concern",
    "coc": "cause_of_concern",
    "recommendations": "recommendation",
    "rec": "recommendation",
}

# Pillar letters used by PEEL reports. Any other single capital letter is
# accepted for programmes that group questions differently.
PILLAR_LETTERS = {"E": "Effectiveness", "F": "Efficiency", "L": "Legitimacy"}

QUESTION_ID = re.compile(r"[A-Z][1-9][0-9]*")
FINDING_ID = re.compile(r"([A-Z][1-9][0-9]*)\.([ACR])([1-9][0-9]*)")


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,
        str_strip_whitespace=False,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _text_not_blank(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be empty")
        return value


class Finding(_Model):
    """An area for improvement or a recommendation: an ID and its words."""

    id: str = Field(description="Stable ID, such as E1.A1 or E3.R2.")
    text: str = Field(description="The finding, word for word.")


class CauseOfConcern(_Model):
    """A cause of concern and the recommendations it carries."""

    id: str = Field(description="Stable ID, such as E3.C1.")
    text: str = Field(description="The cause of concern, word for word.")
    recommendations_lead_in: str | None = Field(
        default=None,
        description="The sentence the recommendations complete, such as "
        "'The force should immediately take steps to … by:'.",
    )
    recommendations: list[Finding] = Field(default_factory=list)


class EarlierGrade(_Model):
    """A grade from an earlier inspection that the report cites."""

    year: int = Field(ge=1800, le=2200)
    grade: Grade
    quote: str = Field(description="The sentence of the report that states it.")


class Question(_Model):
    """One inspection question with its judgement, summary and findings."""

    id: str = Field(description="Pillar letter and question number, such as E1.")
    title: str
    grade: Grade = Field(description="'ungraded' where the report states no grade.")
    judgement: str | None = Field(
        default=None, description="The paragraph that states the judgement."
    )
    summary: list[str] = Field(default_factory=list, description="Paragraphs in order.")
    note: str | None = Field(default=None, description="A note on the source, not report text.")
    earlier_grades: list[EarlierGrade] = Field(default_factory=list)
    areas_for_improvement: list[Finding] = Field(default_factory=list)
    causes_of_concern: list[CauseOfConcern] = Field(default_factory=list)

    def findings(self) -> Iterator[tuple[str, Kind, Finding | CauseOfConcern]]:
        """Every finding in reading order, with its field path and kind."""
        for i, area in enumerate(self.areas_for_improvement):
            yield f"areas_for_improvement[{i}]", Kind.AREA_FOR_IMPROVEMENT, area
        for c, cause in enumerate(self.causes_of_concern):
            yield f"causes_of_concern[{c}]", Kind.CAUSE_OF_CONCERN, cause
            for r, rec in enumerate(cause.recommendations):
                yield f"causes_of_concern[{c}].recommendations[{r}]", Kind.RECOMMENDATION, rec


class Pillar(_Model):
    """A pillar of PEEL (effectiveness, efficiency, legitimacy) and its questions."""

    id: str = Field(pattern=r"^[A-Z]$", description="One capital letter: E, F or L in PEEL.")
    name: str
    question: str | None = Field(default=None, description="The pillar's headline question.")
    grade: Grade = Field(
        default=Grade.UNGRADED,
        description="The pillar's overall grade; needs grade_source unless ungraded.",
    )
    grade_source: str | None = Field(
        default=None, description="Where the overall grade comes from."
    )
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _grade_has_source(self) -> Pillar:
        if self.grade is not Grade.UNGRADED and self.grade_source is None:
            raise ValueError("grade_source is required when the pillar has a grade")
        return self


class Report(_Model):
    """One inspection report of one force."""

    force: str
    year: int = Field(ge=1800, le=2200)
    inspectorate: str
    programme: str
    title: str
    source: str | None = Field(default=None, description="Where the text comes from.")
    pillars: list[Pillar] = Field(min_length=1)


def id_problems(report: Report) -> list[tuple[str, str]]:
    """Every ID that is malformed, misplaced or used twice, as (field path, message)."""
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()

    def check(path: str, found: str, valid: bool, expected: str) -> None:
        if not valid:
            problems.append((path, f"{quoted(found)} is not a valid ID here; expected {expected}"))
        elif found in seen:
            problems.append((path, f"duplicate ID {quoted(found)}"))
        seen.add(found)

    for p, pillar in enumerate(report.pillars):
        check(f"pillars[{p}].id", pillar.id, pillar.id not in seen, "a letter no other pillar uses")
        for q, question in enumerate(pillar.questions):
            where = f"pillars[{p}].questions[{q}]"
            valid = QUESTION_ID.fullmatch(question.id) is not None and question.id[0] == pillar.id
            check(f"{where}.id", question.id, valid, f"{pillar.id}<n>, such as '{pillar.id}1'")
            for path, kind, finding in question.findings():
                prefix = f"{question.id}.{kind.letter}"
                match = FINDING_ID.fullmatch(finding.id)
                valid = match is not None and finding.id.startswith(prefix)
                check(f"{where}.{path}.id", finding.id, valid, f"{prefix}<n>, such as '{prefix}1'")
    return problems
