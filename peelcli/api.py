"""peel as a library: load reports, and each view of them as data.

What every command asks for, as functions that return data and print nothing: the command
line reads its options, calls one of these and hands the result to `peelcli.render`. A
notebook calls them directly (see docs/library.md). Heavy modules load inside the function
that needs them, so importing this module costs next to nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from peelcli.errors import NothingMatched, PeelError, Problem, quoted

if TYPE_CHECKING:
    from peelcli.across_reports import ForceHistory, Neighbour, YearComparison
    from peelcli.importer import Explanation, Need, PillarGrade
    from peelcli.models import Grade, Kind, Pillar, Report
    from peelcli.query import (
        FindingRow,
        GradeRow,
        GridRow,
        Hit,
        Matcher,
        PillarRow,
        QuestionRow,
        Scope,
    )
    from peelcli.reading import Document

Warn = Callable[[str], None]
PathsLike = str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None


def scope(
    forces: str | Sequence[str] = (),
    years: int | Sequence[int] = (),
    grades: str | Grade | Sequence[str | Grade] = (),
    kinds: str | Kind | Sequence[str | Kind] = (),
    questions: str | Sequence[str] = (),
) -> Scope:
    """Which reports, questions and findings a view looks at, each as a person would write
    it: forces by any of their names ('Met', 'Kent'), grades ('requires improvement' or
    'ri'), kinds ('recommendation' or 'rec'), question IDs in any case. None given: all."""
    from peelcli.models import Grade, Kind
    from peelcli.query import Scope

    def many(value: Any) -> list[Any]:
        return [value] if isinstance(value, (str, int)) else list(value)

    chosen_years = []
    for year in many(years):
        try:
            chosen_years.append(int(year))
        except (TypeError, ValueError):
            raise PeelError(f"{quoted(year)} is not a year") from None
    try:
        chosen_grades = tuple(g if isinstance(g, Grade) else Grade.parse(g) for g in many(grades))
        chosen_kinds = tuple(k if isinstance(k, Kind) else Kind.parse(k) for k in many(kinds))
    except ValueError as exc:
        raise PeelError(str(exc)) from None
    return Scope(
        tuple(str(force) for force in many(forces)),
        tuple(chosen_years),
        chosen_grades,
        chosen_kinds,
        tuple(q.strip().upper() for q in many(questions)),
    )


class Loaded(NamedTuple):
    """The reports in scope, and when there are none, which filter left none."""

    reports: list[Report]
    nothing: NothingMatched | None = None

    @property
    def mixes_eras(self) -> bool:
        """Whether PEEL assessments (from 2021) stand beside earlier PEEL: grades differ."""
        from peelcli.query import mixes_eras

        return mixes_eras(self.reports)


def _paths(paths: PathsLike) -> list[str] | None:
    if paths is None:
        return None
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def load(paths: PathsLike = None, scope: Scope | None = None, warn: Warn | None = None) -> Loaded:
    """The reports a file or directory holds (default: $PEEL_DATA, else the embedded report),
    narrowed to scope's forces and years; warnings (a file skipped, force names alike) go to
    warn."""
    from peelcli.dataset.files import data_paths
    from peelcli.dataset.loader import load_reports
    from peelcli.query import lookalike_forces, narrow

    reports = load_reports(data_paths(_paths(paths)), warn=warn)
    if len(reports) > 1 and warn is not None:
        for warning in lookalike_forces(reports):
            warn(warning)
    if scope is None:
        return Loaded(reports)
    chosen, nothing = narrow(reports, scope)
    return Loaded(chosen, nothing)


# --- the views, as data ------------------------------------------------------------


class Grades(NamedTuple):
    """Grades in scope: pillars' own (those scope keeps), questions' or areas', and both as
    `peel grades` lists them, each pillar's row before its questions'."""

    pillars: list[tuple[Report, Pillar]]
    rows: list[QuestionRow]
    listed: list[GradeRow]


def grades(reports: Sequence[Report], scope: Scope) -> Grades:
    """Each pillar's overall grade and each question's or area's grade in scope; --grade (the
    scope's grades) chooses among both."""
    from peelcli.query import PillarRow, grade_rows, question_rows

    rows = question_rows(reports, scope)
    listed = grade_rows(reports, scope, rows)
    pillars = [(row.report, row.pillar) for row in listed if isinstance(row, PillarRow)]
    return Grades(pillars, rows, listed)


