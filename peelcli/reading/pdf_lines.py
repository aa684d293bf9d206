"""A PDF page's characters to lines: each line's cells, font size, weight and place.

Text is read with pypdfium2 (PDFium, as Chrome uses it), character by character with each
character's box and font size, so that layout can be told from text. Footnote markers (digits
set small and raised after a word) are taken out of the line and counted.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from peelcli.reading.document import one_line

LINE_END_HYPHENS = "-\x02\ufffe\u00ad\u2010"
SENTENCE_END = re.compile(r"[.!?:][’”\"')\]]*$")
_FORCE_BOLD = 1 << 18  # a PDF font descriptor flag
# Typeset ligatures some PDFs give as one character: "ﬁnd" must read as "find" to be found.
# PDFium's marks for a hyphen it took to be a typesetter's become plain hyphens, for
# hyphen_kept to judge, before control characters are cleared away.
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
    | {"\x02": "-", "\ufffe": "-"}
)


@dataclass
class Line:
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


def pdfium() -> Any:
    """The pypdfium2 module, imported on first use: only reading a PDF pays for it."""
    import pypdfium2  # type: ignore[import-untyped]

    return pypdfium2


# A character: its text, box (left, right, bottom, top), font size and index on the page.
# Plain tuples, as the loop over every character of a PDF is where reading spends its time.
# The size of a character with no ink (a space, a soft hyphen) is 0.
_Char = tuple[str, float, float, float, float, float, int]


def page_lines(textpage: Any, page: int, with_words: bool = False) -> list[Line]:
    raw = pdfium().raw
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
    lines: list[Line] = []
    chars: list[_Char] = []
    add = chars.append
    floor = ceiling = last_right = 0.0  # the line's bottom and top, its last ink's right
    height = size = -1.0
    started = False
    uninked = " \t\x0b\x0c\xa0" + LINE_END_HYPHENS[1:]
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


def _line(chars: list[_Char], page: int, textpage: Any, with_words: bool) -> list[Line]:
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
        Line(
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
    raw = pdfium().raw
    handle = textpage.raw
    if raw.FPDFText_GetFontWeight(handle, index) >= 600:
        return True
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    raw.FPDFText_GetFontInfo(handle, index, buffer, len(buffer), ctypes.byref(flags))
    name = buffer.value.decode("latin-1").lower()
    return bool(flags.value & _FORCE_BOLD) or any(w in name for w in ("bold", "black", "heavy"))
