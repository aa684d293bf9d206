"""Pillar reports (2014–2017) and integrated PEEL (2018/19): pillars of numbered questions.

    Effectiveness                                pillar heading (E, F or L)
    How effective is the force at …?             the pillar's headline question (optional)
    Requires improvement                         the pillar's grade on its own line (optional)
    Avon and Somerset Constabulary is good …     paragraphs of a pillar summary (optional)
    How effective is the force at …?             a question: E1, E2 …
    The Metropolitan Police Service is good …    its judgement: the first paragraph
    …                                            summary paragraphs and findings (see units)

A pillar summary page may leave out the pillar's heading: its headline question names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from peelcli.errors import PeelError, Problem
from peelcli.importer.needs import Need
from peelcli.importer.text import Line, grade_line, stated_grades
from peelcli.importer.units import Draft, Notes, build_unit, heading
from peelcli.models import PILLAR_LETTERS, Era, Grade, Pillar, Question

_PILLAR_IDS = {name.casefold(): letter for letter, name in PILLAR_LETTERS.items()}
_QUESTION = re.compile(r"(?:How|To what extent)\b[^?]{0,300}\?")
# The wording PEEL uses for a pillar's headline question, in 2015-2017 reports.
_HEADLINE = re.compile(r"How (\w+) is the force at keeping people safe and reducing crime\?")
_HEADLINE_PILLARS = {"effective": "E", "efficient": "F", "legitimate": "L"}
# Questions PEEL did not grade by design: the 2015-2017 specialist capabilities question.
_UNGRADED_QUESTION = re.compile(r"specialist capabilities", re.IGNORECASE)


class PillarGrade(NamedTuple):
    """A pillar's overall grade and where it comes from, given by the caller."""

    grade: Grade
    source: str


def pillar_id(line: Line) -> str | None:
    """The letter of a pillar heading line, or None."""
    return None if line.bulleted else _PILLAR_IDS.get(line.text.rstrip(":").casefold())


def is_question(line: Line | None) -> bool:
    """Whether a line asks an inspection question."""
    return line is not None and not line.bulleted and _QUESTION.fullmatch(line.text) is not None


def headline_pillar(line: Line) -> str | None:
    """The pillar a headline question names ('How efficient …' is F), or None."""
    match = None if line.bulleted else _HEADLINE.fullmatch(line.text)
    return _HEADLINE_PILLARS.get(match[1].lower()) if match else None


@dataclass
class _Pillar:
    heading: Line
    id: str
    question: Line | None = None
    grade_line: tuple[Grade, Line] | None = None
    paragraphs: list[Line] = field(default_factory=list)
    questions: list[Draft] = field(default_factory=list)


class PillarReader:
    """Walks the lines once, placing each or noting why it could not."""

    def __init__(self, lines: list[Line], notes: Notes) -> None:
        self.lines = lines
        self.notes = notes
        self.pillars: list[_Pillar] = []

    def read(self) -> None:
        for i, line in enumerate(self.lines[1:], 1):
            following = self.lines[i + 1] if i + 1 < len(self.lines) else None
            self.place(line, self.lines[i - 1], following)

    def place(self, line: Line, previous: Line, following: Line | None) -> None:
        letter = pillar_id(line)
        if letter is not None:
            self.new_pillar(line, letter)
            return
        pillar = self.pillars[-1] if self.pillars else None
        named = headline_pillar(line)
        if named is not None and (pillar is None or (pillar.id != named and pillar.questions)):
            # A summary page without its pillar's heading: the headline question names it.
            self.new_pillar(line, named).question = line
            return
        if pillar is None:
            self.notes.not_placed(line, "before the first pillar heading")
            return
        if is_question(line):
            # The pillar's headline question comes straight after its heading and is followed
            # by the first question, or asks in the words PEEL uses for a pillar.
            headline = is_question(following) or _HEADLINE.fullmatch(line.text) is not None
            if previous is pillar.heading and headline and pillar.question is None:
                pillar.question = line
            else:
                pillar.questions.append(Draft(line, line.text))
            return
        question = pillar.questions[-1] if pillar.questions else None
        if question is not None:
            question.place(line, following, self.notes)
            return
        grade = grade_line(line)
        if grade is not None and pillar.grade_line is None and not pillar.paragraphs:
            pillar.grade_line = (grade, line)
        elif heading(line) is None and grade is None:
            pillar.paragraphs.append(line)
        else:
            self.notes.not_placed(
                line, f"before the first question of {PILLAR_LETTERS.get(pillar.id, pillar.id)}"
            )

    def new_pillar(self, line: Line, letter: str) -> _Pillar:
        if any(p.id == letter for p in self.pillars):
            raise PeelError(
                Problem(
                    f"a second {PILLAR_LETTERS[letter]} heading; a report holds each pillar once",
                    self.notes.name,
                    line.number,
                )
            )
        pillar = _Pillar(line, letter)
        self.pillars.append(pillar)
        return pillar

    def drafts(self) -> list[_Pillar]:
        """The pillars that hold questions or a summary; the rest come back as warnings."""
        kept = []
        for pillar in self.pillars:
            # A pillar summary page asks the pillar's headline question.
            if pillar.questions or (
                pillar.question is not None and (pillar.paragraphs or pillar.grade_line)
            ):
                kept.append(pillar)
                continue
            why = f"{PILLAR_LETTERS[pillar.id]} has no questions"
            self.notes.not_placed(pillar.heading, why)
            dropped = [pillar.question, *(pillar.grade_line or ())[1:], *pillar.paragraphs]
            for line in sorted(
                {d for d in dropped if isinstance(d, Line) and d is not pillar.heading},
                key=lambda d: d.number,
            ):
                self.notes.not_placed(line, why)
        return kept

    def last_unit(self) -> str | None:
        """The ID of the question or pillar the text ends in."""
        if not self.pillars:
            return None
        pillar = self.pillars[-1]
        return f"{pillar.id}{len(pillar.questions)}" if pillar.questions else pillar.id


