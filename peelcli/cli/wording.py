"""The library's errors in the command line's words.

The library says what is wrong and what to do in a caller's terms, and for the errors a user
meets at the command line gives the kind of problem (`reason`) and its facts; from them the
command line says the same with its options and commands (`--force`, `peel findings`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from peelcli.errors import NothingMatched, PeelError, quoted

if TYPE_CHECKING:
    from peelcli.query import Scope

Facts = Mapping[str, Any]


def _unknown_id(facts: Facts) -> str:
    near = facts["near"]
    return f"Did you mean {near}?" if near else "Run 'peel findings' to list the IDs."


# What to do, by reason: a template of the facts, or a function of them.
_HINTS: dict[str, str | Callable[[Facts], str]] = {
    "no_report_files": "Point --data at a report file or a directory of them.",
    "folders_too_deep": "Point --data at the folders that hold the reports.",
    "folders_unreadable": "peel reads every report under a --data directory.",
    "compare_what": "Try: peel compare --force NAME, or peel compare --year YEAR",
    "several_reports": "Give -o a directory, such as: peel import *.pdf -o reports/",
    "not_a_finding": "Give a finding's ID, such as {question}.A1; 'peel show {question}' "
    "lists them.",
    "ambiguous_id": "Choose one with --force and --year.",
    "unknown_id": _unknown_id,
    "no_terms": "Try: peel search 'domestic abuse'",
    "bad_regex": "Leave out --regex to search for the text as written.",
    "none_chosen": "Run 'peel grades --grid'.",
    "several_forces": "Name one force more fully, such as --force 'Avon and Somerset'.",
}


def _choices(values: Iterable[str | int]) -> str:
    # As peelcli.query words them, without importing the query (and the models) at start-up.
    return " or ".join(quoted(v) if isinstance(v, str) else str(v) for v in values)


def _no_year(facts: Facts) -> str:
    which = "report of the forces chosen" if facts["forces"] else "report"
    return f"no {which} is from --year {_choices(facts['years'])}"


def _no_hits(facts: Facts) -> str:
    filters = filters_named(facts["questions"], facts["grades"], facts["kinds"])
    message = f"no {facts['where']} match {facts['sought']}"
    return f"{message} with {filters}" if filters else message


# What is wrong, by reason, where the library's message names what an option chose.
_MESSAGES: dict[str, str | Callable[[Facts], str]] = {
    "none_chosen": "no report matches --{first} and --{second}",
    "several_forces": "--force matches {count} forces: {shown}",
    "no_force": lambda facts: f"no report's force matches --force {_choices(facts['forces'])}",
    "no_year": _no_year,
    "no_hits": _no_hits,
}


def _worded(words: str | Callable[[Facts], str], facts: Facts) -> str:
    return words.format(**facts) if isinstance(words, str) else words(facts)


def worded_hint(error: PeelError) -> str | None:
    """What to do about an error of the library's, in the command line's terms."""
    hint = _HINTS.get(error.reason or "")
    return error.hint if hint is None else _worded(hint, error.facts)


def worded_problems(error: PeelError) -> list[str]:
    """What is wrong, a line for each problem, in the command line's terms."""
    message = _MESSAGES.get(error.reason or "")
    if message is None:
        return [str(p) for p in error.problems]
    return [_worded(message, error.facts)]


def worded_nothing(nothing: NothingMatched) -> tuple[str, list[str]]:
    """Why nothing is shown and what might find something, in the command line's terms."""
    message = _MESSAGES.get(nothing.reason or "")
    hints = list(nothing.hints)
    if nothing.facts.get("other_text"):  # judgements match: the first hint says so
        hints[0] = "Judgements or summaries match: add --all-text to search them too."
    if message is None:
        return nothing.message, hints
    return _worded(message, nothing.facts), hints


def filters_named(questions: Sequence[str], grades: Sequence[str], kinds: Sequence[str]) -> str:
    """The question and finding filters in force, as typed: --question E1 --kind recommendation."""
    parts = [f"--question {q}" for q in questions]
    parts += [f"--grade {quoted(g)}" for g in grades]
    parts += [f"--kind {k}" for k in kinds]
    return " ".join(parts)


def scope_filters(scope: Scope) -> str:
    """A scope's question and finding filters, as typed."""
    return filters_named(
        scope.questions, [g.value for g in scope.grades], [k.value for k in scope.kinds]
    )
