"""YAML text to plain data: strict, safe parsing and errors with their positions.

Imported only when a file is not in the cache, so a cached run never loads PyYAML; the data
is validated into a Report by :mod:`peelcli.dataset.validation`.
YAML is read safely and strictly: only strings, decimal integers, true/false, null,
lists and mappings; no aliases, no other tags, no duplicate keys, no YAML 1.1
surprises (``NO`` stays the text "NO", ``2016-13-45`` stays text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from peelcli.dataset import events, yamlrs
from peelcli.dataset.bounds import surely_within
from peelcli.errors import PeelError, Problem, quoted

MAX_DEPTH = 64
MAX_VALUES = 100_000  # the shipped report holds about 200
# A mapping with none of a report's required fields at its top is some other file (a
# config file, /proc/self/status through a symlink): said in one line that quotes none of
# it, not even its keys, which can be secrets' names and end up in CI logs.
DATASET_KEYS = ("force", "year", "inspectorate", "programme", "title", "pillars", "areas")
NOT_A_DATASET = "is not a peel dataset: its top level has none of the fields " + ", ".join(
    DATASET_KEYS
)
TRACKER_KEYS = frozenset({"version", "entries"})  # a tracker file's top (peelcli.tracking)
A_TRACKER = "is a peel tracker, not a report: keep it apart from the reports it tracks"

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
_EventReader: type[Any] | None
if yaml.__with_libyaml__:  # libyaml's parser, written in C, through PyYAML's public loader

    class _CComposer(_Resolver, yaml.CBaseLoader):
        def __init__(self, text: str) -> None:
            yaml.CBaseLoader.__init__(self, text)

    _FastComposer = _CComposer
    _EventReader = yaml.CBaseLoader
else:  # pragma: no cover - depends on how PyYAML was built
    _FastComposer = _EventReader = None


class _YamlProblem(Exception):
    def __init__(self, message: str, node: Node, quotes: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.node = node
        self.quotes = quotes  # the message quotes the file: a key, a value or a tag


_TAG = "tag:yaml.org,2002:"
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_yaml(text: str, name: str) -> Any:
    """Plain data from one YAML document, or a PeelError naming the line and column at fault."""
    if _EventReader is not None:
        try:
            return events.read(_EventReader, text, MAX_DEPTH, MAX_VALUES)
        except events.Irregular:
            pass
    return reference_yaml(text, name)


# Bytes that libyaml would read as other than plain UTF-8: UTF-16's byte order marks, and
# UTF-8's, which decode() takes off before the text is read.
_MARKS = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")


def regular_data(data: bytes) -> dict[str, Any] | None:
    """The mapping a regular report file holds, read straight from its bytes by yaml-rs where
    the file suits it (:mod:`peelcli.dataset.yamlrs`), otherwise by libyaml; None for a file
    that is not regular or not plain UTF-8 text, which the caller decodes and reads with
    :func:`parse_yaml` (whose verdict and words peel gives).

    libyaml refuses every byte sequence that decoding refuses (invalid UTF-8, a NUL), so
    what it reads here is exactly what it would read from the decoded text.
    """
    if data.startswith(_MARKS):
        return None
    found = yamlrs.read(data, MAX_DEPTH, MAX_VALUES)  # the quickest, for the files it suits
    if found is not None or _EventReader is None:
        return found
    try:
        return events.read(_EventReader, data, MAX_DEPTH, MAX_VALUES)
    except events.Irregular:
        return None


def node_tree(text: str) -> Node | None:
    """The node tree of a document that parses, for the positions of fields."""
    return _compose(text)[0]


def reference_yaml(text: str, name: str) -> Any:
    """Plain data from one YAML document through PyYAML's node tree: the reader whose verdicts
    and words peel gives, and which :func:`parse_yaml` hands every irregular file to."""
    _refuse_deep_or_sprawling(text, name)
    try:
        node, by_libyaml = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = _one_line(exc.problem or exc.context or "invalid YAML")
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if exc.problem == "but found another document":
            message = "holds more than one YAML document ('---'); a report file holds one"
            raise PeelError(Problem(message, name, line, column)) from None
        raise PeelError(Problem(f"invalid YAML: {what}", name, line, column)) from None
    except yaml.reader.ReaderError as exc:
        raise _unacceptable_character(exc, text, name) from None
    except yaml.YAMLError as exc:
        raise PeelError(Problem(f"invalid YAML: {_one_line(str(exc))}", name)) from None
    except RecursionError:
        raise PeelError(Problem(f"nesting deeper than {MAX_DEPTH} levels", name)) from None
    if node is None:
        raise PeelError(Problem("is empty; a report file holds one YAML mapping", name))
    try:
        return _Builder(text, by_libyaml).build(node, 0)
    except _YamlProblem as exc:
        if exc.quotes and isinstance(node, MappingNode):  # quote nothing of a non-dataset
            refuse_non_dataset([k.value for k, _ in node.value if isinstance(k, ScalarNode)], name)
        mark = exc.node.start_mark
        raise PeelError(Problem(exc.message, name, mark.line + 1, mark.column + 1)) from None


def _compose(text: str) -> tuple[Node | None, bool]:
    """The node tree, and whether libyaml made it.

    libyaml when it is there; where it finds fault, the pure-Python parser parses again so
    that what a person reads (and what is accepted) does not depend on how PyYAML was built.
    """
    if _FastComposer is not None:
        try:
            return _compose_with(_FastComposer, text), True
        except yaml.YAMLError:
            pass
    return _compose_with(_Composer, text), False


def _compose_with(kind: type[Any], text: str) -> Node | None:
    composer = kind(text)
    try:
        node: Node | None = composer.get_single_node()
    finally:
        composer.dispose()
    return node


def _unacceptable_character(exc: yaml.reader.ReaderError, text: str, name: str) -> PeelError:
    # YAML text may not hold control characters anywhere, so the first one in the
    # text is the one the reader stopped at; its offset is in characters for the
    # pure-Python reader but in bytes for libyaml, so find it rather than trust it.
    if not isinstance(exc.character, int):
        return PeelError(Problem(f"invalid YAML: {_one_line(str(exc))}", name))
    code = exc.character
    shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    line, column = _line_column(text, text.find(chr(code)))
    return PeelError(
        Problem(
            f"invalid YAML: the character {shown} is not allowed in YAML text; "
            f'inside double quotes write it as "{shown}"',
            name,
            line,
            column,
        )
    )


def _line_column(text: str, offset: int) -> tuple[int | None, int | None]:
    if offset < 0:
        return None, None
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


def _refuse_deep_or_sprawling(text: str, name: str) -> None:
    # The composer recurses once per level of nesting (libyaml's in C, where a deep
    # enough document crashes the process) and holds every value in memory (an 8 MiB
    # file of one-letter values costs over a gigabyte). So both are bounded first: by
    # counting when that clears the text (any real report), otherwise by counting over the
    # event stream, which neither recurses nor keeps what it has seen, and stops at the
    # first excess.
    if surely_within(text, MAX_DEPTH, MAX_VALUES):
        return
    depth = values = 0
    loader = (_FastComposer or _Composer)(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.NodeEvent):
                values += 1
                if values > MAX_VALUES:
                    raise _refusal(_TOO_MANY, name, event.start_mark)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _refusal(_TOO_DEEP, name, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or ""):  # libyaml's own limit, met while scanning
            raise _refusal(_TOO_DEEP, name, exc.problem_mark) from None
        return  # the real parse reports it, with its position
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; a report needs fewer than 10"
_TOO_MANY = f"holds more than {MAX_VALUES:,} values; a report holds a few thousand at most"


class _Mark(Protocol):
    line: int
    column: int


def _refusal(message: str, name: str, mark: _Mark | None) -> PeelError:
    if mark is None:
        return PeelError(Problem(message, name))
    return PeelError(Problem(message, name, mark.line + 1, mark.column + 1))


_ALIAS = "YAML anchors and aliases (&name, *name) are not supported; write the value out"


class _Builder:
    """Plain data from a node tree, refusing what a report may not hold.

    Two checks are made only where they can find something: a node met twice is an
    alias, and needs '&' and '*' in the text; a lone surrogate comes only from the
    pure-Python parser's "\\ud800" escapes, which libyaml refuses.
    """

    def __init__(self, text: str, composed_by_libyaml: bool) -> None:
        self.seen: set[int] | None = set() if "&" in text and "*" in text else None
        self.surrogates = not composed_by_libyaml

    def build(self, node: Node, depth: int) -> Any:
        seen = self.seen
        if seen is not None:
            # A node met twice is an alias: refused, which also defuses "billion laughs".
            if id(node) in seen:
                raise _YamlProblem(_ALIAS, node)
            seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", node)
        tag = node.tag
        if isinstance(node, ScalarNode):
            return self.text(node) if tag == _TAG + "str" else _scalar(node, tag)
        if isinstance(node, SequenceNode):
            if tag != _TAG + "seq":
                raise _YamlProblem(f"unsupported tag {_short(tag)}", node, quotes=True)
            return [self.build(item, depth + 1) for item in node.value]
        if not isinstance(node, MappingNode) or tag != _TAG + "map":
            raise _YamlProblem(
                f"unsupported tag {_short(tag)}; only plain mappings", node, quotes=True
            )
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if seen is not None:
                if id(key_node) in seen:
                    raise _YamlProblem(_ALIAS, key_node)
                seen.add(id(key_node))
            if not isinstance(key_node, ScalarNode) or key_node.tag != _TAG + "str":
                raise _YamlProblem("keys must be plain text", key_node)
            key = self.text(key_node)
            if key in result:
                raise _YamlProblem(f"duplicate key {quoted(key)}", key_node, quotes=True)
            result[key] = self.build(value_node, depth + 1)
        return result

    def text(self, node: ScalarNode) -> str:
        # PyYAML's pure-Python scanner yields a lone surrogate for "\\ud800", which no
        # UTF-8 output (or the cache) can carry.
        if self.surrogates:
            surrogate = _SURROGATE.search(node.value)
            if surrogate:
                code = f"\\u{ord(surrogate.group()):04x}"
                raise _YamlProblem(
                    f"{code} is half of a UTF-16 surrogate pair, not a character; "
                    "write the character itself, or its \\U escape",
                    node,
                )
        return str(node.value)


def _scalar(node: ScalarNode, tag: str) -> Any:
    value = node.value
    if tag == _TAG + "int":
        if not re.fullmatch(r"[-+]?[0-9]+", value):
            raise _YamlProblem(f"{quoted(value)} is not a decimal integer", node, quotes=True)
        if len(value) > 20:
            raise _YamlProblem(
                f"{quoted(value)} is too long a number (more than 20 digits)", node, quotes=True
            )
        return int(value)
    if tag == _TAG + "null":
        if value in ("", "~", "null", "Null", "NULL"):
            return None
        raise _YamlProblem(f"{quoted(value)} is not null", node, quotes=True)
    if tag == _TAG + "bool":
        if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return value.lower() == "true"
        raise _YamlProblem(f"{quoted(value)} is not true or false", node, quotes=True)
    raise _YamlProblem(
        f"unsupported tag {_short(tag)}; a report holds text, whole numbers, lists, mappings",
        node,
        quotes=True,
    )


def _short(tag: str) -> str:
    return _clip("!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag)


def _one_line(text: str) -> str:
    return _clip(" ".join(text.split()), 120)


def _clip(text: str, limit: int = 60) -> str:
    # What the file wrote (a tag, or PyYAML's message, which quotes tag handles and more):
    # a prefix is enough to find it, and a whole one could be any length.
    return text if len(text) <= limit else text[:limit] + "…"


def refuse_non_dataset(keys: Iterable[object], name: str) -> None:
    names = {key for key in keys if isinstance(key, str)}
    if not names.intersection(DATASET_KEYS):
        said = A_TRACKER if names >= TRACKER_KEYS else NOT_A_DATASET
        raise PeelError(Problem(said, name))
