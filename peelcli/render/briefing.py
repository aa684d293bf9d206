"""Markdown briefings of questions and findings, to paste into a document: headings, grades in
words, findings as lists, each recommendation under its cause of concern and lead-in."""

from __future__ import annotations

import re
from collections.abc import Sequence

from peelcli.models import CauseOfConcern, Kind, Report, Truncation, Unit
from peelcli.query import FindingRow, PillarRow, QuestionRow
from peelcli.render.formats import markdown_text

# A line that Markdown would read as a heading, quote, list item or rule if it began one
# (> is already &gt;, which starts nothing).
_BLOCK_START = re.compile(r"^(\s*)(?:([#*+\-=])|(\d+)([.)]))")


def _unblock(match: re.Match[str]) -> str:
    indent, mark, number, dot = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\{dot}"


def _para(text: str) -> str:
    """Text as one Markdown paragraph: escaped, its own line breaks kept, no block syntax."""
    lines = markdown_text(text).replace("\t", " ").splitlines() or [""]
    return "  \n".join(_BLOCK_START.sub(_unblock, line) for line in lines)


def _inline(text: str) -> str:
    """Text within a line (a heading, a list item): escaped, on that one line."""
    return " ".join(markdown_text(text).split())


def _report_heading(report: Report) -> str:
    return (
        f"# {_inline(report.force)} · {_inline(report.programme)} {report.year} · "
        f"{_inline(report.inspectorate)}"
    )


def _cut(truncated: Truncation | None) -> str:
    # As every view says it, beside the grade, where the text stops short in the source.
    return " · *text ends here in the source*" if truncated is not None else ""


def _pillar(row: PillarRow, brief: bool) -> list[str]:
    pillar = row.pillar
    out = [f"## {_inline(pillar.id)} {_inline(row.title)}", ""]
    source = f" ({_inline(pillar.grade_source)})" if pillar.grade_source else ""
    out += [f"**Grade:** {pillar.grade.value}{source}{_cut(pillar.truncated)}", ""]
    if pillar.judgement:
        out += [f"**Judgement:** {_para(pillar.judgement)}", ""]
    if not brief:
        out += [line for paragraph in pillar.summary for line in (_para(paragraph), "")]
    return out


def _question(question: Unit, brief: bool, full: bool) -> list[str]:
    out = [f"## {_inline(question.id)} {_inline(question.title)}", ""]
    carried = (
        f" (carried over from {question.carried_over_from})"
        if question.carried_over_from is not None
        else ""
    )
    out += [f"**Grade:** {question.grade.value}{carried}{_cut(question.truncated)}", ""]
    if question.judgement:
        out += [f"**Judgement:** {_para(question.judgement)}", ""]
    if brief:
        return out
    for paragraph in question.summary:
        out += [_para(paragraph), ""]
    for earlier in question.earlier_grades:
        quote = f": “{_inline(earlier.quote)}”" if earlier.quote else ""
        out += [f"*Earlier grade ({earlier.year}):* {earlier.grade.value}{quote}", ""]
    if question.note:
        out += [f"*Note:* {_para(question.note)}", ""]
    if not full:
        return out
    if question.areas_for_improvement:
        out += ["### Areas for improvement", ""]
        out += [f"- **{_inline(a.id)}** {_inline(a.text)}" for a in question.areas_for_improvement]
        out.append("")
    for cause in question.causes_of_concern:
        out += _cause(cause)
    for heading, boxes in (
        ("Innovative practice", question.innovative_practice),
        ("Promising practice", question.promising_practice),
    ):
        for box in boxes:
            title = f" {_inline(box.title)}" if box.title else ""
            out += [f"### {heading} {_inline(box.id)}{title}", "", _para(box.text), ""]
            out += [line for paragraph in box.paragraphs for line in (_para(paragraph), "")]
    return out


def _cause(cause: CauseOfConcern) -> list[str]:
    out = [f"### Cause of concern {_inline(cause.id)}", "", _para(cause.text), ""]
    if cause.recommendations:
        out += ["#### Recommendations", ""]
        if cause.recommendations_lead_in:
            out += [_para(cause.recommendations_lead_in), ""]
        out += [f"- **{_inline(r.id)}** {_inline(r.text)}" for r in cause.recommendations]
        out.append("")
    return out


def _finding(row: FindingRow) -> list[str]:
    q = row.question
    out = [f"## {_inline(row.id)} {row.kind.label}", ""]
    out += [
        f"In {_inline(q.id)} *{_inline(q.title)}* (graded {q.grade.value}{_cut(q.truncated)}).",
        "",
    ]
    if row.kind is Kind.RECOMMENDATION and row.cause is not None:
        out += [f"**Cause of concern {_inline(row.cause.id)}:** {_inline(row.cause.text)}", ""]
        if row.cause.recommendations_lead_in:
            out += [_para(row.cause.recommendations_lead_in), ""]
        out += [f"- {_inline(row.text)}", ""]
        return out
    out += [_para(row.text), ""]
    if isinstance(row.finding, CauseOfConcern):
        out += _cause(row.finding)[2:]
    return out


def briefing(
    rows: Sequence[PillarRow | QuestionRow | FindingRow], brief: bool = False, full: bool = False
) -> str:
    """Pillars, questions and findings as Markdown under a heading for each report: questions
    with their findings when full (`peel show`), with the judgement alone when brief."""
    out: list[str] = []
    report: Report | None = None
    for row in rows:
        if row.report is not report:
            report = row.report
            out += [_report_heading(report), ""]
        if isinstance(row, FindingRow):
            out += _finding(row)
        elif isinstance(row, PillarRow):
            out += _pillar(row, brief)
        else:
            out += _question(row.question, brief, full=full)
    return "\n".join(out).rstrip("\n") + "\n"
