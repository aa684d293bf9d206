"""peel: a command-line explorer for police inspection (PEEL) findings, and a library.

    import peelcli
    reports = peelcli.load().reports  # the shipped report, or peelcli.load("reports/")
    scope = peelcli.scope(grades=["inadequate"])
    for row in peelcli.questions(reports, scope):
        print(row.question.id, row.question.grade.value)

Each view returns data and prints nothing; bad input raises `PeelError`, a filter that
leaves nothing `NothingMatched` (docs/library.md). The names load on first use, so that
`import peelcli` and the command line's start-up cost next to nothing.
"""

# Nothing is imported here: the `peel` command imports this package before it can catch a
# Ctrl-C (peelcli.__main__), and every import is a moment when one would be a traceback.
TYPE_CHECKING = False

__version__ = "0.1.0"

# Each public name, and the module that defines it.
_PUBLIC = {
    # loading, and the scope every view takes
    "load": "peelcli.api",
    "Loaded": "peelcli.api",
    "scope": "peelcli.api",
    "Scope": "peelcli.query",
    # the views, as data
    "grades": "peelcli.api",
    "grade_grid": "peelcli.api",
    "questions": "peelcli.api",
    "findings": "peelcli.api",
    "show": "peelcli.api",
    "search": "peelcli.api",
    "compile_search": "peelcli.api",
    "no_hits": "peelcli.api",
    "compare": "peelcli.api",
    "similar": "peelcli.api",
    "as_json": "peelcli.render.plain",
    # checking and making datasets
    "validate": "peelcli.api",
    "schema": "peelcli.api",
    "import_report": "peelcli.api",
    # the models and the values filters take
    "Report": "peelcli.models",
    "Grade": "peelcli.models",
    "Kind": "peelcli.models",
    # errors
    "PeelError": "peelcli.errors",
    "NothingMatched": "peelcli.errors",
    "Problem": "peelcli.errors",
}

__all__ = [
    "Grade",
    "Kind",
    "Loaded",
    "NothingMatched",
    "PeelError",
    "Problem",
    "Report",
    "Scope",
    "__version__",
    "as_json",
    "compare",
    "compile_search",
    "findings",
    "grade_grid",
    "grades",
    "import_report",
    "load",
    "no_hits",
    "questions",
    "schema",
    "scope",
    "search",
    "show",
    "similar",
    "validate",
]

if TYPE_CHECKING:
    from typing import Any

    from peelcli.api import (
        Loaded,
        compare,
        compile_search,
        findings,
        grade_grid,
        grades,
        import_report,
        load,
        no_hits,
        questions,
        schema,
        scope,
        search,
        show,
        similar,
        validate,
    )
    from peelcli.errors import NothingMatched, PeelError, Problem
    from peelcli.models import Grade, Kind, Report
    from peelcli.query import Scope
    from peelcli.render.plain import as_json


def __getattr__(name: str) -> "Any":
    """A public name, imported from its module on first use."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'peelcli' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found at once from now on
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
