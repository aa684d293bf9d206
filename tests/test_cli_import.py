"""`peel import` end to end: in-process with CliRunner and as the installed `peel` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SOURCE_TEXT, peel_executable

from peelcli.dataset.dump import HEADER
from peelcli.dataset.files import Source
from peelcli.dataset.loader import parse_report
from peelcli.importer import import_text
from peelcli.models import Grade, Report

Run = Callable[..., Any]
NOT_A_REPORT = (
    "is not the text of a PEEL report: found no pillar heading (Effectiveness, Efficiency or "
    "Legitimacy) followed by questions such as 'How effective is the force at …?'"
)


def as_report(yaml_text: str, name: str = "out.yaml") -> Report:
    """The output read back as `peel validate` reads a file: strictly, IDs checked."""
    return parse_report(Source(name, yaml_text.encode("utf-8")))


def expected_report() -> Report:
    return import_text(SOURCE_TEXT.read_text(encoding="utf-8"), "report.txt").report


def write(path: Path, text: str) -> str:
    path.write_bytes(text.encode("utf-8"))
    return str(path)


# --- the shipped text --------------------------------------------------------------


def test_import_prints_a_dataset_in_the_shipped_layout(cli: Run) -> None:
    result = cli("import", str(SOURCE_TEXT))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith(HEADER + "force: Metropolitan Police Service\nyear: 2016\n")
    assert as_report(result.stdout) == expected_report()


def test_output_file_is_accepted_by_validate_and_explored_with_data(
    peel: Run, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "metropolitan_2016.yaml"
    out.parent.mkdir()
    imported = peel("import", str(SOURCE_TEXT), "-o", str(out))
    assert (imported.returncode, imported.stdout, imported.stderr) == (0, "", "")
    validated = peel("validate", str(out.parent))
    assert (validated.returncode, validated.stdout) == (0, f"{out}: valid\n1 file(s) valid\n")
    grades = json.loads(peel("grades", "--data", str(out.parent), "--json").stdout)
    assert [(q["id"], q["grade"]) for q in grades["questions"]] == [
        ("E1", "good"),
        ("E2", "requires improvement"),
        ("E3", "inadequate"),
        ("E4", "requires improvement"),
        ("E5", "ungraded"),
    ]
    assert grades["pillars"][0]["grade"] == "not stated"


def test_stdin_gives_the_same_dataset_as_the_file(peel: Run) -> None:
    from_file = peel("import", str(SOURCE_TEXT))
    from_stdin = peel("import", "-", input=SOURCE_TEXT.read_text(encoding="utf-8"))
    assert (from_stdin.returncode, from_stdin.stderr) == (0, "")
    assert from_stdin.stdout == from_file.stdout


def test_output_dash_is_stdout(cli: Run) -> None:
    assert (
        cli("import", str(SOURCE_TEXT), "-o", "-").stdout == cli("import", str(SOURCE_TEXT)).stdout
    )


def test_a_windows_copy_with_bullets_and_blank_lines_gives_the_same_dataset(
    peel: Run, tmp_path: Path
) -> None:
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^- ", "• ", text).replace("\n", "  \r\n\r\n")
    pasted = write(tmp_path / "pasted.txt", "\ufeff" + text)
    result = peel("import", pasted)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == peel("import", str(SOURCE_TEXT)).stdout


def test_explain_prints_each_grade_with_its_sentence(cli: Run) -> None:
    name = str(SOURCE_TEXT)
    result = cli("import", name, "--explain")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"peel: explain: {name}:5: force: Metropolitan Police Service — “The Metropolitan Police "
        "Service is good at preventing crime, tackling anti-social behaviour and keeping people "
        "safe.”",
        f"peel: explain: {name}:1: year: 2016 — “Metropolitan PEEL 2016”",
        f"peel: explain: {name}:18: inspectorate: HMIC — “Some improvement has certainly been "
        "made since HMIC’s 2015 assessment of ‘requires improvement’; the force needs to ensure "
        "that this continues.”",
        f"peel: explain: {name}:5: E1: good — “The Metropolitan Police Service is good at "
        "preventing crime, tackling anti-social behaviour and keeping people safe.”",
        f"peel: explain: {name}:14: E2: requires improvement — “The Metropolitan Police Service’s "
        "investigation of crime and management of offenders requires improvement.”",
        f"peel: explain: {name}:18: E2: earlier grade 2015 requires improvement — “Some "
        "improvement has certainly been made since HMIC’s 2015 assessment of ‘requires "
        "improvement’; the force needs to ensure that this continues.”",
        f"peel: explain: {name}:24: E3: inadequate — “The Metropolitan Police Service is "
        "inadequate in its capacity and capability to protect those who are vulnerable from harm "
        "and support victims.”",
        f"peel: explain: {name}:40: E4: requires improvement — “Nonetheless, the force requires "
        "improvement in some areas.”",
        f"peel: explain: {name}:50: E5: ungraded — the text states no grade",
    ]
    assert as_report(result.stdout) == expected_report()


def test_options_give_what_the_text_does_not_state(cli: Run) -> None:
    result = cli(
        "import",
        str(SOURCE_TEXT),
        "--pillar-grade",
        "E=requires improvement",
        "--grade-source",
        "E=HMIC's PEEL 2016 page",
        "--source",
        "HMIC, PEEL: Police effectiveness 2016",
        "--force",
        "The Met",
        "--year",
        "2017",
        "--inspectorate",
        "HMICFRS",
    )
    assert (result.exit_code, result.stderr) == (0, "")
    report = as_report(result.stdout)
    assert (report.force, report.year, report.inspectorate) == ("The Met", 2017, "HMICFRS")
    assert report.source == "HMIC, PEEL: Police effectiveness 2016"
    pillar = report.pillars[0]
    assert (pillar.grade, pillar.grade_source) == (
        Grade.REQUIRES_IMPROVEMENT,
        "HMIC's PEEL 2016 page",
    )


def test_a_pillar_grade_without_its_source_is_refused(cli: Run) -> None:
    result = cli("import", str(SOURCE_TEXT), "--pillar-grade", "E=good")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "peel: error: --pillar-grade E needs --grade-source E=TEXT saying where the grade comes "
        "from; the text of a report does not state it\n"
    )


# --- warnings ----------------------------------------------------------------------

WITH_STRAY_LINES = """\
Examplshire PEEL 2016
Published by HMIC
Effectiveness
How effective is the force at preventing crime?
Examplshire Constabulary is good at preventing crime, in HMIC’s view.
Areas for improvement
• The force should share effective practice.
See the annex for the data
How effective is the force at investigating crime?
"""


def test_lines_not_placed_are_warned_with_their_numbers_and_the_dataset_written(
    cli: Run, tmp_path: Path
) -> None:
    name = write(tmp_path / "report.txt", WITH_STRAY_LINES)
    result = cli("import", name)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"peel: warning: {name}:2: not placed (before the first pillar heading): Published by HMIC",
        f"peel: warning: {name}:8: not placed (not a bulleted item of the areas for "
        "improvement): See the annex for the data",
        f"peel: warning: {name}:9: E2 has no judgement paragraph; it is left not stated",
    ]
    report = as_report(result.stdout)
    assert report.force == "Examplshire Constabulary"
    assert [(q.id, q.grade) for q in report.pillars[0].questions] == [
        ("E1", Grade.GOOD),
        ("E2", Grade.NOT_STATED),
    ]


def test_warnings_go_to_stderr_when_the_dataset_goes_to_a_file(peel: Run, tmp_path: Path) -> None:
    name = write(tmp_path / "report.txt", WITH_STRAY_LINES)
    out = tmp_path / "out.yaml"
    result = peel("import", name, "-o", str(out))
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.count("peel: warning: ") == 3
    assert peel("validate", str(out)).returncode == 0


def test_a_control_character_in_the_text_is_not_written_raw_to_the_terminal(
    cli: Run, tmp_path: Path
) -> None:
    name = write(
        tmp_path / "report.txt", WITH_STRAY_LINES.replace("See the annex", "\x1b[31mSee the annex")
    )
    assert "\\x1b[31mSee the annex" in cli("import", name).stderr


def test_each_message_stays_on_one_line_whatever_the_file_is_called(
    cli: Run, tmp_path: Path
) -> None:
    name = write(tmp_path / "two\nlines.txt", WITH_STRAY_LINES)
    stderr = cli("import", name, "--explain").stderr
    assert all(line.startswith("peel: ") for line in stderr.splitlines())
    assert "two\\nlines.txt:2: not placed" in stderr


# --- errors ------------------------------------------------------------------------


def test_text_that_is_not_a_peel_report_exits_2(cli: Run, peel: Run, tmp_path: Path) -> None:
    name = write(tmp_path / "notes.txt", "Shopping list\nEggs\nHow effective are eggs?\n")
    for result in (cli("import", name), peel("import", name)):
        code = getattr(result, "exit_code", getattr(result, "returncode", None))
        assert (code, result.stdout) == (2, "")
        assert result.stderr == f"peel: error: {name}: {NOT_A_REPORT}\n"


def test_a_failed_import_leaves_the_output_file_as_it_was(peel: Run, tmp_path: Path) -> None:
    out = tmp_path / "report.yaml"
    out.write_text("kept\n", encoding="utf-8")
    name = write(tmp_path / "notes.txt", "Shopping list\n")
    result = peel("import", name, "-o", str(out))
    assert result.returncode == 2
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "report.yaml"]


def test_a_successful_import_replaces_the_output_file_and_leaves_no_temporary_file(
    cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "report.yaml"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert cli("import", str(SOURCE_TEXT), "-o", str(out)).exit_code == 0
    assert as_report(out.read_text(encoding="utf-8")) == expected_report()
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.yaml"]


def test_the_output_may_not_replace_the_text_being_read(cli: Run, tmp_path: Path) -> None:
    name = write(tmp_path / "report.txt", SOURCE_TEXT.read_text(encoding="utf-8"))
    result = cli("import", name, "-o", name)
    assert result.exit_code == 2
    assert result.stderr == f"peel: error: {name}: is the file being read; write to another file\n"
    assert Path(name).read_text(encoding="utf-8") == SOURCE_TEXT.read_text(encoding="utf-8")


def test_an_output_directory_that_does_not_exist_is_made(cli: Run, tmp_path: Path) -> None:
    # As `curl --create-dirs` makes them.
    out = tmp_path / "missing" / "deeper" / "report.yaml"
    result = cli("import", str(SOURCE_TEXT), "-o", str(out))
    assert (result.exit_code, result.stderr) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("# A peel dataset")


def test_an_output_directory_that_cannot_be_made_is_one_line(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    out = tmp_path / "file" / "report.yaml"
    result = cli("import", str(SOURCE_TEXT), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (f"peel: error: {tmp_path / 'file'}: is not a directory to write in\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty; expected the text of a PEEL report"),
        (b"Metropolitan PEEL 2016\n\xff\n", "is not UTF-8 text (byte 0xff); save it as UTF-8"),
    ],
    ids=["empty", "not UTF-8"],
)
def test_unreadable_stdin_exits_2(data: bytes, message: str) -> None:
    result = subprocess.run(
        [peel_executable(), "import", "-"],
        input=data,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 2
    where = "<stdin>:2:1: " if data else "<stdin>: "
    assert result.stderr.decode("utf-8") == f"peel: error: {where}{message}\n"


def test_a_missing_text_file(cli: Run, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert result.stderr == f"peel: error: {tmp_path / 'nope.txt'}: no such file or directory\n"


# --- start-up ----------------------------------------------------------------------


def test_the_importer_loads_only_for_the_import_command() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from peelcli.cli import app\n"
        "CliRunner().invoke(app, ['grades', '--json'])\n"
        "print('peelcli.importer' in sys.modules)\n"
        "CliRunner().invoke(app, ['import', sys.argv[1]])\n"
        "print('peelcli.importer' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(SOURCE_TEXT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert result.stdout.split() == ["False", "True"]


def test_help_leads_with_examples(cli: Run) -> None:
    lines = [line.strip() for line in cli("import", "--help").stdout.splitlines()]
    examples = lines.index("Examples:")
    assert lines[examples + 2].startswith("peel import ")
    assert examples < next(i for i, line in enumerate(lines) if "--explain" in line)


def test_blank_or_impossible_options_are_refused(cli: Run) -> None:
    result = cli("import", str(SOURCE_TEXT), "--force", " ", "--year", "3000")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "peel: error: --force: must not be empty\npeel: error: --year: must be at most 2200\n"
    )
