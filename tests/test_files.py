"""Reading report files: every byte of a regular file, and no more than the limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peelcli.dataset import files as loader
from peelcli.errors import PeelError


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 65536, 65537, 300_001])
def test_a_file_is_read_whole(tmp_path: Path, size: int) -> None:
    path = tmp_path / "report.yaml"
    data = os.urandom(size)
    path.write_bytes(data)
    assert loader.read_bytes(path) == data


def test_a_file_at_the_limit_is_read_and_one_past_it_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(loader.MAX_FILE_BYTES)
    assert len(loader.read_bytes(path)) == loader.MAX_FILE_BYTES
    with path.open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(PeelError, match="the limit for one report is 8,388,608 bytes"):
        loader.read_bytes(path)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(PeelError, match="is a FIFO; peel reads report files only"):
        loader.read_bytes(fifo)


def test_a_file_that_grows_while_read_stops_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fstat says small; the file then turns out far larger (it grew, or fstat lied).
    path = tmp_path / "growing.yaml"
    with path.open("wb") as handle:
        handle.truncate(loader.MAX_FILE_BYTES + 100_000)
    real_fstat = os.fstat

    class Small:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode = info.st_mode
            self.st_size = 10

    monkeypatch.setattr(loader.os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(PeelError, match="is larger than the limit of 8,388,608 bytes"):
        loader.read_bytes(path)
