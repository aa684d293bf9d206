"""Regular expressions a user wrote, run within a time limit: per text, and for the whole search.

Python's re backtracks, so a pattern such as (a+)+$ takes time exponential in the length of
the text it runs on, and a pattern that takes a little on each text can take minutes over a
large corpus. Terms built from words (search without --regex) never backtrack so, and are not
timed. The limit is kept here, apart from the search itself (`peelcli.query`, pure functions):
it needs a process-wide timer signal.

Why a timer signal rather than the third-party regex module's timeout or RE2: it keeps re's
syntax and matches, adds nothing to start-up (signal is loaded already), and re checks for
signals as it backtracks. Where there is no timer signal (Windows) or this is not the main
thread, a text that never ends is not stopped, but the whole search still is, between texts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from peelcli.errors import PeelError, quoted

if TYPE_CHECKING:
    import re

    from peelcli.query import Matcher, Pattern

# How long one text may take, and a whole search. A real search of a large corpus takes a
# small part of the whole.
TEXT_SECONDS = 0.5
SEARCH_SECONDS = 10.0


_now = time.monotonic


class TooSlow(Exception):
    """The time for a --regex search ran out: on one text, or in all."""

    def __init__(self, whole: bool) -> None:
        super().__init__("the whole search" if whole else "one text")
        self.whole = whole


class Budget:
    """The time a search may take, kept by counting texts and reading a clock.

    `step` is called before each text; `tick` by the timer signal every `per_text`
    seconds. A tick that finds no step since the last one finds a text that has run for
    at least that long. The clock is read at each step and tick, so a fake one drives it.
    """

    def __init__(
        self,
        per_text: float | None = None,
        whole: float | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.per_text = TEXT_SECONDS if per_text is None else per_text
        self.whole = SEARCH_SECONDS if whole is None else whole
        self.steps = 0
        self.pattern: str | None = None  # the pattern running, to name it when stopped
        self._clock = clock or _now
        self._started = self._clock()
        self._seen = -1

    def step(self) -> None:
        """A text begins: TooSlow once the whole search has run out of time."""
        self.steps += 1
        self._check_whole()

    def tick(self) -> None:
        """The timer's signal: TooSlow if no text began since the last tick, or if the whole
        search has run out of time."""
        if self.steps == self._seen:
            raise TooSlow(whole=False)
        self._seen = self.steps
        self._check_whole()

    def _check_whole(self) -> None:
        if self._clock() - self._started > self.whole:
            raise TooSlow(whole=True)


class _Timed(NamedTuple):
    """A compiled pattern that tells the budget it is the one running."""

    compiled: Pattern
    budget: Budget

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self.budget.pattern = self.compiled.pattern
        return self.compiled.finditer(text)


class _TimedMatcher:
    """A Matcher whose every text is a step of the budget."""

    def __init__(self, matcher: Matcher, budget: Budget) -> None:
        self._matcher = matcher._replace(
            patterns=tuple(_Timed(p, budget) for p in matcher.patterns)
        )
        self._budget = budget

    def spans(self, text: str) -> list[tuple[int, int]] | None:
        self._budget.step()
        return self._matcher.spans(text)


@contextmanager
def time_limited(matcher: Matcher, budget: Budget | None = None) -> Iterator[Any]:
    """The matcher, with each text and the whole search run within the budget's times; a
    search that runs out is a PeelError naming the pattern and the time."""
    budget = budget or Budget()
    try:
        with _timer(budget):
            yield _TimedMatcher(matcher, budget)
    except TooSlow as exc:
        what = f"the pattern {quoted(budget.pattern)}" if budget.pattern else "the pattern"
        if exc.whole:
            limit = f"{budget.whole:g} seconds in all"
        else:
            limit = f"{budget.per_text:g} seconds on one text"
        raise PeelError(
            f"{what} ran for more than {limit}; simplify it "
            "(a repeat inside a repeat, such as (a+)+, can take forever)"
        ) from None


@contextmanager
def _timer(budget: Budget) -> Iterator[None]:
    """The budget's tick every per_text seconds, on SIGALRM, while the code inside runs."""
    import signal

    def tick(signum: int, frame: object) -> None:
        budget.tick()

    try:
        previous = signal.signal(signal.SIGALRM, tick)
    except (AttributeError, ValueError):  # no SIGALRM (Windows), or not the main thread
        yield
        return
    try:
        signal.setitimer(signal.ITIMER_REAL, budget.per_text, budget.per_text)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
