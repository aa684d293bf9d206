"""Nothing is lost: whatever peel accepts it shows in full, and `peel findings --json` gives
every finding's text exactly as the file holds it, from a fresh parse and from the cache alike."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATASET
from hostile_support import finding_texts, hostile_text, quoted, report_data, write_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peelcli.cli import app
from peelcli.dataset.dump import dump_report
from peelcli.dataset.files import Source
from peelcli.dataset.loader import parse_report
from peelcli.models import Report
from peelcli.render.formats import csv_safe
from peelcli.render.sanitize import clean

Cli = Callable[..., Any]

TRICKY = [
    "  leading and trailing spaces  ",
    "tabs\tinside\tand at the end\t",
    "several\n\nlines\nand a trailing newline\n",
    "carriage\r\nreturns\r",
    "NEL\x85 LS\u2028 PS\u2029 BOM\ufeff",
    "\x1b[31mescape\x1b[0m \x9b2J \x00 \x7f",
    "\u202eright to left\u202c and עברית and العربية",
    "quotes ' \" ‘ ’ “ ” and backslashes \\ \\\\ \\n",
    "0129",
    "-09",
    "NO",
    "~",
    "null",
    "true",
    "1.5",
    "1e3",
    "2016-13-45",
    "0x1F",
    "[bold]markup[/bold] :smile: [link=x]",
    "# not a comment",
    "- not a list",
    "key: not a mapping",
    "&anchor *alias !tag %directive @at `tick` |pipe >fold",
    "café, e\u0301, 😀, 中文, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "x" * 5000,
]


def tricky_report() -> dict[str, Any]:
    data = report_data("Text")
    question = data["pillars"][0]["questions"][0]
    question["areas_for_improvement"] = [
        {"id": f"E1.A{n}", "text": text} for n, text in enumerate(TRICKY, 1)
    ]
    return data


def json_texts(stdout: str) -> dict[str, str]:
    return {item["id"]: item["text"] for item in json.loads(stdout)}


@pytest.mark.parametrize("cache", ["1", "0"])
def test_every_text_comes_back_exactly(cli: Cli, tmp_path: Path, cache: str) -> None:
    data = tricky_report()
    path = write_report(tmp_path / "tricky.yaml", data)
    expected = finding_texts(data)
    for run in ("first", "cached"):
        result = cli("findings", "--json", "--data", str(path), env={"PEEL_CACHE": cache})
        assert result.exit_code == 0, (run, result.stderr)
        texts = json_texts(result.stdout)
        assert texts == expected
        for ident, text in expected.items():  # byte for byte
            assert texts[ident].encode("utf-8") == text.encode("utf-8")


HAND_WRITTEN = """\
force: Test Police
year: 2016
inspectorate: HMIC
programme: PEEL
title: Test
pillars:
- id: E
  name: Effectiveness
  questions:
  - id: E1
    title: A question?
    grade: good
    areas_for_improvement:
    - id: E1.A1
      text: |-
        line one
          indented two
        tab\there
    - id: E1.A2
      text: 'It''s "quoted", and \\n is not an escape'
    - id: E1.A3
      text: 50% of [cases] {sic} & *stars* !bang, C:\\Users\\x
    - id: E1.A4
      text: ‘Mi Investigation’ – café – 😀 – עברית – e\u0301
    - id: E1.A5
      text: "\\e[31m \\x9b \\u202e \\U0001F600 \\N \\_ \\L \\P \\0 \\t"
    - id: E1.A6
      text: >-
        folded
        into one line
"""


def test_hand_written_styles_come_back_as_yaml_means_them(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "styles.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    result = cli("findings", "--json", "--data", str(path))
    assert result.exit_code == 0, result.stderr
    assert json_texts(result.stdout) == {
        "E1.A1": "line one\n  indented two\ntab\there",
        "E1.A2": 'It\'s "quoted", and \\n is not an escape',
        "E1.A3": "50% of [cases] {sic} & *stars* !bang, C:\\Users\\x",
        "E1.A4": "‘Mi Investigation’ – café – 😀 – עברית – e\u0301",
        "E1.A5": "\x1b[31m \x9b \u202e \U0001f600 \x85 \xa0 \u2028 \u2029 \x00 \t",
        "E1.A6": "folded into one line",
    }


def test_the_shipped_dataset_comes_back_exactly(cli: Cli) -> None:
    independent = finding_texts(yaml.safe_load(DATASET.read_text(encoding="utf-8")))
    result = cli("findings", "--json")
    assert result.exit_code == 0
    assert json_texts(result.stdout) == independent


def test_csv_shows_every_text_in_full(cli: Cli, tmp_path: Path) -> None:
    data = tricky_report()
    path = write_report(tmp_path / "tricky.yaml", data)
    result = cli("findings", "--format", "csv", "--data", str(path))
    assert result.exit_code == 0
    rows = {row["id"]: row["text"] for row in csv.DictReader(io.StringIO(result.stdout))}
    # Text in full, but for the quote that keeps a spreadsheet from reading a formula.
    assert rows == {i: csv_safe(clean(t)) for i, t in finding_texts(data).items()}


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_quoted_writer_used_by_these_tests_is_exact(text: str) -> None:
    assert yaml.safe_load(f"x: {quoted(text)}") == {"x": text}


# --- any text --------------------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(hostile_text, min_size=1, max_size=8))
def test_json_round_trips_any_text(texts: list[str]) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        data = report_data(*texts)
        path = write_report(Path(folder) / "any.yaml", data)
        expected = finding_texts(data)
        for run in ("first", "cached"):
            result = runner.invoke(app, ["findings", "--json", "--data", str(path)])
            assert result.exit_code == 0, (run, result.stderr)
            assert json_texts(result.stdout) == expected
        result = runner.invoke(app, ["questions", "--json", "--data", str(path)])
        (first, _) = json.loads(result.stdout)
        question = data["pillars"][0]["questions"][0]
        assert first["summary"] == question["summary"]
        assert first["judgement"] == question["judgement"]
        assert first["note"] == question["note"]


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(hostile_text, min_size=1, max_size=6))
def test_a_report_peel_writes_loads_back_exactly(texts: list[str]) -> None:
    report = Report.model_validate(report_data(*texts))
    back = parse_report(Source("dumped.yaml", dump_report(report).encode("utf-8")))
    assert back == report


@pytest.mark.parametrize("text", ["0129", "-09", "08", "x\x85y", "a\u2028b", "a\u2029b"])
def test_text_yaml_would_misread_is_written_quoted(text: str) -> None:
    report = Report.model_validate(report_data(text))
    back = parse_report(Source("dumped.yaml", dump_report(report).encode("utf-8")))
    assert back == report
