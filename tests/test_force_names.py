"""--force by any name of a force, and one force followed across reports that name it
differently."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import report_as

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def avon(tmp_path: Path) -> Path:
    """Avon and Somerset as its 2016 page and its 2017 report call it, and another force."""
    (tmp_path / "avon_2016.yaml").write_text(
        report_as("Avon and Somerset Constabulary", 2016), encoding="utf-8"
    )
    (tmp_path / "avon_2017.yaml").write_text(report_as("Avon and Somerset", 2017), "utf-8")
    (tmp_path / "kent_2016.yaml").write_text(report_as("Kent Police", 2016), "utf-8")
    return tmp_path


@pytest.mark.parametrize("name", ["avon", "Avon and Somerset", "AVON & SOMERSET CONSTABULARY"])
def test_compare_force_joins_one_forces_reports_under_any_of_its_names(
    peel: Run, avon: Path, name: str
) -> None:
    result = peel("compare", "--force", name, "--json", "--data", str(avon))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["force"] == "Avon and Somerset Constabulary"
    assert document["force_slug"] == "avon-and-somerset-constabulary"
    assert [(r["force"], r["year"]) for r in document["reports"]] == [
        ("Avon and Somerset Constabulary", 2016),
        ("Avon and Somerset", 2017),
    ]
    assert {r["canonical_force"] for r in document["reports"]} == {"Avon and Somerset Constabulary"}


def test_a_short_form_chooses_its_force_and_no_other(peel: Run, tmp_path: Path) -> None:
    (tmp_path / "met.yaml").write_text(report_as(), encoding="utf-8")
    (tmp_path / "gmp.yaml").write_text(report_as("Greater Manchester Police"), "utf-8")
    for name, force in (
        ("Met", "Metropolitan Police Service"),
        ("gmp", "Greater Manchester Police"),
    ):
        result = peel("grades", "--force", name, "--json", "--data", str(tmp_path))
        assert result.returncode == 0, result.stderr
        forces = {q["force"] for q in json.loads(result.stdout)["questions"]}
        assert forces == {force} or forces == {force + " Police"}


def test_an_exact_name_as_written_selects_that_force_alone(peel: Run, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(report_as("Exampleshire Police"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(report_as("North Exampleshire Police"), encoding="utf-8")

    def forces(name: str) -> set[str]:
        result = peel("grades", "--force", name, "--json", "--data", str(tmp_path))
        assert result.returncode == 0, result.stderr
        return {q["force"] for q in json.loads(result.stdout)["questions"]}

    assert forces("exampleshire police") == {"Exampleshire Police"}
    assert forces("Exampleshire") == {"Exampleshire Police", "North Exampleshire Police"}


def test_every_record_names_the_force_by_its_slug(peel: Run) -> None:
    for command in (["findings"], ["questions"], ["search", "dash"]):
        records = json.loads(peel(*command, "--json").stdout)
        assert {r["force_slug"] for r in records} == {"metropolitan-police-service"}
    csv = peel("findings", "--format", "csv").stdout.splitlines()
    assert csv[0].endswith(",due,force_slug,truncated")
    assert csv[1].endswith(",metropolitan-police-service,")  # its text is whole
