"""The published text of a PEEL report to a Report: pure functions, no I/O, no printing.

The text is read as a web page copies: one paragraph per line, blank lines and spacing
ignored, list items marked with a bullet (``-``, ``•``, ``*`` …) or, in a list that has
none, one item per line. The structure it recognises:

    Metropolitan PEEL 2016                       title: force and year
    Effectiveness                                pillar heading (E, F or L)
    How effective is the force at …?             the pillar's headline question (optional)
    How effective is the force at …?             a question: E1, E2 …
    The Metropolitan Police Service is good …    its judgement: the first paragraph
    …                                            summary paragraphs
    Areas for improvement                        items E1.A1 …
    Cause of concern                             a paragraph: E3.C1
    Recommendations                              an optional lead-in ending in ':', items E3.R1 …

Every line either lands in the report or comes back as a warning with its number. What the
text does not state (a pillar's overall grade, where the text comes from) comes from the
caller or stays absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from peelcli.errors import PeelError, Problem
from peelcli.models import (
    PILLAR_LETTERS,
    CauseOfConcern,
    EarlierGrade,
    Finding,
    Grade,
    Pillar,
    Question,
    Report,
)

PROGRAMME = "PEEL"

_PILLAR_IDS = {name.casefold(): letter for letter, name in PILLAR_LETTERS.items()}
_HEADINGS = {
    "area for improvement": "areas",
    "areas for improvement": "areas",
    "cause of concern": "concern",
    "causes of concern": "concern",
    "recommendation": "recommendations",
    "recommendations": "recommendations",
}
_BULLET = re.compile(r"(?:[-–—*+]\s+|[•·◦▪‣●○■□►➢\uf0a7\uf0b7]\s*)")
_BARE_BULLET = re.compile(r"[-–—*+•·◦▪‣●○■□►➢\uf0a7\uf0b7]")
_QUESTION = re.compile(r"(?:How|To what extent)\b[^?]{0,300}\?")
# The wording PEEL uses for a pillar's headline question, in 2015-2017 reports.
_HEADLINE = re.compile(r"How \w+ is the force at keeping people safe and reducing crime\?")
_TITLE = re.compile(r"(?P<force>.+?)\s+PEEL:?\s+(?P<year>(?:19|20)\d\d)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SENTENCE_END = re.compile(r"[.!?][’”\"')]*\s+(?=[A-Z‘“\"'(])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|St|No|vs)$")

_GRADE_WORD = r"outstanding|good|adequate|inadequate|requires\s+improvement"
# A grade a judgement states: "is good at …", "… requires improvement.", "has been judged
# as outstanding". Not "There is good evidence", "makes good use", "does not require
# improvement", nor a grade in quotation marks, which cites another judgement.
_STATED_GRADE = re.compile(
    r"(?<![Tt]here\s)\b(?:is|are|(?:has|have)\s+been)\s+"
    r"(?:(?:judged|graded|assessed|rated|found)\s+(?:to\s+be\s+|as\s+)?)?"
    r"(?P<word>outstanding|good|adequate|inadequate)"
    r"(?=\s+(?:at|in|on|across|overall|and|but|for|with|when|where|as)\b|\s*[.,;:]|\s*$)"
    r"|(?<![‘'\"“])(?<!not\s)(?<!n’t\s)(?<!n't\s)\b(?P<ri>requires?\s+improvement)\b"
)
# A grade of an earlier inspection that the text cites: "HMIC’s 2015 assessment of
# ‘requires improvement’", "in 2015 the force was graded as good".
_EARLIER_GRADE = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)\b[^.;:]*?\b"
    r"(?:(?:assessment|inspection|judge?ment|grade|grading|rating)\s+(?:of|as)"
    r"|(?:assessed|graded|judged|rated)\s+(?:as|to\s+be))\s+"
    rf"[‘'\"“]?(?P<grade>{_GRADE_WORD})\b[’'\"”]?",
    re.IGNORECASE,
)
_FORCE_SUFFIX = r"\s+(?:Police\s+Service|Police\s+Force|Constabulary|Police)\b"
_INSPECTORATE = re.compile(r"\b(HMICFRS|HMIC)\b")


class Explanation(NamedTuple):
    """A value read from the text, and the line and sentence it came from."""

    file: str
    line: int
    subject: str
    value: str
    sentence: str | None = None  # None: the text states no grade for it

    def __str__(self) -> str:
        said = "the text states no grade" if self.sentence is None else f"“{self.sentence}”"
        return f"{self.file}:{self.line}: {self.subject}: {self.value} — {said}"


@dataclass(frozen=True)
class Imported:
    """The report the text describes, lines it could not place, and where values came from."""

    report: Report
    warnings: list[Problem]
    explanations: list[Explanation]


class PillarGrade(NamedTuple):
    """A pillar's overall grade and where it comes from, given by the caller."""

    grade: Grade
    source: str


