"""The limits on reading an untrusted PDF or web page, and the variables that raise them.

A file that came from anywhere may be built to exhaust whoever reads it: a compressed stream
that inflates to gigabytes, a page nested a hundred thousand elements deep, a PDF of a
million pages. Each limit is far above what a real report needs (a 100-page report reads in
about a tenth of the memory and time), and each can be raised for a real report that needs
more by setting its environment variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from peelcli.errors import PeelError, Problem


@dataclass(frozen=True)
class Limits:
    """What reading one PDF or web page may take."""

    memory: int = 1024  # MiB of address space for the process that reads it
    cpu: int = 30  # seconds of CPU time for it
    pages: int = 2000  # pages of a PDF
    depth: int = 64  # elements nested in a web page, as deep as the YAML loader allows


DEFAULTS = Limits()
# Each limit's variable, and the unit its value is in.
VARIABLES: dict[str, tuple[str, str]] = {
    "memory": ("PEEL_READ_MEMORY", "MiB"),
    "cpu": ("PEEL_READ_CPU", "seconds"),
    "pages": ("PEEL_READ_PAGES", "pages"),
    "depth": ("PEEL_READ_DEPTH", "levels"),
}
_LARGEST = 1_000_000_000  # in any unit: a larger number is a mistake
ATTRIBUTES = 256  # attributes on one element of a web page; a real page has a few dozen


def limits_from(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits, each default raised (or lowered) by its variable where it is set."""
    environ = os.environ if environ is None else environ
    chosen: dict[str, int] = {}
    for limit in fields(Limits):
        variable, unit = VARIABLES[limit.name]
        value = environ.get(variable, "").strip()
        if not value:
            continue
        if not (value.isascii() and value.isdigit() and 0 < int(value) <= _LARGEST):
            shown = value if len(value) <= 20 else value[:19] + "…"
            raise PeelError(
                Problem(
                    f"{variable} must be a whole number of {unit} from 1 to {_LARGEST:,} "
                    f"(by default {getattr(DEFAULTS, limit.name):,}), not {shown!r}"
                )
            )
        chosen[limit.name] = int(value)
    return Limits(**chosen)


def over_memory(name: str, limits: Limits, own_limit: int | None = None) -> PeelError:
    """The error for a file that needs more memory than the limit; where the user's own limit
    on address space (`ulimit -v`, own_limit bytes) is the lower, that one is named."""
    if own_limit is not None and own_limit < limits.memory << 20:
        return PeelError(
            Problem(
                f"needs more memory than the {own_limit >> 20:,} MiB this shell's limit "
                "(ulimit -v) allows; raise that limit to read it, if you trust the file",
                name,
            )
        )
    return _exceeded(name, None, "needs more memory", f"{limits.memory:,} MiB", "memory")


def over_cpu(name: str, limits: Limits) -> PeelError:
    """The error for a file that takes more CPU time than the limit."""
    return _exceeded(name, None, "needs more CPU time", f"{limits.cpu:,} seconds", "cpu")


def over_pages(name: str, pages: int, limits: Limits) -> PeelError:
    """The error for a PDF of more pages than the limit."""
    return _exceeded(name, None, f"has {pages:,} pages, more", f"{limits.pages:,} pages", "pages")


def over_depth(name: str, line: int, limits: Limits) -> PeelError:
    """The error for a page nested deeper than the limit, at the line where it goes deeper."""
    return _exceeded(name, line, "nests elements more deeply", f"{limits.depth:,} levels", "depth")


def over_attributes(name: str, line: int, tag: str) -> PeelError:
    """The error for an element of more attributes than any page sets."""
    return PeelError(
        Problem(
            f"has an element (<{tag[:20]}>) with more than {ATTRIBUTES} attributes; "
            "a web page sets a few on each",
            name,
            line,
        )
    )


def _exceeded(name: str, line: int | None, what: str, limit: str, which: str) -> PeelError:
    """One line: the file, what it needs beyond which limit, and the variable that raises it."""
    variable = VARIABLES[which][0]
    return PeelError(
        Problem(
            f"{what} than the {limit} peel allows for reading one file; set {variable} "
            "higher to read it, if you trust the file",
            name,
            line,
        )
    )
