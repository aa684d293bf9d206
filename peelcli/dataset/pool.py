"""Parsing many report files on every core, in forked helpers.

Parsing is most of a cold run. Where fork is cheap and safe (Linux, no other threads),
many misses are split into shares in file order: this process parses the first, and a
forked helper for each other core parses one more and sends back the packed entries,
which are unpacked here one at a time as cache hits are. A share's files are read where
they are parsed, so that a corpus's bytes are never all held here. The first file that
fails is still the one reported, and a helper that fails in any other way only means its
share is parsed here.

No helper outlives peel. A signal that stops peel (SIGINT, and SIGTERM and SIGHUP as the
entry point handles them) is raised here as an exception, and the ``finally`` of
:func:`parse_many` kills and reaps every helper started; :mod:`peelcli.forked` forks them
so that no signal is lost between a helper's birth and the recording of its pid, and
ties each to peel's life.
"""

from __future__ import annotations

import itertools
import marshal
import os
import sys
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any

from peelcli import forked
from peelcli.dataset.codec import Packed, digest, pack, unpack
from peelcli.dataset.files import Source, read_bytes
from peelcli.errors import PeelError, Problem
from peelcli.models import Report

PARALLEL_FROM = 64  # misses; fewer parse faster than a helper starts
MAX_PROCESSES = 8
_FRAME_HEAD = 8  # bytes that give the length of each frame a helper sends


Parsed = tuple[Report, str]  # a report, and its cache key (the hash of its file's bytes)


