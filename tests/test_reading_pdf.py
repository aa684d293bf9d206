"""peelcli.reading.pdf: a published PDF to the importer's text, its page furniture gone."""

from __future__ import annotations

import io
import re
from collections import Counter
from functools import cache

import pytest
from fixture_docs import (
    BODY,
    EXAMPLESHIRE,
    LEFT,
    SHIPPED_NOTES,
    TOP,
    LaidOut,
    body_lines,
    exampleshire_lines,
    hand_pdf,
    normalised_lines,
    paragraphs,
    pdf_of,
    shipped_pdf,
    shipped_text,
)
from reportlab.pdfgen.canvas import Canvas

from peelcli.errors import PeelError
from peelcli.reading import Document, to_text
from peelcli.reading.pdf_furniture import strip_glued_markers
from peelcli.reading.pdf_paragraphs import hyphen_kept


@cache
def shipped() -> tuple[LaidOut, Document]:
    laid = shipped_pdf()
    return laid, to_text(laid.pdf, "metropolitan.pdf")


def lines_of(pdf: bytes) -> list[str]:
    return normalised_lines(to_text(pdf, "report.pdf").text)


# --- the shipped report ---------------------------------------------------------------


def test_the_fixture_puts_every_hard_case_in_the_pdf() -> None:
    laid, _ = shipped()
    assert laid.pages >= 5
    assert laid.split_paragraphs, "no paragraph runs from one page onto the next"
    assert any(not h.split("|")[0].rstrip("-").count("-") for h in laid.hyphenated)
    assert any(h.split("|")[0].count("-") for h in laid.hyphenated), "no real hyphen at a line end"
    assert len(laid.footnotes) == len(SHIPPED_NOTES)


def test_the_shipped_report_reads_as_its_text() -> None:
    _, document = shipped()
    assert document.kind == "pdf"
    assert normalised_lines(document.text) == normalised_lines(shipped_text())


def test_blocks_are_separated_by_empty_lines() -> None:
    _, document = shipped()
    lines = document.lines
    assert lines[-1] == ""
    assert all(line == "" for line in lines[1:-1:2])
    assert all(line != "" for line in lines[0::2][:-1])


def test_no_furniture_is_left() -> None:
    _, document = shipped()
    text = document.text
    for furniture in ("Page 2 of", "– Effectiveness", "Contents", "....", "HMIC | PEEL"):
        assert furniture not in text
    for note in SHIPPED_NOTES.values():
        assert note not in text
    assert "victims1" not in text and "victims." in text


def test_each_line_names_its_page() -> None:
    laid, document = shipped()
    assert document.place(1) == "page 1"
    assert document.place(2) is None  # the empty line between blocks
    for split in laid.split_paragraphs:
        number = next(
            n
            for n, line in enumerate(document.lines, 1)
            if line.removeprefix("- ").startswith(split)
        )
        place = document.place(number)
        assert place is not None and re.fullmatch(r"pages (\d+)–(\d+)", place), place
        first, last = map(int, place[6:].split("–"))
        assert last == first + 1
    places = [p for p in document.places if p]
    assert all(re.fullmatch(r"pages? \d+(–\d+)?", p) for p in places)
    assert "page 2" not in places  # the contents page gives no line


def test_headings_keep_their_levels() -> None:
    _, document = shipped()
    levels = {document.lines[n - 1]: level for n, level in document.headings.items()}
    assert levels["Metropolitan PEEL 2016"] == 1
    assert levels["Effectiveness"] == 2
    assert levels["How effective are the force’s specialist capabilities?"] == 3
    assert levels["Areas for improvement"] == 4
    assert not any(line.startswith("- ") for line in levels)


# --- a fictional 2021+ report ---------------------------------------------------------


def test_a_fictional_area_report_reads_with_its_grade_table() -> None:
    laid = pdf_of(
        EXAMPLESHIRE,
        footer="Exampleshire Police PEEL 2023–25 (a fictional report)",
        page_numbers="bare",
    )
    assert laid.pages >= 3
    assert lines_of(laid.pdf) == exampleshire_lines()


# --- one rule at a time ---------------------------------------------------------------


