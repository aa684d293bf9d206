"""`python -m peelcli` and the `peel` command: start-up that Ctrl-C cannot turn into a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    """The `peel` console script: load the command line, then run it."""
    try:
        from peelcli.cli import main as run  # typer, click and the commands: most of start-up
    except KeyboardInterrupt:
        sys.exit(130)  # ExitCode.INTERRUPTED, without importing more to say so
    run()


if __name__ == "__main__":
    main()
