"""The dataset's fixed words: grades and their order, eras, finding kinds, IDs and dates.

Grade order, eras and finding kinds are defined here once, next to the models, and every other
module reads them from here (or through ``peelcli.models``, which re-exports them).
"""

from __future__ import annotations

import enum
import re

from peelcli.errors import quoted


class Grade(str, enum.Enum):
    """A PEEL judgement, ordered from best to worst, plus ``ungraded`` and ``not stated``."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    ADEQUATE = "adequate"
    REQUIRES_IMPROVEMENT = "requires improvement"
    INADEQUATE = "inadequate"
    UNGRADED = "ungraded"
    NOT_STATED = "not stated"

    @property
    def rank(self) -> int:
        """4 for outstanding down to 0 for inadequate; -1 when ungraded or not stated."""
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
    # Neither is a judgement, so neither is better or worse than any grade.
    Grade.UNGRADED: -1,
    Grade.NOT_STATED: -1,
}
_GRADE_ALIASES = {
    "ri": "requires improvement",
    "none": "ungraded",
    "not graded": "ungraded",
    "n/g": "ungraded",
    "n/s": "not stated",
    "unknown": "not stated",
}

GRADE_SHORT = {
    Grade.OUTSTANDING: "OUT",
    Grade.GOOD: "GOOD",
    Grade.ADEQUATE: "ADQ",
    Grade.REQUIRES_IMPROVEMENT: "RI",
    Grade.INADEQUATE: "INAD",
    Grade.UNGRADED: "n/g",
    Grade.NOT_STATED: "n/s",
}


def grade_choices() -> str:
    """The grades as a person types them, for messages and help."""
    return ", ".join(repr(g.value) for g in Grade)


class Era(str, enum.Enum):
    """The form of PEEL a report belongs to, which fixes its shape and its grade scale."""

    PILLAR = "pillar"  # 2014-2017: a report per pillar
    INTEGRATED = "integrated"  # 2018/19: one report of all three pillars
    ASSESSMENT = "assessment"  # from 2021: areas of policing, five grades

    @classmethod
    def of_year(cls, year: int) -> Era:
        """The era of a report whose cycle starts in year."""
        if year >= ASSESSMENT_FROM:
            return cls.ASSESSMENT
        return cls.INTEGRATED if year >= INTEGRATED_FROM else cls.PILLAR

    @property
    def grades(self) -> tuple[Grade, ...]:
        """The grades a report of this era can give, and the two that are no judgement."""
        return _ERA_GRADES[self is Era.ASSESSMENT]


INTEGRATED_FROM = 2018
# Looked up for every graded unit a report is checked for: made once.
_ERA_GRADES = {True: tuple(Grade), False: tuple(g for g in Grade if g is not Grade.ADEQUATE)}
ASSESSMENT_FROM = 2021


def scale_problem(grade: Grade, year: int) -> str | None:
    """Why a report of a year cannot give a grade, or None when it can."""
    if grade in Era.of_year(year).grades:
        return None
    return (
        f"{quoted(grade.value)} is a grade of PEEL assessments from {ASSESSMENT_FROM}; "
        f"PEEL {year} graded outstanding, good, requires improvement or inadequate"
    )


class Kind(str, enum.Enum):
    """What a finding is."""

    AREA_FOR_IMPROVEMENT = "area_for_improvement"
    CAUSE_OF_CONCERN = "cause_of_concern"
    RECOMMENDATION = "recommendation"
    INNOVATIVE_PRACTICE = "innovative_practice"
    PROMISING_PRACTICE = "promising_practice"

    @property
    def letter(self) -> str:
        """The letter a finding of this kind has in its ID (``E1.A1``)."""
        return KIND_LETTERS[self]

    @property
    def short(self) -> str:
        """The kind in a few letters, for column headings (``AFI``)."""
        return KIND_SHORT[self]

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
    Kind.INNOVATIVE_PRACTICE: "I",
    Kind.PROMISING_PRACTICE: "P",
}
KIND_SHORT = {
    Kind.AREA_FOR_IMPROVEMENT: "AFI",
    Kind.CAUSE_OF_CONCERN: "CoC",
    Kind.RECOMMENDATION: "Rec",
    Kind.INNOVATIVE_PRACTICE: "IP",
    Kind.PROMISING_PRACTICE: "PP",
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
    "innovative_practices": "innovative_practice",
    "innovative": "innovative_practice",
    "ip": "innovative_practice",
    "promising_practices": "promising_practice",
    "promising": "promising_practice",
    "pp": "promising_practice",
}

# Pillar letters used by PEEL reports. Any other single capital letter is
# accepted for programmes that group questions differently.
PILLAR_LETTERS = {"E": "Effectiveness", "F": "Efficiency", "L": "Legitimacy"}
# The letter of an area's ID: A1 is the first area of policing a report grades.
AREA_LETTER = "A"

QUESTION_ID = re.compile(r"[A-Z][1-9][0-9]*")
AREA_ID = re.compile(rf"{AREA_LETTER}[1-9][0-9]*")
FINDING_ID = re.compile(r"([A-Z][1-9][0-9]*)\.([ACRIP])([1-9][0-9]*)")


class Truncation(str, enum.Enum):
    """Where a report's text stops short in its source: import warns of it, and views say so."""

    MID_SENTENCE = "mid-sentence"
    AT_HEADING = "at a heading"  # a heading with nothing under it
    BEFORE_LIST = "before a list"  # a sentence ending ':' before what it introduces


# A date as the dataset writes it: a day (2017-03-02), or a month (2017-03) where the source
# gives no day, such as a PDF cover's "March 2017".
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?$"


def date_problem(text: str) -> str | None:
    """Why text is not a date of the dataset's form (YYYY-MM-DD or YYYY-MM), or None."""
    import datetime

    if re.fullmatch(DATE_PATTERN, text) is None:
        return f"{quoted(text)} is not a date; expected YYYY-MM-DD, or YYYY-MM for a month"
    year, month, *day = (int(part) for part in text.split("-"))
    try:
        datetime.date(year, month, day[0] if day else 1)
    except ValueError:
        return f"{quoted(text)} is not a date on the calendar"
    return None
