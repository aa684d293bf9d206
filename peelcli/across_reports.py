"""Comparisons across reports: a force over time, forces side by side, findings alike.

Pure functions over loaded reports, no I/O. Findings are compared by
:mod:`peelcli.similarity`, which loads rapidfuzz: this module is imported only by the
commands that compare, so no other command pays for it.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence
from typing import NamedTuple

from peelcli import similarity
from peelcli.errors import PeelError
from peelcli.models import Era, Grade, Kind, Report
from peelcli.query import (
    FindingRow,
    GradeRow,
    PillarRow,
    QuestionRow,
    Scope,
    finding_rows,
    grade_rows,
    grid_column,
    question_rows,
)

DEFAULT_THRESHOLD = similarity.DEFAULT_THRESHOLD

# Kinds of finding that say what a force must do better: the ones that can recur.
# Practice boxes say what went well, and are not compared. They are Kind's first three, in
# the order QuestionRow.counts gives them.
COMPARED_KINDS = (Kind.AREA_FOR_IMPROVEMENT, Kind.CAUSE_OF_CONCERN, Kind.RECOMMENDATION)


class Change(str, enum.Enum):
    """How a grade moved from one report of a force to the next."""

    UP = "up"
    DOWN = "down"
    SAME = "same"
    CARRIED_OVER = "carried over"  # the later report kept the earlier inspection's judgement
    NOT_STATED = "not stated"  # one of the two reports does not say the grade
    UNGRADED = "ungraded"  # one of the two was not graded
    NOT_COMPARABLE = "not comparable"  # a PEEL assessment after earlier PEEL: other scales
    NEW = "new"  # not in the earlier report
    NOT_INSPECTED = "not inspected"  # not in the later report
    # One of the two reports is a pillar summary: it grades the question's pillar alone.
    NOT_BROKEN_DOWN = "not broken down"


def grade_change(
    earlier: GradeRow | None,
    later: GradeRow | None,
    summaries: tuple[PillarRow | None, PillarRow | None] = (None, None),
) -> Change | None:
    """How a unit's grade moved between two consecutive reports; None where it is in neither.
    summaries are, for a question either report leaves out, the pillar summary of that
    report that covers it: that report does not break its pillar down, not 'new' or 'not
    inspected'."""
    if (earlier is None and summaries[0]) or (later is None and summaries[1]):
        return Change.NOT_BROKEN_DOWN
    if earlier is None and later is None:
        return None
    if earlier is None:
        return Change.NEW
    if later is None:
        return Change.NOT_INSPECTED
    if later.carried_over_from is not None:
        return Change.CARRIED_OVER
    before, after = earlier.grade, later.grade
    if Grade.NOT_STATED in (before, after):
        return Change.NOT_STATED
    if Grade.UNGRADED in (before, after):
        return Change.UNGRADED
    if (earlier.report.era is Era.ASSESSMENT) != (later.report.era is Era.ASSESSMENT):
        return Change.NOT_COMPARABLE
    if after > before:
        return Change.UP
    return Change.DOWN if after < before else Change.SAME


class GradeLine(NamedTuple):
    """One pillar, question or area across a force's reports: its grade in each, and each
    change."""

    key: str  # the pillar's letter, question's ID, or area's name (as the grade grid keys them)
    title: str
    rows: tuple[GradeRow | None, ...]  # one per report, oldest first; None where absent
    changes: tuple[Change | None, ...]  # one per consecutive pair of reports
    level: str  # 'pillar', 'question' or 'area'
    # For a question, per report where it is absent: the pillar summary that covers it.
    summaries: tuple[PillarRow | None, ...] = ()


class Recurring(NamedTuple):
    """A later finding that says substantially what an earlier one said."""

    earlier: FindingRow
    later: FindingRow
    score: float


class Step(NamedTuple):
    """The findings of one report of a force against those of the one before."""

    earlier: Report
    later: Report
    recurring: list[Recurring]
    new: list[FindingRow]
    gone: list[FindingRow]  # no longer listed
    comparable: bool  # False where a PEEL assessment follows earlier PEEL


class ForceHistory(NamedTuple):
    """A force over time: its reports oldest first, grade lines and steps between reports."""

    force: str
    reports: list[Report]
    grades: list[GradeLine]
    steps: list[Step]
    threshold: float


def _grade_rows(report: Report) -> list[GradeRow]:
    everything = Scope()
    return grade_rows([report], everything, question_rows([report], everything))


def _none_chosen(first: str, second: str) -> PeelError:
    return PeelError(
        f"no report matches the {first} and {second} chosen",
        hint="grade_grid() shows the forces and years loaded.",
        reason="none_chosen",
        first=first,
        second=second,
    )