def repeated_on(pages: int, furniture: list[tuple[float, float, str]], body: list[str]) -> bytes:
    return hand_pdf(
        [
            [*((x, y, text.replace("#", str(n))) for x, y, text in furniture), *body_lines([b])]
            for n, b in enumerate(body, 1)
        ]
    )


BODY_PAGES = [f"Paragraph {word} stands alone." for word in ("one", "two", "three", "four")]


@pytest.mark.parametrize(
    "furniture",
    [
        [(LEFT, 805, "Bedfordshire PEEL 2016 – Efficiency")],
        [(LEFT, 40, "HMIC | PEEL: Police efficiency 2016")],
        [(300, 40, "#")],
        [(450, 40, "Page # of 4")],
        [(LEFT, 805, "Page #")],
    ],
    ids=["header", "footer", "bare page number", "page of pages", "page number on top"],
)
def test_running_headers_footers_and_page_numbers_are_dropped(
    furniture: list[tuple[float, float, str]],
) -> None:
    assert lines_of(repeated_on(4, furniture, BODY_PAGES)) == BODY_PAGES


def test_a_year_alone_at_the_foot_of_a_page_is_not_a_page_number() -> None:
    pdf = hand_pdf([paragraphs(["Crimes recorded, by year:", "2016"])])
    assert lines_of(pdf) == ["Crimes recorded, by year:", "2016"]


def test_a_pdf_of_furniture_alone_is_refused() -> None:
    pdf = hand_pdf([[(300, 40, str(n)), (LEFT, 805, "Exampleshire PEEL")] for n in (1, 2, 3)])
    assert one_line_error(pdf) == "report.pdf: is a PDF with no text besides page furniture"


def test_a_line_repeated_on_few_pages_is_kept() -> None:
    pages = [paragraphs(["Areas for improvement", text]) for text in BODY_PAGES[:1]]
    pages += [[*body_lines([text])] for text in BODY_PAGES[1:]]
    assert lines_of(hand_pdf(pages)) == ["Areas for improvement", *BODY_PAGES]


def test_a_contents_page_is_dropped() -> None:
    contents = [
        (LEFT, TOP, "Contents", 16, "Helvetica-Bold"),
        *body_lines(
            [
                "Overall summary ......................................... 3",
                "Investigating crime . . . . . . . . . . . . . . . . . . . 5",
                "Protecting vulnerable people ............................ 9",
            ],
            top=TOP - 30,
        ),
    ]
    pdf = hand_pdf([[(LEFT, TOP, "Exampleshire PEEL 2023")], contents, paragraphs(BODY_PAGES)])
    assert lines_of(pdf) == ["Exampleshire PEEL 2023", *BODY_PAGES]


def test_a_contents_page_without_dot_leaders_is_dropped() -> None:
    entries = ["Overall summary", "Investigating crime", "Protecting vulnerable people"]
    contents = [(LEFT, TOP, "Contents", 16, "Helvetica-Bold")]
    for n, entry in enumerate(entries, 1):
        contents += [(LEFT, TOP - 30 - 20 * n, entry), (500, TOP - 30 - 20 * n, str(n + 2))]
    pdf = hand_pdf([[(LEFT, TOP, "Exampleshire PEEL 2023")], contents, paragraphs(BODY_PAGES)])
    assert lines_of(pdf) == ["Exampleshire PEEL 2023", *BODY_PAGES]


def test_a_table_of_numbers_is_not_a_contents_page() -> None:
    rows = [("Officers", "312"), ("Staff", "120"), ("Volunteers", "45")]
    page = [
        (x, TOP - 20 * n, text)
        for n, row in enumerate(rows)
        for x, text in zip((LEFT, 400), row, strict=True)
    ]
    assert lines_of(hand_pdf([page])) == ["Officers 312", "Staff 120", "Volunteers 45"]


def test_a_paragraph_runs_on_across_a_page_and_a_hyphen() -> None:
    pdf = hand_pdf(
        [
            body_lines(["The force works well with its partners and has organ-"]),
            body_lines(["ised its teams well. A second sentence."]),
        ]
    )
    assert lines_of(pdf) == [
        "The force works well with its partners and has organised its teams well. "
        "A second sentence."
    ]


