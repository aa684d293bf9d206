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
- a contents page's entries are kept as names beside the text, and the PDF's Title metadata
  too, for the importer to weigh (it never takes them over the text);
- lines set larger than the body, or bold, are headings: levels by size, largest first;
- a line of two cells far apart whose second is a grade ("Investigating crime   Good") is a
  grade table row, ``Investigating crime: Good``; a row of grades side by side heads a table
  of grade columns, each listing the areas given its grade: see :func:`read_grade_columns`.

Each step has its module: characters to lines in :mod:`~peelcli.reading.pdf_lines`, page
furniture in :mod:`~peelcli.reading.pdf_furniture`, grade tables in
:mod:`~peelcli.reading.pdf_columns`, lines to paragraphs in
:mod:`~peelcli.reading.pdf_paragraphs`. See :mod:`peelcli.reading` for the text form.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from peelcli.errors import PeelError, Problem
from peelcli.reading.document import Document, blocks_to_document, one_line
from peelcli.reading.limits import DEFAULTS, Limits, over_pages
from peelcli.reading.pdf_columns import grade_header, read_grade_columns
from peelcli.reading.pdf_furniture import (
    contents_names,
    drop_footnotes,
    drop_furniture,
    strip_glued_markers,
)
from peelcli.reading.pdf_lines import Line, page_lines, pdfium
from peelcli.reading.pdf_paragraphs import heading_levels, read_blocks


def _open(data: bytes, name: str) -> Any:
    library = pdfium()
    raw = library.raw
    try:
        return library.PdfDocument(data)
    except library.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            why = "is an encrypted PDF that needs a password; save a copy without one and import it"
        elif code == raw.FPDF_ERR_SECURITY:
            why = "is a PDF with a security handler peel cannot open; save an unprotected copy"
        else:
            why = "is a damaged or incomplete PDF that cannot be opened; download it again"
        raise PeelError(Problem(why, name)) from None


def read_pdf(data: bytes, name: str, limits: Limits = DEFAULTS) -> Document:
    """The report a PDF holds, in the importer's text form, each line with its page.

    A PDF of more pages than the limits allow is refused before a page is read.
    """
    library = pdfium()
    pdf = _open(data, name)
    try:
        if len(pdf) == 0:
            raise PeelError(Problem("is a PDF with no pages", name))
        if len(pdf) > limits.pages:
            raise over_pages(name, len(pdf), limits)
        metadata_title = _metadata_title(pdf, library)
        pages: list[list[Line]] = []
        for number in range(1, len(pdf) + 1):
            try:
                page = pdf[number - 1]
                textpage = page.get_textpage()
                lines = page_lines(textpage, number)
                if grade_header(lines) is not None:
                    # Only a table of grade columns is read word by word: read it again so.
                    lines = page_lines(textpage, number, with_words=True)
                pages.append(lines)
                textpage.close()
                page.close()
            except library.PdfiumError:
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
    contents = contents_names(pages)
    pages = drop_furniture(pages)
    for n, lines in enumerate(pages):
        lines = read_grade_columns(lines)
        kept, numbers = drop_footnotes(lines, body_size)
        if numbers:
            for line in kept:
                if not line.markers:
                    line.cells = [strip_glued_markers(c, numbers) for c in line.cells]
        pages[n] = kept
    blocks = read_blocks(pages)
    if not blocks:
        raise PeelError(Problem("is a PDF with no text besides page furniture", name))
    levels = heading_levels(blocks, body_size)
    document = blocks_to_document(
        "pdf",
        [
            (f"- {b.text}" if b.item else b.text, _place(b.pages), levels.get(n))
            for n, b in enumerate(blocks)
        ],
    )
    return replace(document, contents=tuple(contents), metadata_title=metadata_title)


def _metadata_title(pdf: Any, library: Any) -> str | None:
    """The PDF's Title metadata as one line, or None where it has none or it is unreadable."""
    try:
        title = one_line(pdf.get_metadata_value("Title") or "")
    except (library.PdfiumError, ValueError, UnicodeError):
        return None
    return title[:300] or None


def _place(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"page {pages[0]}"
    return f"pages {pages[0]}–{pages[-1]}"
