"""Filters, lookups and search over loaded reports: pure functions, no I/O.

Each part in its module: the rows of the views and their scope (``rows``), narrowing to
--force and --year (``narrowing``), the grade grid (``grid``), IDs (``ids``) and search
(``searching``). Callers import from here.
"""

from __future__ import annotations

from peelcli.query.grid import GridRow, grade_grid, grid_column
from peelcli.query.ids import lookup, lookup_all
from peelcli.query.narrowing import filters_named, lookalike_forces, narrow
from peelcli.query.rows import (
    FindingRow,
    GradeRow,
    PillarRow,
    QuestionRow,
    Scope,
    all_findings,
    finding_rows,
    findings_of,
    grade_rows,
    has_text,
    mixes_eras,
    of_forces,
    question_rows,
    shown_pillars,
    text_rows,
)
from peelcli.query.searching import (
    Hit,
    Matcher,
    Pattern,
    Span,
    Spans,
    compile_terms,
    fold,
    no_hits,
    search,
)

__all__ = [
    "FindingRow",
    "GradeRow",
    "GridRow",
    "Hit",
    "Matcher",
    "Pattern",
    "PillarRow",
    "QuestionRow",
    "Scope",
    "Span",
    "Spans",
    "all_findings",
    "compile_terms",
    "filters_named",
    "finding_rows",
    "findings_of",
    "fold",
    "grade_grid",
    "grade_rows",
    "grid_column",
    "has_text",
    "lookalike_forces",
    "lookup",
    "lookup_all",
    "mixes_eras",
    "narrow",
    "no_hits",
    "of_forces",
    "question_rows",
    "search",
    "shown_pillars",
    "text_rows",
]
