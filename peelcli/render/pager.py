"""Long output on a terminal goes through a pager, as git's does.

Imported only when stdout is a terminal: piped runs never load it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import shlex
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from peelcli.env import Environment

DEFAULT = "less -FRX"


def pager_command() -> list[str] | None:
    """The pager to run: $PEEL_PAGER, else $PAGER, else less -FRX; None when set empty (or
    to cat), or when the program is not installed."""
    for name in ("PEEL_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            break
    else:
        value = DEFAULT
    try:
        argv = shlex.split(value)
    except ValueError:  # an unclosed quote: no pager rather than an error
        return None
    if not argv or argv == ["cat"] or shutil.which(argv[0]) is None:
        return None
    return argv


class _TerminalBuffer(io.StringIO):
    """Output held back to measure it, still drawn as for the terminal it is headed to."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        return True


@contextmanager
def paged(env: Environment) -> Iterator[Environment]:
    """An environment whose output, when taller than the terminal, goes through the pager."""
    command = pager_command()
    try:
        rows = os.get_terminal_size(env.stdout.fileno()).lines
    except (AttributeError, ValueError, OSError):
        command = None
    if command is None:
        yield env
        return
    encoding = getattr(env.stdout, "encoding", None) or "utf-8"
    buffer = _TerminalBuffer(encoding)
    held = dataclasses.replace(env, stdout=buffer, color=env.use_color())
    try:
        yield held
    except BaseException:
        env.stdout.write(buffer.getvalue())  # what was written before the failure
        raise
    text = buffer.getvalue()
    if text.count("\n") < rows or not _run(command, text, encoding):
        env.stdout.write(text)


def _run(command: list[str], text: str, encoding: str) -> bool:
    """Text through the pager; False when the pager could not be started."""
    environ = dict(os.environ)
    environ.setdefault("LESS", "FRX")  # as git sets them: colours kept, no screen clearing
    environ.setdefault("LV", "-c")
    # Ctrl-C in the pager is the pager's to handle, as with git; peel only waits for it.
    # A signal that ends peel (SIGTERM, SIGHUP) is passed on to the pager, and peel ends
    # only once the pager has: else the pager would be left reading the terminal, with the
    # shell reading it too.
    received: list[int] = []
    started: list[subprocess.Popen[bytes]] = []

    def pass_on(signum: int, frame: object) -> None:
        received.append(signum)
        for pager in started:
            with contextlib.suppress(OSError):
                pager.send_signal(signum)

    previous = {signal.SIGINT: signal.signal(signal.SIGINT, signal.SIG_IGN)}
    for signum in _ENDING:
        if signal.getsignal(signum) != signal.SIG_IGN:  # ignored (nohup): stays so
            previous[signum] = signal.signal(signum, pass_on)
    try:
        try:
            pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=environ)
        except OSError:
            return False
        started.append(pager)
        if received:  # before the pager began
            pager.send_signal(received[0])
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode(encoding, "backslashreplace"))
            pager.stdin.close()
        except BrokenPipeError:  # the reader quit before the end: that is fine
            pass
        pager.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:  # now that the pager has ended, as the signal would have had peel end
            signal.raise_signal(received[0])
    return True


_ENDING = tuple(
    s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None
)
