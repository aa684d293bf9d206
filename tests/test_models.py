"""peelcli.models: one model for every PEEL era, and the rules each era's data must keep."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from peelcli.dataset.dump import dump_report
from peelcli.dataset.files import Source
from peelcli.dataset.loader import load_reports, parse_report
from peelcli.errors import PeelError
from peelcli.models import (
    GRADE_SHORT,
    Area,
    Era,
    Grade,
    Kind,
    Pillar,
    Question,
    Report,
)
from peelcli.render.theme import GRADE_STYLES
from peelcli.report_checks import id_problems


def area(aid: str = "A1", grade: str = "adequate", **fields: Any) -> dict[str, Any]:
    return {"id": aid, "title": "Investigating crime", "grade": grade, **fields}


def assessment(*areas: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "force": "Exampleshire Police",
        "year": 2023,
        "cycle": "2023–25",
        "inspectorate": "HMICFRS",
        "programme": "PEEL",
        "title": "PEEL 2023–25: An inspection of Exampleshire Police",
        "areas": list(areas) or [area()],
        **fields,
    }


def pillar_report(year: int = 2016, grade: str = "good", **question: Any) -> dict[str, Any]:
    return {
        "force": "Exampleshire Police",
        "year": year,
        "inspectorate": "HMIC",
        "programme": "PEEL",
        "title": f"Exampleshire PEEL {year}",
        "pillars": [
            {
                "id": "E",
                "name": "Effectiveness",
                "questions": [{"id": "E1", "title": "How?", "grade": grade, **question}],
            }
        ],
    }


def errors(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Report.model_validate(data)
    return [e["msg"].removeprefix("Value error, ") for e in caught.value.errors()]


# --- grades and eras ---------------------------------------------------------------


def test_not_stated_is_a_grade_apart_from_ungraded_and_ranks_with_it() -> None:
    assert Grade.parse("Not stated") is Grade.NOT_STATED
    assert Grade.parse("n/s") is Grade.NOT_STATED
    assert Grade.parse("n/g") is Grade.UNGRADED
    assert Grade.NOT_STATED != Grade.UNGRADED
    assert Grade.NOT_STATED.rank == Grade.UNGRADED.rank == -1
    assert Grade.NOT_STATED < Grade.INADEQUATE
    assert (Grade.NOT_STATED.short, GRADE_SHORT[Grade.UNGRADED]) == ("n/s", "n/g")
    assert set(GRADE_STYLES) == set(GRADE_SHORT) == set(Grade)  # every grade has its colour


@pytest.mark.parametrize(
    ("year", "era"),
    [
        (2014, Era.PILLAR),
        (2017, Era.PILLAR),
        (2018, Era.INTEGRATED),
        (2019, Era.INTEGRATED),
        (2021, Era.ASSESSMENT),
        (2025, Era.ASSESSMENT),
    ],
)
def test_the_era_follows_the_year_a_cycle_starts(year: int, era: Era) -> None:
    assert Era.of_year(year) is era


def test_adequate_is_on_the_assessment_scale_only() -> None:
    assert Grade.ADEQUATE in Era.ASSESSMENT.grades
    assert Grade.ADEQUATE not in Era.PILLAR.grades
    assert Grade.ADEQUATE not in Era.INTEGRATED.grades
    assert {Grade.UNGRADED, Grade.NOT_STATED} <= set(Era.PILLAR.grades)


def test_adequate_in_a_2016_report_is_a_problem_at_its_field() -> None:
    report = Report.model_validate(pillar_report(2016, "adequate"))
    assert id_problems(report) == [
        (
            "pillars[0].questions[0].grade",
            "'adequate' is a grade of PEEL assessments from 2021; PEEL 2016 graded "
            "outstanding, good, requires improvement or inadequate",
        )
    ]
    assert id_problems(Report.model_validate(pillar_report(2021, "adequate"))) == []


def test_peel_validate_refuses_adequate_before_2021_with_its_line() -> None:
    text = dump_report(Report.model_validate(pillar_report(2016, "adequate")))
    with pytest.raises(PeelError) as caught:
        parse_report(Source("report.yaml", text.encode()))
    message = str(caught.value)
    assert message.startswith("report.yaml:")
    assert "pillars[0].questions[0].grade: 'adequate' is a grade of PEEL assessments" in message


def test_an_earlier_grade_of_adequate_before_2021_is_refused() -> None:
    earlier = [{"year": 2015, "grade": "adequate", "quote": "In 2015 it was adequate."}]
    assert errors(pillar_report(earlier_grades=earlier)) == [
        "'adequate' is a grade of PEEL assessments from 2021; PEEL 2015 graded outstanding, "
        "good, requires improvement or inadequate"
    ]


# --- carried over ------------------------------------------------------------------


def test_a_carried_over_judgement_keeps_its_grade_and_year() -> None:
    report = Report.model_validate(pillar_report(2018, "good", carried_over_from=2017))
    question = report.pillars[0].questions[0]
    assert (question.grade, question.carried_over_from) == (Grade.GOOD, 2017)
    assert id_problems(report) == []


def test_a_carried_over_judgement_is_never_ungraded() -> None:
    assert errors(pillar_report(2018, "ungraded", carried_over_from=2017)) == [
        "a judgement carried over from an earlier inspection keeps that inspection's grade; "
        "write 'not stated' if the text does not give it, never 'ungraded'"
    ]
    report = Report.model_validate(pillar_report(2018, "not stated", carried_over_from=2017))
    assert report.pillars[0].questions[0].grade is Grade.NOT_STATED


def test_a_judgement_is_carried_over_from_an_earlier_year_only() -> None:
    report = Report.model_validate(pillar_report(2018, "good", carried_over_from=2018))
    assert id_problems(report) == [
        (
            "pillars[0].questions[0].carried_over_from",
            "2018 is not before 2018; a judgement is carried over from an earlier inspection",
        )
    ]


# --- areas, pillars, cycles --------------------------------------------------------


def test_an_assessment_holds_areas_and_a_cycle() -> None:
    report = Report.model_validate(assessment())
    assert (report.era, report.year, report.cycle) == (Era.ASSESSMENT, 2023, "2023–25")
    assert report.pillars == []
    assert id_problems(report) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"pillars": pillar_report()["pillars"]},
            "a report holds pillars (PEEL to 2019) or areas (PEEL assessments from 2021), one "
            "of the two; found both",
        ),
        (
            {"areas": []},
            "a report holds pillars (PEEL to 2019) or areas (PEEL assessments from 2021), one "
            "of the two; found neither",
        ),
        (
            {"year": 2016, "cycle": None},
            "areas belong to PEEL assessments from 2021; a 2016 report holds pillars",
        ),
        ({"cycle": "2021/22"}, "the cycle '2021/22' does not start in 2023"),
    ],
    ids=["both", "neither", "areas in 2016", "cycle of another year"],
)
def test_the_shape_a_report_must_have(fields: dict[str, Any], message: str) -> None:
    assert errors(assessment(**fields)) == [message]


def test_a_pillar_without_questions_needs_its_summary() -> None:
    data = pillar_report()
    data["pillars"][0]["questions"] = []
    assert errors(data) == [
        "a pillar needs questions, or the judgement or summary of a pillar summary"
    ]
    data["pillars"][0].update(grade="inadequate", judgement="Overall, it is inadequate.")
    pillar = Report.model_validate(data).pillars[0]
    assert (pillar.grade, pillar.grade_source, pillar.questions) == (Grade.INADEQUATE, None, [])


def test_a_pillar_grade_needs_a_source_or_a_judgement_but_not_stated_needs_neither() -> None:
    data = pillar_report()
    data["pillars"][0]["grade"] = "good"
    assert errors(data) == [
        "grade_source is required when the pillar has a grade no judgement states"
    ]
    data["pillars"][0]["grade"] = "not stated"
    assert Report.model_validate(data).pillars[0].grade is Grade.NOT_STATED


@pytest.mark.parametrize(
    ("bad", "path", "message"),
    [
        (
            {"id": "B1"},
            "areas[0].id",
            "'B1' is not a valid ID here; expected A<n>, such as 'A1'",
        ),
        (
            {"areas_for_improvement": [{"id": "A2.A1", "text": "x"}]},
            "areas[0].areas_for_improvement[0].id",
            "'A2.A1' is not a valid ID here; expected A1.A<n>, such as 'A1.A1'",
        ),
        (
            {"innovative_practice": [{"id": "A1.P1", "text": "x"}]},
            "areas[0].innovative_practice[0].id",
            "'A1.P1' is not a valid ID here; expected A1.I<n>, such as 'A1.I1'",
        ),
    ],
    ids=["area letter", "finding of another area", "practice of the other kind"],
)
def test_area_ids_are_checked(bad: dict[str, Any], path: str, message: str) -> None:
    report = Report.model_validate(assessment(area(**bad)))
    assert id_problems(report) == [(path, message)]


def test_two_areas_with_one_id_are_a_duplicate() -> None:
    report = Report.model_validate(assessment(area(), area()))
    assert id_problems(report) == [("areas[1].id", "duplicate ID 'A1'")]


# --- findings of every kind, and one way to read every unit ------------------------


def test_practice_kinds_have_letters_short_codes_and_names_people_type() -> None:
    assert [(k.letter, k.short) for k in Kind] == [
        ("A", "AFI"),
        ("C", "CoC"),
        ("R", "Rec"),
        ("I", "IP"),
        ("P", "PP"),
    ]
    assert Kind.parse("Innovative practice") is Kind.INNOVATIVE_PRACTICE
    assert Kind.parse("promising") is Kind.PROMISING_PRACTICE
    assert Kind.PROMISING_PRACTICE.label == "promising practice"


def test_findings_yield_practice_after_causes_in_reading_order() -> None:
    unit = Area.model_validate(
        area(
            areas_for_improvement=[{"id": "A1.A1", "text": "a"}],
            causes_of_concern=[
                {"id": "A1.C1", "text": "c", "recommendations": [{"id": "A1.R1", "text": "r"}]}
            ],
            innovative_practice=[{"id": "A1.I1", "text": "i", "title": "Drones"}],
            promising_practice=[{"id": "A1.P1", "text": "p", "paragraphs": ["more"]}],
        )
    )
    assert [(path, kind, f.id) for path, kind, f in unit.findings()] == [
        ("areas_for_improvement[0]", Kind.AREA_FOR_IMPROVEMENT, "A1.A1"),
        ("causes_of_concern[0]", Kind.CAUSE_OF_CONCERN, "A1.C1"),
        ("causes_of_concern[0].recommendations[0]", Kind.RECOMMENDATION, "A1.R1"),
        ("innovative_practice[0]", Kind.INNOVATIVE_PRACTICE, "A1.I1"),
        ("promising_practice[0]", Kind.PROMISING_PRACTICE, "A1.P1"),
    ]


def test_units_walk_questions_with_their_pillar_and_areas_alone() -> None:
    pillars = Report.model_validate(pillar_report())
    assert [(p.id if p else None, u.id) for p, u in pillars.units()] == [("E", "E1")]
    assert isinstance(next(pillars.units())[1], Question)
    areas = Report.model_validate(assessment(area("A1"), area("A2")))
    assert [(p, u.id, type(u)) for p, u in areas.units()] == [
        (None, "A1", Area),
        (None, "A2", Area),
    ]


def test_a_question_and_an_area_have_the_same_fields_for_one_jq_recipe() -> None:
    assert list(Question.model_fields) == list(Area.model_fields)
    question = Question(id="E1", title="How?", grade=Grade.GOOD).model_dump(mode="json")
    answer = Area(id="A1", title="Investigating crime", grade=Grade.GOOD).model_dump(mode="json")
    assert question.keys() == answer.keys()


# --- the schema and the cache cover every field ------------------------------------


def test_the_schema_describes_every_field_of_every_model() -> None:
    schema = Report.model_json_schema()
    undescribed = [
        f"{name}.{field}"
        for name, model in [("Report", schema), *schema["$defs"].items()]
        for field, spec in model.get("properties", {}).items()
        if "description" not in spec
    ]
    assert undescribed == []
    assert {"Area", "Practice", "Pillar", "Question"} <= set(schema["$defs"])
    assert "not stated" in schema["$defs"]["Grade"]["enum"]


def test_an_assessment_round_trips_through_yaml_and_the_cache(tmp_path: Path) -> None:
    report = Report.model_validate(
        assessment(
            area(
                "A1",
                carried_over_from=None,
                promising_practice=[{"id": "A1.P1", "text": "p", "title": "T"}],
            ),
            area("A2", "not stated"),
            summary=["Overall, the force is adequate."],
            inspectorate_source="Inferred from the year.",
        )
    )
    path = tmp_path / "exampleshire.yaml"
    path.write_text(dump_report(report), encoding="utf-8")
    assert load_reports([path], use_cache=False) == [report]
    assert load_reports([path]) == [report]  # writes the cache
    assert load_reports([path]) == [report]  # reads it back
    assert json.loads(report.model_dump_json())["areas"][1]["grade"] == "not stated"


def test_the_shipped_pillar_is_unchanged_by_the_new_fields() -> None:
    pillar = Pillar(
        id="E",
        name="Effectiveness",
        grade=Grade.GOOD,
        grade_source="The web page.",
        questions=[Question(id="E1", title="How?", grade=Grade.GOOD)],
    )
    assert pillar.judgement is None and pillar.summary == []


# --- publication, deadlines and text that stops short ------------------------------


def test_a_publication_date_needs_its_source_and_the_form_of_a_date() -> None:
    def published(**fields: str) -> dict[str, Any]:
        return {**pillar_report(), **fields}

    assert errors(published(published="2017-03-02")) == [
        "published_source is required with published: say where the date comes from"
    ]
    assert errors(published(published="2 March 2017", published_source="the page")) == [
        "'2 March 2017' is not a date; expected YYYY-MM-DD, or YYYY-MM for a month"
    ]
    assert errors(published(published="2017-02-30", published_source="the page")) == [
        "'2017-02-30' is not a date on the calendar"
    ]
    assert errors(published(published_source="the page")) == [
        "published_source is given without published"
    ]
    month = Report.model_validate(published(published="2017-03", published_source="cover"))
    assert month.published == "2017-03"


def test_a_due_date_has_the_form_of_a_date() -> None:
    recommendation = {"id": "A1.R1", "text": "do it", "due": "soon"}
    cause = {"id": "A1.C1", "text": "Concern.", "recommendations": [recommendation]}
    assert errors(assessment(area(causes_of_concern=[cause]))) == [
        "'soon' is not a date; expected YYYY-MM-DD, or YYYY-MM for a month"
    ]
    recommendation["due"] = "2025-09-12"
    report = Report.model_validate(assessment(area(causes_of_concern=[cause])))
    assert report.areas[0].causes_of_concern[0].recommendations[0].due == "2025-09-12"


def test_text_that_stops_short_is_marked_where_it_stops() -> None:
    report = Report.model_validate(pillar_report(truncated="mid-sentence"))
    assert report.pillars[0].questions[0].truncated is not None
    assert report.pillars[0].questions[0].truncated.value == "mid-sentence"
    assert errors(pillar_report(truncated="maybe"))[0].startswith("Input should be")


def test_the_shipped_report_says_when_it_was_published_and_where_that_comes_from() -> None:
    (report,) = load_reports([Path(__file__).parent.parent / "data" / "metropolitan_2016.yaml"])
    assert report.published == "2017-03-02"
    assert report.published_source is not None and "2 March 2017" in report.published_source
    (cause,) = report.pillars[0].questions[2].causes_of_concern
    assert cause.recommendations_lead_in is not None
    assert "immediately" in cause.recommendations_lead_in
    assert {r.due for r in cause.recommendations} == {"2017-03-02"}


def test_a_validator_message_reaches_a_reader_without_pydantics_words(tmp_path: Path) -> None:
    data = pillar_report()
    data["pillars"][0]["questions"] = []
    path = tmp_path / "bare.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PeelError) as caught:
        load_reports([path], use_cache=False)
    message = str(caught.value)
    assert "a pillar needs questions" in message
    assert "Value error" not in message


def test_every_text_field_refuses_blank_text() -> None:
    # Checked only on fields that hold text: a model's new text field must be Text too.
    import typing

    from peelcli import models

    checked = 0
    for model in (
        models.Report,
        models.Pillar,
        models.Area,
        models.Question,
        models.CauseOfConcern,
        models.Recommendation,
        models.Practice,
        models.Finding,
        models.EarlierGrade,
    ):
        for name, field in model.model_fields.items():
            inner = [a for a in typing.get_args(field.annotation) if a is not type(None)]
            if field.annotation is not str and inner != [models.Text]:
                continue
            if any(getattr(m, "pattern", None) for m in field.metadata):
                continue  # a pattern of its own, which blank text does not match
            with pytest.raises(ValidationError) as error:
                model.model_validate({name: " \u3000\n"})
            mine = [e["msg"] for e in error.value.errors() if e["loc"] == (name,)]
            assert mine == ["Value error, must not be empty"], (model, name, mine)
            checked += 1
    assert checked >= 25
