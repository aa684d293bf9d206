"""A PDF to the importer's text: the report's paragraphs, without the page around them.

Text is read with pypdfium2 (PDFium, as Chrome uses it), character by character with each
character's box and font size, so that layout can be told from text:

- running headers and footers (a line, its digits aside, at the top or foot of at least half
  the pages) and page numbers ("12", "Page 12 of 40") are dropped;
- a contents page (mostly lines with dot leaders, "Investigating crime ........ 12") is
  dropped, and so is a dot-leader line anywhere else;
- footnotes (small lines numbered "2 …" below a page's text) are dropped, and so are their
  markers: digits set small and raised after a word, or, where the PDF sets them like the
  text, digits glued to a word that match a footnote of the page ("in 20162" → "in 2016",
  "support3." → "support.");
- lines are joined into paragraphs until a wider gap, a change of font size or weight, or a
  bullet; a paragraph continues on the next page when its last line does not end a sentence
  (or the next page goes on in lower case);
- a word broken at a line end is rejoined; see :func:`hyphen_kept` for when its hyphen
  stays, and :func:`hyphenation_is_off` for a word the document cannot settle;
- lines set larger than the body, or bold, are headings: levels by size, largest first;
- a line of two cells far apart whose second is a grade ("Investigating crime   Good") is a
  grade table row, ``Investigating crime: Good``; a row of grades side by side heads a table
  of grade columns, each listing the areas given its grade: see :func:`read_grade_columns`.

See :mod:`peelcli.reading` for the text form.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peelcli.errors import PeelError, Problem
from peelcli.reading.document import Document, blocks_to_document, one_line
from peelcli.reading.html import is_grade

_LINE_END_HYPHENS = "-\x02\ufffe\u00ad\u2010"
_BULLET = re.compile(r"[•◦▪‣●○■□►➢\uf0a7\uf0b7*–-]\s+")
_PAGE_NUMBER = re.compile(r"(?:page\s+)?(\d{1,4})(?:\s*(?:of|/)\s*(\d{1,4}))?", re.IGNORECASE)
# Printed page numbers may run ahead of the PDF's (unnumbered covers), not by more than this.
_PAGE_NUMBER_SLACK = 20
_DOT_LEADER = re.compile(r".*\S\s*(?:(?:\.\s*){4,}|…{2,}\s*)\s*\d{1,4}")
_CONTENTS_TITLE = re.compile(r"(?:table of )?contents", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:][’”\"')\]]*$")
_FOOTNOTE = re.compile(r"(\d{1,3})\s+\S")
_WORD = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?")
_LAST_WORD = re.compile(r"(?<![\w’'-])[^\W\d_](?:[\w’'-]*\w)?$")
# A footnote number glued to a year ("20162") or to a word and its punctuation ("support3.").
_GLUED_TO_YEAR = re.compile(r"\b((?:19|20)\d\d)(\d{1,2})\b")
_GLUED_TO_WORD = re.compile(r"(?:(?<=[^\W\d_])|(?<=[^\W\d_][’'”)]))(\d{1,2})(?=[.,;:)]?(?:\s|$))")
_FORCE_BOLD = 1 << 18  # a PDF font descriptor flag
# Typeset ligatures some PDFs give as one character: "ﬁnd" must read as "find" to be found.
# PDFium's marks for a hyphen it took to be a typesetter's become plain hyphens, for
# hyphen_kept to judge, before control characters are cleared away.
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
    | {"\x02": "-", "\ufffe": "-"}
)


@dataclass
class _Line:
    page: int
    cells: list[str]
    size: float
    bold: bool
    left: float
    top: float
    bottom: float
    markers: int = 0  # raised footnote markers taken out of it
    spans: list[tuple[float, float]] = field(default_factory=list)  # each cell's left, right
    words: list[tuple[str, float, float]] = field(default_factory=list)  # text, left, right

    @property
    def text(self) -> str:
        return " ".join(self.cells)


@dataclass
class _Block:
    lines: list[_Line]
    # The text in pieces, joined once at the end: a paragraph may run on for thousands of
    # lines, and joining as it grows would copy it once a line.
    pieces: list[str]
    item: bool = False
    table_row: bool = False
    pages: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


# --- characters to lines ---------------------------------------------------------------


def _pdfium() -> Any:
    """The pypdfium2 module, imported on first use: only reading a PDF pays for it."""
    import pypdfium2  # type: ignore[import-untyped]

    return pypdfium2


# A character: its text, box (left, right, bottom, top), font size and index on the page.
# Plain tuples, as the loop over every character of a PDF is where reading spends its time.
# The size of a character with no ink (a space, a soft hyphen) is 0.
_Char = tuple[str, float, float, float, float, float, int]


def _page_lines(textpage: Any, page: int, with_words: bool = False) -> list[_Line]:
    raw = _pdfium().raw
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    text = textpage.get_text_range()
    if len(text) != count:
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    # Loose boxes span a glyph's advance and its font's ascent and descent, so the
    # characters of one line share a top and bottom and adjacent ones touch.
    get_box = raw.FPDFText_GetLooseCharBox
    get_size = raw.FPDFText_GetFontSize
    box = raw.FS_RECTF()
    ref = ctypes.byref(box)
    lines: list[_Line] = []
    chars: list[_Char] = []
    add = chars.append
    floor = ceiling = last_right = 0.0  # the line's bottom and top, its last ink's right
    height = size = -1.0
    started = False
    uninked = " \t\x0b\x0c\xa0" + _LINE_END_HYPHENS[1:]
    for index, char in enumerate(text):
        if char in "\r\n":
            continue  # PDFium's own line breaks: where lines break is decided by position
        if char in uninked or char.isspace():
            add((char, 0.0, 0.0, 0.0, 0.0, 0.0, index))
            continue
        get_box(handle, index, ref)
        left, right, bottom, top = box.left, box.right, box.bottom, box.top
        # A loose box's height follows the font size: ask for the size only when it changes.
        if top - bottom != height:
            height = top - bottom
            # Some fonts (Type 3) report no size: the box's height stands in for it.
            size = get_size(handle, index) or max(height, 1.0)
        if started:
            if (
                top <= floor + 0.25 * size
                or bottom >= ceiling - 0.25 * size
                or left < last_right - size
            ):
                lines += _line(chars, page, textpage, with_words)
                chars = []
                add = chars.append
                started = False
            elif left - last_right > 0.15 * size and chars[-1][5]:
                add((" ", 0.0, 0.0, 0.0, 0.0, 0.0, index))
        if not started:
            floor, ceiling, started = bottom, top, True
        add((char, left, right, bottom, top, size, index))
        last_right = right
    if chars:
        lines += _line(chars, page, textpage, with_words)
    return lines


def _line(chars: list[_Char], page: int, textpage: Any, with_words: bool) -> list[_Line]:
    sizes = Counter(c[5] for c in chars)
    del sizes[0.0]
    if not sizes:
        return []
    size = sizes.most_common(1)[0][0]
    main = [c for c in chars if c[5] == size]
    bottoms = sorted(c[3] for c in main)
    baseline = bottoms[len(bottoms) // 2]
    cells: list[str] = []
    spans: list[tuple[float, float]] = []  # each cell's left and right
    current: list[str] = []
    previous_right: float | None = None
    cell_left = 0.0
    markers = 0
    in_marker = False
    for char, left, right, bottom, _top, char_size, _index in chars:
        # A footnote marker: digits set smaller than the line and raised above its baseline.
        if (
            char_size
            and char.isdigit()
            and char_size < 0.85 * size
            and bottom > baseline + 0.2 * size
        ):
            markers += not in_marker
            in_marker = True
            continue
        in_marker = False
        if char_size:
            if previous_right is None:
                cell_left = left
            elif left - previous_right > 2.0 * size:
                cells.append("".join(current))
                spans.append((cell_left, previous_right))
                current = []
                cell_left = left
            previous_right = right
        current.append(char)
    cells.append("".join(current))
    spans.append((cell_left, previous_right or cell_left))
    kept = [
        (text, span)
        for text, span in zip(
            (one_line(c.translate(_LIGATURES)) for c in cells), spans, strict=True
        )
        if text
    ]
    if not kept:
        return []
    first = next(c for c in chars if c[5])
    return [
        _Line(
            page,
            [text for text, _ in kept],
            round(size, 1),
            _is_bold(textpage, main[len(main) // 2][6]),
            first[1],
            max(c[4] for c in main),
            baseline,
            markers,
            [span for _, span in kept],
            _words(chars, size, baseline) if with_words else [],
        )
    ]


def _words(chars: list[_Char], size: float, baseline: float) -> list[tuple[str, float, float]]:
    """A line's words, each with its left and right: for reading a table by its columns."""
    words: list[tuple[str, float, float]] = []
    word: list[str] = []
    left = right = 0.0
    for char, char_left, char_right, bottom, _top, char_size, _index in chars:
        if (
            char_size
            and char.isdigit()
            and char_size < 0.85 * size
            and bottom > baseline + 0.2 * size
        ):
            continue  # a footnote marker, as _line finds them
        if char_size:
            if word and char_left - right > 0.15 * size:
                words.append(("".join(word), left, right))
                word = []
            if not word:
                left = char_left
            right = char_right
            word.append(char)
        elif char.isspace() and word:
            words.append(("".join(word), left, right))
            word = []
    if word:
        words.append(("".join(word), left, right))
    return [(one_line(text.translate(_LIGATURES)), a, b) for text, a, b in words]


