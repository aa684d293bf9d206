"""peelcli.importer: the published text of a PEEL report to a Report, nothing lost silently."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import yaml
from conftest import DATASET, ROOT, SOURCE_TEXT
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcli.dataset.dump import report_to_data
from peelcli.dataset.files import Source
from peelcli.dataset.loader import parse_report
from peelcli.errors import PeelError
from peelcli.importer import (
    DetailsNeeded,
    Explanation,
    Imported,
    Need,
    PillarGrade,
    earlier_grades,
    import_text,
    stated_grades,
)
from peelcli.models import Era, Grade, Question, Report
from peelcli.report_checks import id_problems

NAME = "report.txt"


def load_dataset() -> Report:
    return parse_report(Source(str(DATASET), DATASET.read_bytes()))


def source_text() -> str:
    return SOURCE_TEXT.read_text(encoding="utf-8")


def imported(text: str, **options: object) -> Imported:
    return import_text(text, NAME, **options)  # type: ignore[arg-type]


def without_what_the_text_lacks(report: Report) -> Report:
    """The shipped dataset less the fields that its source text does not contain.

    - ``source``: where the text was taken from, a note about the file, not report text;
    - each pillar's ``grade`` and ``grade_source``: the overall grade is on HMIC's web page,
      not in the text, and the dataset says so in grade_source; the import records it as
      not stated;
    - each question's ``note``: an editor's note on the source (E5: "PEEL 2016 did not grade
      this question. The source text ends …");
    - ``published`` and ``published_source``: the date is on HMIC's web page, not in the text,
      and so is each recommendation's ``due`` date, which counts from it.
    """
    pillars = [
        pillar.model_copy(
            update={
                "grade": Grade.NOT_STATED,
                "grade_source": None,
                "questions": [
                    without_due_dates(q.model_copy(update={"note": None})) for q in pillar.questions
                ],
            }
        )
        for pillar in report.pillars
    ]
    return report.model_copy(
        update={"source": None, "published": None, "published_source": None, "pillars": pillars}
    )


def without_due_dates(question: Question) -> Question:
    causes = [
        cause.model_copy(
            update={
                "recommendations": [
                    r.model_copy(update={"due": None}) for r in cause.recommendations
                ]
            }
        )
        for cause in question.causes_of_concern
    ]
    return question.model_copy(update={"causes_of_concern": causes})


# --- the shipped report ------------------------------------------------------------


def test_the_shipped_text_reproduces_the_dataset_but_for_what_the_text_lacks() -> None:
    dataset = load_dataset()
    result = imported(source_text())
    assert result.report == without_what_the_text_lacks(dataset)
    assert result.warnings == []
    # The exclusions are real: the dataset does hold those fields.
    assert dataset.source and dataset.pillars[0].grade_source
    assert [q.id for q in dataset.pillars[0].questions if q.note] == ["E5"]


def test_options_supply_what_the_text_lacks_except_the_editors_note() -> None:
    dataset = load_dataset()
    pillar = dataset.pillars[0]
    assert pillar.grade_source is not None
    result = imported(
        source_text(),
        source=dataset.source,
        pillar_grades={"E": PillarGrade(pillar.grade, pillar.grade_source)},
        published=dataset.published,
    )
    questions = [q.model_copy(update={"note": None}) for q in pillar.questions]
    expected = dataset.model_copy(
        update={
            "pillars": [pillar.model_copy(update={"questions": questions})],
            "published_source": "Given when imported.",
        }
    )
    assert result.report == expected


def test_the_import_has_no_id_problems() -> None:
    assert id_problems(imported(source_text()).report) == []


# --- what a real copy-paste produces -----------------------------------------------


def _loose(text: str) -> str:
    # Blank lines between paragraphs, trailing spaces and tabs, indentation, a blank start.
    return "\n \n" + "\n\n\n".join(f"  {line} \t " for line in text.split("\n")) + "\n\n"


VARIANTS: dict[str, Callable[[str], str]] = {
    "windows line endings": lambda t: t.replace("\n", "\r\n"),
    "old Mac line endings": lambda t: t.replace("\n", "\r"),
    "• bullets": lambda t: re.sub(r"(?m)^- ", "• ", t),
    "* bullets": lambda t: re.sub(r"(?m)^- ", "* ", t),
    "•<tab> bullets from a word processor": lambda t: re.sub(r"(?m)^- ", "\uf0b7\t", t),
    "a bullet alone on its line": lambda t: re.sub(r"(?m)^- ", "•\n", t),
    "no bullets at all": lambda t: re.sub(r"(?m)^- ", "", t),
    "extra blank lines and trailing spaces": _loose,
    "a byte order mark's worth of no-break spaces": lambda t: t.replace(" is ", "\u00a0is  "),
    "all of them": lambda t: _loose(re.sub(r"(?m)^- ", "• ", t)).replace("\n", "\r\n"),
}


@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
def test_copy_paste_variants_give_the_same_report(variant: str) -> None:
    expected = imported(source_text()).report
    result = imported(VARIANTS[variant](source_text()))
    assert result.report == expected
    assert result.warnings == []


def test_line_numbers_count_every_line_of_the_input() -> None:
    text = _loose(source_text()).replace("\n", "\r\n")
    by_subject = {e.subject: e.line for e in imported(text).explanations if e.value == "good"}
    # Line 5 of the source is line 3 + 3 * 4 = 15: two lines come before it, three per line.
    assert by_subject == {"E1": 15}
    assert text.split("\r\n")[14].strip() == source_text().split("\n")[4]


# --- a made-up report with two pillars ---------------------------------------------

TWO_PILLARS = """\
Examplshire PEEL 2016
Effectiveness
How effective is the force at keeping people safe and reducing crime?
How effective is the force at preventing crime and keeping people safe?
Examplshire Constabulary is good at preventing crime. It makes good use of data.
The force works well with partners.
Areas for improvement
• The force should share effective practice.
How effective are the force’s specialist capabilities?
Examplshire Constabulary has arrangements in place to fulfil its national responsibilities.
Legitimacy
How legitimate is the force at keeping people safe and reducing crime?
To what extent does the force treat all of the people it serves with fairness and respect?
Examplshire Constabulary is outstanding in how it treats people. HMIC’s 2015 grade of ‘good’ holds.
How well does the force ensure that its workforce behaves ethically and lawfully?
The force’s approach to ethical and lawful behaviour requires improvement.
Causes of concern
The force does not vet its staff in time. This is a cause of concern to HMIC.
Recommendations
The force should immediately:
• clear its vetting backlog; and
• vet every officer before they start.
The force does not investigate complaints fairly.
Recommendations
• The force should review how it investigates complaints.
"""

TWO_PILLARS_DATA = """\
force: Examplshire Constabulary
year: 2016
inspectorate: HMIC
programme: PEEL
title: Examplshire PEEL 2016
pillars:
- id: E
  name: Effectiveness
  question: How effective is the force at keeping people safe and reducing crime?
  grade: not stated
  questions:
  - id: E1
    title: How effective is the force at preventing crime and keeping people safe?
    grade: good
    judgement: Examplshire Constabulary is good at preventing crime. It makes good use of data.
    summary:
    - The force works well with partners.
    areas_for_improvement:
    - id: E1.A1
      text: The force should share effective practice.
  - id: E2
    title: How effective are the force’s specialist capabilities?
    grade: ungraded
    judgement: Examplshire Constabulary has arrangements in place to fulfil its national
      responsibilities.
- id: L
  name: Legitimacy
  question: How legitimate is the force at keeping people safe and reducing crime?
  grade: not stated
  questions:
  - id: L1
    title: To what extent does the force treat all of the people it serves with fairness and
      respect?
    grade: outstanding
    judgement: Examplshire Constabulary is outstanding in how it treats people.
      HMIC’s 2015 grade of ‘good’ holds.
    earlier_grades:
    - year: 2015
      grade: good
      quote: HMIC’s 2015 grade of ‘good’ holds.
  - id: L2
    title: How well does the force ensure that its workforce behaves ethically and lawfully?
    grade: requires improvement
    judgement: The force’s approach to ethical and lawful behaviour requires improvement.
    causes_of_concern:
    - id: L2.C1
      text: The force does not vet its staff in time. This is a cause of concern to HMIC.
      recommendations_lead_in: 'The force should immediately:'
      recommendations:
      - id: L2.R1
        text: clear its vetting backlog; and
      - id: L2.R2
        text: vet every officer before they start.
    - id: L2.C2
      text: The force does not investigate complaints fairly.
      recommendations:
      - id: L2.R3
        text: The force should review how it investigates complaints.
"""


def test_a_second_pillar_questions_without_findings_and_causes_numbered_through() -> None:
    result = imported(TWO_PILLARS)
    assert report_to_data(result.report) == yaml.safe_load(TWO_PILLARS_DATA)
    assert result.warnings == []


def test_lists_without_bullets_give_the_same_report() -> None:
    unbulleted = re.sub(r"(?m)^• ", "", TWO_PILLARS)
    assert imported(unbulleted).report == imported(TWO_PILLARS).report


def test_a_judgement_that_names_no_grade_leaves_the_question_ungraded_and_says_so() -> None:
    result = imported(TWO_PILLARS)
    assert Explanation(NAME, 10, "E2", "ungraded", None) in result.explanations


def test_an_efficiency_section_gets_the_letter_f() -> None:
    text = TWO_PILLARS.replace("Legitimacy\nHow legitimate", "Efficiency\nHow efficient")
    report = imported(text).report
    assert [(p.id, p.name) for p in report.pillars] == [("E", "Effectiveness"), ("F", "Efficiency")]
    assert [q.id for q in report.pillars[1].questions] == ["F1", "F2"]
    assert report.pillars[1].questions[1].causes_of_concern[1].recommendations[0].id == "F2.R3"


def test_a_pillar_without_its_headline_question() -> None:
    text = TWO_PILLARS.replace(
        "How effective is the force at keeping people safe and reducing crime?\n", ""
    )
    pillar = imported(text).report.pillars[0]
    assert pillar.question is None
    assert pillar.questions[0].title.startswith("How effective is the force at prev")


def test_a_grade_on_its_own_line_under_the_headline_question_is_the_pillars() -> None:
    text = TWO_PILLARS.replace(
        "reducing crime?\nHow effective is the force at preventing",
        "reducing crime?\nRequires improvement\nHow effective is the force at preventing",
    )
    result = imported(text)
    pillar = result.report.pillars[0]
    assert (pillar.question, pillar.grade, pillar.judgement) == (
        "How effective is the force at keeping people safe and reducing crime?",
        Grade.REQUIRES_IMPROVEMENT,
        None,
    )
    assert pillar.grade_source == (
        "The report's text, on a line of its own under the pillar's heading."
    )
    assert Explanation(NAME, 4, "E", "requires improvement", "Requires improvement") in (
        result.explanations
    )
    assert result.warnings == []


def test_a_second_grade_line_under_the_headline_question_is_not_placed() -> None:
    text = TWO_PILLARS.replace(
        "reducing crime?\nHow effective is the force at preventing",
        "reducing crime?\nGood\nGood\nHow effective is the force at preventing",
    )
    assert [str(w) for w in imported(text).warnings] == [
        "report.txt:5: not placed (before the first question of Effectiveness): Good"
    ]


# --- lines that cannot be placed ---------------------------------------------------

MESSY = """\
Examplshire PEEL 2016
Published by HMIC
Effectiveness
How effective is the force at preventing crime?
Examplshire Constabulary is good at preventing crime.
Areas for improvement
- The force should share effective practice.
See the annex for the data
- The force should evaluate its work.
Recommendations
Cause of concern
The force does not vet its staff in time, a cause of concern to HMIC.
Its backlog is growing.
Recommendations
- clear its vetting backlog.
Recommendations
Efficiency
Legitimacy
How well does the force treat people?
"""


def test_every_line_that_cannot_be_placed_comes_back_with_its_number() -> None:
    result = imported(MESSY)
    assert [str(w) for w in result.warnings] == [
        "report.txt:2: not placed (before the first pillar heading): Published by HMIC",
        "report.txt:8: not placed (not a bulleted item of the areas for improvement): "
        "See the annex for the data",
        "report.txt:10: not placed (recommendations outside a cause of concern): Recommendations",
        "report.txt:13: not placed (a second paragraph of a cause of concern): "
        "Its backlog is growing.",
        "report.txt:16: not placed (a second recommendations heading for one cause): "
        "Recommendations",
        "report.txt:17: not placed (Efficiency has no questions): Efficiency",
        "report.txt:19: L1 has no judgement paragraph; it is left not stated",
    ]
    question = result.report.pillars[0].questions[0]
    assert [a.text for a in question.areas_for_improvement] == [
        "The force should share effective practice.",
        "The force should evaluate its work.",
    ]
    assert [c.text for c in question.causes_of_concern] == [
        "The force does not vet its staff in time, a cause of concern to HMIC."
    ]


def test_a_long_line_that_is_not_placed_is_shortened_in_the_warning() -> None:
    text = MESSY.replace("Published by HMIC", "x" * 100)
    assert str(imported(text).warnings[0]) == (
        f"report.txt:2: not placed (before the first pillar heading): {'x' * 71}…"
    )


# Lines drawn from every kind the importer knows, paragraphs the likeliest.
_PARAGRAPHS = [
    "Examplshire Constabulary is good at preventing crime.",
    "The force requires improvement. It is not good.",
    "The force works well with HMIC.",
    "The force should immediately:",
]
_ANY_LINE = st.sampled_from(
    [
        *_PARAGRAPHS * 4,
        "",
        "   ",
        "Effectiveness",
        "Legitimacy",
        "How effective is the force at keeping people safe and reducing crime?",
        "How effective is the force at tackling crime?",
        "How well does the force treat people?",
        "Areas for improvement",
        "Cause of concern",
        "Causes of concern",
        "Recommendations",
        "- The force should share effective practice.",
        "• clear its backlog;",
        "•",
        "* vet every officer.",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.booleans(), st.lists(_ANY_LINE, max_size=30))
def test_every_line_lands_in_the_report_or_in_a_warning(started: bool, body: list[str]) -> None:
    start = ["Effectiveness", "How effective is the force at tackling crime?"] if started else []
    text = "\n".join(["Examplshire PEEL 2016", *start, *body])
    try:
        result = imported(text)
    except PeelError:
        return  # no pillar with questions: refused as a whole, which loses nothing silently
    data = yaml.safe_dump(report_to_data(result.report), allow_unicode=True, width=10_000)
    warned = {w.line for w in result.warnings}
    headings = {"effectiveness", "legitimacy", "areas for improvement", "cause of concern"}
    headings |= {"causes of concern", "recommendations", "•", ""}
    for number, line in enumerate(text.split("\n"), 1):
        words = re.sub(r"^[-•*] ", "", line.strip())
        if number in warned or words.casefold() in headings:
            continue
        assert words in data, f"line {number} {line!r} is lost"


# --- grades ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("judgement", "grade"),
    [
        ("The force is good at preventing crime.", Grade.GOOD),
        ("Its investigation of crime requires improvement.", Grade.REQUIRES_IMPROVEMENT),
        ("Nonetheless, the force requires improvement in some areas.", Grade.REQUIRES_IMPROVEMENT),
        ("The force is inadequate in its capacity to protect people.", Grade.INADEQUATE),
        ("The force is outstanding.", Grade.OUTSTANDING),
        ("The force has been judged as adequate overall.", Grade.ADEQUATE),
        ("Its services are judged to be good, and improving.", Grade.GOOD),
        ("The force is good across most of its work.", Grade.GOOD),
    ],
)
def test_the_grade_a_judgement_states(judgement: str, grade: Grade) -> None:
    assert stated_grades(judgement) == [(grade, judgement)]


@pytest.mark.parametrize(
    "judgement",
    [
        "There is good evidence of progress.",
        "It makes good use of its own intelligence.",
        "The force does not require improvement in this area.",
        "HMIC’s 2015 assessment of ‘requires improvement’ stands.",
        "The force was graded as good in 2015 and is keen to improve.",
        "In 2015 the force was graded as ‘inadequate’.",
        "It is good to see progress.",
        "The force has comprehensive arrangements in place.",
    ],
)
def test_words_that_do_not_state_a_grade(judgement: str) -> None:
    assert stated_grades(judgement) == []


def test_a_judgement_that_states_two_grades_is_left_not_stated_with_a_warning() -> None:
    text = MESSY.replace(
        "is good at preventing crime.", "is good at preventing crime. Its response is inadequate."
    )
    result = imported(text)
    assert result.report.pillars[0].questions[0].grade is Grade.NOT_STATED
    assert str(result.warnings[1]) == (
        "report.txt:5: the judgement of E1 states 2 grades (good, inadequate); it is left "
        "not stated: set its grade by hand"
    )
    assert [(e.value, e.sentence) for e in result.explanations if e.subject == "E1"] == [
        ("good", "Examplshire Constabulary is good at preventing crime."),
        ("inadequate", "Its response is inadequate."),
    ]


def test_earlier_grades_with_their_sentence() -> None:
    paragraph = (
        "The force has improved. Some improvement has certainly been made since HMIC’s 2015 "
        "assessment of ‘requires improvement’; the force needs to ensure that this continues."
    )
    [found] = earlier_grades(paragraph)
    assert (found.year, found.grade) == (2015, Grade.REQUIRES_IMPROVEMENT)
    assert found.quote == paragraph.split("improved. ")[1]
    assert earlier_grades("HMIC’s 2015 effectiveness assessment found problems.") == []
    [graded] = earlier_grades("In 2015 the force was graded as inadequate.")
    assert (graded.year, graded.grade) == (2015, Grade.INADEQUATE)


def test_explanations_of_the_shipped_text() -> None:
    said = [(e.line, e.subject, e.value) for e in imported(source_text()).explanations]
    assert said == [
        (5, "force", "Metropolitan Police Service"),
        (1, "year", "2016"),
        (18, "inspectorate", "HMIC"),
        (5, "E1", "good"),
        (14, "E2", "requires improvement"),
        (18, "E2", "earlier grade 2015 requires improvement"),
        (24, "E3", "inadequate"),
        (40, "E4", "requires improvement"),
        (50, "E5", "ungraded"),
    ]


# --- force, year, inspectorate: stated or given, never guessed ---------------------


def test_the_force_is_the_name_the_text_completes_from_the_title() -> None:
    [force, *_] = imported(source_text()).explanations
    assert force == Explanation(
        NAME,
        5,
        "force",
        "Metropolitan Police Service",
        "The Metropolitan Police Service is good at preventing crime, tackling anti-social "
        "behaviour and keeping people safe.",
    )


def test_a_force_the_text_names_only_as_the_title_does_keeps_the_titles_words() -> None:
    text = TWO_PILLARS.replace("Examplshire Constabulary", "The force")
    result = imported(text)
    assert result.report.force == "Examplshire"
    assert result.warnings == []


def test_a_force_the_text_names_two_ways_keeps_the_titles_words_and_warns() -> None:
    text = TWO_PILLARS.replace("Examplshire Constabulary is good", "Examplshire Police is good")
    result = imported(text)
    assert result.report.force == "Examplshire"
    assert [str(w) for w in result.warnings] == [
        "report.txt:1: the force is named 'Examplshire' as the title has it: the text also "
        "names 'Examplshire Police' and 'Examplshire Constabulary'"
    ]
    assert result.needs == [Need("force_name")]


def test_options_override_what_the_text_states() -> None:
    report = imported(
        source_text(), force="Metropolitan Police", year=2017, inspectorate="HMICFRS"
    ).report
    assert (report.force, report.year, report.inspectorate) == (
        "Metropolitan Police",
        2017,
        "HMICFRS",
    )


def test_a_title_without_force_or_year_and_no_inspectorate_is_refused_with_the_fix() -> None:
    text = TWO_PILLARS.replace("Examplshire PEEL 2016", "Police inspection").replace("HMIC", "we")
    with pytest.raises(PeelError) as caught:
        imported(text)
    # Facts, in no command line's words: the caller says how to give what is missing.
    assert str(caught.value).splitlines() == [
        "report.txt:1: the title does not name the force (as in 'Metropolitan PEEL 2016')",
        "report.txt:1: the title does not give the year (as in 'Metropolitan PEEL 2016')",
        "report.txt: the text does not name HMIC or HMICFRS",
    ]
    assert isinstance(caught.value, DetailsNeeded)
    assert [n.detail for n in caught.value.needs if n] == ["force", "year", "inspectorate"]
    assert caught.value.hint == ("Give force=NAME, year=YEAR, inspectorate=NAME when importing.")
    report = imported(text, force="Examplshire Constabulary", year=2016, inspectorate="HMIC").report
    assert report.title == "Police inspection"


def test_a_text_naming_both_inspectorates_needs_the_option() -> None:
    text = TWO_PILLARS.replace("to HMIC.", "to HMICFRS.")
    with pytest.raises(PeelError, match=r"names both HMIC and HMICFRS$"):
        imported(text)
    assert imported(text, inspectorate="HMICFRS").report.inspectorate == "HMICFRS"


# --- not a PEEL report -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Shopping list\nEggs\nFlour\n",
        "Minutes of the meeting\nEffectiveness\nWe discussed effectiveness.\n",
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"),
    ],
    ids=["a list", "a heading and no questions", "pyproject.toml"],
)
def test_text_that_is_not_a_peel_report_is_refused(text: str) -> None:
    with pytest.raises(PeelError) as caught:
        imported(text)
    assert str(caught.value) == (
        "report.txt: is not the text of a PEEL report: found no pillar heading (Effectiveness, "
        "Efficiency or Legitimacy) followed by questions such as 'How effective is the force "
        "at …?'"
    )


def test_empty_text_is_refused() -> None:
    with pytest.raises(PeelError, match=r"^report.txt: is empty; expected the text of a PEEL"):
        imported(" \n\r\n\t\n")


def test_a_text_that_starts_at_a_pillar_heading_needs_its_title() -> None:
    with pytest.raises(PeelError) as caught:
        imported("\n\n" + source_text().split("\n", 1)[1])
    assert str(caught.value) == (
        "report.txt:3: the text starts at 'Effectiveness', not at the report's title"
    )
    assert caught.value.hint == (
        "Make the report's title, such as 'Metropolitan PEEL 2016', its first line."
    )


def test_a_pillar_twice_is_refused() -> None:
    text = TWO_PILLARS.replace("Legitimacy\n", "Effectiveness\n")
    with pytest.raises(PeelError, match=r"^report.txt:11: a second Effectiveness heading; "):
        imported(text)


# --- pillar grades, which only the caller can give ---------------------------------


def test_a_pillar_grade_for_a_pillar_the_text_lacks_is_refused() -> None:
    grades = {"F": PillarGrade(Grade.GOOD, "the web page")}
    with pytest.raises(PeelError, match=r"^a grade is given for pillar F; the text has E$"):
        imported(source_text(), pillar_grades=grades)


# --- every era: fictional reports in tests/fixtures --------------------------------

FIXTURES = ROOT / "tests" / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def valid(report: Report) -> Report:
    """The report as `peel validate` reads it back from the YAML import writes."""
    from peelcli.dataset.dump import dump_report

    reread = parse_report(Source("imported.yaml", dump_report(report).encode()))
    assert reread == report
    assert id_problems(report) == []
    return report


def test_a_peel_assessment_imports_its_areas_grades_and_findings() -> None:
    result = imported(fixture("exampleshire_2023_assessment.txt"))
    report = valid(result.report)
    assert (report.force, report.year, report.cycle, report.era) == (
        "Exampleshire Police",
        2023,
        "2023–25",
        Era.ASSESSMENT,
    )
    assert report.pillars == []
    assert [(a.id, a.title, a.grade) for a in report.areas] == [
        ("A1", "Police powers and public treatment", Grade.GOOD),
        ("A2", "Preventing crime", Grade.ADEQUATE),
        ("A3", "Responding to the public", Grade.REQUIRES_IMPROVEMENT),
        ("A4", "Investigating crime", Grade.REQUIRES_IMPROVEMENT),
        ("A5", "Protecting vulnerable people", Grade.INADEQUATE),
        ("A6", "Victim service assessment", Grade.UNGRADED),
    ]
    assert [f"{f.id} {kind.short}" for _, u in report.units() for _, kind, f in u.findings()] == [
        "A1.P1 PP",
        "A2.A1 AFI",
        "A3.A1 AFI",
        "A3.A2 AFI",
        "A4.I1 IP",
        "A5.C1 CoC",
        "A5.R1 Rec",
        "A5.R2 Rec",
        "A5.C2 CoC",
        "A5.R3 Rec",
    ]
    a1, a2, _, _, a5, _ = report.areas
    assert a1.promising_practice[0].model_dump() == {
        "id": "A1.P1",
        "text": "The force invites young people to review body-worn video footage of stop and "
        "search.",
        "title": "Community scrutiny panels",
        "paragraphs": ["Panel members give feedback to officers within a week."],
    }
    # A numbered area for improvement is one paragraph; the findings go on after it.
    assert a2.areas_for_improvement[0].text == (
        "The force should make sure that neighbourhood officers are not taken away from their "
        "duties too often."
    )
    assert a2.summary[-1] == (
        "Neighbourhood officers told us they are often redeployed to cover response shifts."
    )
    assert [(e.year, e.grade) for e in a2.earlier_grades] == [(2021, Grade.GOOD)]
    first, second = a5.causes_of_concern
    assert first.recommendations_lead_in == "Within three months, the force should:"
    assert [r.text for r in second.recommendations] == [
        "Within six months, the force should make sure that it records every crime reported "
        "by a vulnerable person."
    ]
    assert report.summary[0].startswith("This fictional inspection tests how peel reads")
    assert report.inspectorate == "HMICFRS"
    assert report.inspectorate_source is not None
    assert report.inspectorate_source.startswith("Inferred from the year")
    assert [str(w) for w in result.warnings] == [
        "report.txt:1: not placed (before the title): Fictional report for testing peel: "
        "Exampleshire Police does not exist."
    ]


def test_an_assessment_grade_comes_from_the_table_when_its_section_does_not_state_it() -> None:
    text = fixture("exampleshire_2023_assessment.txt").replace(
        "The force requires improvement at responding to the public.",
        "The force answers most calls.",
    )
    report = imported(text).report
    assert report.areas[2].grade is Grade.REQUIRES_IMPROVEMENT
    assert report.areas[2].judgement == "The force answers most calls."


def test_an_assessment_whose_section_contradicts_its_table_is_left_not_stated() -> None:
    text = fixture("exampleshire_2023_assessment.txt").replace(
        "Preventing crime Adequate", "Preventing crime Good"
    )
    result = imported(text)
    assert result.report.areas[1].grade is Grade.NOT_STATED
    assert (
        "the text states for A2 2 grades (good, adequate); it is left not stated: set its "
        "grade by hand" in {w.message for w in result.warnings}
    )


def test_an_assessment_area_that_states_no_grade_is_not_stated_with_a_warning() -> None:
    text = (
        fixture("exampleshire_2023_assessment.txt")
        .replace("Responding to the public Requires improvement\n", "")
        .replace("The force requires improvement at responding to the public.", "It answers calls.")
    )
    result = imported(text)
    responding = next(a for a in result.report.areas if a.title == "Responding to the public")
    assert responding.grade is Grade.NOT_STATED
    assert any(
        str(w).endswith(f"the judgement of {responding.id} states no grade; it is left not stated")
        for w in result.warnings
    )


def test_an_assessment_that_stops_early_says_where() -> None:
    text = fixture("exampleshire_2023_assessment.txt")
    cut = text[: text.index("Cause of concern\nThe force does not record")] + (
        "Cause of concern\nThe force does not record crimes"
    )
    result = imported(cut)
    assert [str(w) for w in result.warnings][1:] == [
        "report.txt:12: A6 Victim service assessment has a grade in the judgement table but "
        "no section: the text may stop before it",
        "report.txt:51: the text ends mid-sentence in A5: 'The force does not record crimes'",
    ]


def test_an_integrated_report_carries_a_judgement_over_with_its_year_and_grade() -> None:
    result = imported(fixture("exampleshire_2018_integrated.txt"))
    report = valid(result.report)
    assert (report.force, report.year, report.cycle, report.era) == (
        "Exampleshire Constabulary",
        2018,
        "2018/19",
        Era.INTEGRATED,
    )
    assert [(p.id, p.grade) for p in report.pillars] == [
        ("E", Grade.NOT_STATED),
        ("F", Grade.NOT_STATED),
        ("L", Grade.NOT_STATED),
    ]
    assert [(u.id, u.grade, u.carried_over_from) for _, u in report.units()] == [
        ("E1", Grade.GOOD, None),
        ("E2", Grade.REQUIRES_IMPROVEMENT, None),
        ("F1", Grade.GOOD, None),
        ("F2", Grade.GOOD, 2017),
        ("L1", Grade.GOOD, None),
        ("L2", Grade.REQUIRES_IMPROVEMENT, None),
    ]
    e2 = report.pillars[0].questions[1]
    # Last inspection's grade is cited, not taken for this one.
    assert [(e.year, e.grade) for e in e2.earlier_grades] == [(2017, Grade.INADEQUATE)]
    assert (
        Explanation(
            NAME,
            18,
            "F2",
            "carried over from 2017",
            "This judgment has been carried over from the 2017 inspection.",
        )
        in result.explanations
    )
    assert report.pillars[2].questions[1].causes_of_concern[0].recommendations[0].text == (
        "By March 2019, the force should vet all its staff to the level their roles require."
    )
    assert len(result.warnings) == 1  # the fictional banner before the title


def test_a_carried_over_judgement_whose_grade_the_text_does_not_give_is_not_stated() -> None:
    text = fixture("exampleshire_2018_integrated.txt").replace(
        "In 2017, the force was graded as good at planning for the future. ", ""
    )
    f2 = imported(text).report.pillars[1].questions[1]
    assert (f2.grade, f2.carried_over_from) == (Grade.NOT_STATED, 2017)


def test_a_pillar_summary_page_imports_as_a_pillar_with_its_stated_grade() -> None:
    result = imported(fixture("exampleshire_2016_summary.txt"))
    report = valid(result.report)
    (pillar,) = report.pillars
    assert (report.force, report.year, report.inspectorate, report.era) == (
        "Exampleshire Police",
        2016,
        "HMIC",
        Era.PILLAR,
    )
    assert (pillar.id, pillar.name, pillar.grade, pillar.grade_source, pillar.questions) == (
        "E",
        "Effectiveness",
        Grade.INADEQUATE,
        None,
        [],
    )
    assert pillar.question == (
        "How effective is the force at keeping people safe and reducing crime?"
    )
    assert pillar.judgement is not None
    assert pillar.judgement.startswith("Overall, Exampleshire Police’s effectiveness")
    assert pillar.summary == [
        "The force is good at preventing crime, but it requires improvement in how it "
        "investigates crime.",
        "Its approach to protecting vulnerable people is inadequate.",
    ]
    # "Skip to content" and "Last updated" are site furniture; the banner is not placed.
    assert [str(w) for w in result.warnings] == [
        "report.txt:2: not placed (before the title): Fictional page for testing peel: "
        "Exampleshire Police does not exist."
    ]
    assert [(e.line, e.value) for e in result.explanations if e.subject == "E"] == [
        (6, "inadequate"),
        (7, "inadequate"),
    ]


def test_last_years_grade_in_a_summary_is_not_this_years() -> None:
    text = fixture("exampleshire_2016_summary.txt").replace("Inadequate\n", "")
    text = text.replace("crime is inadequate. This", "crime is getting worse. This")
    pillar = imported(text).report.pillars[0]
    assert pillar.grade is Grade.NOT_STATED
    last_year = "A deterioration on last year, when we judged the force to require improvement."
    assert stated_grades(last_year) == []


def test_a_summary_page_whose_line_and_sentence_disagree_is_not_stated() -> None:
    text = fixture("exampleshire_2016_summary.txt").replace("Inadequate\n", "Good\n")
    result = imported(text)
    assert result.report.pillars[0].grade is Grade.NOT_STATED
    assert [w.message for w in result.warnings][1:] == [
        "the summary of Effectiveness states good, inadequate; its grade is left not stated"
    ]
    assert result.needs[1:] == [Need("pillar_grade", {"pillar": "E"})]


def test_the_inspectorate_inferred_from_the_year_is_recorded_and_2017_asks() -> None:
    text = fixture("exampleshire_2016_summary.txt")
    assert imported(text.replace("PEEL 2016", "PEEL 2015")).report.inspectorate == "HMIC"
    assert imported(text.replace("PEEL 2016", "PEEL 2019")).report.inspectorate == "HMICFRS"
    with pytest.raises(PeelError) as caught:
        imported(text.replace("PEEL 2016", "PEEL 2017"))
    assert str(caught.value) == (
        "report.txt: the text does not name HMIC or HMICFRS, and in 2017 the inspectorate "
        "changed its name in July"
    )
    report = imported(text.replace("PEEL 2016", "PEEL 2017"), inspectorate="HMIC").report
    assert (report.inspectorate, report.inspectorate_source) == ("HMIC", None)


def test_adequate_stated_before_2021_is_not_taken() -> None:
    text = TWO_PILLARS.replace("is good at preventing crime", "is adequate at preventing crime")
    result = imported(text)
    assert result.report.pillars[0].questions[0].grade is Grade.NOT_STATED
    assert "E1 is stated as adequate, which PEEL 2016 did not give; it is left not stated" in {
        w.message for w in result.warnings
    }


@pytest.mark.parametrize(
    ("ending", "warning"),
    [
        (
            "The force works well with",
            "the text ends mid-sentence in E1: 'The force works well with'",
        ),
        (
            "Areas for improvement",
            "the text ends in E1 at the heading 'Areas for improvement', with nothing under it",
        ),
        (
            "The force should immediately:",
            "the text ends in E1 at 'The force should immediately:', before what it introduces",
        ),
    ],
    ids=["mid-sentence", "under a heading", "before a list"],
)
def test_text_that_stops_early_is_imported_with_a_warning_saying_where(
    ending: str, warning: str
) -> None:
    text = TWO_PILLARS.split("Areas for improvement\n• The force should share")[0] + ending
    result = imported(text)
    assert warning in {w.message for w in result.warnings}


# --- work bounded by the input's size ----------------------------------------------

_KIB = 1024
_HEAD = "Examplshire PEEL 2016\nEffectiveness\nHow effective is the force at preventing crime?\n"


def _import_work(monkeypatch: pytest.MonkeyPatch, unit: str, size: int) -> int:
    """The work of importing a text of size characters: _HEAD, then unit over and over."""
    from work import counted

    text = _HEAD + unit * ((size - len(_HEAD)) // len(unit))
    with counted(monkeypatch, "peelcli.") as work:
        try:
            import_text(text, NAME, inspectorate="HMIC")
        except PeelError as exc:
            assert exc.problems and all(p.message for p in exc.problems)
    return work.total


@pytest.mark.parametrize(
    "unit",
    [
        "e.g. A ",
        "2015 ",
        "2015 assessment of good is good ",
        "last year when we judged ",
        "carried over 2015 ",
        "is good. ",
        "Mr. X. ",
        "- x\n",
        "Investigating crime\nGood\n",
    ],
)
def test_adversarial_text_twice_as_long_costs_at_most_twice_the_work(
    monkeypatch: pytest.MonkeyPatch, unit: str
) -> None:
    # Counted, not timed (benchmarks/bench_import.py times 8 MiB of each): the functions
    # called and the characters handed to patterns. Twice the input may cost twice the
    # work, never four times; a pattern that backtracked over a line would not end at all.
    _import_work(monkeypatch, unit, 4 * _KIB)  # what the first import loads is not counted
    once = _import_work(monkeypatch, unit, 64 * _KIB)
    twice = _import_work(monkeypatch, unit, 128 * _KIB)
    assert twice <= 2.1 * once, (once, twice)


def test_a_judgement_of_many_statements_reads_the_first_and_says_so() -> None:
    text = _HEAD + "It is good. " * 60 + "\n"
    result = import_text(text, NAME, inspectorate="HMIC")
    assert result.report.pillars[0].questions[0].grade is Grade.GOOD
    assert [w.message for w in result.warnings] == [
        "the judgement of E1 states a grade more than 50 times; only the first 50 are read"
    ]


def test_a_text_of_more_lines_than_any_report_is_refused() -> None:
    with pytest.raises(PeelError) as caught:
        imported("Examplshire PEEL 2016\n" + "x\n" * 60_000)
    assert str(caught.value) == (
        "report.txt: has 60,002 lines; the text of a PEEL report has at most a few thousand, "
        "and import reads up to 50,000"
    )


def test_the_import_fuzz_target_checks_the_inputs_asked_for() -> None:
    from fuzz_import import fuzz

    assert fuzz(examples=25, seed_value=1) == 25


def test_an_opening_heading_among_the_areas_is_not_placed() -> None:
    text = fixture("exampleshire_2023_assessment.txt").replace(
        "Victim service assessment\n", "Overall summary\nVictim service assessment\n"
    )
    result = imported(text)
    assert "not placed (a heading of the report's opening, after its areas): Overall summary" in {
        w.message for w in result.warnings
    }
    assert result.report.areas[5].grade is Grade.UNGRADED
