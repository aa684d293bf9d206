"""The body of a question or an area: judgement, summary and findings, in any era.

A unit's lines arrive one at a time after its heading. Headings switch the section a line
lands in: "Areas for improvement" (or a numbered "Area for improvement 1"), "Cause of
concern", "Recommendations", "Innovative practice", "Promising practice", "Main findings".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from peelcli.errors import Problem
from peelcli.importer.needs import Need
from peelcli.importer.text import Line, carried_over_from, earlier_grades, stated_grades
from peelcli.models import (
    CauseOfConcern,
    EarlierGrade,
    Era,
    Finding,
    Grade,
    Practice,
    Recommendation,
    Unit,
)

_HEADINGS = {
    "area for improvement": "areas",
    "areas for improvement": "areas",
    "cause of concern": "concern",
    "causes of concern": "concern",
    "recommendation": "recommendations",
    "recommendations": "recommendations",
    "innovative practice": "innovative",
    "promising practice": "promising",
    "main findings": "body",
}
# "Area for improvement 1", "Cause of concern 2": one finding follows its numbered heading.
_NUMBERED = re.compile(r"(area for improvement|cause of concern|recommendation) [1-9][0-9]{0,2}")
# A recommendation that opens with its deadline needs no heading of its own.
_DEADLINE = re.compile(
    r"(?:Within\s+(?:\w+\s+){1,3}(?:days?|weeks?|months?|years?)|By\s+\w+(?:\s+\d{4})?"
    r"|Immediately),?\s+(?:the\s+force|\w+(?:\s+\w+){0,3}\s+(?:Police|Constabulary))\s+should\b",
    re.IGNORECASE,
)
# A judgement states its grade once or twice, and a paragraph cites an earlier grade or two:
# far more is not a report, and reading all of it would cost time in proportion.
MOST_STATEMENTS = 50
# The heading a practice box may have: short, and not a sentence.
_BOX_TITLE = re.compile(r"[^.!?:;]{1,120}")


class Heading(NamedTuple):
    """A section heading: the section it opens, and whether one numbered finding follows."""

    section: str
    numbered: bool


def heading(line: Line) -> Heading | None:
    """The section a heading line opens, or None for any other line."""
    if line.bulleted:
        return None
    key = line.text.rstrip(":").casefold()
    if key in _HEADINGS:
        return Heading(_HEADINGS[key], False)
    numbered = _NUMBERED.fullmatch(key)
    if numbered:
        return Heading(_HEADINGS[numbered[1]], True)
    return None


@dataclass
class Notes:
    """What an import tells its caller besides the report: warnings and explanations."""

    name: str
    warnings: list[Problem] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    needs: list[Need | None] = field(default_factory=list)  # what each warning is about

    def not_placed(self, line: Line, why: str) -> None:
        text = line.text if len(line.text) <= 72 else line.text[:71] + "…"
        self.warn(f"not placed ({why}): {text}", line.number)

    def warn(self, message: str, line: int | None, need: Need | None = None) -> None:
        self.warnings.append(Problem(message, self.name, line))
        self.needs.append(need)

    def sort(self) -> None:
        """The warnings in the order of their lines, each still with what it is about."""
        pairs = sorted(zip(self.warnings, self.needs, strict=True), key=lambda p: p[0].line or 0)
        self.warnings = [warning for warning, _ in pairs]
        self.needs = [need for _, need in pairs]

    def explain(self, line: int, subject: str, value: str, sentence: str | None) -> None:
        self.explanations.append(Explanation(self.name, line, subject, value, sentence))


class Explanation(NamedTuple):
    """A value read from the text, and the line and sentence it came from."""

    file: str
    line: int | None  # None where a place in the source stands in the file name
    subject: str
    value: str
    sentence: str | None = None  # None: the text states no grade for it

    def __str__(self) -> str:
        said = "the text states no grade" if self.sentence is None else f"“{self.sentence}”"
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.subject}: {self.value} — {said}"


@dataclass
class _Cause:
    text: str
    lead_in: str | None = None
    recommendations: list[str] = field(default_factory=list)
    bulleted: bool | None = None  # whether its recommendations are a bulleted list
    in_recommendations: bool = False


@dataclass
class _Practice:
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A question or area as read so far."""

    heading: Line
    title: str
    grade_line: tuple[Grade, Line] | None = None  # a grade alone on a line under the heading
    judgement: Line | None = None
    summary: list[Line] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    areas_bulleted: bool | None = None
    area_expected: bool = False  # a numbered area for improvement awaits its paragraph
    causes: list[_Cause] = field(default_factory=list)
    innovative: list[_Practice] = field(default_factory=list)
    promising: list[_Practice] = field(default_factory=list)
    section: str = "body"
    cause_expected: bool = False  # a cause of concern heading awaits its paragraph
    last: Line | None = None  # the last line placed in it

    def place(self, line: Line, following: Line | None, notes: Notes) -> None:
        """Place a line of the unit's body, or warn why it cannot be placed."""
        self.last = line
        found = heading(line)
        if found is not None:
            self._section_heading(found, line, notes)
        elif self.section == "body":
            if self.judgement is None and not self.summary:
                self.judgement = line
            else:
                self.summary.append(line)
        elif self.section == "areas":
            self._area(line, notes)
        elif self.section == "concern":
            self._cause_text(line, following, notes)
        elif self.section == "recommendations":
            self._recommendation(line, following)
        else:
            self._practice(line)

    def _section_heading(self, found: Heading, line: Line, notes: Notes) -> None:
        if found.section in ("innovative", "promising"):
            boxes = self.innovative if found.section == "innovative" else self.promising
            boxes.append(_Practice())
            self.section = found.section
            return
        if found.section == "areas" and found.numbered:
            self.section = "areas"
            self.area_expected = True
            return
        if found.section != "recommendations":
            self.section = found.section
            self.cause_expected = found.section == "concern"
            return
        cause = self.causes[-1] if self.causes else None
        if cause is None or self.section not in ("concern", "recommendations"):
            notes.not_placed(line, "recommendations outside a cause of concern")
            return
        if cause.in_recommendations:
            if cause.bulleted is False and cause.recommendations and not found.numbered:
                # An unbulleted list runs on into the next cause's text: its last line is that.
                cause = _Cause(cause.recommendations.pop())
                self.causes.append(cause)
            elif not found.numbered:
                notes.not_placed(line, "a second recommendations heading for one cause")
                return
        cause.in_recommendations = True
        self.section = "recommendations"

    def _area(self, line: Line, notes: Notes) -> None:
        if self.area_expected:
            # A numbered area for improvement is one paragraph; the findings go on after it.
            self.areas.append(line.body)
            self.area_expected = False
            self.section = "body"
            return
        if self.areas_bulleted is None:
            self.areas_bulleted = line.bulleted
        if self.areas_bulleted and not line.bulleted:
            notes.not_placed(line, "not a bulleted item of the areas for improvement")
            return
        self.areas.append(line.body)

    def _cause_text(self, line: Line, following: Line | None, notes: Notes) -> None:
        cause = self.causes[-1] if self.causes else None
        if line.bulleted:
            notes.not_placed(line, "a list item in a cause of concern, before its recommendations")
        elif cause is None or cause.in_recommendations or self.cause_expected:
            self.causes.append(_Cause(line.text))
            self.cause_expected = False
        elif _DEADLINE.match(line.text):
            cause.in_recommendations = True
            self.section = "recommendations"
            self._recommendation(line, following)
        else:
            notes.not_placed(line, "a second paragraph of a cause of concern")

    def _recommendation(self, line: Line, following: Line | None) -> None:
        cause = self.causes[-1]
        if line.bulleted:
            if cause.bulleted is None:
                cause.bulleted = True
            cause.recommendations.append(line.body)
            return
        starting = not cause.recommendations and cause.lead_in is None
        if starting and (line.text.endswith(":") or (following is not None and following.bulleted)):
            cause.lead_in = line.text
        elif cause.bulleted:
            # A paragraph after a bulleted list is the next cause of concern.
            self.causes.append(_Cause(line.text))
            self.section = "concern"
        else:
            cause.bulleted = False
            cause.recommendations.append(line.text)

    def _practice(self, line: Line) -> None:
        box = (self.innovative if self.section == "innovative" else self.promising)[-1]
        if box.title is None and not box.paragraphs and _BOX_TITLE.fullmatch(line.body):
            box.title = line.body
        else:
            box.paragraphs.append(line.body)


