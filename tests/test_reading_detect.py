"""peelcli.reading: a file's form told by its content, and text passed through untouched."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import pytest
from conftest import SOURCE_TEXT
from fixture_docs import EXAMPLESHIRE, hand_pdf, paragraphs, pdf_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcli.dataset.files import decode
from peelcli.errors import PeelError
from peelcli.reading import Document, blocks_to_document, to_text
from peelcli.reading.detect import sniff


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\x00" * 1000 + b"%PDF-1.4\n", "pdf"),  # a header after other data, as the spec allows
        (b"<!DOCTYPE html>\n<html lang='en'>", "html"),
        (b"<!doctype HTML><title>x</title>", "html"),
        (b"\n\n   <html><body><p>x</p></body></html>", "html"),
        (b"<!-- saved from url=(0014)about:internet -->\n<html>", "html"),
        (b"\xef\xbb\xbf<!DOCTYPE html>", "html"),
        ("<!DOCTYPE html><html>".encode("utf-16"), "html"),
        (b"<p>A fragment of a page</p>", "html"),
        (b"Metropolitan PEEL 2016\nEffectiveness\n", "text"),
        (b"<3 from a report about <policing>\n", "text"),
        (b"Report\n<html> written in the text\n", "text"),
        (b"\x00" * 1100 + b"%PDF-1.4\n", "text"),
        (b"", "text"),
    ],
)
def test_the_form_is_told_by_content(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_a_pdf_named_as_text_is_read_as_a_pdf() -> None:
    pdf = hand_pdf([paragraphs(["Exampleshire PEEL 2023", "Text."])])
    document = to_text(pdf, "report.txt")
    assert document.kind == "pdf"
    assert document.text == "Exampleshire PEEL 2023\n\nText.\n"


@pytest.mark.parametrize(
    "data",
    [
        SOURCE_TEXT.read_bytes(),
        b"\xef\xbb\xbfTitle PEEL 2016\r\nEffectiveness\r\n\r\n  spaced  line \n",
        b"",
    ],
    ids=["the shipped text", "BOM and CRLF", "empty"],
)
def test_text_passes_through_as_the_loader_decodes_it(data: bytes) -> None:
    document = to_text(data, "report.txt")
    assert document == Document("text", decode(data, "report.txt"))
    assert document.place(1) is None


def test_binary_junk_is_refused_as_text_in_one_line() -> None:
    junk = bytes(range(256)) * 4
    with pytest.raises(PeelError) as caught:
        to_text(junk, "junk.bin")
    assert str(caught.value) == "junk.bin:2:118: is not UTF-8 text (byte 0x80); save it as UTF-8"


def test_blocks_make_lines_with_an_empty_line_between() -> None:
    document = blocks_to_document("pdf", [("Title", "page 1", 1), ("Text.", "pages 1–2", None)])
    assert document.text == "Title\n\nText.\n"
    assert document.lines == ["Title", "", "Text.", ""]
    assert [document.place(n) for n in range(0, 6)] == [
        None,
        "page 1",
        None,
        "pages 1–2",
        None,
        None,
    ]
    assert document.headings == {1: 1}


def test_no_other_command_pays_for_the_parsers() -> None:
    # Reading a text file, and loading the CLI, must not import the HTML and PDF parsers.
    code = (
        "import sys, peelcli.cli, peelcli.reading, peelcli.reading.detect\n"
        "from peelcli.reading import to_text\n"
        "to_text(b'Metropolitan PEEL 2016', 'r.txt')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('selectolax', 'pypdfium2')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- anything in: a document or a PeelError out, and soon --------------------------------

HTML_PIECES = (
    "<p>", "</p>", "<div>", "</div>", "<table>", "<tr>", "<td>", "<th>", "</td>", "</table>",
    "Good", "Requires improvement", "<ul>", "<ol>", "<li>", "</li>", "<nav>", "<main>",
    "<header>", "<article>", "<h2>", "</h2>", "<br>", "&amp;", "&#0;", "<script>", "<!--",
    "<a href='#x'>", "</a>", "Skip to content", "Last updated 02/03/2017", " ", "\n", "\0",
    "Effectiveness", "How effective is the force?", "<svg>", "<template>", "\ud7ff",
)  # fmt: skip


def outcome(data: bytes) -> None:
    # Not timed: a busy machine would fail it. Work in proportion to the input is counted
    # in test_reading_html.py and test_importer.py.
    try:
        document = to_text(data, "report")
    except PeelError as exc:
        assert str(exc).startswith("report")
    else:
        assert isinstance(document.text, str)
        assert len(document.places) in (0, len(document.lines) - 1)


@cache
def small_pdf() -> bytes:
    return pdf_of(EXAMPLESHIRE[:8], header="Exampleshire", contents=False).pdf


fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz
@given(st.binary(max_size=3000))
def test_any_bytes(data: bytes) -> None:
    outcome(data)


@fuzz
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=80))
def test_any_page_of_html_pieces(pieces: list[str]) -> None:
    outcome(("<!doctype html>" + "".join(pieces)).encode("utf-8", "surrogatepass"))


@fuzz
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_a_pdf_with_bytes_changed(changes: list[tuple[float, int]]) -> None:
    data = bytearray(small_pdf())
    for where, byte in changes:
        data[int(where * (len(data) - 1))] = byte
    outcome(bytes(data))


@fuzz
@given(st.integers(9, 4000))
def test_a_pdf_cut_short(length: int) -> None:
    outcome(small_pdf()[:length])


LAYOUT_WORDS = (
    "Good", "Adequate", "Requires improvement", "•", "-", "organ-", "ised", "2016", "12",
    "Page 3 of 9", "Contents", "........ 4", "anti-", "social", "The force", "is good.", "ﬁ",
    "1 A note.",
)  # fmt: skip
placed_text = st.tuples(
    st.sampled_from([72.0, 86.0, 160.0, 250.0, 340.0, 460.0]) | st.floats(0, 590),
    st.sampled_from([770.0 - 14 * n for n in range(50)]) | st.floats(0, 842),
    st.lists(st.sampled_from(LAYOUT_WORDS), min_size=1, max_size=6).map(" ".join),
    st.sampled_from([7.0, 9.0, 10.5, 13.0, 22.0]),
    st.sampled_from(["Helvetica", "Helvetica-Bold"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(placed_text, max_size=30), min_size=1, max_size=3))
def test_any_layout_of_report_pieces(
    pages: list[list[tuple[float, float, str, float, str]]],
) -> None:
    outcome(hand_pdf(pages))
