"""Write a report as dataset YAML, in the layout and key order of the shipped dataset."""

from __future__ import annotations

import re
from typing import Any

from peelcli.models import Report
from peelcli.text import INVISIBLE

_INVISIBLE = re.compile(f"[{INVISIBLE}]")

HEADER = "# A peel dataset: one PEEL inspection report. Format: docs/dataset.md\n"


def report_to_data(report: Report) -> dict[str, Any]:
    """The report as plain data in field order, leaving out absent values and empty lists."""
    data: dict[str, Any] = _prune(report.model_dump(mode="json"))
    return data


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def dump_report(report: Report) -> str:
    """The report as dataset YAML: UTF-8 text, keys in model order, long lines folded."""
    import yaml

    # libyaml's emitter, of which PyYAML's own is a port, writes the same text many times
    # faster (a test holds the two to the same output), except that it escapes characters
    # beyond U+FFFF, which PyYAML writes as they are: text with one goes to PyYAML's.
    data = report_to_data(report)
    fast = getattr(yaml, "CSafeDumper", None)
    return dump_data(data, yaml.SafeDumper if fast is None or _astral(data) else fast)


def _astral(value: Any) -> bool:
    """Whether any text in the data has a character beyond U+FFFF."""
    if isinstance(value, str):
        return bool(value) and max(value) > "\uffff"
    if isinstance(value, dict):
        return any(_astral(k) or _astral(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_astral(v) for v in value)
    return False


def dump_data(data: Any, base: Any) -> str:
    """Plain report data as dataset YAML, written by a dumper of the given base class."""
    import yaml

    class Dumper(base):  # type: ignore[misc]
        """Quotes whatever peel's loader would not read back as the same text."""

    # The loader reads "0129" as a number (YAML 1.2); YAML 1.1, which the dumper
    # follows, does not, so it would leave it unquoted.
    Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), None)

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        # NEL and the Unicode line separators are line breaks to a YAML reader: outside
        # double quotes they come back as newlines or spaces, so escape them. Invisible
        # characters (bidi controls above all, which reorder what an editor shows) go in
        # double quotes too, to be written as escapes below.
        unsafe = any(c in value for c in "\x85\u2028\u2029") or _INVISIBLE.search(value)
        return dumper.represent_scalar(
            "tag:yaml.org,2002:str", value, style='"' if unsafe else None
        )

    Dumper.add_representer(str, text)
    body = yaml.dump(
        data,
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=96,
        indent=2,
        default_flow_style=False,
    )
    # PyYAML writes these raw even in double quotes (it deems them printable); in the
    # double-quoted scalars they can only be in, an escape reads back as the same character.
    return HEADER + _INVISIBLE.sub(_escape, body)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
