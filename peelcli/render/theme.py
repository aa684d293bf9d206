"""How peel looks on a terminal: the colour of each grade. Words always go with the colour."""

from __future__ import annotations

from peelcli.models import Grade

GRADE_STYLES = {
    Grade.OUTSTANDING: "bold bright_green",
    Grade.GOOD: "green",
    Grade.ADEQUATE: "yellow",
    Grade.REQUIRES_IMPROVEMENT: "dark_orange",
    Grade.INADEQUATE: "bold red",
    Grade.UNGRADED: "dim",
    Grade.NOT_STATED: "dim italic",
}


def grade_style(grade: Grade) -> str:
    """The rich style that colours a grade."""
    return GRADE_STYLES.get(grade, "dim")


# A tracked finding's RAG rating, by its value; the word is always shown with it.
RAG_STYLES = {"red": "bold red", "amber": "dark_orange", "green": "green", "closed": "dim"}


def rag_style(rag: str) -> str:
    """The rich style that colours a RAG rating."""
    return RAG_STYLES.get(rag, "")
