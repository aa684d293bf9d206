"""A deterministic synthetic corpus of PEEL reports for the benchmark.

Every report to 2020 has the shape and about the size of the shipped Metropolitan 2016
report: one pillar of five questions with judgements, summaries, earlier grades,
areas for improvement and causes of concern with recommendations. From 2021 a
force has one report a year, a PEEL assessment graded by area of policing (the
areas of the 2021/22 or 2023–25 cycle), with findings, causes of concern and
practice. Its words are the shipped report's sentences, shuffled and recombined,
with the force's name put in; forces are the 43 territorial forces of England and
Wales, years run 2014 to 2025, and no two reports share a force, year and pillar
(peel refuses that). The same seed always gives the same files, byte for byte.

    python benchmarks/corpus.py DIR [COUNT]
"""

from __future__ import annotations

import functools
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "data" / "metropolitan_2016.yaml"
SOURCE_FORCE = "Metropolitan Police Service"

FORCES = (
    "Avon and Somerset Constabulary",
    "Bedfordshire Police",
    "Cambridgeshire Constabulary",
    "Cheshire Constabulary",
    "City of London Police",
    "Cleveland Police",
    "Cumbria Constabulary",
    "Derbyshire Constabulary",
    "Devon and Cornwall Police",
    "Dorset Police",
    "Durham Constabulary",
    "Dyfed-Powys Police",
    "Essex Police",
    "Gloucestershire Constabulary",
    "Greater Manchester Police",
    "Gwent Police",
    "Hampshire Constabulary",
    "Hertfordshire Constabulary",
    "Humberside Police",
    "Kent Police",
    "Lancashire Constabulary",
    "Leicestershire Police",
    "Lincolnshire Police",
    "Merseyside Police",
    "Metropolitan Police Service",
    "Norfolk Constabulary",
    "North Wales Police",
    "North Yorkshire Police",
    "Northamptonshire Police",
    "Northumbria Police",
    "Nottinghamshire Police",
    "South Wales Police",
    "South Yorkshire Police",
    "Staffordshire Police",
    "Suffolk Constabulary",
    "Surrey Police",
    "Sussex Police",
    "Thames Valley Police",
    "Warwickshire Police",
    "West Mercia Police",
    "West Midlands Police",
    "West Yorkshire Police",
    "Wiltshire Police",
)
YEARS = tuple(range(2014, 2026))
AREAS_FROM = 2021  # PEEL assessments: one report per force and year, graded by area

# The areas of policing of PEEL 2021/22 (the victim service assessment is not graded) and
# of PEEL 2023–25.
AREAS_2021 = (
    "Providing a service to the victims of crime",
    "Engaging with and treating the public with fairness and respect",
    "Preventing crime and anti-social behaviour",
    "Responding to the public",
    "Investigating crime",
    "Protecting vulnerable people",
    "Managing offenders and suspects",
    "Disrupting serious organised crime",
    "Building, supporting and protecting the workforce",
    "Strategic planning, organisational management and value for money",
)
AREAS_2023 = (
    "Police powers and public treatment",
    "Preventing crime and anti-social behaviour",
    "Responding to the public",
    "Investigating crime",
    "Protecting vulnerable people",
    "Managing offenders and suspects",
    "Building, supporting and protecting the workforce",
    "Leadership and force management",
    "Recording data about crime",
)
UNGRADED_AREAS = {"Providing a service to the victims of crime"}

PILLARS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "E": (
        "Effectiveness",
        "How effective is the force at keeping people safe and reducing crime?",
        (
            "How effective is the force at preventing crime, tackling anti-social behaviour "
            "and keeping people safe?",
            "How effective is the force at investigating crime and reducing re-offending?",
            "How effective is the force at protecting those who are vulnerable from harm, "
            "and supporting victims?",
            "How effective is the force at tackling serious and organised crime?",
            "How effective are the force’s specialist capabilities?",
        ),
    ),
    "F": (
        "Efficiency",
        "How efficient is the force at keeping people safe and reducing crime?",
        (
            "How well does the force understand the demand for its services?",
            "How well does the force use its resources to manage current demand?",
            "How well is the force planning for demand in the future?",
            "How well does the force understand the capability of its workforce?",
            "How well does the force work with other organisations to save money?",
        ),
    ),
    "L": (
        "Legitimacy",
        "How legitimate is the force at keeping people safe and reducing crime?",
        (
            "To what extent does the force treat all of the people it serves with fairness "
            "and respect?",
            "How well does the force ensure that its workforce behaves ethically and lawfully?",
            "To what extent does the force treat its workforce with fairness and respect?",
            "How well does the force use its stop and search powers?",
            "How well does the force listen to and act on complaints from the public?",
        ),
    ),
}
GRADES = ("outstanding", "good", "adequate", "requires improvement", "inadequate")


