"""peelcli.forces: one canonical name per force, from any name of it people write or type."""

from __future__ import annotations

import pytest

from peelcli.forces import FORCES, canonical_force, canonical_name, named_in, slug


def test_the_table_holds_the_43_territorial_forces_and_the_british_transport_police() -> None:
    assert len(FORCES) == 44
    assert "British Transport Police" in FORCES
    assert len({slug(name) for name in FORCES}) == 44


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Avon and Somerset", "Avon and Somerset Constabulary"),
        ("Avon and Somerset Constabulary", "Avon and Somerset Constabulary"),
        ("avon", "Avon and Somerset Constabulary"),
        ("Avon & Somerset", "Avon and Somerset Constabulary"),
        ("the Metropolitan Police Service", "Metropolitan Police Service"),
        ("Metropolitan", "Metropolitan Police Service"),
        ("Met", "Metropolitan Police Service"),
        ("MPS", "Metropolitan Police Service"),
        ("GMP", "Greater Manchester Police"),
        ("Greater Manchester", "Greater Manchester Police"),
        ("Hampshire Constabulary", "Hampshire and Isle of Wight Constabulary"),
        ("Dyfed Powys", "Dyfed-Powys Police"),
        ("  West   Yorkshire Police ", "West Yorkshire Police"),
        ("BTP", "British Transport Police"),
    ],
)
def test_any_name_of_a_force_gives_its_canonical_name(written: str, canonical: str) -> None:
    assert canonical_name(written) == canonical
    assert canonical_force(written) == canonical


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Avon and Somerset PEEL 2018", "Avon and Somerset Constabulary"),
        ("Met PEEL 2016", "Metropolitan Police Service"),
        ("PEEL 2021/22 – North Yorkshire Police", "North Yorkshire Police"),
        ("Microsoft Word - GMP PEEL 2018.docx", "Greater Manchester Police"),
        ("Kent Police and Kent County Council", "Kent Police"),
        # No force of the table, or two of them: none.
        ("Northmoor PEEL 2023", None),
        ("PEEL: Police effectiveness 2016", None),
        ("Kent and Essex: a joint inspection", None),
        ("Metropolitan Police Service", "Metropolitan Police Service"),
        ("Metropolitanshire PEEL 2016", None),
    ],
)
def test_the_force_that_words_name(text: str, named: str | None) -> None:
    assert named_in(text) == named


def test_a_force_the_table_does_not_hold_is_its_own_canonical_name() -> None:
    assert canonical_name("Exampleshire Police") is None
    assert canonical_force("Exampleshire  Police") == "Exampleshire Police"
    assert canonical_name("Yorkshire") is None  # three forces share the word: none is chosen


def test_a_slug_is_the_canonical_name_as_a_stable_key() -> None:
    assert slug("Met") == "metropolitan-police-service"
    assert slug("Avon and Somerset") == slug("Avon and Somerset Constabulary")
    assert slug("Exampleshire Police") == "exampleshire-police"


def test_a_report_carries_its_canonical_name_and_slug_beside_the_name_as_written() -> None:
    from pathlib import Path

    from conftest import DATASET

    from peelcli.dataset.loader import load_reports

    (report,) = load_reports([Path(DATASET)], use_cache=False)
    assert report.force == "Metropolitan Police Service"
    assert report.canonical_force == "Metropolitan Police Service"
    assert report.force_slug == "metropolitan-police-service"
    avon = report.model_copy(update={"force": "Avon and Somerset"})
    assert (avon.force, avon.canonical_force) == ("Avon and Somerset", FORCES_AVON)


FORCES_AVON = "Avon and Somerset Constabulary"
