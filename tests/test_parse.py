"""YAML parsing: libyaml where it is installed, with the words and verdicts of PyYAML's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATASET

from peelcli.dataset import parse
from peelcli.errors import PeelError

GOOD = DATASET.read_text(encoding="utf-8")

BROKEN = [
    "force: [unclosed\n",
    "a: b: c\n",
    "a:\n\tb: c\n",
    "- a\nb: c\n",
    "a: *nope\n",
    "%YAML 2.0\n---\na: 1\n",
    "{a: 1,, b: 2}\n",
    "a: |\n  x\n b\n",
    'a: "\\q"\n',
    "a: @x\n",
    "a: 'x' y\n",
    "a: \x07\n",
    "a: 1\n---\nb: 2\n",
    "force: &f A\nyear: 2016\ninspectorate: *f\n",
    "year: !!timestamp 2016-13-45\n",
    "[" * 100 + "]" * 100,
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 80)),
    GOOD.replace("  - id: E2", "\t- id: E2"),
    GOOD[:5000],
    GOOD.replace("grade: good", "grade: [good"),
]
VALID = [
    GOOD,
    "a: NO\nb: 2016-13-45\nc: ~\nd: true\ne: '1'\nf: -7\ng: 1.5\nh: null\ni:\n",
    "a: [1, {b: c}]\n? d\n: e\n",
    "[" * 30 + "]" * 30,
]


def outcome(text: str) -> tuple[str, Any]:
    try:
        data = parse.parse_yaml(text, "r.yaml")
    except PeelError as exc:
        return "error", str(exc)
    node = parse.node_tree(text)
    marks = []
    stack = [node]
    while stack:
        item = stack.pop()
        marks.append((item.tag, item.start_mark.line, item.start_mark.column))
        if isinstance(item.value, list):
            for value in item.value:
                stack.extend(value if isinstance(value, tuple) else [value])
    return "data", (data, marks)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
def test_libyaml_is_used_when_installed() -> None:
    assert parse._FastComposer is not None
    assert issubclass(parse._FastComposer, yaml.CBaseLoader)


@pytest.mark.parametrize("text", BROKEN + VALID)
def test_with_or_without_libyaml_the_outcome_is_the_same(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_libyaml = outcome(text)
    monkeypatch.setattr(parse, "_FastComposer", None)
    assert outcome(text) == with_libyaml


def test_broken_yaml_keeps_pure_python_wording() -> None:
    kind, message = outcome("force: [unclosed\n")
    assert kind == "error"
    assert message == "r.yaml:2:1: invalid YAML: expected ',' or ']', but got '<stream end>'"


@pytest.mark.parametrize("depth", [31, 32, 33, 63, 64, 65, 100])
def test_nesting_limit_is_exact(depth: int) -> None:
    flow = "[" * depth + "]" * depth
    block = "a:\n" + "".join("  " * i + "- \n" for i in range(1, depth))
    for text in (flow, block):
        kind, _ = outcome(text)
        assert kind == ("error" if depth > parse.MAX_DEPTH else "data"), (depth, text[:20])


# --- the event reader against the reference reader ---------------------------------------


def typed(value: Any) -> str:
    """Data with its types showing: True and 1 differ, and so do the orders of keys."""
    return repr(value)


def reference_outcome(text: str) -> tuple[str, str]:
    try:
        return "data", typed(parse.reference_yaml(text, "r.yaml"))
    except PeelError as exc:
        return "error", str(exc)


def fast_outcome(text: str) -> tuple[str, str]:
    try:
        return "data", typed(parse.parse_yaml(text, "r.yaml"))
    except PeelError as exc:
        return "error", str(exc)


IRREGULAR = [
    "a: 1\nb: 2\na: 3\n",
    "1: a\n",
    "null: a\n",
    "? [a]\n: b\n",
    "a: &x b\nc: *x\n",
    "a: &x b\nc: &x d\n",  # an anchor given twice, though never used
    "&0\r&0::",
    "a: !!int '12'\n",
    "a: !!str 12\nb: ! 12\nc: ! '12'\n",
    "a: !!binary aGk=\n",
    "a: !foo b\n",
    "a: !!seq [b]\nc: !!map {d: e}\n",
    "a: 123456789012345678901\n",
    "a: 0x1F\nb: 0o17\nc: 1_000\nd: +12\ne: 012\nf: -0\ng: .inf\nh: yes\n",
    "- a\n",
    "just text\n",
    "",
    "# only a comment\n",
    "a: 1\n...\n",
    "--- \na: 1\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: b\n---\nc: d\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 66)),
    "{a: [" + "[" * 70 + "]" * 70 + "]}",
    "a: [" + ", ".join(["x"] * 1000) + "]\n",
]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("text", BROKEN + VALID + IRREGULAR)
def test_the_event_reader_gives_the_reference_outcome(text: str) -> None:
    assert fast_outcome(text) == reference_outcome(text)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
def test_the_event_reader_reads_a_value_too_many_or_a_level_too_deep_as_the_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parse, "MAX_VALUES", 50)
    many = "a: [" + ", ".join(["x"] * 60) + "]\n"
    assert fast_outcome(many) == reference_outcome(many)
    assert fast_outcome(many)[0] == "error"
    limit = "a: [" + ", ".join(["x"] * 47) + "]\n"  # the mapping, the key, the list: 50
    assert fast_outcome(limit) == reference_outcome(limit) == ("data", typed({"a": ["x"] * 47}))


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
def test_the_event_reader_reads_the_benchmark_corpus_itself_as_the_reference_does() -> None:
    # The regular case must not fall back: that is where the time goes.
    import sys

    from conftest import ROOT

    from peelcli.dataset import events

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    texts = [GOOD] + [corpus.render(i, slot)[1] for i, slot in enumerate(corpus.slots()[:120], 1)]
    for text in texts:
        data = events.read(yaml.CBaseLoader, text, parse.MAX_DEPTH, parse.MAX_VALUES)
        assert typed(data) == typed(parse.reference_yaml(text, "r.yaml"))


# --- the event reader, reading bytes ----------------------------------------------------

ODD_BYTES = [
    b"\xef\xbb\xbf" + GOOD.encode(),  # UTF-8's byte order mark, which decoding takes off
    b"\xef\xbb\xbf\xef\xbb\xbfa: 1\n",
    "a: 1\n".encode("utf-16"),
    "a: 1\n".encode("utf-16-be"),
    b"\xfe\xff\x00a\x00:\x00 \x001\x00\n",
    b"a: b\x00c\n",
    b"a: \x00\n",
    b"a: caf\xe9\n",  # Latin-1
    b"a: \xed\xa0\x80\n",  # a surrogate, encoded
    b"a: \xc0\xaf\n",  # an overlong '/'
    b"a: \xf4\x90\x80\x80\n",  # beyond U+10FFFF
    b"a: \xf8\x88\x80\x80\x80\n",
    b"a: \xe2\x80\n",  # cut short
    b"a: \xef\xbf\xbe\n",  # U+FFFE, a noncharacter
    b"a: \xc2\x85b\n",  # NEL
    b"a: \xe2\x80\xa8b\n",  # LINE SEPARATOR
    "a: ‘quoted’ — dash\nb: [日本, 'é']\n".encode(),
]


def bytes_outcome(data: bytes) -> tuple[str, str] | None:
    """What the loader makes of a file's bytes when the event reader reads them itself."""
    found = parse.regular_data(data)
    return None if found is None else ("data", typed(found))


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("yaml_rs", [True, False], ids=["yaml-rs first", "libyaml alone"])
@pytest.mark.parametrize("data", [t.encode() for t in BROKEN + VALID + IRREGULAR] + ODD_BYTES)
def test_the_event_reader_reads_bytes_as_the_reference_reads_their_text(
    data: bytes, yaml_rs: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peelcli.dataset import yamlrs
    from peelcli.dataset.files import decode

    if not yaml_rs:
        monkeypatch.setattr(yamlrs, "loads", None)

    read = bytes_outcome(data)
    try:
        text = decode(data, "r.yaml")
    except PeelError:
        assert read is None  # what decoding refuses, the bytes' reader refuses too
        return
    assert read is None or read == reference_outcome(text)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
def test_regular_files_are_read_from_their_bytes() -> None:
    assert bytes_outcome(GOOD.encode()) == reference_outcome(GOOD)
    assert bytes_outcome("a: ‘quoted’ — dash\n".encode()) == (
        "data",
        typed({"a": "‘quoted’ — dash"}),
    )


# --- room to validate ---------------------------------------------------------------------


@pytest.mark.parametrize("limited", [False, True])
def test_room_to_validate_is_looked_for_only_where_an_allocation_can_fail(
    limited: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mmap

    from peelcli import errors
    from peelcli.dataset import loader, validation
    from peelcli.dataset.files import Source

    reserved: list[int] = []
    real = mmap.mmap

    def counted(fileno: int, length: int, *args: Any, **kwargs: Any) -> Any:
        reserved.append(length)
        return real(fileno, length, *args, **kwargs)

    monkeypatch.setattr(mmap, "mmap", counted)
    monkeypatch.setattr(errors, "memory_limited", lambda: limited)
    errors.allocations_can_fail.cache_clear()
    try:
        for _ in range(3):
            loader.parse_report(Source("r.yaml", GOOD.encode()))
    finally:
        errors.allocations_can_fail.cache_clear()
    overcommit = Path("/proc/sys/vm/overcommit_memory")
    strict = overcommit.exists() and overcommit.read_text().strip() == "2"
    assert reserved == ([validation.VALIDATION_ROOM] * 3 if limited or strict else [])
