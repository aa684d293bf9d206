"""Shell completion for bash, zsh and fish: commands, options, kinds, grades, formats and the
IDs of the loaded reports, answered by the installed `peel` as a shell asks it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Peel = Callable[..., Any]


def bash(peel: Peel, line: str, **extra: str) -> list[str]:
    words = line.split(" ")
    env = {"_PEEL_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    done = peel(env={**env, **extra})
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("peel gr", ["grades"]),
        ("peel s", ["show", "search", "schema"]),
        ("peel findings --kind c", ["cause_of_concern", "coc"]),
        ("peel findings --grade r", ["requires", "improvement", "ri"]),  # bash splits on spaces
        ("peel grades --format j", ["json", "jsonl"]),
        ("peel show E3.R", [f"E3.R{n}" for n in range(1, 9)]),
        ("peel show ", ["E", "E1", "E1.A1"]),
        ("peel findings --question E", ["E", "E1", "E2", "E3", "E4", "E5"]),
        ("peel findings --js", ["--json"]),
    ],
)
def test_bash_completes(peel: Peel, line: str, expected: list[str]) -> None:
    got = bash(peel, line)
    assert got[: len(expected)] == expected or set(expected) <= set(got), got


def test_ids_come_from_the_reports_data_names(peel: Peel, tmp_path: Any) -> None:
    from conftest import SHIPPED

    other = SHIPPED.replace("- id: E1\n", "- id: E9\n").replace("id: E1.", "id: E9.")
    (tmp_path / "r.yaml").write_text(other, encoding="utf-8")
    assert "E9" in bash(peel, f"peel show --data {tmp_path} E")
    assert "E9" not in bash(peel, "peel show E")


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_complete(peel: Peel, shell: str) -> None:
    env = {"_PEEL_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": "peel show E3.C"}
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = peel(env=env)
    assert done.returncode == 0
    assert "E3.C1" in done.stdout


def test_install_completion_is_offered(peel: Peel) -> None:
    done = peel("-h")
    assert "--install-completion" in done.stdout
