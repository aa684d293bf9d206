"""The README's examples are real: every ```console block is run and its output compared.

To refresh the blocks after a deliberate change of output:
    PEEL_UPDATE_README=1 python -m pytest tests/test_readme.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, peel_executable

pytestmark = pytest.mark.slow

README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (?P<command>[^\n]*)\n(?P<output>.*?)```", re.DOTALL)


def _run(command: str, cache: Path) -> str:
    bin_dir = str(Path(peel_executable()).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "COLUMNS": "100",
        "XDG_CACHE_HOME": str(cache),
    }
    for name in ("NO_COLOR", "FORCE_COLOR", "PEEL_DATA"):
        env.pop(name, None)
    result = subprocess.run(
        command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


def _blocks() -> list[re.Match[str]]:
    return list(BLOCK.finditer(README.read_text(encoding="utf-8")))


def test_readme_has_examples() -> None:
    commands = [m["command"] for m in _blocks()]
    for name in ("grades", "questions", "show", "findings", "search"):
        assert any(c.startswith(f"peel {name}") for c in commands), name


@pytest.mark.parametrize("index", range(len(_blocks())))
def test_readme_example_output_is_real(index: int, tmp_path: Path) -> None:
    block = _blocks()[index]
    command = block["command"]
    if "jq" in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    actual = _run(command, tmp_path)
    strip = "\n".join(line.rstrip() for line in actual.splitlines()) + "\n"
    if os.environ.get("PEEL_UPDATE_README"):
        text = README.read_text(encoding="utf-8")
        start, end = block.span("output")
        README.write_text(text[:start] + strip + text[end:], encoding="utf-8")
        return
    assert strip == block["output"], command