def grade_weights(year: int) -> tuple[int, ...]:
    """How often each grade is given: 'adequate' only from PEEL 2021-22 on."""
    return (1, 6, 3 if year >= AREAS_FROM else 0, 4, 1)


LEAD_INS = (
    "The force should immediately take steps to improve its services to vulnerable people by:",
    "The force should immediately take steps to improve how it deals with this by:",
    "Within six months, the force should:",
)

_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z‘])")


class Bank:
    """Sentences of the shipped report, sorted into what each part of a report needs."""

    def __init__(self) -> None:
        from peelcli.dataset.loader import load_reports

        (report,) = load_reports([DATASET], use_cache=False)
        self.prose: list[str] = []
        self.judgements: list[str] = []
        self.findings: list[str] = []
        self.recommendations: list[str] = []
        self.causes: list[str] = []
        for pillar in report.pillars:
            for q in pillar.questions:
                if q.judgement:
                    self.judgements += _sentences(q.judgement)
                for paragraph in q.summary:
                    self.prose += _sentences(paragraph)
                self.findings += [a.text for a in q.areas_for_improvement]
                for cause in q.causes_of_concern:
                    self.causes.append(cause.text)
                    self.recommendations += [r.text for r in cause.recommendations]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _as(force: str, text: str) -> str:
    return text.replace(SOURCE_FORCE, force)


def _paragraph(rng: random.Random, pool: list[str], force: str, low: int, high: int) -> str:
    return _as(force, " ".join(rng.sample(pool, rng.randint(low, high))))


def make_report(rng: random.Random, force: str, year: int, pillar_id: str) -> dict[str, Any]:
    """One pillar report (to 2020) as dataset data, in the shape of the shipped report."""
    bank = sentence_bank()
    name, headline, titles = PILLARS[pillar_id]
    questions: list[dict[str, Any]] = []
    for n, title in enumerate(titles, 1):
        qid = f"{pillar_id}{n}"
        graded = rng.random() > 0.1
        grade = rng.choices(GRADES, grade_weights(year))[0] if graded else "ungraded"
        question: dict[str, Any] = {
            "id": qid,
            "title": title,
            "grade": grade,
            "judgement": _paragraph(rng, bank.judgements, force, 1, 2),
            "summary": [_paragraph(rng, bank.prose, force, 2, 5) for _ in range(rng.randint(2, 4))],
        }
        if not graded:
            question["note"] = f"PEEL {year} did not grade this question."
        if rng.random() < 0.3 and year > 2014:
            earlier = rng.choices(GRADES, grade_weights(year - 1))[0]
            question["earlier_grades"] = [
                {
                    "year": year - 1,
                    "grade": earlier,
                    "quote": f"Some improvement has been made since HMIC’s {year - 1} "
                    f"assessment of ‘{earlier}’.",
                }
            ]
        question["areas_for_improvement"] = [
            {"id": f"{qid}.A{i}", "text": _as(force, text)}
            for i, text in enumerate(rng.sample(bank.findings, rng.randint(0, 4)), 1)
        ]
        if grade in ("inadequate", "requires improvement") and rng.random() < 0.5:
            recs = rng.sample(bank.recommendations, rng.randint(2, 6))
            question["causes_of_concern"] = [
                {
                    "id": f"{qid}.C1",
                    "text": _as(force, rng.choice(bank.causes)),
                    "recommendations_lead_in": rng.choice(LEAD_INS),
                    "recommendations": [
                        {"id": f"{qid}.R{i}", "text": text} for i, text in enumerate(recs, 1)
                    ],
                }
            ]
        questions.append(question)
    graded = [q["grade"] for q in questions if q["grade"] != "ungraded"]
    pillar_grade = max(set(graded), key=graded.count) if graded else "ungraded"
    pillar: dict[str, Any] = {"id": pillar_id, "name": name, "question": headline}
    if pillar_grade != "ungraded":
        pillar["grade"] = pillar_grade
        pillar["grade_source"] = (
            f"HMIC’s published PEEL {year} page for {force} gives the {name.lower()} "
            f"pillar as {pillar_grade}."
        )
    pillar["questions"] = questions
    return {
        "force": force,
        "year": year,
        "inspectorate": "HMIC" if year < 2017 else "HMICFRS",
        "programme": "PEEL",
        "title": f"{force.split(' Police')[0].split(' Constabulary')[0]} PEEL {year}",
        "source": f"Synthetic: sentences of the Metropolitan 2016 report, recombined for {force}.",
        "pillars": [pillar],
    }


