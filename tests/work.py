"""Work counted rather than timed: a bound that holds on a busy machine as on an idle one.

A test that times its code fails when the machine is busy. These count what the code does
instead: the functions it calls and the characters it hands to regular expressions. Linear
code does at most twice the work on twice the input, whatever the load.
"""

from __future__ import annotations

import contextlib
import re
import sys
import types
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import pytest

_SCANS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class Work:
    """What one run did: functions called and characters given to patterns to scan."""

    def __init__(self) -> None:
        self.calls = 0
        self.scanned = 0

    @property
    def total(self) -> int:
        return self.calls + self.scanned


def _scanned_of(args: tuple[Any, ...], kwargs: dict[str, Any], method: str) -> int:
    """The characters a pattern's method may look at: its string from pos to endpos."""
    at = 1 if method in ("sub", "subn") else 0  # sub(repl, string)
    string = kwargs.get("string", args[at] if len(args) > at else "")
    if not isinstance(string, (str, bytes)):
        return 0
    # sub, subn and split take count (and maxsplit) after the string, the others pos, endpos.
    rest = () if method in ("sub", "subn", "split") else args[at + 1 :]
    pos = kwargs.get("pos", rest[0] if rest else 0)
    endpos = kwargs.get("endpos", rest[1] if len(rest) > 1 else len(string))
    return max(0, min(endpos, len(string)) - pos)


class _CountedPattern:
    """A compiled pattern that adds what each scan may read to a Work."""

    def __init__(self, pattern: re.Pattern[str], work: Work) -> None:
        self._pattern = pattern
        self._work = work

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._pattern, name)
        if name not in _SCANS:
            return found

        def scan(*args: Any, **kwargs: Any) -> Any:
            self._work.scanned += _scanned_of(args, kwargs, name)
            return found(*args, **kwargs)

        return scan


def _counted_re(work: Work) -> types.SimpleNamespace:
    """The re module, with its scanning functions and compile counting into work."""
    facade = types.SimpleNamespace(**{k: getattr(re, k) for k in dir(re) if not k.startswith("__")})

    def compile(pattern: Any, flags: int = 0) -> Any:
        return _CountedPattern(re.compile(pattern, flags), work)

    def scanning(method: str) -> Callable[..., Any]:
        real = getattr(re, method)

        def scan(pattern: Any, *args: Any, **kwargs: Any) -> Any:
            # re.search(pattern, string, flags): the whole string, from its start.
            at = 1 if method in ("sub", "subn") else 0
            string = kwargs.get("string", args[at] if len(args) > at else "")
            if isinstance(string, (str, bytes)):
                work.scanned += len(string)
            return real(pattern, *args, **kwargs)

        return scan

    facade.compile = compile
    for method in _SCANS:
        setattr(facade, method, scanning(method))
    return facade


@contextlib.contextmanager
def counted(monkeypatch: pytest.MonkeyPatch, *packages: str) -> Iterator[Work]:
    """Count the work done inside: every call, and every character that the packages'
    patterns (compiled at module level or passed to re) are given to scan."""
    work = Work()
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(packages):
            continue
        for attribute, value in list(vars(module).items()):
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, attribute, _CountedPattern(value, work))
            elif value is re:
                monkeypatch.setattr(module, attribute, _counted_re(work))

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" or event == "c_call":
            work.calls += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield work
    finally:
        sys.setprofile(previous)
        monkeypatch.undo()
