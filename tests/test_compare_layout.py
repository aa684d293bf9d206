"""render/wrapping.py's page: its own wrapping of plain output gives rich's lines."""

from __future__ import annotations

import io
import random

import pytest
from rich.text import Text

from peelcli.env import Environment
from peelcli.render.terminal import make_console
from peelcli.render.wrapping import Page, wrapped_lines

WORDS = ["a", "the", "force", "should", "improve", "it’s", "‘quoted’", "x" * 30, "—", "e.g.", ""]


def _rich(text: Text, width: int, indent: int, prefix: Text | None) -> str:
    """What the page printed before it wrapped text itself: rich's lines, printed by rich."""
    out = io.StringIO()
    console = make_console(Environment(stdout=out, color=False, width=width))
    lines = wrapped_lines(console, width, text, indent, prefix)
    console.print(Text("\n").join(lines), soft_wrap=True)
    return out.getvalue()


def _page(text: Text, width: int, indent: int, prefix: Text | None) -> tuple[str, int]:
    out = io.StringIO()
    page = Page(make_console(Environment(stdout=out, color=False, width=width)))
    page.wrapped(text, indent, prefix)
    page.print()
    return out.getvalue(), len(page.lines)


def _sentence(rng: random.Random) -> str:
    spaces = [" ", " ", " ", "  ", "   "]
    words = [rng.choice(WORDS) for _ in range(rng.randrange(0, 40))]
    text = "".join(w + rng.choice(spaces) for w in words)
    return rng.choice(["", " ", "  "]) + text if rng.random() < 0.2 else text


@pytest.mark.parametrize("seed", range(40))
def test_the_page_breaks_plain_lines_where_rich_does(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        text = Text(_sentence(rng), style=rng.choice(["", "bold"]))
        width = rng.choice([1, 5, 9, 12, 20, 33, 80])
        indent = rng.choice([0, 2, 4, 6])
        prefix = rng.choice([None, Text("E1.A1", "bold"), Text("2016", "dim"), Text("")])
        printed, drawn_by_rich = _page(text, width, indent, prefix)
        assert printed == _rich(text, width, indent, prefix)
        assert drawn_by_rich == 0  # written by the page, not drawn by rich


@pytest.mark.parametrize(
    "text",
    ["tab\there", "two\nlines", "wide 日本語の文字 text", "nbsp\u00a0here", "zero\u200bwidth"],
)
def test_text_of_other_widths_is_wrapped_by_rich_and_prints_the_same(text: str) -> None:
    for width in (6, 10, 40):
        assert _page(Text(text), width, 2, Text("ID"))[0] == _rich(Text(text), width, 2, Text("ID"))


def test_with_colour_rich_draws_the_page() -> None:
    out = io.StringIO()
    page = Page(make_console(Environment(stdout=out, color=True, width=40)))
    page.wrapped(Text("good", style="green"), indent=2)
    page.print()
    assert out.getvalue() == "  \x1b[32mgood\x1b[0m\n"


@pytest.mark.parametrize("color", [False, True])
def test_a_long_listing_as_records_is_written_in_one_call(
    color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing too wide for a table, thousands of lines, costs one write, not one a line."""
    from rich.console import Console

    from peelcli.render.terminal import Column, print_records

    out = io.StringIO()
    console = make_console(Environment(stdout=out, color=color, width=30))
    prints: list[object] = []
    real = Console.print
    monkeypatch.setattr(
        Console, "print", lambda self, *a, **k: prints.append(a) or real(self, *a, **k)
    )
    columns = [Column("ID", "left", 2), Column("Text", "left", 4)]
    rows = [[Text(f"E{n}.A1"), Text("the force should improve how it " * 3)] for n in range(500)]
    print_records(console, columns, rows)
    assert len(prints) <= 1
    lines = out.getvalue().splitlines()
    assert len(lines) > 2000 and sum(".A1" in line for line in lines) == 500
