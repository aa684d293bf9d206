"""peelcli.reading.html: a saved web page to the importer's text, the site around it gone."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fixture_docs import (
    EXAMPLESHIRE,
    blocks_of,
    exampleshire_lines,
    html_page,
    normalised_lines,
    shipped_text,
)

from peelcli.errors import PeelError
from peelcli.importer.areas import AREA_NAMES
from peelcli.reading import to_text
from peelcli.reading.html import read_html
from peelcli.reading.limits import Limits

KEPT = "<p>The force is good at investigating crime.</p>"


def lines_of(page: str | bytes) -> list[str]:
    data = page.encode() if isinstance(page, str) else page
    document = to_text(data, "report.html")
    assert document.kind == "html"
    return normalised_lines(document.text)


def body(content: str) -> str:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{content}</body></html>"


# --- whole reports ----------------------------------------------------------------------


@pytest.mark.parametrize("furniture", [True, False], ids=["in the site", "bare"])
def test_the_shipped_report_reads_as_its_text(furniture: bool) -> None:
    page = html_page(blocks_of(shipped_text()), furniture=furniture)
    assert lines_of(page) == normalised_lines(shipped_text())


def test_the_site_furniture_is_really_in_the_page() -> None:
    page = html_page(blocks_of(shipped_text()))
    for furniture in ("Skip to content", "Last updated", "cookies", "Share on", "Back to top"):
        assert furniture in page


def test_a_fictional_area_report_reads_with_its_grade_table() -> None:
    assert lines_of(html_page(EXAMPLESHIRE)) == exampleshire_lines()


def test_headings_keep_their_levels_and_lines_their_element() -> None:
    document = to_text(html_page(blocks_of(shipped_text())).encode(), "report.html")
    lines = document.lines
    levels = {lines[n - 1]: level for n, level in document.headings.items()}
    assert levels["Metropolitan PEEL 2016"] == 1
    assert levels["Effectiveness"] == 2
    assert levels["How effective are the force’s specialist capabilities?"] == 3
    assert levels["Areas for improvement"] == 4
    assert document.place(1) == "<h1>"
    assert document.place(2) is None
    item = next(n for n, line in enumerate(lines, 1) if line.startswith("- "))
    assert document.place(item) == "<li> after “Areas for improvement”"
    table = to_text(html_page(EXAMPLESHIRE).encode(), "report.html")
    row = table.lines.index("Investigating crime: Good") + 1
    assert table.place(row) == "<tr> after “Our judgments”"


# --- furniture, one rule at a time ------------------------------------------------------


@pytest.mark.parametrize(
    "furniture",
    [
        '<a href="#main">Skip to content</a>',
        "<p>Skip to main content</p>",
        "<nav><ul><li><a href='/'>Home</a></li><li>PEEL</li></ul></nav>",
        "<header><a href='/'>HMICFRS</a><p>Justice inspectorates</p></header>",
        "<footer><p>© Crown copyright</p></footer>",
        "<div role='navigation'><p>Home</p></div>",
        "<div role='banner'><p>HMICFRS</p></div>",
        "<div id='global-cookie-message'><p>We use cookies on this site.</p></div>",
        "<div class='consultation-banner'><p>Have your say on PEEL.</p></div>",
        "<p>Last updated 02/03/2017</p>",
        "<p>Last updated: 2 March 2017</p>",
        "<h2>Contents</h2>",
        "<p><a href='#'>Print this document</a></p>",
        "<ul><li><a href='#'>Share on Twitter</a></li><li><a href='#'>Email</a></li></ul>",
        "<div class='share-this'><p>Tell a friend about this page</p></div>",
        "<p><a href='#top'>Back to top</a></p>",
        "<p><a href='#top'>Back to top ↑</a></p>",
        "<p><a href='#top'>↑ Back to top</a></p>",
        "<p><a href='#'>Share this page</a> <a href='#'>Print this page</a></p>",
        "<p><a href='#'>Contents</a></p>",
        "<div class='govuk-breadcrumbs'><ol><li>Home</li></ol></div>",
        "<div class='report share-links'><p>Tell others about this report</p></div>",
        "<a class='govuk-back-to-top' href='#top'>Top</a>",
        "<ol class='breadcrumbs'><li>Home</li><li>Publications</li></ol>",
        "<aside><h2>Related</h2><p>PEEL 2015</p></aside>",
        "<script>var x = '<p>not text</p>';</script><style>p { color: red }</style>",
        "<form><label>Search</label><input name='q'><button>Go</button></form>",
        "<p hidden>Hidden text</p>",
        "<p aria-hidden='true'>Hidden text</p>",
        "<p style='display: none'>Hidden text</p>",
        "<noscript><p>Turn on JavaScript</p></noscript>",
        "<ul><li><a href='#summary'>Overall summary</a></li><li><a href='#ic'>Investigating "
        "crime</a></li></ul>",
        "<div class='toc'><p>On this page</p></div>",
    ],
)
def test_furniture_is_dropped(furniture: str) -> None:
    assert lines_of(body(furniture + KEPT)) == ["The force is good at investigating crime."]


@pytest.mark.parametrize(
    "text",
    [
        "Last updated guidance on stop and search was issued in 2015.",
        "Share information with partners routinely.",
        "The force should email victims within a day.",
        "Published research on domestic abuse informs its approach.",
        # The page's date of publication: the import records it as the report's.
        "Published: February 2016",
        "Published on: 10 March 2022",
        "Contents of the force’s plan were not shared.",
    ],
)
def test_report_text_that_mentions_furniture_words_is_kept(text: str) -> None:
    assert lines_of(body(f"<p>{text}</p>")) == [text]


@pytest.mark.parametrize("line", ["Published: February 2016", "Published on: 10 March 2022"])
def test_a_publication_date_is_kept_for_the_importer(line: str) -> None:
    assert lines_of(body(f"<p>{line}</p>" + KEPT)) == [
        line,
        "The force is good at investigating crime.",
    ]


# Every area a PEEL assessment has graded or reported on, 2021/22, 2023–25 and 2025–27:
# sections take their ids from these names, and their words ("social", "share", "public")
# are no sign of furniture.
AREAS = sorted(set(AREA_NAMES))


def _slug(name: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9\s-]", " ", name.casefold()).split())


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("attribute", ["id", "class"])
def test_a_section_named_by_its_area_is_report_text(area: str, attribute: str) -> None:
    slug = _slug(area)
    page = body(
        f"<main><h1>PEEL 2023–25: An inspection of Northmoor Police</h1>"
        f"<section {attribute}='{slug}'><h2>{area}</h2>{KEPT}"
        f"<div {attribute}='{slug}-summary'><p>Its findings.</p></div></section></main>"
    )
    assert lines_of(page) == [
        "PEEL 2023–25: An inspection of Northmoor Police",
        area,
        "The force is good at investigating crime.",
        "Its findings.",
    ]


def test_the_area_names_tested_include_the_one_a_substring_took_for_furniture() -> None:
    assert "preventing-crime-and-anti-social-behaviour" in [_slug(area) for area in AREAS]


def test_the_pages_own_contents_is_dropped_however_nested() -> None:
    page = body(
        "<ol><li><a href='#s'>Summary</a></li><li><a href='#a'>Areas</a><ol>"
        "<li><a href='#a1'>Investigating crime</a></li></ol></li></ol>" + KEPT
    )
    assert lines_of(page) == ["The force is good at investigating crime."]


def test_a_list_of_links_elsewhere_or_with_text_of_its_own_is_kept() -> None:
    page = body(
        "<ul><li><a href='/peel'>PEEL 2016</a></li></ul>"
        "<ul><li>See <a href='#annex'>the annex</a> for the data</li></ul>"
    )
    assert lines_of(page) == ["- PEEL 2016", "- See the annex for the data"]


def test_an_articles_own_header_is_kept_and_the_page_header_is_not() -> None:
    page = body(
        "<header><p>HMICFRS</p></header><main><article><header><h1>Bedfordshire PEEL 2016"
        "</h1></header><p>Text.</p></article></main><footer><p>Copyright</p></footer>"
    )
    assert lines_of(page) == ["Bedfordshire PEEL 2016", "Text."]


def test_a_title_set_above_main_is_the_reports_title() -> None:
    page = body(
        "<nav><h1>Menu</h1></nav><div class='page-title'><h1>Exampleshire PEEL 2023–25</h1>"
        "</div><main><h2>Overall summary</h2><p>Text.</p></main>"
    )
    document = to_text(page.encode(), "report.html")
    assert normalised_lines(document.text) == [
        "Exampleshire PEEL 2023–25",
        "Overall summary",
        "Text.",
    ]
    assert document.headings[1] == 1


def test_a_title_in_the_pages_header_is_the_reports_title() -> None:
    page = body(
        "<header><a href='/'>HMICFRS</a><h1>Exampleshire PEEL 2023–25</h1></header>"
        "<main><p>Text.</p></main><footer><h1>Footer</h1></footer>"
    )
    assert lines_of(page) == ["Exampleshire PEEL 2023–25", "Text."]


def test_a_heading_above_main_is_not_read_when_main_has_its_title() -> None:
    page = body("<div><h1>HMICFRS</h1></div><main><h1>Title</h1><p>Text.</p></main>")
    assert lines_of(page) == ["Title", "Text."]


def test_only_main_is_read_when_the_page_has_one() -> None:
    page = body("<p>Site text</p><main><h1>Title</h1><p>Text.</p></main><p>More site text</p>")
    assert lines_of(page) == ["Title", "Text."]


# --- blocks -----------------------------------------------------------------------------


def test_inline_markup_and_source_line_breaks_do_not_split_a_paragraph() -> None:
    page = body("<p>The force <em>is</em>\n   good at <a href='#'>keeping</a><br>people safe.</p>")
    assert lines_of(page) == ["The force is good at keeping people safe."]


def test_list_items_become_bulleted_lines() -> None:
    page = body(
        "<p>The force should:</p><ol><li><p>make sure</p><p>that it acts;</p></li>"
        "<li>review cases:<ul><li>weekly</li><li>in full</li></ul></li></ol><p>After.</p>"
    )
    assert lines_of(page) == [
        "The force should:",
        "- make sure that it acts;",
        "- review cases:",
        "- weekly",
        "- in full",
        "After.",
    ]


def test_h5_and_h6_are_paragraphs_and_divs_with_text_are_blocks() -> None:
    document = to_text(body("<h5>Note</h5><div>One<div>Two</div>Three</div>").encode(), "r")
    assert normalised_lines(document.text) == ["Note", "One", "Two", "Three"]
    assert document.headings == {}


# --- tables -----------------------------------------------------------------------------


def test_a_table_of_area_and_grade_rows() -> None:
    page = body(
        "<table><caption>Our judgments</caption><tr><th>Area</th><th>Grade</th></tr>"
        "<tr><td>Investigating crime</td><td><span>Good</span></td></tr>"
        "<tr><th scope='row'>Protecting vulnerable people</th><td>Requires improvement.</td></tr>"
        "</table>"
    )
    assert lines_of(page) == [
        "Our judgments",
        "Investigating crime: Good",
        "Protecting vulnerable people: Requires improvement",
    ]


def test_a_grade_shown_as_an_icon_is_read_by_its_alternative_text() -> None:
    page = body(
        "<table><tr><td>Investigating crime</td><td><img src='g.svg' alt='Good'></td></tr>"
        "<tr><td>Responding to the public</td><td><img src='a.svg' alt='Adequate'></td></tr>"
        "</table>"
    )
    assert lines_of(page) == ["Investigating crime: Good", "Responding to the public: Adequate"]


def test_a_table_with_a_column_for_each_grade() -> None:
    page = body(
        "<table><tr><th>Outstanding</th><th>Good</th><th>Adequate</th></tr>"
        "<tr><td></td><td>Investigating crime<br>Responding to the public</td>"
        "<td><p>Leadership and force management</p></td></tr></table>"
    )
    assert lines_of(page) == [
        "Investigating crime: Good",
        "Responding to the public: Good",
        "Leadership and force management: Adequate",
    ]


def test_any_other_table_gives_its_cells_joined() -> None:
    page = body(
        "<table><tr><th>Measure</th><th>2015</th><th>2016</th></tr>"
        "<tr><td>Crimes</td><td>1,200</td><td>1,100</td></tr>"
        "<tr><td>Good news</td><td>Good</td><td></td></tr></table>"
    )
    assert lines_of(page) == ["Measure | 2015 | 2016", "Crimes | 1,200 | 1,100", "Good news | Good"]


# --- bytes and errors -------------------------------------------------------------------


def test_a_page_in_its_declared_charset() -> None:
    page = "<html><head><meta charset='windows-1252'></head><body><p>Clare’s Law</p></body>"
    assert lines_of(page.encode("windows-1252")) == ["Clare’s Law"]


def test_a_page_with_a_byte_order_mark() -> None:
    assert lines_of(b"\xef\xbb\xbf" + body("<p>Clare’s Law</p>").encode()) == ["Clare’s Law"]
    assert lines_of(body("<p>Clare’s Law</p>").encode("utf-16")) == ["Clare’s Law"]


def test_control_characters_are_not_text() -> None:
    assert lines_of(body("<p>Bad\x01 \x1bbytes\x7f here\x00.</p>")) == ["Bad bytes here."]


def test_a_page_nested_deeper_than_python_recurses(monkeypatch: pytest.MonkeyPatch) -> None:
    # Deeper than peel reads untold (tests/test_reading_limits.py): with the limit raised.
    monkeypatch.setenv("PEEL_READ_DEPTH", "6000")
    page = body("<div>" * 5000 + "<p>Deep.</p>" + "</div>" * 5000)
    assert lines_of(page) == ["Deep."]


@pytest.mark.parametrize(
    ("opening", "closing", "expected"),
    [
        ("<table><tr><td>x", "</td></tr></table>", lambda depth: ["x " * (depth - 1) + "x"]),
        ("<ul><li><a href='#x'>x</a>", "</li></ul>", lambda depth: []),
        ("<ul><li>item", "</li></ul>", lambda depth: ["- item"] * depth),
    ],
    ids=["tables", "contents lists", "lists"],
)
def test_structures_nested_deep_are_read_in_work_in_proportion(
    monkeypatch: pytest.MonkeyPatch,
    opening: str,
    closing: str,
    expected: Callable[[int], list[str]],
) -> None:
    from work import counted

    # Each element is visited a bounded number of times: nesting costs no square of it.
    # Counted, not timed, so that a busy machine does not fail it; read in this process,
    # where the work is seen, with the limit on depth raised.
    deep = Limits(depth=20_000)

    def read(depth: int) -> int:
        page = body(opening * depth + closing * depth + KEPT)
        with counted(monkeypatch, "peelcli.") as work:
            lines = normalised_lines(read_html(page.encode(), "report.html", deep).text)
        assert lines == [*expected(depth), "The force is good at investigating crime."]
        return work.total

    read(10)  # what the first page loads is not counted
    once, twice = read(3000), read(6000)
    assert twice <= 2.1 * once, (once, twice)


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><head><title>Report</title></head></html>",
        body("<nav><p>Home</p></nav><script>x()</script>"),
        body("   "),
    ],
)
def test_a_page_with_no_report_text_is_refused(page: str) -> None:
    with pytest.raises(PeelError) as caught:
        to_text(page.encode(), "report.html")
    assert str(caught.value) == (
        "report.html: is a web page with no report text in its body; save the report's page itself"
    )


# --- what is left out is named -------------------------------------------------------------


def test_each_block_left_out_inside_the_report_is_named_with_why() -> None:
    page = body(
        "<main><h1>Kent PEEL 2016</h1><p>Kept text.</p>"
        "<div class='share-links'><p>Share on Twitter</p></div>"
        "<p hidden>A paragraph the page hides.</p>"
        "<p><a href='#top'>Back to top ↑</a></p>"
        "<script>var x = 1;</script></main>"
    )
    document = to_text(page.encode(), "report.html")
    assert document.dropped_notes("report.html") == [
        "report.html (<div> after “Kent PEEL 2016”): dropped: class share-links — “Share on "
        "Twitter”",
        "report.html (<p> after “Kent PEEL 2016”): dropped: hidden — “A paragraph the page hides.”",
        "report.html (<p> after “Kent PEEL 2016”): dropped: site furniture — “Back to top ↑”",
    ]


def test_explain_names_the_blocks_left_out(cli: Callable[..., object], tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "page.html"
    path.write_text(
        body(
            "<main><h1>Kent PEEL 2016</h1><h2>Effectiveness</h2>"
            "<h3>How effective is the force at preventing crime?</h3>"
            "<p>Kent Police is good at preventing crime, says HMIC.</p>"
            "<section class='feedback'><p>Was this page useful?</p></section></main>"
        ),
        encoding="utf-8",
    )
    result = cli("import", str(path), "--explain")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert (
        f"peel: explain: {path} (<section> after “How effective is the force at preventin…”): "
        "dropped: "
        "class feedback — “Was this page useful?”"
    ) in result.stderr.splitlines()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("token", "furniture"),
    [
        ("social", True),
        ("share", True),
        ("govuk-breadcrumbs", True),
        ("toc", True),
        ("social-care", False),
        ("anti-social-behaviour", False),
        ("shared-services", False),
        ("consultation-response", False),
        ("tocs", False),
        ("report-contents-of-area", False),
    ],
)
@pytest.mark.parametrize("attribute", ["class", "id"])
def test_a_token_equal_to_a_furniture_name_is_furniture_and_one_containing_it_is_not(
    token: str, furniture: bool, attribute: str
) -> None:
    page = body(f"<main><h1>Kent PEEL 2016</h1><div {attribute}='x {token}'>{KEPT}</div></main>")
    kept = (
        ["Kent PEEL 2016"]
        if furniture
        else ["Kent PEEL 2016", "The force is good at investigating crime."]
    )
    assert lines_of(page) == kept