# --- lines -------------------------------------------------------------------------


class _Line(NamedTuple):
    number: int
    text: str  # whitespace runs made one space, ends stripped
    bulleted: bool
    body: str  # the text without its bullet


def _lines(text: str) -> list[_Line]:
    """The non-blank lines, numbered from 1; a bullet alone on its line marks the next."""
    lines: list[_Line] = []
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
            lines.append(_Line(number, line, True, line[bullet.end() :]))
        elif pending_bullet:
            lines.append(_Line(number, line, True, line))
        else:
            lines.append(_Line(number, line, False, line))
        pending_bullet = False
    return lines


def _pillar_id(line: _Line) -> str | None:
    return None if line.bulleted else _PILLAR_IDS.get(line.text.rstrip(":").casefold())


def _heading(line: _Line) -> str | None:
    return None if line.bulleted else _HEADINGS.get(line.text.rstrip(":").casefold())


def _is_question(line: _Line | None) -> bool:
    return line is not None and not line.bulleted and _QUESTION.fullmatch(line.text) is not None


def _structural(line: _Line) -> bool:
    return bool(_pillar_id(line) or _heading(line) or _is_question(line))


def sentences(paragraph: str) -> list[str]:
    """A paragraph split into sentences, not at abbreviations such as 'e.g.'."""
    found: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(paragraph):
        if _ABBREVIATION.search(paragraph, start, end.start()):
            continue
        found.append(paragraph[start : end.end()].strip())
        start = end.end()
    found.append(paragraph[start:].strip())
    return [s for s in found if s]


# --- structure ---------------------------------------------------------------------


@dataclass
class _Cause:
    text: str
    lead_in: str | None = None
    recommendations: list[str] = field(default_factory=list)
    bulleted: bool | None = None  # whether its recommendations are a bulleted list
    in_recommendations: bool = False


@dataclass
class _Question:
    line: int
    title: str
    judgement: _Line | None = None
    summary: list[_Line] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    areas_bulleted: bool | None = None
    causes: list[_Cause] = field(default_factory=list)
    section: str = "body"
    cause_expected: bool = False  # a cause of concern heading awaits its paragraph


@dataclass
class _Pillar:
    heading: _Line
    id: str
    question: _Line | None = None
    questions: list[_Question] = field(default_factory=list)


