"""Search's shortcuts change nothing it finds."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelcli import query
from peelcli.dataset.files import embedded_dataset
from peelcli.dataset.loader import load_reports
from peelcli.models import Kind
from peelcli.query.searching import _FOLD

TRICKY = "‘’‚‛′“”„″‐‑‒–—―−\u00a0\u202fİıßẞΣσς"


def reference_fold(text: str) -> str:
    """fold() as first written, with final sigma as sigma: what the faster one must keep."""
    folded = text.translate(_FOLD).lower()
    if len(folded) != len(text):
        folded = "".join(low if len(low := c.lower()) == 1 else c for c in text.translate(_FOLD))
    return folded.replace("\u03c2", "\u03c3")


TEXT = st.text(alphabet=st.sampled_from("abcAB -'\"sy." + TRICKY), max_size=40)


@given(TEXT)
def test_fold_is_unchanged(text: str) -> None:
    assert query.fold(text) == reference_fold(text)


def texts() -> list[str]:
    reports = load_reports([embedded_dataset()], use_cache=False)
    rows = query.question_rows(reports, query.Scope())
    found = [f.text for row in rows for f in query.all_findings(row)]
    return found + [p for row in rows for p in row.question.summary]


TERMS = [
    ["domestic abuse"],
    ["training", "specialist"],
    ["OCG", "organised crime"],
    ["child"],
    ["children"],
    ["force's"],
    ["force’s"],
    ["anti-social"],
    ["4 Ps"],
    ["policy"],
    ["people"],
    ["women"],
    ["analyses"],
    ["class"],
    ["e"],
    ['"hidden crime" force'],
]


def test_needles_skip_only_text_the_patterns_cannot_match() -> None:
    corpus = texts()
    for terms in TERMS:
        for any_term in (False, True):
            matcher = query.compile_terms(terms, any_term=any_term)
            assert matcher.needles
            plain = matcher._replace(needles=())
            for text in corpus:
                assert matcher.spans(text) == plain.spans(text), (terms, text)


WORDS = TEXT.filter(lambda t: '"' not in t and any(c.isalnum() for c in t))


@given(st.lists(WORDS, min_size=1, max_size=3), TEXT)
def test_needles_never_hide_a_match(terms: list[str], text: str) -> None:
    matcher = query.compile_terms(terms)
    assert matcher.spans(text) == matcher._replace(needles=()).spans(text)


def test_counts_are_what_findings_yields() -> None:
    reports = load_reports([embedded_dataset()], use_cache=False)
    for row in query.question_rows(reports, query.Scope()):
        for kind in Kind:
            expected = sum(1 for _, k, _ in row.question.findings() if k is kind)
            assert row.count(kind) == expected


def test_a_search_compiles_its_terms_once(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []
    compile_terms = query.compile_terms

    def counted(terms: Any, *args: Any, **kwargs: Any) -> query.Matcher:
        calls.append(tuple(terms))
        return compile_terms(terms, *args, **kwargs)

    monkeypatch.setattr(query, "compile_terms", counted)
    for terms, status in ((["dash"], 0), (["surveillance"], 1), (["x+y"], 1)):
        calls.clear()
        args = ["search", *terms] + (["--regex"] if "+" in terms[0] else [])
        assert cli(*args).exit_code == status
        assert calls == [tuple(terms)], args