def test_a_page_that_ends_a_sentence_ends_the_paragraph() -> None:
    pdf = hand_pdf([body_lines(["The first paragraph ends here."]), body_lines(["A new one."])])
    assert lines_of(pdf) == ["The first paragraph ends here.", "A new one."]


def test_a_wider_gap_starts_a_paragraph() -> None:
    lines = body_lines(["First line of one", "paragraph."])
    pdf = hand_pdf([lines + paragraphs(["Second paragraph."], top=lines[-1][1] - BODY[2] - 8)])
    assert lines_of(pdf) == ["First line of one paragraph.", "Second paragraph."]


def test_list_items_and_their_continuation_lines() -> None:
    y = TOP
    page = [
        (LEFT, y, "The force should:"),
        (LEFT, y - 22, "•"),
        (LEFT + 14, y - 22, "make sure that call handlers check"),
        (LEFT + 14, y - 36, "each address;"),
        (LEFT, y - 50, "•"),
        (LEFT + 14, y - 50, "review cases weekly."),
    ]
    assert lines_of(hand_pdf([page])) == [
        "The force should:",
        "- make sure that call handlers check each address;",
        "- review cases weekly.",
    ]


def test_a_row_of_area_and_grade_is_a_grade_line() -> None:
    page = [
        (LEFT, TOP, "Investigating crime"),
        (LEFT + 260, TOP, "Requires improvement"),
        (LEFT, TOP - 20, "Two cells far apart"),
        (LEFT + 260, TOP - 20, "but no grade"),
    ]
    assert lines_of(hand_pdf([page])) == [
        "Investigating crime: Requires improvement",
        "Two cells far apart but no grade",
    ]


GRADE_COLUMNS = [
    (LEFT, "Outstanding"),
    (160, "Good"),
    (250, "Adequate"),
    (340, "Requires improvement"),
    (460, "Inadequate"),
]
# Each area: its column and its lines (a name may wrap), set at 9 points from the top down.
COLUMN_AREAS = [
    (1, ["Investigating crime"]),
    (1, ["Responding to the", "public"]),
    (2, ["Protecting", "vulnerable people"]),
    (3, ["Recording data", "about crime"]),
]
GRADE_COLUMN_LINES = [
    "Investigating crime: Good",
    "Responding to the public: Good",
    "Protecting vulnerable people: Adequate",
    "Recording data about crime: Requires improvement",
]


def grade_column_page(column_by_column: bool) -> list[tuple[float, float, str, float, str]]:
    page = [(LEFT, TOP, "Our judgments", 13, "Helvetica-Bold")]
    page += [(x, TOP - 30, grade, 9, "Helvetica-Bold") for x, grade in GRADE_COLUMNS]
    cells: dict[int, list[tuple[float, float, str, float, str]]] = {}
    for column, name in COLUMN_AREAS:
        placed = cells.setdefault(column, [])
        y = placed[-1][1] - 18 if placed else TOP - 50
        for part in name:
            placed.append((GRADE_COLUMNS[column][0], y, part, 9, "Helvetica"))
            y -= 11
    if column_by_column:
        page += [cell for column in sorted(cells) for cell in cells[column]]
    else:
        page += sorted((c for column in cells.values() for c in column), key=lambda c: -c[1])
    page += [(LEFT, TOP - 140, "The force is good at investigating crime and at responding to the")]
    page += [(LEFT, TOP - 154, "public, and it records data about crime well.")]
    return page


@pytest.mark.parametrize("column_by_column", [False, True], ids=["row by row", "column by column"])
def test_a_table_of_grade_columns_gives_a_line_for_each_area(column_by_column: bool) -> None:
    pdf = hand_pdf([grade_column_page(column_by_column)])
    assert lines_of(pdf) == [
        "Our judgments",
        *GRADE_COLUMN_LINES,
        "The force is good at investigating crime and at responding to the public, and it "
        "records data about crime well.",
    ]


def test_grades_side_by_side_with_nothing_under_them_stay_text() -> None:
    page = [(LEFT, TOP, "Good"), (300, TOP, "Adequate"), *paragraphs(["After."], top=TOP - 30)]
    assert lines_of(hand_pdf([page])) == ["Good Adequate", "After."]


