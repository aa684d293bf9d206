"""Exit codes and the one error type that reaches a user."""

from __future__ import annotations

import enum
import errno
import functools
from collections.abc import Sequence
from typing import NamedTuple


class ExitCode(enum.IntEnum):
    """Exit statuses, as grep and ripgrep use them."""

    OK = 0
    NO_MATCH = 1
    ERROR = 2
    INTERNAL_ERROR = 70  # a defect in peel itself (EX_SOFTWARE), whatever the input
    INTERRUPTED = 130


def quoted(value: object, limit: int = 60) -> str:
    """A value from the input as a message shows it: quoted and escaped, cut short if long."""
    if isinstance(value, str) and len(value) > limit:
        text = repr(value[:limit])
        return f"{text[:-1]}…{text[-1]}"
    text = repr(value)
    # Not text (a number, a key of another type): its repr, cut just as short.
    return text if isinstance(value, str) or len(text) <= limit else f"{text[:limit]}…"


def os_message(exc: OSError) -> str:
    """Why a file could not be read or written, in words: for loading and writing alike."""
    # The names, looked up here: their numbers differ between systems (ELOOP is 40 on
    # Linux, 62 on macOS and the BSDs).
    reasons = {
        errno.ENOENT: "no such file or directory",
        errno.EACCES: "permission denied",
        errno.ENOTDIR: "a part of the path is not a directory",
        errno.EISDIR: "is a directory",
        errno.ELOOP: "too many levels of symbolic links (a symlink loop?)",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def says_memory(exc: BaseException) -> bool:
    """Whether an error's own words say that memory ran short: a library that could not be
    loaded or mapped for want of address space raises ImportError or OSError (and C code
    SystemError), not MemoryError."""
    text = str(exc).lower()
    return any(words in text for words in ("memory", "allocate", "map segment"))


def memory_limited() -> bool:
    """Whether this process runs under a limit on its memory (ulimit -v or -d).

    C code that fails to allocate sometimes says so with a SystemError ("error return
    without exception set") rather than MemoryError: under such a limit that is what one
    means, and without one it stays what it says, a defect.
    """
    import sys

    if sys.platform == "win32":
        return False
    try:
        import resource
    except ImportError:  # a Unix that cannot load a small module: memory is what is short
        return True
    limits = [getattr(resource, name, None) for name in ("RLIMIT_AS", "RLIMIT_DATA")]
    return any(
        resource.getrlimit(limit)[0] != resource.RLIM_INFINITY
        for limit in limits
        if limit is not None
    )


@functools.cache
def allocations_can_fail() -> bool:
    """Whether allocating a few megabytes can fail in this process: under a limit on its
    memory (ulimit -v or -d), or where Linux commits no more memory than it has
    (vm.overcommit_memory 2). Elsewhere memory running short ends a process (the kernel's
    out-of-memory killer, a container's limit), and no allocation of this size fails.

    Code in Rust (pydantic's validator, yaml-rs) ends the process where an allocation fails,
    instead of raising MemoryError: where one can, peel makes room first or does without.
    """
    import sys

    try:
        with open("/proc/sys/vm/overcommit_memory", encoding="ascii") as setting:
            strict = setting.read().strip() == "2"
    except OSError:
        strict = not sys.platform.startswith("linux")  # elsewhere, look every time
    return strict or memory_limited()


# The words pydantic puts before a validator's own message: not a reader's concern.
_VALIDATOR_PREFIXES = ("Value error, ", "Assertion failed, ")


def validator_message(message: str) -> str:
    """A model validator's message as peel says it, without pydantic's 'Value error, '."""
    for prefix in _VALIDATOR_PREFIXES:
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


class Problem(NamedTuple):
    """One thing wrong with an input: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class PeelError(Exception):
    """Input peel cannot use. Carries every problem found, each with its place.

    hint says what to do, in a library caller's terms. reason, where one is given, names the
    kind of problem and facts what a caller needs to say it in its own terms: the command
    line words the message and hint with its options (`--data`, `--force`) from them.
    """

    def __init__(
        self,
        problems: list[Problem] | Problem | str,
        hint: str | None = None,
        *,
        reason: str | None = None,
        **facts: object,
    ) -> None:
        if isinstance(problems, str):
            problems = Problem(problems)
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.hint = hint
        self.reason = reason
        self.facts = facts
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class NothingMatched(Exception):
    """A filter or search that left nothing to show: not an error, exit status 1.

    As with PeelError, reason and facts, where given, let a caller say it in its own terms.
    """

    def __init__(
        self,
        message: str,
        hints: Sequence[str] = (),
        *,
        reason: str | None = None,
        **facts: object,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hints = list(hints)
        self.reason = reason
        self.facts = facts
