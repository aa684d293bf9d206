"""The benchmark's synthetic corpus: valid reports, the same every time."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT

from peelcli.dataset.loader import load_reports, validate_paths

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus


def test_every_generated_report_is_valid(tmp_path: Path) -> None:
    paths = corpus.write_corpus(tmp_path / "reports", 60)
    count, problems = validate_paths([tmp_path / "reports"])
    assert (count, problems) == (60, [])
    reports = load_reports([tmp_path / "reports"], use_cache=False)
    assert len({r.force for r in reports}) > 20
    assert {r.pillars[0].id for r in reports if r.pillars} == {"E", "F", "L"}
    areas = [r for r in reports if r.areas]
    assert areas and all(r.year >= 2021 and not r.pillars for r in areas)
    assert all(r.pillars and not r.areas for r in reports if r.year < 2021)
    assert min(r.year for r in reports) >= 2014 and max(r.year for r in reports) <= 2025
    sizes = [p.stat().st_size for p in paths]
    shipped = (ROOT / "data" / "metropolitan_2016.yaml").stat().st_size
    assert 0.75 * shipped < sum(sizes) / len(sizes) < 1.25 * shipped


def test_the_corpus_is_the_same_every_time(tmp_path: Path) -> None:
    first = corpus.write_corpus(tmp_path / "a", 15)
    second = corpus.write_corpus(tmp_path / "b", 15)
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_the_43_forces_of_england_and_wales() -> None:
    assert len(corpus.FORCES) == len(set(corpus.FORCES)) == 43
    assert len(corpus.slots()) == 43 * (7 * 3 + 5)
