"""What form a file's bytes are in, from its content alone: PDF, HTML or text."""

from __future__ import annotations

import re

from peelcli.reading.document import Kind

# A PDF's header may follow up to 1024 bytes of other data (PDF 1.7, annex H).
PDF_WINDOW = 1024
_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|link|"
    rb"base|style|script|main|div|p|h[1-6]|article|section|table|ul|ol)[\s/>]",
    re.IGNORECASE,
)


def sniff(data: bytes) -> Kind:
    """'pdf' for a PDF header near the start, 'html' for markup at the start, else 'text'."""
    if b"%PDF-" in data[:PDF_WINDOW]:
        return "pdf"
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    # A page saved as UTF-16 keeps a NUL in every ASCII character.
    if head[:2].count(b"\0") == 1:
        head = head.replace(b"\0", b"")
    if _HTML_START.match(head, _after_comments(head)):
        return "html"
    return "text"


def _after_comments(head: bytes) -> int:
    """Where the first markup after leading whitespace and comments starts.

    Comments are skipped one by one: a pattern that repeats a comment, its end found lazily,
    tries every way of splitting a run of them into comments, twice as many for each one.
    """
    at = 0
    while True:
        while at < len(head) and head[at : at + 1].isspace():
            at += 1
        if not head.startswith(b"<!--", at):
            return at
        end = head.find(b"-->", at + 4)
        if end < 0:
            return at
        at = end + 3
