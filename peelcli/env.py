"""What a run writes to and how: the streams, whether stdout is a terminal, colour choice."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Environment:
    """The run's output streams and settings; tests pass their own instead of patching globals."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    color: bool | None = (
        None  # --color / --no-color; None follows the terminal, NO_COLOR, FORCE_COLOR
    )
    width: int | None = None
    pager: bool = True  # --no-pager turns it off; it runs only for a terminal

    @property
    def stdout_isatty(self) -> bool:
        """Whether a person is reading stdout on a terminal."""
        try:
            return self.stdout.isatty()
        except (AttributeError, ValueError):
            return False

    @property
    def stdout_utf8(self) -> bool:
        """Whether stdout can carry any character (else output escapes what it cannot)."""
        encoding = (getattr(self.stdout, "encoding", None) or "").lower().replace("-", "")
        return encoding in ("utf8", "utf8sig")

    def use_color(self) -> bool:
        """Colour on stdout: the option, else NO_COLOR, else FORCE_COLOR, else a terminal."""
        if self.color is not None:
            return self.color
        if os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        return self.stdout_isatty and os.environ.get("TERM") != "dumb"
