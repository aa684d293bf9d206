"""The views as plain data: what `peel --json` prints for each, as Python's dicts and lists,
for a caller of the library to save, send or put in a data frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peelcli.render.output import View


def as_json(found: Any) -> Any:
    """What `--json` prints for a view's result (of grades, grade_grid, questions, findings,
    show, search, compare, similar or validate): dicts, lists, text, numbers and None."""
    view = _view(found)
    rows = [view.record(row) for row in view.rows]
    return rows if view.document is None else view.document(rows)


def _view(found: Any) -> View[Any]:
    from peelcli import api
    from peelcli.across_reports import ForceHistory, YearComparison
    from peelcli.query import FindingRow, Hit, PillarRow, QuestionRow
    from peelcli.render import views

    # The named results first: each is a tuple too.
    if isinstance(found, api.Grades):
        return views.grades(found.listed)
    if isinstance(found, api.Shown):
        return views.shown(found.found, found.several)
    if isinstance(found, api.Similar):
        return views.similar(found.target, found.neighbours, found.threshold)
    if isinstance(found, api.Validation):
        return views.validation(found)
    if isinstance(found, ForceHistory):
        return views.history(found)
    if isinstance(found, YearComparison):
        return views.side_by_side(found)
    if isinstance(found, tuple) and len(found) == 2 and all(isinstance(f, list) for f in found):
        columns, rows = found  # grade_grid's columns and rows
        return views.grid(columns, rows)
    if isinstance(found, Sequence) and not isinstance(found, str):
        rows = list(found)
        if all(isinstance(r, (QuestionRow, PillarRow)) for r in rows):
            return views.questions(rows, brief=False)
        if all(isinstance(r, Hit) for r in rows):
            return views.hits(rows)
        if all(isinstance(r, FindingRow) for r in rows):
            return views.findings(rows)
    raise TypeError(f"as_json takes what a view of peelcli returns, not {type(found).__name__}")
