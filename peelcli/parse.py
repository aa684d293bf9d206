"""YAML text to a validated Report: strict, safe parsing and errors with their positions.

Imported only when a file is not in the cache, so a cached run never loads PyYAML.
YAML is read safely and strictly: only strings, decimal integers, true/false, null,
lists and mappings; no aliases, no other tags, no duplicate keys, no YAML 1.1
surprises (``NO`` stays the text "NO", ``2016-13-45`` stays text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from peelcli.errors import PeelError, Problem
from peelcli.models import Report, id_problems

MAX_DEPTH = 64

# --- YAML --------------------------------------------------------------------------


class _Resolver(BaseResolver):
    """YAML 1.2 core-schema plain scalars, minus floats: null, true/false, decimal integers."""

    # The composer calls these three for every node. BaseResolver's spend most of their
    # time on path resolvers, which peel has none of; without them, this is what they do.
    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node: Node | None, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)


class _Composer(Reader, Scanner, Parser, Composer, _Resolver):
    """PyYAML's pure-Python parser: its error messages are the ones peel shows."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)


_FastComposer: type[Any] | None
try:  # libyaml's parser, ~20x faster. (yaml itself has no CParser: it is in yaml._yaml.)
    from yaml._yaml import CParser

    class _CComposer(CParser, _Resolver):
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _Resolver.__init__(self)

    _FastComposer = _CComposer
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _FastComposer = None


