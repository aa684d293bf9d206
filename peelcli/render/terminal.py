"""Output for people: rich tables and colour on a terminal, the same layout plain when piped.

The console, wrapping, tables and labels every terminal layout draws with; the layouts are
in the modules beside it (reading_terminal, across_reports, tracking_terminal).

Every dataset string reaches rich as a ``Text`` built from sanitised text, with
markup and emoji codes off, so nothing in the data is interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TextIO, cast

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from peelcli.env import Environment
from peelcli.models import Grade, Report, Truncation
from peelcli.query import FindingRow, Hit, PillarRow, QuestionRow
from peelcli.render.sanitize import clean, clean_line
from peelcli.render.theme import grade_style, rag_style
from peelcli.render.wrapping import Page, wrapped_lines

# A finding's tracked fields (status, rag, …), where a tracker is in use.
Tracked = Callable[[FindingRow], dict[str, Any]] | None

# Spaces at the end of a line, before any style codes that close it.
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)(?=\n)")


class _NoTrailingSpaces:
    """A text stream that writes what rich gives it without spaces at the ends of lines.

    rich pads table cells and wrapped lines with spaces to their width; on a screen they
    are invisible, in a file or a diff they are noise. rich writes each print's text in one
    call, so every line a call holds ends in it. Data cannot hold escape codes (the
    sanitiser shows them escaped), so only rich's own are matched.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_TRAILING.sub(r"\1", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich's own handler exits with status 1, which to peel means "nothing matched";
        # let the command end a closed pipe the way it does for every other format.
        raise BrokenPipeError


def make_console(env: Environment) -> Console:
    """A console on stdout that never interprets markup, emoji codes or highlights."""
    color = env.use_color()
    console = _Console(
        file=cast(TextIO, _NoTrailingSpaces(env.stdout)),
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        markup=False,
        emoji=False,
        highlight=False,
        width=env.width,
        soft_wrap=False,
    )
    if console.width < 1:  # COLUMNS=0, which rich takes at its word and prints nothing
        import shutil

        console.width = shutil.get_terminal_size().columns  # it skips COLUMNS=0
    return console


def _t(text: str | None, style: str = "") -> Text:
    return Text(clean(text or ""), style=style)


def _cell(text: str | None, style: str = "") -> Text:
    return Text(clean_line(text or ""), style=style)


def _print_wrapped(
    console: Console, text: Text, indent: int = 4, prefix: Text | None = None
) -> None:
    """Text wrapped to the console, indented, with an optional prefix (an ID) on its first line.

    Wraps by hand rather than with rich's Padding, which pads every line with trailing spaces.
    """
    for line in wrapped_lines(console, console.width, text, indent, prefix):
        console.print(line, soft_wrap=True)


# --- tables that never cut a word --------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A table column: its header, alignment, and the width below which it is no use to read."""

    header: str
    justify: Literal["left", "right"] = "left"
    # Text columns narrower than this wrap into a word or two a line: a record layout reads
    # better, so below it the table gives way.
    comfortable: int = 0


def _measure(console: Console, cell: Text) -> tuple[int, int]:
    """A cell's narrowest width (its longest word) and its natural width (its longest line)."""
    measured = Measurement.get(console, console.options.update_width(1_000_000), cell)
    return measured.minimum, measured.maximum


