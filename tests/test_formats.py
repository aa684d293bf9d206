"""The JSON writer: byte for byte what json.dumps(indent=2) writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelcli.render.formats import dumps

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "\x00\x1f\x7f", "‘’“”—", "\ud800", "é\u2028\u2029", '"\\/', "日本"]
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
PLAIN = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=30,
)


@given(PLAIN, st.booleans())
def test_plain_data_is_written_as_json_dumps_writes_it(data: Any, ensure_ascii: bool) -> None:
    assert dumps(data, ensure_ascii) == json.dumps(data, ensure_ascii=ensure_ascii, indent=2)


@pytest.mark.parametrize(
    "data",
    [
        {"float": 1.5},
        [float("nan"), 1e300],
        {1: "a number as a key"},
        {"nested": [{"a": {True: None}}]},
        {"enum-like": type("Text", (str,), {})("a str subclass")},
        [type("Number", (int,), {})(3)],
    ],
)
def test_anything_else_is_left_to_json_dumps(data: Any) -> None:
    for ensure_ascii in (True, False):
        assert dumps(data, ensure_ascii) == json.dumps(data, ensure_ascii=ensure_ascii, indent=2)


def test_a_cycle_fails_as_json_dumps_fails() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(loop, True)


@pytest.mark.parametrize(
    "rows",
    [
        [{"a%s": "x", "b": 1}, {"a%s": None, "b": -2}],  # a key that looks like a format
        [{"a": 1}, {"b": 1}],  # other keys: not a table
        [{"a": 1}, {"a": 1.5}],  # a value of another kind
        [{"a": "x"}, ["not", "a", "record"]],
        [{}, {}],
        [{"a": ["x", "y"], "b": []}, {"a": ["z"], "c": [1, "x"]}, {"a": [["x"]]}],
        [{"a": "x", "t": True}, {"a": "y", "p": ["q%s"]}, {"a": "z", "d": {"e": ["f"]}}],
        [{"{a}": "{x}", "b\\": '"'}, {"{a}": "}{", "b\\": "{0}"}],  # braces, quotes, backslashes
    ],
)
def test_table_rows_are_written_as_json_dumps_writes_them(rows: list[Any]) -> None:
    for ensure_ascii in (False, True):
        assert dumps(rows, ensure_ascii) == json.dumps(rows, ensure_ascii=ensure_ascii, indent=2)


@given(st.lists(st.dictionaries(TEXT, PLAIN, max_size=4), min_size=2, max_size=4), st.booleans())
def test_records_of_any_keys_are_written_as_json_dumps_writes_them(
    rows: list[Any], ensure_ascii: bool
) -> None:
    assert dumps(rows, ensure_ascii) == json.dumps(rows, ensure_ascii=ensure_ascii, indent=2)


@given(
    st.lists(st.dictionaries(TEXT, PLAIN, max_size=3), max_size=7)
    | st.dictionaries(TEXT, st.lists(PLAIN, max_size=7) | PLAIN, max_size=3),
    st.booleans(),
)
def test_a_document_written_in_batches_is_the_same_text(data: Any, ensure_ascii: bool) -> None:
    import io

    from peelcli.env import Environment
    from peelcli.render import formats
    from peelcli.render.sanitize import clean_json

    out = io.StringIO()
    batch = formats.BATCH
    formats.BATCH = 2  # several batches in a small document
    try:
        formats.write_json(Environment(stdout=out), data)
        written = formats.dumps(data, ensure_ascii)
    finally:
        formats.BATCH = batch
    expected = json.dumps(data, ensure_ascii=ensure_ascii, indent=2)
    assert written == expected
    # A StringIO names no encoding: what it is given must be ASCII.
    assert out.getvalue() == clean_json(json.dumps(data, ensure_ascii=True, indent=2)) + "\n"


@given(
    st.lists(st.dictionaries(TEXT, PLAIN, max_size=3), max_size=7)
    | st.dictionaries(TEXT, st.lists(PLAIN, max_size=7) | PLAIN, max_size=3),
)
def test_a_document_cleaned_record_by_record_is_cleaned_as_a_whole(data: Any) -> None:
    # Most records are ASCII and skip the sanitiser's pattern: none may skip a character it
    # escapes (DEL, C1 controls, bidirectional and invisible characters, lone surrogates).
    import io

    from peelcli.env import Environment
    from peelcli.render import formats
    from peelcli.render.sanitize import clean_json

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    batch = formats.BATCH
    formats.BATCH = 2
    try:
        formats.write_json(Environment(stdout=out), data)
    finally:
        formats.BATCH = batch
    out.seek(0)
    expected = clean_json(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    assert out.read() == expected


def test_recurring_text_in_a_table_is_quoted_once() -> None:
    from json.encoder import encode_basestring

    from peelcli.render.formats import _flat_records

    quoted: list[str] = []

    def quote(text: str) -> str:
        quoted.append(text)
        return encode_basestring(text)

    rows = [{"force": "Kent", "text": f"finding {n}", "year": 2016} for n in range(50)]
    written = _flat_records(rows, "  ", quote)
    assert written is not None
    assert "[\n  " + ",\n  ".join(written) + "\n]" == json.dumps(rows, indent=2)
    # Each key once, "Kent" once, and each finding's own text.
    assert sorted(quoted) == sorted(["force", "text", "year", "Kent"] + [r["text"] for r in rows])


def test_recurring_text_in_a_table_is_cleaned_once() -> None:
    from json.encoder import encode_basestring

    from peelcli.render.formats import _flat_records
    from peelcli.render.sanitize import clean_json

    cleaned: list[str] = []

    def clean(text: str) -> str:
        cleaned.append(text)
        return clean_json(text)

    rows = [{"force": "Kent\x9b", "text": f"finding {n}\u202e"} for n in range(50)]
    written = _flat_records(rows, "  ", encode_basestring, clean)
    assert written is not None
    whole = clean_json(json.dumps(rows, indent=2, ensure_ascii=False))
    assert "[\n  " + ",\n  ".join(written) + "\n]" == whole
    # The two keys' pieces, "Kent" once and each finding's own text.
    assert len(cleaned) == 2 + 1 + len(rows)