class _Reader:
    """Walks the lines once, placing each or noting why it could not."""

    def __init__(self, lines: list[_Line], name: str) -> None:
        self.lines = lines
        self.name = name
        self.pillars: list[_Pillar] = []
        self.warnings: list[Problem] = []

    def not_placed(self, line: _Line, why: str) -> None:
        text = line.text if len(line.text) <= 72 else line.text[:71] + "…"
        self.warnings.append(Problem(f"not placed ({why}): {text}", self.name, line.number))

    def read(self) -> None:
        for i, line in enumerate(self.lines[1:], 1):
            following = self.lines[i + 1] if i + 1 < len(self.lines) else None
            self.place(line, self.lines[i - 1], following)

    def place(self, line: _Line, previous: _Line, following: _Line | None) -> None:
        pillar_id = _pillar_id(line)
        if pillar_id is not None:
            if any(p.id == pillar_id for p in self.pillars):
                raise PeelError(
                    Problem(
                        f"a second {PILLAR_LETTERS[pillar_id]} heading; "
                        "a report holds each pillar once",
                        self.name,
                        line.number,
                    )
                )
            self.pillars.append(_Pillar(line, pillar_id))
            return
        pillar = self.pillars[-1] if self.pillars else None
        if pillar is None:
            self.not_placed(line, "before the first pillar heading")
            return
        if _is_question(line):
            # The pillar's headline question comes straight after its heading and is followed
            # by the first question, or asks in the words PEEL uses for a pillar.
            headline = _is_question(following) or _HEADLINE.fullmatch(line.text) is not None
            if previous is pillar.heading and headline:
                pillar.question = line
            else:
                pillar.questions.append(_Question(line.number, line.text))
            return
        question = pillar.questions[-1] if pillar.questions else None
        if question is None:
            self.not_placed(line, f"before the first question of {PILLAR_LETTERS[pillar.id]}")
            return
        heading = _heading(line)
        if heading is not None:
            self.section_heading(question, heading, line)
        elif question.section == "body":
            if question.judgement is None and not question.summary:
                question.judgement = line
            else:
                question.summary.append(line)
        elif question.section == "areas":
            self.area(question, line)
        elif question.section == "concern":
            self.cause_text(question, line)
        else:
            self.recommendation(question, line, following)

    def section_heading(self, question: _Question, heading: str, line: _Line) -> None:
        if heading != "recommendations":
            question.section = heading
            question.cause_expected = heading == "concern"
            return
        cause = question.causes[-1] if question.causes else None
        if cause is None or question.section not in ("concern", "recommendations"):
            self.not_placed(line, "recommendations outside a cause of concern")
            return
        if cause.in_recommendations:
            if cause.bulleted is False and cause.recommendations:
                # An unbulleted list runs on into the next cause's text: its last line is that.
                cause = _Cause(cause.recommendations.pop())
                question.causes.append(cause)
            else:
                self.not_placed(line, "a second recommendations heading for one cause")
                return
        cause.in_recommendations = True
        question.section = "recommendations"

    def area(self, question: _Question, line: _Line) -> None:
        if question.areas_bulleted is None:
            question.areas_bulleted = line.bulleted
        if question.areas_bulleted and not line.bulleted:
            self.not_placed(line, "not a bulleted item of the areas for improvement")
            return
        question.areas.append(line.body)

    def cause_text(self, question: _Question, line: _Line) -> None:
        cause = question.causes[-1] if question.causes else None
        if line.bulleted:
            self.not_placed(line, "a list item in a cause of concern, before its recommendations")
        elif cause is None or cause.in_recommendations or question.cause_expected:
            question.causes.append(_Cause(line.text))
            question.cause_expected = False
        else:
            self.not_placed(line, "a second paragraph of a cause of concern")

    def recommendation(self, question: _Question, line: _Line, following: _Line | None) -> None:
        cause = question.causes[-1]
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
            question.causes.append(_Cause(line.text))
            question.section = "concern"
        else:
            cause.bulleted = False
            cause.recommendations.append(line.text)


# --- grades ------------------------------------------------------------------------


def earlier_grades(paragraph: str) -> list[EarlierGrade]:
    """Grades of earlier inspections that a paragraph cites, each with its sentence."""
    found: list[EarlierGrade] = []
    for sentence in sentences(paragraph):
        for match in _EARLIER_GRADE.finditer(sentence):
            found.append(
                EarlierGrade(
                    year=int(match["year"]), grade=Grade.parse(match["grade"]), quote=sentence
                )
            )
    return found


def stated_grades(paragraph: str) -> list[tuple[Grade, str]]:
    """Every grade a judgement states, with its sentence; grades it cites are left out."""
    found: list[tuple[Grade, str]] = []
    for sentence in sentences(paragraph):
        cited = [m.span() for m in _EARLIER_GRADE.finditer(sentence)]
        for match in _STATED_GRADE.finditer(sentence):
            if any(start < match.end() and match.start() < end for start, end in cited):
                continue
            word = match["word"]
            found.append((Grade(word) if word else Grade.REQUIRES_IMPROVEMENT, sentence))
    return found


# --- the report --------------------------------------------------------------------


def parse_pillar_grades(grades: Sequence[str], sources: Sequence[str]) -> dict[str, PillarGrade]:
    """Pillar grades given as 'E=requires improvement', each with its 'E=where it comes from'."""
    given = _assignments(grades, "--pillar-grade", "ID=GRADE, such as 'E=requires improvement'")
    said = _assignments(sources, "--grade-source", "ID=TEXT, such as 'E=HMIC's PEEL 2016 page'")
    problems: list[Problem] = []
    result: dict[str, PillarGrade] = {}
    for pillar, text in given.items():
        try:
            grade = Grade.parse(text)
        except ValueError as exc:
            problems.append(Problem(f"--pillar-grade {pillar}: {exc}"))
            continue
        if pillar not in said:
            problems.append(
                Problem(
                    f"--pillar-grade {pillar} needs --grade-source {pillar}=TEXT saying where "
                    "the grade comes from; the text of a report does not state it"
                )
            )
            continue
        result[pillar] = PillarGrade(grade, said[pillar])
    problems += [
        Problem(f"--grade-source {p} is given without --pillar-grade {p}")
        for p in said
        if p not in given
    ]
    if problems:
        raise PeelError(problems)
    return result


