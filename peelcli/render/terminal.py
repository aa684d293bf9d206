"""Output for people: rich tables and colour on a terminal, the same layout plain when piped.

Every dataset string reaches rich as a ``Text`` built from sanitised text, with
markup and emoji codes off, so nothing in the data is interpreted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from peelcli.env import Environment
from peelcli.models import CauseOfConcern, Grade, Kind, Pillar, Practice, Report, Unit
from peelcli.query import FindingRow, GridRow, Hit, QuestionRow
from peelcli.render.sanitize import clean, clean_line
from peelcli.render.theme import grade_style


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich's own handler exits with status 1, which to peel means "nothing matched";
        # let the command end a closed pipe the way it does for every other format.
        raise BrokenPipeError


def make_console(env: Environment) -> Console:
    """A console on stdout that never interprets markup, emoji codes or highlights."""
    color = env.use_color()
    console = _Console(
        file=env.stdout,
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
    hang = indent + (prefix.cell_len + 2 if prefix is not None else 0)
    lines = text.wrap(console, max(console.width - hang, 20))
    for n, line in enumerate(lines):
        line.rstrip()
        lead = Text(" " * hang)
        if n == 0 and prefix is not None:
            lead = Text(" " * indent) + prefix + Text("  ")
        console.print(lead + line, soft_wrap=True)


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
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    if several:
        table.add_column("Force")
        table.add_column("Year")
    table.add_column("ID", no_wrap=True)
    table.add_column("Question", ratio=1)
    table.add_column("Grade", no_wrap=True)
    table.add_column("AFI", justify="right", header_style="bold")
    table.add_column("CoC", justify="right")
    table.add_column("Rec", justify="right")
    for row in rows:
        cells = [_cell(row.report.force), Text(str(row.report.year))] if several else []
        cells += [
            _cell(row.question.id, "bold"),
            _cell(row.question.title),
            unit_grade_label(row.question),
            Text(str(row.count(Kind.AREA_FOR_IMPROVEMENT))),
            Text(str(row.count(Kind.CAUSE_OF_CONCERN))),
            Text(str(row.count(Kind.RECOMMENDATION))),
        ]
        table.add_row(*cells)
    console.print(table)
    console.print(
        Text("AFI areas for improvement · CoC causes of concern · Rec recommendations", style="dim")
    )


def render_grade_grid(env: Environment, columns: Sequence[str], rows: Sequence[GridRow]) -> None:
    """A force × question grid: one row per force and year, one column per question ID."""
    console = make_console(env)
    # No rules between columns: a grid of many questions needs every character of width.
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold",
    )
    table.add_column("Force", min_width=12)
    table.add_column("Year", no_wrap=True)
    for column in columns:
        table.add_column(clean_line(column), no_wrap=True)
    for row in rows:
        cells = [_cell(row.force), Text(str(row.year))]
        cells += [
            Text(row.grades[c].short, style=grade_style(row.grades[c]))
            if c in row.grades
            else Text("")
            for c in columns
        ]
        table.add_row(*cells)
    # Wider than the terminal, the grid runs off its edge rather than losing grades to "…".
    natural = Measurement.get(console, console.options.update_width(100_000), table).maximum
    console.width = max(console.width, natural)
    console.print(table)
    legend = " · ".join(f"{g.short} {g.value}" for g in Grade)
    _print_wrapped(console, Text(legend, style="dim"), indent=0)


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


def render_finding(env: Environment, row: FindingRow) -> None:
    """One finding in full, placed in its question; a recommendation with its lead-in."""
    console = make_console(env)
    console.print(_report_line(row.report))
    console.print()
    console.print(Text.assemble((clean_line(row.id), "bold"), f"  {row.kind.label}"))
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


def render_findings(env: Environment, rows: Sequence[FindingRow]) -> None:
    """Findings as a table: ID, kind, question, grade, text."""
    console = make_console(env)
    several = _several(rows)
    table = Table(show_edge=False, pad_edge=False, header_style="bold", show_lines=True)
    if several:
        table.add_column("Force")
        table.add_column("Year")
    table.add_column("ID", no_wrap=True)
    table.add_column("Kind")
    table.add_column("Q", no_wrap=True)
    table.add_column("Grade")
    table.add_column("Text", ratio=1)
    for row in rows:
        cells = [_cell(row.report.force), Text(str(row.report.year))] if several else []
        cells += [
            _cell(row.id, "bold"),
            Text(row.kind.label),
            _cell(row.question.id),
            grade_label(row.question.grade),
            _t(row.text),
        ]
        table.add_row(*cells)
    console.print(table)


def render_hits(env: Environment, hits: Sequence[Hit]) -> None:
    """Search hits: where each is, its question and grade, its text with the matches highlighted."""
    console = make_console(env)
    several = _several(hits)
    for n, hit in enumerate(hits):
        if n:
            console.print()
        row = hit.row
        heading = Text()
        if several:
            heading.append(f"{clean_line(row.report.force)} {row.report.year} · ", style="dim")
        ident = row.id if isinstance(row, FindingRow) else row.question.id
        heading.append(clean_line(ident), style="bold")
        label = hit.kind.replace("_", " ")
        if hit.paragraph is not None:
            label += f" {hit.paragraph}"
        heading.append(f"  {label}")
        console.print(heading)
        _print_wrapped(console, _place(row.question.id, row.question.title, row.question.grade))
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
