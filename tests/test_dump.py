"""Dataset YAML: libyaml's emitter writes exactly what PyYAML's own writes, or is not used."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import DATASET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcli.dataset import dump
from peelcli.dataset.dump import dump_data, dump_report, report_to_data
from peelcli.dataset.loader import load_reports

pytestmark = pytest.mark.skipif(
    not yaml.__with_libyaml__, reason="PyYAML was built without libyaml"
)

# Text of the Basic Multilingual Plane, which both emitters write alike, with the pieces a
# YAML writer must take care over: quotes, comments, indicators, line breaks of every kind,
# invisible and control characters, long words and long runs of wide characters.
TEXT = st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0xFFFF), max_size=300) | (
    st.sampled_from(
        [
            " a",
            "a ",
            "#x",
            "a: b",
            "- x",
            "0129",
            "yes",
            "null",
            "~",
            "'q'",
            '"',
            "\t x",
            "x\n\ny",
            "x\n",
            "é\u2028\u2029\x85",
            "\ufeffx",
            "\u202ex",
            "a" * 200,
            ("word " * 50).strip(),
            "x\r\ny",
            "\x00\x1f\x7f\x9b",
            "a\u00a0b",
            "日本語の文章" * 40,
            "a  b" * 30,
        ]
    )
)
KEY = st.sampled_from(["id", "text", "summary", "title", "force", "year", "pillars"])
DATA = st.recursive(
    TEXT | st.integers(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=4),
    max_leaves=20,
)


def written(data: Any, base: Any) -> str:
    try:
        return dump_data(data, base)
    except yaml.YAMLError as exc:
        return type(exc).__name__


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEY, DATA, max_size=5))
def test_libyaml_writes_what_pyyaml_writes(data: dict[str, Any]) -> None:
    assert written(data, yaml.CSafeDumper) == written(data, yaml.SafeDumper)


def test_the_shipped_report_is_written_alike() -> None:
    data = report_to_data(load_reports([DATASET], use_cache=False)[0])
    assert dump_data(data, yaml.CSafeDumper) == dump_data(data, yaml.SafeDumper)


def test_text_beyond_u_ffff_goes_to_pyyaml_whose_output_is_the_reference() -> None:
    (report,) = load_reports([DATASET], use_cache=False)
    changed = report.model_copy(update={"title": "PEEL 2016 \U0001f600"})
    data = report_to_data(changed)
    assert dump_data(data, yaml.CSafeDumper) != dump_data(data, yaml.SafeDumper)
    assert dump_report(changed) == dump_data(data, yaml.SafeDumper)
    assert "PEEL 2016 \U0001f600" in dump_report(changed)
    assert dump._astral(data) and not dump._astral(report_to_data(report))
