"""Documents made for the reading tests: a report's text laid out as a PDF or a saved web page.

The PDF is set line by line on a reportlab canvas, so that each thing a reader must undo is
there on purpose and recorded: running headers and footers, page numbers, a contents page with
dot leaders, footnote markers, words hyphenated at line ends, paragraphs split across pages.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from conftest import SOURCE_TEXT

GRADES = ("outstanding", "good", "adequate", "requires improvement", "inadequate")


@dataclass(frozen=True)
class Block:
    """One block of a report: title, heading (level 1-4), paragraph, item or grade table."""

    kind: str
    text: str = ""
    level: int = 2
    rows: tuple[tuple[str, str], ...] = ()


def shipped_text() -> str:
    return SOURCE_TEXT.read_text(encoding="utf-8")


def normalised_lines(text: str) -> list[str]:
    """The non-blank lines of a text, each with its whitespace runs made one space."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


_SECTION_HEADINGS = {"Areas for improvement", "Cause of concern", "Recommendations"}


def blocks_of(text: str) -> list[Block]:
    """The shipped text's lines as blocks: its first line the title, questions as headings."""
    lines = normalised_lines(text)
    blocks = [Block("title", lines[0], level=1)]
    for line in lines[1:]:
        if line.startswith("- "):
            blocks.append(Block("item", line[2:]))
        elif line in ("Effectiveness", "Efficiency", "Legitimacy"):
            blocks.append(Block("heading", line, level=2))
        elif line.endswith("?") and line.startswith("How"):
            blocks.append(Block("heading", line, level=3))
        elif line in _SECTION_HEADINGS:
            blocks.append(Block("heading", line, level=4))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


def assessment_blocks(text: str) -> list[Block]:
    """A copied PEEL assessment's lines as blocks, set as its page sets them: what stands
    before its title a paragraph, the title, the opening's and the areas' headings, the
    judgement table's rows (an area and its grade, on one line or two) a grade table, each
    section's headings ("Areas for improvement", "Cause of concern") under them."""
    from peelcli.importer.areas import area_name, is_preamble_heading, table_row
    from peelcli.importer.text import Line, grade_line
    from peelcli.importer.units import heading

    lines = normalised_lines(text)
    start = next(n for n, line in enumerate(lines) if line.startswith("PEEL ") or " PEEL " in line)
    blocks = [Block("paragraph", line) for line in lines[:start]]
    blocks.append(Block("title", lines[start], level=1))
    rows: list[tuple[str, str]] = []
    in_areas = False
    i = start + 1
    while i < len(lines):
        line = Line(i, lines[i], lines[i].startswith("- "), lines[i])
        after = lines[i + 1] if i + 1 < len(lines) else ""
        row = None if in_areas else table_row(line)
        if row is not None:
            rows.append((row[0], line.text[len(row[0]) :].strip(" :")))
            i += 1
            continue
        if rows and area_name(line) and grade_line(Line(i + 1, after, False, after)):
            rows.append((line.text, after))  # a row over two lines
            i += 2
            continue
        if rows:
            blocks.append(Block("grades", rows=tuple(rows)))
            rows = []
        if line.bulleted:
            blocks.append(Block("item", line.text[2:]))
        elif area_name(line) or is_preamble_heading(line):
            in_areas = in_areas or bool(area_name(line))
            blocks.append(Block("heading", line.text, level=2))
        elif heading(line):
            blocks.append(Block("heading", line.text, level=3))
        else:
            blocks.append(Block("paragraph", line.text))
        i += 1
    if rows:
        blocks.append(Block("grades", rows=tuple(rows)))
    return blocks


# --- a fictional 2021+ report ----------------------------------------------------------

EXAMPLESHIRE_GRADES = (
    ("Investigating crime", "Good"),
    ("Protecting vulnerable people", "Requires improvement"),
    ("Responding to the public", "Adequate"),
    ("Leadership and force management", "Outstanding"),
    ("Recording data about crime", "Inadequate"),
)

