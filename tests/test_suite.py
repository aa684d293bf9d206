"""The suite runs however it is asked to: on every core by default, on N with -n N, or in one
process without xdist at all (-p no:xdist), as the README's Set-up says."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

ONE_TEST = "tests/test_lint_config.py::test_the_banned_list_is_read"


@pytest.mark.parametrize(
    ("options", "workers"),
    [((), True), (("-n", "2"), True), (("-p", "no:xdist"), False), (("-n", "0"), False)],
    ids=["default", "-n 2", "-p no:xdist", "-n 0"],
)
def test_the_suite_runs_with_each_xdist_setting(options: tuple[str, ...], workers: bool) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *options, ONE_TEST],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hang, not a measure of speed
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert ("created:" in done.stdout) is workers, done.stdout
