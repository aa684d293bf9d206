"""What form a file's bytes are in, from its content alone: PDF, HTML or text."""

from __future__ import annotations

import re

from peelcli.reading.document import Kind

# A PDF's header may follow up to 1024 bytes of other data (PDF 1.7, annex H).
PDF_WINDOW = 1024
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|link|"
    rb"base|style|script|main|div|p|h[1-6]|article|section|table|ul|ol)[\s/>]",
    re.IGNORECASE | re.DOTALL,
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
    if _HTML_START.match(head):
        return "html"
    return "text"
