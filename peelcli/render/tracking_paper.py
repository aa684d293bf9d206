"""The committee's paper (`peel track report`) as sections of rows: one source for the
terminal's tables and the Markdown to paste into a paper."""

from __future__ import annotations

from peelcli.render.formats import markdown_text
from peelcli.tracking.listing import Paper
from peelcli.tracking.model import UNTRACKED, Rag, Status


def paper_sections(paper: Paper) -> list[tuple[str, list[str], list[list[str]]]]:
    """Each section's title, column headers and rows of text."""
    sections = []
    statuses = [s.value for s in Status]
    several = len(paper.counts) > 1
    counts = []
    for c in paper.counts:
        cells = [f"{c.report.force} {c.report.year}"]
        cells += [str(c.statuses[s]) for s in statuses]
        cells += [str(c.rags[r.value]) for r in Rag if r is not Rag.CLOSED]
        if c.statuses.get(UNTRACKED):
            cells[0] += f" ({c.statuses[UNTRACKED]} untracked)"
        counts.append(cells)
    heading = f"Tracked findings as at {paper.as_at.isoformat()}"
    rags = [r.value for r in Rag if r is not Rag.CLOSED]  # closed is a status already shown
    sections.append((heading, ["Report", *statuses, *rags], counts))
    overdue = [
        [
            r.key if several else r.row.id,
            (r.entry.owner if r.entry else None) or "no owner",
            r.due or "",
            str(r.days_overdue),
            r.row.text,
        ]
        for r in paper.overdue
    ]
    sections.append(("Overdue", ["Finding", "Owner", "Due", "Days overdue", "Text"], overdue))
    closed = [
        [
            r.key if several else r.row.id,
            (r.entry.owner if r.entry else None) or "",
            day,
            r.row.text,
        ]
        for r, day in paper.closed
    ]
    since = f" since {paper.since.isoformat()}" if paper.since else ""
    sections.append((f"Closed{since}", ["Finding", "Owner", "Closed", "Text"], closed))
    responses = [
        [
            f"{s.report.force} {s.report.year}",
            s.published or "not known",
            s.due or "",
            _response(s.state, s.responded, s.days_late),
        ]
        for s in paper.responses
    ]
    sections.append(
        (
            "Responses due or late (56 days)",
            ["Report", "Published", "Response due", "State"],
            responses,
        )
    )
    kept = paper.unplaced
    left = [["their report is not loaded", str(kept.not_loaded)]] if kept.not_loaded else []
    if kept.missing:
        why = "their finding is not in its loaded report: " + ", ".join(kept.missing)
        left.append([why, str(len(kept.missing))])
    if left:  # kept in the tracker, never dropped: said, and counted apart
        sections.append(("Entries not counted above", ["Why", "Entries"], left))
    return sections


def paper_markdown(paper: Paper) -> str:
    """The paper as Markdown: a heading and a table for each section."""
    out: list[str] = []
    for title, columns, rows in paper_sections(paper):
        out.append(f"## {markdown_text(title)}\n")
        if not rows:
            out.append("None.\n")
            continue
        out.append("| " + " | ".join(markdown_text(c) for c in columns) + " |")
        out.append("|" + "---|" * len(columns))
        for row in rows:
            cells = [markdown_text(c).replace("|", "\\|").replace("\n", "<br>") for c in row]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def _response(state: str, responded: str | None, days_late: int | None) -> str:
    if responded is not None and days_late:
        return f"published {responded}, {days_late} days late"
    if state == "late":
        return f"not published, {days_late} days late"
    return state
