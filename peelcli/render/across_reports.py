"""Terminal layouts of comparisons: a force over time, forces side by side, similar findings.

Every change of grade is written in words beside its colour and arrow, so neither colour
nor a symbol is the only signal.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from peelcli.across_reports import Change, ForceHistory, Neighbour, YearComparison
from peelcli.env import Environment
from peelcli.models import Kind, Report
from peelcli.query import FindingRow, GradeRow, QuestionRow
from peelcli.render.sanitize import clean, clean_line
from peelcli.render.terminal import TRUNCATED, grade_label, make_console, unit_grade_label
from peelcli.render.wrapping import Page

CHANGE_STYLES = {
    Change.UP: ("▲", "green"),
    Change.DOWN: ("▼", "red"),
    Change.SAME: ("=", ""),
    Change.CARRIED_OVER: ("→", "dim"),
    Change.NOT_STATED: ("?", "dim"),
    Change.UNGRADED: ("·", "dim"),
    Change.NOT_COMPARABLE: ("≠", "yellow"),
    Change.NEW: ("+", "dim"),
    Change.NOT_INSPECTED: ("-", "dim"),
    Change.NOT_BROKEN_DOWN: ("≈", "dim"),
}


def change_label(change: Change | None) -> Text:
    """A change of grade: a symbol and its words, coloured."""
    if change is None:
        return Text("")
    symbol, style = CHANGE_STYLES[change]
    return Text(f"{symbol} {change.value}", style=style)


def _heading(page: Page, title: str) -> None:
    page.blank()
    page.wrapped(Text(title, style="bold underline"), indent=0)


def _where(report: Report) -> str:
    return f"{clean_line(report.force)} {report.year}"


def render_history(env: Environment, history: ForceHistory) -> None:
    """A force over time: each question's or area's grades and their changes, then the
    findings of each report against the one before."""
    page = Page(make_console(env))
    years = ", ".join(str(r.year) for r in history.reports)
    page.wrapped(
        Text.assemble(
            (clean_line(history.force), "bold"),
            f" · {len(history.reports)} report{'s' if len(history.reports) != 1 else ''}: {years}",
        ),
        indent=0,
    )
    _heading(page, "Grades")
    for line in history.grades:
        page.blank()
        if line.key == line.title:  # an area, known by its name
            page.wrapped(Text(clean_line(line.title), "bold"), indent=2)
        else:
            key = Text(clean_line(line.key), "bold")
            page.wrapped(Text(clean_line(line.title)), indent=2, prefix=key)
        for n, (report, row) in enumerate(zip(history.reports, line.rows, strict=True)):
            entry = Text(f"{report.year}  ")
            summary = line.summaries[n] if line.summaries else None
            if summary is not None:  # a pillar summary: the pillar's grade alone
                entry.append(f"pillar {clean_line(summary.id)} ").append_text(
                    unit_grade_label(summary)
                )
                entry.append(" · not broken down", style="dim")
            elif row is None:
                entry.append("not in this report", style="dim")
            else:
                entry.append_text(unit_grade_label(row))
            if n:
                entry.append("  ").append_text(change_label(line.changes[n - 1]))
            page.wrapped(entry, indent=4)
    for step in history.steps:
        _heading(page, f"Findings {step.earlier.year} → {step.later.year}")
        if not step.comparable:
            page.wrapped(
                Text(
                    "A PEEL assessment follows earlier PEEL: its grades cannot be compared "
                    "directly; its findings are compared all the same.",
                    style="yellow",
                ),
                indent=2,
            )
        _section(page, f"Recurring ({len(step.recurring)})")
        for pair in step.recurring:
            ids = Text.assemble(
                (clean_line(pair.earlier.id), "bold"),
                " → ",
                (clean_line(pair.later.id), "bold"),
                f"  score {pair.score:g}",
            )
            page.wrapped(ids, indent=4)
            if pair.earlier.text == pair.later.text:
                _labelled(page, "both", pair.later)
            else:
                _labelled(page, str(step.earlier.year), pair.earlier)
                _labelled(page, str(step.later.year), pair.later)
        _section(page, f"New ({len(step.new)})")
        for finding in step.new:
            _item(page, finding)
        _section(page, f"No longer listed ({len(step.gone)})")
        for finding in step.gone:
            _item(page, finding)
    page.print()


def _section(page: Page, title: str) -> None:
    page.blank()
    page.wrapped(Text(title, style="bold"), indent=2)


def _labelled(page: Page, label: str, finding: FindingRow) -> None:
    page.wrapped(Text(clean(finding.text)), indent=6, prefix=Text(label, "dim"))


def _item(page: Page, finding: FindingRow) -> None:
    prefix = Text(clean_line(finding.id), "bold")
    page.wrapped(Text(clean(finding.text)), indent=4, prefix=prefix)


def render_side_by_side(env: Environment, comparison: YearComparison) -> None:
    """Forces side by side: their counts of findings, then each question or area with the
    forces at each grade, best first."""
    page = Page(make_console(env))
    years = ", ".join(str(y) for y in comparison.years)
    count = len(comparison.forces)
    page.wrapped(
        Text(f"{count} report{'s' if count != 1 else ''} of {years}", style="bold"),
        indent=0,
    )
    _heading(page, "Findings per force")
    for force in comparison.forces:
        counts = " · ".join(f"{n} {_counted(kind, n)}" for kind, n in force.counts.items())
        page.wrapped(Text(counts), indent=2, prefix=Text(_where(force.report), "bold"))
    for unit in comparison.units:
        title = clean_line(unit.title)
        _heading(page, f"{clean_line(unit.key)} · {title}" if unit.key != unit.title else title)
        for grade, rows in unit.by_grade:
            forces = ", ".join(_with_causes(row) for row in rows)
            page.wrapped(Text(forces), indent=2, prefix=grade_label(grade))
    page.print()


_PLURALS = {
    Kind.AREA_FOR_IMPROVEMENT: "areas for improvement",
    Kind.CAUSE_OF_CONCERN: "causes of concern",
    Kind.RECOMMENDATION: "recommendations",
}


def _counted(kind: Kind, n: int) -> str:
    return kind.label if n == 1 else _PLURALS.get(kind, kind.label)


def _with_causes(row: GradeRow) -> str:
    # A pillar's own grade: its questions count its findings.
    causes = row.count(Kind.CAUSE_OF_CONCERN) if isinstance(row, QuestionRow) else 0
    where = _where(row.report) + (f" ({TRUNCATED})" if row.truncated is not None else "")
    if not causes:
        return where
    return f"{where} ({causes} {_counted(Kind.CAUSE_OF_CONCERN, causes)})"


def render_similar(
    env: Environment, target: FindingRow, found: Sequence[Neighbour], threshold: float
) -> None:
    """A finding, then the findings of other reports that say nearly the same, best first."""
    page = Page(make_console(env))
    heading = Text.assemble(
        (clean_line(target.id), "bold"), f"  {target.kind.label} · {_where(target.report)}"
    )
    page.wrapped(heading, indent=0)
    page.wrapped(Text(clean(target.text)), indent=2)
    _heading(page, f"Similar findings in other reports (score ≥ {threshold:g})")
    for neighbour in found:
        row = neighbour.row
        page.blank()
        line = Text.assemble(
            (f"{neighbour.score:5.1f}", "bold"),
            "  ",
            (_where(row.report), "bold"),
            " · ",
            (clean_line(row.id), "bold"),
            f"  {row.kind.label}",
        )
        page.wrapped(line, indent=2)
        page.wrapped(Text(clean(row.text)), indent=9)
    page.print()
