"""The one sanitiser every dataset string passes through before a terminal or plain text sees it."""

from __future__ import annotations

import re

from peelcli.text import INVISIBLE_ASTRAL, MAYBE_INVISIBLE

# C0 controls but tab and newline, DEL, C1 controls, line and paragraph separators, lone
# surrogates, and every invisible character (bidirectional controls, zero-width characters,
# tag characters, Hangul fillers…), which could hide or reorder text.
# (Beyond the BMP, the pattern matches every character, and the escapes check each.)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + MAYBE_INVISIBLE + "]"
)
_ASTRAL = re.compile(f"[{INVISIBLE_ASTRAL}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code > 0xFFFF and not _ASTRAL.match(char):
        return char  # a visible character beyond the BMP, such as an emoji
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code > 0xFFFF and not _ASTRAL.match(char):
        return char
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells a character beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def clean(text: str) -> str:
    """Text with every character that could drive a terminal shown escaped, such as \\x1b."""
    return _UNSAFE.sub(_escape, text)


def clean_json(document: str) -> str:
    """A JSON document with every character that could drive a terminal as a \\u escape.

    json.dumps escapes C0 controls itself but writes DEL, C1 controls (such as \\x9b,
    a one-byte CSI) and bidirectional overrides raw. They can only occur inside JSON
    strings, where an escape stands for the very same character: the data stays exact.
    """
    return _UNSAFE.sub(_json_escape, document)


def clean_line(text: str) -> str:
    """Like clean, and newlines and tabs escaped too: for one-line fields such as table cells."""
    return clean(text).replace("\n", "\\n").replace("\t", "\\t")
