"""Text wrapped to a terminal's width, and pages of it written in one call.

A long listing is thousands of lines, and rich's wrapping and drawing, line by line, cost
more than all else a command does. So a page wraps text of one-cell characters itself,
breaking lines where rich's word wrap does (a test holds the two to the same lines), and
writes plain output itself; with colour, rich wraps and draws the page, in one call.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text


def wrapped_lines(
    console: Console, width: int, text: Text, indent: int = 4, prefix: Text | None = None
) -> list[Text]:
    """Text wrapped to width, indented, with an optional prefix (an ID) on its first line."""
    hang = indent + (prefix.cell_len + 2 if prefix is not None else 0)
    # Narrower than a few characters, fold anyway: nothing is cut, and the terminal wraps
    # what still runs over.
    room = max(width - hang, 8)
    plain = text.plain
    if "\n" in plain or "\t" in plain or cell_len(plain) > room:
        lines: Iterable[Text] = text.wrap(console, room, overflow="fold")
    else:  # one line that fits, as most are: what wrap would make of it, made at less cost
        lines = [text.copy()]
    out: list[Text] = []
    for n, line in enumerate(lines):
        line.rstrip()
        if n == 0 and prefix is not None:
            first = Text(" " * indent)
            first.append_text(prefix)
            first.append("  ")
            first.append_text(line)
            line = first
        elif line.style:  # the padding must stay out of a style the whole line has
            line = Text(" " * hang) + line
        else:
            line.pad_left(hang)
        out.append(line)
    return out


class Page:
    """A layout's lines, wrapped to the console and written in one call when complete."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.width = self.console.width
        self.plain = self.console.color_system is None  # no styles are drawn
        self.lines: list[Text] = []
        self.text: list[str] = []  # the lines, when plain

    def blank(self) -> None:
        if self.plain:
            self.text.append("")
        else:
            self.lines.append(Text())

    def wrapped(self, text: Text, indent: int = 4, prefix: Text | None = None) -> None:
        plain = text.plain
        head = prefix.plain if prefix is not None else None
        if not self.plain or not one_cell(plain) or (head is not None and not one_cell(head)):
            lines = wrapped_lines(self.console, self.width, text, indent, prefix)
            if self.plain:
                self.text += [line.plain for line in lines]
            else:
                self.lines += lines
            return
        self.text += plain_lines(plain, self.width, indent, head)

    def print(self) -> None:
        if self.text:
            # As rich would print them: no line ends in spaces (make_console's stream).
            self.console.file.write("\n".join(self.text) + "\n")
        if self.lines:
            self.console.print(Text("\n").join(self.lines), soft_wrap=True)


_WORD = re.compile(r"\s*\S+\s*")  # a word with the spaces around it, as rich's wrap reads words
_CELLS: dict[str, int] = {}


def one_cell(text: str) -> bool:
    """Whether text is printable and every character of it one cell wide (as rich counts)."""
    if not text.isprintable():  # line breaks, tabs, controls, spaces other than ' '
        return False
    if text.isascii():
        return True
    for char in set(text):
        if char > "\x7f":
            width = _CELLS.get(char)
            if width is None:
                width = _CELLS[char] = cell_len(char)
            if width != 1:
                return False
    return True


def plain_lines(text: str, width: int, indent: int, prefix: str | None) -> list[str]:
    """terminal.wrapped_lines's lines, as plain text, for printable one-cell text."""
    hang = indent + (len(prefix) + 2 if prefix is not None else 0)
    room = max(width - hang, 8)
    cuts = [0, *_breaks(text, room), len(text)] if len(text) > room else [0, len(text)]
    lines = [text[a:b][:room].rstrip() for a, b in itertools.pairwise(cuts)]
    pad = " " * hang
    first = " " * indent + prefix + "  " if prefix is not None else pad
    return [(first if n == 0 else pad) + line for n, line in enumerate(lines)]


def _breaks(text: str, width: int) -> list[int]:
    """Where rich's word wrap (folding words longer than a line) breaks one-cell text."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # a word longer than a line, folded
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for chunk in chunks[:-1]:
                if start:
                    breaks.append(start)
                start += len(chunk)
            if start:
                breaks.append(start)
            offset = len(chunks[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks
