"""The README's examples are real, and the docs' too: every ```console block is run and its
output compared.

To refresh the blocks after a deliberate change of output:
    PEEL_UPDATE_README=1 python -m pytest -n 0 tests/test_readme.py

(one process: blocks of one file are rewritten in turn)
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
DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]
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


def _blocks(document: Path = README) -> list[re.Match[str]]:
    return list(BLOCK.finditer(document.read_text(encoding="utf-8")))


EXAMPLES = [(doc, i) for doc in DOCUMENTS for i in range(len(_blocks(doc)))]


def test_readme_tours_the_commands_a_reader_starts_with() -> None:
    commands = [m["command"] for m in _blocks()]
    for name in ("grades", "show", "search", "import", "similar"):
        assert any(re.search(rf"\bpeel {name}\b", c) for c in commands), name


def test_every_command_has_an_example_in_the_readme_or_the_docs() -> None:
    from typer.main import get_command

    from peelcli.cli import app

    names = set(get_command(app).commands)  # type: ignore[attr-defined]
    commands = [m["command"] for document in DOCUMENTS for m in _blocks(document)]
    missing = {n for n in names if not any(re.search(rf"\bpeel {n}\b", c) for c in commands)}
    assert names and not missing


def test_readme_stays_short() -> None:
    # Set-up, the commands, a short tour, importing, where the docs are: the rest is in docs/.
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines < 300, f"README.md has {lines} lines; move long parts to docs/"


def test_readme_keeps_the_test_command_and_links_the_docs() -> None:
    text = README.read_text(encoding="utf-8")
    # .ci/run reads the line after the marker.
    assert "<!-- test-command -->\n```sh\npip install -e '.[test]' && python -m pytest\n```" in text
    for doc in DOCUMENTS[1:]:
        assert f"(docs/{doc.name})" in text, doc.name


@pytest.mark.parametrize(
    ("document", "index"), EXAMPLES, ids=[f"{d.name}-{i}" for d, i in EXAMPLES]
)
def test_readme_example_output_is_real(document: Path, index: int, tmp_path: Path) -> None:
    block = _blocks(document)[index]
    command = block["command"]
    if "jq" in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    actual = _run(command, tmp_path)
    strip = "\n".join(line.rstrip() for line in actual.splitlines()) + "\n"
    if os.environ.get("PEEL_UPDATE_README"):
        if os.environ.get("PYTEST_XDIST_WORKER"):
            pytest.fail("rewrite the examples in one process: add -n 0")
        text = document.read_text(encoding="utf-8")
        start, end = block.span("output")
        document.write_text(text[:start] + strip + text[end:], encoding="utf-8")
        return
    assert strip == block["output"], command