def force_history(
    reports: Sequence[Report], scope: Scope, threshold: float = similarity.DEFAULT_THRESHOLD
) -> ForceHistory:
    """How one force changed: scope must select the reports of exactly one force."""
    chosen = sorted(scope.reports(reports), key=lambda r: (r.year, r.title))
    # One force under any of its names: "Avon and Somerset" in 2018, "… Constabulary" in 2016.
    forces = sorted({r.canonical_force for r in chosen})
    if not chosen:
        raise _none_chosen("force", "year")
    if len(forces) > 1:
        shown = ", ".join(forces[:6]) + (f" and {len(forces) - 6} more" if len(forces) > 6 else "")
        raise PeelError(
            f"the forces chosen match {len(forces)} forces, not one: {shown}",
            hint="Name one force more fully, such as 'Avon and Somerset'.",
            reason="several_forces",
            count=len(forces),
            shown=shown,
        )
    everything = Scope()
    units = [
        {
            grid_column(r): r
            for r in grade_rows([report], everything, question_rows([report], everything))
        }
        for report in chosen
    ]
    titles: dict[str, GradeRow] = {}
    for by_key in units:
        for column, row in by_key.items():
            titles.setdefault(column, row)
    # Pillar summaries (pillars without questions), by report and letter.
    summaries = [{p.id: PillarRow(r, p) for p in r.pillars if not p.questions} for r in chosen]
    # Where a PEEL assessment follows earlier PEEL, the questions give way to areas: a
    # question missing from the later report was not dropped, and an area is not new.
    same_era = [
        (a.era is Era.ASSESSMENT) == (b.era is Era.ASSESSMENT)
        for a, b in itertools.pairwise(chosen)
    ]
    grades = []
    for column, first in titles.items():
        rows = tuple(by_key.get(column) for by_key in units)
        letter = first.pillar.id if isinstance(first, QuestionRow) and first.pillar else None
        covered = tuple(
            by_letter.get(letter) if letter and row is None else None
            for row, by_letter in zip(rows, summaries, strict=True)
        )
        changes = tuple(
            grade_change(a, b, pair) if comparable or (a and b) else None
            for (a, b), pair, comparable in zip(
                itertools.pairwise(rows), itertools.pairwise(covered), same_era, strict=True
            )
        )
        grades.append(GradeLine(column, first.title, rows, changes, first.level, covered))
    kept = Scope(kinds=COMPARED_KINDS)
    findings = [finding_rows([report], kept) for report in chosen]
    steps = []
    for n in range(1, len(chosen)):
        before, after = findings[n - 1], findings[n]
        matched = similarity.match_findings(
            [f.text for f in before], [f.text for f in after], threshold
        )
        comparable = same_era[n - 1]
        steps.append(
            Step(
                chosen[n - 1],
                chosen[n],
                [Recurring(before[p.earlier], after[p.later], p.score) for p in matched.pairs],
                [after[j] for j in matched.new],
                [before[i] for i in matched.gone],
                comparable,
            )
        )
    return ForceHistory(forces[0], chosen, grades, steps, threshold)


class ForceStanding(NamedTuple):
    """One force in a side-by-side comparison: its report and counts of findings."""

    report: Report
    counts: dict[Kind, int]


class UnitStanding(NamedTuple):
    """One question or area across forces: the forces at each grade, best first."""

    key: str
    title: str
    by_grade: list[tuple[Grade, list[GradeRow]]]  # best grade first; forces by name
    level: str  # 'pillar', 'question' or 'area'


class YearComparison(NamedTuple):
    """Forces side by side in the reports of one year."""

    years: tuple[int, ...]
    forces: list[ForceStanding]
    units: list[UnitStanding]
    mixes_eras: bool


def _grade_order(grade: Grade) -> tuple[int, int]:
    # Best first; ungraded, then not stated, last.
    extra = {Grade.UNGRADED: 1, Grade.NOT_STATED: 2}
    return (extra.get(grade, 0), -grade.rank)


def forces_side_by_side(reports: Sequence[Report], scope: Scope) -> YearComparison:
    """Forces in the reports scope selects (a year, say), grouped by grade for each unit."""
    chosen = sorted(scope.reports(reports), key=lambda r: (r.force.casefold(), r.year))
    if not chosen:
        raise _none_chosen("year", "force")
    units: dict[str, tuple[GradeRow, dict[Grade, list[GradeRow]]]] = {}
    totals = {id(report): [0] * len(COMPARED_KINDS) for report in chosen}
    within = Scope(questions=scope.questions)
    for row in grade_rows(chosen, within, question_rows(chosen, within)):
        _, groups = units.setdefault(grid_column(row), (row, {}))
        groups.setdefault(row.grade, []).append(row)
        if isinstance(row, PillarRow):  # its questions count its findings
            continue
        total = totals[id(row.report)]
        for n, count in enumerate(row.counts()[: len(COMPARED_KINDS)]):
            total[n] += count
    standings = [
        UnitStanding(
            column,
            first.title,
            sorted(groups.items(), key=lambda g: _grade_order(g[0])),
            first.level,
        )
        for column, (first, groups) in units.items()
    ]
    forces = [
        ForceStanding(report, dict(zip(COMPARED_KINDS, totals[id(report)], strict=True)))
        for report in chosen
    ]
    eras = {report.era is Era.ASSESSMENT for report in chosen}
    return YearComparison(tuple(sorted({r.year for r in chosen})), forces, standings, len(eras) > 1)


class Neighbour(NamedTuple):
    """A finding of another report that says nearly the same as the one asked about."""

    row: FindingRow
    score: float


def similar_findings(
    reports: Sequence[Report],
    target: FindingRow,
    threshold: float = similarity.DEFAULT_THRESHOLD,
    limit: int | None = 10,
) -> list[Neighbour]:
    """Findings of the other reports that say nearly what target says, best first."""
    candidates = [row for row in finding_rows(reports, Scope()) if row.report is not target.report]
    index = similarity.Index.of(row.text for row in candidates)
    return [
        Neighbour(candidates[n.candidate], n.score)
        for n in index.nearest(target.text, threshold, limit)
    ]
