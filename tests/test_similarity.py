"""What counts as "substantially the same" finding, and what must not."""

from __future__ import annotations

import inspect
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcli import similarity
from peelcli.dataset.files import embedded_dataset
from peelcli.dataset.loader import load_reports
from peelcli.similarity import (
    DEFAULT_THRESHOLD,
    Index,
    Matching,
    Neighbour,
    Pair,
    key,
    match_findings,
    nearest,
    score,
    similar,
)


def shipped_findings() -> dict[str, str]:
    """Every finding of the shipped report by ID: areas, causes and recommendations."""
    (report,) = load_reports([embedded_dataset()], use_cache=False)
    return {
        finding.id: finding.text
        for pillar in report.pillars
        for question in pillar.questions
        for _, _, finding in question.findings()
    }


FINDINGS = shipped_findings()
DASH_LATER = "improve the quality and supervision of DASH risk assessments"

# Rewordings a later report might use for a finding of the shipped one: each must match.
REWORDINGS = {
    "the issue's DASH pair": (
        "improving the completion rate, quality and supervision of DASH forms",
        DASH_LATER,
    ),
    "DASH, as an area for improvement": (
        FINDINGS["E3.R4"],
        "The force should improve the quality and supervision of DASH risk assessments.",
    ),
    "clauses in another order": (
        FINDINGS["E2.A2"],
        "The force should ensure that, so that they can play a part in their management and "
        "monitoring, frontline staff are aware of the registered sex offenders in their area.",
    ),
    "words in another order": (
        FINDINGS["E1.A3"],
        "The force should routinely share and evaluate effective practice with partners and "
        "internally, in order to improve continually its approach to the prevention of "
        "anti-social behaviour and crime.",
    ),
    "American spelling": (
        FINDINGS["E1.A1"],
        "The force should ensure that local policing teams engage routinely, and work closely, "
        "with local communities, and undertake structured problem solving alongside partner "
        "organizations in order to prevent crime and antisocial behavior.",
    ),
    "American spelling, other boilerplate": (
        FINDINGS["E2.A3"],
        "The force should make sure its integrated offender management program is implemented "
        "consistently across all areas.",
    ),
    "recognize, as an area for improvement": (
        FINDINGS["E3.R3"],
        "The force should ensure that frontline officers have the awareness and knowledge they "
        "need to recognize vulnerability in all its forms.",
    ),
    "a deadline and 'needs to'": (
        FINDINGS["E2.A1"],
        "Within six months, the force needs to ensure that the risks posed by registered sex "
        "offenders are managed effectively.",
    ),
    "active voice": (
        FINDINGS["E2.A1"],
        "The force should ensure that it manages the risks posed by registered sex offenders "
        "effectively.",
    ),
    "a clause added": (
        FINDINGS["E2.A1"],
        "The force should ensure that the risks posed by registered sex offenders are managed "
        "effectively, and that neighbourhood officers know who they are.",
    ),
    "a sentence dropped": (
        FINDINGS["E4.A5"],
        "The force should assign capable lead responsible officers to all active organised crime "
        "groups, as part of a long-term, multi-agency approach to dismantling them.",
    ),
    "reworded throughout": (
        FINDINGS["E4.A3"],
        "The force should map all organised crime groups promptly after they are identified, "
        "and re-assess them regularly in line with national standards.",
    ),
    "reworded, take-up for uptake": (
        FINDINGS["E3.R6"],
        "The force should improve the take-up of specialist investigation training where it is "
        "available.",
    ),
}

# Findings on different topics that open with the same boilerplate: none may match.
NEAR_MISSES = {
    "ensure that": (
        "The force should ensure that it records crime accurately.",
        "The force should ensure that it manages its workforce fairly.",
    ),
    "ensure that, longer": (
        "The force should ensure that victims of domestic abuse receive a timely response.",
        "The force should ensure that officers understand how to use stop and search powers "
        "fairly.",
    ),
    "a deadline": (
        "Within three months, the force should ensure that its control room identifies "
        "vulnerable callers.",
        "Within three months, the force should ensure that its vetting backlog is cleared.",
    ),
    "needs to improve how it supervises": (
        "The force needs to improve how it supervises investigations.",
        "The force needs to improve how it supervises its budget.",
    ),
    "we recommend that": (
        "We recommend that the force improves its understanding of demand.",
        "We recommend that the force improves its understanding of the wellbeing of its workforce.",
    ),
    "capacity and capability": (
        "The force should ensure that it has sufficient capacity and capability to investigate "
        "online child sexual abuse and exploitation.",
        "The force should ensure that it has sufficient capacity and capability in its control "
        "room to answer emergency calls promptly.",
    ),
    "all officers and staff": (
        "The force should ensure that all officers and staff have the level of vetting their "
        "role requires.",
        "The force should ensure that all officers and staff understand the grounds needed to "
        "stop and search a person.",
    ),
    "improve the supervision of": (
        "The force should improve the supervision of crime investigations.",
        "The force should improve the supervision of its response to anti-social behaviour.",
    ),
}


