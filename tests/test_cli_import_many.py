"""peel import of several reports at once, into a directory, and the words of its messages."""

from __future__ import annotations

import io
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import fixture_docs as docs
import pytest
from conftest import SOURCE_TEXT, peel_executable

Run = Callable[..., subprocess.CompletedProcess[str]]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MET = "metropolitan-police-service_2016.yaml"
NORTHMOOR = "northmoor-police_2023-25.yaml"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped report's text, the fictional Northmoor report's PDF, and a text that is
    no report."""
    folder = tmp_path_factory.mktemp("inputs")
    made = {
        "met.txt": SOURCE_TEXT.read_bytes(),
        "northmoor.pdf": docs.published_pdf(docs.NORTHMOOR).pdf,
        "notes.txt": b"Shopping list\nMilk\n",
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in made}


def test_several_reports_go_into_a_directory_made_for_them_one_line_each(
    peel: Run, reports: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "new" / "reports"
    done = peel("import", str(reports["met.txt"]), str(reports["northmoor.pdf"]), "-o", f"{out}/")
    assert (done.returncode, done.stdout) == (0, "")
    assert sorted(p.name for p in out.iterdir()) == [MET, NORTHMOOR]
    assert done.stderr.splitlines() == [
        f"peel: wrote {out}/{MET}: Metropolitan Police Service 2016, from {reports['met.txt']}",
        f"peel: wrote {out}/{NORTHMOOR}: Northmoor Police 2023–25, from {reports['northmoor.pdf']}",
    ]
    # Each is the dataset that importing it alone gives.
    alone = peel("import", str(reports["northmoor.pdf"]))
    assert (out / NORTHMOOR).read_text(encoding="utf-8") == alone.stdout


def test_one_that_fails_is_named_the_others_are_written_and_the_status_is_2(
    peel: Run, reports: dict[str, Path], tmp_path: Path
) -> None:
    names = [str(reports[n]) for n in ("met.txt", "notes.txt", "northmoor.pdf")]
    done = peel("import", *names, "-o", str(tmp_path))
    assert done.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [MET, NORTHMOOR]
    lines = done.stderr.splitlines()
    assert len(lines) == 3
    assert lines[1].startswith(f"peel: error: {names[1]}: is not the text of a PEEL report")
    assert "\r" not in done.stderr  # no progress bar where stderr is no terminal


def test_an_existing_directory_takes_the_dataset_of_one_report(
    peel: Run, reports: dict[str, Path], tmp_path: Path
) -> None:
    done = peel("import", str(reports["met.txt"]), "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == [MET]
    assert done.stderr == (
        f"peel: wrote {tmp_path / MET}: Metropolitan Police Service 2016, from "
        f"{reports['met.txt']}\n"
    )


def test_two_reports_of_one_force_and_cycle_do_not_replace_each_other(
    peel: Run, reports: dict[str, Path], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(reports["met.txt"].read_bytes())
    out = tmp_path / "out"
    done = peel("import", str(reports["met.txt"]), str(copy), "-o", f"{out}/")
    assert done.returncode == 2
    assert done.stderr.splitlines()[1] == (
        f"peel: error: {copy}: gives {out}/{MET} too, which {reports['met.txt']} gave in this "
        "run; import it on its own with -o FILE"
    )
    assert [p.name for p in out.iterdir()] == [MET]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ([], "peel: error: 2 reports cannot be written to stdout: each needs a file of its own"),
        (
            ["-o", "one.yaml"],
            "peel: error: 2 reports cannot be written to the one file 'one.yaml': each needs a "
            "file of its own",
        ),
        (
            ["-o", "out/", "--force", "Kent Police"],
            "peel: error: invalid value for '--force': it says something of one report; import "
            "that report on its own",
        ),
        (
            ["-o", "out/", "--source", "https://example.org/report"],
            "peel: error: invalid value for '--source': it says something of one report; "
            "import that report on its own",
        ),
        (
            ["-o", "out/", "--pillar-grade", "E=good", "--grade-source", "E=page"],
            "peel: error: invalid value for '--pillar-grade': it says something of one report; "
            "import that report on its own",
        ),
    ],
    ids=["stdout", "one file", "force", "source", "pillar grade"],
)
def test_several_reports_need_a_directory_and_no_option_of_one_report(
    peel: Run, reports: dict[str, Path], tmp_path: Path, output: list[str], message: str
) -> None:
    names = [str(reports["met.txt"]), str(reports["northmoor.pdf"])]
    done = peel("import", *names, *output, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[0] == message
    assert list(tmp_path.iterdir()) == []


def test_the_year_inspectorate_and_publication_date_given_apply_to_each_report(
    peel: Run, reports: dict[str, Path], tmp_path: Path
) -> None:
    import yaml

    names = [str(reports["met.txt"]), str(FIXTURES / "exampleshire_2016_summary.txt")]
    options = ["--year", "2015", "--inspectorate", "HMICFRS", "--published", "1 April 2017"]
    done = peel("import", *names, "-o", f"{tmp_path}/", *options)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["exampleshire-police_2015.yaml", "metropolitan-police-service_2015.yaml"]
    for name in written:
        dataset = yaml.safe_load((tmp_path / name).read_text(encoding="utf-8"))
        assert (dataset["year"], dataset["inspectorate"], dataset["published"]) == (
            2015,
            "HMICFRS",
            "2017-04-01",
        )
        assert dataset["published_source"] == "Given when imported, with --published."


def test_stdin_is_read_once(peel: Run, tmp_path: Path) -> None:
    done = peel("import", "-", "-", "-o", f"{tmp_path}/", input=SOURCE_TEXT.read_text())
    assert done.returncode == 2
    assert done.stderr == "peel: error: invalid value for 'PATH...': stdin ('-') can be read once\n"


def _stderr_on_terminal(*args: str, cwd: Path) -> tuple[str, int]:
    """Run peel with stderr on a pseudo-terminal (stdout a pipe): what stderr showed."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 300, 0, 0))
    proc = subprocess.Popen(
        [peel_executable(), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color"},
        cwd=cwd,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.stdout is not None
    proc.stdout.read()
    return shown.decode("utf-8", "replace"), proc.wait(timeout=60)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_progress_bar_on_a_terminal_and_each_report_on_a_line_of_its_own(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    names = [str(reports[n]) for n in ("met.txt", "notes.txt", "northmoor.pdf")]
    shown, status = _stderr_on_terminal("import", *names, "-o", "out/", cwd=tmp_path)
    assert status == 2
    bars = re.findall(r"importing \[[#-]{20}\] (\d)/3 (\S+)", shown)
    assert bars == [("1", names[0]), ("2", names[1]), ("3", names[2])]
    # The bar is cleared before each message and at the end: the messages read whole.
    lines = [line.split("\r\x1b[K")[-1] for line in shown.replace("\r\n", "\n").split("\n")]
    assert [line.split(":")[0] for line in lines if line] == [
        "peel",
        "peel",
        "peel",
    ]
    # Nothing of the bar is left on the screen after the last message.
    assert "importing [" not in shown.rsplit("\x1b[K", 1)[-1]
    assert shown.endswith("\n")


# --- the importer's facts, in the command line's words -------------------------------


def test_what_the_text_lacks_is_asked_for_with_the_option_that_gives_it(peel: Run) -> None:
    text = SOURCE_TEXT.read_text(encoding="utf-8").replace(
        "Metropolitan PEEL 2016", "PEEL inspection", 1
    )
    done = peel("import", "-", input=text)
    assert done.returncode == 2
    assert done.stderr.splitlines()[:2] == [
        "peel: error: <stdin>:1: the title does not name the force (as in 'Metropolitan PEEL "
        "2016'); give it with --force NAME",
        "peel: error: <stdin>:1: the title does not give the year (as in 'Metropolitan PEEL "
        "2016'); give it with --year YEAR",
    ]


def test_a_pillar_grade_the_text_leaves_open_is_asked_for_with_its_option(peel: Run) -> None:
    text = (FIXTURES / "exampleshire_2016_summary.txt").read_text(encoding="utf-8")
    done = peel("import", "-", input=text.replace("Inadequate\n", "Good\n"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "peel: warning: <stdin>:6: the summary of Effectiveness states good, inadequate; its "
        "grade is left not stated: give it with --pillar-grade E=GRADE"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--year", "3000"], "peel: error: --year: must be at most 2200"),
        (["--year", "1066"], "peel: error: --year: must be at least 1800"),
        (["--source", ""], "peel: error: --source: must not be empty"),
        (
            ["--published", "soon"],
            "peel: error: --published 'soon' is not a date; give it as 2017-03-02, '2 March "
            "2017' or, for a month, 'March 2017'",
        ),
        (
            ["--pillar-grade", "F=good", "--grade-source", "F=page"],
            "peel: error: --pillar-grade names pillar F; the text has E",
        ),
    ],
)
def test_a_bad_import_option_is_said_in_peels_words_not_pydantics(
    peel: Run, options: list[str], message: str
) -> None:
    done = peel("import", str(SOURCE_TEXT), *options)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [message]
    assert not re.search(r"Value error|Input should|validation error", done.stderr)


def test_the_importer_names_no_option_of_the_command_line() -> None:
    # Its messages carry facts; peelcli/cli/importing.py words them with the options.
    package = Path(__file__).resolve().parent.parent / "peelcli" / "importer"
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted(package.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""["'][^"']*--[a-z]""", line)
    ]
    assert found == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_cleared_when_the_run_is_interrupted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from peelcli.cli import app, importing
    from peelcli.env import Environment

    def interrupted(path: str, options: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(importing, "_import", interrupted)
    env = Environment(stdout=io.StringIO(), stderr=_Terminal())
    args = ["import", str(SOURCE_TEXT), str(SOURCE_TEXT), "-o", f"{tmp_path}/"]
    code = app(args, obj=env, standalone_mode=False)
    assert code == 130
    shown = env.stderr.getvalue()
    assert "importing [" in shown
    assert shown.endswith("\r\x1b[K")
