"""The dataset's shape: a report, its pillars and questions or its areas, and their findings.

PEEL has had three forms, and the model holds each as it is:

- 2014–2017, pillar reports: a pillar (effectiveness, efficiency, legitimacy) of questions;
- 2018/19, integrated PEEL: all three pillars in one report, some questions' judgements carried
  over from an earlier inspection;
- from 2021, PEEL assessments: no pillars, the force graded in areas of policing on a scale
  that adds 'adequate'.

A question and an area are both a graded unit (``Unit``) with the same fields, so that one
piece of code reads both (``Report.units``). Grades, eras and finding kinds are defined once,
in ``peelcli.vocabulary`` beside this module, and re-exported here. Models are built lazily
(``defer_build``): a run served from the cache constructs trusted data without paying for
pydantic's validator build.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from peelcli.errors import quoted
from peelcli.vocabulary import (
    AREA_ID,
    AREA_LETTER,
    ASSESSMENT_FROM,
    DATE_PATTERN,
    FINDING_ID,
    GRADE_SHORT,
    INTEGRATED_FROM,
    KIND_LETTERS,
    KIND_SHORT,
    PILLAR_LETTERS,
    QUESTION_ID,
    Era,
    Grade,
    Kind,
    Truncation,
    date_problem,
    grade_choices,
    scale_problem,
)

# Re-exported: `from peelcli.models import Grade, Kind, …` reads them from their module.
__all__ = [
    "AREA_ID",
    "AREA_LETTER",
    "ASSESSMENT_FROM",
    "DATE_PATTERN",
    "FINDING_ID",
    "GRADE_SHORT",
    "INTEGRATED_FROM",
    "KIND_LETTERS",
    "KIND_SHORT",
    "PILLAR_LETTERS",
    "QUESTION_ID",
    "Area",
    "CauseOfConcern",
    "EarlierGrade",
    "Era",
    "Finding",
    "Grade",
    "Kind",
    "Pillar",
    "Practice",
    "Question",
    "Recommendation",
    "Report",
    "Truncation",
    "Unit",
    "date_problem",
    "grade_choices",
    "scale_problem",
]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# Text of the report: never empty or only spaces. Checked only where a field holds text
# (a validator on every field is called for every number, grade and list as well).
Text = Annotated[str, AfterValidator(_not_blank)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,
        str_strip_whitespace=False,
    )


class Finding(_Model):
    """An area for improvement or a recommendation: an ID and its words."""

    id: Text = Field(description="Stable ID, such as E1.A1, E3.R2 or A3.A1.")
    text: Text = Field(
        description="The finding, word for word, with any deadline it gives "
        "('Within three months, the force should …')."
    )


class Recommendation(Finding):
    """A recommendation: its words, and the date its deadline falls on where they fix one."""

    id: Text = Field(description="Stable ID, such as E3.R2 or A4.R1.")
    due: Text | None = Field(
        default=None,
        description="The date its deadline falls on, YYYY-MM-DD (or YYYY-MM where the "
        "publication date gives only a month), where its words, or its lead-in's, and the "
        "report's publication date fix one ('By 31 March 2023', 'Within six months', "
        "'immediately'); absent where they do not ('as soon as possible').",
    )

    @field_validator("due")
    @classmethod
    def _due_is_a_date(cls, value: str | None) -> str | None:
        problem = None if value is None else date_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class Practice(Finding):
    """A box of innovative or promising practice: its heading, if any, and its paragraphs."""

    id: Text = Field(description="Stable ID, such as A2.I1 (innovative) or A2.P1 (promising).")
    text: Text = Field(description="The box's first paragraph, word for word.")
    title: Text | None = Field(default=None, description="The box's own heading, if it has one.")
    paragraphs: list[str] = Field(
        default_factory=list, description="The box's further paragraphs, in order."
    )


class CauseOfConcern(_Model):
    """A cause of concern and the recommendations it carries."""

    id: Text = Field(description="Stable ID, such as E3.C1 or A4.C1.")
    text: Text = Field(description="The cause of concern, word for word.")
    recommendations_lead_in: Text | None = Field(
        default=None,
        description="The sentence the recommendations complete, such as "
        "'The force should immediately take steps to … by:' or "
        "'Within three months, the force should:'.",
    )
    recommendations: list[Recommendation] = Field(
        default_factory=list,
        description="Its recommendations, numbered through all the causes of its question or area.",
    )


class EarlierGrade(_Model):
    """A grade from an earlier inspection that the report cites."""

    year: int = Field(ge=1800, le=2200, description="The year of the earlier inspection.")
    grade: Grade = Field(description="The grade the earlier inspection gave.")
    quote: Text = Field(description="The sentence of the report that states it.")

    @model_validator(mode="after")
    def _grade_on_its_scale(self) -> EarlierGrade:
        problem = scale_problem(self.grade, self.year)
        if problem is not None:
            raise ValueError(problem)
        return self


class Unit(_Model):
    """A graded part of a report: a pillar's question, or an area of policing from 2021."""

    id: Text = Field(description="The question's or area's ID, such as E1 or A3.")
    title: Text = Field(description="The question, or the name of the area of policing.")
    grade: Grade = Field(
        description="The grade the report gives; 'ungraded' where the inspection does not grade "
        "it, 'not stated' where it does but the text does not say how."
    )
    carried_over_from: int | None = Field(
        default=None,
        ge=1800,
        le=2200,
        description="The year of the earlier inspection whose judgement, and grade, the report "
        "carries over (PEEL 2018/19); absent when this inspection made the judgement.",
    )
    judgement: Text | None = Field(
        default=None, description="The paragraph that states the judgement."
    )
    summary: list[str] = Field(default_factory=list, description="Paragraphs in order.")
    note: Text | None = Field(default=None, description="A note on the source, not report text.")
    truncated: Truncation | None = Field(
        default=None,
        description="Where the source's text stops short within it: 'mid-sentence', 'at a "
        "heading' or 'before a list'; absent where its text is whole.",
    )
    earlier_grades: list[EarlierGrade] = Field(
        default_factory=list, description="Grades of earlier inspections that the text cites."
    )
    areas_for_improvement: list[Finding] = Field(
        default_factory=list, description="Areas for improvement, in order."
    )
    causes_of_concern: list[CauseOfConcern] = Field(
        default_factory=list, description="Causes of concern, each with its recommendations."
    )
    innovative_practice: list[Practice] = Field(
        default_factory=list, description="Boxes of innovative practice, in order."
    )
    promising_practice: list[Practice] = Field(
        default_factory=list, description="Boxes of promising practice, in order."
    )

    @model_validator(mode="after")
    def _carried_over_keeps_its_grade(self) -> Unit:
        if self.carried_over_from is not None and self.grade is Grade.UNGRADED:
            raise ValueError(
                "a judgement carried over from an earlier inspection keeps that inspection's "
                "grade; write 'not stated' if the text does not give it, never 'ungraded'"
            )
        return self

    def findings(self) -> Iterator[tuple[str, Kind, Finding | CauseOfConcern]]:
        """Every finding in reading order, with its field path and kind."""
        for i, area in enumerate(self.areas_for_improvement):
            yield f"areas_for_improvement[{i}]", Kind.AREA_FOR_IMPROVEMENT, area
        for c, cause in enumerate(self.causes_of_concern):
            yield f"causes_of_concern[{c}]", Kind.CAUSE_OF_CONCERN, cause
            for r, rec in enumerate(cause.recommendations):
                yield f"causes_of_concern[{c}].recommendations[{r}]", Kind.RECOMMENDATION, rec
        for i, practice in enumerate(self.innovative_practice):
            yield f"innovative_practice[{i}]", Kind.INNOVATIVE_PRACTICE, practice
        for i, practice in enumerate(self.promising_practice):
            yield f"promising_practice[{i}]", Kind.PROMISING_PRACTICE, practice