def test_footnote_markers_set_raised_and_glued_as_text_are_dropped() -> None:

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    text = canvas.beginText(LEFT, TOP)
    text.setFont(BODY[0], BODY[1])
    text.textOut("Raised after 2016")
    text.setFont(BODY[0], 7)
    text.setRise(4)
    text.textOut("1")
    text.setRise(0)
    text.setFont(BODY[0], BODY[1])
    text.textOut(" and after a word")
    text.setFont(BODY[0], 7)
    text.setRise(4)
    text.textOut("12")
    text.setRise(0)
    text.setFont(BODY[0], BODY[1])
    text.textOut(".")
    canvas.drawText(text)
    canvas.setFont(BODY[0], BODY[1])
    canvas.drawString(LEFT, TOP - 22, "Glued in 20162 and to support3. Level 4 stays.")
    canvas.setFont(BODY[0], 7)
    for n, (number, note) in enumerate(
        [(1, "A note."), (2, "Another."), (3, "A third,"), (12, "x")]
    ):
        canvas.drawString(LEFT, 100 - 9 * n, f"{number} {note}")
    canvas.drawString(LEFT, 100 - 36, "which runs on.")
    canvas.showPage()
    canvas.save()
    assert lines_of(buffer.getvalue()) == [
        "Raised after 2016 and after a word.",
        "Glued in 2016 and to support. Level 4 stays.",
    ]


def test_a_raised_marker_is_dropped_where_its_note_is_elsewhere() -> None:
    # Endnotes: the page has no footnote to match the marker by, only its raised setting.

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    text = canvas.beginText(LEFT, TOP)
    text.setFont(BODY[0], BODY[1])
    text.textOut("The force supports victims")
    text.setFont(BODY[0], 7)
    text.setRise(4)
    text.textOut("14")
    text.setRise(0)
    text.setFont(BODY[0], BODY[1])
    text.textOut(" well, and Level 3 stays.")
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    assert lines_of(buffer.getvalue()) == ["The force supports victims well, and Level 3 stays."]


def test_ligatures_read_as_their_letters() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # shipped with reportlab
    # Vera has no ﬀ glyph: PDFium gives the missing glyph as U+0000, which goes too.
    pdf = hand_pdf([[(LEFT, TOP, "The ﬁnal ﬂow of ﬀ", BODY[1], "Vera")]])
    assert lines_of(pdf) == ["The final flow of"]


# --- hyphens and footnote markers as text ---------------------------------------------


def _joined(head: str, tail: str, vocabulary: Counter[str], keep_by_default: bool = False) -> str:
    """Two lines as the reader joins them: the line-end hyphen kept or the word rejoined."""
    start = head[:-1]  # every head here ends in one hyphen
    kept = hyphen_kept(head, tail, vocabulary, keep_by_default)
    return f"{start}-{tail}" if kept else f"{start}{tail}"


@pytest.mark.parametrize(
    ("head", "tail", "vocabulary", "joined"),
    [
        ("has organ-", "ised it", {}, "has organised it"),
        (
            "tackling anti-",
            "social behaviour",
            {"anti-social": 2},
            "tackling anti-social behaviour",
        ),
        ("and anti-", "social", {"anti-social": 1, "antisocial": 1}, "and anti-social"),
        ("re-", "offending", {"reoffending": 1}, "reoffending"),
        ("non-", "English speakers", {}, "non-English speakers"),
        ("by mid-", "2016", {}, "by mid-2016"),
        ("ends in a soft hyphen\x02", "no", {}, "ends in a soft hyphenno"),
        ("pages 10-", "12 and", {}, "pages 10-12 and"),
        # A compound written once and broken at its hyphen cannot be told from a typeset
        # break without a dictionary: the document's other breaks decide (see below).
        ("uses police-", "generated data", {}, "uses policegenerated data"),
    ],
)
def test_a_word_broken_at_a_line_end(
    head: str, tail: str, vocabulary: dict[str, int], joined: str
) -> None:
    assert _joined(head, tail, Counter(vocabulary)) == joined