def build_pillars(
    drafts: list[_Pillar], year: int, given: Mapping[str, PillarGrade], notes: Notes
) -> list[Pillar]:
    """The pillars the drafts describe, numbering their questions."""
    ungraded_by_design = Era.of_year(year) is Era.PILLAR
    pillars = []
    for draft in drafts:
        questions = [
            build_unit(
                Question,
                f"{draft.id}{n}",
                q,
                year,
                ungraded_by_design and _UNGRADED_QUESTION.search(q.title) is not None,
                None,
                notes,
            )
            for n, q in enumerate(draft.questions, 1)
        ]
        grade, source = _pillar_grade(draft, year, given.get(draft.id), notes)
        paragraphs = [p.text for p in draft.paragraphs]
        pillars.append(
            Pillar(
                id=draft.id,
                name=PILLAR_LETTERS[draft.id],
                question=draft.question.text if draft.question else None,
                grade=grade,
                grade_source=source,
                judgement=paragraphs[0] if paragraphs else None,
                summary=paragraphs[1:],
                questions=questions,
            )
        )
    return pillars


def _pillar_grade(
    draft: _Pillar, year: int, given: PillarGrade | None, notes: Notes
) -> tuple[Grade, str | None]:
    """A pillar's grade: as the caller gives it, else as its summary states it."""
    if given is not None:
        return given.grade, given.source
    if not draft.paragraphs and draft.grade_line is None:
        # A pillar of questions alone: its overall grade is on the inspectorate's web page.
        return Grade.NOT_STATED, None
    name = PILLAR_LETTERS[draft.id]
    about = re.compile(rf"keeping people safe and reducing crime|\b{name}\b|^Overall", re.I)
    found: list[tuple[Grade, str, int]] = []
    for paragraph in draft.paragraphs:
        found += [
            (g, s, paragraph.number) for g, s in stated_grades(paragraph.text) if about.search(s)
        ]
    if not found and draft.paragraphs:
        first = draft.paragraphs[0]
        found = [(g, s, first.number) for g, s in stated_grades(first.text)]
    if draft.grade_line is not None:
        grade, line = draft.grade_line
        found.insert(0, (grade, line.text, line.number))
    for grade, sentence, number in found:
        notes.explain(number, draft.id, grade.value, sentence)
    distinct = sorted({g for g, _, _ in found}, reverse=True)
    where = (draft.grade_line[1] if draft.grade_line else draft.paragraphs[0]).number
    if len(distinct) == 1 and distinct[0] in Era.of_year(year).grades:
        if draft.paragraphs:
            return distinct[0], None
        return distinct[0], "The report's text, on a line of its own under the pillar's heading."
    if distinct:
        notes.warn(
            f"the summary of {name} states {', '.join(g.value for g in distinct)}; "
            "its grade is left not stated",
            where,
            Need("pillar_grade", {"pillar": draft.id}),
        )
    else:
        notes.explain(where, draft.id, Grade.NOT_STATED.value, None)
    return Grade.NOT_STATED, None