EXAMPLESHIRE = [
    Block("title", "Exampleshire Police PEEL 2023–25", level=1),
    Block(
        "paragraph",
        "This report is fictional. Exampleshire Police does not exist; the report was written "
        "to test peel and describes no real force.",
    ),
    Block("heading", "Overall summary", level=2),
    Block("heading", "Our judgments", level=3),
    Block("grades", rows=EXAMPLESHIRE_GRADES),
    Block("heading", "HM Inspector’s observations", level=2),
    Block(
        "paragraph",
        "I am pleased with some aspects of the performance of Exampleshire Police in keeping "
        "people safe and reducing crime, although there are areas in which the force needs to "
        "improve. The force has a well-established neighbourhood policing model and a clear "
        "understanding of its communities.",
    ),
    Block("heading", "Investigating crime", level=2),
    Block("paragraph", "Exampleshire Police is good at investigating crime."),
    Block("heading", "Main findings", level=3),
    Block(
        "paragraph",
        "The force carries out thorough investigations, and supervisors review them often. "
        "Victims are kept informed about the progress of their cases.",
    ),
    Block("heading", "Areas for improvement", level=3),
    Block("heading", "Area for improvement 1", level=4),
    Block(
        "paragraph",
        "The force should make sure that it records the reasons for its decisions to close "
        "investigations, and that victims are told.",
    ),
    Block("heading", "Protecting vulnerable people", level=2),
    Block("paragraph", "Exampleshire Police requires improvement at protecting vulnerable people."),
    Block("heading", "Cause of concern", level=3),
    Block(
        "paragraph",
        "The force does not identify repeat victims of domestic abuse quickly enough.",
    ),
    Block("heading", "Recommendations", level=4),
    Block("paragraph", "Within three months, the force should:"),
    Block("item", "make sure that call handlers check for previous incidents at each address;"),
    Block("item", "review the cases of repeat victims each week; and"),
    Block("item", "train its supervisors to assess risk consistently."),
    Block("heading", "Innovative practice", level=3),
    Block(
        "paragraph",
        "The force has set up a team of specialist officers who visit victims of stalking "
        "within a day of their report.",
    ),
]


def exampleshire_lines() -> list[str]:
    """The text a reader should give for the Exampleshire report, a line a block."""
    lines: list[str] = []
    for block in EXAMPLESHIRE:
        if block.kind == "grades":
            lines += [f"{area}: {grade}" for area, grade in block.rows]
        elif block.kind == "item":
            lines.append(f"- {block.text}")
        else:
            lines.append(block.text)
    return lines


# --- reports laid out as the inspectorate publishes them ------------------------------------
#
# A PDF opens with a cover that sets the title over two to four lines, a contents page after
# it; a web page sets each area in a section whose id is made from the area's name, with a
# "Back to top" link at its foot; a 2023–25 report sets its victim service assessment before
# the graded areas that its judgement table lists. Text is the page as a browser copies it.


@dataclass(frozen=True)
class Published:
    """A report as published: its cover's lines, its date as the cover gives it, its body."""

    cover: tuple[str, ...]  # the title's lines, as the cover sets them, less the date
    date: str  # "March 2025", under the title's lines on the cover and the page alike
    blocks: tuple[Block, ...]  # the report after its title

    @property
    def cover_lines(self) -> list[str]:
        return [*self.cover, self.date]


MET_COVER = ("PEEL: Police effectiveness 2016", "An inspection of the Metropolitan Police Service")


def met_published() -> Published:
    """The shipped report as published: its cover and its text, in sections."""
    return Published(MET_COVER, "March 2017", tuple(blocks_of(shipped_text())[1:]))


NORTHMOOR_GRADES = (
    ("Police powers and public treatment", "Good"),
    ("Preventing crime and antisocial behaviour", "Adequate"),
    ("Responding to the public", "Requires improvement"),
    ("Investigating crime", "Adequate"),
    ("Protecting vulnerable people", "Inadequate"),
    ("Leadership and force management", "Good"),
)