@pytest.mark.parametrize("earlier, later", REWORDINGS.values(), ids=list(REWORDINGS))
def test_a_rewording_is_substantially_the_same(earlier: str, later: str) -> None:
    assert similar(earlier, later), score(earlier, later)
    assert similar(later, earlier)


@pytest.mark.parametrize("a, b", NEAR_MISSES.values(), ids=list(NEAR_MISSES))
def test_shared_boilerplate_is_not_enough(a: str, b: str) -> None:
    assert not similar(a, b), score(a, b)


def test_no_two_findings_of_the_shipped_report_match() -> None:
    # Twenty findings, many on related topics (five on organised crime, two on registered sex
    # offenders, three on anti-social behaviour), most opening "The force should ensure that".
    assert len(FINDINGS) == 20
    matched = [
        (a, b, score(FINDINGS[a], FINDINGS[b]))
        for a, b in itertools.combinations(FINDINGS, 2)
        if similar(FINDINGS[a], FINDINGS[b])
    ]
    assert matched == []


def test_every_shipped_finding_matches_itself_and_only_itself() -> None:
    texts = list(FINDINGS.values())
    result = match_findings(texts, texts)
    assert result.pairs == [Pair(i, i, 100.0) for i in range(len(texts))]
    assert result.new == result.gone == []


def _words(text: str) -> str:
    return " ".join(sorted(set(text.split())))


def test_the_key_keeps_only_the_substance() -> None:
    assert key(FINDINGS["E2.A3"]) == _words(
        "integrated offender management programme implemented consistently area"
    )
    assert key(FINDINGS["E3.R4"]) == _words("completion rate quality supervision dash form")
    assert key(DASH_LATER) == _words("quality supervision dash risk assessment")


@pytest.mark.parametrize(
    "text",
    [
        "The force should ensure that its vetting backlog is cleared.",
        "The force should make sure its vetting backlog is cleared.",
        "The force needs to ensure its vetting backlog is cleared.",
        "Within three months, the force should ensure that its vetting backlog is cleared.",
        "Within six months of the publication of this report, the force should ensure its "
        "vetting backlog is cleared.",
        "We recommend that the force ensures that its vetting backlog is cleared.",
        "Area for improvement 3: The force should ensure that its vetting backlog is cleared.",
        "The Metropolitan Police Service should immediately take steps to ensure its vetting "
        "backlog is cleared.",
        "ensuring that its vetting backlog is cleared; and",
        "By March 2018, the force must ensure that its vetting backlog is cleared.",
    ],
)
def test_boilerplate_is_taken_off(text: str) -> None:
    assert key(text) == "backlog cleared vetting"


@pytest.mark.parametrize(
    "british, american",
    [
        ("organisation", "organization"),
        ("organisations", "organizations"),
        ("prioritise", "prioritize"),
        ("prioritisation", "prioritization"),
        ("recognised", "recognized"),
        ("recognising", "recognizing"),
        ("behaviour", "behavior"),
        ("behavioural", "behavioral"),
        ("programme", "program"),
        ("defence", "defense"),
        ("centre", "center"),
        ("analyse", "analyze"),
        ("analysed", "analyzed"),
        ("licence", "license"),
        ("neighbourhood", "neighborhood"),
        ("judgement", "judgment"),
        ("offence", "offense"),
        ("counselling", "counseling"),
        ("fulfil", "fulfill"),
    ],
)
def test_british_and_american_spellings_are_one_word(british: str, american: str) -> None:
    assert key(british) == key(american)
    assert score(f"more {british} work", f"more {american} work") == 100.0


def test_hyphenated_prefixes_and_typography_do_not_count() -> None:
    assert key("re-offending and co-ordination") == key("reoffending and coordination")
    assert key("anti‑social behaviour") == key("antisocial behaviour")
    assert key("the force’s ‘hidden crime’ work") == key('the force\'s "hidden crime" work')
    assert key("Missing AND Absent") == key("missing and absent")


