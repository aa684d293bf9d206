"""The built wheel carries the dataset: installed into a fresh venv, `peel` works from anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import DATASET, ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_and_runs_from_any_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("peelcli-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("peelcli/data/metropolitan_2016.yaml") == DATASET.read_bytes()

    # A fresh venv with only peel installed in it; its dependencies are those of the running
    # interpreter, made visible with a .pth file so that the test needs no network.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "outer-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )

    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PEEL_DATA", "PYTHONPATH")}
    result = subprocess.run(
        [str(bin_dir / "peel"), "grades", "--json"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    grades = [q["grade"] for q in json.loads(result.stdout)["questions"]]
    assert grades == [
        "good",
        "requires improvement",
        "inadequate",
        "requires improvement",
        "ungraded",
    ]
    located = subprocess.run(
        [str(python), "-c", "import peelcli.dataset.files as f; print(f.embedded_dataset())"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(located).is_relative_to(Path(site))
