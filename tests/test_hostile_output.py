"""Output conditions: a reader that goes away, a stdout that cannot carry UTF-8, a terminal 20
columns wide, Ctrl-C, a closed stream. Each ends cleanly, with a sensible exit status and no
traceback."""

from __future__ import annotations

import array
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import peel_executable, run_on_terminal
from hostile_support import PAYLOAD, SGR, raw_controls, report_data, write_report

from peelcli import cli as peel_cli
from peelcli.errors import ExitCode

Cli = Callable[..., Any]
Peel = Callable[..., subprocess.CompletedProcess[str]]
LINUX = sys.platform.startswith("linux")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose every listing runs to well over a pipe's 64 KiB."""
    data = report_data("Text")
    pillar = data["pillars"][0]
    words = "The force should improve the way it does this particular thing. "
    questions = []
    for q in range(1, 31):
        findings = 250 if q == 1 else 5
        questions.append(
            {
                "id": f"E{q}",
                "title": f"Question {q} é😀 " + words * 40,
                "grade": "good",
                "summary": [words * 20],
                "areas_for_improvement": [
                    {"id": f"E{q}.A{n}", "text": f"{n} " + words * 5}
                    for n in range(1, findings + 1)
                ],
            }
        )
    pillar["questions"] = questions
    return write_report(tmp_path_factory.mktemp("big") / "big.yaml", data)


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [peel_executable(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "80", **(env or {})},
    )


# --- the reader goes away: `peel … | head -1` ------------------------------------------

LISTINGS = [
    ["findings"],
    ["findings", "--color"],
    ["findings", "--json"],
    ["findings", "--format", "csv"],
    ["findings", "--format", "markdown"],
    ["grades"],
    ["grades", "--json"],
    ["questions"],
    ["show", "E1"],
    ["search", "force"],
    ["search", "force", "--json"],
]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_reader_that_goes_away_ends_peel_quietly(big: Path, args: list[str]) -> None:
    proc = start(*args, "--data", str(big))
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does
    stderr = proc.stderr.read().decode("utf-8", "replace")
    status = proc.wait(timeout=60)
    assert first
    assert stderr == ""  # no traceback, no "Exception ignored … BrokenPipeError"
    assert status == ExitCode.OK


def test_head_in_a_real_shell_pipeline(big: Path) -> None:
    script = f'"{peel_executable()}" findings --data "{big}" | head -1; echo "${{PIPESTATUS[0]}}"'
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    first, status = result.stdout.splitlines()
    assert first.startswith("ID")
    assert status == "0"
    assert result.stderr == ""


# --- a stdout that cannot carry UTF-8 -------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_report(tmp_path / "hostile.yaml", report_data(PAYLOAD, "Café “quoted” 😀 ●"))


