"""A PDF's grade tables: rows of an area and a grade, and grades side by side heading columns."""

from __future__ import annotations

from peelcli.reading.html import is_grade
from peelcli.reading.pdf_lines import SENTENCE_END, Line


def read_grade_columns(lines: list[Line]) -> list[Line]:
    """A page's lines with a table of grade columns made lines of area and grade.

    The table's header is two or more grades side by side; each column lists the areas given
    its grade, a name that wraps being one area. The table ends at the first line that is not
    a row of it: set differently, or further below it than a line or two, or starting left of
    the first column, or whose words run on from one column into the next, or that ends a
    sentence.
    """
    header = grade_header(lines)
    if header is None:
        return lines
    first, columns = header
    rows: list[tuple[int, list[tuple[int, str]]]] = []
    style = None
    floor = lines[first].bottom  # the lowest bottom of the table so far
    for n in range(first + 1, len(lines)):
        line = lines[n]
        fragments = _row_fragments(line, columns)
        if (
            fragments is None
            or (style is not None and style != (line.size, line.bold))
            or line.top > lines[first].bottom
            or line.top < floor - 2.5 * line.size
        ):
            break
        style = (line.size, line.bold)
        floor = min(floor, line.bottom)
        rows.append((n, fragments))
    if not rows:
        return lines
    # Each column's fragments from the top down; one that follows the one above it at the
    # line's own leading continues its name.
    found: dict[int, list[tuple[list[str], float]]] = {}
    placed = sorted(
        (
            (column, -lines[n].top, text, lines[n])
            for n, fragments in rows
            for column, text in fragments
        ),
        key=lambda fragment: fragment[:2],
    )
    for column, _, text, line in placed:
        names = found.setdefault(column, [])
        if names and names[-1][1] - line.top < 0.6 * line.size:
            names[-1][0].append(text)
            names[-1] = (names[-1][0], line.bottom)
        else:
            names.append(([text], line.bottom))
    anchor = lines[first]
    areas = [
        Line(anchor.page, [" ".join(parts), columns[column][2]], anchor.size, False,
              anchor.left, anchor.top, anchor.bottom)
        for column in sorted(found)
        for parts, _ in found[column]
    ]  # fmt: skip
    used = {n for n, _ in rows} | {
        n for n, line in enumerate(lines) if abs(line.top - anchor.top) < 2 and _all_grades(line)
    }
    rest = [line for n, line in enumerate(lines) if n > first and n not in used]
    return [*lines[:first], *areas, *rest]


def _row_fragments(
    line: Line, columns: list[tuple[float, float, str]]
) -> list[tuple[int, str]] | None:
    """A line's words gathered by the column they lie in, or None if it is no table row."""
    size = line.size
    fragments: list[tuple[int, str]] = []
    previous_right = 0.0
    for text, left, right in line.words:
        starts = [n for n, (start, _, _) in enumerate(columns) if start - size <= left]
        if not starts:
            return None
        column = starts[-1]
        if column + 1 < len(columns) and right > columns[column + 1][0] - 0.5 * size:
            return None  # a word across two columns
        if fragments and fragments[-1][0] == column:
            fragments[-1] = (column, f"{fragments[-1][1]} {text}")
        elif fragments and (column < fragments[-1][0] or left - previous_right < 0.8 * size):
            return None  # text that runs on from one column into the next
        else:
            fragments.append((column, text))
        previous_right = right
    if not fragments or any(SENTENCE_END.search(text) for _, text in fragments):
        return None
    return fragments


def _all_grades(line: Line) -> bool:
    return all(is_grade(cell) for cell in line.cells)


def grade_header(lines: list[Line]) -> tuple[int, list[tuple[float, float, str]]] | None:
    """The first line of a row of grades side by side, and the row's cells as columns."""
    # The row may be one line, or (drawn cell by cell) several lines at one height: lines of
    # grades alone are gathered by height first, so that a page of them costs no square.
    by_height: dict[int, list[Line]] = {}
    for line in lines:
        if _all_grades(line):
            by_height.setdefault(round(line.top), []).append(line)
    tried: set[int] = set()
    for n, line in enumerate(lines):
        near = round(line.top)
        if near in tried or not _all_grades(line):
            continue
        tried.add(near)
        row = [
            (left, right, cell.rstrip("."))
            for key in range(near - 2, near + 3)
            for other in by_height.get(key, [])
            if abs(other.top - line.top) < 2
            for cell, (left, right) in zip(other.cells, other.spans, strict=True)
        ]
        if len({cell.casefold() for _, _, cell in row}) >= 2:
            return n, sorted(row)
    return None


def grade_row(line: Line) -> str | None:
    if len(line.cells) == 2 and is_grade(line.cells[1]) and not is_grade(line.cells[0]):
        return f"{line.cells[0]}: {line.cells[1].rstrip('.')}"
    return None
