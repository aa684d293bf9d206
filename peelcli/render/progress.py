"""A progress bar on stderr for work over several files, drawn only for a person at a terminal.

Piped or redirected, stderr gets the messages alone: no bar, no carriage returns. On a
terminal the bar stands on the last line, and each message is written above it.
"""

from __future__ import annotations

import os

from peelcli.env import Environment
from peelcli.render.sanitize import clean_line

_CLEAR = "\r\x1b[K"  # back to the line's start, and clear it
_BAR = 20  # the bar's width in characters


class Progress:
    """How far a run over ``total`` items has gone: ``step`` before each, ``clear`` before
    writing a message, and ``clear`` at the end."""

    def __init__(self, env: Environment, total: int, verb: str) -> None:
        self.env = env
        self.total = total
        self.verb = verb
        self.done = 0
        self.drawn = False
        try:
            self.shown = env.stderr.isatty()
        except (AttributeError, ValueError):
            self.shown = False

    def step(self, label: str) -> None:
        """Start the next item, named by ``label``: the bar, redrawn with it."""
        if not self.shown:
            return
        filled = _BAR * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (_BAR - filled)
        line = f"{self.verb} [{bar}] {self.done + 1}/{self.total} {clean_line(label)}"
        try:
            width = os.get_terminal_size(self.env.stderr.fileno()).columns - 1
        except (AttributeError, ValueError, OSError):
            width = 79
        self.env.stderr.write(_CLEAR + line[:width])
        self.env.stderr.flush()
        self.drawn = True
        self.done += 1

    def clear(self) -> None:
        """Take the bar away, so that what is written next starts a clean line."""
        if self.drawn:
            self.env.stderr.write(_CLEAR)
            self.env.stderr.flush()
            self.drawn = False
