"""What import records beyond a report's text: when it was published, when its
recommendations fall due, and where its text stops short."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from peelcli.importer import import_text
from peelcli.models import Report, Truncation

Run = Callable[..., subprocess.CompletedProcess[str]]
FIXTURES = Path(__file__).parent / "fixtures"
ASSESSMENT = (FIXTURES / "exampleshire_2023_assessment.txt").read_text(encoding="utf-8")
INTEGRATED = (FIXTURES / "exampleshire_2018_integrated.txt").read_text(encoding="utf-8")


def with_line_after_title(text: str, line: str) -> str:
    lines = text.split("\n")
    title = next(n for n, text in enumerate(lines) if "PEEL" in text)
    return "\n".join([*lines[: title + 1], line, *lines[title + 1 :]])


def dues(report: Report) -> dict[str, str | None]:
    return {
        rec.id: rec.due
        for _, unit in report.units()
        for cause in unit.causes_of_concern
        for rec in cause.recommendations
    }


def test_a_page_publication_line_gives_the_date_and_its_source_and_is_not_report_text() -> None:
    text = with_line_after_title(ASSESSMENT, "Published on: 12 March 2025")
    result = import_text(text, "page.txt")
    report = result.report
    assert report.published == "2025-03-12"
    assert report.published_source == "The report's page: “Published on: 12 March 2025”."
    assert not any("Published on" in str(w) for w in result.warnings)
    assert ("published", "2025-03-12") in {(e.subject, e.value) for e in result.explanations}


def test_a_cover_month_gives_the_month_alone() -> None:
    report = import_text(with_line_after_title(ASSESSMENT, "March 2025"), "cover.txt").report
    assert report.published == "2025-03"
    assert report.published_source is not None and "“March 2025”" in report.published_source


def test_published_given_on_import_outranks_the_text() -> None:
    text = with_line_after_title(ASSESSMENT, "Published on: 12 March 2025")
    report = import_text(text, "page.txt", published="2025-04-01").report
    assert report.published == "2025-04-01"
    assert report.published_source == "Given when imported."


def test_deadlines_in_words_give_due_dates_counted_from_publication() -> None:
    text = with_line_after_title(ASSESSMENT, "Published on: 12 March 2025")
    found = dues(import_text(text, "page.txt").report)
    # Two under "Within three months, the force should:", one "Within six months, …".
    assert sorted(found.values()) == ["2025-06-12", "2025-06-12", "2025-09-12"]
    # Without a publication date, "within" counts from nothing: no due date is guessed.
    assert set(dues(import_text(ASSESSMENT, "page.txt").report).values()) == {None}


def test_a_deadline_that_names_its_date_needs_no_publication_date() -> None:
    report = import_text(INTEGRATED, "2018.txt").report
    assert report.published is None
    assert "2019-03-31" in dues(report).values()


def test_text_that_stops_mid_sentence_is_marked_in_the_dataset() -> None:
    text = ASSESSMENT.rstrip("\n").rsplit(" ", 3)[0] + "\n"
    result = import_text(text, "cut.txt")
    assert any("mid-sentence" in str(w) for w in result.warnings)
    marked = [(u.id, u.truncated) for _, u in result.report.units() if u.truncated]
    assert len(marked) == 1 and marked[0][1] is Truncation.MID_SENTENCE
    from peelcli.dataset.dump import dump_report

    assert "truncated: mid-sentence" in dump_report(result.report)
    whole = import_text(ASSESSMENT, "whole.txt").report
    assert not any(u.truncated for _, u in whole.units())


def test_a_summary_page_that_stops_mid_sentence_marks_its_pillar() -> None:
    page = (FIXTURES / "exampleshire_2016_summary.txt").read_text(encoding="utf-8")
    cut = page.rstrip("\n").removesuffix(" is inadequate.")
    report = import_text(cut + "\n", "cut.txt").report
    assert report.pillars[0].truncated is Truncation.MID_SENTENCE


def test_a_saved_pages_publication_line_reaches_the_report() -> None:
    from fixture_docs import blocks_of, html_page

    from peelcli.reading import to_text

    text = with_line_after_title(ASSESSMENT, "Published on: 12 March 2025")
    page = html_page(blocks_of(text)).encode()
    document = to_text(page, "page.html")
    report = import_text(document.text, "page.html").report
    assert report.published == "2025-03-12"


def test_import_takes_published_on_the_command_line(peel: Run, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(ASSESSMENT, encoding="utf-8")
    result = peel("import", str(path), "--published", "12 March 2025")
    assert result.returncode == 0, result.stderr
    assert "published: '2025-03-12'" in result.stdout
    assert "published_source: Given when imported, with --published." in result.stdout
    assert "due: '2025-09-12'" in result.stdout
    bad = peel("import", str(path), "--published", "soon")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "peel: error: --published 'soon' is not a date; give it as 2017-03-02, '2 March 2017' "
        "or, for a month, 'March 2017'"
    ]