NORTHMOOR = Published(
    ("PEEL 2023–25", "Police effectiveness, efficiency and legitimacy",
     "An inspection of Northmoor Police"),
    "March 2025",
    (
        Block("paragraph", "This report is fictional: Northmoor Police does not exist. It was "
              "written to test peel, laid out as the inspectorate lays out its reports."),
        Block("heading", "Overall summary", level=2),
        Block("heading", "Our judgments", level=3),
        Block("paragraph", "Our inspection assessed how good Northmoor Police is in seven "
              "areas of policing. We make graded judgments in six of these seven as follows:"),
        Block("grades", rows=NORTHMOOR_GRADES),
        Block("paragraph", "We also inspected how effective a service the force gives to "
              "victims of crime. We don’t make a graded judgment in this overall area."),
        Block("heading", "HM Inspector’s observations", level=2),
        Block("paragraph", "I am pleased with some aspects of the performance of Northmoor "
              "Police, but it needs to improve how it protects vulnerable people."),
        Block("heading", "Victim service assessment", level=2),
        Block("paragraph", "This assessment follows a victim’s journey from the first contact "
              "with the police to the outcome of the case."),
        Block("paragraph", "The force answers emergency calls promptly, and most victims are "
              "kept informed about their cases."),
        Block("heading", "Police powers and public treatment", level=2),
        Block("paragraph", "Northmoor Police is good at treating the public fairly and "
              "respectfully."),
        Block("heading", "Promising practice", level=3),
        Block("paragraph", "Young people review footage of stop and search"),
        Block("paragraph", "The force invites young people to review body-worn video footage "
              "of stop and search, and to tell officers what they saw."),
        Block("heading", "Preventing crime and antisocial behaviour", level=2),
        Block("paragraph", "The force is adequate at preventing crime and antisocial "
              "behaviour."),
        Block("heading", "Area for improvement 1", level=3),
        Block("paragraph", "The force should make sure that neighbourhood officers are not "
              "taken from their duties too often."),
        Block("heading", "Responding to the public", level=2),
        Block("paragraph", "The force requires improvement at responding to the public."),
        Block("heading", "Areas for improvement", level=3),
        Block("item", "The force should answer non-emergency calls promptly."),
        Block("item", "The force should assess the risk of every call for service."),
        Block("heading", "Investigating crime", level=2),
        Block("paragraph", "Northmoor Police is adequate at investigating crime."),
        Block("paragraph", "Investigations are supervised, though plans are not always "
              "recorded."),
        Block("heading", "Protecting vulnerable people", level=2),
        Block("paragraph", "Northmoor Police is inadequate at protecting vulnerable people."),
        Block("heading", "Cause of concern", level=3),
        Block("paragraph", "The force does not do enough to safeguard victims of domestic "
              "abuse."),
        Block("heading", "Recommendations", level=4),
        Block("paragraph", "By 31 March 2026, the force should:"),
        Block("item", "make sure that call handlers assess the risk to every victim; and"),
        Block("item", "review how it supervises domestic abuse investigations."),
        Block("heading", "Leadership and force management", level=2),
        Block("paragraph", "Northmoor Police is good at leadership and force management."),
        Block("paragraph", "Its leaders plan for the demand it will face."),
    ),
)  # fmt: skip


def with_back_to_top(blocks: Sequence[Block]) -> list[Block]:
    """The blocks with a page's "Back to top" link at the foot of each section."""
    out: list[Block] = []
    started = False
    for block in blocks:
        if block.kind == "heading" and block.level == 2:
            if started:
                out.append(Block("paragraph", "Back to top"))
            started = True
        out.append(block)
    return [*out, Block("paragraph", "Back to top")]


