"""A PDF's lines to paragraphs, list items and headings.

Lines are joined into paragraphs until a wider gap, a change of font size or weight, or a
bullet; a paragraph continues on the next page when its last line does not end a sentence (or
the next page goes on in lower case). A word broken at a line end is rejoined; see
:func:`hyphen_kept` for when its hyphen stays, and :func:`hyphenation_is_off` for a word the
document cannot settle. Lines set larger than the body, or bold, are headings.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from peelcli.reading.pdf_columns import grade_row
from peelcli.reading.pdf_lines import LINE_END_HYPHENS, SENTENCE_END, Line

_BULLET = re.compile(r"[•◦▪‣●○■□►➢\uf0a7\uf0b7*–-]\s+")
_WORD = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?")
_LAST_WORD = re.compile(r"(?<![\w’'-])[^\W\d_](?:[\w’'-]*\w)?$")


@dataclass
class Block:
    lines: list[Line]
    # The text in pieces, joined once at the end: a paragraph may run on for thousands of
    # lines, and joining as it grows would copy it once a line.
    pieces: list[str]
    item: bool = False
    table_row: bool = False
    pages: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


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
    verdict = _hyphen_verdict(head.rstrip(LINE_END_HYPHENS), tail, vocabulary)
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


def hyphenation_is_off(pages: list[list[Line]], vocabulary: Counter[str]) -> bool:
    """Whether the document's line-end hyphens are its words' rather than a typesetter's.

    Breaks the document settles by itself are counted: where more keep their hyphen than
    lose it, the typesetter did not hyphenate, and an unsettled break keeps its hyphen too.
    """
    lines = [line for page in pages for line in page]
    kept = dropped = 0
    for above, below in itertools.pairwise(lines):
        if above.text.endswith(tuple(LINE_END_HYPHENS)):
            verdict = _hyphen_verdict(above.text.rstrip(LINE_END_HYPHENS), below.text, vocabulary)
            kept += verdict is True
            dropped += verdict is False
    return kept > dropped


def vocabulary_of(pages: list[list[Line]]) -> Counter[str]:
    words: Counter[str] = Counter()
    for lines in pages:
        for line in lines:
            text = line.text.rstrip(LINE_END_HYPHENS)
            words.update(w.lower() for w in _WORD.findall(text))
    return words


def _leadings(pages: list[list[Line]]) -> dict[float, float]:
    """The usual step from one line to the next of a paragraph, for each font size."""
    steps: dict[float, Counter[float]] = {}
    for lines in pages:
        for above, below in itertools.pairwise(lines):
            step = round(above.bottom - below.bottom, 1)
            # Wider steps are gaps between paragraphs, whatever their number.
            if above.size == below.size and 0 < step <= 1.6 * above.size:
                steps.setdefault(above.size, Counter())[step] += 1
    return {size: counts.most_common(1)[0][0] for size, counts in steps.items()}


def read_blocks(pages: list[list[Line]]) -> list[Block]:
    leadings = _leadings(pages)
    vocabulary = vocabulary_of(pages)
    keep_hyphens = hyphenation_is_off(pages, vocabulary)
    blocks: list[Block] = []
    for lines in pages:
        for line in lines:
            row = grade_row(line)
            bullet = _BULLET.match(line.text)
            last = blocks[-1] if blocks else None
            if row is not None:
                blocks.append(Block([line], [row], table_row=True, pages=[line.page]))
            elif bullet is not None:
                text = line.text[bullet.end() :]
                blocks.append(Block([line], [text], item=True, pages=[line.page]))
            elif last is not None and _continues(last, line, leadings):
                end = last.pieces[-1]
                if end.endswith(tuple(LINE_END_HYPHENS)):
                    start = end.rstrip(LINE_END_HYPHENS)
                    kept = hyphen_kept(start, line.text, vocabulary, keep_hyphens)
                    last.pieces[-1] = f"{start}-" if kept else start
                else:
                    last.pieces.append(" ")
                last.pieces.append(line.text)
                last.lines.append(line)
                if line.page not in last.pages:
                    last.pages.append(line.page)
            else:
                blocks.append(Block([line], [line.text], pages=[line.page]))
    return blocks


def _continues(block: Block, line: Line, leadings: dict[float, float]) -> bool:
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
    ends = SENTENCE_END.search(block.pieces[-1]) is not None
    return not ends or line.text[:1].islower()


def heading_levels(blocks: list[Block], body_size: float) -> dict[int, int]:
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
