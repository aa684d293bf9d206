"""Reading a PDF or web page in a child process, under limits its parser cannot escape.

The parsers are C libraries (PDFium, Lexbor): a hostile file can make them allocate without
end, or work for hours, where no Python code runs to stop them. So the file is read in a
forked child (:mod:`peelcli.forked`) whose address space and CPU time the kernel limits
(``RLIMIT_AS``, ``RLIMIT_CPU``): past them it fails to allocate, or is killed. peel waits
for the child's answer; a signal that stops peel kills the child at once. Where children
cannot be forked (not Linux), the file is read in peel itself, under the limits on pages and
depth alone.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any

from peelcli import forked
from peelcli.errors import PeelError, Problem, says_memory
from peelcli.reading.document import Document, Kind
from peelcli.reading.limits import Limits, over_cpu, over_memory

Reader = Callable[[bytes, str, Limits], Document]
_MIB = 1 << 20


def read_isolated(kind: Kind, reader: Reader, data: bytes, name: str, limits: Limits) -> Document:
    """What ``reader`` makes of a file of a kind, read in a child process under ``limits``."""
    if not forked.can_fork():
        return reader(data, name, limits)
    child: list[int] = []  # its pid and the read end of its pipe, once forked

    def work(write_end: int) -> None:
        _limit_this_process(limits)
        answer = _answer(reader, data, name, limits)
        with os.fdopen(write_end, "wb") as out:
            out.write(answer)

    try:
        if not forked.start(work, lambda pid, output: child.extend((pid, output)), _prctl()):
            raise PeelError(Problem("cannot start a process to read it in", name))
        output, child[1] = child[1], -1  # closed by the file from here on
        with os.fdopen(output, "rb") as pipe:
            payload = pipe.read()
        _, status, usage = os.wait4(child[0], 0)
        child[0] = 0
    finally:
        with forked.stopping_signals_held():
            if len(child) == 2 and child[1] >= 0:
                os.close(child[1])
            if child and child[0]:
                forked.stop(child[0])
    return _outcome(kind, payload, status, usage, name, limits)


@functools.cache
def _prctl() -> Callable[..., int] | None:
    return forked.load_prctl()


def _limit_this_process(limits: Limits) -> None:
    """In the child: the kernel's limits on its memory and CPU time, and no core dump."""
    import resource

    for kind, value in (
        (resource.RLIMIT_AS, limits.memory * _MIB),
        # At the soft limit SIGXCPU ends the process; the hard one, a second later, is
        # SIGKILL for a process that ignores it.
        (resource.RLIMIT_CPU, limits.cpu),
        (resource.RLIMIT_CORE, 0),
    ):
        _, hard = resource.getrlimit(kind)
        ceiling = value + (1 if kind == resource.RLIMIT_CPU else 0)
        if hard != resource.RLIM_INFINITY:
            value, ceiling = min(value, hard), min(ceiling, hard)
        resource.setrlimit(kind, (value, ceiling))
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)


def _own_memory_limit() -> int | None:
    """The limit on address space this process runs under (`ulimit -v`), if any."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def _answer(reader: Reader, data: bytes, name: str, limits: Limits) -> bytes:
    """In the child: the document, or why there is none, as plain data."""
    try:
        document = reader(data, name, limits)
        return marshal.dumps(
            ("document", {f.name: _plain(getattr(document, f.name)) for f in fields(Document)})
        )
    except PeelError as exc:
        return marshal.dumps(("refused", [tuple(p) for p in exc.problems], exc.hint))
    except MemoryError:
        return marshal.dumps(("memory",))
    except (OSError, ImportError) as exc:
        # A library loaded in the child (PDFium) that finds no room to map itself.
        if says_memory(exc):
            return marshal.dumps(("memory",))
        return _defect(exc)
    except Exception as exc:  # a defect in peel's reader: said as one, not as a bad file
        return _defect(exc)


def _defect(exc: Exception) -> bytes:
    import traceback

    return marshal.dumps(("defect", type(exc).__name__, str(exc), traceback.format_exc()))


class ReaderDefect(Exception):
    """A defect in peel's reader, raised in the child that read the file: its traceback."""


def _plain(value: object) -> object:
    """A field of a document as marshal sends it: mappings as dicts, sequences as lists."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (list, tuple)):
        return value  # as marshal sends them, lists as lists and tuples as tuples
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return value


def _outcome(
    kind: Kind, payload: bytes, status: int, usage: Any, name: str, limits: Limits
) -> Document:
    """The child's answer as a document, or the error that says why there is none."""
    answer: Any = None
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        try:
            answer = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            answer = None
    if type(answer) is tuple and answer and answer[0] == "document":
        return Document(**answer[1])
    if type(answer) is tuple and answer and answer[0] == "refused":
        raise PeelError([Problem(*p) for p in answer[1]], hint=answer[2])
    if type(answer) is tuple and answer and answer[0] == "defect":
        # An internal error, as if it were raised here (PEEL_DEBUG=1 shows the child's
        # traceback as its cause).
        raise RuntimeError(f"{answer[1]}: {answer[2]}") from ReaderDefect(answer[3])
    cpu = usage.ru_utime + usage.ru_stime
    stopped = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    # SIGXCPU at the soft limit, SIGKILL at the hard one; a SIGKILL sooner is someone else's.
    if stopped == signal.SIGXCPU or cpu >= limits.cpu:
        raise over_cpu(name, limits)
    # PDFium ends the process when it cannot allocate (SIGABRT), having used what it may.
    used = usage.ru_maxrss * 1024  # kilobytes, on Linux
    if answer == ("memory",) or (stopped and used >= limits.memory * _MIB // 2):
        raise over_memory(name, limits, _own_memory_limit())
    why = "failed"
    if stopped:
        why = f"was stopped by signal {stopped}"
        with contextlib.suppress(ValueError):
            why = f"was stopped by {signal.Signals(stopped).name}"
    what = "PDF" if kind == "pdf" else "web page"
    raise PeelError(Problem(f"the {what} reader {why} on it; is the file damaged?", name))