_SLUGS: dict[str, str] = {}  # each force's name's slug, as it is first asked for


class Question(Unit):
    """One inspection question of a pillar, with its judgement, summary and findings."""

    id: Text = Field(description="Pillar letter and question number, such as E1.")
    title: Text = Field(description="The question as the report asks it.")


class Area(Unit):
    """An area of policing that a PEEL assessment (from 2021) grades, with its findings."""

    id: Text = Field(description="'A' and the area's place in the report, such as A3.")
    title: Text = Field(description="The area of policing, such as 'Investigating crime'.")


class Pillar(_Model):
    """A pillar of PEEL (effectiveness, efficiency, legitimacy) and its questions."""

    id: str = Field(pattern=r"^[A-Z]$", description="One capital letter: E, F or L in PEEL.")
    name: Text = Field(description="The pillar's name, such as Effectiveness.")
    question: Text | None = Field(default=None, description="The pillar's headline question.")
    grade: Grade = Field(
        default=Grade.UNGRADED,
        description="The pillar's overall grade; 'not stated' where the text does not give it. "
        "A grade needs a judgement that states it or a grade_source.",
    )
    grade_source: Text | None = Field(
        default=None, description="Where the overall grade comes from, when not from the text."
    )
    judgement: Text | None = Field(
        default=None, description="The paragraph of a pillar summary that states its grade."
    )
    summary: list[str] = Field(
        default_factory=list, description="The paragraphs of a pillar summary, in order."
    )
    truncated: Truncation | None = Field(
        default=None,
        description="Where the source's text stops short within it: 'mid-sentence', 'at a "
        "heading' or 'before a list'; absent where its text is whole.",
    )
    questions: list[Question] = Field(
        default_factory=list,
        description="Its questions; empty only for a pillar summary, which has a summary.",
    )

    @model_validator(mode="after")
    def _grade_has_source(self) -> Pillar:
        judged = self.grade not in (Grade.UNGRADED, Grade.NOT_STATED)
        if judged and self.grade_source is None and self.judgement is None:
            raise ValueError(
                "grade_source is required when the pillar has a grade no judgement states"
            )
        if not self.questions and not (self.summary or self.judgement):
            raise ValueError(
                "a pillar needs questions, or the judgement or summary of a pillar summary"
            )
        return self