class _YamlProblem(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


_TAG = "tag:yaml.org,2002:"


def parse_yaml(text: str, name: str) -> tuple[Any, Node]:
    """Plain data and its node tree (for error positions) from one YAML document."""
    _refuse_deep_nesting(text, name)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise PeelError(Problem(f"invalid YAML: {what}", name, line, column)) from None
    except yaml.YAMLError as exc:
        raise PeelError(Problem(f"invalid YAML: {_one_line(str(exc))}", name)) from None
    except RecursionError:
        raise PeelError(Problem(f"nesting deeper than {MAX_DEPTH} levels", name)) from None
    if node is None:
        raise PeelError(Problem("is empty; a report file holds one YAML mapping", name))
    try:
        return _build(node, set(), 0), node
    except _YamlProblem as exc:
        mark = exc.node.start_mark
        raise PeelError(Problem(exc.message, name, mark.line + 1, mark.column + 1)) from None


def _compose(text: str) -> Node | None:
    # libyaml when it is there; where it finds fault, the pure-Python parser parses again so
    # that what a person reads (and what is accepted) does not depend on how PyYAML was built.
    if _FastComposer is not None:
        try:
            return _compose_with(_FastComposer, text)
        except yaml.YAMLError:
            pass
    return _compose_with(_Composer, text)


def _compose_with(kind: type[Any], text: str) -> Node | None:
    composer = kind(text)
    try:
        node: Node | None = composer.get_single_node()
    finally:
        composer.dispose()
    return node


def _refuse_deep_nesting(text: str, name: str) -> None:
    # Each level of nesting needs a '[' or '{', or indentation or a '- ', '? ', ': '
    # at the start of a line. When that bound is small (any real report) skip the
    # exact check; otherwise count depth over the event stream, which, unlike the
    # composer, holds no recursion that a deep document could exhaust.
    # The bound is brackets + 2 * (longest such line start + 1); rather than measure every
    # line start (a seventh of the time of parsing a report), look for one that is too long.
    brackets = text.count("[") + text.count("{")
    room = (MAX_DEPTH - brackets) // 2 - 1  # the longest line start within the bound
    if room >= 0 and not _line_starts_with(text, f"[ \t?:-]{{{room + 1}}}"):
        return
    depth = 0
    loader = (_FastComposer or _Composer)(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise PeelError(
                        Problem(
                            f"nesting deeper than {MAX_DEPTH} levels; a report needs fewer than 10",
                            name,
                            mark.line + 1 if mark else None,
                            mark.column + 1 if mark else None,
                        )
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the real parse reports it, with its position
    finally:
        loader.dispose()


def _line_starts_with(text: str, pattern: str) -> bool:
    # "\n" first, so that the search skips from line to line instead of trying every place.
    return re.match(pattern, text) is not None or re.search("\n" + pattern, text) is not None


def _build(node: Node, seen: set[int], depth: int) -> Any:
    # A node met twice is an alias: refused, which also defuses "billion laughs".
    if id(node) in seen:
        raise _YamlProblem("YAML aliases (*name) are not supported; write the value out", node)
    if depth > MAX_DEPTH:
        raise _YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", node)
    seen.add(id(node))
    tag = node.tag
    if isinstance(node, ScalarNode):
        return _scalar(node, tag)
    if isinstance(node, SequenceNode):
        if tag != _TAG + "seq":
            raise _YamlProblem(f"unsupported tag {_short(tag)}", node)
        return [_build(item, seen, depth + 1) for item in node.value]
    if not isinstance(node, MappingNode) or tag != _TAG + "map":
        raise _YamlProblem(f"unsupported tag {_short(tag)}; only plain mappings", node)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if id(key_node) in seen:
            raise _YamlProblem(
                "YAML aliases (*name) are not supported; write the value out", key_node
            )
        if not isinstance(key_node, ScalarNode) or key_node.tag != _TAG + "str":
            raise _YamlProblem("keys must be plain text", key_node)
        key = key_node.value
        if key in result:
            raise _YamlProblem(f"duplicate key {key!r}", key_node)
        seen.add(id(key_node))
        result[key] = _build(value_node, seen, depth + 1)
    return result


def _scalar(node: ScalarNode, tag: str) -> Any:
    value = node.value
    if tag == _TAG + "str":
        return value
    if tag == _TAG + "int":
        if re.fullmatch(r"[-+]?[0-9]+", value) and len(value) <= 20:
            return int(value)
        raise _YamlProblem(f"{value!r} is not a decimal integer", node)
    if tag == _TAG + "null":
        if value in ("", "~", "null", "Null", "NULL"):
            return None
        raise _YamlProblem(f"{value!r} is not null", node)
    if tag == _TAG + "bool":
        if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return value.lower() == "true"
        raise _YamlProblem(f"{value!r} is not true or false", node)
    raise _YamlProblem(
        f"unsupported tag {_short(tag)}; a report holds text, whole numbers, lists, mappings",
        node,
    )


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- validation --------------------------------------------------------------------


def validate_data(data: Any, node: Node, name: str) -> Report:
    """A Report from parsed data, or a PeelError listing every problem with its position."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        found = {list: "a list", str: "text", int: "a number"}.get(type(data), "a value")
        raise PeelError(
            Problem(f"expected a mapping of report fields at top level, found {found}", name, 1, 1)
        )
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        problems = [_validation_problem(err, node, name) for err in exc.errors()]
        raise PeelError(problems) from None
    problems = [
        _problem_at(node, _parse_path(path), message, name, path)
        for path, message in id_problems(report)
    ]
    if problems:
        raise PeelError(problems)
    return report


def _validation_problem(err: Any, root: Node, name: str) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    given = err.get("input")
    if kind == "enum" and isinstance(given, str) and loc and loc[-1] == "grade":
        from peelcli.models import grade_choices

        message = f"{given!r} is not a grade; expected one of {grade_choices()}"
    elif kind == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
        path = _format_path(loc)
        return _problem_at(root, loc, message, name, path, key=True)
    elif kind == "missing":
        message = "missing required field"
    else:
        message = err["msg"]
        if given is not None and not isinstance(given, (dict, list)):
            message += f" (found {given!r})"
    return _problem_at(root, loc, message, name, _format_path(loc))


def _problem_at(
    root: Node, loc: Sequence[str | int], message: str, name: str, path: str, key: bool = False
) -> Problem:
    node = _node_at(root, loc, key)
    mark = node.start_mark if node is not None else None
    if mark is None:
        return Problem(message, name, path=path)
    return Problem(message, name, mark.line + 1, mark.column + 1, path)


def _node_at(node: Node, loc: Sequence[str | int], key: bool) -> Node | None:
    """The node at a field path; the deepest one that exists for a missing field."""
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node = key_node if key and last else value_node
                    break
            else:
                return node
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _format_path(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _parse_path(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", path)]
