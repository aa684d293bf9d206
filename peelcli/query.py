"""Filters, lookups and search over loaded reports: pure functions, no I/O."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple, Protocol

from peelcli.errors import NothingMatched, PeelError, quoted
from peelcli.models import CauseOfConcern, Era, Finding, Grade, Kind, Pillar, Report, Unit
from peelcli.text import INVISIBLE, MAYBE_INVISIBLE

_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_MAYBE_INVISIBLE = re.compile(f"[{MAYBE_INVISIBLE}]")


class QuestionRow(NamedTuple):
    """A graded unit (a pillar's question, or an area) with the report and pillar it is in."""

    report: Report
    pillar: Pillar | None  # None for an area of policing, which has no pillar
    question: Unit

    def count(self, kind: Kind) -> int:
        """How many findings of a kind the question has."""
        return self.counts()[_KIND_INDEX[kind]]

    def counts(self) -> tuple[int, int, int, int, int]:
        """How many findings of each kind the question has, in the order of Kind."""
        # The lengths of the lists Question.findings() walks: counting what it yields
        # costs more than all else `peel grades` does for a large corpus.
        question = self.question
        causes = question.causes_of_concern
        return (
            len(question.areas_for_improvement),
            len(causes),
            sum([len(c.recommendations) for c in causes]) if causes else 0,
            len(question.innovative_practice),
            len(question.promising_practice),
        )


_KIND_INDEX = {kind: n for n, kind in enumerate(Kind)}


class FindingRow(NamedTuple):
    """A finding with everything a reader needs to place it."""

    report: Report
    pillar: Pillar | None
    question: Unit
    kind: Kind
    finding: Finding | CauseOfConcern
    cause: CauseOfConcern | None = None  # the cause a recommendation belongs to

    @property
    def id(self) -> str:
        return self.finding.id

    @property
    def text(self) -> str:
        return self.finding.text


class Span(NamedTuple):
    """Where a search term matched: a field of the hit and offsets into its text."""

    field: str
    start: int
    end: int


class Hit(NamedTuple):
    """A search result: a finding, or (with --all-text) a question's judgement or summary."""

    row: FindingRow | QuestionRow
    kind: str
    text: str
    spans: tuple[Span, ...]
    paragraph: int | None = None  # 1-based, for summary paragraphs


class Scope(NamedTuple):
    """Which reports, questions and findings a command looks at."""

    forces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    grades: tuple[Grade, ...] = ()
    kinds: tuple[Kind, ...] = ()
    questions: tuple[str, ...] = ()

    def reports(self, reports: Iterable[Report]) -> list[Report]:
        """Reports of the chosen forces (see of_forces) and years."""
        return [
            r for r in of_forces(reports, self.forces) if not self.years or r.year in self.years
        ]

    def keeps_question(self, question: Unit) -> bool:
        """Whether a question passes the --grade and --question filters."""
        return (not self.grades or question.grade in self.grades) and (
            not self.questions or question.id.upper() in self.questions
        )


def of_forces(reports: Iterable[Report], names: Sequence[str]) -> list[Report]:
    """The reports of the forces --force names, in order; all of them when it names none.

    Each name chooses by the first of these that chooses any report: a name of a force in
    peel's table ('Avon', 'Met', 'GMP', 'Avon and Somerset Constabulary'), its reports under
    whatever name each writes; a report's name as written, exactly (any case); any part of a
    report's name.
    """
    reports = list(reports)
    if not names:
        return reports
    chosen = {id(r) for name in names for r in _of_force(reports, name)}
    return [r for r in reports if id(r) in chosen]


def _of_force(reports: list[Report], name: str) -> list[Report]:
    from peelcli.forces import canonical_name

    known = canonical_name(name)
    if known is not None:
        found = [r for r in reports if r.canonical_force == known]
        if found:
            return found
    wanted = " ".join(name.split()).casefold()
    exact = [r for r in reports if r.force.casefold() == wanted]
    return exact or [
        r for r in reports if wanted in r.force.casefold() or wanted in r.canonical_force.casefold()
    ]


def _listing(names: Iterable[str], limit: int = 5) -> str:
    unique = sorted(set(names), key=str.casefold)
    more = f" and {len(unique) - limit} more" if len(unique) > limit else ""
    return ", ".join(unique[:limit]) + more


def narrow(reports: Sequence[Report], scope: Scope) -> tuple[list[Report], NothingMatched | None]:
    """Reports in scope, and when there are none, which of --force and --year left none.
    An unknown --question ID is a usage error with the nearest IDs, as `peel show` gives."""
    if not reports:
        return [], None
    by_force = of_forces(reports, scope.forces)
    if not by_force:
        forces = " or ".join(quoted(f) for f in scope.forces)
        return [], NothingMatched(
            f"no report's force matches --force {forces}",
            [f"Forces loaded: {_listing(r.force for r in reports)}."],
        )
    chosen = [r for r in by_force if not scope.years or r.year in scope.years]
    if not chosen:
        years = " or ".join(str(y) for y in scope.years)
        which = "report" if not scope.forces else "report of the forces chosen"
        return [], NothingMatched(
            f"no {which} is from --year {years}",
            [f"Years loaded: {_listing(str(r.year) for r in by_force)}."],
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


def filters_named(scope: Scope) -> str:
    """The question and finding filters in force, as typed on the command line."""
    parts = [f"--question {q}" for q in scope.questions]
    parts += [f"--grade {quoted(g.value)}" for g in scope.grades]
    parts += [f"--kind {k.value}" for k in scope.kinds]
    return " ".join(parts)


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


def question_rows(reports: Iterable[Report], scope: Scope) -> list[QuestionRow]:
    """Every question or area in scope, in report order."""
    return [
        QuestionRow(report, pillar, unit)
        for report in scope.reports(reports)
        for pillar, unit in report.units()
        if scope.keeps_question(unit)
    ]


def shown_pillars(
    reports: Iterable[Report], scope: Scope, rows: Sequence[QuestionRow]
) -> list[tuple[Report, Pillar]]:
    """The pillars to head the rows: those of rows shown, and pillar summaries (pillars
    without questions) whose own grade passes --grade when no --question is asked for."""
    shown = {id(row.pillar) for row in rows}
    return [
        (report, pillar)
        for report in scope.reports(reports)
        for pillar in report.pillars
        if id(pillar) in shown
        or (
            not pillar.questions
            and not scope.questions
            and (not scope.grades or pillar.grade in scope.grades)
        )
    ]


def mixes_eras(reports: Iterable[Report]) -> bool:
    """Whether PEEL assessments (from 2021) stand beside earlier PEEL: their grades differ."""
    eras = {report.era is Era.ASSESSMENT for report in reports}
    return len(eras) > 1


class GridRow(NamedTuple):
    """One force and year's row of the grade grid: its grade for each question ID."""

    force: str
    year: int
    grades: dict[str, Grade]


def grid_column(row: QuestionRow) -> str:
    """A unit's column in the grade grid: a question's ID, or an area's name.

    Areas are named, not numbered: the same area of policing can stand at another place
    in another cycle's reports, and their IDs give only the place.
    """
    return row.question.id if row.pillar is not None else row.question.title


def grade_grid(rows: Sequence[QuestionRow]) -> tuple[list[str], list[GridRow]]:
    """Columns (question IDs by pillar as first met, then number; then areas as first met),
    and a row per force and year with each report's own questions or areas."""
    pillars: dict[str, int] = {}
    areas: dict[str, int] = {}
    ids: set[str] = set()
    grid: dict[tuple[str, int], GridRow] = {}
    for row in rows:
        column = grid_column(row)
        if row.pillar is None:
            areas.setdefault(column, len(areas))
        else:
            pillars.setdefault(row.pillar.id, len(pillars))
            ids.add(column)
        key = (row.report.force, row.report.year)
        line = grid.setdefault(key, GridRow(row.report.force, row.report.year, {}))
        line.grades[column] = row.question.grade
    columns = sorted(ids, key=lambda q: (pillars.get(q[0], len(pillars)), len(q), q))
    columns += sorted(areas, key=areas.__getitem__)
    return columns, sorted(grid.values(), key=lambda r: (r.force.casefold(), r.year))


def _findings_of(
    question: Unit,
) -> Iterator[tuple[Kind, Finding | CauseOfConcern, CauseOfConcern | None]]:
    """Each finding in reading order, its kind, and for a recommendation its cause."""
    cause: CauseOfConcern | None = None
    for _, kind, finding in question.findings():
        if isinstance(finding, CauseOfConcern):
            cause = finding
        yield kind, finding, cause if kind is Kind.RECOMMENDATION else None


def _all_findings(row: QuestionRow) -> Iterator[FindingRow]:
    for kind, finding, cause in _findings_of(row.question):
        yield FindingRow(row.report, row.pillar, row.question, kind, finding, cause)


def finding_rows(reports: Iterable[Report], scope: Scope) -> list[FindingRow]:
    """Every finding in scope, in reading order."""
    return [
        f
        for row in question_rows(reports, scope)
        for f in _all_findings(row)
        if not scope.kinds or f.kind in scope.kinds
    ]


# --- looking up an ID --------------------------------------------------------------


def lookup_all(
    reports: Sequence[Report], scope: Scope, wanted: Sequence[str]
) -> list[QuestionRow | FindingRow]:
    """Each ID's question or finding in turn; a pillar's ID (such as E) gives its questions."""
    found: list[QuestionRow | FindingRow] = []
    for ident in wanted:
        key = ident.strip().upper()
        pillar = [
            r
            for r in question_rows(reports, scope)
            if r.pillar is not None and r.pillar.id.upper() == key
        ]
        found.extend(pillar or [lookup(reports, scope, ident)])
    return found


def lookup(reports: Sequence[Report], scope: Scope, wanted: str) -> QuestionRow | FindingRow:
    """The question or finding with an ID (any case); a PeelError suggesting near IDs."""
    key = wanted.strip().upper()
    rows = question_rows(reports, scope)
    matches: list[QuestionRow | FindingRow] = [r for r in rows if r.question.id == key]
    if not matches:
        matches = [f for row in rows for f in _all_findings(row) if f.id == key]
    if len(matches) == 1:
        return matches[0]
    if matches:
        where = ", ".join(f"{m.report.force} {m.report.year}" for m in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise PeelError(
            f"{key} is in {len(matches)} reports: {where}{more}",
            hint="Choose one with --force and --year.",
        )
    known = sorted(
        {r.question.id for r in rows} | {f.id for row in rows for f in _all_findings(row)}
    )
    import difflib

    close = difflib.get_close_matches(key, known, n=4, cutoff=0.5)
    hint = f"Did you mean {', '.join(close)}?" if close else "Run 'peel findings' to list the IDs."
    raise PeelError(f"no question or finding has the ID {quoted(wanted)}", hint=hint)


# --- search ------------------------------------------------------------------------

# Typographic characters a person types in ASCII; each maps to one character, so
# offsets in the folded text are offsets in the original.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
_IRREGULAR = {
    "child": "children",
    "person": "people",
    "woman": "women",
    "man": "men",
    "criterion": "criteria",
    "analysis": "analyses",
}
_IRREGULAR.update({plural: singular for singular, plural in list(_IRREGULAR.items())})


_FOLDED = re.compile("[" + re.escape("".join(chr(c) for c in _FOLD)) + "]")


def _fold_one(match: re.Match[str]) -> str:
    return _FOLD[ord(match.group())]


def fold(text: str) -> str:
    """Text as search compares it: lower case, ASCII quotes and hyphens, same length."""
    if text.isascii():  # most text: nothing to fold but case
        return text.lower()
    # Equal to text.translate(_FOLD).lower(), five times faster: translate looks up every
    # character of non-ASCII text in the table, the pattern skips to the few that fold.
    folded = _FOLDED.sub(_fold_one, text).lower()
    if len(folded) != len(text):
        # A few characters change length when lowered (such as 'İ'); keep those as they are.
        folded = "".join(low if len(low := c.lower()) == 1 else c for c in text.translate(_FOLD))
    # Lowered, a capital sigma becomes ς at the end of a word and σ elsewhere, whichever
    # the words around it; a term is lowered alone. To a reader both are one letter.
    return folded.replace("\u03c2", "\u03c3")


def _word_forms(word: str) -> list[str]:
    """A word and its singular or plural forms, as a person would expect search to find them."""
    forms = {word}
    if word in _IRREGULAR:
        forms.add(_IRREGULAR[word])
    if len(word) > 3 and word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if len(word) > 2 and word.endswith("es"):
        forms.add(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
    for base in list(forms):
        forms.update({base + "s", base + "es"})
        if base.endswith("y") and len(base) > 2:
            forms.add(base[:-1] + "ies")
    return sorted(forms, key=len, reverse=True)


def _term_words(term: str) -> list[tuple[str, list[str]]]:
    """Each word of a term, folded, with the forms of it that match."""
    words = [w for w in re.split(r"[\s\-]+", fold(term).strip()) if w]
    return [(w, _word_forms(w) if re.fullmatch(r"[a-z]+", w) else [w]) for w in words]


def _term_pattern(term: str) -> str:
    words = _term_words(term)
    if not words:  # only hyphens and spaces, such as "-" or "--": those, as written
        return re.escape(fold(term).strip())
    parts = ["(?:" + "|".join(re.escape(f) for f in forms) + ")" for _, forms in words]
    body = r"[\s\-]+".join(parts)
    left = r"(?<!\w)" if re.match(r"\w", words[0][0]) else ""
    right = r"(?!\w)" if re.search(r"\w$", words[-1][0]) else ""
    return left + body + right


def _term_needles(term: str) -> tuple[str, ...]:
    """Text that every match of a term's pattern holds: the beginning its words' forms share."""
    needles = []
    for _, forms in _term_words(term):
        shared = forms[0]
        for form in forms[1:]:
            while not form.startswith(shared):
                shared = shared[:-1]
        if shared:
            needles.append(shared)
    return tuple(needles)


class Pattern(Protocol):
    """A compiled search term, as re compiles one (or one that peelcli.pattern times)."""

    @property
    def pattern(self) -> str: ...

    def finditer(self, text: str) -> Iterator[re.Match[str]]: ...


class Matcher(NamedTuple):
    """Compiled search terms: each a pattern that must match (or any, with --any)."""

    patterns: tuple[Pattern, ...]
    any: bool
    folds: bool  # patterns expect folded text
    # For each pattern, text that any match of it contains (or none known): a text
    # without it is passed over without running the pattern, which costs far more.
    needles: tuple[tuple[str, ...], ...] = ()

    def spans(self, text: str) -> list[tuple[int, int]] | None:
        """Where the terms match in text, or None when it does not match as required.

        Text is matched as it reads: characters that do not show (a zero-width space, a
        soft hyphen, a bidi mark) are passed over, so `secret` finds `sec\u200bret`.
        """
        if not text.isascii() and _MAYBE_INVISIBLE.search(text):
            kept = [i for i, c in enumerate(text) if not _INVISIBLE.match(c)]
            if len(kept) == len(text):  # only visible characters beyond the BMP
                return self._spans(text)
            found = self._spans("".join(text[i] for i in kept))
            if found is None:  # a term that is itself made of such characters, as written
                return self._spans(text)
            kept.append(len(text))
            return [(kept[start], kept[end - 1] + 1) for start, end in found]
        return self._spans(text)

    def _spans(self, text: str) -> list[tuple[int, int]] | None:
        subject = fold(text) if self.folds else text
        spans: list[tuple[int, int]] = []
        matched = 0
        for i, pattern in enumerate(self.patterns):
            found: list[tuple[int, int]] = []
            if not self.needles or all(needle in subject for needle in self.needles[i]):
                found = [m.span() for m in pattern.finditer(subject) if m.end() > m.start()]
            if found:
                matched += 1
                spans.extend(found)
            elif not self.any:
                return None
        return sorted(spans) if matched else None


def _split_phrases(terms: Sequence[str]) -> list[str]:
    """Terms as typed: an argument with double quotes in it holds "phrases" and words."""
    out: list[str] = []
    for term in terms:
        if '"' in term:
            out += [phrase or word for phrase, word in re.findall(r'"([^"]*)"|([^\s"]+)', term)]
        else:
            out.append(term)
    return out


def compile_terms(terms: Sequence[str], any_term: bool = False, regex: bool = False) -> Matcher:
    """A Matcher for search terms: words or quoted phrases, or with regex, patterns."""
    cleaned = [t for t in (terms if regex else _split_phrases(terms)) if t.strip()]
    if not cleaned:
        raise PeelError("no search terms given", hint="Try: peel search 'domestic abuse'")
    if regex:
        compiled = []
        for term in cleaned:
            try:
                with warnings.catch_warnings():
                    # Such as "Possible nested set": about later Pythons, not this search,
                    # and printed with a line of peel's source.
                    warnings.simplefilter("ignore", FutureWarning)
                    compiled.append(re.compile(term, re.IGNORECASE))
            except (re.error, ValueError, OverflowError, RecursionError) as exc:
                # ValueError: flags that conflict, such as (?a)(?u).
                reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
                raise PeelError(
                    f"invalid regular expression {quoted(term)}: {reason}",
                    hint="Leave out --regex to search for the text as written.",
                ) from None
        # Patterns a user wrote can backtrack for ever: run them within peelcli.pattern's
        # time limit.
        return Matcher(tuple(compiled), any_term, folds=False)
    return Matcher(
        tuple(re.compile(_term_pattern(t)) for t in cleaned),
        any_term,
        folds=True,
        needles=tuple(_term_needles(t) for t in cleaned),
    )


class Spans(Protocol):
    """What a search runs on each text: a Matcher, or one that peelcli.pattern times."""

    def spans(self, text: str) -> list[tuple[int, int]] | None: ...


def search(
    reports: Sequence[Report], scope: Scope, matcher: Spans, all_text: bool = False
) -> list[Hit]:
    """Findings (and, with all_text, judgements and summaries) that the terms match."""
    return _search(reports, scope, matcher.spans, all_text)


def _search(
    reports: Sequence[Report],
    scope: Scope,
    spans_of: Callable[[str], list[tuple[int, int]] | None],
    all_text: bool,
) -> list[Hit]:
    hits: list[Hit] = []
    for row in question_rows(reports, scope):
        if all_text and not scope.kinds:
            texts: list[tuple[str, str | None, int | None]] = [
                ("judgement", row.question.judgement, None)
            ]
            texts += [("summary", p, n) for n, p in enumerate(row.question.summary, 1)]
            for kind, text, paragraph in texts:
                spans = spans_of(text) if text else None
                if spans and text:
                    hits.append(Hit(row, kind, text, _spans("text", spans), paragraph))
        # A row only for a hit: most findings are not, and rows cost more than the test.
        for kind, finding, cause in _findings_of(row.question):
            if scope.kinds and kind not in scope.kinds:
                continue
            spans = spans_of(finding.text)
            if spans:
                found = FindingRow(row.report, row.pillar, row.question, kind, finding, cause)
                hits.append(Hit(found, kind.value, finding.text, _spans("text", spans)))
    return hits


def no_hits(
    reports: Sequence[Report],
    scope: Scope,
    terms: Sequence[str],
    *,
    any_term: bool = False,
    regex: bool = False,
    all_text: bool = False,
    matcher: Spans | None = None,
) -> NothingMatched:
    """What to say when a search finds nothing: what was sought, and a hint where one helps.

    matcher is the one the search ran, if it was not simply the terms compiled."""
    words = [t for t in (terms if regex else _split_phrases(terms)) if t.strip()]
    sought = (" or " if any_term else " and ").join(f'"{w}"' for w in words)
    where = "findings, judgements or summaries" if all_text else "findings"
    filters = filters_named(scope)
    message = f"no {where} match {sought}" + (f" with {filters}" if filters else "")
    hints = []
    if not all_text and not scope.kinds:
        if matcher is None:
            matcher = compile_terms(terms, any_term=any_term, regex=regex)
        if search(reports, scope, matcher, all_text=True):
            hints.append("Judgements or summaries match: add --all-text to search them too.")
    if not regex and any(len(w.split()) > 1 for w in words):
        hints.append(
            "A phrase in quotes matches only its words side by side; "
            "leave out the quotes to find the words anywhere."
        )
    return NothingMatched(message, hints)


def _spans(name: str, spans: list[tuple[int, int]]) -> tuple[Span, ...]:
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Span(name, s, e) for s, e in merged)