def _is_bold(textpage: Any, index: int) -> bool:
    raw = _pdfium().raw
    handle = textpage.raw
    if raw.FPDFText_GetFontWeight(handle, index) >= 600:
        return True
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    raw.FPDFText_GetFontInfo(handle, index, buffer, len(buffer), ctypes.byref(flags))
    name = buffer.value.decode("latin-1").lower()
    return bool(flags.value & _FORCE_BOLD) or any(w in name for w in ("bold", "black", "heavy"))


# --- furniture --------------------------------------------------------------------------


def _furniture_key(line: _Line) -> tuple[str, int]:
    return re.sub(r"\d+", "#", line.text.casefold()), round(line.size)


def drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """The pages less running headers and footers, page numbers and contents pages."""
    seen: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        seen.update({_furniture_key(line) for line in _edges(lines)})
    repeated = max(2, math.ceil(len(pages) / 2))
    kept: list[list[_Line]] = []
    for lines in pages:
        edges = {id(line) for line in _edges(lines)}
        lines = [
            line
            for line in lines
            if id(line) not in edges
            or (seen[_furniture_key(line)] < repeated and not _is_page_number(line, len(pages)))
        ]
        kept.append(_without_contents(lines))
    return kept


def _without_contents(lines: list[_Line]) -> list[_Line]:
    # Entries are lines with dot leaders or, under a "Contents" title, lines whose last cell
    # is a page number set apart; elsewhere a line of numbers is a table's, and stays.
    titled = any(_CONTENTS_TITLE.fullmatch(line.text) for line in lines)
    entries = [
        line
        for line in lines
        if _DOT_LEADER.fullmatch(line.text)
        or (titled and len(line.cells) > 1 and line.cells[-1].isdigit())
    ]
    if len(entries) >= 3 and len(entries) * 2 >= len(lines):
        return []  # a contents page
    dropped = {id(line) for line in entries if _DOT_LEADER.fullmatch(line.text)}
    return [line for line in lines if id(line) not in dropped]


