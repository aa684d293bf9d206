"""Terminal layouts of the commands that read reports: grades, the grade grid, questions,
show, findings and search. The console, tables and labels they draw with are
:mod:`peelcli.render.terminal`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from peelcli.env import Environment
from peelcli.models import CauseOfConcern, Grade, Kind, Pillar, Practice, Report
from peelcli.query import FindingRow, GridRow, Hit, QuestionRow
from peelcli.render.sanitize import clean, clean_line
from peelcli.render.terminal import (
    Column,
    Tracked,
    _cell,
    _print_wrapped,
    _report_line,
    _several,
    _t,
    grade_label,
    make_console,
    print_entries,
    print_table,
    rag_label,
    tracked_label,
    unit_grade_label,
)
from peelcli.render.theme import grade_style

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