def grade_grid(reports: Sequence[Report], scope: Scope) -> tuple[list[str], list[GridRow]]:
    """A force × pillar and question grid: its columns (each pillar's letter for its own
    grade, question IDs, areas), and a row per force and year."""
    from peelcli.query import grade_grid as grid
    from peelcli.query import grade_rows, question_rows

    return grid(grade_rows(reports, scope, question_rows(reports, scope)))


def questions(reports: Sequence[Report], scope: Scope) -> list[GradeRow]:
    """Every question or area in scope, in report order, each pillar with text of its own (a
    pillar summary's judgement and summary) before its questions."""
    from peelcli.query import text_rows

    return text_rows(reports, scope)


def findings(reports: Sequence[Report], scope: Scope) -> list[FindingRow]:
    """Every finding in scope, in reading order."""
    from peelcli.query import finding_rows

    return finding_rows(reports, scope)


class Shown(NamedTuple):
    """What IDs name, in turn; several is whether they stand as a list (more than one ID,
    or a pillar's), else as the one record."""

    found: list[PillarRow | QuestionRow | FindingRow]
    several: bool


def show(reports: Sequence[Report], scope: Scope, idents: Sequence[str]) -> Shown:
    """The questions and findings the IDs name; a pillar's ID gives the pillar (its name,
    headline question, overall grade and any text of its own), then all its questions."""
    from peelcli.query import lookup_all

    found = lookup_all(reports, scope, idents)
    pillars = {r.pillar.id.upper() for r in found if r.pillar is not None}
    several = len(idents) > 1 or any(i.strip().upper() in pillars for i in idents)
    return Shown(found, several)


def compile_search(terms: Sequence[str], *, any_term: bool = False, regex: bool = False) -> Matcher:
    """Search terms compiled once, for `search` and `no_hits`: every term must match, or
    with any_term any of them; with regex each term is a regular expression. Bad terms are
    a PeelError."""
    from peelcli.query import compile_terms

    return compile_terms(terms, any_term=any_term, regex=regex)


def _matcher(terms: Sequence[str] | Matcher, any_term: bool, regex: bool) -> Matcher:
    from peelcli.query import Matcher

    if isinstance(terms, Matcher):
        return terms
    return compile_search(terms, any_term=any_term, regex=regex)


def search(
    reports: Sequence[Report],
    scope: Scope,
    terms: Sequence[str] | Matcher,
    *,
    any_term: bool = False,
    regex: bool = False,
    all_text: bool = False,
) -> list[Hit]:
    """Findings (and, with all_text, judgements and summaries) the terms match: every term,
    or with any_term any of them; with regex each term is a regular expression. terms may be
    compile_search's, which carries those choices."""
    from peelcli.query import search as run

    matcher = _matcher(terms, any_term, regex)
    with _time_limited(matcher) as bounded:
        return run(reports, scope, bounded, all_text=all_text)


def no_hits(
    reports: Sequence[Report],
    scope: Scope,
    terms: Sequence[str] | Matcher,
    *,
    any_term: bool = False,
    regex: bool = False,
    all_text: bool = False,
) -> NothingMatched:
    """What to say when `search` finds nothing: what was sought, and a hint where one helps
    (such as judgements that match, found by a search within the same limits)."""
    from peelcli.query import no_hits as nothing

    matcher = _matcher(terms, any_term, regex)
    with _time_limited(matcher) as bounded:
        return nothing(reports, scope, matcher, all_text=all_text, running=bounded)