@pytest.mark.parametrize(
    "args",
    [
        ["grades", "--color"],
        ["questions"],
        ["show", "E1", "--color"],
        ["findings"],
        ["findings", "--format", "csv"],
        ["findings", "--format", "markdown"],
        ["search", "quoted"],
        ["validate"],
    ],
    ids=" ".join,
)
def test_ascii_stdout_gets_ascii(peel: Peel, hostile: Path, args: list[str]) -> None:
    where = [str(hostile)] if args == ["validate"] else ["--data", str(hostile)]
    result = peel(*args, *where, env={"PYTHONIOENCODING": "ascii", "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.isascii()
    assert raw_controls(result.stdout, colour=True) == []
    if args[0] not in ("validate",):
        assert "Caf\\xe9" in SGR.sub("", result.stdout)  # shown escaped, not dropped


@pytest.mark.parametrize(
    "args", [["findings", "--json"], ["grades", "--json"], ["show", "E1", "--json"]], ids=" ".join
)
def test_ascii_stdout_gets_the_same_json(peel: Peel, hostile: Path, args: list[str]) -> None:
    ascii_run = peel(*args, "--data", str(hostile), env={"PYTHONIOENCODING": "ascii"})
    utf8_run = peel(*args, "--data", str(hostile), env={"PYTHONIOENCODING": "utf-8"})
    assert ascii_run.returncode == utf8_run.returncode == 0
    assert ascii_run.stdout.isascii()
    assert json.loads(ascii_run.stdout) == json.loads(utf8_run.stdout)


def test_ascii_stderr_gets_ascii(peel: Peel) -> None:
    result = peel("show", "É9😀", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 2
    assert result.stderr.isascii()
    assert result.stderr.startswith("peel: error: no question or finding has the ID '\\xc99")
    assert "Traceback" not in result.stderr


# --- a narrow terminal ----------------------------------------------------------------

NARROW = [
    ["grades"],
    ["questions"],
    ["show", "E1"],
    ["show", "E1.R1"],
    ["findings"],
    ["search", "pwned", "--all-text"],
]


@pytest.mark.parametrize("columns", ["20", "1", "0"])
@pytest.mark.parametrize("args", NARROW, ids=" ".join)
def test_narrow_terminal(cli: Cli, hostile: Path, args: list[str], columns: str) -> None:
    result = cli(*args, "--data", str(hostile), "--color", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip()
    assert raw_controls(result.stdout, colour=True) == []


@pytest.mark.skipif(not LINUX, reason="needs a Linux pty")
@pytest.mark.parametrize("args", NARROW, ids=" ".join)
def test_pty_20_columns_wide(hostile: Path, args: list[str]) -> None:
    shown = run_on_terminal(*args, "--data", str(hostile), columns=20, env={"PEEL_PAGER": ""})
    assert shown.status == 0
    assert shown.stderr == ""
    assert "\x1b[" in shown.screen  # a terminal: colour on
    assert raw_controls(shown.screen, colour=True) == []


# --- Ctrl-C -----------------------------------------------------------------------------


def _pipe_fill(fd: int) -> int:
    import fcntl
    import termios

    buf = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, buf)
    return buf[0]


def _pipe_size(fd: int) -> int:
    """The pipe's capacity, first made 64 KiB where the system's default is larger."""
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 65536)
    return fcntl.fcntl(fd, getattr(fcntl, "F_GETPIPE_SZ", 1032))


@pytest.mark.skipif(not LINUX, reason="measures the pipe with a Linux ioctl")
@pytest.mark.parametrize("args", [["findings", "--json"], ["findings"]], ids=" ".join)
def test_ctrl_c_while_writing_exits_130(big: Path, args: list[str]) -> None:
    proc = start(*args, "--data", str(big))
    assert proc.stdout is not None and proc.stderr is not None
    full = _pipe_size(proc.stdout.fileno())
    # Nobody reads, so peel fills the pipe and blocks in write: interrupt it there.
    deadline = time.monotonic() + 30
    while _pipe_fill(proc.stdout.fileno()) < full and time.monotonic() < deadline:
        assert proc.poll() is None, "peel finished before the pipe filled"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    proc.stdout.read()
    stderr = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=30) == ExitCode.INTERRUPTED
    assert "Traceback" not in stderr
    assert "Aborted" not in stderr


def test_keyboard_interrupt_in_a_command_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("peelcli.dataset.loader.load_reports", interrupted)
    monkeypatch.setattr(sys, "argv", ["peel", "findings"])
    with pytest.raises(SystemExit) as info:
        peel_cli.main()
    assert info.value.code == ExitCode.INTERRUPTED
    assert "Traceback" not in capsys.readouterr().err


def test_keyboard_interrupt_outside_a_command_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.core import TyperGroup

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    # Before any command runs: while the group reads the arguments.
    monkeypatch.setattr(TyperGroup, "main", interrupted)
    monkeypatch.setattr(sys, "argv", ["peel", "findings"])
    with pytest.raises(SystemExit) as info:
        peel_cli.main()
    assert info.value.code == ExitCode.INTERRUPTED


# --- a stream closed before peel starts -------------------------------------------------


@pytest.mark.parametrize("args", [["grades"], ["findings", "--json"]], ids=" ".join)
def test_stdout_closed_from_the_start(args: list[str]) -> None:
    command = " ".join(f'"{a}"' for a in [peel_executable(), *args])
    result = subprocess.run(
        ["sh", "-c", f"{command} >&-"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == ExitCode.ERROR
    assert result.stderr == "peel: error: standard output is closed; nowhere to write results\n"


def test_stderr_closed_from_the_start(tmp_path: Path) -> None:
    command = f'"{peel_executable()}" grades --data "{tmp_path / "missing.yaml"}"'
    result = subprocess.run(["sh", "-c", f"{command} 2>&-"], capture_output=True, timeout=60)
    assert result.returncode == ExitCode.ERROR
    assert result.stdout == b""


def test_keyboard_interrupt_while_the_cli_loads_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.abc

    from peelcli import __main__ as entry

    class Interrupted(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, *args: Any) -> None:
            if name == "peelcli.cli":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "peelcli.cli")
    monkeypatch.setattr(sys, "meta_path", [Interrupted(), *sys.meta_path])
    with pytest.raises(SystemExit) as info:
        entry.main()
    assert info.value.code == ExitCode.INTERRUPTED
