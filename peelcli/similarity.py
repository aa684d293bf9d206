"""How alike two findings are: the engine of `peel compare` and `peel similar`.

Pure functions over strings: no I/O, no printing, no models. Scores run from 0 to 100.

The texts are compared by their substance. `normalise` lowers the case, writes British and
American spellings one way, drops punctuation, the boilerplate findings open with ("The force
should ensure that", "Within three months, the force should", "We recommend that", "improving")
and the small words that carry no topic, and takes plurals to the singular. `key` is that
substance as its distinct words in alphabetical order, so that word order cannot count. `score`
is the mean of two rapidfuzz measures of two keys: the edit-distance ratio of the sorted words,
which falls when one text says more than the other, and the token-set ratio, which stays high
when one text's words are all in the other, so that a finding cut short or extended by a clause
still matches.

Why rapidfuzz: a score depends on the two texts alone (TF-IDF weights change with the corpus
loaded, so a pair's score would change with the files given); it imports quickly and without
numpy, where scikit-learn's import alone would spend most of the time a compare may take; and its
C++ scorers go through thousands of findings at once. On the cases recorded in the tests it
catches every rewording and no near miss. TF-IDF over character n-grams of the same normalised
text separated those cases by a wider margin, but not by enough to pay its cost; a sentence
embedding model shipped in a package separated them less well, and brings a machine-learning
framework many times the size of peel. benchmarks/bench_similar.py measures the speed.

Importing this module imports rapidfuzz, so the CLI imports it only inside the commands that
compare (tests/test_similarity.py checks that the others do not).
"""

from __future__ import annotations

import functools
import heapq
import re
import string
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 70.0
"""Scores at or above this say "substantially the same".

It lies between the lowest score of a rewording the tests must catch (the DASH pair) and the
highest score of two different findings sharing boilerplate, with room on both sides."""

# One spelling for words that British and American English write differently; the reports
# are British, so British is the form kept. Words ending -ize, -ization and -yze are handled
# by a pattern (_IZE) instead of a list.
_SPELLINGS = {
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "behavioral": "behavioural",
    "program": "programme",
    "programs": "programmes",
    "defense": "defence",
    "defenses": "defences",
    "offense": "offence",
    "offenses": "offences",
    "license": "licence",
    "licenses": "licences",
    "licensed": "licenced",
    "center": "centre",
    "centers": "centres",
    "centered": "centred",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "neighborhood": "neighbourhood",
    "neighborhoods": "neighbourhoods",
    "color": "colour",
    "labor": "labour",
    "favor": "favour",
    "honor": "honour",
    "endeavor": "endeavour",
    "endeavors": "endeavours",
    "judgment": "judgement",
    "judgments": "judgements",
    "acknowledgment": "acknowledgement",
    "practise": "practice",
    "practised": "practiced",
    "practises": "practices",
    "practising": "practicing",
    "fulfill": "fulfil",
    "fulfills": "fulfils",
    "fulfillment": "fulfilment",
    "enroll": "enrol",
    "enrollment": "enrolment",
    "modeling": "modelling",
    "modeled": "modelled",
    "labeled": "labelled",
    "labeling": "labelling",
    "traveled": "travelled",
    "counseling": "counselling",
    "counselor": "counsellor",
    "canceled": "cancelled",
    "signaled": "signalled",
    "catalog": "catalogue",
    "dialog": "dialogue",
    "gray": "grey",
    "aging": "ageing",
    "skeptical": "sceptical",
    "tire": "tyre",
    "jewelry": "jewellery",
}

# -ize, -ization, -yze and their forms become -ise, -isation, -yse. Words such as "seize" and
# "prize" change too: harmless, as both texts change alike and findings seldom use "prise".
_IZE = re.compile(r"\b(\w\w+?)([iy])z(es?|ed|ing|ers?|ations?|ational)\b")

# Prefixes written with or without a hyphen (co-ordinate, anti-social, re-offending,
# multi-agency) are joined to their word; other hyphens part words (problem-solving). The pattern
# opens with the hyphen and looks back for the prefix, so that it is tried at hyphens only.
_PREFIXES = "co anti re multi non pre inter cross sub counter self under over post semi cyber"
_HYPHENED_PREFIX = re.compile(
    "-(?:" + "|".join(rf"(?<=\b{p}-)" for p in _PREFIXES.split()) + r")(?=\w)"
)
# ASCII punctuation becomes a space: bytes.translate does that for ASCII text faster than a
# regular expression or str.translate. Other text goes through _NOT_WORD.
_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))
_OTHER_HYPHENS = str.maketrans("\u2010\u2011", "--")
_NOT_WORD = re.compile(r"[\W_]+")

