"""Text that hides itself is shown honestly: invisible characters escaped on a terminal and
in CSV and Markdown (JSON stays exact), search reads past them, look-alike force names are
flagged, and `peel import` never writes a bidi control raw."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SHIPPED, report_as, run_on_terminal
from hostile_support import SGR, report_data, write_report

from peelcli.text import INVISIBLE

Peel = Callable[..., Any]
HIDDEN = "sec\u200bret \u2060joined\u2064 tag\U000e0041\U000e007f filler\u3164\u115f\uffa0 shy\xad"
SHOWN = r"sec\u200bret \u2060joined\u2064 tag\U000e0041\U000e007f filler\u3164\u115f\uffa0 shy\xad"


def test_every_format_character_of_this_python_is_invisible() -> None:
    pattern = re.compile(f"[{INVISIBLE}]")
    format_chars = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    others = ["\u115f", "\u1160", "\u3164", "\uffa0", "\U000e0000", "\U000e0002"]
    assert [c for c in format_chars + others if not pattern.match(c)] == []
    assert not pattern.search("Kent Police, Gwent: 警察 – “quoted” é\u00a0")


@pytest.fixture
def hidden(tmp_path: Path) -> Path:
    return write_report(tmp_path / "hidden.yaml", report_data(HIDDEN, force="Test Police"))


@pytest.mark.parametrize("fmt", ["csv", "markdown", "table"])
@pytest.mark.parametrize("args", [["findings"], ["questions"], ["show", "E1"], ["grades"]])
def test_invisible_characters_are_shown_escaped(
    peel: Peel, hidden: Path, args: list[str], fmt: str
) -> None:
    done = peel(*args, "--data", str(hidden), "-f", fmt, env={"COLUMNS": "300"})
    assert done.returncode == 0, done.stderr
    assert SHOWN in done.stdout
    assert not re.search(f"[{INVISIBLE}]", done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")
def test_invisible_characters_are_escaped_on_a_terminal(hidden: Path) -> None:
    shown = run_on_terminal("findings", "--data", str(hidden), columns=200, env={"PEEL_PAGER": ""})
    assert shown.status == 0
    assert not re.search(f"[{INVISIBLE}]", shown.screen)
    assert SHOWN.split()[0] in "".join(SGR.sub("", shown.screen).split())


def test_json_keeps_invisible_characters_exact(peel: Peel, hidden: Path) -> None:
    done = peel("findings", "--data", str(hidden), "--json")
    assert not re.search(f"[{INVISIBLE}]", done.stdout)  # as \u escapes
    assert {r["text"] for r in json.loads(done.stdout)} == {HIDDEN}


def test_search_matches_text_as_it_reads(peel: Peel, hidden: Path) -> None:
    done = peel("search", "secret", "--data", str(hidden), "--json")
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert hits and hits[0]["matches"][0]["text"] == "sec\u200bret"
    assert json.loads(peel("search", "shy", "joined", "--data", str(hidden), "--json").stdout)


def test_force_names_that_look_alike_are_flagged_in_one_warning(peel: Peel, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(report_as("Kent Police"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(report_as("K\u0435nt Police"), encoding="utf-8")
    zero_width = SHIPPED.replace(
        "force: Metropolitan Police Service", 'force: "Kent\\u200b Police"'
    )
    (tmp_path / "c.yaml").write_text(zero_width, encoding="utf-8")
    (tmp_path / "d.yaml").write_text(report_as("Gwent Police"), encoding="utf-8")
    done = peel("grades", "--grid", "--data", str(tmp_path))
    assert done.returncode == 0
    assert done.stderr == (
        "peel: warning: force names look alike but differ: 'Kent Police', "
        "'Kent\\u200b Police' and 'K\u0435nt Police' (at 5: nothing against U+200B ZERO "
        "WIDTH SPACE; at 2: U+0065 LATIN SMALL LETTER E against U+0435 CYRILLIC SMALL "
        "LETTER IE)\n"
    )


def test_import_escapes_bidi_controls_and_invisible_characters(peel: Peel, tmp_path: Path) -> None:
    judgement = "Examplshire Police is good at it, says HMIC \u202eevil\u202c and zero\u200bwidth."
    text = (
        "Examplshire PEEL 2016\nEffectiveness\nHow effective is the force at preventing crime?\n"
        f"{judgement}\n"
    )
    done = peel("import", "-", input=text)
    assert done.returncode == 0, done.stderr
    assert not re.search(f"[{INVISIBLE}]", done.stdout)
    assert "\\u202eevil\\u202c" in done.stdout
    path = tmp_path / "imported.yaml"
    path.write_text(done.stdout, encoding="utf-8")
    read_back = json.loads(peel("questions", "--data", str(path), "--json").stdout)
    assert read_back[0]["judgement"] == judgement


def test_csv_of_invisible_text_reads_back_escaped(peel: Peel, hidden: Path) -> None:
    out = peel("findings", "--data", str(hidden), "-f", "csv").stdout
    assert {r["text"] for r in csv.DictReader(io.StringIO(out))} == {SHOWN}
