"""What peel takes from other libraries' insides, each held by a test that fails loudly when
the library changes, and each with a public way it falls back to (docs/speed.md measures
what each saves)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATASET

from peelcli.dataset import codec
from peelcli.dataset.loader import load_reports


@pytest.fixture
def reports(tmp_path: Path) -> list[object]:
    from conftest import make_corpus

    make_corpus(tmp_path / "reports", 4)
    return [*load_reports([tmp_path / "reports"], use_cache=False), *load_reports([DATASET])]


def test_pydantic_keeps_the_private_fields_the_cache_decoder_sets() -> None:
    # If this fails, pydantic has changed what a model instance holds: the decoder has
    # already fallen back to model_construct (slower); look at codec.PRIVATE_FIELDS.
    assert codec.private_fields_known(), "pydantic changed BaseModel.__slots__"


def test_a_report_from_the_cache_is_the_report_either_way(
    reports: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = [codec.unpack(codec.pack(r)) for r in reports]  # type: ignore[arg-type]
    monkeypatch.setattr(codec, "_UNPACKERS", {})
    monkeypatch.setattr(codec, "private_fields_known", lambda: False)
    public = [codec.unpack(codec.pack(r)) for r in reports]  # type: ignore[arg-type]
    assert fast == public == reports
    for made in (fast[-1], public[-1]):
        assert made is not None
        assert made.model_dump() == reports[-1].model_dump()  # type: ignore[attr-defined]
        assert made.model_fields_set == set(type(made).model_fields)
        assert made.model_extra is None
        with pytest.raises(Exception, match="frozen"):
            made.force = "x"  # type: ignore[misc]


def test_a_warm_run_never_builds_a_validator(tmp_path: Path) -> None:
    # pydantic's defer_build: a run served from the cache constructs trusted data.
    program = (
        "import sys; from pathlib import Path\n"
        "from peelcli.dataset.loader import load_reports\n"
        "from peelcli.models import Report\n"
        "load_reports([Path(sys.argv[1])])\n"
        "print(Report.__pydantic_complete__)\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", program, str(DATASET)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]  # the first run parses and validates; the second not


def test_json_keeps_the_string_quoting_the_json_writer_uses() -> None:
    from json import encoder

    from peelcli.render import formats

    assert formats.encode_basestring is encoder.encode_basestring
    assert formats.encode_basestring_ascii is encoder.encode_basestring_ascii
    for text in ("plain", 'quote " and \\ back', "é\u2028\x7f\x00"):
        assert formats.encode_basestring(text) == json.dumps(text, ensure_ascii=False)
        assert formats.encode_basestring_ascii(text) == json.dumps(text, ensure_ascii=True)


def test_typer_keeps_the_usage_errors_peel_words_itself() -> None:
    # typer below 0.29 vendors click as typer._click and names its exceptions nowhere
    # public; pyproject.toml holds typer below 0.29, and this fails when that changes.
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    assert issubclass(NoArgsIsHelpError, UsageError)
    assert hasattr(UsageError, "format_message")


def test_usage_errors_fall_back_to_clicks_own_when_typer_has_no_vendored_click(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A typer from 0.29 parses with click itself: peel then catches click's public
    # exceptions, and a usage error is still one line and exit status 2.
    click_exceptions = pytest.importorskip("click.exceptions")
    import io

    from peelcli.cli.base import exit_code, usage_errors
    from peelcli.env import Environment
    from peelcli.errors import ExitCode

    monkeypatch.setitem(sys.modules, "typer._click.exceptions", None)
    assert usage_errors() == (click_exceptions.NoArgsIsHelpError, click_exceptions.UsageError)

    def program() -> None:
        raise click_exceptions.UsageError("No such option: --nope")

    env = Environment(stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_code(program, env) == ExitCode.ERROR
    assert env.stderr.getvalue() == "peel: error: no such option: --nope\n"  # type: ignore[attr-defined]


TABLES = [
    {"show_edge": False, "pad_edge": False},  # peel's tables
    {"box": "SIMPLE_HEAD", "show_edge": False, "pad_edge": False, "collapse_padding": True},
    {},
    {"box": "ROUNDED", "padding": (0, 2)},
    {"box": None, "padding": (1, 1, 0, 3)},
    {"box": "SIMPLE_HEAD", "pad_edge": False, "collapse_padding": True, "padding": (0, 2)},
]


@pytest.mark.parametrize("settings", TABLES, ids=[str(t) for t in TABLES])
@pytest.mark.parametrize("count", [1, 2, 4])
def test_peel_knows_the_width_rich_adds_to_a_tables_cells(
    settings: dict[str, object], count: int
) -> None:
    # peel shares a table's width out itself (render.terminal.column_widths), so it must
    # know what rich adds to the cells: rules and padding. It works that out from the
    # table's public settings rather than rich's private helpers; this fails when rich lays
    # tables out otherwise. The width rich adds is measured here from what it draws: a
    # table of three-character cells.
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    from peelcli.render.terminal import table_frame

    chosen = dict(settings)
    if isinstance(chosen.get("box"), str):
        chosen["box"] = getattr(box, str(chosen["box"]))
    table = Table(**chosen)  # type: ignore[arg-type]
    for _ in range(count):
        table.add_column("", min_width=3)
    table.add_row(*["xxx"] * count)
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(table)
    (drawn,) = [line for line in console.file.getvalue().splitlines() if "x" in line]  # type: ignore[attr-defined]
    assert table_frame(table) == len(drawn) - 3 * count, drawn
