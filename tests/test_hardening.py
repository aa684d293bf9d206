"""Hostile surroundings rather than hostile data: where output goes, slow patterns, signals,
memory running out, deep trees and files that are not datasets at all."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peelcli.errors import os_message

Peel = Callable[..., subprocess.CompletedProcess[str]]
Cli = Callable[..., Any]


# --- errno names, not numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("ENOENT", "no such file or directory"),
        ("EACCES", "permission denied"),
        ("ENOTDIR", "a part of the path is not a directory"),
        ("EISDIR", "is a directory"),
        ("ELOOP", "too many levels of symbolic links (a symlink loop?)"),
    ],
)
def test_os_message_reads_errno_names_not_linux_numbers(
    monkeypatch: pytest.MonkeyPatch, name: str, reason: str
) -> None:
    # Another system's number for the same error (ELOOP is 62 on macOS): the name decides.
    number = 900 + len(name)
    monkeypatch.setattr(errno, name, number)
    assert os_message(OSError(number, "strerror")) == reason


# --- deep trees ------------------------------------------------------------------------


@pytest.fixture
def deep(tmp_path: Path) -> Any:
    """A folder for a deep tree, removed level by level afterwards: pytest's own clean-up
    recurses once per level and would run out of stack on it."""
    top = tmp_path / "deep"
    top.mkdir()
    yield top
    bottom = top
    while (bottom / "d").is_dir():
        bottom = bottom / "d"
    for file in bottom.iterdir():
        file.unlink()
    fd = os.open(bottom, os.O_RDONLY)
    try:  # upwards through "..": no long paths
        while bottom != top:
            up = os.open("..", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = up
            os.rmdir("d", dir_fd=fd)
            bottom = bottom.parent
    finally:
        os.close(fd)


def _tree(top: Path, depth: int) -> Path:
    """A chain of depth folders below top with one report at the bottom; the bottom folder."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):  # relative to the last folder made: no long paths
            os.mkdir("d", dir_fd=fd)
            deeper = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
    finally:
        os.close(fd)
    return top.joinpath(*["d"] * depth)


def test_a_tree_a_thousand_folders_deep_is_refused_in_one_line(peel: Peel, deep: Path) -> None:
    from conftest import SHIPPED

    top = deep
    (_tree(top, 990) / "report.yaml").write_text(SHIPPED, encoding="utf-8")
    result = peel("grades", "--json", "--data", str(top))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"peel: error: {top}: holds folders more than 64 levels deep; "
        "peel reads reports at most 64 levels below a --data directory\n"
        "peel: Point --data at the folders that hold the reports.\n"
    )


def test_a_report_64_folders_down_is_read(peel: Peel, deep: Path) -> None:
    from conftest import SHIPPED

    top = deep
    (_tree(top, 64) / "report.yaml").write_text(SHIPPED, encoding="utf-8")
    (top / ".hidden").mkdir()
    (top / ".hidden" / "x.yaml").write_text("not: a report\n", encoding="utf-8")  # not read
    (top / "loop").symlink_to(top, target_is_directory=True)  # not followed
    result = peel("grades", "--json", "--data", str(top))
    assert (result.returncode, result.stderr) == (0, "")