def test_word_order_does_not_count() -> None:
    assert (
        score("quality and supervision of DASH forms", "DASH forms: supervision and quality") == 100
    )


def test_a_finding_of_boilerplate_alone_is_not_like_every_other() -> None:
    assert score("The force should ensure that.", "We recommend that.") < DEFAULT_THRESHOLD
    assert not any(similar("The force should ensure that.", text) for text in FINDINGS.values())
    assert score("The force should ensure that.", "The force should ensure that.") == 100


def test_the_threshold_is_a_named_default_and_decides() -> None:
    assert isinstance(DEFAULT_THRESHOLD, float)
    assert 0 < DEFAULT_THRESHOLD < 100
    for function in (similar, match_findings, similarity.Index.nearest, nearest):
        default = inspect.signature(function).parameters["threshold"].default
        assert default == DEFAULT_THRESHOLD, function

    earlier, later = REWORDINGS["the issue's DASH pair"]
    value = score(earlier, later)
    assert value >= DEFAULT_THRESHOLD
    assert similar(earlier, later, threshold=value)
    assert not similar(earlier, later, threshold=value + 0.1)
    strict = match_findings([earlier], [later], threshold=value + 0.1)
    assert (strict.pairs, strict.new, strict.gone) == ([], [0], [0])
    lenient = match_findings([earlier], [later], threshold=value)
    assert lenient.pairs == [Pair(0, 0, value)]

    a, b = NEAR_MISSES["ensure that"]
    assert similar(a, b, threshold=score(a, b))
    assert nearest(a, [b], threshold=score(a, b)) != []
    assert nearest(a, [b]) == []


def test_consecutive_reports_sort_into_recurring_new_and_gone() -> None:
    earlier = [FINDINGS[i] for i in ("E2.A1", "E2.A2", "E2.A3", "E3.R4", "E4.A3")]
    later = [
        "The force should ensure that it maps organised crime groups promptly after "
        "identifying them, and re-assesses them at regular intervals in line with national "
        "standards.",  # E4.A3 reworded
        "The force should improve how it records crimes of violence against women and girls.",
        FINDINGS["E2.A1"],  # unchanged
        "The force should improve the quality and supervision of DASH risk assessments.",
        "The force should make sure that frontline staff know which registered sex offenders "
        "live in their area, so that they can play a part in monitoring and managing them.",
    ]  # E2.A3 (integrated offender management) is gone; the second is new.
    result = match_findings(earlier, later)
    assert [(p.earlier, p.later) for p in result.pairs] == [(4, 0), (0, 2), (3, 3), (1, 4)]
    assert result.pairs[1].score == 100.0
    assert all(DEFAULT_THRESHOLD <= p.score <= 100 for p in result.pairs)
    assert result.new == [1]
    assert result.gone == [2]


def test_matching_is_one_to_one_and_prefers_the_best_score() -> None:
    earlier = [FINDINGS["E2.A1"]]
    copy = "The force should ensure that the risks posed by registered sex offenders are managed."
    later = [copy, FINDINGS["E2.A1"]]
    assert similar(earlier[0], copy)
    result = match_findings(earlier, later)
    assert result.pairs == [Pair(0, 1, 100.0)]
    assert result.new == [0]
    assert result.gone == []


def test_matching_empty_reports() -> None:
    assert match_findings([], []) == ([], [], [])
    assert match_findings(["a finding"], []) == ([], [], [0])
    assert match_findings([], ["a finding"]) == ([], [0], [])


def test_nearest_finds_the_rewording_first_and_keeps_to_limit_and_threshold() -> None:
    candidates = list(FINDINGS.values())
    found = nearest(DASH_LATER, candidates)
    assert [candidates[n.candidate] for n in found] == [FINDINGS["E3.R4"]]
    assert found[0].score == score(DASH_LATER, FINDINGS["E3.R4"])

    everything = nearest(DASH_LATER, candidates, threshold=0, limit=None)
    assert len(everything) == len(candidates)
    assert [n.score for n in everything] == sorted((n.score for n in everything), reverse=True)
    assert nearest(DASH_LATER, candidates, threshold=0, limit=3) == everything[:3]


def test_nearest_can_leave_out_the_query_itself() -> None:
    candidates = list(FINDINGS.values())
    index = Index.of(candidates)
    own = candidates.index(FINDINGS["E2.A1"])
    assert index.nearest(FINDINGS["E2.A1"])[0] == (own, 100.0)
    assert all(n.candidate != own for n in index.nearest(FINDINGS["E2.A1"], 0, None, exclude={own}))


