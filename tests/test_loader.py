"""Loading datasets: the embedded default, corpora, and a clear message for each bad input."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATASET, report_as

from peelcli.dataset.files import data_paths, embedded_dataset
from peelcli.dataset.loader import load_reports, validate_paths
from peelcli.errors import PeelError

GOOD = DATASET.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str | bytes, name: str = "report.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    with pytest.raises(PeelError) as caught:
        load_reports([path], use_cache=False)
    return [str(p) for p in caught.value.problems]


def test_embedded_dataset_is_the_metropolitan_report() -> None:
    assert embedded_dataset().read_text(encoding="utf-8") == GOOD
    (report,) = load_reports(data_paths(None))
    assert report.force == "Metropolitan Police Service"


def test_peel_data_variable_and_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = write(tmp_path, report_as("Kent Police", text=GOOD))
    monkeypatch.setenv("PEEL_DATA", str(other))
    assert data_paths(None) == [other]
    assert data_paths([str(DATASET)]) == [DATASET]


def test_directory_is_a_corpus_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, report_as("Kent Police", text=GOOD), "b.yaml")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", report_as("Dorset Police", text=GOOD), "a.yml")
    write(tmp_path, "not a report", "notes.txt")
    reports = load_reports([tmp_path], use_cache=False)
    assert [r.force for r in reports] == ["Kent Police", "Dorset Police"]


BAD_INPUTS: list[tuple[str, str | bytes, str]] = [
    ("malformed", "force: [unclosed\n", "report.yaml:2:1: invalid YAML: "),
    (
        "duplicate key",
        "force: A\nforce: B\n",
        "report.yaml:2:1: duplicate key 'force'",
    ),
    (
        "unknown grade",
        GOOD.replace("grade: good", "grade: excellent"),
        "pillars[0].questions[0].grade: 'excellent' is not a grade; expected one of "
        "'outstanding', 'good', 'adequate', 'requires improvement', 'inadequate', 'ungraded', "
        "'not stated'",
    ),
    (
        "unknown field",
        GOOD.replace("inspectorate: HMIC", "inspectorate: HMIC\ninspector: Someone"),
        "report.yaml:5:1: inspector: unknown field 'inspector'",
    ),
    (
        "missing field",
        GOOD.replace("inspectorate: HMIC\n", ""),
        "report.yaml:2:1: inspectorate: missing required field",
    ),
    ("empty file", "", "report.yaml: is empty; a report file holds one YAML mapping"),
    ("comments only", "# nothing\n", "report.yaml: is empty; a report file holds one YAML mapping"),
    (
        "list at top level",
        "- force: A\n",
        "report.yaml:1:1: expected a mapping of report fields at top level, found a list",
    ),
    (
        "non-UTF-8",
        GOOD.encode("utf-8").replace("’".encode(), b"\x92", 1),
        "is not UTF-8 text (byte 0x92); save it as UTF-8",
    ),
    (
        "duplicate ID",
        GOOD.replace("id: E1.A2", "id: E1.A1"),
        "pillars[0].questions[0].areas_for_improvement[1].id: duplicate ID 'E1.A1'",
    ),
    (
        "misplaced ID",
        GOOD.replace("id: E3.R2", "id: E3.A2"),
        "causes_of_concern[0].recommendations[1].id: 'E3.A2' is not a valid ID here; "
        "expected E3.R<n>, such as 'E3.R1'",
    ),
    (
        "YAML 1.1 boolean",
        GOOD.replace("grade: good", "grade: NO"),
        "'NO' is not a grade",
    ),
    (
        "impossible date",
        GOOD.replace("year: 2016", "year: 2016-13-45"),
        "year: Input should be a valid integer, unable to parse string as an integer "
        "(found '2016-13-45')",
    ),
    (
        "explicit timestamp tag",
        GOOD.replace("year: 2016", "year: !!timestamp 2016-13-45"),
        "report.yaml:3:7: unsupported tag !!timestamp",
    ),
    (
        "alias",
        "force: &f A\nyear: 2016\ninspectorate: *f\n",
        "report.yaml:1:8: YAML anchors and aliases (&name, *name) are not supported",
    ),
    (
        "misspelt field",
        GOOD.replace("  grade_source: 'Not stated", "  grade_note: 'Not stated"),
        "pillars[0].grade_note: unknown field 'grade_note'",
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"),
    [(c, e) for _, c, e in BAD_INPUTS],
    ids=[name for name, _, _ in BAD_INPUTS],
)
def test_bad_input_is_one_clear_message(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    path = write(tmp_path, content)
    found = messages(path)
    assert any(expected in m for m in found), found
    assert all(m.startswith(str(path)) for m in found)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(c, e) for _, c, e in BAD_INPUTS],
    ids=[name for name, _, _ in BAD_INPUTS],
)
def test_bad_input_exits_2_without_traceback(
    tmp_path: Path, cli: Callable[..., Any], content: str | bytes, expected: str
) -> None:
    path = write(tmp_path, content)
    for args in (["validate", str(path)], ["grades", "--data", str(path)]):
        result = cli(*args)
        assert result.exit_code == 2
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""


def test_pillar_grade_needs_its_source(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    del data["pillars"][0]["grade_source"]
    path = write(tmp_path, json.dumps(data))  # JSON is YAML too
    assert any("grade_source is required when the pillar has a grade" in m for m in messages(path))


def test_validate_lists_every_problem_in_every_file(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    write(tmp_path, GOOD, "good.yaml")
    write(
        tmp_path,
        GOOD.replace("grade: good", "grade: great").replace("year: 2016", "year: soon"),
        "bad.yaml",
    )
    write(tmp_path, "- just a list\n", "worse.yaml")
    result = cli("validate", str(tmp_path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any("bad.yaml" in line and "'great' is not a grade" in line for line in lines)
    assert any("bad.yaml" in line and "year:" in line for line in lines)
    assert any("worse.yaml:1:1" in line for line in lines)
    assert lines[-1] == "peel: error: 3 problem(s) in 2 of 3 file(s)"


def test_directory_with_one_bad_file_is_refused_whole(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, report_as("Kent Police", text=GOOD), "b.yaml")
    write(tmp_path, GOOD.replace("grade: good", "grade: great"), "c.yaml")
    result = cli("grades", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert "c.yaml" in result.stderr and "'great' is not a grade" in result.stderr
    assert result.stdout == ""
    count, problems = validate_paths([tmp_path])
    assert count == 3 and len(problems) == 1


def test_the_same_report_twice_is_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(PeelError, match="repeats pillar E of Metropolitan Police Service 2016"):
        load_reports([tmp_path], use_cache=False)


def test_missing_path_and_empty_directory(tmp_path: Path, cli: Callable[..., Any]) -> None:
    result = cli("grades", "--data", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml: no such file or directory" in result.stderr
    result = cli("grades", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert "directory holds no report files (*.yaml, *.yml)" in result.stderr


def test_validate_the_shipped_dataset(cli: Callable[..., Any]) -> None:
    result = cli("validate", str(DATASET))
    assert result.exit_code == 0
    assert result.stdout == f"{DATASET}: valid\n1 file(s) valid\n"


def test_schema_is_json_generated_from_the_models(cli: Callable[..., Any]) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Report"
    assert set(schema["required"]) >= {"force", "year", "inspectorate", "title"}
    assert {"pillars", "areas"} <= set(schema["properties"])
    grade = schema["$defs"]["Grade"]
    assert grade["enum"] == [
        "outstanding",
        "good",
        "adequate",
        "requires improvement",
        "inadequate",
        "ungraded",
        "not stated",
    ]
    assert schema["additionalProperties"] is False


def test_a_folder_that_cannot_be_listed_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, who can list any folder: the refusal is simulated at os.scandir."""
    write(tmp_path, GOOD, "a.yaml")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(PeelError) as caught:
        load_reports([tmp_path], use_cache=False)
    assert [str(p) for p in caught.value.problems] == [f"{tmp_path / 'locked'}: permission denied"]