def parse_many(
    sources: list[Source], parse: Callable[[Source], Report]
) -> tuple[list[Report], list[str]]:
    """Each source parsed, and its cache key (the hash of its bytes), in order; each is
    packed for the cache as the cache is written.

    A source without bytes is read where it is parsed, here or in a helper, so that the
    files of a large corpus need not all be held here first. Parsed in this process
    alone, each source's bytes are let go once it is parsed (its place in ``sources``
    keeps its name).
    """
    processes = _processes(len(sources))
    if processes < 2:
        done: list[Parsed] = []
        for i, source in enumerate(sources):
            done.append(_parse_one(parse, source))
            sources[i] = Source(source.name, b"")
        return _columns(done)
    # One first, so that imports and pydantic's validator build happen once, before forking.
    results = [_parse_one(parse, sources[0])]
    rest = sources[1:]
    bounds = [len(rest) * n // processes for n in range(processes + 1)]
    shares = [rest[a:b] for a, b in itertools.pairwise(bounds)]
    helpers = [_Helper(share) for share in shares[1:]]
    prctl = forked.load_prctl()
    try:
        for helper in helpers:
            helper.start(parse, prctl)
        results += [_parse_one(parse, s) for s in shares[0]]
        for helper in helpers:
            results += _rebuild(helper, parse)
            helper.share = ()
    finally:
        # A second signal must not cut the clean-up short: it is held until all are reaped.
        with forked.stopping_signals_held():
            for helper in helpers:
                helper.stop()
    return _columns(results)


def _columns(results: list[Parsed]) -> tuple[list[Report], list[str]]:
    return [r[0] for r in results], [r[1] for r in results]


def _parse_one(parse: Callable[[Source], Report], source: Source) -> Parsed:
    if not source.data:
        source = Source(source.name, read_bytes(Path(source.name)))
    return parse(source), digest(source.data)


def helpers_wanted(misses: int) -> bool:
    """Whether so many misses would be parsed with helper processes."""
    return _processes(misses) > 1


def _processes(misses: int) -> int:
    if misses < PARALLEL_FROM or not forked.can_fork():
        return 1
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return 1  # a forked child of a threaded process can deadlock
    wanted = os.environ.get(PROCESSES_ENV, "")
    cores = int(wanted) if wanted.isdigit() and int(wanted) > 0 else idle_cores()
    return max(1, min(cores, MAX_PROCESSES, misses // (PARALLEL_FROM // 2)))


PROCESSES_ENV = "PEEL_PROCESSES"  # how many processes parse; else as many as cores are idle
LOADAVG = "/proc/loadavg"


def idle_cores() -> int:
    """The cores this process may use that nothing else is running on now, this one counted.

    A helper on a busy core only takes turns with what is there, and costs its start and
    the sending back: on a loaded machine the pool was no faster than one process. The
    kernel's count of tasks running now (the fourth field of /proc/loadavg, this process
    among them) says how many cores are taken.
    """
    cores = len(os.sched_getaffinity(0))
    try:
        with open(LOADAVG, encoding="ascii") as loadavg:
            running = int(loadavg.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return 1
    return max(1, min(cores, cores - (running - 1)))


class _Helper:
    """A forked process that parses a share of the sources and sends back their entries."""

    def __init__(self, share: Sequence[Source]) -> None:
        self.share = share
        self.pid = 0  # until started, and again once it has exited
        self.output = -1  # the read end of its pipe, while open

    def start(
        self, parse: Callable[[Source], Report], prctl: Callable[..., int] | None = None
    ) -> None:
        """Fork; if that fails, the share is parsed here instead."""

        def work(write_end: int) -> None:
            entries = _parse_share(self.share, parse)
            with os.fdopen(write_end, "wb") as out:
                for entry in entries:  # a frame each, read back one at a time
                    frame = marshal.dumps(entry)
                    out.write(len(frame).to_bytes(_FRAME_HEAD, "big"))
                    out.write(frame)

        forked.start(work, self._started, prctl)

    def _started(self, pid: int, output: int) -> None:
        self.pid, self.output = pid, output

    def receive(self) -> Generator[Any, None, None]:
        """What the helper sent, entry by entry, each read when it is wanted: so that what a
        helper sends is never held here whole. It ends where the stream does, or stops
        short; the helper is reaped once it is read to the end or the iterator is closed."""
        if not self.pid:
            return
        output, self.output = self.output, -1
        try:
            with os.fdopen(output, "rb") as pipe:
                while True:
                    head = pipe.read(_FRAME_HEAD)
                    if len(head) < _FRAME_HEAD:
                        break
                    size = int.from_bytes(head, "big")
                    frame = pipe.read(size)
                    if len(frame) < size:
                        break
                    try:
                        entry = marshal.loads(frame)
                    except (ValueError, EOFError, TypeError):
                        break
                    yield entry
        finally:
            self.stop()

    def stop(self) -> None:
        """End a helper whose work is no longer wanted (this process is raising)."""
        if self.output >= 0:
            os.close(self.output)
            self.output = -1
        if self.pid:
            forked.stop(self.pid)
            self.pid = 0


def _parse_share(
    share: Sequence[Source], parse: Callable[[Source], Report]
) -> list[tuple[Packed, str] | dict[str, Any]]:
    """Entries and keys for a share of the sources; a PeelError, as plain data, ends it."""
    entries: list[tuple[Packed, str] | dict[str, Any]] = []
    for source in share:
        try:
            report, key = _parse_one(parse, source)
            entries.append((pack(report), key))
        except PeelError as exc:
            entries.append({"problems": [tuple(p) for p in exc.problems], "hint": exc.hint})
            break
    return entries


def _rebuild(helper: _Helper, parse: Callable[[Source], Report]) -> list[Parsed]:
    """Reports from a helper's entries: its error raised here, anything missing parsed here.

    Each entry is let go once unpacked; the report is packed again as the cache is written.
    """
    results: list[Parsed] = []
    entries = helper.receive()
    try:
        for source in helper.share:
            entry: Any = next(entries, None)
            if type(entry) is dict:
                raise PeelError([Problem(*p) for p in entry["problems"]], hint=entry["hint"])
            whole = type(entry) is tuple and len(entry) == 2 and type(entry[1]) is str
            report = unpack(entry[0]) if whole else None
            if report is None:
                results.append(_parse_one(parse, source))
            else:
                results.append((report, entry[1]))
            entry = None
    finally:
        entries.close()
    return results