U = TypeVar("U", bound=Unit)


def build_unit(
    cls: type[U],
    uid: str,
    draft: Draft,
    year: int,
    ungraded: bool,
    given: tuple[Grade, Line] | None,
    notes: Notes,
) -> U:
    """The question or area a draft describes, its grade read from the text.

    ``given`` is a grade the report states elsewhere (a judgement table); ``ungraded`` says
    the inspection does not grade this question or area.
    """
    judgement = draft.judgement
    stated = stated_grades(judgement.text, MOST_STATEMENTS + 1) if judgement else []
    if judgement and len(stated) > MOST_STATEMENTS:
        stated.pop()
        notes.warn(
            f"the judgement of {uid} states a grade more than {MOST_STATEMENTS} times; "
            f"only the first {MOST_STATEMENTS} are read",
            judgement.number,
        )
    for found, sentence in stated:
        notes.explain(judgement.number if judgement else 0, uid, found.value, sentence)
    distinct = sorted({g for g, _ in stated}, reverse=True)
    elsewhere = [g for g in (draft.grade_line, given) if g is not None]
    for grade, line in elsewhere:
        notes.explain(line.number, uid, grade.value, line.text)
    every = sorted({*distinct, *(g for g, _ in elsewhere)}, reverse=True)
    scale = Era.of_year(year).grades

    earlier: list[EarlierGrade] = []
    carried: tuple[int, str, Line] | None = None
    for paragraph in [*([judgement] if judgement else []), *draft.summary]:
        cites = earlier_grades(paragraph.text, MOST_STATEMENTS + 1)
        if len(cites) > MOST_STATEMENTS:
            cites.pop()
            notes.warn(
                f"a paragraph of {uid} cites more than {MOST_STATEMENTS} earlier grades; "
                f"only the first {MOST_STATEMENTS} are kept",
                paragraph.number,
            )
        for cited in cites:
            earlier.append(cited)
            value = f"earlier grade {cited.year} {cited.grade.value}"
            notes.explain(paragraph.number, uid, value, cited.quote)
        if carried is None:
            found_carried = carried_over_from(paragraph.text, year)
            if found_carried is not None:
                carried = (*found_carried, paragraph)

    grade = Grade.NOT_STATED
    if len(every) == 1 and every[0] in scale:
        grade = every[0]
    elif len(every) > 1:
        said = f"the judgement of {uid} states" if not elsewhere else f"the text states for {uid}"
        notes.warn(
            f"{said} {len(every)} grades ({', '.join(g.value for g in every)}); "
            "it is left not stated: set its grade by hand",
            (judgement or draft.heading).number,
        )
    elif every:
        notes.warn(
            f"{uid} is stated as {every[0].value}, which PEEL {year} did not give; "
            "it is left not stated",
            (judgement or draft.heading).number,
        )
    elif carried is not None:
        of_year = [e.grade for e in earlier if e.year == carried[0]]
        if len(set(of_year)) == 1:
            grade = of_year[0]
    elif ungraded:
        grade = Grade.UNGRADED

    carried_from: int | None = None
    if carried is not None:
        carried_from = carried[0]
        notes.explain(carried[2].number, uid, f"carried over from {carried[0]}", carried[1])
    if grade is Grade.NOT_STATED and not every:
        if judgement is None:
            notes.warn(
                f"{uid} has no judgement paragraph; it is left not stated", draft.heading.number
            )
        else:
            notes.warn(
                f"the judgement of {uid} states no grade; it is left not stated", judgement.number
            )
        notes.explain((judgement or draft.heading).number, uid, "not stated", None)
    elif grade is Grade.UNGRADED:
        notes.explain((judgement or draft.heading).number, uid, "ungraded", None)

    return cls(
        id=uid,
        title=draft.title,
        grade=grade,
        carried_over_from=carried_from,
        judgement=judgement.text if judgement else None,
        summary=[p.text for p in draft.summary],
        earlier_grades=earlier,
        areas_for_improvement=[
            Finding(id=f"{uid}.A{n}", text=text) for n, text in enumerate(draft.areas, 1)
        ],
        causes_of_concern=list(_causes(uid, draft.causes)),
        innovative_practice=list(_practice(f"{uid}.I", draft.innovative)),
        promising_practice=list(_practice(f"{uid}.P", draft.promising)),
    )


def _causes(uid: str, drafts: list[_Cause]) -> Iterator[CauseOfConcern]:
    # Recommendations are numbered through all the unit's causes of concern.
    number = 0
    for c, draft in enumerate(drafts, 1):
        recommendations = []
        for text in draft.recommendations:
            number += 1
            recommendations.append(Recommendation(id=f"{uid}.R{number}", text=text))
        yield CauseOfConcern(
            id=f"{uid}.C{c}",
            text=draft.text,
            recommendations_lead_in=draft.lead_in,
            recommendations=recommendations,
        )


def _practice(prefix: str, boxes: list[_Practice]) -> Iterator[Practice]:
    number = 0
    for box in boxes:
        # A box of one short line has that line as its text, not as its heading.
        paragraphs = box.paragraphs or ([box.title] if box.title else [])
        if not paragraphs:
            continue  # a heading with nothing under it: the text stops there, and says so
        number += 1
        yield Practice(
            id=f"{prefix}{number}",
            text=paragraphs[0],
            title=box.title if box.paragraphs else None,
            paragraphs=paragraphs[1:],
        )
