"""Terminal layouts of the commands that read reports: grades, the grade grid, questions,
show, findings and search. The console, tables and labels they draw with are
:mod:`peelcli.render.terminal`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from peelcli.env import Environment
from peelcli.models import CauseOfConcern, Grade, Kind, Practice
from peelcli.query import FindingRow, GradeRow, GridRow, Hit, PillarRow, QuestionRow
from peelcli.render.sanitize import clean, clean_line
from peelcli.render.terminal import (
    TRUNCATED,
    Column,
    Graded,
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
    truncation_label,
    unit_grade_label,
)
from peelcli.render.theme import grade_style

# --- grades ------------------------------------------------------------------------


def render_grades(env: Environment, rows: Sequence[GradeRow]) -> None:
    """The grades table: each pillar's overall grade a row, before its questions' rows."""
    console = make_console(env)
    several = _several(rows)
    if rows and not several:
        console.print(_report_line(rows[0].report))
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
    sourced = [r for r in rows if isinstance(r, PillarRow) and r.pillar.grade_source]
    # Where a pillar's grade comes from, when not from the text, in a note under the table.
    marks = {id(r): "*" if len(sourced) == 1 else f"*{n}" for n, r in enumerate(sourced, 1)}
    for row in rows:
        row_cells = [_cell(row.report.force), Text(str(row.report.year))] if several else []
        if isinstance(row, PillarRow):
            title = _cell(row.title, "bold")
            if id(row) in marks:
                title.append(f" {marks[id(row)]}")
            row_cells += [_cell(row.id, "bold"), title, unit_grade_label(row)]
            row_cells += [Text("")] * 3  # its questions' rows count its findings
        else:
            row_cells += [
                _cell(row.id, "bold"),
                _cell(row.title),
                unit_grade_label(row),
                *(Text(str(n)) for n in row.counts()[:3]),  # areas, causes, recommendations
            ]
        cells.append(row_cells)
    print_table(console, columns, cells)
    for row in sourced:
        where = f"{clean_line(row.report.force)} {row.report.year} " if several else ""
        text = Text(f"{where}{row.id} grade: ", style="italic")
        text.append_text(_t(row.pillar.grade_source, "italic"))
        _print_wrapped(console, text, 0, prefix=Text(marks[id(row)]))
    print_entries(
        console, ["AFI areas for improvement", "CoC causes of concern", "Rec recommendations"]
    )


# Beside a grid's grade where the text stops short in the source.
_CUT = "†"


def render_grade_grid(env: Environment, columns: Sequence[str], rows: Sequence[GridRow]) -> None:
    """A force × pillar and question grid: a row per force and year, a column per pillar's
    own grade, question ID or area."""
    console = make_console(env)
    header = [Column("Force"), Column("Year")] + [Column(clean_line(c)) for c in columns]
    cells = [
        [_cell(row.force), Text(str(row.year))]
        + [
            Text(
                row.grades[c].short + (_CUT if c in row.truncated else ""),
                style=grade_style(row.grades[c]),
            )
            if c in row.grades
            else Text("")
            for c in columns
        ]
        for row in rows
    ]
    # No rules between columns: a grid of many questions needs every character of width.
    print_table(console, header, cells, grid=True)
    legend = [f"{g.short} {g.value}" for g in Grade]
    if any(row.truncated for row in rows):
        legend.append(f"{_CUT} {TRUNCATED}")
    print_entries(console, legend)


# --- questions and show ------------------------------------------------------------


def _print_question_heading(console: Console, row: GradeRow, several: bool) -> None:
    if several:
        console.print(Text(f"{clean_line(row.report.force)} {row.report.year}", style="dim"))
    ident = Text(clean_line(row.id), style="bold")
    _print_wrapped(console, _cell(row.title, "bold"), indent=0, prefix=ident)


def render_questions(env: Environment, rows: Sequence[GradeRow], brief: bool) -> None:
    """Each question with its grade label, judgement and (unless brief) summary; a pillar
    summary's pillar with its own."""
    console = make_console(env)
    several = _several(rows)
    if rows and not several:  # as grades and show begin: whose report this is
        console.print(_report_line(rows[0].report))
        console.print()
    for n, row in enumerate(rows):
        if n:
            console.print()
        _print_question(console, row, several, brief)


def _print_pillar(console: Console, row: PillarRow, several: bool, brief: bool) -> None:
    """A pillar's name, headline question and overall grade, and any text of its own."""
    pillar = row.pillar
    _print_question_heading(console, row, several)
    _print_wrapped(console, unit_grade_label(row))
    if pillar.judgement:
        _print_wrapped(console, _t(pillar.judgement, "bold"))
    if not brief:
        for paragraph in pillar.summary:
            console.print()
            _print_wrapped(console, _t(paragraph))
    if pillar.grade_source:
        console.print()
        source = Text("Grade: ", style="dim italic").append_text(
            _t(pillar.grade_source, "dim italic")
        )
        _print_wrapped(console, source)


def _print_question(console: Console, row: GradeRow, several: bool, brief: bool) -> None:
    if isinstance(row, PillarRow):
        _print_pillar(console, row, several, brief)
        return
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


def render_pillar(env: Environment, row: PillarRow) -> None:
    """A pillar's name, headline question and overall grade, with any text of its own."""
    console = make_console(env)
    console.print(_report_line(row.report))
    console.print()
    _print_pillar(console, row, several=False, brief=False)


def render_shown(
    env: Environment, rows: Sequence[PillarRow | QuestionRow | FindingRow], tracked: Tracked = None
) -> None:
    """`peel show`: each pillar, question or finding in full, a blank line between them."""
    for n, row in enumerate(rows):
        if n:
            env.stdout.write("\n")
        if isinstance(row, FindingRow):
            render_finding(env, row, tracked)
        elif isinstance(row, PillarRow):
            render_pillar(env, row)
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
    _print_wrapped(console, _place(row.question.id, row.question.title, row.question))
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


def _place(ident: str, title: str, graded: Graded) -> Text:
    """A question's (or pillar's) ID, title and grade on one line, for placing a finding."""
    return Text.assemble((clean_line(ident), "bold"), " ", clean_line(title), " · ").append_text(
        grade_label(graded.grade).append_text(truncation_label(graded.truncated))
    )


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
            grade_label(row.question.grade).append_text(truncation_label(row.question.truncated)),
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
        unit: Graded = row.question if isinstance(row, FindingRow) else row
        ident = row.question.id if isinstance(row, FindingRow) else row.id
        if (id(row.report), ident) != place:
            place = (id(row.report), ident)
            if n:
                console.print()
            title = row.question.title if isinstance(row, FindingRow) else row.title
            heading = _place(ident, title, unit)
            if several:
                where = f"{clean_line(row.report.force)} {row.report.year} · "
                heading = Text(where, style="dim").append_text(heading)
            _print_wrapped(console, heading, indent=0)
        console.print()
        ident = row.id
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
