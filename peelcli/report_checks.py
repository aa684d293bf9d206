"""Checks across a report that its models' own validators cannot make field by field: IDs
well formed, in their place and used once, grades on the scale of the report's era, and
judgements carried over from years before the report's own.
"""

from __future__ import annotations

from typing import Any

from peelcli.errors import quoted
from peelcli.models import (
    AREA_ID,
    AREA_LETTER,
    FINDING_ID,
    QUESTION_ID,
    Era,
    Grade,
    Report,
    Unit,
    scale_problem,
)


def id_problems(report: Report) -> list[tuple[str, str]]:
    """Every ID that is malformed, misplaced or used twice, and every grade or carried-over
    year the report's era does not allow, as (field path, message)."""
    return [] if _ids_sound(report) else _problems(report)


def _problems(report: Report) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()

    def check(path: str, found: str, valid: bool, expected: str) -> None:
        if not valid:
            problems.append((path, f"{quoted(found)} is not a valid ID here; expected {expected}"))
        elif found in seen:
            problems.append((path, f"duplicate ID {quoted(found)}"))
        seen.add(found)

    def check_unit(where: str, unit: Unit) -> None:
        for path, kind, finding in unit.findings():
            prefix = f"{unit.id}.{kind.letter}"
            match = FINDING_ID.fullmatch(finding.id)
            valid = match is not None and finding.id.startswith(prefix)
            check(f"{where}.{path}.id", finding.id, valid, f"{prefix}<n>, such as '{prefix}1'")
        grade_problem(f"{where}.grade", unit.grade)
        carried = unit.carried_over_from
        if carried is not None and carried >= report.year:
            problems.append(
                (
                    f"{where}.carried_over_from",
                    f"{carried} is not before {report.year}; a judgement is carried over "
                    "from an earlier inspection",
                )
            )

    def grade_problem(path: str, grade: Grade) -> None:
        problem = scale_problem(grade, report.year)
        if problem is not None:
            problems.append((path, problem))

    for p, pillar in enumerate(report.pillars):
        check(f"pillars[{p}].id", pillar.id, pillar.id not in seen, "a letter no other pillar uses")
        grade_problem(f"pillars[{p}].grade", pillar.grade)
        for q, question in enumerate(pillar.questions):
            where = f"pillars[{p}].questions[{q}]"
            valid = QUESTION_ID.fullmatch(question.id) is not None and question.id[0] == pillar.id
            check(f"{where}.id", question.id, valid, f"{pillar.id}<n>, such as '{pillar.id}1'")
            check_unit(where, question)
    for a, area in enumerate(report.areas):
        where = f"areas[{a}]"
        valid = AREA_ID.fullmatch(area.id) is not None
        check(f"{where}.id", area.id, valid, f"{AREA_LETTER}<n>, such as '{AREA_LETTER}{a + 1}'")
        check_unit(where, area)
    return problems


def _ids_sound(report: Report) -> bool:
    """Whether id_problems finds nothing, known at less cost than finding what: no field
    paths or messages are made. Every report that loads is checked, and nearly all are sound."""
    seen: set[str] = set()
    grades = Era.of_year(report.year).grades
    year = report.year
    units: list[Unit] = []
    for pillar in report.pillars:
        if pillar.id in seen or pillar.grade not in grades:
            return False
        seen.add(pillar.id)
        for question in pillar.questions:
            if QUESTION_ID.fullmatch(question.id) is None or question.id[0] != pillar.id:
                return False
            units.append(question)
    for area in report.areas:
        if AREA_ID.fullmatch(area.id) is None:
            return False
        units.append(area)
    for unit in units:
        if unit.id in seen or unit.grade not in grades:
            return False
        seen.add(unit.id)
        carried = unit.carried_over_from
        if carried is not None and carried >= year:
            return False
        # A finding's ID is its unit's, a kind's letter and a number from 1: with the unit's
        # ID sound, that is FINDING_ID's whole match and the prefix id_problems asks for. IDs
        # of different prefixes never meet, so each prefix's are checked on their own.
        uid = unit.id
        causes = unit.causes_of_concern
        if (
            (unit.areas_for_improvement and not _numbered(unit.areas_for_improvement, uid + ".A"))
            or (causes and not _numbered(causes, uid + ".C"))
            or (unit.innovative_practice and not _numbered(unit.innovative_practice, uid + ".I"))
            or (unit.promising_practice and not _numbered(unit.promising_practice, uid + ".P"))
        ):
            return False
        if causes:  # recommendations are numbered through all the causes of their unit
            recommendations = [r for cause in causes for r in cause.recommendations]
            if recommendations and not _numbered(recommendations, uid + ".R"):
                return False
    return True


_NUMBERS = [str(n) for n in range(64)]


def _numbered(findings: list[Any], prefix: str) -> bool:
    """Whether each finding's ID is prefix and a number from 1, none used twice."""
    # Most lists number their findings 1, 2, 3…: those are sound at a glance.
    for n, finding in enumerate(findings, 1):
        if finding.id != prefix + (_NUMBERS[n] if n < 64 else str(n)):
            break
    else:
        return True
    start = len(prefix)
    seen: set[str] = set()
    for finding in findings:
        ident = finding.id
        number = ident[start:]
        if (
            not ident.startswith(prefix)
            or not (number.isascii() and number.isdigit())
            or number[0] == "0"
            or ident in seen
        ):
            return False
        seen.add(ident)
    return True
