"""Where imported datasets go: stdout, a file, or a directory of files named for their reports."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from peelcli.errors import PeelError, Problem, os_message

if TYPE_CHECKING:
    from peelcli.models import Report


class Destination(NamedTuple):
    """Where import writes: each dataset into a directory, named for its force and cycle;
    the one dataset to a file; or, with neither, to stdout."""

    directory: str | None = None
    file: str | None = None


def import_destination(output: str | None, inputs: int) -> Destination:
    """Where datasets of ``inputs`` reports go, given ``output``: a directory that exists or
    a name ending in '/' is a directory, '-' or none is stdout, anything else a file. Several
    reports need a directory."""
    if output not in (None, "-") and (os.path.isdir(output) or output.endswith(("/", os.sep))):
        return Destination(directory=output)
    if inputs > 1:
        where = "stdout" if output in (None, "-") else f"the one file {output!r}"
        raise PeelError(
            f"{inputs} reports cannot be written to {where}: each needs a file of its own",
            reason="several_reports",
        )
    return Destination(file=None if output == "-" else output)


def dataset_name(report: Report) -> str:
    """A report's dataset file name: its force and cycle, as 'northmoor-police_2023-25.yaml'
    (its year where it names no cycle)."""
    period = re.sub(r"[^0-9]+", "-", report.cycle) if report.cycle else str(report.year)
    return f"{report.force_slug}_{period}.yaml"


def write_dataset(path: str, text: str, protect: Sequence[str] = ()) -> None:
    """A dataset's text to a file, whole or not at all, making its missing directories first
    (as `curl --create-dirs` does); never over a file in ``protect``, such as its input."""
    from peelcli.dataset.files import write_file

    parent = os.path.dirname(path)
    if parent:
        try:
            os.makedirs(parent, exist_ok=True)
        except FileExistsError:  # a file, or a symlink to nothing, where a directory goes
            raise PeelError(Problem("is not a directory to write in", parent)) from None
        except OSError as exc:
            raise PeelError(
                Problem(f"cannot make the directory: {os_message(exc)}", parent)
            ) from None
    write_file(path, text, protect=list(protect))
