"""Looking up a question, finding or pillar by its ID."""

from __future__ import annotations

from collections.abc import Sequence

from peelcli.errors import PeelError, quoted
from peelcli.models import Report
from peelcli.query.rows import (
    FindingRow,
    PillarRow,
    QuestionRow,
    Scope,
    all_findings,
    question_rows,
)


def lookup_all(
    reports: Sequence[Report], scope: Scope, wanted: Sequence[str]
) -> list[PillarRow | QuestionRow | FindingRow]:
    """Each ID's question or finding in turn; a pillar's ID (such as E) gives the pillar
    (its grade, headline question and any text of its own), then its questions."""
    found: list[PillarRow | QuestionRow | FindingRow] = []
    for ident in wanted:
        key = ident.strip().upper()
        rows = question_rows(reports, scope)
        pillars = [
            (report, pillar)
            for report in scope.reports(reports)
            for pillar in report.pillars
            if pillar.id.upper() == key
        ]
        for report, pillar in pillars:
            found.append(PillarRow(report, pillar))
            found.extend(r for r in rows if r.pillar is pillar)
        if not pillars:
            found.append(lookup(reports, scope, ident))
    return found


def lookup(reports: Sequence[Report], scope: Scope, wanted: str) -> QuestionRow | FindingRow:
    """The question or finding with an ID (any case); a PeelError suggesting near IDs."""
    key = wanted.strip().upper()
    rows = question_rows(reports, scope)
    matches: list[QuestionRow | FindingRow] = [r for r in rows if r.question.id == key]
    if not matches:
        matches = [f for row in rows for f in all_findings(row) if f.id == key]
    if len(matches) == 1:
        return matches[0]
    if matches:
        where = ", ".join(f"{m.report.force} {m.report.year}" for m in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise PeelError(
            f"{key} is in {len(matches)} reports: {where}{more}",
            hint="Choose one with a scope of one force and year.",
            reason="ambiguous_id",
            id=key,
            count=len(matches),
        )
    known = sorted(
        {r.question.id for r in rows} | {f.id for row in rows for f in all_findings(row)}
    )
    import difflib

    close = difflib.get_close_matches(key, known, n=4, cutoff=0.5)
    near = ", ".join(close)
    raise PeelError(
        f"no question or finding has the ID {quoted(wanted)}",
        hint=f"Did you mean {near}?" if close else "findings() lists the IDs.",
        reason="unknown_id",
        id=wanted,
        near=near,
    )
