"""The `peel` process ends at once after its output: every byte of it, and the right status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import make_corpus

Run = Callable[..., subprocess.CompletedProcess[str]]
BUFFERED = {"PYTHONUNBUFFERED": ""}  # as most users run it: stdout buffered until flushed


def test_all_output_arrives_with_status_0(peel: Run, tmp_path: Path) -> None:
    one = len(json.loads(peel("findings", "--json").stdout))
    make_corpus(tmp_path / "reports", 20)
    for _ in range(2):  # cold, then warm
        done = peel("findings", "--json", "--data", str(tmp_path / "reports"), env=BUFFERED)
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)) == 20 * one
        assert done.stderr == ""


def test_small_output_arrives_too(peel: Run) -> None:
    # Small enough to sit in stdout's buffer until it is flushed.
    done = peel("grades", "--json", env=BUFFERED)
    assert done.returncode == 0
    assert json.loads(done.stdout)["questions"][-1]["id"] == "E5"
    done = peel("grades", env=BUFFERED)
    assert done.stdout.rstrip().endswith("Rec recommendations")


def test_no_match_is_status_1(peel: Run) -> None:
    done = peel("search", "zebra crossing")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith('peel: no findings match "zebra crossing"\n')


def test_an_error_is_status_2_with_its_message(peel: Run) -> None:
    done = peel("show", "E99")
    assert done.returncode == 2
    assert done.stderr.startswith("peel: error: no question or finding has the ID 'E99'\n")


def test_a_usage_error_is_status_2(peel: Run) -> None:
    done = peel("grades", "--bogus")
    assert done.returncode == 2
    assert done.stderr == "peel: error: no such option: --bogus\n"


def test_python_m_peelcli_is_peel() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "peelcli", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, "peel 0.1.0\n")


def test_a_defect_is_one_line_and_exit_70(tmp_path: Path) -> None:
    """A bug in peel (here: a query that raises) reaches the user as a line, not a traceback."""
    program = (
        "import sys, peelcli.query as q\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('boom \\x1b[31m')\n"
        "q.question_rows = broken\n"
        "sys.argv = ['peel', 'grades', '--json']\n"
        "from peelcli.__main__ import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert result.returncode == 70
    assert result.stderr.splitlines() == [
        "peel: internal error: RuntimeError: boom \\x1b[31m",
        "peel: this is a bug in peel; run again with PEEL_DEBUG=1 to see where, and report it",
    ]
    debug = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PEEL_DEBUG": "1"},
    )
    assert "Traceback" in debug.stderr and "RuntimeError: boom" in debug.stderr
