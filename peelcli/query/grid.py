"""The grade grid: a row per force and year, a column per pillar, question or area."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from peelcli.models import Grade
from peelcli.query.rows import GradeRow, PillarRow, QuestionRow


class GridRow(NamedTuple):
    """One force and year's row of the grade grid: its grade for each column, and the
    columns whose text stops short in the source."""

    force: str
    year: int
    grades: dict[str, Grade]
    truncated: list[str]


def grid_column(row: GradeRow) -> str:
    """A row's column in the grade grid: a pillar's letter (its own grade), a question's ID,
    or an area's name.

    Areas are named, not numbered: the same area of policing can stand at another place
    in another cycle's reports, and their IDs give only the place.
    """
    if isinstance(row, PillarRow):
        return row.pillar.id
    return row.question.id if row.pillar is not None else row.question.title


def grade_grid(rows: Sequence[GradeRow]) -> tuple[list[str], list[GridRow]]:
    """Columns (each pillar's letter and then its question IDs, pillars as first met; then
    areas as first met), and a row per force and year with each report's own grades."""
    pillars: dict[str, int] = {}
    areas: dict[str, int] = {}
    ids: set[str] = set()
    grid: dict[tuple[str, int], GridRow] = {}
    for row in rows:
        column = grid_column(row)
        if isinstance(row, QuestionRow) and row.pillar is None:
            areas.setdefault(column, len(areas))
        else:
            pillars.setdefault(column[0], len(pillars))
            ids.add(column)
        key = (row.report.force, row.report.year)
        line = grid.setdefault(key, GridRow(row.report.force, row.report.year, {}, []))
        line.grades[column] = row.grade
        if row.truncated is not None:
            line.truncated.append(column)
    columns = sorted(ids, key=lambda q: (pillars.get(q[0], len(pillars)), len(q), q))
    columns += sorted(areas, key=areas.__getitem__)
    return columns, sorted(grid.values(), key=lambda r: (r.force.casefold(), r.year))
