"""A report file's bytes to the text the importer reads, whatever form it was saved in.

:func:`to_text` tells a PDF, a saved web page (HTML) and plain text apart by their content,
never by the file's name, and gives a :class:`Document`: the text in the importer's form, and
for each line of it, where in the source it came from.

The text form that PDFs and web pages are read into (what :mod:`peelcli.importer` reads):

- one block a line: a paragraph, a heading or a list item, whatever its length;
- headings (HTML ``h1``-``h4``; in a PDF, lines set larger than the body, or bold) on lines of
  their own, their level kept beside the text in :attr:`Document.headings`;
- list items as ``- `` and the item's text, numbered items too;
- a row of a grade table as ``AREA: GRADE``, the area and the grade as the table writes
  them, less a closing full stop (``Investigating crime: Requires improvement``), one line a
  row. A grade is one of outstanding, good, adequate, requires improvement, inadequate, not
  graded or ungraded, in any case. In a web page: a table whose rows each hold an area and a
  grade (a header row aside), or whose header cells are all grades, each column listing the
  areas given that grade (a line for each area, column by column). In a PDF: a line of two
  parts set far apart, the second a grade, or a row of grades side by side with areas listed
  under them (a line for each area, column by column);
- any other table row of a web page as its cells joined by `` | ``; in a PDF, where a table
  cannot be told from text set apart, the parts of a line are joined by a space;
- an empty line between blocks, and after the last; no page furniture, no footnotes, no
  control characters, whitespace runs made one space.

Plain UTF-8 text passes through untouched: its lines are the source's lines.

The readers for PDF and HTML import their parsers when called, so that only ``peel import``
pays for them.
"""

from __future__ import annotations

from peelcli.reading.document import Document, blocks_to_document, one_line, within_limit

__all__ = ["Document", "blocks_to_document", "one_line", "to_text", "within_limit"]


def to_text(data: bytes, name: str) -> Document:
    """The text of a report file, read as a PDF, a web page or UTF-8 text by its content.

    A PDF or a web page is read in a child process under limits on its memory, CPU time,
    pages and depth (:mod:`peelcli.reading.limits`), which their variables raise.
    """
    from peelcli.reading.detect import sniff

    kind = sniff(data)
    if kind == "text":
        from peelcli.dataset.files import decode

        return Document("text", decode(data, name))
    from peelcli.reading.isolated import read_isolated
    from peelcli.reading.limits import limits_from

    limits = limits_from()
    if kind == "pdf":
        from peelcli.reading.pdf import read_pdf

        return read_isolated(kind, read_pdf, data, name, limits)
    from peelcli.reading.html import read_html

    return read_isolated(kind, read_html, data, name, limits)