def make_area_report(rng: random.Random, force: str, year: int) -> dict[str, Any]:
    """One PEEL assessment (from 2021) as dataset data: areas of policing, no pillars."""
    bank = sentence_bank()
    names = AREAS_2021 if year < 2023 else AREAS_2023
    # A cycle is named by the year it starts; the corpus has a report in the other years too.
    cycle = {2021: "2021/22", 2023: "2023–25"}.get(year)
    areas: list[dict[str, Any]] = []
    for n, title in enumerate(names, 1):
        aid = f"A{n}"
        grade = (
            "ungraded" if title in UNGRADED_AREAS else rng.choices(GRADES, grade_weights(year))[0]
        )
        area: dict[str, Any] = {
            "id": aid,
            "title": title,
            "grade": grade,
            "judgement": _paragraph(rng, bank.judgements, force, 1, 2),
            "summary": [_paragraph(rng, bank.prose, force, 1, 3) for _ in range(rng.randint(1, 2))],
            "areas_for_improvement": [
                {"id": f"{aid}.A{i}", "text": _as(force, text)}
                for i, text in enumerate(rng.sample(bank.findings, rng.randint(0, 2)), 1)
            ],
        }
        if grade in ("inadequate", "requires improvement") and rng.random() < 0.3:
            recs = rng.sample(bank.recommendations, rng.randint(1, 3))
            area["causes_of_concern"] = [
                {
                    "id": f"{aid}.C1",
                    "text": _as(force, rng.choice(bank.causes)),
                    "recommendations_lead_in": "Within six months, the force should:",
                    "recommendations": [
                        {"id": f"{aid}.R{i}", "text": text} for i, text in enumerate(recs, 1)
                    ],
                }
            ]
        if grade in ("outstanding", "good") and rng.random() < 0.2:
            area["promising_practice"] = [
                {"id": f"{aid}.P1", "text": _as(force, rng.choice(bank.prose))}
            ]
        areas.append(area)
    short = force.split(" Police")[0].split(" Constabulary")[0]
    return {
        "force": force,
        "year": year,
        "cycle": cycle,
        "inspectorate": "HMICFRS",
        "programme": "PEEL",
        "title": f"PEEL {cycle or year} An inspection of {short}",
        "source": f"Synthetic: sentences of the Metropolitan 2016 report, recombined for {force}.",
        "areas": areas,
    }


@functools.cache
def sentence_bank() -> Bank:
    """The shipped report's sentences, read once."""
    return Bank()


def slots(seed: int = 2016) -> list[tuple[str, int, str]]:
    """Every (force, year, pillar) in a fixed shuffled order: the first N make a corpus of N.

    From 2021 a force has one report a year, graded by area: its pillar is "A"."""
    every = [
        (f, y, p) for f in FORCES for y in YEARS for p in (PILLARS if y < AREAS_FROM else ("A",))
    ]
    random.Random(seed).shuffle(every)
    return every


def file_name(index: int, force: str, year: int, pillar: str) -> str:
    slug = re.sub(r"[^a-z]+", "-", force.lower()).strip("-")
    return f"{index:04d}-{slug}-{year}-{pillar.lower()}.yaml"


def render(index: int, slot: tuple[str, int, str], seed: int = 2016) -> tuple[str, str]:
    """The file name and YAML text of report number index (from 1), for its slot."""
    from peelcli.dataset.dump import dump_report
    from peelcli.models import Report

    force, year, pillar = slot
    rng = random.Random(f"{seed}:{index}")
    data = (
        make_area_report(rng, force, year)
        if pillar == "A"
        else make_report(rng, force, year, pillar)
    )
    report = Report.model_validate(data)
    return file_name(index, force, year, pillar), dump_report(report)


def corpus_slots(count: int, seed: int = 2016) -> list[tuple[str, int, str]]:
    """The slots of a corpus of count reports: the real forces' first, then, past the
    1,118 they have, the same again for forces of made-up names ("Kent Police 2"), which
    peel tells apart as it would two real forces."""
    every = slots(seed)
    base = len(every)
    copy = 2
    while len(every) < count:
        every += [(f"{force} {copy}", year, pillar) for force, year, pillar in slots(seed)[:base]]
        copy += 1
    return every[:count]


def write_corpus(directory: Path, count: int, seed: int = 2016) -> list[Path]:
    """Write reports 1..count into a fresh directory; the files written."""
    every = corpus_slots(count, seed)
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    paths = []
    for index, slot in enumerate(every[:count], 1):
        name, text = render(index, slot, seed)
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str]) -> None:
    """Write a corpus: DIR [COUNT]."""
    directory = Path(argv[0])
    count = int(argv[1]) if len(argv) > 1 else 1000
    paths = write_corpus(directory, count)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} reports, {size / len(paths) / 1024:.1f} KiB each on average")


if __name__ == "__main__":
    main(sys.argv[1:])
