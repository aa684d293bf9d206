"""peelcli.report_checks: the quick answer that a report is sound agrees with the full check."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from peelcli import report_checks
from peelcli.models import Report

DATA = Path(__file__).resolve().parent.parent / "data" / "metropolitan_2016.yaml"
CORPUS = Path(__file__).resolve().parent.parent / "docs" / "examples"

# IDs as a file may spell them wrongly, beside the right ones.
ODD_IDS = ["E1.A1", "E1.A01", "E1.A0", "E1.X1", "E2.A1", "E1.A\u0661", "E1.A", "e1.A1", "E1.A1 "]


def _findings(unit: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(unit.get("areas_for_improvement", []))
    for cause in unit.get("causes_of_concern", []):
        found += [cause, *cause.get("recommendations", [])]
    return found + unit.get("innovative_practice", []) + unit.get("promising_practice", [])


def _mutated(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    data = copy.deepcopy(data)
    units = [q for p in data.get("pillars", []) for q in p["questions"]] + data.get("areas", [])
    for _ in range(rng.randrange(1, 3)):
        unit = rng.choice(units)
        what = rng.randrange(6)
        findings = _findings(unit)
        lists = [v for v in unit.values() if isinstance(v, list) and len(v) > 1]
        if what == 0 and findings:
            rng.choice(findings)["id"] = rng.choice(ODD_IDS)
        elif what == 5 and lists and isinstance(lists[0][0], dict):
            twice = rng.choice(lists)  # the same ID given to two findings of a kind
            if isinstance(twice[0], dict):
                twice[1]["id"] = twice[0]["id"]
        elif what == 1:
            unit["id"] = rng.choice(["E1", "E9", "F1", "A1", "A0", "E01", units[0]["id"]])
        elif what == 2:
            unit["grade"] = rng.choice(["adequate", "good", "not stated", "ungraded"])
        elif what == 3:
            unit["carried_over_from"] = rng.choice([2014, 2015, 2016, 2017])
        elif data.get("pillars"):
            data["pillars"][0]["id"] = rng.choice(["E", "F", "L"])
    return data


def _sources() -> list[dict[str, Any]]:
    texts = [DATA, *sorted(CORPUS.glob("*.yaml"))]
    return [yaml.safe_load(p.read_text("utf-8")) for p in texts]


@pytest.mark.parametrize("seed", range(20))
def test_the_quick_check_agrees_with_the_full_one(seed: int) -> None:
    rng = random.Random(seed)
    for source in _sources():
        for _ in range(10):
            try:
                report = Report.model_validate(_mutated(source, rng))
            except ValueError:
                continue  # refused by the models themselves
            sound = report_checks._ids_sound(report)
            assert sound == (report_checks._problems(report) == []), seed


def test_sound_reports_are_sound() -> None:
    for source in _sources():
        report = Report.model_validate(source)
        assert report_checks._ids_sound(report)
        assert report_checks.id_problems(report) == []
