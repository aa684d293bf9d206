"""Output for people: rich tables and colour on a terminal, the same layout plain when piped.

Every dataset string reaches rich as a ``Text`` built from sanitised text, with
markup and emoji codes off, so nothing in the data is interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TextIO, cast

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from peelcli.env import Environment
from peelcli.models import CauseOfConcern, Grade, Kind, Pillar, Practice, Report, Unit
from peelcli.query import FindingRow, GridRow, Hit, QuestionRow
from peelcli.render.sanitize import clean, clean_line
from peelcli.render.theme import grade_style, rag_style

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


def wrapped_lines(
    console: Console, width: int, text: Text, indent: int = 4, prefix: Text | None = None
) -> list[Text]:
    """The lines of :func:`_print_wrapped`, for a layout that prints many at once."""
    hang = indent + (prefix.cell_len + 2 if prefix is not None else 0)
    # Narrower than a few characters, fold anyway: nothing is cut, and the terminal wraps
    # what still runs over.
    room = max(width - hang, 8)
    plain = text.plain
    if "\n" in plain or "\t" in plain or cell_len(plain) > room:
        lines: Iterable[Text] = text.wrap(console, room, overflow="fold")
    else:  # one line that fits, as most are: what wrap would make of it, made at less cost
        lines = [text.copy()]
    out: list[Text] = []
    for n, line in enumerate(lines):
        line.rstrip()
        if n == 0 and prefix is not None:
            first = Text(" " * indent)
            first.append_text(prefix)
            first.append("  ")
            first.append_text(line)
            line = first
        elif line.style:  # the padding must stay out of a style the whole line has
            line = Text(" " * hang) + line
        else:
            line.pad_left(hang)
        out.append(line)
    return out


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
    for n, row in enumerate(rows):
        if n:
            console.print()
        for column, cell in zip(columns, row, strict=True):
            label = Text(column.header.ljust(width), style="bold")
            _print_wrapped(console, cell.copy(), indent=0, prefix=label)


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


def unit_grade_label(unit: Unit) -> Text:
    """A question's or area's grade, saying so when it was carried over from an earlier year."""
    label = grade_label(unit.grade)
    if unit.carried_over_from is not None:
        label.append(f" (carried over from {unit.carried_over_from})", style="italic")
    return label


def _report_line(report: Report) -> Text:
    return Text.assemble(
        (clean_line(report.force), "bold"),
        f" · {clean_line(report.programme)} {report.year} · {clean_line(report.inspectorate)}",
    )


def _several(rows: Iterable[QuestionRow | FindingRow | Hit]) -> bool:
    reports = {id(r.row.report if isinstance(r, Hit) else r.report) for r in rows}
    return len(reports) > 1


# --- grades ------------------------------------------------------------------------


def render_grades(
    env: Environment, pillars: Sequence[tuple[Report, Pillar]], rows: Sequence[QuestionRow]
) -> None:
    """The grades table, with each pillar's headline question and overall grade above it."""
    console = make_console(env)
    several = len({id(r) for r, _ in pillars} | {id(row.report) for row in rows}) > 1
    if not several and rows and not pillars:  # areas of policing: no pillar line to head them
        console.print(_report_line(rows[0].report))
    for report, pillar in pillars:
        line = Text()
        if several:
            line.append(f"{clean_line(report.force)} {report.year} · ", style="bold")
        else:
            console.print(_report_line(report))
        line.append(f"{clean_line(pillar.name)} ({pillar.id})", style="bold")
        if pillar.question:
            line.append(f": {clean_line(pillar.question)}")
        console.print(line)
        overall = Text("  overall: ").append_text(grade_label(pillar.grade))
        if pillar.grade_source:
            overall.append(" *", style="bold")
        console.print(overall)
        if pillar.grade_source:
            _print_wrapped(console, _t(pillar.grade_source, "italic"), 2, prefix=Text("*"))
    if pillars:
        console.print()
    columns = [Column("Force"), Column("Year")] if several else []
    columns += [
        Column("ID"),
        Column("Question", comfortable=20),
        Column("Grade"),
        Column("AFI", "right"),
        Column("CoC", "right"),
        Column("Rec", "right"),
    ]
    cells: list[list[Text]] = []
    for row in rows:
        row_cells = [_cell(row.report.force), Text(str(row.report.year))] if several else []
        row_cells += [
            _cell(row.question.id, "bold"),
            _cell(row.question.title),
            unit_grade_label(row.question),
            *(Text(str(n)) for n in row.counts()[:3]),  # areas, causes, recommendations
        ]
        cells.append(row_cells)
    print_table(console, columns, cells)
    print_entries(
        console, ["AFI areas for improvement", "CoC causes of concern", "Rec recommendations"]
    )


