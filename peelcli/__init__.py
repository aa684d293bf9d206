"""peel: a command-line explorer for police inspection (PEEL) findings."""

__version__ = "0.1.0"
