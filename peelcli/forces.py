"""The police forces PEEL inspects, by their canonical names: the one table of them.

A report keeps its force's name as it writes it ("Avon and Somerset", "Avon and Somerset
Constabulary", "the Metropolitan Police Service"); this table gives each of the 43 territorial
forces of England and Wales, and the British Transport Police, one canonical name, with the
short forms people type ("Met", "MPS", "GMP", "Avon"). A name the table does not hold (a
fictional force, a force of another country) is its own canonical name.

Imports nothing heavy: `--force` resolves names on every run.
"""

from __future__ import annotations

import functools
import re

# Canonical name: the short forms people type besides it, and names it has had. A name
# without its last word or two ("Avon and Somerset", "Kent") is matched without listing it.
FORCES: dict[str, tuple[str, ...]] = {
    "Avon and Somerset Constabulary": ("Avon", "A&S", "ASC"),
    "Bedfordshire Police": ("Beds",),
    "British Transport Police": ("BTP",),
    "Cambridgeshire Constabulary": ("Cambs",),
    "Cheshire Constabulary": (),
    "City of London Police": ("City of London", "CoLP"),
    "Cleveland Police": (),
    "Cumbria Constabulary": (),
    "Derbyshire Constabulary": (),
    "Devon and Cornwall Police": ("D&C",),
    "Dorset Police": (),
    "Durham Constabulary": (),
    "Dyfed-Powys Police": (),
    "Essex Police": (),
    "Gloucestershire Constabulary": ("Glos",),
    "Greater Manchester Police": ("GMP",),
    "Gwent Police": (),
    # Renamed in 2022: reports before then name Hampshire Constabulary.
    "Hampshire and Isle of Wight Constabulary": ("Hampshire Constabulary", "Hampshire", "Hants"),
    "Hertfordshire Constabulary": ("Herts",),
    "Humberside Police": (),
    "Kent Police": (),
    "Lancashire Constabulary": ("Lancs",),
    "Leicestershire Police": ("Leics",),
    "Lincolnshire Police": ("Lincs",),
    "Merseyside Police": (),
    "Metropolitan Police Service": ("Met", "MPS", "Metropolitan Police", "Met Police"),
    "Norfolk Constabulary": (),
    "North Wales Police": (),
    "North Yorkshire Police": (),
    "Northamptonshire Police": ("Northants",),
    "Northumbria Police": (),
    "Nottinghamshire Police": ("Notts",),
    "South Wales Police": (),
    "South Yorkshire Police": (),
    "Staffordshire Police": ("Staffs",),
    "Suffolk Constabulary": (),
    "Surrey Police": (),
    "Sussex Police": (),
    "Thames Valley Police": ("TVP",),
    "Warwickshire Police": ("Warks",),
    "West Mercia Police": (),
    "West Midlands Police": ("WMP",),
    "West Yorkshire Police": ("WYP",),
    "Wiltshire Police": ("Wilts", "Wiltshire Constabulary"),
}

# The words that end a force's name, longest first.
_SUFFIX = re.compile(r"\s+(?:police service|police force|constabulary|police)$")
_THE = re.compile(r"^the\s+")


def _key(name: str) -> str:
    """A name as the table compares it: any case, '&' as 'and', no punctuation or 'the'."""
    text = name.casefold().replace("&", " and ")
    text = " ".join(re.sub(r"[^\w\s]|_", " ", text).split())
    return _THE.sub("", text)


def _build() -> dict[str, str]:
    names: dict[str, str] = {}
    for canonical, short in FORCES.items():
        key = _key(canonical)
        for name in (key, _SUFFIX.sub("", key), *(_key(s) for s in short)):
            names.setdefault(name, canonical)
    return names


_NAMES = _build()


@functools.lru_cache(maxsize=4096)
def canonical_name(name: str) -> str | None:
    """The canonical name of a force the table holds, from any name of it; None for others.

    'Avon', 'Avon and Somerset', 'avon & somerset constabulary' all give 'Avon and Somerset
    Constabulary'; so does 'Avon and Somerset Police', its place name with another ending.
    """
    key = _key(name)
    found = _NAMES.get(key)
    if found is None:
        found = _NAMES.get(_SUFFIX.sub("", key))
    return found


_LONGEST = max(len(name.split()) for name in _NAMES)


def named_in(text: str) -> str | None:
    """The canonical name of the one force that words of text name, by any name the table
    holds ('Avon and Somerset PEEL 2018' gives 'Avon and Somerset Constabulary'); None
    where they name none, or more than one."""
    words = _key(text).split()
    found: set[str] = set()
    start = 0
    while start < len(words):
        for end in range(min(len(words), start + _LONGEST), start, -1):
            name = _NAMES.get(" ".join(words[start:end]))
            if name is not None:
                found.add(name)
                start = end
                break
        else:
            start += 1
    return found.pop() if len(found) == 1 else None


def canonical_force(name: str) -> str:
    """A force's canonical name: the table's, else the name as written, spacing made one."""
    return canonical_name(name) or " ".join(name.split())


@functools.lru_cache(maxsize=4096)
def slug(name: str) -> str:
    """A stable key for a force: its canonical name in lower case, words joined by '-'
    ('metropolitan-police-service')."""
    words = re.findall(r"\w+", canonical_force(name).casefold().replace("_", " "))
    return "-".join(words) or "force"