def render_grade_grid(env: Environment, columns: Sequence[str], rows: Sequence[GridRow]) -> None:
    """A force × question grid: one row per force and year, one column per question ID."""
    console = make_console(env)
    header = [Column("Force"), Column("Year")] + [Column(clean_line(c)) for c in columns]
    cells = [
        [_cell(row.force), Text(str(row.year))]
        + [
            Text(row.grades[c].short, style=grade_style(row.grades[c]))
            if c in row.grades
            else Text("")
            for c in columns
        ]
        for row in rows
    ]
    # No rules between columns: a grid of many questions needs every character of width.
    print_table(console, header, cells, grid=True)
    print_entries(console, [f"{g.short} {g.value}" for g in Grade])


# --- questions and show ------------------------------------------------------------


def _print_question_heading(console: Console, row: QuestionRow, several: bool) -> None:
    if several:
        console.print(Text(f"{clean_line(row.report.force)} {row.report.year}", style="dim"))
    ident = Text(clean_line(row.question.id), style="bold")
    _print_wrapped(console, _cell(row.question.title, "bold"), indent=0, prefix=ident)


def render_questions(env: Environment, rows: Sequence[QuestionRow], brief: bool) -> None:
    """Each question with its grade label, judgement and (unless brief) summary."""
    console = make_console(env)
    several = _several(rows)
    if rows and not several:  # as grades and show begin: whose report this is
        console.print(_report_line(rows[0].report))
        console.print()
    for n, row in enumerate(rows):
        if n:
            console.print()
        _print_question(console, row, several, brief)


def _print_question(console: Console, row: QuestionRow, several: bool, brief: bool) -> None:
    q = row.question
    _print_question_heading(console, row, several)
    _print_wrapped(console, unit_grade_label(q))
    if q.judgement:
        _print_wrapped(console, _t(q.judgement, "bold"))
    if brief:
        return
    for paragraph in q.summary:
        console.print()
        _print_wrapped(console, _t(paragraph))
    for earlier in q.earlier_grades:
        console.print()
        earlier_label = Text(f"Earlier grade ({earlier.year}): ", style="dim")
        _print_wrapped(console, earlier_label.append_text(grade_label(earlier.grade)))
    if q.note:
        console.print()
        note = Text("Note: ", style="dim italic").append_text(_t(q.note, "dim italic"))
        _print_wrapped(console, note)


def render_question_in_full(env: Environment, row: QuestionRow) -> None:
    """A question with everything it holds: summary, findings, causes and recommendations."""
    console = make_console(env)
    console.print(_report_line(row.report))
    console.print()
    _print_question(console, row, several=False, brief=False)
    q = row.question
    if q.areas_for_improvement:
        _print_section(console, "Areas for improvement")
        for area in q.areas_for_improvement:
            _print_item(console, area.id, area.text)
    for cause in q.causes_of_concern:
        _print_section(console, "Cause of concern")
        _print_item(console, cause.id, cause.text)
        _print_recommendations(console, cause)
    for heading, boxes in (
        ("Innovative practice", q.innovative_practice),
        ("Promising practice", q.promising_practice),
    ):
        for practice in boxes:
            _print_section(console, heading)
            _print_practice(console, practice)


def _print_practice(console: Console, practice: Practice) -> None:
    """A box of practice: its own heading, if any, then its paragraphs."""
    if practice.title:
        _print_wrapped(console, _t(practice.title, "bold"), prefix=_cell(practice.id, "bold"))
        _print_wrapped(console, _t(practice.text))
    else:
        _print_item(console, practice.id, practice.text)
    for paragraph in practice.paragraphs:
        _print_wrapped(console, _t(paragraph))


def _print_recommendations(console: Console, cause: CauseOfConcern) -> None:
    """A cause's recommendations under their heading, after the lead-in they complete."""
    if not cause.recommendations:
        return
    _print_section(console, "Recommendations")
    if cause.recommendations_lead_in:
        _print_wrapped(console, _t(cause.recommendations_lead_in, "italic"))
    for rec in cause.recommendations:
        _print_item(console, rec.id, rec.text)


def _print_section(console: Console, title: str) -> None:
    console.print()
    _print_wrapped(console, Text(title, style="bold underline"))


def _print_item(console: Console, ident: str, text: str) -> None:
    _print_wrapped(console, _t(text), prefix=_cell(ident, "bold"))


def tracked_label(fields: dict[str, Any]) -> Text:
    """A finding's tracked status and RAG, the RAG in its colour and in words."""
    return Text(f"{fields['status']} · ").append_text(rag_label(str(fields["rag"])))


