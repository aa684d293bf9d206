"""The text of a PEEL report to a Report: which era it is, and who, when and by whom."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from peelcli.errors import PeelError, Problem, quoted, validator_message
from peelcli.forces import named_in
from peelcli.importer.areas import (
    AreaReader,
    area_name,
    is_preamble_heading,
    looks_like_assessment,
    marked_sections,
)
from peelcli.importer.dates import parse_date
from peelcli.importer.finish import (
    Published,
    cover_date,
    mark_truncated,
    page_date,
    with_due_dates,
)
from peelcli.importer.force_page import read_force_page
from peelcli.importer.needs import DetailsNeeded, Need
from peelcli.importer.pillars import (
    PillarGrade,
    PillarReader,
    build_pillars,
    headline_pillar,
    is_question,
    pillar_id,
)
from peelcli.importer.text import Line, grade_line, lines, sentences
from peelcli.importer.title import (
    TITLE_INSPECTION,
    find_title,
    one_line_title,
    programme_cycle,
)
from peelcli.importer.units import Explanation, Notes, heading
from peelcli.models import Era, Report, Truncation
from peelcli.reading.furniture import is_furniture

PROGRAMME = "PEEL"

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_FORCE_SUFFIX = r"\s+(?:Police\s+Service|Police\s+Force|Constabulary|Police)\b"
_INSPECTORATE = re.compile(r"\b(HMICFRS|HMIC)\b")
# HMIC became HMICFRS in July 2017.
_HMICFRS_FROM = 2017
# A 100-page report copied from a PDF, blank lines and all, has some thousands of lines.
MOST_LINES = 50_000
_COMPLETE = re.compile(r"[.!?…][’”\"')\]]*$")


@dataclass(frozen=True)
class Imported:
    """The report the text describes, lines it could not place, and where values came from."""

    report: Report
    warnings: list[Problem]
    explanations: list[Explanation]
    needs: list[Need | None] = field(default_factory=list)  # what each warning is about


def _published(text: str | None) -> str | None:
    """A date of publication given, as the dataset writes it."""
    if text is None:
        return None
    date = parse_date(text)
    if date is None:
        raise DetailsNeeded(
            [
                (
                    Problem(
                        f"the publication date given, {quoted(text)}, is not a date such as "
                        "2017-03-02, '2 March 2017' or, for a month, 'March 2017'"
                    ),
                    Need("published", {"value": quoted(text)}),
                )
            ]
        )
    return date


def _structural(line: Line) -> bool:
    return bool(
        pillar_id(line)
        or heading(line)
        or is_question(line)
        or area_name(line)
        or is_preamble_heading(line)
    )


def _title(found: list[Line], notes: Notes) -> tuple[list[Line], Published | None]:
    """The title as one line and the lines after it; what stands before it is set aside."""
    title = find_title(found)
    if title is None:
        return found, None
    for before in found[: title.start]:
        notes.not_placed(before, "before the title")
    return [title.line, *found[title.start + title.count :]], title.published


def import_text(
    text: str,
    name: str,
    *,
    force: str | None = None,
    year: int | None = None,
    inspectorate: str | None = None,
    source: str | None = None,
    pillar_grades: Mapping[str, PillarGrade] | None = None,
    published: str | None = None,
    published_source: str | None = None,
    headings: Mapping[int, int] | None = None,
    contents: Sequence[str] | None = None,
    metadata_title: str | None = None,
) -> Imported:
    """The report that the text of a PEEL report describes, with warnings and explanations.

    ``published`` is a date of publication (2017-03-02, or 2017-03 for a month) given where
    the text has none, and ``published_source`` says where it comes from.

    ``headings`` gives the level (1-4) of each line that a page or PDF sets as a heading:
    a heading set as the areas' are, between two areas, is an area whose name is new;
    where ``contents`` gives the names the form's own contents lists (a PDF's contents page,
    a page's list of links to its sections), only if it lists it.
    ``metadata_title`` is a PDF's own Title metadata: it may name the force where the text
    does not, and never names it over the text.
    """
    published = _published(published)
    notes = Notes(name)
    count = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    if count > MOST_LINES:
        raise PeelError(
            Problem(
                f"has {count:,} lines; the text of a PEEL report has at most a few "
                f"thousand, and import reads up to {MOST_LINES:,}",
                name,
            )
        )
    found = []
    for line in lines(text):
        if is_furniture(line.text):
            notes.explain(line.number, "dropped", "site furniture", line.text)
        else:
            found.append(line)
    if not found:
        raise PeelError(Problem("is empty; expected the text of a PEEL report", name))
    # The date's own line is the report's metadata, not its text, wherever it stands.
    dated = page_date(found)
    found, on_cover = _title(
        [line for line in found if dated is None or line is not dated.line], notes
    )
    if dated is None:
        dated = on_cover or cover_date(found)
        found = [line for line in found if dated is None or line is not dated.line]
    if dated is not None and dated.line is not None:
        notes.explain(dated.line.number, "published", dated.date, dated.line.text)
    if published is not None:
        dated = Published(published, published_source or "Given when imported.", None)
    title = found[0]
    if _structural(title):
        raise PeelError(
            Problem(
                f"the text starts at {quoted(title.text)}, not at the report's title",
                name,
                title.number,
            ),
            hint="Make the report's title, such as 'Metropolitan PEEL 2016', its first line.",
        )
    body = found[1:]
    pillar_shaped = any(pillar_id(line) or headline_pillar(line) for line in body)
    pillar_reader: PillarReader | None = None
    area_reader: AreaReader | None = None
    page = None
    if not pillar_shaped and not any(map(is_question, body)) and not looks_like_assessment(body):
        page = read_force_page(body, notes)
    summary: list[Line] = []
    if page is not None:
        drafts, summary = page
        grades = dict(pillar_grades or {})
    elif pillar_shaped or not looks_like_assessment(body):
        pillar_reader = PillarReader(found, notes)
        pillar_reader.read()
        drafts = pillar_reader.drafts()
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
        unknown = ", ".join(sorted(set(grades) - {p.id for p in drafts}))
        if unknown:
            found_ids = ", ".join(p.id for p in drafts)
            raise DetailsNeeded(
                [
                    (
                        Problem(f"a grade is given for pillar {unknown}; the text has {found_ids}"),
                        Need("unknown_pillars", {"pillars": unknown, "found": found_ids}),
                    )
                ]
            )
    else:
        if pillar_grades:
            raise DetailsNeeded(
                [
                    (
                        Problem("pillar grades are given; a PEEL assessment grades areas"),
                        Need("pillar_grades_for_areas"),
                    )
                ]
            )
        area_reader = AreaReader(
            found, notes, marked=marked_sections(found, headings or {}, contents)
        )
        area_reader.read()
        if not area_reader.areas:
            raise PeelError(
                Problem(
                    "is not the text of a PEEL report: it opens as a PEEL assessment does, "
                    "but names no area of policing, such as 'Investigating crime'",
                    name,
                )
            )

    details = _Details(title, body, notes, metadata_title)
    report_force = details.force(force)
    report_year, cycle = details.year(year)
    report_inspectorate, inspectorate_source = details.inspectorate(inspectorate, report_year)
    if details.problems:
        raise DetailsNeeded(details.problems)
    reader = pillar_reader or area_reader
    last_unit = reader.last_unit() if reader else None
    truncation = _ending(found, notes, last_unit)

    from pydantic import ValidationError

    try:
        report = Report(
            force=report_force,
            year=report_year,
            cycle=cycle,
            inspectorate=report_inspectorate,
            inspectorate_source=inspectorate_source,
            programme=PROGRAMME,
            title=title.text,
            source=source,
            published=dated.date if dated else None,
            published_source=dated.source if dated else None,
            summary=[line.text for line in (area_reader.summary if area_reader else summary)],
            areas=area_reader.build(report_year) if area_reader else [],
            pillars=(build_pillars(drafts, report_year, grades, notes) if not area_reader else []),
        )
    except ValidationError as exc:
        # Only what the caller gave, or a year the text's shape does not fit, can be invalid:
        # the text's lines are never blank.
        raise DetailsNeeded([_invalid(error, name) for error in exc.errors()]) from None
    report = with_due_dates(mark_truncated(report, last_unit, truncation))
    notes.sort()
    return Imported(report, notes.warnings, notes.explanations, notes.needs)


def _invalid(error: Any, name: str) -> tuple[Problem, Need | None]:
    """A value a report cannot hold, in peel's words (pydantic's "Input should be less than
    or equal to 2200" is "must be at most 2200"), with the field it was given for."""
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "less_than_equal":
        why = f"must be at most {context['le']}"
    elif kind == "greater_than_equal":
        why = f"must be at least {context['ge']}"
    else:
        why = validator_message(error["msg"])
        if why.startswith("Input should "):
            why = "must " + why.removeprefix("Input should ")
    if not error["loc"]:
        return Problem(why, name), None
    given = str(error["loc"][0])
    return Problem(f"the {given} given: {why}"), Need("given", {"field": given, "why": why})


