"""PEEL assessments (from 2021): no pillars; the force graded in areas of policing.

    PEEL 2023–25: An inspection of Exampleshire Police     title: force and cycle
    Overall summary                                        report summary paragraphs …
    Investigating crime Requires improvement               the judgement table: an area and its
    Investigating crime                                    grade on one line, or on two
    Requires improvement
    Important changes to PEEL                              … and more summary paragraphs
    HM Inspector’s observations
    Investigating crime                                    an area's section: A1, A2 … in the
    Requires improvement                                   order of the report's sections;
    The force requires improvement at investigating …      its grade on a line (optional), its
    …                                                      judgement, findings (see units)

An area is known by its name: the names PEEL has used are listed below. Areas are numbered in
the order of the report's sections, then any the judgement table alone names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from peelcli.errors import quoted
from peelcli.importer.text import GRADE_LINE, Line, grade_line
from peelcli.importer.units import Draft, Notes, build_unit, heading
from peelcli.models import AREA_LETTER, Area, Grade

# The areas of policing PEEL assessments have graded, by the names their reports use.
AREA_NAMES = (
    # 2021/22
    "Providing a service to the victims of crime",
    "Victim service assessment",
    "Engaging with and treating the public with fairness and respect",
    "Treatment of the public",
    "Preventing crime and anti-social behaviour",
    "Responding to the public",
    "Investigating crime",
    "Protecting vulnerable people",
    "Managing offenders and suspects",
    "Disrupting serious organised crime",
    "Tackling serious and organised crime",
    "Building, supporting and protecting the workforce",
    "Developing a positive workplace",
    "Strategic planning, organisational management and value for money",
    "Good use of resources",
    # 2023–25 and 2025–27
    "Providing a service to victims of crime",
    "Preventing crime and antisocial behaviour",
    "Managing offenders",
    "Police powers and public treatment",
    "Preventing crime",
    "Leadership and force management",
    "Recording data about crime",
    "Serious and organised crime",
)
# The victim service assessment of 2021/22 is reported but not graded.
_UNGRADED = re.compile(r"victim service|service to the victims", re.IGNORECASE)
_PREAMBLE = re.compile(
    r"overall summary|(?:our\s+)?judge?ments|important changes to peel"
    r"|hm inspector[’']?s (?:observations|summary)|hmicfrs[’']? judge?ments",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    text = text.casefold().replace("&", "and").replace("‑", "-").replace("–", "-")
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


_NAMES = {_key(name): name for name in AREA_NAMES}
# "Investigating crime Requires improvement": a row of the judgement table copied as text.
_ROW = re.compile(rf"(?P<area>.+?)\s+(?P<row_grade>{GRADE_LINE.pattern})", re.IGNORECASE)


def area_name(line: Line) -> str | None:
    """The area of policing a heading line names, as the line writes it; or None."""
    if line.bulleted or len(line.text) > 100:
        return None
    return line.text.rstrip(":") if _key(line.text) in _NAMES else None


def table_row(line: Line) -> tuple[str, Grade] | None:
    """An area and its grade on one line, as a copied judgement table gives them; or None."""
    if line.bulleted or len(line.text) > 140:
        return None
    match = _ROW.fullmatch(line.text)
    if match is None or _key(match["area"]) not in _NAMES:
        return None
    cell = match["row_grade"]
    grade = grade_line(Line(line.number, cell, False, cell))
    # "Investigating crime: Requires improvement", as a web page's or PDF's table is read.
    return (match["area"].rstrip(":"), grade) if grade is not None else None


def is_preamble_heading(line: Line) -> bool:
    """Whether a line is a heading of the report's opening pages."""
    return not line.bulleted and _PREAMBLE.fullmatch(line.text.rstrip(":")) is not None


def looks_like_assessment(lines: list[Line]) -> bool:
    """Whether a text has the shape of a PEEL assessment: its opening heading or an area."""
    return any(is_preamble_heading(line) or area_name(line) is not None for line in lines)


def marked_sections(
    lines: list[Line], headings: Mapping[int, int], contents: Collection[str] | None = None
) -> set[int]:
    """The lines that a page or PDF sets as the areas' headings are set, naming no known area
    nor any other part of a report, and standing between two known areas: areas whose names
    are new. Text marks no headings, and gives none. Where the form has contents of its own (a
    PDF's contents page, a page's list of links to its sections), only a heading it lists is
    one: a PDF marks a heading by its type alone, and a paragraph's first words set large are
    no area."""
    listed = None if contents is None else {_key(name) for name in contents}
    levels = Counter(
        headings[line.number] for line in lines if line.number in headings and area_name(line)
    )
    if not levels:
        return set()
    level = levels.most_common(1)[0][0]
    known = [
        line.number for line in lines if area_name(line) and headings.get(line.number) == level
    ]
    return {
        line.number
        for line in lines
        if known[0] < line.number < known[-1]
        and headings.get(line.number) == level
        and not line.bulleted
        and len(line.text) <= 100
        and area_name(line) is None
        and not is_preamble_heading(line)
        and heading(line) is None
        and grade_line(line) is None
        and (listed is None or _key(line.text) in listed)
    }