def _is_page_number(line: _Line, pages: int) -> bool:
    # "12", "Page 12", "12 of 40", "12/40"; not a year alone on a line at a page's foot.
    match = _PAGE_NUMBER.fullmatch(line.text)
    if match is None:
        return False
    number, total = int(match[1]), int(match[2] or 0)
    if total:
        return number <= total
    return 0 < number <= pages + _PAGE_NUMBER_SLACK


def _edges(lines: list[_Line]) -> list[_Line]:
    by_height = sorted(lines, key=lambda line: -line.top)
    return by_height[:2] + by_height[2:][-3:]


def drop_footnotes(lines: list[_Line], body_size: float) -> tuple[list[_Line], set[str]]:
    """A page's lines less its footnotes, and the footnotes' numbers."""
    body = [line for line in lines if line.size >= 0.92 * body_size]
    floor = min((line.bottom for line in body), default=math.inf)
    numbers: set[str] = set()
    notes: set[int] = set()
    in_note = False
    for line in sorted(lines, key=lambda line: -line.top):
        if line.size >= 0.92 * body_size or line.bottom >= floor:
            in_note = False
            continue
        match = _FOOTNOTE.match(line.text)
        if match:
            numbers.add(match[1])
            in_note = True
        if in_note:
            notes.add(id(line))
    return [line for line in lines if id(line) not in notes], numbers


def strip_glued_markers(text: str, numbers: Iterable[str]) -> str:
    """Text less footnote numbers glued to a year or word, for footnotes the page has."""
    known = set(numbers)
    if not known:
        return text
    text = _GLUED_TO_YEAR.sub(lambda m: m[1] if m[2] in known else m[0], text)
    return _GLUED_TO_WORD.sub(lambda m: "" if m[1] in known else m[0], text)