# Boilerplate that opens findings, in any sequence: labels, deadlines, "we recommend that",
# the force and a modal verb, adverbs, and light verbs such as "ensure that". Anchored at the
# start, so the same words later in a finding are substance and stay.
_LABEL = r"(?:area for improvement|areas for improvement|recommendation|cause of concern)(?: \d+)?"
_DEADLINE = (
    r"(?:within|by|over) (?:the next )?(?:\w+ ){1,2}(?:months?|weeks?|days?|years?|20\d\d)"
    r"(?: of (?:the )?(?:\w+ ){0,4}?(?:report|inspection))?"
)
_RECOMMEND = (
    r"(?:we|hmic|hmicfrs|the inspectorate|it is) recommend(?:s|ed)?(?: that)?"
    r"(?: (?:the|this|all|each|every) (?:force|forces|chief constables?|chief officers?))?"
)
_SUBJECT_MODAL = (
    r"(?:the |this |all |each |every )?(?:\w+ ){0,4}?"
    r"(?:force|forces|constabulary|police|service|chief constables?|chief officers?) "
    r"(?:should|must|needs to|need to|is to|are to|ought to|has to|will need to|will)"
)
_ADVERB = (
    r"(?:immediately|urgently|now|also|further|continue to|take steps to|take action to"
    r"|seek to|work to|look to|do more to|act to)"
)
_LIGHT_VERB = (
    r"(?:ensure|ensures|ensuring|make sure|makes sure|making sure|satisfy itself|satisfies itself"
    r"|satisfying itself|assure itself|assures itself|assuring itself|be assured"
    r"|improve|improves|improving)(?: that)?"
)
_BOILERPLATE = re.compile(
    rf"(?:(?:{_LABEL}|{_DEADLINE}|{_RECOMMEND}|{_SUBJECT_MODAL}|{_ADVERB}|{_LIGHT_VERB}) )+"
    # Punctuation leaves runs of spaces between words.
    .replace(" ", " +")
)

# Words that carry no topic: two findings sharing only these share nothing.
_STOPWORD_LIST = """
    a an the and or nor but of to in on for with by at as from into onto via about across
    within between through than then also so such that this these those there which who whom
    whose what how when where while why it its itself they them their we our us he she his her
    is are be been being was were has have had do does did will would can could may might
    should must shall not no all any each both every more most other some s
"""
_STOPWORDS = frozenset(_STOPWORD_LIST.split())


def _singular(word: str) -> str:
    """A word without its plural ending; a rough rule, applied to both texts alike."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word[-1] == "s" and word[-2] not in "siu":
        return word[:-1]
    return word


def _spelling(word: str) -> str:
    word = _SPELLINGS.get(word, word)
    if "z" in word:
        word = _IZE.sub(r"\1\2s\3", word)
    return word


def _form(word: str) -> str:
    """The form a word is compared in."""
    form = _singular(_spelling(word))
    if len(_FORMS) < _MEMO_SIZE:
        _FORMS[word] = form
    return form


# Findings draw on a vocabulary of some thousands of words, so after the first findings the
# word-level steps are dictionary look-ups; the memo stops growing at _MEMO_SIZE words.
_FORMS: dict[str, str] = {}
_MEMO_SIZE = 1 << 17


def _substance(text: str) -> list[str]:
    """The words of a finding after its boilerplate, lower case, without punctuation."""
    lowered = text.lower()
    ascii_only = lowered.isascii()
    if not ascii_only:
        lowered = lowered.translate(_OTHER_HYPHENS)
    if "-" in lowered:
        lowered = _HYPHENED_PREFIX.sub("", lowered)
    if ascii_only:
        plain = lowered.encode("ascii").translate(_ASCII_PUNCTUATION).decode("ascii")
    else:
        plain = _NOT_WORD.sub(" ", lowered)
    plain = plain.lstrip() + " "
    boilerplate = _BOILERPLATE.match(plain)
    return (plain[boilerplate.end() :] if boilerplate else plain).split()


@functools.lru_cache(maxsize=1 << 15)
def key(text: str) -> str:
    """What `score` compares: the distinct words of the substance, in alphabetical order."""
    words = set(_substance(text))
    words.difference_update(_STOPWORDS)
    if not words:
        # All boilerplate (such as "The force should ensure that."): compare every word
        # rather than call it identical to every other text with no substance.
        return " ".join(sorted(set(_NOT_WORD.sub(" ", text.lower()).split())))
    forms = _FORMS
    return " ".join(sorted({forms.get(w) or _form(w) for w in words}))


def score_keys(a: str, b: str) -> float:
    """The score of two keys made by `key`, rounded to one decimal place."""
    return round((fuzz.ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2, 1)


def score(a: str, b: str) -> float:
    """How alike two findings are, from 0 (nothing in common) to 100 (the same substance)."""
    return score_keys(key(a), key(b))


def similar(a: str, b: str, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether two findings say substantially the same: their score reaches the threshold."""
    return score(a, b) >= threshold


