"""peelcli.importer.dates: publication dates and deadlines that a report's words fix."""

from __future__ import annotations

import pytest

from peelcli.importer.dates import PUBLISHED_LINE, add_months, date_of, due_date


@pytest.mark.parametrize(
    ("words", "published", "due"),
    [
        (
            "By 31 March 2023, the force should review its call handling.",
            "2022-09-02",
            "2023-03-31",
        ),
        ("By 31 March 2023, the force should review its call handling.", None, "2023-03-31"),
        ("By March 2023, the force should:", None, "2023-03-31"),
        ("by the end of June 2024 the force should", None, "2024-06-30"),
        ("By the end of 2024, the force should", None, "2024-12-31"),
        ("Within six months, the force should:", "2025-03-12", "2025-09-12"),
        (
            "Within 12 months of the publication of this report, the force should",
            "2025-03-12",
            "2026-03-12",
        ),
        ("Within three months, the force should:", "2024-11-30", "2025-02-28"),
        ("Within one year, the force should", "2024-02-29", "2025-02-28"),
        ("Within six months, the force should:", "2017-03", "2017-09"),
        ("Within six weeks, the force should:", "2025-03-12", "2025-04-23"),
        ("Within six weeks, the force should:", "2017-03", None),
        (
            "The force should immediately take steps to improve its services by:",
            "2017-03-02",
            "2017-03-02",
        ),
        ("Within six months, the force should:", None, None),
        ("The force should immediately take steps to improve its services by:", None, None),
        ("As soon as possible, the force should review its approach.", "2025-03-12", None),
        ("The force should review its approach.", "2025-03-12", None),
    ],
)
def test_a_deadline_in_words_gives_a_due_date_only_where_the_words_fix_one(
    words: str, published: str | None, due: str | None
) -> None:
    assert due_date(words, published) == due


def test_months_are_added_to_the_precision_of_the_date() -> None:
    assert add_months("2025-08-31", 6) == "2026-02-28"
    assert add_months("2025-11", 3) == "2026-02"


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Published on: 12 March 2025", "2025-03-12"),
        ("Published: March 2017", "2017-03"),
        ("Publication date: 2 Mar 2017", "2017-03-02"),
        ("Published on: 31 February 2025", None),
    ],
)
def test_a_published_line_gives_its_date(line: str, date: str | None) -> None:
    match = PUBLISHED_LINE.fullmatch(line)
    assert match is not None
    assert date_of(match) == date