def published_text(report: Published) -> str:
    """The report's page as a browser copies it: the title's lines, the date, its sections
    each with its "Back to top" link, a table of grades a cell a line."""
    lines = [*report.cover, report.date]
    for block in with_back_to_top(report.blocks):
        if block.kind == "grades":
            for area, grade in block.rows:
                lines += [area, grade]
        elif block.kind == "item":
            lines.append(f"- {block.text}")
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"


def slug(name: str) -> str:
    """A section's id, made from its heading as the inspectorate's site makes it."""
    return "-".join(re.sub(r"[^a-z0-9\s-]", " ", name.casefold()).split())


def published_page(report: Published, listed: Callable[[str], bool] | None = None) -> str:
    """The report as the inspectorate's site sets it: the title's lines broken in its h1, the
    date, the page's contents, each area in a section with an id from its name and a "Back to
    top" link, all in the site's furniture. ``listed`` says which sections the contents
    lists (else all)."""
    title = "<br>".join(html.escape(line) for line in report.cover)
    sections = [
        b.text
        for b in report.blocks
        if b.kind == "heading" and b.level == 2 and (listed is None or listed(b.text))
    ]
    contents = "\n".join(
        f"  <li><a href='#{slug(name)}'>{html.escape(name)}</a></li>" for name in sections
    )
    parts = [
        f"<header class='report-header'><h1>{title}</h1>",
        f"<p class='meta'>{html.escape(report.date)}</p></header>",
        f"<h2>Contents</h2>\n<ol class='report-contents'>\n{contents}\n</ol>",
    ]
    intro = [b for b in report.blocks[: _first_section(report.blocks)]]
    parts.append(_html_blocks(intro))
    section: list[Block] = []
    for block in report.blocks[len(intro) :]:
        if block.kind == "heading" and block.level == 2 and section:
            parts.append(_section(section))
            section = []
        section.append(block)
    parts.append(_section(section))
    head = FURNITURE_HEAD.replace("<h1>{title}</h1>\n", "").replace(
        '<p class="meta">Last updated 02/03/2017</p></header>', "</header>"
    )
    return (
        head.format(title=html.escape(" ".join(report.cover)))
        + "\n".join(parts)
        + ("\n" + FURNITURE_FOOT)
    )


def _first_section(blocks: Sequence[Block]) -> int:
    return next(n for n, b in enumerate(blocks) if b.kind == "heading" and b.level == 2)


def _section(blocks: Sequence[Block]) -> str:
    name = slug(blocks[0].text)
    return (
        f"<section id='{name}' class='report-section {name}'>\n{_html_blocks(blocks)}"
        "<p class='report-links'><a href='#top'>Back to top</a></p>\n</section>"
    )


def published_pdf(report: Published, *, page: bool = False, **options: object) -> LaidOut:
    """The report as the inspectorate's PDF sets it: its cover, a contents page, the text;
    or, with ``page``, its web page printed to PDF, each section's "Back to top" link too."""
    header = " ".join(report.cover)
    body = with_back_to_top(report.blocks) if page else report.blocks
    blocks = [Block("title", header, level=1), *body]
    return pdf_of(
        blocks,
        header=header[:60],
        footer="HMICFRS",
        cover=report.cover_lines,
        **options,  # type: ignore[arg-type]
    )


# --- HTML ------------------------------------------------------------------------------

FURNITURE_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - HMICFRS</title>
<style>body {{ font-family: sans-serif; }} .hidden {{ display: none; }}</style>
<script>window.dataLayer = [{{"page": "report"}}];</script>
</head>
<body>
<a href="#main" class="skip-link">Skip to content</a>
<div id="cookie-banner" class="cookie-banner" role="region">
  <p>We use cookies to collect information about how you use this website.</p>
  <button>Accept cookies</button> <button>Reject cookies</button>
</div>
<div class="consultation-banner"><p>Have your say in our consultation on PEEL 2025–27.</p></div>
<header class="site-header">
  <a href="/">HMICFRS</a>
  <nav aria-label="Main"><ul><li><a href="/about">About us</a></li>
  <li><a href="/publications">Publications</a></li><li><a href="/peel">PEEL</a></li></ul></nav>
  <form role="search"><label>Search</label><input name="q"><button>Search</button></form>
