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