def _assignments(values: Sequence[str], option: str, form: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        key = key.strip().upper()
        if not sep or not re.fullmatch(r"[A-Z]", key) or not text.strip():
            raise PeelError(f"{option} {value!r}: expected {form}")
        if key in result:
            raise PeelError(f"{option} gives pillar {key} twice")
        result[key] = text.strip()
    return result


def import_text(
    text: str,
    name: str,
    *,
    force: str | None = None,
    year: int | None = None,
    inspectorate: str | None = None,
    source: str | None = None,
    pillar_grades: Mapping[str, PillarGrade] | None = None,
) -> Imported:
    """The report that the text of a PEEL report describes, with warnings and explanations."""
    lines = _lines(text)
    if not lines:
        raise PeelError(Problem("is empty; expected the text of a PEEL report", name))
    title = lines[0]
    if _structural(title):
        raise PeelError(
            Problem(
                f"the text starts at {title.text!r}, not at the report's title", name, title.number
            ),
            hint="Make the report's title, such as 'Metropolitan PEEL 2016', its first line.",
        )
    reader = _Reader(lines, name)
    reader.read()
    warnings = reader.warnings
    for pillar in reader.pillars:
        if not pillar.questions:
            why = f"{PILLAR_LETTERS[pillar.id]} has no questions"
            reader.not_placed(pillar.heading, why)
            if pillar.question is not None:
                reader.not_placed(pillar.question, why)
    drafts = [p for p in reader.pillars if p.questions]
    if not drafts:
        raise PeelError(
            Problem(
                "is not the text of a PEEL report: found no pillar heading (Effectiveness, "
                "Efficiency or Legitimacy) followed by questions such as "
                "'How effective is the force at …?'",
                name,
            )
        )
    grades = dict(pillar_grades or {})
    unknown = sorted(set(grades) - {p.id for p in drafts})
    if unknown:
        found = ", ".join(p.id for p in drafts)
        raise PeelError(f"--pillar-grade names pillar {', '.join(unknown)}; the text has {found}")

    explanations: list[Explanation] = []
    body = lines[1:]
    details = _Details(title, body, name, explanations, warnings)
    report_force = details.force(force)
    report_year = details.year(year)
    report_inspectorate = details.inspectorate(inspectorate)
    if details.problems:
        raise PeelError(details.problems)

    from pydantic import ValidationError

    try:
        pillars = [_pillar(p, grades.get(p.id), name, explanations, warnings) for p in drafts]
        report = Report(
            force=report_force,
            year=report_year,
            inspectorate=report_inspectorate,
            programme=PROGRAMME,
            title=title.text,
            source=source,
            pillars=pillars,
        )
    except ValidationError as exc:
        # Only what the caller gave can be invalid: the text's lines are never blank.
        raise PeelError(
            [
                Problem(f"--{e['loc'][0]}: {e['msg'].removeprefix('Value error, ')}")
                for e in exc.errors()
            ]
        ) from None
    warnings.sort(key=lambda p: p.line or 0)
    return Imported(report, warnings, explanations)


@dataclass
class _Details:
    """Force, year and inspectorate: from the caller, else as the text states them."""

    title: _Line
    body: list[_Line]
    name: str
    explanations: list[Explanation]
    warnings: list[Problem]
    problems: list[Problem] = field(default_factory=list)

    def force(self, given: str | None) -> str:
        if given is not None:
            return given
        match = _TITLE.fullmatch(self.title.text)
        if match is None:
            self.problems.append(
                Problem(
                    "the title does not name the force (as in 'Metropolitan PEEL 2016'); "
                    "give it with --force NAME",
                    self.name,
                    self.title.number,
                )
            )
            return ""
        short = match["force"]
        full = re.compile(rf"\b{re.escape(short)}{_FORCE_SUFFIX}")
        names: dict[str, _Line] = {}
        for line in self.body:
            for found in full.finditer(line.text):
                names.setdefault(" ".join(found.group().split()), line)
        if len(names) == 1:
            ((name, line),) = names.items()
            self.explain(line, "force", name)
            return name
        self.explain(self.title, "force", short)
        if names:
            self.warnings.append(
                Problem(
                    f"the force is named {short!r} as the title has it: the text also names "
                    f"{' and '.join(map(repr, names))}; give the name with --force NAME",
                    self.name,
                    self.title.number,
                )
            )
        return short

    def year(self, given: int | None) -> int:
        if given is not None:
            return given
        years = set(_YEAR.findall(self.title.text))
        if len(years) == 1:
            (year,) = years
            self.explain(self.title, "year", year)
            return int(year)
        self.problems.append(
            Problem(
                "the title does not give the year (as in 'Metropolitan PEEL 2016'); "
                "give it with --year YEAR",
                self.name,
                self.title.number,
            )
        )
        return 0

    def inspectorate(self, given: str | None) -> str:
        if given is not None:
            return given
        first: dict[str, _Line] = {}
        for line in [self.title, *self.body]:
            for match in _INSPECTORATE.finditer(line.text):
                first.setdefault(match.group(), line)
        if len(first) == 1:
            ((name, line),) = first.items()
            self.explain(line, "inspectorate", name)
            return name
        named = "names both HMIC and HMICFRS" if first else "does not name HMIC or HMICFRS"
        self.problems.append(
            Problem(f"the text {named}; give the inspectorate with --inspectorate NAME", self.name)
        )
        return ""

    def explain(self, line: _Line, subject: str, value: str) -> None:
        sentence = next((s for s in sentences(line.text) if value in s), line.text)
        self.explanations.append(Explanation(self.name, line.number, subject, value, sentence))


def _pillar(
    draft: _Pillar,
    grade: PillarGrade | None,
    name: str,
    explanations: list[Explanation],
    warnings: list[Problem],
) -> Pillar:
    questions = [
        _question(f"{draft.id}{n}", q, name, explanations, warnings)
        for n, q in enumerate(draft.questions, 1)
    ]
    return Pillar(
        id=draft.id,
        name=PILLAR_LETTERS[draft.id],
        question=draft.question.text if draft.question else None,
        grade=grade.grade if grade else Grade.UNGRADED,
        grade_source=grade.source if grade else None,
        questions=questions,
    )


def _question(
    qid: str,
    draft: _Question,
    name: str,
    explanations: list[Explanation],
    warnings: list[Problem],
) -> Question:
    grade = Grade.UNGRADED
    judgement = draft.judgement
    if judgement is None:
        warnings.append(
            Problem(f"{qid} has no judgement paragraph; it is left ungraded", name, draft.line)
        )
        explanations.append(Explanation(name, draft.line, qid, "ungraded", None))
    else:
        stated = stated_grades(judgement.text)
        for found, sentence in stated:
            explanations.append(Explanation(name, judgement.number, qid, found.value, sentence))
        distinct = sorted({g for g, _ in stated}, reverse=True)
        if len(distinct) == 1:
            grade = distinct[0]
        elif distinct:
            warnings.append(
                Problem(
                    f"the judgement of {qid} states {len(distinct)} grades "
                    f"({', '.join(g.value for g in distinct)}); it is left ungraded: "
                    "set its grade by hand",
                    name,
                    judgement.number,
                )
            )
        else:
            explanations.append(Explanation(name, judgement.number, qid, "ungraded", None))
    earlier: list[EarlierGrade] = []
    for paragraph in [*([judgement] if judgement else []), *draft.summary]:
        for cited in earlier_grades(paragraph.text):
            earlier.append(cited)
            value = f"earlier grade {cited.year} {cited.grade.value}"
            explanations.append(Explanation(name, paragraph.number, qid, value, cited.quote))
    return Question(
        id=qid,
        title=draft.title,
        grade=grade,
        judgement=judgement.text if judgement else None,
        summary=[p.text for p in draft.summary],
        earlier_grades=earlier,
        areas_for_improvement=[
            Finding(id=f"{qid}.A{n}", text=text) for n, text in enumerate(draft.areas, 1)
        ],
        causes_of_concern=list(_causes(qid, draft.causes)),
    )


def _causes(qid: str, drafts: list[_Cause]) -> Iterator[CauseOfConcern]:
    # Recommendations are numbered through all the question's causes of concern.
    number = 0
    for c, draft in enumerate(drafts, 1):
        recommendations = []
        for text in draft.recommendations:
            number += 1
            recommendations.append(Finding(id=f"{qid}.R{number}", text=text))
        yield CauseOfConcern(
            id=f"{qid}.C{c}",
            text=draft.text,
            recommendations_lead_in=draft.lead_in,
            recommendations=recommendations,
        )
