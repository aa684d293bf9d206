"""Narrowing the loaded reports to a scope's forces and years, and saying why none were left;
force names that look alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from peelcli.errors import NothingMatched, PeelError, quoted
from peelcli.models import Report
from peelcli.query.rows import Scope, of_forces
from peelcli.text import INVISIBLE

_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def _listing(names: Iterable[str], limit: int = 5) -> str:
    unique = sorted(set(names), key=str.casefold)
    more = f" and {len(unique) - limit} more" if len(unique) > limit else ""
    return ", ".join(unique[:limit]) + more


def narrow(reports: Sequence[Report], scope: Scope) -> tuple[list[Report], NothingMatched | None]:
    """Reports in scope, and when there are none, which of its forces and years left none.
    An unknown question ID is an error with the nearest IDs, as a lookup gives."""
    if not reports:
        return [], None
    by_force = of_forces(reports, scope.forces)
    if not by_force:
        return [], NothingMatched(
            f"no report's force matches {alternatives(scope.forces)}",
            [f"Forces loaded: {_listing(r.force for r in reports)}."],
            reason="no_force",
            forces=scope.forces,
        )
    chosen = [r for r in by_force if not scope.years or r.year in scope.years]
    if not chosen:
        which = "report" if not scope.forces else "report of the forces chosen"
        return [], NothingMatched(
            f"no {which} is from {alternatives(scope.years)}",
            [f"Years loaded: {_listing(str(r.year) for r in by_force)}."],
            reason="no_year",
            forces=scope.forces,
            years=scope.years,
        )
    if scope.questions:
        known = {unit.id for r in chosen for _, unit in r.units()}
        for wanted_id in scope.questions:
            if wanted_id not in known:
                import difflib

                close = difflib.get_close_matches(wanted_id, sorted(known), n=4, cutoff=0.5)
                hint = f"Did you mean {', '.join(close)}?" if close else None
                raise PeelError(f"no question has the ID {quoted(wanted_id)}", hint=hint)
    return chosen, None


def alternatives(values: Iterable[str | int]) -> str:
    """Forces (quoted) or years as a message names them: 'kent' or 'essex'."""
    return " or ".join(quoted(v) if isinstance(v, str) else str(v) for v in values)


def filters_named(scope: Scope) -> str:
    """The question and finding filters in force, in words: question E1, kind recommendation."""
    parts = [f"question {q}" for q in scope.questions]
    parts += [f"grade {quoted(g.value)}" for g in scope.grades]
    parts += [f"kind {k.value}" for k in scope.kinds]
    return ", ".join(parts)


# Letters of other scripts drawn like Latin ones, lower case (names are casefolded first).
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһԛԝӏοαντιρυκχβεζηѵ",
    "aeopcyxijsdhqwloavtipukxbezhv",
)


def _skeleton(name: str) -> str:
    import unicodedata

    visible = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return " ".join(visible.casefold().translate(_LOOKALIKES).split())


def _difference(a: str, b: str) -> str:
    """Where two names differ, each differing character named."""
    import difflib
    import unicodedata

    def named(text: str) -> str:
        return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in text)

    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        left = named(a[i1:i2]) or "nothing"
        right = named(b[j1:j2]) or "nothing"
        parts.append(f"at {i1 + 1}: {left} against {right}")
    return "; ".join(parts)


def lookalike_forces(reports: Iterable[Report]) -> list[str]:
    """A warning for each set of force names that look alike but differ (a Cyrillic 'е' for
    a Latin 'e', a zero-width space): to a reader they are one force, to peel two."""
    groups: dict[str, list[str]] = {}
    for name in {r.force for r in reports}:
        groups.setdefault(_skeleton(name), []).append(name)
    warnings = []
    for names in groups.values():
        if len(names) < 2:
            continue
        names.sort()
        first = names[0]
        shown = ", ".join(quoted(n) for n in names[:-1]) + f" and {quoted(names[-1])}"
        differences = "; ".join(_difference(first, other) for other in names[1:])
        warnings.append(f"force names look alike but differ: {shown} ({differences})")
    return sorted(warnings)