def column_widths(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Text]],
    room: int,
) -> list[int] | None:
    """Widths that fit every column's longest word in room, or None where no such widths exist.

    rich's own narrowing takes width from the widest column first, so it folds a word in one
    column while another column still has room to wrap: widths are shared out here instead.
    Each column gets its longest word (or its comfortable width); what is left goes to the
    columns that still wrap, in proportion to how much more they would take.
    """
    lows: list[int] = []
    highs: list[int] = []
    for i, column in enumerate(columns):
        cells = [Text(column.header), *(row[i] for row in rows)]
        sizes = [_measure(console, cell) for cell in cells]
        high = max(size[1] for size in sizes)
        low = max(size[0] for size in sizes)
        if column.comfortable:
            # Text wraps, and a word longer than a comfortable column (a web address, a
            # run of CJK, which has no spaces to wrap at) folds rather than push the
            # table into records.
            low = column.comfortable
        lows.append(min(high, low))
        highs.append(high)
    if sum(highs) <= room:
        return highs
    spare = room - sum(lows)
    if spare < 0:
        return None
    # Share the spare width out evenly, a column that needs less than its share taking only
    # what it needs: short columns (a grade, a kind) are whole before long text gets the rest.
    widths = list(lows)
    wanting = [i for i in range(len(widths)) if widths[i] < highs[i]]
    while spare and wanting:
        share = max(spare // len(wanting), 1)
        for i in sorted(wanting, key=lambda i: highs[i] - widths[i]):
            give = min(share, highs[i] - widths[i], spare)
            widths[i] += give
            spare -= give
        wanting = [i for i in wanting if widths[i] < highs[i]]
    return widths


def table_frame(table: Table) -> int:
    """The width a table takes besides its cells' text: its rules and its cells' padding, as
    rich lays them out (from the table's public settings, not rich's private helpers)."""
    _, pad_right, _, pad_left = table.padding
    if table.collapse_padding:  # a cell's left padding falls within its neighbour's right
        pad_left = 0
    count = len(table.columns)
    padding = (pad_left + pad_right) * count
    if not table.pad_edge and count:  # none outside the first and last columns
        padding -= pad_left + pad_right
    rules = 0
    if table.box:
        rules = count - 1 + (2 if table.show_edge else 0)
    return rules + padding


def print_table(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Text]],
    *,
    show_lines: bool = False,
    grid: bool = False,
) -> None:
    """Rows as a table where every column fits its longest word, else one field per line.

    Every word of every cell is shown: a cell wraps at spaces and folds only a word longer
    than its column, and no line ends in spaces.
    """
    if grid:
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
            header_style="bold",
        )
    else:
        table = Table(show_edge=False, pad_edge=False, header_style="bold", show_lines=show_lines)
    for column in columns:
        table.add_column(column.header, justify=column.justify, overflow="fold")
    room = console.width - table_frame(table)
    widths = column_widths(console, columns, rows, room)
    if widths is None:
        print_records(console, columns, rows)
        return
    for drawn, width in zip(table.columns, widths, strict=True):
        drawn.width = width
    for row in rows:
        table.add_row(*row)
    console.print(table)


def print_records(
    console: Console, columns: Sequence[Column], rows: Sequence[Sequence[Text]]
) -> None:
    """Each row as a record, a field a line: for a terminal too narrow for a table."""
    width = max(len(c.header) for c in columns)
    labels = [Text(column.header.ljust(width), style="bold") for column in columns]
    page = Page(console)  # thousands of lines: written in one call, as compare's are
    for n, row in enumerate(rows):
        if n:
            page.blank()
        for label, cell in zip(labels, row, strict=True):
            page.wrapped(cell, indent=0, prefix=label)
    page.print()


def print_entries(console: Console, entries: Sequence[str], style: str = "dim") -> None:
    """Entries such as a legend's, apart by ' · ', a line broken between entries, never inside."""
    lines: list[str] = []
    for entry in entries:
        if lines and len(lines[-1]) + 3 + len(entry) <= console.width:
            lines[-1] += " · " + entry
        else:
            lines.append(entry)
    for line in lines:
        _print_wrapped(console, Text(line, style=style), indent=0)


def grade_label(grade: Grade) -> Text:
    """A grade in its colour and in words, so colour is never the only signal."""
    return Text(f"● {grade.value}", style=grade_style(grade))


# What a view says, beside the grade, of a pillar, question or area whose text the dataset
# marks as stopping short in its source.
TRUNCATED = "text ends here in the source"


class Graded(Protocol):
    """A pillar's, question's or area's row: its grade, and where its text stops short."""

    @property
    def grade(self) -> Grade: ...

    @property
    def carried_over_from(self) -> int | None: ...

    @property
    def truncated(self) -> Truncation | None: ...


def truncation_label(truncated: Truncation | None) -> Text:
    """' · text ends here in the source' where a text stops short in its source, else nothing."""
    return Text(f" · {TRUNCATED}" if truncated is not None else "", style="yellow")


def unit_grade_label(unit: Graded) -> Text:
    """A pillar's, question's or area's grade, saying so when it was carried over from an
    earlier year, and when its text stops short in the source."""
    label = grade_label(unit.grade)
    if unit.carried_over_from is not None:
        label.append(f" (carried over from {unit.carried_over_from})", style="italic")
    return label.append_text(truncation_label(unit.truncated))


def _report_line(report: Report) -> Text:
    return Text.assemble(
        (clean_line(report.force), "bold"),
        f" · {clean_line(report.programme)} {report.year} · {clean_line(report.inspectorate)}",
    )


def _several(rows: Iterable[PillarRow | QuestionRow | FindingRow | Hit]) -> bool:
    reports = {id(r.row.report if isinstance(r, Hit) else r.report) for r in rows}
    return len(reports) > 1


def tracked_label(fields: dict[str, Any]) -> Text:
    """A finding's tracked status and RAG, the RAG in its colour and in words."""
    return Text(f"{fields['status']} · ").append_text(rag_label(str(fields["rag"])))


def rag_label(rag: str) -> Text:
    """A tracked finding's RAG in its colour and in words, so colour is never the only signal."""
    return Text(f"● {rag}", style=rag_style(rag))