class Report(_Model):
    """One inspection report of one force: pillars to 2019, areas of policing from 2021."""

    force: Text = Field(description="The force's name as the report writes it.")
    year: int = Field(
        ge=1800, le=2200, description="The year of the inspection; a cycle's first year."
    )
    cycle: str | None = Field(
        default=None,
        pattern=r"^(?:19|20)\d\d",
        description="The cycle as the report names it, such as 2018/19 or 2023–25; "
        "it starts with year.",
    )
    inspectorate: Text = Field(description="HMIC, or HMICFRS from July 2017.")
    inspectorate_source: Text | None = Field(
        default=None,
        description="How the inspectorate is known when the text does not name it, such as "
        "'inferred from the year'.",
    )
    programme: Text = Field(description="The inspection programme: PEEL.")
    title: Text = Field(description="The report's title.")
    source: Text | None = Field(default=None, description="Where the text comes from.")
    published: Text | None = Field(
        default=None,
        description="When the report was published: YYYY-MM-DD, or YYYY-MM where the source "
        "gives only the month (a PDF cover's 'March 2017').",
    )
    published_source: Text | None = Field(
        default=None,
        description="Where the publication date comes from, such as the page's 'Published "
        "on: 12 March 2025'; required with published.",
    )
    summary: list[str] = Field(
        default_factory=list,
        description="Paragraphs about the whole report, in order: a PEEL assessment's overall "
        "summary and HM Inspector's observations.",
    )
    areas: list[Area] = Field(
        default_factory=list,
        description="The areas of policing of a PEEL assessment from 2021; empty with pillars.",
    )
    pillars: list[Pillar] = Field(
        default_factory=list, description="The pillars of a report to 2019; empty with areas."
    )

    @field_validator("published")
    @classmethod
    def _published_is_a_date(cls, value: str | None) -> str | None:
        problem = None if value is None else date_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _pillars_or_areas(self) -> Report:
        if bool(self.pillars) == bool(self.areas):
            found = "both" if self.pillars else "neither"
            raise ValueError(
                "a report holds pillars (PEEL to 2019) or areas (PEEL assessments from "
                f"{ASSESSMENT_FROM}), one of the two; found {found}"
            )
        if self.areas and self.year < ASSESSMENT_FROM:
            raise ValueError(
                f"areas belong to PEEL assessments from {ASSESSMENT_FROM}; "
                f"a {self.year} report holds pillars"
            )
        if self.cycle is not None and not self.cycle.startswith(str(self.year)):
            raise ValueError(f"the cycle {quoted(self.cycle)} does not start in {self.year}")
        if self.published is not None:
            if self.published_source is None:
                raise ValueError(
                    "published_source is required with published: say where the date comes from"
                )
        elif self.published_source is not None:
            raise ValueError("published_source is given without published")
        return self

    @property
    def canonical_force(self) -> str:
        """The force's canonical name from peel's table of forces ('Avon and Somerset
        Constabulary' for 'Avon and Somerset'), else its name as written."""
        from peelcli.forces import canonical_force

        return canonical_force(self.force)

    @property
    def force_slug(self) -> str:
        """A stable key for the force: its canonical name as 'avon-and-somerset-constabulary'."""
        known = _SLUGS.get(self.force)
        if known is None:
            from peelcli.forces import slug

            # Made once for each force's name: a listing asks for it on every row.
            known = _SLUGS[self.force] = slug(self.force)
        return known

    @property
    def era(self) -> Era:
        """The form of PEEL the report belongs to: a report of areas is a PEEL assessment; a
        report of pillars is of the pillar era or integrated PEEL, by its year."""
        if self.areas:
            return Era.ASSESSMENT
        return Era.of_year(min(self.year, ASSESSMENT_FROM - 1))

    def units(self) -> Iterator[tuple[Pillar | None, Unit]]:
        """Every graded unit in order: each question with its pillar, or each area alone."""
        for pillar in self.pillars:
            for question in pillar.questions:
                yield pillar, question
        for area in self.areas:
            yield None, area
