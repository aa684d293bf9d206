"""What the text of a report leaves open and a caller may settle: facts, not instructions.

The importer says what it found ("the title does not name the force"); it does not say how a
caller gives what is missing, since a program passes ``force="…"`` and the command line
``--force NAME``. Each such problem or warning carries a :class:`Need`: which detail it is
about and the facts a caller needs to word it in its own terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from peelcli.errors import PeelError, Problem


@dataclass(frozen=True)
class Need:
    """What a problem or warning is about, for its caller to word: ``detail`` names it, such
    as "force", "year", "inspectorate", "force_name" (the text names the force in more ways
    than one), "pillar_grade" (a pillar's grade is not stated), "unknown_pillars" (grades
    given for pillars the text does not have), "pillar_grades_for_areas" or "given" (a value
    given that a report cannot hold); ``facts`` holds the rest, such as the pillar's ID."""

    detail: str
    facts: Mapping[str, str] = field(default_factory=dict)


# What a library caller passes for each detail: the hint of an error it cannot act on alone.
_ARGUMENTS = {
    "force": "force=NAME",
    "year": "year=YEAR",
    "inspectorate": "inspectorate=NAME",
}


class DetailsNeeded(PeelError):
    """An import that cannot finish: each problem with what it is about (``needs``, in the
    problems' order; None for a problem about nothing a caller can give)."""

    def __init__(self, problems: Sequence[tuple[Problem, Need | None]]) -> None:
        self.needs = [need for _, need in problems]
        given = [_ARGUMENTS[n.detail] for n in self.needs if n and n.detail in _ARGUMENTS]
        hint = f"Give {', '.join(given)} when importing." if given else None
        super().__init__([problem for problem, _ in problems], hint)
