"""Shared fixtures: run peel in-process (typer's CliRunner) or as the installed `peel` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Run on every core unless told otherwise (-n N), and without xdist when it is blocked.

    Set here rather than as `-n auto` in addopts, which `-p no:xdist` would refuse as an
    unknown option. A worker (workerinput) starts no workers of its own.
    """
    if (
        config.pluginmanager.hasplugin("xdist")
        and not hasattr(config, "workerinput")
        and config.getoption("numprocesses", None) is None
        and not config.getoption("usepdb", False)
    ):
        config.option.numprocesses = "auto"


def _hypothesis_on_any_machine() -> None:
    """No example fails for the time it took: hypothesis's deadline and slow-data check are
    wall-clock limits, which a busy machine breaks."""
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "any-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.load_profile("any-machine")


_hypothesis_on_any_machine()
DATASET = ROOT / "data" / "metropolitan_2016.yaml"
SOURCE_TEXT = ROOT / "data" / "source" / "metropolitan_2016.txt"
SHIPPED = DATASET.read_text(encoding="utf-8")
FORCES = ["Kent Police", "Dorset Police", "Essex Police", "Surrey Police", "Gwent Police"]


def report_as(force: str = "Metropolitan Police Service", year: int = 2016, text: str = "") -> str:
    """The shipped report's YAML (or text in its layout) as another force's and year's."""
    return (
        (text or SHIPPED)
        .replace("force: Metropolitan Police Service", f"force: {force}")
        .replace("year: 2016", f"year: {year}", 1)
    )


# A fictional PEEL assessment (2023–25) of a fictional force, in the dataset's format.
AREA_REPORT = """\
force: Exampleshire Police
year: 2023
cycle: 2023–25
inspectorate: HMICFRS
programme: PEEL
title: PEEL 2023–25 An inspection of Exampleshire Police (fictional)
areas:
- id: A1
  title: Investigating crime
  grade: requires improvement
  judgement: Exampleshire Police requires improvement at investigating crime.
  areas_for_improvement:
  - id: A1.A1
    text: The force should improve the quality and supervision of DASH risk assessments.
  causes_of_concern:
  - id: A1.C1
    text: The force does not make sure that investigations are effective.
    recommendations_lead_in: 'Within three months, the force should:'
    recommendations:
    - id: A1.R1
      text: make sure that investigation plans are set and supervised.
- id: A2
  title: Protecting vulnerable people
  grade: adequate
  judgement: Exampleshire Police is adequate at protecting vulnerable people.
  promising_practice:
  - id: A2.P1
    title: A safe place to talk
    text: The force opened a room where children can talk to specialist officers.
- id: A3
  title: Recording data about crime
  grade: not stated
"""


def make_corpus(directory: Path, count: int = 3) -> list[Path]:
    """count copies of the shipped report, each another force or year, in directory."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = directory / f"{n:03d}.yaml"
        path.write_text(report_as(FORCES[n % len(FORCES)], 2014 + n // len(FORCES)), "utf-8")
        paths.append(path)
    return paths


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own cache directory and no colour or data settings from outside."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    for name in ("PEEL_DATA", "NO_COLOR", "FORCE_COLOR", "PEEL_CACHE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name in ("PEEL_PAGER", "PAGER", "LESS"):
        monkeypatch.delenv(name, raising=False)


def peel_executable() -> str:
    """The installed `peel` console script next to this interpreter."""
    candidate = Path(sys.executable).parent / "peel"
    found = str(candidate) if candidate.exists() else shutil.which("peel")
    if not found:
        pytest.fail("the `peel` console script is not installed; run: pip install -e '.[test]'")
    return found


@pytest.fixture
def peel() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed `peel` in a subprocess: real pipes, exit codes, no terminal."""

    def run(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, input: str = ""
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [peel_executable(), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=full_env,
            cwd=cwd,
            input=input,
            timeout=60,
        )

    return run


class Terminal(NamedTuple):
    """What a run on a pseudo-terminal wrote: the screen's text, stderr, exit status."""

    screen: str
    stderr: str
    status: int


def run_on_terminal(
    *args: str,
    columns: int = 80,
    lines: int = 24,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Terminal:
    """Run the installed `peel` with stdout on a pseudo-terminal of a given size."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(
        [peel_executable(), *args],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**base, "TERM": "xterm-256color", **(env or {})},
        cwd=cwd,
    )
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode("utf-8", "replace")
    status = proc.wait(timeout=60)
    return Terminal(output.decode("utf-8", "replace").replace("\r\n", "\n"), stderr, status)


@pytest.fixture
def cli() -> Iterator[Callable[..., object]]:
    """Run peel in-process with typer's CliRunner; returns the Result."""
    from peelcli.cli import app

    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> object:
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    yield invoke