# --- lines to paragraphs ----------------------------------------------------------------


def hyphen_kept(
    head: str, tail: str, vocabulary: Counter[str], keep_by_default: bool = False
) -> bool:
    """Whether the hyphen that ends a line (head) stays when the word goes on in the next
    (tail), or goes, the word rejoined.

    The hyphen stays when the word goes on with a capital or a digit ("non-|English",
    "mid-|2016"), or when the document writes the word with a hyphen elsewhere at least as
    often as without ("anti-|social" where "anti-social" occurs). It goes when the document
    writes the word joined elsewhere ("organ-|ised" where "organised" occurs). A word the
    document writes nowhere else cannot be told without a dictionary: ``keep_by_default``,
    which :func:`hyphenation_is_off` decides for the whole document, settles it.
    """
    verdict = _hyphen_verdict(head.rstrip(_LINE_END_HYPHENS), tail, vocabulary)
    return keep_by_default if verdict is None else verdict


def _hyphen_verdict(start: str, tail: str, vocabulary: Counter[str]) -> bool | None:
    """True: the hyphen is the word's; False: a typesetter's; None: the text cannot tell."""
    before = _LAST_WORD.search(start[-64:])
    after = _WORD.match(tail)
    if before is None or after is None:
        return True  # not a word broken in two: a dash, a number range
    first, second = before.group(), after.group()
    if not second[0].islower():
        return True
    hyphenated = vocabulary[f"{first}-{second}".lower()]
    joined = vocabulary[f"{first}{second}".lower()]
    if hyphenated and hyphenated >= joined:
        return True
    return False if joined else None


def hyphenation_is_off(pages: list[list[_Line]], vocabulary: Counter[str]) -> bool:
    """Whether the document's line-end hyphens are its words' rather than a typesetter's.

    Breaks the document settles by itself are counted: where more keep their hyphen than
    lose it, the typesetter did not hyphenate, and an unsettled break keeps its hyphen too.
    """
    lines = [line for page in pages for line in page]
    kept = dropped = 0
    for above, below in itertools.pairwise(lines):
        if above.text.endswith(tuple(_LINE_END_HYPHENS)):
            verdict = _hyphen_verdict(above.text.rstrip(_LINE_END_HYPHENS), below.text, vocabulary)
            kept += verdict is True
            dropped += verdict is False
    return kept > dropped


def _vocabulary(pages: list[list[_Line]]) -> Counter[str]:
    words: Counter[str] = Counter()
    for lines in pages:
        for line in lines:
            text = line.text.rstrip(_LINE_END_HYPHENS)
            words.update(w.lower() for w in _WORD.findall(text))
    return words


def _leadings(pages: list[list[_Line]]) -> dict[float, float]:
    """The usual step from one line to the next of a paragraph, for each font size."""
    steps: dict[float, Counter[float]] = {}
    for lines in pages:
        for above, below in itertools.pairwise(lines):
            step = round(above.bottom - below.bottom, 1)
            # Wider steps are gaps between paragraphs, whatever their number.
            if above.size == below.size and 0 < step <= 1.6 * above.size:
                steps.setdefault(above.size, Counter())[step] += 1
    return {size: counts.most_common(1)[0][0] for size, counts in steps.items()}