def _ending(found: list[Line], notes: Notes, where: str | None) -> Truncation | None:
    """A warning when the text stops mid-sentence or under a heading, naming where; and how
    it stops, for the dataset to mark."""
    last = found[-1]
    place = f" in {where}" if where else ""
    if is_question(last) or len(found) < 2:
        return None  # a question with nothing under it is warned of as it is built
    if _structural(last):
        notes.warn(
            f"the text ends{place} at the heading {quoted(last.text)}, with nothing under it",
            last.number,
        )
        return Truncation.AT_HEADING
    if last.text.endswith(":"):
        notes.warn(
            f"the text ends{place} at {last.text[-60:]!r}, before what it introduces", last.number
        )
        return Truncation.BEFORE_LIST
    if _COMPLETE.search(last.text) is None and grade_line(last) is None:
        tail = last.text if len(last.text) <= 60 else "…" + last.text[-59:]
        notes.warn(f"the text ends mid-sentence{place}: {tail!r}", last.number)
        return Truncation.MID_SENTENCE
    return None


@dataclass
class _Details:
    """Force, year and inspectorate: from the caller, else as the text states them."""

    title: Line
    body: list[Line]
    notes: Notes
    metadata_title: str | None = None
    problems: list[tuple[Problem, Need | None]] = field(default_factory=list)

    def _match(self) -> tuple[re.Match[str] | None, bool]:
        match = one_line_title(self.title.text)
        return match, match is not None and match.re is TITLE_INSPECTION

    def force(self, given: str | None) -> str:
        if given is not None:
            return given
        match, full_name = self._match()
        if match is None:
            named = self._metadata_force()
            if named is not None:
                return named
            self.problems.append(
                (
                    Problem(
                        "the title does not name the force (as in 'Metropolitan PEEL 2016')",
                        self.notes.name,
                        self.title.number,
                    ),
                    Need("force"),
                )
            )
            return ""
        if full_name:
            name = match["force"].rstrip(".")
            self.explain(self.title, "force", name)
            return name
        short = match["force"]
        names = self._full_names(short)
        if len(names) == 1:
            ((name, line),) = names.items()
            self.explain(line, "force", name)
            return name
        self.explain(self.title, "force", short)
        if names:
            self.notes.warn(
                f"the force is named {quoted(short)} as the title has it: the text also names "
                f"{' and '.join(map(quoted, names))}",
                self.title.number,
                Need("force_name"),
            )
        return short

    def _full_names(self, short: str) -> dict[str, Line]:
        """The names the text gives a force in full ("Avon and Somerset Constabulary") where
        a title gives its short form ("Avon and Somerset"), each with its first line."""
        full = re.compile(rf"\b{re.escape(short)}{_FORCE_SUFFIX}")
        names: dict[str, Line] = {}
        for line in self.body:
            for found in full.finditer(line.text):
                names.setdefault(" ".join(found.group().split()), line)
        return names

    def _metadata_force(self) -> str | None:
        """The force as a PDF's Title metadata names it, where the text's title does not: a
        whole title's name; for a short form ("Northmoor PEEL 2023"), the one full name the
        text gives it; else the force of the table of forces that its words name."""
        if not self.metadata_title:
            return None
        match = one_line_title(self.metadata_title)
        if match is not None and match.re is TITLE_INSPECTION:
            name: str | None = " ".join(match["force"].rstrip(".").split())
        else:
            names = self._full_names(match["force"].strip()) if match is not None else {}
            name = next(iter(names)) if len(names) == 1 else named_in(self.metadata_title)
        if name is None:
            return None  # a fragment of a name is none: the force is asked for
        self.notes.explanations.append(
            Explanation(
                f"{self.notes.name} (its Title metadata)", None, "force", name, self.metadata_title
            )
        )
        return name

    def year(self, given: int | None) -> tuple[int, str | None]:
        match = self._match()[0] or programme_cycle(self.title.text)
        cycle: str | None = None
        if match is not None and match["end"]:
            cycle = match["year"] + re.sub(r"\s+", "", match["end"])
        if given is not None:
            return given, cycle if cycle and cycle.startswith(str(given)) else None
        if match is not None:
            year = int(match["year"])
            self.explain(self.title, "year", match["year"])
            if cycle is None and Era.of_year(year) is Era.INTEGRATED:
                # The inspectorate titles its 2018/19 reports "PEEL 2018".
                cycle = f"{year}/{(year + 1) % 100:02d}"
            if cycle is not None:
                self.explain(self.title, "cycle", cycle)
            return year, cycle
        years = set(_YEAR.findall(self.title.text))
        if len(years) == 1:
            (year_text,) = years
            self.explain(self.title, "year", year_text)
            return int(year_text), None
        self.problems.append(
            (
                Problem(
                    "the title does not give the year (as in 'Metropolitan PEEL 2016')",
                    self.notes.name,
                    self.title.number,
                ),
                Need("year"),
            )
        )
        return 0, None

    def inspectorate(self, given: str | None, year: int) -> tuple[str, str | None]:
        if given is not None:
            return given, None
        first: dict[str, Line] = {}
        for line in [self.title, *self.body]:
            for match in _INSPECTORATE.finditer(line.text):
                first.setdefault(match.group(), line)
                if len(first) == 2:
                    break
        if len(first) == 1 or (len(first) == 2 and year > _HMICFRS_FROM):
            name = "HMICFRS" if len(first) == 2 else next(iter(first))
            self.explain(first[name], "inspectorate", name)
            return name, None
        if not first and year and year != _HMICFRS_FROM:
            name = "HMIC" if year < _HMICFRS_FROM else "HMICFRS"
            source = (
                f"Inferred from the year: the text does not name the inspectorate, which was "
                f"HMIC until July {_HMICFRS_FROM} and HMICFRS after."
            )
            self.notes.explain(self.title.number, "inspectorate", name, source)
            return name, source
        if not first and year == _HMICFRS_FROM:
            message = (
                f"the text does not name HMIC or HMICFRS, and in {_HMICFRS_FROM} the "
                "inspectorate changed its name in July"
            )
        else:
            named = "names both HMIC and HMICFRS" if first else "does not name HMIC or HMICFRS"
            message = f"the text {named}"
        self.problems.append((Problem(message, self.notes.name), Need("inspectorate")))
        return "", None

    def explain(self, line: Line, subject: str, value: str) -> None:
        sentence = next((s for s in sentences(line.text) if value in s), line.text)
        self.notes.explain(line.number, subject, value, sentence)
