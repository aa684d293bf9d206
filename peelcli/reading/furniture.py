"""The words of a site's furniture, as a copied page, a saved page or a PDF of a page gives them.

One list for every form: the web page reader drops a block that is furniture, and the importer
drops a line that is, so that text copied from a browser, a saved page and a page printed to
PDF lose the same lines. A block is furniture when it is made of these phrases and nothing
else: "Back to top", "Back to top ↑", "Share this page Print this page", "Skip to content",
"Contents", "Last updated 02/03/2017". Report text that uses the words ("Share information
with partners", "Contents of the plan") is never furniture.

A publication date ("Published on: 12 March 2025") is not furniture: it says when the report
was published, and the importer keeps it. No imports, so anything may use it cheaply.
"""

from __future__ import annotations

import re

_DATE = r"(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|(?:\d{1,2}\s+)?[A-Za-z]+\s+\d{4})"
_PHRASE = (
    r"(?:skip\s+to\s+(?:the\s+)?(?:main\s+)?content"
    r"|(?:back|return|go)\s+to\s+(?:the\s+)?top(?:\s+of\s+(?:the\s+)?page)?"
    r"|top\s+of\s+(?:the\s+)?page"
    rf"|last\s+updated(?:\s+on)?:?\s+{_DATE}"
    r"|share(?:\s+this(?:\s+page|\s+report|\s+document)?)?(?:\s+on\s+\w+|\s+via\s+\w+)?"
    r"|print(?:\s+this(?:\s+page|\s+report|\s+document)?)?"
    r"|(?:table\s+of\s+)?contents|on\s+this\s+page"
    r"|twitter|facebook|linkedin|email)"
)
# Arrows and separators that a site sets around its links.
_MARKS = r"[\s|•·↑▲⬆⇧^]"
_FURNITURE = re.compile(rf"{_MARKS}*{_PHRASE}(?:{_MARKS}+{_PHRASE})*{_MARKS}*", re.IGNORECASE)
_LONGEST = 160  # no run of these phrases is longer


def is_furniture(text: str) -> bool:
    """Whether a block or line is the site's furniture and nothing else."""
    return len(text) <= _LONGEST and _FURNITURE.fullmatch(text) is not None
