"""A force's PEEL page that states its pillar grades in sentences, with no questions under them.

The inspectorate's page for a force in 2017 and 2018/19 gives each pillar's grade as a
sentence, and its report's questions elsewhere:

    West Yorkshire PEEL 2018                                  title: force and year
    This is HMICFRS’s fifth PEEL assessment of …              paragraphs about the report
    West Yorkshire Police is good at keeping people safe and reducing crime.        E
    West Yorkshire Police is outstanding at operating efficiently and sustainably.  F
    the extent to which the force treats the public and its workforce legitimately is good.  L
    HMI’s observations                                        … and more paragraphs

A sentence that states a grade and names a pillar by its words (effective, keeping people
safe and reducing crime; efficient, sustainable; legitimate) gives that pillar its grade and
is its judgement. The page's other paragraphs (and one that says more than that sentence)
are the report's summary. A grade a sentence
states about anything else ("The force is good at preventing crime") is not a pillar's.
"""

from __future__ import annotations

import re

from peelcli.importer.pillars import _Pillar
from peelcli.importer.text import Line, sentences, stated_grades
from peelcli.importer.units import Notes
from peelcli.models import PILLAR_LETTERS

# Efficiency and legitimacy first: "the efficiency with which it keeps people safe and reduces
# crime" is about efficiency, though it names what effectiveness is about.
_PILLAR_WORDS = (
    ("F", re.compile(r"\befficien(?:t|tly|cy)\b|\bsustainabl[ey]\b", re.IGNORECASE)),
    ("L", re.compile(r"\blegitima(?:te|tely|cy)\b", re.IGNORECASE)),
    (
        "E",
        re.compile(
            r"\beffective(?:ness|ly)?\b|\bkeep(?:s|ing)? people safe and reduc(?:e|es|ing) crime"
            r"|\breduc(?:e|es|ing) crime and keep(?:s|ing)? people safe",
            re.IGNORECASE,
        ),
    ),
)
_MOST_LINES = 2_000  # a force's page is a page: its grades are near the top


def _pillar_of(sentence: str) -> str | None:
    return next((letter for letter, words in _PILLAR_WORDS if words.search(sentence)), None)


def read_force_page(body: list[Line], notes: Notes) -> tuple[list[_Pillar], list[Line]] | None:
    """The pillars whose grades the page states in sentences, and its other paragraphs; None
    where no sentence states a pillar's grade."""
    found: dict[str, _Pillar] = {}
    used: set[int] = set()
    for line in body[:_MOST_LINES]:
        if line.bulleted or len(line.text) > 2_000:
            continue
        for sentence in sentences(line.text):
            letter = _pillar_of(sentence)
            stated = {grade for grade, _ in stated_grades(sentence, 3)} if letter else set()
            if letter is None or len(stated) != 1:
                continue
            said = Line(line.number, sentence, False, sentence)
            if letter in found:
                notes.not_placed(
                    said, f"a second sentence on the grade of {PILLAR_LETTERS[letter]}"
                )
                continue
            found[letter] = _Pillar(said, letter, paragraphs=[said])
            if sentence == line.text:
                used.add(line.number)  # a paragraph that says more stays in the summary
    if not found:
        return None
    pillars = [found[letter] for letter in PILLAR_LETTERS if letter in found]
    return pillars, [line for line in body if line.number not in used]
