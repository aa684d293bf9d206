"""`python -m peelcli`: the same as the `peel` command."""

from peelcli.cli import main

main()
