"""Each command's view: its rows, their records, the columns of flat formats, and the layout
for people. Commands build one and hand it to :func:`peelcli.render.output.write`.

The terminal layouts load rich, so each is imported only when a table is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from peelcli.env import Environment
from peelcli.query import FindingRow, GradeRow, GridRow, Hit, PillarRow, QuestionRow
from peelcli.render import comparison_records, records
from peelcli.render.output import View

if TYPE_CHECKING:
    from peelcli.across_reports import ForceHistory, Neighbour, YearComparison
    from peelcli.api import Validation


def grades(rows: Sequence[GradeRow]) -> View[GradeRow]:
    """`peel grades`: each pillar's overall grade, and each question's or area's grade and
    counts, a row each (`level` tells them apart); JSON keeps the pillars apart from the
    questions."""

    def table(env: Environment, rows: Sequence[GradeRow]) -> None:
        from peelcli.render.reading_terminal import render_grades

        render_grades(env, rows)

    def document(flat: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "pillars": [
                records.pillar_record(row.report, row.pillar)
                for row in rows
                if isinstance(row, PillarRow)
            ],
            "questions": [
                record
                for record, row in zip(flat, rows, strict=True)
                if not isinstance(row, PillarRow)
            ],
        }

    return View(rows, records.grade_record, records.GRADE_COLUMNS, table, document)


def grid(columns: Sequence[str], rows: Sequence[GridRow]) -> View[GridRow]:
    """`peel grades --grid`: a row per force and year, a grade per question ID."""

    def table(env: Environment, rows: Sequence[GridRow]) -> None:
        from peelcli.render.reading_terminal import render_grade_grid

        render_grade_grid(env, columns, rows)

    fields = records.grid_fields(columns)

    def record(row: GridRow) -> dict[str, Any]:
        return records.grid_record(row, columns, fields)

    return View(rows, record, ["force", "year", *fields, "truncated"], table)


def questions(rows: Sequence[GradeRow], brief: bool) -> View[GradeRow]:
    """`peel questions`: each question with its grade, judgement and summary; a pillar
    summary's pillar with its own."""

    def table(env: Environment, rows: Sequence[GradeRow]) -> None:
        from peelcli.render.reading_terminal import render_questions

        render_questions(env, rows, brief)

    def briefing(rows: Sequence[GradeRow]) -> str:
        from peelcli.render.briefing import briefing as write_briefing

        return write_briefing(rows, brief=brief)

    return View(rows, records.question_record, records.QUESTION_COLUMNS, table, briefing=briefing)


# A finding's tracked fields (key, status, RAG, owner, due), where a tracker is in use.
Tracked = Callable[[FindingRow], dict[str, Any]]


def _tracked_columns(columns: Sequence[str], tracked: Tracked | None) -> Sequence[str]:
    return columns if tracked is None else (*columns, *records.TRACKED_COLUMNS)


def shown(
    found: Sequence[PillarRow | QuestionRow | FindingRow],
    several: bool = False,
    tracked: Tracked | None = None,
) -> View[Any]:
    """`peel show`: questions with their findings, or findings, in full. One ID's JSON is its
    record; several IDs' (or a pillar's), the list of them. A finding adds its tracked fields
    where a tracker is in use."""

    def table(env: Environment, rows: Sequence[PillarRow | QuestionRow | FindingRow]) -> None:
        from peelcli.render.reading_terminal import render_shown

        render_shown(env, rows, tracked)

    def record(row: PillarRow | QuestionRow | FindingRow) -> dict[str, Any]:
        if isinstance(row, FindingRow):
            found = records.finding_record(row)
            return found if tracked is None else {**found, **tracked(row)}
        return records.question_record(row, with_findings=True)

    def briefing(rows: Sequence[PillarRow | QuestionRow | FindingRow]) -> str:
        from peelcli.render.briefing import briefing as write_briefing

        return write_briefing(rows, full=True)

    if all(isinstance(row, FindingRow) for row in found):
        columns: Sequence[str] = records.FINDING_COLUMNS
    elif all(isinstance(row, (QuestionRow, PillarRow)) for row in found):
        columns = records.QUESTION_IN_FULL_COLUMNS
    else:
        columns = records.QUESTION_IN_FULL_COLUMNS + tuple(
            c for c in records.FINDING_COLUMNS if c not in records.QUESTION_IN_FULL_COLUMNS
        )
    if all(isinstance(row, FindingRow) for row in found):
        columns = _tracked_columns(columns, tracked)
    document = _one if len(found) == 1 and not several else None
    return View(found, record, columns, table, document, briefing)


def _one(records: list[dict[str, Any]]) -> dict[str, Any]:
    return records[0]


