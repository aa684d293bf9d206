"""The driver the fuzz targets share: hypothesis run for a number of inputs (the suite) or
against the clock (by hand), and the command line."""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

T = TypeVar("T")


class _TimeUp(BaseException):
    """Not an Exception, so hypothesis stops at once rather than taking it for a failure."""


def fuzz(
    inputs: st.SearchStrategy[T],
    check: Callable[[T], None],
    seconds: float | None = None,
    seed_value: int | None = None,
    examples: int | None = None,
) -> int:
    """Check `examples` generated inputs, or as many as `seconds` allow; the number checked.

    Raises on a failure. The suite gives a number, so that what it checks does not depend on
    how busy the machine is; a run by hand gives seconds.
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    count = 0

    @settings(
        max_examples=10**9 if examples is None else examples,
        deadline=None,
        database=None,
        phases=(Phase.generate, Phase.shrink),
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs)
    def run(value: Any) -> None:
        nonlocal count
        if deadline is not None and time.monotonic() > deadline:
            raise _TimeUp
        count += 1
        check(value)

    if seed_value is not None:
        run = seed(seed_value)(run)
    with contextlib.suppress(_TimeUp):
        run()
    return count


def main(
    name: str, description: str, run: Callable[[float, int | None], int], argv: list[str] | None
) -> int:
    """A fuzz target's command line: --seconds and --seed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="to repeat a run")
    args = parser.parse_args(argv)
    count = run(args.seconds, args.seed)
    print(f"{name}: {count} inputs in {args.seconds:g} s, no failure")
    return 0
