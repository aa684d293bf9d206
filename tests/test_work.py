"""The work counter that bounds take the place of timings: it sees what it claims to see."""

from __future__ import annotations

import re
import sys
import types

import pytest
from work import counted

_WORD = re.compile(r"\w+")


def _linear(text: str) -> int:
    return len(_WORD.findall(text))


def _scans_from_every_place(text: str) -> int:
    return sum(1 for at in range(0, len(text), 7) if _WORD.search(text, at))


def _calls_per_pair(text: str) -> int:
    words = text.split()
    return sum(1 for a in words for b in words if len(a) == len(b))


def _work(monkeypatch: pytest.MonkeyPatch, run: object, text: str) -> int:
    with counted(monkeypatch, __name__) as work:
        run(text)  # type: ignore[operator]
    return work.total


@pytest.mark.parametrize(
    ("run", "growth"),
    [(_linear, 2), (_scans_from_every_place, 4), (_calls_per_pair, 4)],
    ids=["linear", "a scan from every place", "a call for every pair"],
)
def test_twice_the_input_shows_as_twice_or_four_times_the_work(
    monkeypatch: pytest.MonkeyPatch, run: object, growth: int
) -> None:
    once = _work(monkeypatch, run, "word " * 400)
    twice = _work(monkeypatch, run, "word " * 800)
    assert growth * 0.9 < twice / once < growth * 1.1, (once, twice)


def test_what_patterns_are_given_is_counted_whichever_way_they_are_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("counted_example")
    module.re = re  # type: ignore[attr-defined]
    module.PATTERN = re.compile("x")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "counted_example", module)
    with counted(monkeypatch, "counted_example") as work:
        module.PATTERN.search("a" * 10)  # type: ignore[attr-defined]
        module.PATTERN.search("a" * 10, 4)  # type: ignore[attr-defined]
        module.PATTERN.sub("y", "a" * 5)  # type: ignore[attr-defined]
        module.re.fullmatch("x", "a" * 3, re.IGNORECASE)  # type: ignore[attr-defined]
        module.re.compile("x").findall("a" * 2)  # type: ignore[attr-defined]
    assert work.scanned == 10 + 6 + 5 + 3 + 2
    assert module.PATTERN.pattern == "x"  # type: ignore[attr-defined]
    assert isinstance(module.PATTERN, re.Pattern)  # put back on leaving  # type: ignore[attr-defined]
