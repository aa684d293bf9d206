"""How deep a YAML text can nest and how many values it can hold, bounded by counting.

Both readers check these bounds before they read: a reader that recurses once per level
can be crashed by a deep enough document, and one that holds every value can be made to
hold a gigabyte. Counting characters is far cheaper than reading, and for any real report
both bounds come out small, so the exact count (over the events, in
:mod:`peelcli.dataset.parse`) is needed only for a text these bounds cannot clear.
"""

from __future__ import annotations

import re
from typing import AnyStr

# Each value needs one of these before it, and no mark starts more than two values.
_VALUE_MARKS = ",\n-:[{?"


def surely_within(text: AnyStr, max_depth: int, max_values: int) -> bool:
    """Whether counting alone shows that `text` nests no deeper than `max_depth` levels and
    holds no more than `max_values` values. False means it might not: not that it does."""
    # Each level of nesting needs a '[' or '{', or indentation or a '- ', '? ', ': ' at the
    # start of a line. The depth bound is brackets + 2 * (longest such line start + 1); rather
    # than measure every line start, look for one too long.
    marks: AnyStr = _VALUE_MARKS if isinstance(text, str) else _VALUE_MARKS.encode()
    square, curly = marks[4:5], marks[5:6]
    brackets = 0
    if square in text or curly in text:  # finding a character is quicker than counting it
        brackets = text.count(square) + text.count(curly)
    room = (max_depth - brackets) // 2 - 1  # the longest line start within the bound
    if room < 0 or _line_starts_with(text, f"[ \\t?:-]{{{room + 1}}}"):
        return False
    if 2 * len(text) + 2 <= max_values:  # no more marks than characters
        return True
    values_bound = 2 * sum(text.count(marks[i : i + 1]) for i in range(len(marks))) + 2
    return values_bound <= max_values


def _line_starts_with(text: AnyStr, pattern: str) -> bool:
    # "\n" first, so that the search skips from line to line instead of trying every place.
    if isinstance(text, bytes):
        raw = pattern.encode()
        return re.match(raw, text) is not None or re.search(b"\n" + raw, text) is not None
    return re.match(pattern, text) is not None or re.search("\n" + pattern, text) is not None
