"""Parsing many report files on every core, in forked helpers.

Parsing is most of a cold run. Where fork is cheap and safe (Linux, no other threads),
many misses are split into shares in file order: this process parses the first, and a
forked helper for each other core parses one more and sends back the packed entries,
which are unpacked here as cache hits are. The first file that fails is still the one
reported, and a helper that fails in any other way only means its share is parsed here.

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
from collections.abc import Callable, Sequence
from typing import Any

from peelcli import forked
from peelcli.dataset.codec import Packed, pack, unpack
from peelcli.dataset.files import Source
from peelcli.errors import PeelError, Problem
from peelcli.models import Report

PARALLEL_FROM = 64  # misses; fewer parse faster than a helper starts
MAX_PROCESSES = 8


def parse_many(
    sources: list[Source], parse: Callable[[Source], Report]
) -> tuple[list[Report], list[Packed]]:
    """Each source parsed, and its cache entry, in order.

    Parsed in this process alone, each source's bytes are let go once it is parsed (its
    place in ``sources`` keeps its name).
    """
    processes = _processes(len(sources))
    if processes < 2:
        reports: list[Report] = []
        entries: list[Packed] = []
        for i, source in enumerate(sources):
            report, entry = _parse_one(parse, source)
            sources[i] = Source(source.name, b"")
            reports.append(report)
            entries.append(entry)
        return reports, entries
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
            results += _rebuild(helper.share, helper.receive(), parse)
            helper.share = ()
    finally:
        # A second signal must not cut the clean-up short: it is held until all are reaped.
        with forked.stopping_signals_held():
            for helper in helpers:
                helper.stop()
    return [report for report, _ in results], [entry for _, entry in results]


def _parse_one(parse: Callable[[Source], Report], source: Source) -> tuple[Report, Packed]:
    report = parse(source)
    return report, pack(report)


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
            payload = marshal.dumps(_parse_share(self.share, parse))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)

        forked.start(work, self._started, prctl)

    def _started(self, pid: int, output: int) -> None:
        self.pid, self.output = pid, output

    def receive(self) -> Any:
        """What the helper sent, once it has exited; None if it did not finish."""
        if not self.pid:
            return None
        output, self.output = self.output, -1
        with os.fdopen(output, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            return marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None

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
) -> list[Packed | dict[str, Any]]:
    """Entries for a share of the sources; a PeelError, as plain data, ends it."""
    entries: list[Packed | dict[str, Any]] = []
    for source in share:
        try:
            entries.append(pack(parse(source)))
        except PeelError as exc:
            entries.append({"problems": [tuple(p) for p in exc.problems], "hint": exc.hint})
            break
    return entries


def _rebuild(
    share: Sequence[Source], entries: Any, parse: Callable[[Source], Report]
) -> list[tuple[Report, Packed]]:
    """Reports from a helper's entries: its error raised here, anything missing parsed here."""
    results: list[tuple[Report, Packed]] = []
    for i, source in enumerate(share):
        entry: Any = entries[i] if type(entries) is list and i < len(entries) else None
        if type(entry) is dict:
            raise PeelError([Problem(*p) for p in entry["problems"]], hint=entry["hint"])
        report = unpack(entry)
        results.append((report, entry) if report is not None else _parse_one(parse, source))
    return results