class Pair(NamedTuple):
    """A finding of an earlier report and the later one that says substantially the same."""

    earlier: int  # index into the earlier findings
    later: int  # index into the later findings
    score: float


class Matching(NamedTuple):
    """Findings of two reports sorted into recurring, new and no longer listed."""

    pairs: list[Pair]  # recurring, in the order of the later findings
    new: list[int]  # indexes of later findings that match none of the earlier
    gone: list[int]  # indexes of earlier findings that no later one matches


# How many of the closest earlier findings each later finding holds at a time while they are
# paired. Keeping every pair over the threshold costs memory in the product of the two
# reports' sizes (near-identical reports put every pair over it); a few each keeps it in
# their sum. A finding whose few are all taken fetches its next few.
CANDIDATES = 8


def match_findings(
    earlier: Sequence[str], later: Sequence[str], threshold: float = DEFAULT_THRESHOLD
) -> Matching:
    """Pair each later finding with at most one earlier one, best scores first.

    Greedy by score: the closest pair is surely right, and it takes both findings out of
    the running. Ties go to the earliest later finding, then the earliest earlier one, so
    the same reports always give the same pairs. The pairs are those of ranking every pair
    over the threshold, but each later finding holds only its best few at a time.
    """
    index = Index.of(earlier)
    later_keys = [key(t) for t in later]
    used_earlier: set[int] = set()
    held: list[list[Neighbour]] = []  # each later finding's best remaining, worst first
    heap: list[tuple[float, int, int]] = []  # the head of each: (-score, later, earlier)
    for j, later_key in enumerate(later_keys):
        best = index.nearest_key(later_key, threshold, CANDIDATES)
        best.reverse()
        held.append(best)
        if best:
            head = best[-1]
            heap.append((-head.score, j, head.candidate))
    heapq.heapify(heap)
    pairs: list[Pair] = []
    while heap:
        negative, j, i = heapq.heappop(heap)
        if i not in used_earlier:
            used_earlier.add(i)
            pairs.append(Pair(i, j, -negative))
            held[j] = []
            continue
        # Its best is taken: on to its next, fetched again once its few are all taken.
        mine = held[j]
        while mine and mine[-1].candidate in used_earlier:
            mine.pop()
        if not mine:
            mine = index.nearest_key(later_keys[j], threshold, CANDIDATES, used_earlier)
            mine.reverse()
            held[j] = mine
        if mine:
            heapq.heappush(heap, (-mine[-1].score, j, mine[-1].candidate))
    pairs.sort(key=lambda p: p.later)
    used_later = {p.later for p in pairs}
    return Matching(
        pairs=pairs,
        new=[j for j in range(len(later)) if j not in used_later],
        gone=[i for i in range(len(earlier)) if i not in used_earlier],
    )


class Neighbour(NamedTuple):
    """A candidate finding close to a query: its index among the candidates and its score."""

    candidate: int
    score: float


