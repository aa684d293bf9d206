"""The tracker's YAML: read strictly and fast (libyaml where installed), problems placed by
line and column, and written by hand in a fixed layout that diffs well."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, ClassVar

import yaml

from peelcli.errors import PeelError, Problem, quoted
from peelcli.text import INVISIBLE
from peelcli.tracking.model import HEADER, Tracker

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc]
    """YAML with text, whole numbers, true/false and null only: a date stays its text, and a
    key given twice is an error rather than the last one winning."""

    yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {}

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    None, None, "keys must be plain text", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {quoted(key)}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


for _first, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, regexp)
        for tag, regexp in _resolvers
        if tag.endswith((":null", ":int", ":bool")) and not tag.endswith(":float")
    ]
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
for _first in list(_Loader.yaml_implicit_resolvers):
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, regexp)
        for tag, regexp in _Loader.yaml_implicit_resolvers[_first]
        if not (tag.endswith(":bool") and regexp.pattern.find("yes") >= 0)
    ]


def parse(text: str, name: str) -> Any:
    """Plain data from the tracker's text; one problem with its line and column."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join((exc.problem or exc.context or "invalid YAML").split())
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise PeelError(Problem(f"invalid YAML: {what}", name, line, column)) from None
    except yaml.YAMLError as exc:
        raise PeelError(Problem(f"invalid YAML: {' '.join(str(exc).split())}", name)) from None
    except RecursionError:
        raise PeelError(Problem("nesting too deep", name)) from None


def locate_errors(text: str, name: str, errors: Sequence[Any]) -> list[Problem]:
    """Each validation error with the line and column of the value (or key) it is about."""
    root = yaml.compose(text, Loader=_Loader)
    problems = []
    for err in errors:
        loc = tuple(err["loc"])
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        kind = err.get("type")
        if kind == "extra_forbidden":
            message = f"unknown field {quoted(loc[-1])}"
        elif kind == "missing":
            message = "missing required field"
        elif kind == "enum":
            message = (
                f"{quoted(err.get('input'))} is not one of {err.get('ctx', {}).get('expected', '')}"
            )
        node = _node_at(root, loc, key=err.get("key", kind == "extra_forbidden"))
        path = ".".join(str(part) for part in loc)
        if node is None:
            problems.append(Problem(message, name, path=path))
        else:
            mark = node.start_mark
            problems.append(Problem(message, name, mark.line + 1, mark.column + 1, path))
    return problems


def _node_at(node: Any, loc: Sequence[Any], key: bool) -> Any:
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    node = key_node if key and last else value_node
                    break
            else:
                return node
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            return node
    return node


# --- writing ------------------------------------------------------------------------

# Text written bare where every YAML reader reads it back as the same text.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()+-]*")
_WORDS_OF_YAML = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf"}
# Characters a YAML reader refuses or reads as line breaks, and invisible ones: escaped.
_ESCAPE = re.compile(f"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff{INVISIBLE}]")


def scalar(value: str | int | None) -> str:
    """A value as the tracker writes it: bare where safe, else a double-quoted string."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.fullmatch(value) and not value.endswith(" ") and value.lower() not in _WORDS_OF_YAML:
        return value
    quoted_text = json.dumps(value, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted_text)


def _key(value: str) -> str:
    return (
        value
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", value) and ":" not in value
        else scalar(value)
    )


def _changes(history: Sequence[Any], indent: str) -> list[str]:
    lines = []
    for change in history:
        lines.append(f"{indent}- at: {scalar(change.at)}")
        lines.append(f"{indent}  by: {scalar(change.by)}")
        lines.append(f"{indent}  comment: {scalar(change.comment)}")
        if change.changes:
            lines.append(f"{indent}  changes:")
            lines.extend(f"{indent}    {_key(k)}: {scalar(v)}" for k, v in change.changes.items())
    return lines


def dump(tracker: Tracker) -> str:
    """The tracker as YAML: entries sorted by key, fields in a fixed order, no empty ones."""
    out = [HEADER.rstrip("\n"), f"version: {tracker.version}"]
    out.append("responses:" if tracker.responses else "responses: {}")
    for key in sorted(tracker.responses):
        response = tracker.responses[key]
        out.append(f"  {_key(key)}:")
        for field in ("published", "url"):
            value = getattr(response, field)
            if value is not None:
                out.append(f"    {field}: {scalar(value)}")
        if response.history:
            out.append("    history:")
            out.extend(_changes(response.history, "    "))
    out.append("entries:" if tracker.entries else "entries: {}")
    for key in sorted(tracker.entries):
        entry = tracker.entries[key]
        out.append(f"  {_key(key)}:")
        out.append(f"    fingerprint: {scalar(entry.fingerprint)}")
        out.append(f"    status: {scalar(entry.status.value)}")
        if entry.register_status is not None:
            out.append(f"    register_status: {scalar(entry.register_status.value)}")
        for field in ("owner", "due", "revised_due", "reason"):
            value = getattr(entry, field)
            if value is not None:
                out.append(f"    {field}: {scalar(value)}")
        if entry.evidence:
            out.append("    evidence:")
            out.extend(f"    - {scalar(item)}" for item in entry.evidence)
        if entry.history:
            out.append("    history:")
            out.extend(_changes(entry.history, "    "))
    return "\n".join(out) + "\n"
