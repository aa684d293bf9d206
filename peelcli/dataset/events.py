"""Plain data straight from libyaml's parse events: the common case of reading a report, fast.

PyYAML's own loaders build a node object for every value and then convert the nodes;
reading the events and building dicts and lists from them in one pass skips both, and
counts depth and values on the way, which bounds what a hostile file can cost. Only the
regular case is read here: one document whose top is a mapping, of plain or quoted text,
decimal integers, true/false and null, without tags, anchors or aliases, duplicate keys,
long numbers or excess. Anything else raises :class:`Irregular`, and the caller hands
the file to the reference reader (:func:`peelcli.dataset.parse.reference_yaml`), whose
verdict and words, with line and column, are what peel says. A test holds the two to the
same data on the benchmark corpus and under the loader's fuzzing.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.error import YAMLError
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_UNTAGGED = (None, "!")
# What the plain scalars of peel's schema (YAML 1.2 core, without floats) resolve to.
_CONSTANTS: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NUMBER_START = frozenset("-+0123456789")
_CONSTANT_START = frozenset(key[:1] for key in _CONSTANTS)
_INTEGER = re.compile(r"[-+]?[0-9]+")
_MAX_DIGITS = 20
_NO_KEY = object()


class Irregular(Exception):
    """The file is not of the regular kind read here: the reference reader reads it."""


def read(loader: type[Any], text: str | bytes, max_depth: int, max_values: int) -> dict[str, Any]:
    """The mapping a regular report file holds; Irregular for anything else."""
    parser = loader(text)
    try:
        return _build(parser.get_event, max_depth, max_values)
    except YAMLError:
        raise Irregular from None
    finally:
        parser.dispose()


def _build(get: Any, max_depth: int, max_values: int) -> dict[str, Any]:
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        raise Irregular
    event = get()
    if type(event) is not MappingStartEvent or event.tag not in _UNTAGGED or event.anchor:
        raise Irregular
    root: dict[str, Any] = {}
    container: Any = root
    in_mapping = True
    key: Any = _NO_KEY
    stack: list[tuple[Any, bool, Any]] = []
    values = 1
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None:  # unused, but the reference reader refuses a repeat
                raise Irregular
            value = event.value
            tag = event.tag
            if tag is None or tag == "!":
                if event.implicit[0]:  # plain: may be null, true/false or a number
                    # The first character rules out most text at once: no long text is
                    # hashed to be looked up among the constants.
                    first = value[:1]
                    if first in _NUMBER_START:
                        if _INTEGER.fullmatch(value):
                            if len(value) > _MAX_DIGITS:
                                raise Irregular
                            value = int(value)
                    elif first in _CONSTANT_START and value in _CONSTANTS:
                        value = _CONSTANTS[value]
            elif tag != _STR:
                raise Irregular
            values += 1
            if not in_mapping:
                container.append(value)
            elif key is _NO_KEY:
                if type(value) is not str or value in container:
                    raise Irregular  # a key that is not text, or one given twice
                key = value
            else:
                container[key] = value
                key = _NO_KEY
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag not in _UNTAGGED or event.anchor is not None:
                raise Irregular
            if len(stack) + 1 >= max_depth:
                raise Irregular
            values += 1
            new: Any = {} if kind is MappingStartEvent else []
            if not in_mapping:
                container.append(new)
            elif key is _NO_KEY:
                raise Irregular  # a mapping or a list as a key
            else:
                container[key] = new
                key = _NO_KEY
            stack.append((container, in_mapping, key))
            container, in_mapping, key = new, kind is MappingStartEvent, _NO_KEY
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            if not stack:
                break
            container, in_mapping, key = stack.pop()
        else:  # an alias
            raise Irregular
        if values > max_values:
            raise Irregular
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise Irregular
    return root
