"""Shell completion's answers: kinds, grades, and the IDs of the reports --data names.

Imported only when a shell asks for completions, so other runs never pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peelcli.models import Grade, Kind


def kinds(incomplete: str) -> list[str]:
    """Kinds of finding and their short forms that begin with what was typed."""
    names = [k.value for k in Kind] + ["afi", "coc", "rec"]  # the legend's short forms
    return [n for n in names if n.startswith(incomplete.lower())]


def grades(incomplete: str) -> list[str]:
    """Grades, 'requires improvement' as 'ri' too, that begin with what was typed."""
    names = [g.value for g in Grade] + ["ri"]
    return [n for n in names if n.startswith(incomplete.lower())]


def ids(data: Sequence[str] | None, incomplete: str, findings: bool = True) -> list[str]:
    """The pillar, question (and finding) IDs of the reports loaded, as they begin."""
    from peelcli.dataset.files import data_paths
    from peelcli.dataset.loader import load_reports

    try:
        reports = load_reports(data_paths(list(data or [])), warn=_ignore)
    except Exception:  # a shell waiting on completions is no place for an error
        return []
    found: dict[str, None] = {}
    for report in reports:
        for pillar in report.pillars:
            found.setdefault(pillar.id)
            for question in pillar.questions:
                found.setdefault(question.id)
                if findings:
                    for _, _, finding in question.findings():
                        found.setdefault(finding.id)
    typed = incomplete.upper()
    return [i for i in found if i.startswith(typed)]


def _ignore(message: Any) -> None:
    pass
