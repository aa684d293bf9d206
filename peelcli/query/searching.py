"""Search: terms compiled once into a Matcher, run over findings (and judgements and
summaries); what to say when nothing matches."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple, Protocol

from peelcli.errors import NothingMatched, PeelError, quoted
from peelcli.models import Report
from peelcli.query.narrowing import filters_named
from peelcli.query.rows import (
    FindingRow,
    PillarRow,
    QuestionRow,
    Scope,
    findings_of,
    grade_rows,
    question_rows,
)
from peelcli.text import INVISIBLE, MAYBE_INVISIBLE

_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_MAYBE_INVISIBLE = re.compile(f"[{MAYBE_INVISIBLE}]")


class Span(NamedTuple):
    """Where a search term matched: a field of the hit and offsets into its text."""

    field: str
    start: int
    end: int


class Hit(NamedTuple):
    """A search result: a finding, or (with --all-text) a pillar's, question's or area's
    judgement or summary."""

    row: FindingRow | QuestionRow | PillarRow
    kind: str
    text: str
    spans: tuple[Span, ...]
    paragraph: int | None = None  # 1-based, for summary paragraphs


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
    # Equal to text.translate(_FOLD).lower(), and faster: translate looks up every
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
    terms: tuple[str, ...] = ()  # the terms as sought, for saying what found nothing

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
        raise PeelError(
            "no search terms given",
            hint="Give a word or phrase to search for, such as 'domestic abuse'.",
            reason="no_terms",
        )
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
                    hint="Search without regex to find the text as written.",
                    reason="bad_regex",
                    term=term,
                ) from None
        # Patterns a user wrote can backtrack for ever: run them within peelcli.pattern's
        # time limit.
        return Matcher(tuple(compiled), any_term, folds=False, terms=tuple(cleaned))
    return Matcher(
        tuple(re.compile(_term_pattern(t)) for t in cleaned),
        any_term,
        folds=True,
        needles=tuple(_term_needles(t) for t in cleaned),
        terms=tuple(cleaned),
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
    rows = question_rows(reports, scope)
    texts_too = all_text and not scope.kinds
    for row in grade_rows(reports, scope, rows) if texts_too else rows:
        if texts_too:
            own = row.pillar if isinstance(row, PillarRow) else row.question
            texts: list[tuple[str, str | None, int | None]] = [("judgement", own.judgement, None)]
            texts += [("summary", p, n) for n, p in enumerate(own.summary, 1)]
            for kind, text, paragraph in texts:
                spans = spans_of(text) if text else None
                if spans and text:
                    hits.append(Hit(row, kind, text, _spans("text", spans), paragraph))
        if isinstance(row, PillarRow):
            continue
        # A row only for a hit: most findings are not, and rows cost more than the test.
        for kind, finding, cause in findings_of(row.question):
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
    matcher: Matcher,
    *,
    all_text: bool = False,
    running: Spans | None = None,
) -> NothingMatched:
    """What to say when a search finds nothing: what was sought, and a hint where one helps.

    running is the matcher the search ran (one that peelcli.pattern times), if not matcher."""
    regex = not matcher.folds
    sought = (" or " if matcher.any else " and ").join(f'"{w}"' for w in matcher.terms)
    where = "findings, judgements or summaries" if all_text else "findings"
    filters = filters_named(scope)
    message = f"no {where} match {sought}" + (f" with {filters}" if filters else "")
    hints = []
    other_text = (
        not all_text
        and not scope.kinds
        and bool(search(reports, scope, running or matcher, all_text=True))
    )
    if other_text:
        hints.append("Judgements or summaries match: search with all_text to find them too.")
    if not regex and any(len(w.split()) > 1 for w in matcher.terms):
        hints.append(
            "A phrase in quotes matches only its words side by side; "
            "leave out the quotes to find the words anywhere."
        )
    # The facts: what was sought and where, the scope's filters, and whether judgements or
    # summaries match (the first hint, then).
    return NothingMatched(
        message,
        hints,
        reason="no_hits",
        where=where,
        sought=sought,
        questions=scope.questions,
        grades=tuple(g.value for g in scope.grades),
        kinds=tuple(k.value for k in scope.kinds),
        other_text=other_text,
    )


def _spans(name: str, spans: list[tuple[int, int]]) -> tuple[Span, ...]:
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Span(name, s, e) for s, e in merged)
