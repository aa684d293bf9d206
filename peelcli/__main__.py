"""`python -m peelcli` and the `peel` command: the process around the command line.

Start-up that Ctrl-C cannot turn into a traceback, no cycle collector, and a prompt exit.
These concern the whole process, so they live here rather than in `peelcli.cli`, whose
`exit_code` turns every error of a run into its exit code, and which tests and other
programs may call in-process.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from typing import NoReturn


def main() -> None:
    """The `peel` console script: load the command line, then run it."""
    _stop_on_signals()
    try:
        from peelcli.cli import main as run  # typer, click and the commands: most of start-up
    except KeyboardInterrupt:
        sys.exit(130)  # ExitCode.INTERRUPTED, without importing more to say so
    except MemoryError:
        _out_of_memory()
    # A run is short and makes next to no reference cycles, but a large corpus is millions
    # of objects that live to its end: the cycle collector's passes over them, as they pile
    # up, cost a large share of the run. Reference counting still frees everything else.
    gc.disable()
    try:
        run()
    except SystemExit as exc:
        _exit_at_once(exc)
        raise
    except KeyboardInterrupt:  # before the command line's own handling began, or after it
        _exit_at_once(SystemExit(130))
        raise SystemExit(130) from None
    except MemoryError:
        _out_of_memory()
    except Exception as exc:  # a defect in peel, not in its input: one line, not a traceback
        if os.environ.get("PEEL_DEBUG"):
            raise
        try:
            from peelcli.errors import memory_limited

            if isinstance(exc, SystemError) and memory_limited():
                _out_of_memory()
            _defect(exc)
        except MemoryError:  # saying so needs memory too
            _out_of_memory()
    _exit_at_once(SystemExit(0))


def _defect(exc: Exception) -> NoReturn:
    from peelcli.errors import ExitCode
    from peelcli.render.sanitize import clean_line

    sys.stderr.write(
        f"peel: internal error: {clean_line(type(exc).__name__)}: {clean_line(str(exc))}\n"
        "peel: this is a bug in peel; run again with PEEL_DEBUG=1 to see where, and report it\n"
    )
    _exit_at_once(SystemExit(ExitCode.INTERNAL_ERROR))
    raise SystemExit(ExitCode.INTERNAL_ERROR) from None


def _out_of_memory() -> NoReturn:
    # A limit of the machine (ulimit -v, a container's), not a defect in peel: exit 2, and
    # import nothing to say so. Running out while loading is reported by the loader, with
    # the path.
    sys.stderr.write("peel: error: ran out of memory\n")
    _exit_at_once(SystemExit(2))  # ExitCode.ERROR
    raise SystemExit(2) from None


def _stop_on_signals() -> None:
    # SIGTERM and SIGHUP stop peel as Ctrl-C does: raised where it is, so that every
    # `finally` runs (the parse pool's kills and reaps its helpers), then exit 128 + the
    # signal's number, as a shell reports a process the signal killed: 143 and 129 (130
    # for SIGINT, through KeyboardInterrupt). A signal ignored when peel started (nohup)
    # stays ignored.
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None and signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _stop)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _exit_at_once(exc: SystemExit) -> None:
    # With the output written, leave without tearing the interpreter down (as mypy does):
    # freeing a large corpus object by object takes longer than the operating system takes
    # to free the memory in one go. peel has nothing else to do at exit; anything out
    # of the ordinary (a message for an exit code, a stream that cannot flush) is left to
    # Python's own exit.
    code = 0 if exc.code is None else exc.code
    if not isinstance(code, int):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # a stream closed, or never open
        return
    os._exit(code)


if __name__ == "__main__":
    main()