</header>
<nav class="breadcrumbs"><ol><li><a href="/">Home</a></li><li>Publications</li></ol></nav>
<main id="main">
<article>
<header class="entry-header"><h1>{title}</h1>
<p class="meta">Last updated 02/03/2017</p></header>
"""

FURNITURE_FOOT = """<ul class="share-links">
  <li><a href="https://twitter.com/share">Share on Twitter</a></li>
  <li><a href="https://facebook.com/share">Share on Facebook</a></li>
  <li><a href="mailto:?subject=PEEL">Email</a></li>
</ul>
<p><a href="#top" class="back-to-top">Back to top</a></p>
</article>
<aside><h2>Related publications</h2><ul><li><a href="/x">PEEL 2015</a></li></ul></aside>
</main>
<footer class="site-footer"><ul><li><a href="/cookies">Cookies</a></li>
<li><a href="/privacy">Privacy notice</a></li></ul><p>© Crown copyright</p></footer>
<script src="/app.js"></script>
</body>
</html>
"""


def _html_blocks(blocks: Sequence[Block]) -> str:
    body: list[str] = []
    items: list[str] = []

    def end_list() -> None:
        if items:
            body.append("<ul class='list'>\n" + "\n".join(items) + "\n</ul>")
            items.clear()

    for block in blocks:
        text = html.escape(block.text)
        if block.kind == "item":
            items.append(f"  <li>{text}</li>")
            continue
        end_list()
        if block.kind == "heading":
            body.append(f"<h{block.level}>{text}</h{block.level}>")
        elif block.kind == "grades":
            rows = "\n".join(
                f"  <tr><td>{html.escape(a)}</td><td><strong>{html.escape(g)}</strong></td></tr>"
                for a, g in block.rows
            )
            body.append(
                "<table class='judgments'>\n  <thead><tr><th>Area of policing</th>"
                f"<th>Grade</th></tr></thead>\n  <tbody>\n{rows}\n  </tbody>\n</table>"
            )
        else:
            # Inline markup and a line break in the source: neither may split the paragraph.
            words = text.split(" ")
            if len(words) > 6:
                words[2] = f"<em>{words[2]}</em>"
                words[5] = f"\n  <a href='/glossary'>{words[5]}</a>"
            body.append(f"<p>{' '.join(words)}</p>")
    end_list()
    return "\n".join(body) + "\n"


def html_page(blocks: Sequence[Block], *, furniture: bool = True) -> str:
    """A saved web page holding the blocks, in the site's furniture unless told otherwise."""
    title = html.escape(blocks[0].text)
    content = _html_blocks(blocks[1:])
    if not furniture:
        return f"<!doctype html><html><body><h1>{title}</h1>\n{content}</body></html>\n"
    return FURNITURE_HEAD.format(title=title) + content + FURNITURE_FOOT


# --- PDF -------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 72.0, 523.0, 770.0, 90.0
BODY = ("Helvetica", 10.5, 14.0)  # font, size, leading
SIZES = {"title": 22.0, 1: 22.0, 2: 16.0, 3: 13.0, 4: 11.0}


@dataclass
class LaidOut:
    """A generated PDF and a record of what it puts a reader to the test with."""

    pdf: bytes
    pages: int
    hyphenated: list[str] = field(default_factory=list)  # "organ-|ised": broken at line end
    split_paragraphs: list[str] = field(default_factory=list)  # first words of each
    footnotes: list[str] = field(default_factory=list)


@dataclass
class _Word:
    text: str
    note: int | None = None  # a footnote marker drawn raised after the word's letters