def _time_limited(matcher: Matcher) -> Any:
    # Patterns a user wrote can backtrack for ever: they run within peelcli.pattern's
    # limits, per text and for the whole search. Words cannot, and run as they are.
    import contextlib

    if matcher.folds:
        return contextlib.nullcontext(matcher)
    from peelcli.pattern import time_limited

    return time_limited(matcher)


def compare(
    reports: Sequence[Report], scope: Scope, threshold: float | None = None
) -> ForceHistory | YearComparison:
    """One force over time when scope names forces (or the reports are of one force);
    forces side by side when it names years."""
    from peelcli import across_reports

    _check_threshold(threshold)
    limit = across_reports.DEFAULT_THRESHOLD if threshold is None else threshold
    if scope.forces or (not scope.years and len({r.force for r in reports}) == 1):
        return across_reports.force_history(reports, scope, limit)
    if not scope.years:
        raise PeelError(
            "compare what? name a force to follow over time, or a year to set forces side by side",
            hint="Give a scope with forces, or with years.",
            reason="compare_what",
        )
    return across_reports.forces_side_by_side(reports, scope)


def _check_threshold(threshold: float | None) -> None:
    if threshold is not None and not 0 <= threshold <= 100:
        raise PeelError(f"a threshold of {threshold:g} is not a score from 0 to 100")


class Similar(NamedTuple):
    """A finding and the findings of other reports that say nearly what it says, best first."""

    target: FindingRow
    neighbours: list[Neighbour]
    threshold: float


def similar(
    reports: Sequence[Report],
    scope: Scope,
    ident: str,
    threshold: float | None = None,
    limit: int | None = 10,
) -> Similar:
    """The finding ident names in scope, and its nearest findings in every other report:
    those that score threshold (0 to 100) or more, at most limit of them (None: all)."""
    from peelcli import across_reports
    from peelcli.query import FindingRow, lookup, narrow

    _check_threshold(threshold)
    if limit is not None and limit < 1:
        raise PeelError(f"a limit of {limit} findings leaves none to show; give 1 or more")
    _, nothing = narrow(reports, scope)
    if nothing is not None:  # the forces or years chose no report to find the ID in
        raise nothing
    found = lookup(reports, scope, ident)
    if not isinstance(found, FindingRow):
        question = found.question.id
        raise PeelError(
            f"{question} is a question or area, not a finding",
            hint=f"Give a finding's ID, such as {question}.A1; show() of {question} lists them.",
            reason="not_a_finding",
            question=question,
        )
    score = across_reports.DEFAULT_THRESHOLD if threshold is None else threshold
    return Similar(found, across_reports.similar_findings(reports, found, score, limit), score)


# --- checking and making datasets ---------------------------------------------------


@dataclass(frozen=True)
class Validation:
    """What checking report files found: the files, and every problem with its place."""

    count: int
    checked: list[str]
    problems: list[Problem]

    @property
    def valid(self) -> list[str]:
        """The files checked with no problem."""
        bad = {p.file for p in self.problems}
        return [f for f in self.checked if f not in bad]

    @property
    def bad_files(self) -> int:
        return len({p.file for p in self.problems})

    @property
    def texts(self) -> list[str]:
        """Files with problems that are not YAML: a report's text given for its dataset?"""
        bad = {p.file for p in self.problems}
        return [
            f
            for f in self.checked
            if f in bad and not f.endswith((".yaml", ".yml")) and os.path.isfile(f)
        ]