def read_grade_columns(lines: list[_Line]) -> list[_Line]:
    """A page's lines with a table of grade columns made lines of area and grade.

    The table's header is two or more grades side by side; each column lists the areas given
    its grade, a name that wraps being one area. The table ends at the first line that is not
    a row of it: set differently, or further below it than a line or two, or starting left of
    the first column, or whose words run on from one column into the next, or that ends a
    sentence.
    """
    header = _grade_header(lines)
    if header is None:
        return lines
    first, columns = header
    rows: list[tuple[int, list[tuple[int, str]]]] = []
    style = None
    floor = lines[first].bottom  # the lowest bottom of the table so far
    for n in range(first + 1, len(lines)):
        line = lines[n]
        fragments = _row_fragments(line, columns)
        if (
            fragments is None
            or (style is not None and style != (line.size, line.bold))
            or line.top > lines[first].bottom
            or line.top < floor - 2.5 * line.size
        ):
            break
        style = (line.size, line.bold)
        floor = min(floor, line.bottom)
        rows.append((n, fragments))
    if not rows:
        return lines
    # Each column's fragments from the top down; one that follows the one above it at the
    # line's own leading continues its name.
    found: dict[int, list[tuple[list[str], float]]] = {}
    placed = sorted(
        (
            (column, -lines[n].top, text, lines[n])
            for n, fragments in rows
            for column, text in fragments
        ),
        key=lambda fragment: fragment[:2],
    )
    for column, _, text, line in placed:
        names = found.setdefault(column, [])
        if names and names[-1][1] - line.top < 0.6 * line.size:
            names[-1][0].append(text)
            names[-1] = (names[-1][0], line.bottom)
        else:
            names.append(([text], line.bottom))
    anchor = lines[first]
    areas = [
        _Line(anchor.page, [" ".join(parts), columns[column][2]], anchor.size, False,
              anchor.left, anchor.top, anchor.bottom)
        for column in sorted(found)
        for parts, _ in found[column]
    ]  # fmt: skip
    used = {n for n, _ in rows} | {
        n for n, line in enumerate(lines) if abs(line.top - anchor.top) < 2 and _all_grades(line)
    }
    rest = [line for n, line in enumerate(lines) if n > first and n not in used]
    return [*lines[:first], *areas, *rest]


def _row_fragments(
    line: _Line, columns: list[tuple[float, float, str]]
) -> list[tuple[int, str]] | None:
    """A line's words gathered by the column they lie in, or None if it is no table row."""
    size = line.size
    fragments: list[tuple[int, str]] = []
    previous_right = 0.0
    for text, left, right in line.words:
        starts = [n for n, (start, _, _) in enumerate(columns) if start - size <= left]
        if not starts:
            return None
        column = starts[-1]
        if column + 1 < len(columns) and right > columns[column + 1][0] - 0.5 * size:
            return None  # a word across two columns
        if fragments and fragments[-1][0] == column:
            fragments[-1] = (column, f"{fragments[-1][1]} {text}")
        elif fragments and (column < fragments[-1][0] or left - previous_right < 0.8 * size):
            return None  # text that runs on from one column into the next
        else:
            fragments.append((column, text))
        previous_right = right
    if not fragments or any(_SENTENCE_END.search(text) for _, text in fragments):
        return None
    return fragments


def _all_grades(line: _Line) -> bool:
    return all(is_grade(cell) for cell in line.cells)


def _grade_header(lines: list[_Line]) -> tuple[int, list[tuple[float, float, str]]] | None:
    """The first line of a row of grades side by side, and the row's cells as columns."""
    # The row may be one line, or (drawn cell by cell) several lines at one height: lines of
    # grades alone are gathered by height first, so that a page of them costs no square.
    by_height: dict[int, list[_Line]] = {}
    for line in lines:
        if _all_grades(line):
            by_height.setdefault(round(line.top), []).append(line)
    tried: set[int] = set()
    for n, line in enumerate(lines):
        near = round(line.top)
        if near in tried or not _all_grades(line):
            continue
        tried.add(near)
        row = [
            (left, right, cell.rstrip("."))
            for key in range(near - 2, near + 3)
            for other in by_height.get(key, [])
            if abs(other.top - line.top) < 2
            for cell, (left, right) in zip(other.cells, other.spans, strict=True)
        ]
        if len({cell.casefold() for _, _, cell in row}) >= 2:
            return n, sorted(row)
    return None


def _grade_row(line: _Line) -> str | None:
    if len(line.cells) == 2 and is_grade(line.cells[1]) and not is_grade(line.cells[0]):
        return f"{line.cells[0]}: {line.cells[1].rstrip('.')}"
    return None


def _blocks(pages: list[list[_Line]]) -> list[_Block]:
    leadings = _leadings(pages)
    vocabulary = _vocabulary(pages)
    keep_hyphens = hyphenation_is_off(pages, vocabulary)
    blocks: list[_Block] = []
    for lines in pages:
        for line in lines:
            row = _grade_row(line)
            bullet = _BULLET.match(line.text)
            last = blocks[-1] if blocks else None
            if row is not None:
                blocks.append(_Block([line], [row], table_row=True, pages=[line.page]))
            elif bullet is not None:
                text = line.text[bullet.end() :]
                blocks.append(_Block([line], [text], item=True, pages=[line.page]))
            elif last is not None and _continues(last, line, leadings):
                end = last.pieces[-1]
                if end.endswith(tuple(_LINE_END_HYPHENS)):
                    start = end.rstrip(_LINE_END_HYPHENS)
                    kept = hyphen_kept(start, line.text, vocabulary, keep_hyphens)
                    last.pieces[-1] = f"{start}-" if kept else start
                else:
                    last.pieces.append(" ")
                last.pieces.append(line.text)
                last.lines.append(line)
                if line.page not in last.pages:
                    last.pages.append(line.page)
            else:
                blocks.append(_Block([line], [line.text], pages=[line.page]))
    return blocks