class _Writer:
    def __init__(
        self,
        header: str | None,
        footer: str | None,
        page_numbers: str,
        notes: Mapping[str, str],
    ) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.pdfgen.canvas import Canvas

        self.width = stringWidth
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
        self.header = header
        self.footer = footer
        self.page_numbers = page_numbers
        self.notes = dict(notes)
        self.full_text = ""
        self.page = 1
        self.y = TOP
        self.page_notes: list[tuple[int, str]] = []
        self.note_count = 0
        self.laid = LaidOut(b"", 0)
        self.total_pages = 0  # filled in on the second pass

    # furniture ---------------------------------------------------------------------

    def finish_page(self) -> None:
        c = self.canvas
        if self.page > 1 and self.header:
            c.setFont("Helvetica", 8)
            c.drawString(LEFT, 805, self.header)
        y = BOTTOM - 12
        for number, note in self.page_notes:
            c.setFont("Helvetica", 7)
            c.drawString(LEFT, y, f"{number} {note}")
            y -= 9
        self.page_notes = []
        c.setFont("Helvetica", 8)
        if self.footer:
            c.drawString(LEFT, 40, self.footer)
        if self.page_numbers == "page-of":
            c.drawRightString(RIGHT, 40, f"Page {self.page} of {self.total_pages}")
        elif self.page_numbers == "bare":
            c.drawCentredString(PAGE_WIDTH / 2, 28, str(self.page))
        c.showPage()
        self.page += 1
        self.y = TOP

    def room(self, height: float) -> bool:
        reserved = 9 * len(self.page_notes) + 12 if self.page_notes else 0
        return self.y - height >= BOTTOM + reserved

    # text --------------------------------------------------------------------------

    def words(self, text: str) -> list[_Word]:
        words = []
        for token in text.split(" "):
            note = None
            if token in self.notes:
                self.note_count += 1
                note = self.note_count
                self.laid.footnotes.append(f"{note} {self.notes.pop(token)}")
            words.append(_Word(token, note))
        return words

    def word_width(self, word: _Word, font: str, size: float) -> float:
        width: float = self.width(word.text, font, size)
        if word.note is not None:
            width += self.width(str(word.note), font, size * 0.65)
        return width

    def lines(self, words: list[_Word], font: str, size: float, width: float) -> list[list[_Word]]:
        """Words set ragged right; a word that does not fit is hyphenated where it can be."""
        lines: list[list[_Word]] = [[]]
        used = 0.0
        space = self.width(" ", font, size)
        queue = list(words)
        while queue:
            word = queue.pop(0)
            gap = space if lines[-1] else 0.0
            needed = gap + self.word_width(word, font, size)
            if used + needed <= width:
                lines[-1].append(word)
                used += needed
                continue
            head, tail = self.hyphenate(word, font, size, width - used - gap)
            if head is not None and tail is not None:
                lines[-1].append(head)
                queue.insert(0, tail)
                self.laid.hyphenated.append(f"{head.text}|{tail.text}")
            elif not lines[-1]:
                lines[-1].append(word)  # longer than a line: let it overflow
                continue
            else:
                queue.insert(0, word)
            lines.append([])
            used = 0.0
        return [line for line in lines if line]

    def hyphenate(
        self, word: _Word, font: str, size: float, room: float
    ) -> tuple[_Word | None, _Word | None]:
        if word.note is not None:
            return None, None
        if "-" in word.text.strip("-"):
            # A compound written nowhere else cannot be told from a typesetter's break
            # without a dictionary; in a document set with hyphenation, as this is, the
            # reader joins it (join_broken_word, tested on its own): it is not broken here.
            if self.full_text.count(word.text.rstrip(".,;:?’")) < 2:
                return None, None
            cut = word.text.index("-", 1) + 1
            head = word.text[:cut]
            if self.width(head, font, size) <= room:
                return _Word(head), _Word(word.text[cut:])
            return None, None
        match = re.fullmatch(r"([a-z]{7,})([^a-z]*)", word.text)
        if match is None:
            return None, None
        letters = match[1]
        for cut in range(len(letters) - 3, 2, -1):
            head = letters[:cut] + "-"
            if self.width(head, font, size) <= room:
                return _Word(head), _Word(letters[cut:] + match[2])
        return None, None

    def draw_line(self, words: list[_Word], font: str, size: float, x: float) -> None:
        c = self.canvas
        text = c.beginText(x, self.y)
        for n, word in enumerate(words):
            text.setFont(font, size)
            letters = word.text
            tail = ""
            if word.note is not None:
                core = re.fullmatch(r"(.*?)([.,;:]?)", word.text)
                assert core is not None
                letters, tail = core[1], core[2]
            text.textOut(("" if n == 0 else " ") + letters)
            if word.note is not None:
                text.setFont(font, size * 0.65)
                text.setRise(size * 0.35)
                text.textOut(str(word.note))
                text.setRise(0)
                text.setFont(font, size)
                text.textOut(tail)
                self.page_notes.append(
                    (word.note, self.laid.footnotes[word.note - 1].split(" ", 1)[1])
                )
        c.drawText(text)

    def block(self, block: Block) -> None:
        if block.kind == "grades":
            self.grades(block)
            return
        heading = block.kind in ("title", "heading")
        font = "Helvetica-Bold" if heading else BODY[0]
        size = SIZES[block.level] if heading else BODY[1]
        leading = size * 1.3 if heading else BODY[2]
        indent = 14.0 if block.kind == "item" else 0.0
        lines = self.lines(self.words(block.text), font, size, RIGHT - LEFT - indent)
        if heading and not self.room(leading * (len(lines) + 2)):
            self.finish_page()  # a heading is never left alone at the foot of a page
        if block.kind == "title":
            self.y = TOP - 40
        for n, line in enumerate(lines):
            if not self.room(leading):
                if n:
                    self.laid.split_paragraphs.append(block.text[:40])
                self.finish_page()
            if block.kind == "item" and n == 0:
                self.canvas.setFont(font, size)
                self.canvas.drawString(LEFT, self.y, "•")
            self.draw_line(line, font, size, LEFT + indent)
            self.y -= leading
        self.y -= 8 if not heading else 4

    def cover(self, lines: Sequence[str]) -> None:
        """A cover: the title's first line large and bold, the rest smaller, the date last."""
        self.y = TOP - 120
        for n, text in enumerate(lines):
            last = n == len(lines) - 1
            font, size = (
                ("Helvetica-Bold", 26.0) if n == 0 else ("Helvetica", 14.0 if last else 18.0)
            )
            for line in self.lines(self.words(text), font, size, RIGHT - LEFT):
                self.draw_line(line, font, size, LEFT)
                self.y -= size * 1.25
            self.y -= 40 if n == 0 or n == len(lines) - 2 else 10

    def grades(self, block: Block) -> None:
        c = self.canvas
        for area, grade in block.rows:
            c.setFont(BODY[0], BODY[1])
            c.drawString(LEFT, self.y, area)
            c.setFont("Helvetica-Bold", BODY[1])
            c.drawString(LEFT + 260, self.y, grade)
            self.y -= BODY[2] + 4
        self.y -= 8

    def contents(self, entries: Iterable[tuple[str, int]]) -> None:
        c = self.canvas
        c.setFont("Helvetica-Bold", SIZES[2])
        c.drawString(LEFT, self.y, "Contents")
        self.y -= 30
        for text, page in entries:
            c.setFont(BODY[0], BODY[1])
            dots = "." * int((RIGHT - LEFT - self.width(text, BODY[0], BODY[1]) - 30) / 2.92)
            c.drawString(LEFT, self.y, f"{text} {dots}")
            c.drawRightString(RIGHT, self.y, str(page))
            self.y -= BODY[2] + 4
        self.finish_page()


