"""The shipped dataset is faithful to the report's text: nothing lost, nothing invented."""

from __future__ import annotations

import re

import pytest
from conftest import DATASET, SOURCE_TEXT

from peelcli.dataset.loader import load_reports
from peelcli.importer import import_text
from peelcli.models import Grade, Report

# Lines of the report that became structure rather than text.
HEADINGS = {"Areas for improvement", "Cause of concern", "Recommendations"}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _report() -> Report:
    (report,) = load_reports([DATASET], use_cache=False)
    return report


def _texts(report: Report) -> list[str]:
    """Every piece of report text the dataset holds, whitespace-normalised."""
    texts = [report.title]
    for pillar in report.pillars:
        texts += [pillar.name, pillar.question or ""]
        for q in pillar.questions:
            texts += [q.title, q.judgement or "", *q.summary]
            texts += [e.quote for e in q.earlier_grades]
            for _, _, finding in q.findings():
                texts.append(finding.text)
                texts.append(getattr(finding, "recommendations_lead_in", None) or "")
    return [_normal(t) for t in texts if t]


def test_every_source_line_is_structure_or_held_word_for_word() -> None:
    texts = set(_texts(_report()))
    lines = SOURCE_TEXT.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 51
    missing = []
    for number, line in enumerate(lines, 1):
        text = _normal(line)
        if not text or text in HEADINGS:
            continue
        if text.startswith("- "):
            text = text[2:]
        if text not in texts:
            missing.append((number, line))
    assert missing == []


def test_nothing_in_the_dataset_is_invented() -> None:
    """Every text field is a whole line of the source (less its bullet), or a sentence of one."""
    source = [
        _normal(line).removeprefix("- ") for line in SOURCE_TEXT.read_text("utf-8").splitlines()
    ]
    for text in _texts(_report()):
        assert text in source, text


def test_typographic_characters_are_kept() -> None:
    report = _report()
    e2 = report.pillars[0].questions[1]
    assert "HMIC’s 2015 assessment of ‘requires improvement’" in e2.summary[3]
    assert "‘4 Ps’" in report.pillars[0].questions[3].areas_for_improvement[4].text


def test_the_five_questions_carry_the_grades_the_text_states() -> None:
    grades = [q.grade for q in _report().pillars[0].questions]
    assert grades == [
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.INADEQUATE,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.UNGRADED,
    ]


def test_findings_counts_and_ids() -> None:
    questions = _report().pillars[0].questions
    assert [len(q.areas_for_improvement) for q in questions] == [3, 3, 0, 5, 0]
    (cause,) = questions[2].causes_of_concern
    assert cause.id == "E3.C1"
    assert [r.id for r in cause.recommendations] == [f"E3.R{n}" for n in range(1, 9)]
    assert cause.recommendations_lead_in == (
        "The force should immediately take steps to improve its services to vulnerable people by:"
    )
    assert [q.id for q in questions] == ["E1", "E2", "E3", "E4", "E5"]


def test_earlier_grade_and_pillar_grade_provenance() -> None:
    report = _report()
    pillar = report.pillars[0]
    assert pillar.id == "E" and pillar.name == "Effectiveness"
    assert pillar.grade is Grade.REQUIRES_IMPROVEMENT
    assert (
        pillar.grade_source is not None and "Not stated in the report text" in pillar.grade_source
    )
    (earlier,) = pillar.questions[1].earlier_grades
    assert (earlier.year, earlier.grade) == (2015, Grade.REQUIRES_IMPROVEMENT)
    assert all(not q.earlier_grades for i, q in enumerate(pillar.questions) if i != 1)
    assert report.force == "Metropolitan Police Service" and report.year == 2016


# --- the fictional reports of every era, imported: nothing lost, nothing invented --

FIXTURES = DATASET.parent.parent / "tests" / "fixtures"


def _held(report: Report) -> list[str]:
    """Every piece of text an imported report holds, of any era, whitespace-normalised."""
    texts = [report.title, *report.summary]
    for pillar in report.pillars:
        texts += [pillar.question or "", pillar.judgement or "", *pillar.summary]
    for _, unit in report.units():
        texts += [unit.title, unit.judgement or "", *unit.summary]
        texts += [e.quote for e in unit.earlier_grades]
        for _, _, finding in unit.findings():
            texts += [finding.text, getattr(finding, "recommendations_lead_in", None) or ""]
            texts += [getattr(finding, "title", None) or ""]
            texts += getattr(finding, "paragraphs", [])
    return [_normal(t) for t in texts if t]


@pytest.mark.parametrize(
    ("name", "structure"),
    [
        (
            "exampleshire_2016_summary.txt",
            {
                "Skip to content",
                "Fictional page for testing peel: Exampleshire Police does not exist.",
                "Last updated 02/03/2017",
                "Inadequate",
            },
        ),
        (
            "exampleshire_2018_integrated.txt",
            {
                "Fictional report for testing peel: Exampleshire Constabulary does not exist.",
                "Effectiveness",
                "Efficiency",
                "Legitimacy",
                "Areas for improvement",
                "Cause of concern",
                "Recommendations",
            },
        ),
        (
            "exampleshire_2023_assessment.txt",
            {
                "Fictional report for testing peel: Exampleshire Police does not exist.",
                "Overall summary",
                "Our judgments",
                "Police powers and public treatment Good",
                "Preventing crime Adequate",
                "Responding to the public Requires improvement",
                "Requires improvement",
                "Protecting vulnerable people Inadequate",
                "Victim service assessment Not graded",
                "HM Inspector’s observations",
                "Promising practice",
                "Innovative practice",
                "Areas for improvement",
                "Area for improvement 1",
                "Cause of concern",
                "Recommendations",
            },
        ),
    ],
)
def test_every_fixture_line_is_structure_or_held_word_for_word(
    name: str, structure: set[str]
) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    report = import_text(text, name).report
    held = set(_held(report))
    lines = [_normal(line).removeprefix("- ") for line in text.splitlines() if line.strip()]
    assert {line for line in lines if line not in held} == structure
    # Nothing invented: every text is a whole line, or a sentence of one.
    for piece in held:
        assert any(piece in line for line in lines), piece