def _continues(block: _Block, line: _Line, leadings: dict[float, float]) -> bool:
    previous = block.lines[-1]
    if block.table_row or abs(previous.size - line.size) > 0.5 or previous.bold != line.bold:
        return False
    if block.item and line.left < block.lines[0].left + 1:
        return False  # back at the bullet's margin: no longer the item's text
    if line.page == previous.page:
        step = previous.bottom - line.bottom
        leading = leadings.get(line.size, 1.2 * line.size)
        return 0 < step <= 1.12 * leading
    if line.page != previous.page + 1:
        return False
    ends = _SENTENCE_END.search(block.pieces[-1]) is not None
    return not ends or line.text[:1].islower()


def _levels(blocks: list[_Block], body_size: float) -> dict[int, int]:
    """Heading levels of blocks set larger than the body, or bold at the body's size."""
    larger = sorted({b.lines[0].size for b in blocks if b.lines[0].size > 1.12 * body_size})
    larger.reverse()
    levels: dict[int, int] = {}
    for n, block in enumerate(blocks):
        first = block.lines[0]
        if block.item or block.table_row:
            continue
        if first.size in larger:
            levels[n] = min(larger.index(first.size) + 1, 4)
        elif first.bold and all(line.bold for line in block.lines) and first.size >= body_size:
            levels[n] = min(len(larger) + 1, 4)
    return levels


# --- the document -----------------------------------------------------------------------


def _open(data: bytes, name: str) -> Any:
    pdfium = _pdfium()
    raw = pdfium.raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            why = "is an encrypted PDF that needs a password; save a copy without one and import it"
        elif code == raw.FPDF_ERR_SECURITY:
            why = "is a PDF with a security handler peel cannot open; save an unprotected copy"
        else:
            why = "is a damaged or incomplete PDF that cannot be opened; download it again"
        raise PeelError(Problem(why, name)) from None


def read_pdf(data: bytes, name: str) -> Document:
    """The report a PDF holds, in the importer's text form, each line with its page."""
    pdfium = _pdfium()

    pdf = _open(data, name)
    try:
        if len(pdf) == 0:
            raise PeelError(Problem("is a PDF with no pages", name))
        pages: list[list[_Line]] = []
        for number in range(1, len(pdf) + 1):
            try:
                page = pdf[number - 1]
                textpage = page.get_textpage()
                lines = _page_lines(textpage, number)
                if _grade_header(lines) is not None:
                    # Only a table of grade columns is read word by word: read it again so.
                    lines = _page_lines(textpage, number, with_words=True)
                pages.append(lines)
                textpage.close()
                page.close()
            except pdfium.PdfiumError:
                raise PeelError(
                    Problem(f"page {number} of the PDF is damaged and cannot be read", name)
                ) from None
    finally:
        pdf.close()
    if not any(pages):
        raise PeelError(
            Problem(
                "is a PDF with no text layer (a scan?); peel reads PDFs whose text can be "
                "selected: run it through OCR first",
                name,
            )
        )
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[line.size] += len(line.text)
    body_size = sizes.most_common(1)[0][0]
    pages = drop_furniture(pages)
    for n, lines in enumerate(pages):
        lines = read_grade_columns(lines)
        kept, numbers = drop_footnotes(lines, body_size)
        if numbers:
            for line in kept:
                if not line.markers:
                    line.cells = [strip_glued_markers(c, numbers) for c in line.cells]
        pages[n] = kept
    blocks = _blocks(pages)
    if not blocks:
        raise PeelError(Problem("is a PDF with no text besides page furniture", name))
    levels = _levels(blocks, body_size)
    return blocks_to_document(
        "pdf",
        [
            (f"- {b.text}" if b.item else b.text, _place(b.pages), levels.get(n))
            for n, b in enumerate(blocks)
        ],
    )


def _place(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"page {pages[0]}"
    return f"pages {pages[0]}–{pages[-1]}"
