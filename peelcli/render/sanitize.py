"""The one sanitiser every dataset string passes through before a terminal or plain text sees it."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, bidirectional overrides and
# isolates, line and paragraph separators, BOM, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ufeff\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Text with every character that could drive a terminal shown escaped, such as \\x1b."""
    return _UNSAFE.sub(_escape, text)


def clean_json(document: str) -> str:
    """A JSON document with every character that could drive a terminal as a \\u escape.

    json.dumps escapes C0 controls itself but writes DEL, C1 controls (such as \\x9b,
    a one-byte CSI) and bidirectional overrides raw. They can only occur inside JSON
    strings, where an escape stands for the very same character: the data stays exact.
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def clean_line(text: str) -> str:
    """Like clean, and newlines and tabs escaped too: for one-line fields such as table cells."""
    return clean(text).replace("\n", "\\n").replace("\t", "\\t")
