"""Whether a line of a PDF is a contents entry (text, a dot leader, a page number), and its name.

"Investigating crime ........ 12", "Investigating crime . . . . 12", "Summary …… 3": some text,
then a leader of at least four full stops (spaces between them or not) or two or more
ellipses, then a page number of one to four digits ending the line.

A regular expression that says so (``.*\\S\\s*(?:(?:\\.\\s*){4,}|…{2,}\\s*)\\s*\\d{1,4}``)
backtracks: each place the leader might start is tried against the rest of the line, so a line
of thousands of ". " costs the square of its length. This scan reads the line once, from its
end, and answers as that expression, matched against the whole of a line, would.
:func:`entry_name` takes an entry's leader and page number off in the same way.
"""

from __future__ import annotations

LEADER_DOTS = 4  # full stops in a dot leader, at least
LEADER_ELLIPSES = 2  # or ellipses side by side
PAGE_DIGITS = 4  # a page number has at most this many


def is_dot_leader_line(line: str) -> bool:
    """Whether a line (no line breaks in it) is text, a dot leader and a page number."""
    end = len(line)
    digits = end
    while digits > 0 and line[digits - 1].isdecimal():
        digits -= 1
    if not 1 <= end - digits <= PAGE_DIGITS:
        return False
    leader_end = digits
    while leader_end > 0 and line[leader_end - 1].isspace():
        leader_end -= 1
    return _dots_before(line, leader_end) or _ellipses_before(line, leader_end)


def _dots_before(line: str, end: int) -> bool:
    # Full stops and spaces back from end; the leader needs four stops and something that is
    # not a space before them, which may be a fifth stop.
    start, dots = _dots_back(line, end)
    if start == end:  # what ends the leader is no full stop
        return False
    return dots > LEADER_DOTS or (dots == LEADER_DOTS and start > 0)


def _ellipses_before(line: str, end: int) -> bool:
    start = end
    while start > 0 and line[start - 1] == "…":
        start -= 1
    ellipses = end - start
    if ellipses > LEADER_ELLIPSES:
        return True  # the first ellipsis is the text before the leader
    if ellipses < LEADER_ELLIPSES:
        return False
    while start > 0 and line[start - 1].isspace():
        start -= 1
    return start > 0


def entry_name(line: str) -> str:
    """A contents entry less its page number, and the dot leader and spaces before it.

    As ``re.sub(r"\\s*(?:(?:\\.\\s*){4,}|…{2,}\\s*)?\\s*\\d{1,4}$", "", line)`` would, but
    reading the line once, from its end: that search tries every place in a run of dots.
    """
    digits = len(line)
    while digits > 0 and line[digits - 1].isdecimal() and len(line) - digits < PAGE_DIGITS:
        digits -= 1
    if digits == len(line):
        return line  # no page number
    start = _skip_spaces(line, digits)
    dots, count = _dots_back(line, start)
    if count >= LEADER_DOTS:
        return line[:dots]
    ellipses = start
    while ellipses > 0 and line[ellipses - 1] == "…":
        ellipses -= 1
    if start - ellipses >= LEADER_ELLIPSES:
        return line[: _skip_spaces(line, ellipses)]
    return line[:start]


def _dots_back(line: str, end: int) -> tuple[int, int]:
    """Where the run of full stops and whitespace that ends at ``end`` starts, and its stops."""
    start = end
    dots = 0
    while start > 0:
        char = line[start - 1]
        if char == ".":
            dots += 1
        elif not char.isspace():
            break
        start -= 1
    return start, dots


def _skip_spaces(line: str, end: int) -> int:
    """Where the run of whitespace that ends at ``end`` starts."""
    while end > 0 and line[end - 1].isspace():
        end -= 1
    return end