def test_a_break_the_document_cannot_settle_follows_the_default() -> None:
    vocabulary: Counter[str] = Counter()
    assert _joined("police-", "generated", vocabulary) == "policegenerated"
    kept = _joined("police-", "generated", vocabulary, keep_by_default=True)
    assert kept == "police-generated"
    evidence = Counter({"organised": 1})
    assert _joined("organ-", "ised", evidence, keep_by_default=True) == "organised"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            # No word is hyphenated by the typesetter: the one break it settles keeps its
            # hyphen, so the break it cannot settle keeps its hyphen too.
            ["The force tackles anti-", "social behaviour with police-", "generated data."],
            "The force tackles anti-social behaviour with police-generated data.",
        ),
        (
            # The typesetter hyphenates: a settled break lost its hyphen, so the other does.
            ["The force has organ-", "ised its teams; it uses police-", "generated data."],
            "The force has organised its teams; it uses policegenerated data.",
        ),
    ],
    ids=["hyphenation off", "hyphenation on"],
)
def test_the_documents_own_breaks_decide_the_unsettled_ones(
    lines: list[str], expected: str
) -> None:
    settles = "Anti-social behaviour is down." if "anti-" in lines[0] else "It is organised."
    pdf = hand_pdf([body_lines(lines) + paragraphs([settles], top=TOP - 4 * BODY[2])])
    assert lines_of(pdf) == [expected, settles]


@pytest.mark.parametrize(
    ("text", "numbers", "expected"),
    [
        ("made in 20162 and", {"2"}, "made in 2016 and"),
        ("to support3.", {"3"}, "to support."),
        ("the force’s12 plan", {"12"}, "the force’s plan"),
        ("made in 20162 and", {"5"}, "made in 20162 and"),
        ("to support3.", set(), "to support3."),
        ("in 2016 and Level 3 and PEEL 2", {"2", "3"}, "in 2016 and Level 3 and PEEL 2"),
    ],
)
def test_footnote_numbers_glued_to_words(text: str, numbers: set[str], expected: str) -> None:
    assert strip_glued_markers(text, numbers) == expected


# --- what cannot be read --------------------------------------------------------------


def one_line_error(data: bytes) -> str:
    with pytest.raises(PeelError) as caught:
        to_text(data, "report.pdf")
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_a_damaged_pdf_is_refused() -> None:
    whole = shipped()[0].pdf
    expected = "report.pdf: is a damaged or incomplete PDF that cannot be opened; download it again"
    assert one_line_error(whole[: len(whole) // 2]) == expected
    assert one_line_error(b"%PDF-1.7\n" + bytes(range(256)) * 8) == expected


def test_an_encrypted_pdf_is_refused() -> None:
    pdf = hand_pdf([body_lines(["Secret text."])], password="secret")
    assert one_line_error(pdf) == (
        "report.pdf: is an encrypted PDF that needs a password; save a copy without one "
        "and import it"
    )


def test_a_pdf_locked_only_against_changes_is_read() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = StandardEncryption("", ownerPassword="owner", canModify=0, canCopy=0)
    pdf = hand_pdf([paragraphs(["Exampleshire PEEL 2023", "Text."])], password=locked)
    assert b"/Encrypt" in pdf
    assert lines_of(pdf) == ["Exampleshire PEEL 2023", "Text."]


def test_a_pdf_with_no_text_is_refused() -> None:
    assert one_line_error(hand_pdf([[], []])) == (
        "report.pdf: is a PDF with no text layer (a scan?); peel reads PDFs whose text can "
        "be selected: run it through OCR first"
    )


def test_a_contents_page_is_kept_as_names_an_entry_over_two_lines_as_one() -> None:
    dots = " " + "." * 40
    entries = [
        "Overall summary" + dots + " 3",
        "Strategic planning, organisational management and",
        "value for money" + dots + " 4",
        "Investigating crime" + dots + " 5",
    ]
    pdf = hand_pdf(
        [
            [(LEFT, TOP, "Northmoor PEEL 2023–25", 22.0, "Helvetica-Bold")],
            [
                (LEFT, TOP, "Contents", 16.0, "Helvetica-Bold"),
                *body_lines(entries, top=TOP - 30, gap=4),
            ],
            body_lines(["The force is good."]),
        ]
    )
    document = to_text(pdf, "report.pdf")
    assert document.contents == (
        "Overall summary",
        "Strategic planning, organisational management and value for money",
        "Investigating crime",
    )
    assert "value for money" not in document.text
