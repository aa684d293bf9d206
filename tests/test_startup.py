"""What a run imports: nothing a command does not need (its speed depends on it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

# Run the app as the console script does and report, on stderr, every module the run
# imported. (The console script's main() ends the process at once, so the probe calls
# the app itself.)
PROBE = """
import sys
from peelcli.cli import app
try:
    app(prog_name="peel")
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""

# The YAML readers, which only a file missing the cache needs.
YAML_READERS = ("yaml", "yaml_rs")
NEVER = ("pygments", "importlib.metadata", "importlib_metadata", "rich.traceback", "rich.pretty")
# What only compare and similar need.
COMPARING = ("peelcli.across_reports", "peelcli.similarity", "rapidfuzz")
# What only export needs.
EXPORTING = ("peelcli.export", "sqlite3", "xlsxwriter", "openpyxl", "datasette")
# Loaded only for a terminal (the pager) or a shell asking for completions.
ON_DEMAND = ("peelcli.render.pager", "peelcli.completion")


def imported(*args: str) -> set[str]:
    """The modules a warm run of `peel ARGS` imports (the first run fills the cache)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=60,
        )
    assert "MODULES " in done.stderr, done.stderr
    line = done.stderr.rsplit("MODULES ", 1)[1]
    return set(line.split())


def loaded(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize(
    "args",
    [
        ("grades", "--json"),
        ("search", "domestic abuse", "--json"),
        ("show", "E3", "--json"),
        ("findings", "--format", "csv"),
    ],
)
def test_output_for_programs_imports_no_rich_and_no_yaml(args: tuple[str, ...]) -> None:
    modules = imported(*args)
    assert "peelcli.dataset.store" in modules  # it did load reports
    for name in (
        "rich",
        *YAML_READERS,
        "peelcli.dataset.parse",
        *NEVER,
        *COMPARING,
        *EXPORTING,
        *ON_DEMAND,
    ):
        assert not loaded(modules, name), f"{' '.join(args)} imported {name}"


@pytest.mark.parametrize("args", [("grades",), ("show", "E3"), ("search", "domestic abuse")])
def test_output_for_people_imports_no_pretty_traceback_or_highlighter(
    args: tuple[str, ...],
) -> None:
    modules = imported(*args)
    assert loaded(modules, "rich.table")
    for name in (*YAML_READERS, *NEVER, *COMPARING, *EXPORTING, *ON_DEMAND):
        assert not loaded(modules, name), f"{' '.join(args)} imported {name}"


def test_version_imports_neither_the_models_nor_rich() -> None:
    modules = imported("--version")
    for name in (
        "peelcli.models",
        "peelcli.dataset.store",
        "rich",
        *YAML_READERS,
        *NEVER,
        *COMPARING,
        *ON_DEMAND,
    ):
        assert not loaded(modules, name), f"--version imported {name}"


def test_help_imports_no_rich() -> None:
    modules = imported("grades", "-h")
    for name in ("rich", "peelcli.models", *NEVER, *ON_DEMAND):
        assert not loaded(modules, name), f"-h imported {name}"


def test_the_probe_sees_completion_load_its_module(monkeypatch: pytest.MonkeyPatch) -> None:
    # The control for the tests above: a shell asking for IDs does import the module.
    monkeypatch.setenv("_PEEL_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "peel show E3.")
    monkeypatch.setenv("COMP_CWORD", "2")
    assert loaded(imported(), "peelcli.completion")


def test_the_probe_sees_what_a_run_prints() -> None:
    # The probe runs the real command: its stdout is the command's output.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "grades", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["questions"][0]["id"] == "E1"


@pytest.mark.parametrize("args", [("compare", "--force", "met", "--json"), ("similar", "E3.R4")])
def test_compare_and_similar_import_the_engine_and_no_yaml(args: tuple[str, ...]) -> None:
    modules = imported(*args)
    assert all(loaded(modules, name) for name in COMPARING)
    for name in (*YAML_READERS, *NEVER):
        assert not loaded(modules, name), f"{' '.join(args)} imported {name}"


def test_export_imports_its_writer_and_nothing_of_the_other(
    tmp_path: pytest.TempPathFactory,
) -> None:
    modules = imported("export", "--sqlite", str(tmp_path / "peel.db"))
    assert loaded(modules, "sqlite3") and loaded(modules, "peelcli.export.database")
    for name in ("xlsxwriter", "openpyxl", "datasette", *YAML_READERS, *NEVER, *COMPARING):
        assert not loaded(modules, name), f"export --sqlite imported {name}"


def test_import_peelcli_loads_nothing_of_the_library_until_it_is_used() -> None:
    # The public API is there (in dir) but loads on first use: importing the package costs
    # the command line nothing, and a notebook pays for what it calls.
    program = (
        "import sys, peelcli\n"
        "assert 'load' in dir(peelcli) and 'load' in peelcli.__all__\n"
        "before = set(sys.modules)\n"
        "peelcli.load\n"
        "print(' '.join(sorted(before)), '|', ' '.join(sorted(set(sys.modules))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    before, after = (set(part.split()) for part in done.stdout.split("|"))
    library = ("pydantic", "rich", "typer", "peelcli.api", "peelcli.models")
    for name in (*library, *YAML_READERS, *NEVER):
        assert not loaded(before, name), f"import peelcli imported {name}"
    assert loaded(after, "peelcli.api")  # the control: using a name loads its module


def test_import_peelcli_imports_no_other_module() -> None:
    # The `peel` command imports the package before it can catch a Ctrl-C: every module
    # imported there is a moment when one would print a traceback (peelcli.__main__).
    program = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import peelcli\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["peelcli"]