class Index:
    """Candidate findings made ready once for any number of `nearest` look-ups.

    Making the keys is most of the cost of a first look-up in a large corpus; a key depends on
    its text alone, so a cache may keep `keys` and build the index again with `Index(keys)`.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        """An index of keys made by `key`, in the order of the candidates."""
        self.keys = list(keys)

    @classmethod
    def of(cls, texts: Iterable[str]) -> Index:
        """An index of finding texts."""
        return cls([key(t) for t in texts])

    def __len__(self) -> int:
        return len(self.keys)

    def nearest(
        self,
        query: str,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int | None = 10,
        exclude: Collection[int] = (),
    ) -> list[Neighbour]:
        """The candidates scoring at least threshold against query, best first, at most limit."""
        return self.nearest_key(key(query), threshold, limit, exclude)

    def nearest_key(
        self,
        query_key: str,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int | None = 10,
        exclude: Collection[int] = (),
    ) -> list[Neighbour]:
        """As `nearest`, for a query's key made by `key`."""
        # The score is the mean of two measures of at most 100 each, so a candidate reaches the
        # threshold only if each measure reaches 2 * threshold - 100. The ratio, the cheaper of
        # the two, is run over every candidate to find those; only they go on to the token-set
        # ratio. Both passes run in rapidfuzz's C++ loop rather than call a scorer per candidate.
        # Less a tenth, as the mean is rounded to one: 69.96 is 70.0.
        floor = max(0.0, 2 * threshold - 100 - 0.1)
        if limit is not None and not exclude:
            # Only the best few: the scores of those with the best few ratios are a first
            # worst-kept, and no candidate whose ratio is far below it can beat it.
            first = process.extract(
                query_key, self.keys, scorer=fuzz.ratio, limit=limit, score_cutoff=floor
            )
            scores = sorted(
                round((ratio + fuzz.token_set_ratio(query_key, self.keys[i])) / 2, 1)
                for _, ratio, i in first
            )
            if len(scores) == limit:
                floor = max(floor, 2 * scores[0] - 100 - 0.1)
        rough = process.extract(
            query_key, self.keys, scorer=fuzz.ratio, limit=None, score_cutoff=floor
        )
        if limit is not None:
            return _best(query_key, self.keys, rough, threshold, limit, exclude)
        ratios = {i: ratio for _, ratio, i in rough if i not in exclude}
        token_sets = process.extract(
            query_key,
            {i: self.keys[i] for i in ratios},
            scorer=fuzz.token_set_ratio,
            limit=None,
            score_cutoff=floor,
        )
        found = [
            Neighbour(i, value)
            for _, token_set, i in token_sets
            if (value := round((ratios[i] + token_set) / 2, 1)) >= threshold
        ]
        found.sort(key=lambda n: (-n.score, n.candidate))
        return found if limit is None else found[:limit]


def _best(
    query_key: str,
    keys: Sequence[str],
    rough: list[tuple[str, float, int]],
    threshold: float,
    limit: int,
    exclude: Collection[int],
) -> list[Neighbour]:
    """The best few of the candidates rough holds, best ratio first: the token-set ratio is
    taken only while a candidate could still be among them.

    A score is at most the mean of its ratio and 100, and no candidate after one has a
    higher ratio: once that bound falls below the worst of those kept, none after it can
    enter. Among near-identical findings, where every ratio passes the threshold, this
    scores a few candidates rather than all.
    """
    kept: list[tuple[float, int]] = []  # a heap of (score, -candidate): the worst on top
    for _, ratio, i in rough:
        if i in exclude:
            continue
        if len(kept) == limit:
            bound = round((ratio + 100) / 2, 1)
            worst, negative = kept[0]
            if bound < worst:
                break
            if bound == worst and i > -negative:
                continue  # at best a tie with the worst kept, and later in order
        value = round((ratio + fuzz.token_set_ratio(query_key, keys[i])) / 2, 1)
        if value < threshold:
            continue
        if len(kept) < limit:
            heapq.heappush(kept, (value, -i))
        elif (value, -i) > kept[0]:
            heapq.heapreplace(kept, (value, -i))
    found = [Neighbour(-negative, value) for value, negative in kept]
    found.sort(key=lambda n: (-n.score, n.candidate))
    return found


def nearest(
    query: str,
    candidates: Sequence[str],
    threshold: float = DEFAULT_THRESHOLD,
    limit: int | None = 10,
) -> list[Neighbour]:
    """The candidates that say nearly what query says, best first; see `Index.nearest`."""
    return Index.of(candidates).nearest(query, threshold, limit)
