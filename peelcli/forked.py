"""A forked child process that does a piece of work and never outlives peel.

Parsing many reports (:mod:`peelcli.dataset.pool`) and reading an untrusted PDF or web page
(:mod:`peelcli.reading.isolated`) both fork. A signal that stops peel (SIGINT, and SIGTERM
and SIGHUP as the entry point handles them) is raised in peel as an exception, whose
``finally`` kills and reaps the child with :func:`stop`. Signals are blocked across
``fork()``, so none can land between a child's birth and the recording of its pid; and on
Linux each child asks to be killed when peel dies, should peel be killed outright.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator

# The signals that stop peel (SIGHUP is not on every system; children are forked on Linux).
STOPPING = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def can_fork() -> bool:
    """Whether children are forked here: on Linux, where a child can be tied to peel."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def load_prctl() -> Callable[..., int] | None:
    """Linux's prctl, loaded before forking so that children need not load ctypes."""
    try:
        import ctypes

        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (ImportError, OSError, AttributeError):
        return None
    return prctl


@contextlib.contextmanager
def stopping_signals_held() -> Iterator[None]:
    """Hold the signals that stop peel until the block ends (a pending one is then raised)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def start(
    work: Callable[[int], None],
    record: Callable[[int, int], None],
    prctl: Callable[..., int] | None = None,
) -> bool:
    """Fork a child that runs ``work`` on the write end of a pipe, then exits: 0 when work
    returns, 1 when it raises. False if fork fails.

    ``record`` is given the child's pid and the pipe's read end before any signal that stops
    peel can be raised here, so that the caller's ``finally`` always knows the child to
    :func:`stop`. The child leaves with ``os._exit``, without the parent's clean-up or
    buffered output.
    """
    read_end, write_end = os.pipe()
    parent = os.getpid()
    # Held from before fork() until the pid is recorded (a signal pending from earlier
    # is raised by this call, before there is a child to lose).
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return False
        if pid == 0:
            code = 1
            try:
                if prctl is not None:
                    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
                if os.getppid() != parent:  # peel died before the line above
                    os._exit(1)
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                os.close(read_end)
                work(write_end)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        record(pid, read_end)
        return True
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def stop(pid: int) -> None:
    """Kill a child whose work is no longer wanted, and reap it."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