def findings(rows: Sequence[FindingRow], tracked: Tracked | None = None) -> View[FindingRow]:
    """`peel findings`: every finding, one per row; with its tracked fields where a tracker is
    in use."""

    def table(env: Environment, rows: Sequence[FindingRow]) -> None:
        from peelcli.render.reading_terminal import render_findings

        render_findings(env, rows, tracked)

    record = records.finding_record
    if tracked is not None:

        def record(row: FindingRow) -> dict[str, Any]:
            return {**records.finding_record(row), **tracked(row)}

    columns = _tracked_columns(records.FINDING_COLUMNS, tracked)
    return View(rows, record, columns, table)


def hits(found: Sequence[Hit], tracked: Tracked | None = None) -> View[Hit]:
    """`peel search`: each hit, where it is and where the terms matched; a finding's tracked
    fields where a tracker is in use."""

    def table(env: Environment, rows: Sequence[Hit]) -> None:
        from peelcli.render.reading_terminal import render_hits

        render_hits(env, rows, tracked)

    record = records.hit_record
    if tracked is not None:

        def record(hit: Hit) -> dict[str, Any]:
            found = records.hit_record(hit)
            if isinstance(hit.row, FindingRow):
                return {**found, **tracked(hit.row)}
            return {**found, **dict.fromkeys(records.TRACKED_COLUMNS)}

    return View(found, record, _tracked_columns(records.HIT_COLUMNS, tracked), table)


def document(data: Any) -> View[Any]:
    """A single JSON document, such as `peel schema`: JSON in every format but JSON lines."""

    def table(env: Environment, rows: Sequence[Any]) -> None:
        from peelcli.render.formats import write_json

        write_json(env, rows[0])

    def record(row: Any) -> dict[str, Any]:
        return dict(row)

    return View([data], record, list(data), table, _one)


def _as_record(row: dict[str, Any]) -> dict[str, Any]:
    return row


def history(found: ForceHistory) -> View[dict[str, Any]]:
    """`peel compare --force`: grades over time and findings recurring, new, no longer listed."""

    def table(env: Environment, rows: Sequence[dict[str, Any]]) -> None:
        from peelcli.render.across_reports import render_history

        render_history(env, found)

    def document(flat: list[dict[str, Any]]) -> dict[str, Any]:
        return comparison_records.history_document(found)

    rows = comparison_records.history_rows(found)
    return View(rows, _as_record, comparison_records.HISTORY_COLUMNS, table, document)


def side_by_side(found: YearComparison) -> View[dict[str, Any]]:
    """`peel compare --year`: forces by grade for each question or area, and their counts."""

    def table(env: Environment, rows: Sequence[dict[str, Any]]) -> None:
        from peelcli.render.across_reports import render_side_by_side

        render_side_by_side(env, found)

    def document(flat: list[dict[str, Any]]) -> dict[str, Any]:
        return comparison_records.side_by_side_document(found)

    rows = comparison_records.side_by_side_rows(found)
    return View(rows, _as_record, comparison_records.SIDE_BY_SIDE_COLUMNS, table, document)


def similar(target: FindingRow, found: Sequence[Neighbour], threshold: float) -> View[Neighbour]:
    """`peel similar`: findings of other reports that say nearly what one finding says."""

    def table(env: Environment, rows: Sequence[Neighbour]) -> None:
        from peelcli.render.across_reports import render_similar

        render_similar(env, target, rows, threshold)

    def document(flat: list[dict[str, Any]]) -> dict[str, Any]:
        return {"finding": records.finding_record(target), "threshold": threshold, "similar": flat}

    return View(
        found,
        comparison_records.neighbour_record,
        comparison_records.SIMILAR_COLUMNS,
        table,
        document,
    )


PROBLEM_COLUMNS = ["file", "line", "column", "path", "message"]


def validation(found: Validation) -> View[dict[str, Any]]:
    """`peel validate`: each valid file for people; for programs, every problem, and in JSON
    the files valid and the number checked too."""

    def table(env: Environment, rows: Sequence[dict[str, Any]]) -> None:
        from peelcli.render.sanitize import clean_line

        env.stdout.write("".join(f"{clean_line(f)}: valid\n" for f in found.valid))
        if not found.problems:
            env.stdout.write(f"{found.count} file(s) valid\n")

    def document(flat: list[dict[str, Any]]) -> dict[str, Any]:
        return {"files": found.count, "valid": found.valid, "problems": flat}

    rows = [
        {"file": p.file, "line": p.line, "column": p.column, "path": p.path, "message": p.message}
        for p in found.problems
    ]
    return View(rows, _as_record, PROBLEM_COLUMNS, table, document)
