"""The `peel` command line: the app (`base`) and one module per family of commands."""

from peelcli.cli.base import app, exit_code, main

# Each family of commands adds itself to the app as it is imported, in the order -h lists them.
from peelcli.cli import browse, comparing, checking, exporting, importing, track  # isort: skip

__all__ = [
    "app",
    "browse",
    "checking",
    "comparing",
    "exit_code",
    "exporting",
    "importing",
    "main",
    "track",
]
