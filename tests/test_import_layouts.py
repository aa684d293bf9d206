"""peel's importer on reports laid out as the inspectorate lays them out: covers that set the
title over several lines, a page's per-section links, publication dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from peelcli.importer import Imported, import_text
from peelcli.reading.furniture import is_furniture

Run = Callable[..., Any]

BODY = """\
Effectiveness
How effective is the force at preventing crime?
The force is good at preventing crime, says HMIC.
"""


def imported(text: str, **options: object) -> Imported:
    return import_text(text, "report.txt", **options)  # type: ignore[arg-type]


# --- covers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cover", "force", "year", "cycle", "published"),
    [
        (
            "PEEL: Police effectiveness 2016\nAn inspection of the Metropolitan Police Service\n"
            "March 2017",
            "Metropolitan Police Service",
            2016,
            None,
            "2017-03",
        ),
        (
            # "A inspection", as a real report's cover has it.
            "PEEL: Police effectiveness 2017\nA inspection of Greater Manchester Police\n"
            "March 2018",
            "Greater Manchester Police",
            2017,
            None,
            "2018-03",
        ),
        (
            "PEEL: Police effectiveness, efficiency and legitimacy 2018/19\n"
            "An inspection of Lancashire Constabulary",
            "Lancashire Constabulary",
            2018,
            "2018/19",
            None,
        ),
        (
            "PEEL 2023–25\nPolice effectiveness, efficiency and legitimacy\n"
            "An inspection of Northmoor Police\nMarch 2025",
            "Northmoor Police",
            2023,
            "2023–25",
            "2025-03",
        ),
        (
            # A PDF reader joins lines set alike: the subject and the force's line.
            "PEEL 2023–25\nPolice effectiveness, efficiency and legitimacy An inspection of "
            "Northmoor Police\nMarch 2025",
            "Northmoor Police",
            2023,
            "2023–25",
            "2025-03",
        ),
        (
            # A PDF reader may join a cover's lines set alike into one.
            "PEEL: Police effectiveness 2016 An inspection of the Metropolitan Police Service "
            "March 2017",
            "Metropolitan Police Service",
            2016,
            None,
            "2017-03",
        ),
    ],
    ids=[
        "2016 three lines",
        "2017 sic",
        "2018/19 two lines",
        "2023–25 four lines",
        "2023–25 three lines",
        "joined",
    ],
)
def test_a_cover_over_several_lines_is_the_title(
    cover: str, force: str, year: int, cycle: str | None, published: str | None
) -> None:
    result = imported(f"{cover}\n{BODY}")
    report = result.report
    assert (report.force, report.year, report.cycle) == (force, year, cycle)
    assert result.warnings == []
    assert report.published == published
    # The title is the cover's lines, less the date.
    assert report.title == re.sub(r" March 20\d\d$", "", " ".join(cover.splitlines()))


def test_a_cover_title_is_the_same_whether_its_lines_are_split_or_joined() -> None:
    split = imported(
        "PEEL: Police effectiveness 2016\nAn inspection of the Metropolitan Police Service\n"
        f"March 2017\n{BODY}"
    )
    joined = imported(
        "PEEL: Police effectiveness 2016 An inspection of the Metropolitan Police Service "
        f"March 2017\n{BODY}"
    )
    assert (
        split.report.title
        == joined.report.title
        == ("PEEL: Police effectiveness 2016 An inspection of the Metropolitan Police Service")
    )


def test_the_cover_date_is_explained_with_its_words() -> None:
    result = imported(
        "PEEL 2023–25\nPolice effectiveness, efficiency and legitimacy\n"
        f"An inspection of Northmoor Police\nMarch 2025\n{BODY}"
    )
    said = [e for e in result.explanations if e.subject == "published"]
    assert [(e.line, e.value, e.sentence) for e in said] == [(4, "2025-03", "March 2025")]


def test_a_cover_whose_lines_are_not_a_title_is_refused_as_before() -> None:
    from peelcli.errors import PeelError

    with pytest.raises(PeelError, match="the title does not name the force"):
        imported(f"PEEL: Police effectiveness 2016\nAn overview of forces\n{BODY}")


# --- publication dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Published on: 12 March 2025", "2025-03-12"),
        ("Published: March 2017", "2017-03"),
        ("Published 2 March 2017", "2017-03-02"),
    ],
)
def test_a_publication_line_gives_the_date_and_is_not_a_stray_line(line: str, date: str) -> None:
    result = imported(f"Examplshire PEEL 2016\n{line}\n{BODY}")
    assert result.report.published == date
    assert [e.line for e in result.explanations if e.subject == "published"] == [2]
    assert result.warnings == []


def test_a_page_date_before_the_title_is_read_too() -> None:
    result = imported(f"Published on: 2 March 2017\nExamplshire PEEL 2016\n{BODY}")
    assert result.report.published == "2017-03-02"
    assert result.warnings == []


def test_report_text_about_publishing_is_not_a_date() -> None:
    line = "Published research on domestic abuse informs its approach."
    result = imported(f"Examplshire PEEL 2016\n{BODY}{line}\n")
    assert result.report.published is None
    assert line in result.report.pillars[0].questions[0].summary


# --- a page's per-section links ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Back to top",
        "Back to top ↑",
        "↑ Back to top",
        "Return to top of page",
        "Share this page",
        "Print this page",
        "Share this page Print this page",
        "Contents",
        "Skip to main content",
        "Last updated 02/03/2017",
    ],
)
def test_a_pages_links_are_furniture_in_text(line: str) -> None:
    assert is_furniture(line)
    result = imported(f"Examplshire PEEL 2016\n{BODY}{line}\n")
    question = result.report.pillars[0].questions[0]
    assert question.summary == []
    assert result.warnings == []  # no stray line, and the text does not end mid-sentence
    assert [(e.line, e.sentence) for e in result.explanations if e.subject == "dropped"] == [
        (5, line)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Share information with partners routinely.",
        "Contents of the force’s plan were not shared.",
        "xxxxxxxx",
        "Back to top teams",
    ],
)
def test_report_text_with_furniture_words_is_not_furniture(text: str) -> None:
    assert not is_furniture(text)


# --- help -------------------------------------------------------------------------------


def test_import_help_says_the_inspectorate_is_inferred_from_the_year(cli: Run) -> None:
    result = cli("import", "-h")
    said = " ".join(result.stdout.split())
    assert "an error if it names both or neither" not in said
    assert "where it names neither, inferred from the year" in said
    # …as it is: a 2016 text that names no inspectorate imports, HMIC inferred.
    text = "Examplshire PEEL 2016\nEffectiveness\nHow effective is the force at x?\nIt is good.\n"
    report = imported(text).report
    assert (report.inspectorate, (report.inspectorate_source or "")[:22]) == (
        "HMIC",
        "Inferred from the year",
    )
    text_2018 = text.replace("2016", "2018")
    assert imported(text_2018).report.inspectorate == "HMICFRS"


# --- a force's page of pillar grades (2018/19) ------------------------------------------

FORCE_PAGE = """\
Skip to content
West Yorkshire 2018/19
This is HMICFRS’s fifth PEEL (police effectiveness, efficiency and legitimacy) assessment of \
West Yorkshire Police.
West Yorkshire Police was inspected in tranche three and we found:
West Yorkshire Police is good at keeping people safe and reducing crime.
West Yorkshire Police is outstanding at operating efficiently and sustainably.
the extent to which the force treats the public and its workforce legitimately is good.
HMI’s observations
The force is good at preventing crime and anti-social behaviour. It works well with others.
The force is outstanding at planning for the future.
"""


def test_a_force_page_of_pillar_grades_imports_as_three_graded_pillars() -> None:
    result = imported(FORCE_PAGE)
    report = result.report
    assert (report.force, report.year, report.cycle, report.inspectorate) == (
        "West Yorkshire Police",
        2018,
        "2018/19",
        "HMICFRS",
    )
    assert [(p.id, p.grade.value, p.judgement, p.questions) for p in report.pillars] == [
        (
            "E",
            "good",
            "West Yorkshire Police is good at keeping people safe and reducing crime.",
            [],
        ),
        (
            "F",
            "outstanding",
            "West Yorkshire Police is outstanding at operating efficiently and sustainably.",
            [],
        ),
        (
            "L",
            "good",
            "the extent to which the force treats the public and its workforce legitimately "
            "is good.",
            [],
        ),
    ]
    # Grades about other things are not the pillars': they stay in the page's summary.
    assert report.summary[-2:] == [
        "The force is good at preventing crime and anti-social behaviour. It works well with "
        "others.",
        "The force is outstanding at planning for the future.",
    ]
    assert result.warnings == []
    assert [(e.subject, e.line, e.value) for e in result.explanations if len(e.subject) == 1] == [
        ("E", 5, "good"),
        ("F", 6, "outstanding"),
        ("L", 7, "good"),
    ]


def test_a_force_page_titled_as_the_docs_title_it_imports_alike() -> None:
    page = FORCE_PAGE.replace("West Yorkshire 2018/19", "West Yorkshire PEEL 2018")
    assert imported(page).report.pillars == imported(FORCE_PAGE).report.pillars


def test_a_sentence_that_says_more_keeps_its_paragraph_in_the_summary() -> None:
    page = FORCE_PAGE.replace(
        "reducing crime.\n", "reducing crime. It protects vulnerable people well.\n", 1
    )
    report = imported(page).report
    assert report.pillars[0].judgement == (
        "West Yorkshire Police is good at keeping people safe and reducing crime."
    )
    assert (
        "West Yorkshire Police is good at keeping people safe and reducing crime. It protects "
        "vulnerable people well."
    ) in report.summary


def test_a_page_whose_sentences_grade_no_pillar_is_still_refused() -> None:
    from peelcli.errors import PeelError

    page = "West Yorkshire PEEL 2018\nThe force is good at preventing crime.\n"
    with pytest.raises(PeelError, match="is not the text of a PEEL report"):
        imported(page)


def test_a_force_page_saved_from_the_site_imports_as_its_text_does() -> None:
    import html

    from peelcli.reading import to_text

    lines = FORCE_PAGE.splitlines()
    page = (
        "<!doctype html><html><body><a class='skip-link' href='#main'>Skip to content</a>"
        f"<main id='main'><h1>{html.escape(lines[1])}</h1>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in lines[2:7])
        + f"<h2>{html.escape(lines[7])}</h2>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in lines[8:])
        + "<p><a href='#top'>Back to top</a></p></main></body></html>"
    )
    document = to_text(page.encode(), "page.html")
    assert imported(document.text).report == imported(FORCE_PAGE).report
