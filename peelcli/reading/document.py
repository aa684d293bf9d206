"""A report file read into the importer's text form: the Document every reader gives.

The form is described in :mod:`peelcli.reading`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "html", "pdf"]


@dataclass(frozen=True)
class Document:
    """The text of a report file in the importer's form, and where each line came from."""

    kind: Kind
    text: str
    # places[n - 1] is where line n came from: "page 7", "<li> after “Areas for
    # improvement”"; None for an empty line, and for text, whose line numbers are its own.
    places: Sequence[str | None] = ()
    headings: Mapping[int, int] = field(default_factory=dict)  # line number -> level 1-4
    # What the reader left out as the site's furniture: where, why, and its text (shortened),
    # for ``peel import --explain`` to name.
    dropped: Sequence[tuple[str, str, str]] = ()
    # The names a PDF's contents pages or a page's own contents list (None where the form
    # has none to read), and the PDF's own Title metadata: what the layout says of the
    # report besides its text.
    contents: Sequence[str] | None = None
    metadata_title: str | None = None

    @property
    def lines(self) -> list[str]:
        """The text's lines, numbered from 1 as the importer numbers them."""
        return self.text.split("\n")

    def place(self, line: int) -> str | None:
        """Where line ``line`` (from 1) came from in the source, if not the same line of it."""
        if 1 <= line <= len(self.places):
            return self.places[line - 1]
        return None

    def dropped_notes(self, file: str) -> list[str]:
        """A line for each block the reader left out: its place, why, and its text."""
        return [f"{file} ({place}): dropped: {why} — “{text}”" for place, why, text in self.dropped]

    def locate(self, file: str, line: int | None) -> tuple[str, int | None]:
        """A message's file and line, as a reader finds the place: the same for text; for a
        PDF or a web page, the file with its page or element, and no line, since the line
        numbers are the reader's own and not the source's."""
        if self.kind == "text" or line is None:
            return file, line
        place = self.place(line)
        return (f"{file} ({place})" if place else file), None


# Control characters are never report text: a PDF gives U+0000 for a glyph it cannot map,
# and a page may carry any of them. Whitespace among them becomes a space.
_CONTROLS = {c: None for c in [*range(0x20), 0x7F]} | {c: " " for c in (0x09, 0x0A, 0x0D)}


def one_line(text: str) -> str:
    """Text as one line: control characters gone, whitespace runs made one space."""
    return " ".join(text.translate(_CONTROLS).split())


def blocks_to_document(
    kind: Kind, blocks: Sequence[tuple[str, str | None, int | None]]
) -> Document:
    """A document of blocks (text, place, heading level), an empty line between each two."""
    lines: list[str] = []
    places: list[str | None] = []
    headings: dict[int, int] = {}
    for text, place, level in blocks:
        if lines:
            lines.append("")
            places.append(None)
        lines.append(text)
        places.append(place)
        if level is not None:
            headings[len(lines)] = level
    return Document(kind, "\n".join(lines) + "\n" if lines else "", places, headings)


def within_limit(document: Document, name: str, limit: int) -> Document:
    """The document, or a PeelError when its text is longer than the importer reads.

    A PDF may be far larger than its text, so the file and its text have limits of their own.
    """
    if len(document.text) > limit:
        from peelcli.errors import PeelError, Problem

        raise PeelError(
            Problem(
                f"holds {len(document.text):,} characters of text; the limit for one report "
                f"is {limit:,} ({limit >> 20} Mi)",
                name,
            )
        )
    return document