def validate(paths: PathsLike = None, trackers: Sequence[str] = ()) -> Validation:
    """Check report files against the dataset format, and trackers against theirs (a tracker
    among the paths is checked as one), finding every problem."""
    from pathlib import Path

    from peelcli.dataset.files import data_paths
    from peelcli.dataset.loader import validate_paths
    from peelcli.tracking import store

    given = _paths(paths)
    found = [p for p in given or () if os.path.isfile(p) and store.is_tracker(Path(p))]
    trackers = [*trackers, *(p for p in found if p not in trackers)]
    reports = [p for p in given or () if p not in found]
    checked: list[str] = []
    count, problems = 0, list[Problem]()
    if reports or not found:
        count, problems = validate_paths(data_paths(reports or None), checked)
    for tracker in trackers:
        checked.append(tracker)
        problems.extend(store.check(Path(tracker)))
    return Validation(count + len(trackers), checked, problems)


def schema(tracker: bool = False) -> dict[str, Any]:
    """The JSON Schema of the dataset format, or with tracker, of the tracker file."""
    from peelcli.models import Report

    if tracker:
        from peelcli.tracking.model import Tracker

        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "urn:peelcli:tracker",
            **Tracker.model_json_schema(),
        }
    return {
        # Which JSON Schema dialect this is (pydantic writes 2020-12) and a name for the
        # schema that validators and editors can refer to; peel has no web address to give.
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:peelcli:dataset:report",
        **Report.model_json_schema(),
    }


@dataclass(frozen=True)
class Imported:
    """A report made from its published form, with where its values came from, the lines
    that could not be placed (each at its place in the file read), and its dataset text."""

    report: Report
    warnings: list[Problem]
    explanations: list[Explanation]
    dropped: list[str]  # each block of a web page or PDF left out as site furniture, and why
    # What each warning is about, in their order, for a caller to word what it may give.
    needs: list[Need | None] = field(default_factory=list)

    def dataset(self) -> str:
        """The report as a dataset file's text (YAML)."""
        from peelcli.dataset.dump import dump_report

        return dump_report(self.report)


def import_report(
    path: str | os.PathLike[str],
    *,
    force: str | None = None,
    year: int | None = None,
    inspectorate: str | None = None,
    source: str | None = None,
    pillar_grades: Mapping[str, PillarGrade] | None = None,
    published: str | None = None,
    published_source: str | None = None,
) -> Imported:
    """A published report (a saved web page, a PDF or its text; "-" for stdin) as a Report.

    pillar_grades gives pillars' overall grades, which report texts do not state, each
    with where it comes from; published, the date of publication ("2017-03-02", "2 March
    2017", or "March 2017" for a month) where the text gives none, and published_source
    where that date comes from. What the text leaves open raises DetailsNeeded, each of its
    problems with the Need a caller may meet.
    """
    from peelcli.dataset.files import MAX_FILE_BYTES, MAX_IMPORT_BYTES, read_input
    from peelcli.importer import DetailsNeeded, import_text
    from peelcli.reading import to_text, within_limit

    name, data = read_input(os.fspath(path), MAX_IMPORT_BYTES)
    document = within_limit(to_text(data, name), name, MAX_FILE_BYTES)
    try:
        imported = import_text(
            document.text,
            name,
            force=force,
            year=year,
            inspectorate=inspectorate,
            source=source,
            pillar_grades=dict(pillar_grades or {}),
            published=published,
            published_source=published_source,
            headings=document.headings,
            contents=document.contents,
            metadata_title=document.metadata_title,
        )
    except DetailsNeeded as exc:
        # Its places as a reader finds them: a PDF's page, not the reader's own line.
        problems = [_located(document, problem) for problem in exc.problems]
        raise DetailsNeeded(list(zip(problems, exc.needs, strict=True))) from None
    explanations = []
    for explanation in imported.explanations:
        file, line = document.locate(explanation.file, explanation.line)
        explanations.append(explanation._replace(file=file, line=line))
    warnings = [_located(document, warning) for warning in imported.warnings]
    return Imported(
        imported.report, warnings, explanations, document.dropped_notes(name), imported.needs
    )


def _located(document: Document, problem: Problem) -> Problem:
    if problem.file is None:
        return problem
    file, line = document.locate(problem.file, problem.line)
    return problem._replace(file=file, line=line)