@dataclass
class _Area:
    title: str
    table: tuple[Grade, Line] | None = None
    section: Draft | None = None


@dataclass
class AreaReader:
    """Walks the lines once: the report's summary, its judgement table, then each area."""

    lines: list[Line]
    notes: Notes
    summary: list[Line] = field(default_factory=list)
    areas: dict[str, _Area] = field(default_factory=dict)  # in the order first named
    current: Draft | None = None
    in_sections: bool = False
    last_area: str | None = None
    in_table: bool = False  # the line before was a row of the judgement table
    rows: list[Line] = field(default_factory=list)  # the judgement table's rows, as read
    marked: set[int] = field(default_factory=set)  # headings of areas whose names are new

    def read(self) -> None:
        lines = [*self.lines, None, None]
        i = 1
        while i < len(self.lines):
            line = lines[i]
            assert line is not None
            was_row = len(self.rows)
            i += 1 + self.place(line, lines[i + 1], lines[i + 2])
            self.in_table = len(self.rows) > was_row

    def area(self, title: str) -> _Area:
        return self.areas.setdefault(_key(title), _Area(title))

    def place(self, line: Line, following: Line | None, after: Line | None) -> int:
        """Place a line; how many of the lines after it it took too."""
        if is_preamble_heading(line):
            if self.current is not None:
                self.notes.not_placed(line, "a heading of the report's opening, after its areas")
            return 0
        row = table_row(line) if not self.in_sections else None
        if row is not None:
            self.table(line, row[0], row[1])
            return 0
        name = area_name(line)
        if name is None and line.number in self.marked and self.in_sections:
            name = line.text.rstrip(":")
            self.notes.warn(
                f"{quoted(name)} is read as an area of policing: it is set as a section, as the "
                "areas around it are, but its name is new to peel",
                line.number,
            )
        if name is not None:
            area = self.area(name)
            grade = grade_line(following) if following is not None else None
            if (
                grade is not None
                and not self.in_sections
                and area.table is None
                and area.section is None
                and (
                    after is None
                    or self.in_table  # the table's last row, with the text after it
                    or area_name(after) is not None
                    or table_row(after) is not None
                    or is_preamble_heading(after)
                )
            ):
                # A table row over two lines, with another row or the end after it.
                self.table(following or line, name, grade)
                return 1
            if area.section is not None:
                self.notes.not_placed(line, f"a second section on {name}")
                return 0
            self.in_sections = True
            self.current = area.section = Draft(line, name)
            self.last_area = _key(name)
            if grade is not None and following is not None:
                self.current.grade_line = (grade, following)
                return 1
            return 0
        if self.current is not None:
            self.current.place(line, following, self.notes)
        elif grade_line(line) is not None or line.bulleted:
            self.notes.not_placed(line, "before the first area")
        else:
            self.summary.append(line)
        return 0

    def table(self, line: Line, name: str, grade: Grade) -> None:
        area = self.area(name)
        if area.table is not None:
            self.notes.not_placed(line, f"a second grade in the table for {name}")
            return
        area.table = (grade, line)
        self.rows.append(line)

    def ordered(self) -> list[str]:
        """The areas' keys in the order of the report's sections; then those that the
        judgement table alone names, in its order. Whether a report sets its victim service
        section before its table's areas or after, and whatever form it comes in, the areas
        number alike."""
        with_sections = [key for key, area in self.areas.items() if area.section is not None]
        with_sections.sort(key=lambda key: self.areas[key].section.heading.number)  # type: ignore[union-attr]
        return with_sections + [key for key in self.areas if key not in with_sections]

    def build(self, year: int) -> list[Area]:
        """The areas, numbered in the order of the report's sections."""
        built: list[Area] = []
        for n, key in enumerate(self.ordered(), 1):
            area = self.areas[key]
            uid = f"{AREA_LETTER}{n}"
            draft = area.section
            if draft is None:
                assert area.table is not None  # an area is first named by its row or section
                draft = Draft(area.table[1], area.title)
                if self.in_sections:
                    self.notes.warn(
                        f"{uid} {area.title} has a grade in the judgement table but no section: "
                        "the text may stop before it",
                        area.table[1].number,
                    )
            unit = build_unit(
                Area,
                uid,
                draft,
                year,
                _UNGRADED.search(area.title) is not None,
                area.table,
                self.notes,
            )
            built.append(unit)
        return built

    def last_unit(self) -> str | None:
        """The ID of the area the text ends in."""
        if self.last_area is None:
            return None
        return f"{AREA_LETTER}{self.ordered().index(self.last_area) + 1}"
