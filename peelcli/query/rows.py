"""Rows of the views: a pillar's own grade and text, a question or area, a finding, each with
the report it is in, and the scope that chooses them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from peelcli.models import (
    CauseOfConcern,
    Era,
    Finding,
    Grade,
    Kind,
    Pillar,
    Report,
    Truncation,
    Unit,
)


class QuestionRow(NamedTuple):
    """A graded unit (a pillar's question, or an area) with the report and pillar it is in."""

    report: Report
    pillar: Pillar | None  # None for an area of policing, which has no pillar
    question: Unit

    def count(self, kind: Kind) -> int:
        """How many findings of a kind the question has."""
        return self.counts()[_KIND_INDEX[kind]]

    def counts(self) -> tuple[int, int, int, int, int]:
        """How many findings of each kind the question has, in the order of Kind."""
        # The lengths of the lists Question.findings() walks: counting what it yields
        # costs more than all else `peel grades` does for a large corpus.
        question = self.question
        causes = question.causes_of_concern
        return (
            len(question.areas_for_improvement),
            len(causes),
            sum([len(c.recommendations) for c in causes]) if causes else 0,
            len(question.innovative_practice),
            len(question.promising_practice),
        )

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def title(self) -> str:
        return self.question.title

    @property
    def grade(self) -> Grade:
        return self.question.grade

    @property
    def truncated(self) -> Truncation | None:
        return self.question.truncated

    @property
    def carried_over_from(self) -> int | None:
        return self.question.carried_over_from

    @property
    def level(self) -> str:
        """'question' for a pillar's question, 'area' for an area of policing."""
        return "question" if self.pillar is not None else "area"


class PillarRow(NamedTuple):
    """A pillar's own grade and text (its judgement and summary), with the report it is in."""

    report: Report
    pillar: Pillar

    @property
    def id(self) -> str:
        return self.pillar.id

    @property
    def title(self) -> str:
        """The pillar's name, and its headline question where it has one."""
        pillar = self.pillar
        return f"{pillar.name}: {pillar.question}" if pillar.question else pillar.name

    @property
    def grade(self) -> Grade:
        return self.pillar.grade

    @property
    def truncated(self) -> Truncation | None:
        return self.pillar.truncated

    @property
    def carried_over_from(self) -> int | None:
        return None  # a pillar's grade is never carried over

    @property
    def level(self) -> str:
        return "pillar"


# A row of a listing of grades: a pillar's own, or a question's or area's.
GradeRow = PillarRow | QuestionRow

_KIND_INDEX = {kind: n for n, kind in enumerate(Kind)}


class FindingRow(NamedTuple):
    """A finding with everything a reader needs to place it."""

    report: Report
    pillar: Pillar | None
    question: Unit
    kind: Kind
    finding: Finding | CauseOfConcern
    cause: CauseOfConcern | None = None  # the cause a recommendation belongs to

    @property
    def id(self) -> str:
        return self.finding.id

    @property
    def text(self) -> str:
        return self.finding.text


class Scope(NamedTuple):
    """Which reports, questions and findings a command looks at."""

    forces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    grades: tuple[Grade, ...] = ()
    kinds: tuple[Kind, ...] = ()
    questions: tuple[str, ...] = ()

    def reports(self, reports: Iterable[Report]) -> list[Report]:
        """Reports of the chosen forces (see of_forces) and years."""
        return [
            r for r in of_forces(reports, self.forces) if not self.years or r.year in self.years
        ]

    def keeps_question(self, question: Unit) -> bool:
        """Whether a question passes the --grade and --question filters."""
        return (not self.grades or question.grade in self.grades) and (
            not self.questions or question.id.upper() in self.questions
        )

    def keeps_pillar(self, pillar: Pillar) -> bool:
        """Whether a pillar's own grade passes --grade, with no --question asked for (which
        names questions and areas)."""
        return not self.questions and (not self.grades or pillar.grade in self.grades)


def of_forces(reports: Iterable[Report], names: Sequence[str]) -> list[Report]:
    """The reports of the forces --force names, in order; all of them when it names none.

    Each name chooses by the first of these that chooses any report: a name of a force in
    peel's table ('Avon', 'Met', 'GMP', 'Avon and Somerset Constabulary'), its reports under
    whatever name each writes; a report's name as written, exactly (any case); any part of a
    report's name.
    """
    reports = list(reports)
    if not names:
        return reports
    chosen = {id(r) for name in names for r in _of_force(reports, name)}
    return [r for r in reports if id(r) in chosen]


def _of_force(reports: list[Report], name: str) -> list[Report]:
    from peelcli.forces import canonical_name

    known = canonical_name(name)
    if known is not None:
        found = [r for r in reports if r.canonical_force == known]
        if found:
            return found
    wanted = " ".join(name.split()).casefold()
    exact = [r for r in reports if r.force.casefold() == wanted]
    return exact or [
        r for r in reports if wanted in r.force.casefold() or wanted in r.canonical_force.casefold()
    ]


def question_rows(reports: Iterable[Report], scope: Scope) -> list[QuestionRow]:
    """Every question or area in scope, in report order."""
    return [
        QuestionRow(report, pillar, unit)
        for report in scope.reports(reports)
        for pillar, unit in report.units()
        if scope.keeps_question(unit)
    ]


def shown_pillars(
    reports: Iterable[Report], scope: Scope, rows: Sequence[QuestionRow]
) -> list[tuple[Report, Pillar]]:
    """The pillars to head the rows: those of rows shown, and pillar summaries (pillars
    without questions) whose own grade passes --grade when no --question is asked for."""
    shown = {id(row.pillar) for row in rows}
    return [
        (report, pillar)
        for report in scope.reports(reports)
        for pillar in report.pillars
        if id(pillar) in shown
        or (
            not pillar.questions
            and not scope.questions
            and (not scope.grades or pillar.grade in scope.grades)
        )
    ]


def grade_rows(
    reports: Iterable[Report], scope: Scope, rows: Sequence[QuestionRow]
) -> list[GradeRow]:
    """Each pillar's own grade that scope keeps, before the rows of its questions (of rows,
    those scope kept), and then areas, report by report."""
    kept = {id(row.question): row for row in rows}
    listed: list[GradeRow] = []
    for report in scope.reports(reports):
        for pillar in report.pillars:
            if scope.keeps_pillar(pillar):
                listed.append(PillarRow(report, pillar))
            listed.extend(kept[id(q)] for q in pillar.questions if id(q) in kept)
        listed.extend(kept[id(a)] for a in report.areas if id(a) in kept)
    return listed


def has_text(pillar: Pillar) -> bool:
    """Whether a pillar has text of its own to read: a pillar summary's judgement or summary."""
    return bool(pillar.judgement or pillar.summary)


def text_rows(reports: Iterable[Report], scope: Scope) -> list[GradeRow]:
    """What `questions` reads, in report order: each question or area in scope, and before
    its questions each pillar with text of its own (a summary page's) that scope keeps."""
    rows = question_rows(reports, scope)
    return [
        row
        for row in grade_rows(reports, scope, rows)
        if not isinstance(row, PillarRow) or has_text(row.pillar)
    ]


def mixes_eras(reports: Iterable[Report]) -> bool:
    """Whether PEEL assessments (from 2021) stand beside earlier PEEL: their grades differ."""
    eras = {report.era is Era.ASSESSMENT for report in reports}
    return len(eras) > 1


def findings_of(
    question: Unit,
) -> Iterator[tuple[Kind, Finding | CauseOfConcern, CauseOfConcern | None]]:
    """Each finding in reading order (Unit.findings's), its kind, and for a recommendation
    its cause."""
    for area in question.areas_for_improvement:
        yield _AREA, area, None
    for cause in question.causes_of_concern:
        yield _CAUSE, cause, None
        for recommendation in cause.recommendations:
            yield _RECOMMENDATION, recommendation, cause
    for practice in question.innovative_practice:
        yield _INNOVATIVE, practice, None
    for practice in question.promising_practice:
        yield _PROMISING, practice, None


_AREA, _CAUSE, _RECOMMENDATION = (
    Kind.AREA_FOR_IMPROVEMENT,
    Kind.CAUSE_OF_CONCERN,
    Kind.RECOMMENDATION,
)
_INNOVATIVE, _PROMISING = Kind.INNOVATIVE_PRACTICE, Kind.PROMISING_PRACTICE


def all_findings(row: QuestionRow) -> Iterator[FindingRow]:
    """Each finding of a question's row, in reading order, as a row of its own."""
    report, pillar, question = row
    for kind, finding, cause in findings_of(question):
        yield _new(FindingRow, (report, pillar, question, kind, finding, cause))


# A row made straight from its fields' tuple: a large corpus has tens of thousands.
_new = tuple.__new__


def finding_rows(reports: Iterable[Report], scope: Scope) -> list[FindingRow]:
    """Every finding in scope, in reading order."""
    kinds = scope.kinds
    return [
        _new(FindingRow, (report, pillar, question, kind, finding, cause))
        for report in scope.reports(reports)
        for pillar, question in report.units()
        if scope.keeps_question(question)
        for kind, finding, cause in findings_of(question)
        if not kinds or kind in kinds
    ]
