"""docs/tracking.md's walk-through is real: the commands it shows, run in order on the days it
names, make the example tracker it reads (docs/tracking/met-2016-tracker.yaml) byte for byte;
and its examples of output, which tests/test_readme.py runs and compares, go from the tracker's
list to the committee's paper.

To make the tracker again after a deliberate change:
    PEEL_UPDATE_README=1 python -m pytest -n 0 tests/test_docs_tracking.py
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, peel_executable

pytestmark = pytest.mark.slow

DOC = ROOT / "docs" / "tracking.md"
EXAMPLE = ROOT / "docs" / "tracking" / "met-2016-tracker.yaml"

# Each command of the walk-through, on the day (UTC, 09:00) the story has it made.
STEPS = [
    ("2017-03-20", "peel track init"),
    (
        "2017-03-21",
        'peel search "domestic abuse" --kind rec --format jsonl | peel track set - '
        '--owner "DCI Khan" --due 2017-09-30 -m "allocated at the vulnerability board"',
    ),
    ("2017-03-21", 'peel track set E3.R4 --owner "DCI Khan" --due 2017-09-30 -m "allocated"'),
    (
        "2017-03-22",
        'peel track set E3.R2 E3.R3 --owner "Supt Okafor" --due 6m '
        '-m "mental health and vulnerability training"',
    ),
    (
        "2017-05-10",
        "peel track response --published 2017-05-10 "
        "--url https://www.example.org/mopac/peel-2016-response "
        '-m "the Mayor\'s office published its response"',
    ),
    (
        "2017-06-30",
        'peel track set E3.R4 --status "in progress" --evidence "DASH audit, June 2017" '
        '-m "audit under way"',
    ),
    (
        "2017-08-01",
        "peel track set E3.R7 --status closed --register-status complete "
        '--evidence https://www.example.org/clares-law-uptake -m "uptake doubled"',
    ),
    (
        "2017-09-01",
        'peel track set E3.R1 --due 2017-12-31 --reason "the profile waits for the new crime '
        'system" -m "revised"',
    ),
]


def _epoch(day: str) -> str:
    moment = datetime.datetime.fromisoformat(day).replace(hour=9)
    return str(calendar.timegm(moment.timetuple()))


def test_the_walk_through_shows_each_command() -> None:
    text = DOC.read_text(encoding="utf-8")
    for _, command in STEPS:
        assert f"\n{command}\n" in text, command


def test_the_walk_through_makes_the_example_tracker(tmp_path: Path) -> None:
    git_config = tmp_path / "gitconfig"
    git_config.write_text("[user]\n\tname = A Analyst\n", encoding="utf-8")
    bin_dir = str(Path(peel_executable()).parent)
    work = tmp_path / "work"
    work.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PEEL_TRACKER", "PEEL_DATA")},
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "GIT_CONFIG_GLOBAL": str(git_config),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for day, command in STEPS:
        done = subprocess.run(
            command,
            shell=True,
            cwd=work,
            env={**env, "SOURCE_DATE_EPOCH": _epoch(day)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, (command, done.stderr)
    made = (work / "peel-tracker.yaml").read_text(encoding="utf-8")
    if os.environ.get("PEEL_UPDATE_README"):
        EXAMPLE.write_text(made, encoding="utf-8")
    assert made == EXAMPLE.read_text(encoding="utf-8")


def test_the_examples_of_output_go_from_the_list_to_the_committees_paper() -> None:
    from test_readme import DOCUMENTS

    assert DOC in DOCUMENTS  # so each block's output is run and compared there
    text = DOC.read_text(encoding="utf-8")
    shown = re.findall(r"```console\n\$ ([^\n]*)\n", text)
    order = ["track list", "search", "track log", "track responses", "track import", "track report"]
    places = [next(n for n, c in enumerate(shown) if c.startswith(f"peel {o} ")) for o in order]
    assert places == sorted(places), shown
    assert all("--tracker docs/tracking/met-2016-tracker.yaml" in c for c in shown)
    assert "--format markdown" in shown[-1]  # the paper, to paste
