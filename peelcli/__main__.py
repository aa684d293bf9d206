"""`python -m peelcli` and the `peel` command: the process around the command line.

Start-up that Ctrl-C cannot turn into a traceback, no cycle collector, and a prompt exit.
These concern the whole process, so they live here rather than in `peelcli.cli`, whose
`exit_code` turns every error of a run into its exit code, and which tests and other
programs may call in-process.
"""

from __future__ import annotations

import signal

# Until peel can handle it, a Ctrl-C ends the process as the signal ends any program, with
# no word: Python's own handler would print a traceback of whichever import it landed in.
# `main` puts Python's handler back once it is ready to catch what that handler raises.
_QUIET_START = signal.getsignal(signal.SIGINT) is signal.default_int_handler
if _QUIET_START:
    signal.signal(signal.SIGINT, signal.SIG_DFL)

import contextlib  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from typing import NoReturn  # noqa: E402


def main() -> None:
    """The `peel` console script: load the command line, then run it."""
    _stop_on_signals()
    try:
        if _QUIET_START:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        from peelcli.cli import main as run  # typer, click and the commands: most of start-up
    except KeyboardInterrupt:
        sys.exit(130)  # ExitCode.INTERRUPTED, without importing more to say so
    except MemoryError:
        _out_of_memory()
    except ImportError as exc:
        if not _short_of_memory(exc):
            raise
        _out_of_memory()
    # A run is short and makes next to no reference cycles, but a large corpus is millions
    # of objects that live to its end: the cycle collector's passes over them, as they pile
    # up, cost a large share of the run. Reference counting still frees everything else.
    gc.disable()
    _write_whole()
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
            if isinstance(exc, (SystemError, ImportError)) and _short_of_memory(exc):
                _out_of_memory()
            if isinstance(exc, OSError) and _stdout_fails():
                _unwritten(exc)
            _defect(exc)
        except MemoryError:  # saying so needs memory too
            _out_of_memory()
    _exit_at_once(SystemExit(0))


def _short_of_memory(exc: Exception) -> bool:
    # A module loaded late (peel imports what a command needs when it needs it) can fail
    # for want of memory: an ImportError, or from C code a SystemError, rather than
    # MemoryError. Under a limit on memory (ulimit -v), or saying so, that is what it is.
    from peelcli.errors import memory_limited, says_memory

    return says_memory(exc) or memory_limited()


def _stdout_fails() -> bool:
    # An OSError that escaped a command, such as from writing --help to a full disk: if
    # stdout cannot be flushed either, it is the output that failed, not peel.
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return False
    except OSError:
        return True
    except (AttributeError, ValueError):
        return False
    return False


def _unwritten(exc: OSError) -> NoReturn:
    from peelcli.errors import ExitCode, os_message

    _say(f"peel: error: cannot write standard output: {os_message(exc)}\n")
    _exit_now(ExitCode.ERROR)


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


def _write_whole() -> None:
    # Unbuffered (PYTHONUNBUFFERED, python -u), stdout's text layer writes straight to the
    # file and takes no notice of a short write: when a disk fills or a file size limit is
    # reached, the rest of the output is lost without a word. A buffered writer writes
    # until all is written or an error says why; output is flushed after each write.
    out = sys.stdout
    raw = getattr(out, "buffer", None)
    if isinstance(raw, io.RawIOBase) and isinstance(out, io.TextIOWrapper):
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(raw),
            encoding=out.encoding,
            errors=out.errors,
            line_buffering=out.line_buffering,
            write_through=True,
        )


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
    except BrokenPipeError:  # the reader went away: nothing to say
        pass
    except OSError as error:
        # Output not written whole (a full disk, a file size limit): a failure, said in one
        # line as cat and jq say it, unless the run has failed and said so already.
        if code in (0, 1):
            from peelcli.errors import ExitCode, os_message

            _say(f"peel: error: cannot write standard output: {os_message(error)}\n")
            code = ExitCode.ERROR
    except (AttributeError, ValueError):  # a stream closed, or never open
        return
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        return
    os._exit(code)


def _exit_now(code: int) -> NoReturn:
    # Without the final flush of stdout, which would only fail again.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def _say(message: str) -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.write(message)


if __name__ == "__main__":
    main()
