"""Shared by the hostile-input tests: reports with chosen text, an exact YAML writer, and the
check that nothing written to a terminal carries a raw control character."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import cycle
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# What must never reach a terminal raw: C0 controls but newline and tab, DEL, C1 controls,
# bidirectional marks, overrides and isolates, line and paragraph separators, and the BOM.
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
# The colour rich writes itself: Select Graphic Rendition, ESC [ digits and ';' m.
SGR = re.compile(r"\x1b\[[0-9;]*m")

# Data that tries to drive a terminal or a renderer. Every piece is written escaped or shown
# as the literal text it is, so each has no spaces: wrapping cannot split it.
PAYLOAD = (
    "\x1b[31mRED\x1b[0m "  # SGR colour
    "\x1b]0;pwned\x07 "  # OSC: set the window title
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ "  # OSC 8 hyperlink
    "\x9b2J "  # C1 CSI: clear the screen
    "\x1b[2J\x1b[H "  # clear the screen, cursor home
    "[bold]B[/bold] [link=http://evil.example]L[/link] [red "  # rich markup, one unclosed
    ":smile: :thumbs_up: "  # rich emoji codes
    "\u202eRTL\u202c \u2066ISO\u2069 "  # bidi override and isolate
    "BS\x08\x08 CR\rX DEL\x7f NUL\x00 BEL\x07 NEL\x85 LS\u2028 BOM\ufeff "
    "'single' \"double\" back\\slash %s {0}"
)
# How PAYLOAD's pieces must look in any terminal or plain-text output.
PAYLOAD_SHOWN = (
    "\\x1b[31mRED\\x1b[0m",
    "BS\\x08\\x08",
    "\\x1b]0;pwned\\x07",
    "\\x9b2J",
    "\\x1b[2J\\x1b[H",
    "[bold]B[/bold]",
    "[link=http://evil.example]L[/link]",
    ":smile:",
    "\\u202eRTL\\u202c",
    "\\u2066ISO\\u2069",
    "CR\\x0dX",
    "DEL\\x7f",
    "NUL\\x00",
    "NEL\\x85",
    "LS\\u2028",
    "BOM\\ufeff",
)


def raw_controls(text: str, colour: bool = False) -> list[str]:
    """Raw control characters in output; with colour, rich's own SGR sequences are allowed."""
    if colour:
        text = SGR.sub("", text)
    return RAW_CONTROL.findall(text)


# --- reports -----------------------------------------------------------------------


def report_data(*texts: str, force: str | None = None) -> dict[str, Any]:
    """A valid report whose every free-text field holds one of texts, in turn."""
    text = cycle(texts or ("Text",)).__next__
    return {
        "force": force if force is not None else text(),
        "year": 2016,
        "inspectorate": text(),
        "programme": text(),
        "title": text(),
        "source": text(),
        "pillars": [
            {
                "id": "E",
                "name": text(),
                "question": text(),
                "grade": "good",
                "grade_source": text(),
                "questions": [
                    {
                        "id": "E1",
                        "title": text(),
                        "grade": "inadequate",
                        "judgement": text(),
                        "summary": [text(), text()],
                        "note": text(),
                        "earlier_grades": [{"year": 2015, "grade": "good", "quote": text()}],
                        "areas_for_improvement": [{"id": "E1.A1", "text": text()}],
                        "causes_of_concern": [
                            {
                                "id": "E1.C1",
                                "text": text(),
                                "recommendations_lead_in": text(),
                                "recommendations": [
                                    {"id": "E1.R1", "text": text()},
                                    {"id": "E1.R2", "text": text()},
                                ],
                            }
                        ],
                    },
                    {"id": "E2", "title": text(), "grade": "ungraded"},
                ],
            }
        ],
    }


def finding_texts(data: dict[str, Any]) -> dict[str, str]:
    """Every finding's ID and text in a report's data, in reading order."""
    out: dict[str, str] = {}
    for pillar in data["pillars"]:
        for question in pillar["questions"]:
            for area in question.get("areas_for_improvement", []):
                out[area["id"]] = area["text"]
            for cause in question.get("causes_of_concern", []):
                out[cause["id"]] = cause["text"]
                for rec in cause.get("recommendations", []):
                    out[rec["id"]] = rec["text"]
    return out


def quoted(value: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly value, whatever it holds."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        return str(value)
    return "[]" if isinstance(value, list) else "{}"


def _block(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    for key, item in items:
        lead = f"{pad}{quoted(key)}:" if key is not None else f"{pad}-"
        if isinstance(item, (dict, list)) and item:
            inner = _block(item, indent + 2)
            if key is None:  # "- " then the first line of the item, the rest beneath it
                lines.append(f"{lead} {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(lead)
                lines.extend(inner)
        else:
            lines.append(f"{lead} {_scalar(item)}")
    return lines


def to_yaml(data: dict[str, Any]) -> str:
    """Block-style YAML whose every string is double-quoted and escaped: it loads back exactly."""
    return "\n".join(_block(data, 0)) + "\n"


def write_report(path: Path, data: dict[str, Any]) -> Path:
    """Write a report's data as YAML to path; returns path."""
    path.write_text(to_yaml(data), encoding="utf-8")
    return path


# --- hypothesis --------------------------------------------------------------------

HOSTILE_PIECES: Sequence[str] = (
    "\x1b[31m",
    "\x1b]8;;http://x\x07",
    "\x1b\\",
    "\x9b",
    "\x9d",
    "\x07",
    "\x00",
    "\x7f",
    "\r",
    "\n",
    "\t",
    "\x85",
    "\u2028",
    "\u202e",
    "\u2067",
    "\ufeff",
    "[bold]",
    "[/]",
    "[link=x]",
    ":smile:",
    "[",
    "]",
    "'",
    '"',
    "\\",
    "|",
    ",",
    "é",
    "İ",
    "Σ",
    "ς",
    "😀",
    "e\u0301",
)
# Any Unicode text but surrogates (which UTF-8 files cannot hold), weighted towards the pieces
# above, never blank (the dataset format refuses blank text).
hostile_text = (
    st.lists(
        st.one_of(
            st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
            st.sampled_from(HOSTILE_PIECES),
        ),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(lambda text: bool(text.strip()))
)