def render_shown(
    env: Environment, rows: Sequence[QuestionRow | FindingRow], tracked: Tracked = None
) -> None:
    """`peel show`: each question or finding in full, a blank line between them."""
    for n, row in enumerate(rows):
        if n:
            env.stdout.write("\n")
        if isinstance(row, FindingRow):
            render_finding(env, row, tracked)
        else:
            render_question_in_full(env, row)


def render_finding(env: Environment, row: FindingRow, tracked: Tracked = None) -> None:
    """One finding in full, placed in its question; a recommendation with its lead-in."""
    console = make_console(env)
    console.print(_report_line(row.report))
    console.print()
    heading = Text.assemble((clean_line(row.id), "bold"), f"  {row.kind.label}")
    if tracked is not None:
        heading.append("  ").append_text(tracked_label(tracked(row)))
    console.print(heading)
    _print_wrapped(console, _place(row.question.id, row.question.title, row.question.grade))
    console.print()
    if row.kind is Kind.RECOMMENDATION and row.cause is not None:
        cause_label = Text.assemble(
            ("Cause of concern ", "dim"), (clean_line(row.cause.id), "dim bold")
        )
        _print_wrapped(console, cause_label)
        _print_wrapped(console, _t(row.cause.text, "dim"))
        console.print()
        if row.cause.recommendations_lead_in:
            _print_wrapped(console, _t(row.cause.recommendations_lead_in, "italic"))
        _print_wrapped(console, _t(row.text), 6)
        return
    if isinstance(row.finding, Practice):
        _print_practice(console, row.finding)
        return
    _print_wrapped(console, _t(row.text))
    if isinstance(row.finding, CauseOfConcern):
        _print_recommendations(console, row.finding)


def _place(question_id: str, title: str, grade: Grade) -> Text:
    """A question's ID, title and grade on one line, for placing a finding."""
    return Text.assemble(
        (clean_line(question_id), "bold"), " ", clean_line(title), " · "
    ).append_text(grade_label(grade))


# --- findings and search -----------------------------------------------------------


def render_findings(env: Environment, rows: Sequence[FindingRow], tracked: Tracked = None) -> None:
    """Findings as a table: ID, kind, question, grade, (tracked status and RAG,) text."""
    console = make_console(env)
    several = _several(rows)
    columns = [Column("Force"), Column("Year")] if several else []
    columns += [
        Column("ID"),
        Column("Kind"),
        Column("Q"),
        Column("Grade"),
        *([Column("Status"), Column("RAG")] if tracked is not None else []),
        Column("Text", comfortable=20),
    ]
    cells: list[list[Text]] = []
    for row in rows:
        row_cells = [_cell(row.report.force), Text(str(row.report.year))] if several else []
        row_cells += [
            _cell(row.id, "bold"),
            Text(row.kind.label),
            _cell(row.question.id),
            grade_label(row.question.grade),
        ]
        if tracked is not None:
            fields = tracked(row)
            row_cells += [Text(str(fields["status"])), rag_label(str(fields["rag"]))]
        row_cells.append(_t(row.text))
        cells.append(row_cells)
    print_table(console, columns, cells, show_lines=True)


def rag_label(rag: str) -> Text:
    """A tracked finding's RAG in its colour and in words, so colour is never the only signal."""
    return Text(f"● {rag}", style=rag_style(rag))


def render_hits(env: Environment, hits: Sequence[Hit], tracked: Tracked = None) -> None:
    """Search hits under their question (its title and grade once), each with its ID, kind
    and text, the matches highlighted."""
    console = make_console(env)
    several = _several(hits)
    place: tuple[int, str] | None = None
    for n, hit in enumerate(hits):
        row = hit.row
        if (id(row.report), row.question.id) != place:
            place = (id(row.report), row.question.id)
            if n:
                console.print()
            heading = _place(row.question.id, row.question.title, row.question.grade)
            if several:
                where = f"{clean_line(row.report.force)} {row.report.year} · "
                heading = Text(where, style="dim").append_text(heading)
            _print_wrapped(console, heading, indent=0)
        console.print()
        ident = row.id if isinstance(row, FindingRow) else row.question.id
        label = hit.kind.replace("_", " ")
        if hit.paragraph is not None:
            label += f" {hit.paragraph}"
        heading = Text.assemble("  ", (clean_line(ident), "bold"), f"  {label}")
        if tracked is not None and isinstance(row, FindingRow):
            heading.append("  ").append_text(tracked_label(tracked(row)))
        console.print(heading)
        _print_wrapped(console, _highlighted(hit))


def _highlighted(hit: Hit) -> Text:
    # Sanitise piece by piece so that the match offsets still line up.
    text = Text()
    position = 0
    for span in hit.spans:
        text.append(clean(hit.text[position : span.start]))
        text.append(clean(hit.text[span.start : span.end]), style="bold reverse")
        position = span.end
    text.append(clean(hit.text[position:]))
    return text