def test_an_index_built_from_kept_keys_finds_the_same() -> None:
    candidates = list(FINDINGS.values())
    index = Index.of(candidates)
    again = Index(list(index.keys))
    assert len(again) == len(candidates)
    for query in (DASH_LATER, *candidates):
        assert again.nearest(query, threshold=40) == index.nearest(query, threshold=40)


@pytest.mark.parametrize("threshold", [0, 30, 50, 60, 70, 85, 100])
def test_nearest_finds_what_scoring_every_candidate_finds(threshold: float) -> None:
    # Index.nearest skips candidates by a bound on one of the two measures: it must skip
    # none that reaches the threshold.
    candidates = list(FINDINGS.values()) + [t for pair in REWORDINGS.values() for t in pair]
    candidates += [t for pair in NEAR_MISSES.values() for t in pair]
    index = Index.of(candidates)
    for query in candidates[::3]:
        brute = sorted(
            ((i, score(query, c)) for i, c in enumerate(candidates)),
            key=lambda n: (-n[1], n[0]),
        )
        expected = [n for n in brute if n[1] >= threshold]
        assert index.nearest(query, threshold, limit=None) == expected


VOCABULARY = (
    "the force should ensure that crime victims domestic abuse organised organized "
    "behaviour behavior supervision DASH forms re-offending ‘quoted’ within three months"
)
WORDS = st.sampled_from(VOCABULARY.split())
TEXTS = st.lists(WORDS, max_size=12).map(" ".join)


@given(TEXTS, TEXTS)
def test_score_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert score(a, b) == score(b, a)
    assert 0 <= score(a, b) <= 100
    if a.strip():
        assert score(a, a) == 100


# --- matching two reports: the pairs of ranking every pair, in memory that grows linearly --


def _every_pair_greedy(earlier: list[str], later: list[str], threshold: float) -> Matching:
    """Matching as defined: every pair over the threshold, best first, greedily."""
    candidates = sorted(
        (-value, j, i)
        for j, b in enumerate(later)
        for i, a in enumerate(earlier)
        if (value := score(a, b)) >= threshold
    )
    used_earlier: set[int] = set()
    used_later: set[int] = set()
    pairs = []
    for negative, j, i in candidates:
        if i not in used_earlier and j not in used_later:
            used_earlier.add(i)
            used_later.add(j)
            pairs.append(Pair(i, j, -negative))
    pairs.sort(key=lambda p: p.later)
    return Matching(
        pairs,
        [j for j in range(len(later)) if j not in used_later],
        [i for i in range(len(earlier)) if i not in used_earlier],
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(TEXTS, max_size=30),
    st.lists(TEXTS, max_size=30),
    st.sampled_from([0, 40, 70, 90, 100]),
)
def test_matching_pairs_as_ranking_every_pair_would(
    earlier: list[str], later: list[str], threshold: float
) -> None:
    # Few words, many repeats: ties and findings whose best few are all taken by others.
    assert match_findings(earlier, later, threshold) == _every_pair_greedy(
        earlier, later, threshold
    )


def _near_identical(count: int, seed: int) -> list[str]:
    import random

    pick = random.Random(seed).choice
    words = VOCABULARY.split()
    opening = "The force should improve how it supervises investigations of domestic abuse"
    return [f"{opening} {' '.join(pick(words) for _ in range(3))} {n}" for n in range(count)]


def test_matching_near_identical_reports_holds_a_few_candidates_per_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    earlier, later = _near_identical(300, 1), _near_identical(300, 2)
    held: list[int] = []
    real = Index.nearest_key

    def counted(self: Index, *args: Any, **kwargs: Any) -> list[Neighbour]:
        found = real(self, *args, **kwargs)
        held.append(len(found))
        return found

    monkeypatch.setattr(Index, "nearest_key", counted)
    result = match_findings(earlier, later)
    assert len(result.pairs) > 250  # near-identical: almost all recur
    assert held and max(held) <= similarity.CANDIDATES  # at most k per finding at a time
    assert len(held) <= 3 * len(later)  # fetched again rarely


def test_matching_near_identical_reports_takes_memory_in_their_sum_not_product() -> None:
    import tracemalloc

    def peak(count: int) -> int:
        earlier, later = _near_identical(count, 1), _near_identical(count, 2)
        similarity.key.cache_clear()
        tracemalloc.start()
        try:
            match_findings(earlier, later)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(200), peak(800)
    # Four times the findings: four times the memory if linear, sixteen if every pair is kept.
    assert large < 6 * small, (small, large)
    assert large < 800 * 8192  # a few KiB a finding