def pdf_of(
    blocks: Sequence[Block],
    *,
    header: str | None = None,
    footer: str | None = None,
    page_numbers: str = "page-of",
    contents: bool = True,
    notes: Mapping[str, str] | None = None,
    cover: Sequence[str] | None = None,
    metadata_title: str | None = None,
    listed: Callable[[str], bool] | None = None,
) -> LaidOut:
    """The blocks set as a PDF: a title page, optionally a contents page, then the text.

    ``notes`` maps a word of the text, as the text writes it ("2016," or "victims."), to the
    text of a footnote whose marker is drawn raised after the word's letters, at its first
    occurrence. ``page_numbers`` is "page-of" ("Page 3 of 12"), "bare" ("3") or "none".
    ``cover`` is a cover's lines, set on the first page in place of the title.
    ``metadata_title`` is the PDF's Title metadata (else reportlab's "untitled"); ``listed``
    says which headings the contents page lists (else all to level 3).
    """
    total = 0
    for _ in range(2):  # the second pass knows how many pages there are
        writer = _Writer(header, footer, page_numbers, notes or {})
        writer.total_pages = total
        writer.full_text = " ".join(b.text for b in blocks)
        if metadata_title is not None:
            writer.canvas.setTitle(metadata_title)
        if cover:
            writer.cover(cover)  # the cover stands for the title block
        else:
            writer.block(blocks[0])
        writer.finish_page()
        if contents:
            headings = [
                b.text
                for b in blocks
                if b.kind == "heading" and b.level <= 3 and (listed is None or listed(b.text))
            ]
            writer.contents((text, 3 + n // 4) for n, text in enumerate(headings))
        for block in blocks[1:]:
            writer.block(block)
        writer.finish_page()
        writer.canvas.save()
        total = writer.page - 1
    writer.laid.pdf = writer.buffer.getvalue()
    writer.laid.pages = total
    return writer.laid


SHIPPED_NOTES = {
    "2016,": "HMIC, PEEL: Police effectiveness 2016, a national overview.",
    "victims.": "Victims are supported by the force’s witness care units.",
}


def shipped_pdf() -> LaidOut:
    """The shipped report as a PDF with all the furniture a published one carries."""
    return pdf_of(
        blocks_of(shipped_text()),
        header="Metropolitan PEEL 2016 – Effectiveness",
        footer="HMIC | PEEL: Police effectiveness 2016",
        notes=SHIPPED_NOTES,
    )


def long_pdf(pages: int) -> LaidOut:
    """A PDF of at least the given number of pages: the shipped report's body over and over."""
    blocks = blocks_of(shipped_text())
    copies = max(1, pages // 5)
    while True:
        laid = pdf_of(
            blocks[:1] + blocks[1:] * copies,
            header="Metropolitan PEEL 2016",
            footer="HMIC | PEEL: Police effectiveness 2016",
        )
        if laid.pages >= pages:
            return laid
        copies += max(1, (pages - laid.pages) // 5)


# --- small hand-made PDFs ---------------------------------------------------------------

Text = tuple[float, float, str]  # x, y (of the baseline) and text, in the body font
Styled = tuple[float, float, str, float, str]  # … and the font size and name


def hand_pdf(pages: Sequence[Sequence[Text | Styled]], *, password: object = None) -> bytes:
    """A PDF with each page's strings drawn where given: for one rule of the reader at a time.

    ``password`` is a user password, or a reportlab StandardEncryption for finer locks.
    """
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, encrypt=password)
    for strings in pages:
        for string in strings:
            x, y, text = string[:3]
            size, font = (string[3], string[4]) if len(string) == 5 else (BODY[1], BODY[0])
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def body_lines(lines: Sequence[str], top: float = TOP, gap: float = 0.0) -> list[Text]:
    """Lines of body text set one under another at the body's leading, and a gap."""
    return [(LEFT, top - n * (BODY[2] + gap), line) for n, line in enumerate(lines)]


def paragraphs(lines: Sequence[str], top: float = TOP) -> list[Text]:
    """Lines of body text, each a paragraph: set apart by more than the leading."""
    return body_lines(lines, top, gap=8.0)
