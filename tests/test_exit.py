"""The `peel` process ends at once after its output: every byte of it, and the right status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import make_corpus, peel_executable

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


# --- output that is not written whole ------------------------------------------------

LINUX = sys.platform.startswith("linux")
# Each writes its output a different way: a data format, a rich table, a dataset through
# the text writer, plain lines, click's --help and --version.
WRITERS = [
    ["findings", "--json"],
    ["findings", "--format", "csv"],
    ["findings"],
    ["import", "data/source/metropolitan_2016.txt"],
    ["validate", "data"],
    ["grades", "--help"],
    ["--version"],
]
ROOT = Path(__file__).resolve().parent.parent
UNBUFFERED = [{"PYTHONUNBUFFERED": ""}, {"PYTHONUNBUFFERED": "1"}]


@pytest.mark.skipif(not LINUX, reason="/dev/full is Linux's")
@pytest.mark.parametrize("buffering", UNBUFFERED, ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_a_full_disk_is_one_line_and_status_2(args: list[str], buffering: dict[str, str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [peel_executable(), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, **buffering},
            timeout=60,
        )
    assert done.stderr == "peel: error: cannot write standard output: No space left on device\n"
    assert done.returncode == 2


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the signal ends the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(not LINUX, reason="a file size limit in a child, as Linux sets one")
@pytest.mark.parametrize("buffering", UNBUFFERED, ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("args", WRITERS[:4], ids=" ".join)
def test_a_short_write_is_not_success(
    args: list[str], buffering: dict[str, str], tmp_path: Path
) -> None:
    # A file that can grow to 4 KiB: each output here is larger, so a write stops short,
    # as on a small tmpfs that fills.
    out = tmp_path / "out"
    whole = subprocess.run(
        [peel_executable(), *args], capture_output=True, cwd=ROOT, timeout=60, check=True
    )
    assert len(whole.stdout) > 4096
    with out.open("wb") as handle:
        done = subprocess.run(
            [peel_executable(), *args],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, **buffering},
            preexec_fn=_file_size_limit(4096),
            timeout=60,
        )
    assert done.stderr == "peel: error: cannot write standard output: File too large\n"
    assert done.returncode == 2
    assert out.stat().st_size == 4096


def test_a_closed_stdin_is_one_line_and_status_2() -> None:
    done = subprocess.run(
        ["sh", "-c", f'"{peel_executable()}" import - <&-'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "peel: error: standard input is closed; nothing to read\n"


# A module loaded when a command needs it fails to load for want of memory (here under
# ulimit -v, for unicodedata): an ImportError, not a MemoryError.
NO_MEMORY_TO_LOAD = (
    "import sys, peelcli.cli as c\n"
    "def fail(*args, **kwargs):\n"
    "    raise ImportError('unicodedata.so: failed to map segment from shared object')\n"
    "{where} = fail\n"
    "sys.argv = ['peel', 'grades']\n"
    "from peelcli.__main__ import main\n"
    "main()\n"
)


NO_MEMORY_TO_START = (
    "import sys, importlib.abc\n"
    "class Fail(importlib.abc.MetaPathFinder):\n"
    "    def find_spec(self, name, *args):\n"
    "        if name == 'peelcli.cli':\n"
    "            raise ImportError('typer.so: failed to map segment from shared object')\n"
    "sys.meta_path.insert(0, Fail())\n"
    "sys.argv = ['peel', 'grades']\n"
    "from peelcli.__main__ import main\n"
    "main()\n"
)


@pytest.mark.parametrize(
    "program",
    [
        NO_MEMORY_TO_START,
        NO_MEMORY_TO_LOAD.format(where="c.main"),
        NO_MEMORY_TO_LOAD.format(where="c.base.app"),
    ],
    ids=["starting", "running", "in a command"],
)
def test_running_out_of_memory_to_load_a_module_is_status_2(program: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (2, "peel: error: ran out of memory\n")


def test_an_import_error_with_memory_to_spare_is_still_a_defect() -> None:
    program = NO_MEMORY_TO_LOAD.format(where="c.base.app").replace(
        "failed to map segment from shared object", "no module named nothing"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 70
    assert done.stderr.startswith("peel: internal error: ImportError: unicodedata.so: no module")
