"""The command line's shape: shared options declared once and taken by every command that
reads reports, errors made exit codes in one place, one Environment for a run."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AREA_REPORT, SHIPPED

from peelcli.env import Environment
from peelcli.errors import ExitCode
from peelcli.render.messages import ERA_CAVEAT

Cli = Callable[..., Any]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    (tmp_path / "met.yaml").write_text(SHIPPED, encoding="utf-8")
    (tmp_path / "exampleshire.yaml").write_text(AREA_REPORT, encoding="utf-8")
    return tmp_path


def _options(command: Any) -> set[str]:
    return {name for param in command.params for name in param.opts + param.secondary_opts}


OUTPUT = {"--format", "-f", "--json", "--color", "--no-color", "--no-pager"}
DATA = {"--data", "-d", "--force", "--year"}
READING = ("grades", "questions", "show", "findings", "search", "compare", "similar")


def test_every_command_that_reads_reports_takes_the_shared_options() -> None:
    import typer

    from peelcli.cli import app

    group = typer.main.get_command(app)
    for name in READING:
        command = group.commands[name]  # type: ignore[attr-defined]
        assert _options(command) >= OUTPUT | DATA, name
    validate = group.commands["validate"]  # type: ignore[attr-defined]
    assert OUTPUT | {"--data", "-d"} <= _options(validate)
    assert _options(group.commands["schema"]) >= OUTPUT  # type: ignore[attr-defined]


def test_every_command_that_reads_reports_takes_them_all_and_lists_in_every_format() -> None:
    # Commands added later (tracking's, export) included: a command that takes --data takes
    # --force and --year too, and one that writes to stdout takes the output options.
    # validate checks whole files, which no force or year chooses; export writes files.
    import typer

    from peelcli.cli import app

    def commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
        found = []
        for name, command in getattr(group, "commands", {}).items():
            found.append((prefix + name, command))
            found.extend(commands(command, prefix + name + " "))
        return found

    reading = [(n, c) for n, c in commands(typer.main.get_command(app)) if "--data" in _options(c)]
    assert len(reading) >= 15
    for name, command in reading:
        if name != "validate":
            assert _options(command) >= DATA, name
        if name != "export":
            assert _options(command) >= OUTPUT, name


def test_json_before_validate_is_taken(cli: Cli) -> None:
    result = cli("--json", "validate")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["files"] == 1 and document["problems"] == []
    assert len(document["valid"]) == 1


def test_validate_in_json_lists_every_problem_and_still_exits_2(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHIPPED.replace("year: 2016", "year: sixteen"), encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(SHIPPED, encoding="utf-8")
    result = cli("validate", "--json", str(tmp_path))
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["files"] == 2 and document["valid"] == [str(good)]
    (problem,) = document["problems"]
    assert set(problem) == {"file", "line", "column", "path", "message"}
    assert problem["file"] == str(bad) and problem["path"] == "year"
    assert "1 problem(s) in 1 of 2 file(s)" in result.stderr


def test_schema_takes_json_and_refuses_a_format_it_cannot_show(cli: Cli) -> None:
    assert json.loads(cli("--json", "schema").stdout)["$id"] == "urn:peelcli:dataset:report"
    result = cli("schema", "--format", "csv")
    assert result.exit_code == 2
    assert result.stderr == "peel: error: the schema is JSON; --format csv cannot show it\n"


def test_similar_says_which_filter_chose_no_report(cli: Cli, mixed: Path) -> None:
    result = cli("similar", "E1.A1", "--force", "kent", "--data", str(mixed))
    assert result.exit_code == ExitCode.NO_MATCH
    assert "peel: no report's force matches --force 'kent'\n" in result.stderr


def test_similar_warns_when_its_reports_mix_eras(cli: Cli, mixed: Path) -> None:
    result = cli("similar", "E1.A1", "--force", "met", "--threshold", "0", "--data", str(mixed))
    assert result.exit_code == 0, result.stderr
    assert f"peel: warning: {ERA_CAVEAT}\n" in result.stderr


def test_one_environment_carries_every_message_of_a_run() -> None:
    import typer

    from peelcli.cli import app

    command = typer.main.get_command(app)
    for args, code, said in (
        (["grades", "--nope"], ExitCode.ERROR, "peel: error: no such option: --nope;"),
        (["show", "Z9"], ExitCode.ERROR, "peel: error: no question or finding has the ID 'Z9'"),
        (["findings", "--question", "E3"], ExitCode.OK, ""),
        (["findings", "--force", "kent"], ExitCode.NO_MATCH, "no report's force matches"),
    ):
        env = Environment(stdout=io.StringIO(), stderr=io.StringIO())
        assert command.main(args, "peel", standalone_mode=False, obj=env) == code, args
        assert said in env.stderr.getvalue(), args  # type: ignore[attr-defined]
