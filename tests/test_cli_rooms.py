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


SHARED = ("--data", "--force", "--year", "--format", "--json", "--color", "--no-pager")
OUTPUTS = SHARED[3:]
# Which of the shared options each command takes, as `peel -h` says it.
TAKES = {
    **dict.fromkeys(READING, SHARED),
    **{f"track {name}": SHARED for name in ("set", "list", "log", "report", "responses")},
    "track response": SHARED,
    "track import": SHARED,
    "track init": (),
    "validate": ("--data", *OUTPUTS),
    "schema": OUTPUTS,
    "export": SHARED[:3],
    "import": ("--force", "--year"),
}
SAYS = (
    "The shared options a command takes may also come before it: peel --data reports/ grades. "
    "The commands that read reports (grades, questions, show, findings, search, compare, "
    "similar and track's commands) take --data, --force, --year, --format, --json, --color "
    "and --no-pager; validate takes them all but --force and --year, as it checks whole "
    "files; schema takes --format, --json, --color and --no-pager; export takes --data, "
    "--force and --year; import has a --force and a --year of its own, for the report it "
    "makes."
)


def test_help_says_truly_which_shared_options_each_command_takes(cli: Cli) -> None:
    import typer

    from peelcli.cli import app

    group = typer.main.get_command(app)
    taken = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        for sub, each in (subcommands or {name: command}).items():
            key = f"{name} {sub}" if subcommands else name
            taken[key] = tuple(o for o in SHARED if o in _options(each))
    assert taken == TAKES
    assert SAYS in " ".join(cli("-h").stdout.split())


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["--force", "kent", "validate"], "peel validate takes no --force"),
        (["--year", "2016", "validate"], "peel validate takes no --year"),
        (["validate", "--force", "kent"], "peel validate takes no --force"),
        (["--json", "export", "--sqlite", "x.db"], "peel export takes no --json"),
        (["--data", "x", "schema"], "peel schema takes no --data"),
    ],
)
def test_a_shared_option_a_command_does_not_take_is_refused_as_that(
    cli: Cli, args: list[str], refused: str
) -> None:
    # Not as a typo with a suggestion of another meaning ("did you mean --format?").
    result = cli(*args)
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (
        f"peel: error: {refused}\npeel: 'peel -h' lists the shared options each command takes.\n"
    )


def test_data_before_validate_chooses_the_files_it_checks(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("x: [\n", encoding="utf-8")
    result = cli("--data", str(tmp_path), "--json", "validate")
    assert result.exit_code == ExitCode.ERROR
    document = json.loads(result.stdout)
    assert document["files"] == 1 and document["valid"] == []
    assert [p["file"] for p in document["problems"]] == [str(tmp_path / "bad.yaml")]


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
