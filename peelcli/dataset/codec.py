"""Reports packed as plain data for the cache, and unpacked again without validating.

A model packs into a tuple of its field values in field order: nested models as
tuples, lists as tuples, enums as their values; an entry is that tuple in marshal's
bytes, so that a corpus's entries need not all be plain objects at once. Unpacking
checks the type of every value, and that no text is empty, so an entry of the wrong
shape is refused (and its file parsed afresh) instead of becoming a wrong report. No
pickle: unpacking builds models from plain values only, so a damaged or planted entry
can never run code.
"""

from __future__ import annotations

import enum
import marshal
import typing
from collections.abc import Callable
from hashlib import sha256
from typing import Any

from pydantic import BaseModel

from peelcli.models import Report

Packed = bytes  # a report's field values as nested tuples, in marshal's format


def digest(data: bytes) -> str:
    """A content hash of some bytes: a file's cache key (160 bits of SHA-256, in hex).

    SHA-256 rather than BLAKE2: every run hashes every file, and processors of the last
    decade compute SHA-256 in hardware, at twice BLAKE2's speed (docs/speed.md).
    """
    return sha256(data).hexdigest()[:40]


# Unpacking is most of a warm load, so each model's unpacker is generated once as
# straight-line code for its fields, the way dataclasses writes __init__: a plain unpacker
# that walks a table of steps per field costs more of a warm run than the benchmark allows
# it (docs/speed.md). exec runs only code made here from field names and types.


def pack(report: Report) -> Packed:
    """A validated report as nested tuples of plain values, in marshal's bytes."""
    return marshal.dumps(_packer(Report)(report))


def unpack(entry: Any) -> Report | None:
    """The report an entry (bytes, or a view of them) holds, or None for an entry that is
    not marshal's bytes, is of the wrong shape or holds empty text.

    marshal trusts its input: entries come only from this user's own cache file, whose
    header, length and checksum match, or from peel's own helper processes.
    """
    try:
        report = _unpacker(Report)(marshal.loads(entry))
    except (KeyError, TypeError, ValueError, EOFError, MemoryError, RecursionError):
        return None
    return report if isinstance(report, Report) else None


_Step = Callable[[Any], Any]
_PACKERS: dict[Any, _Step] = {}
_UNPACKERS: dict[type[BaseModel], _Step] = {}


def _packer(annotation: Any) -> _Step:
    """How to pack a value of one field's type."""
    step = _PACKERS.get(annotation)
    if step is None:
        step = _PACKERS[annotation] = _make_packer(annotation)
    return step


def _make_packer(annotation: Any) -> _Step:
    if annotation in (str, int):
        return _identity
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _make_model_packer(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return lambda member: member.value
    if typing.get_origin(annotation) is list:
        item = _packer(_list_item(annotation))
        return lambda values: tuple([item(v) for v in values])
    inner = _packer(_optional_inner(annotation))
    return lambda value: None if value is None else inner(value)


def _make_model_packer(model: type[BaseModel]) -> _Step:
    # Straight-line code for the model's fields, as the unpackers are: packing is a share of
    # every parse that fills the cache.
    scope: dict[str, Any] = {"tuple_": tuple}
    values = []
    for name, field in model.model_fields.items():
        values.append(_pack_expression(field.annotation, f"d[{name!r}]", scope))
    code = "def pack(model):\n    d = model.__dict__\n    return (" + ", ".join(values) + ",)"
    exec(code, scope)  # the code is made here, from field names and types alone
    pack: _Step = scope["pack"]
    return pack


def _pack_expression(annotation: Any, value: str, scope: dict[str, Any]) -> str:
    """An expression that packs value, a field of type annotation, as _make_packer's steps do."""
    if annotation in (str, int):
        return value
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return f"{value}.value"
    if typing.get_origin(annotation) is list:
        item = _list_item(annotation)
        if item in (str, int):
            return f"tuple_({value})"
        helper = f"pack_{len(scope)}"
        scope[helper] = _packer(item)
        return f"tuple_([{helper}(v) for v in {value}])"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        helper = f"pack_{len(scope)}"
        scope[helper] = _packer(annotation)
        return f"{helper}({value})"
    inner = _optional_inner(annotation)
    if inner in (str, int):
        return value
    helper = f"pack_{len(scope)}"
    scope[helper] = _packer(annotation)
    return f"{helper}({value})"


def _unpacker(model: type[BaseModel]) -> _Step:
    """A function that rebuilds a model from its packed tuple, or raises."""
    unpack = _UNPACKERS.get(model)
    if unpack is None:
        unpack = _UNPACKERS[model] = _make_unpacker(model)
    return unpack


# The fields pydantic's own __setstate__ sets on a model it unpickles, which the unpackers
# set in the same way. Should a version of pydantic keep others, unpacking uses its public
# model_construct instead, which is slower but sets whatever pydantic needs.
PRIVATE_FIELDS = (
    "__dict__",
    "__pydantic_fields_set__",
    "__pydantic_extra__",
    "__pydantic_private__",
)


def private_fields_known() -> bool:
    """Whether pydantic's models keep exactly the fields the fast unpackers set."""
    return tuple(getattr(BaseModel, "__slots__", ())) == PRIVATE_FIELDS


def _make_unpacker(model: type[BaseModel]) -> _Step:
    names = list(model.model_fields)
    scope: dict[str, Any] = {
        "model": model,
        # Every field is set, and a frozen model never changes which: one set serves them all.
        "fields_set": set(names),
        "new": model.__new__,
        "set_": object.__setattr__,
        "str_": str,
        "int_": int,
        "tuple_": tuple,
        "list_": list,
    }
    values = ", ".join(f"v{i}" for i in range(len(names)))
    lines = [
        "def unpack(entry):",
        f"    if type(entry) is not tuple_ or len(entry) != {len(names)}:",
        "        raise ValueError('cached entry does not match the model')",
        f"    {values}, = entry",
    ]
    for i, field in enumerate(model.model_fields.values()):
        lines += _unpack_lines(field.annotation, f"v{i}", scope, "    ")
    fields = ", ".join(f"{name!r}: v{i}" for i, name in enumerate(names))
    if private_fields_known():
        lines += [
            # The data was validated when it was cached: the model is restored as unpickling
            # restores one (pydantic's __setstate__ sets these four), without validating it.
            "    instance = new(model)",
            f"    set_(instance, '__dict__', {{{fields}}})",
            "    set_(instance, '__pydantic_fields_set__', fields_set)",
            "    set_(instance, '__pydantic_extra__', None)",
            "    set_(instance, '__pydantic_private__', None)",
            "    return instance",
        ]
    else:
        scope["construct"] = model.model_construct
        lines.append(f"    return construct(fields_set, **{{{fields}}})")
    exec("\n".join(lines), scope)  # the code is made here, from field names and types alone
    unpack: _Step = scope["unpack"]
    return unpack


def share_fields_set(report: Report) -> None:
    """Give each model of a validated report its class's one set of field names, as unpacked
    models have, in place of the set pydantic made for it: a corpus's reports, parsed,
    then hold no more than the same reports from the cache.

    Every field of a validated report is set (its defaults were filled in), and a frozen
    model never changes which. A version of pydantic that keeps other private fields keeps
    its own sets.
    """
    if private_fields_known():
        _sharer(Report)(report)


_SHARERS: dict[type[BaseModel], _Step] = {}


def _sharer(model: type[BaseModel]) -> _Step:
    share = _SHARERS.get(model)
    if share is None:
        share = _SHARERS[model] = _make_sharer(model)
    return share


def _make_sharer(model: type[BaseModel]) -> _Step:
    # Straight-line code, as the unpackers are: it runs for every model of every report parsed.
    scope: dict[str, Any] = {"fields_set": set(model.model_fields), "set_": object.__setattr__}
    lines = ["def share(model):", "    set_(model, '__pydantic_fields_set__', fields_set)"]
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if typing.get_origin(annotation) is list:
            annotation = _list_item(annotation)
            each = True
        else:
            each = False
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            helper = f"share_{annotation.__name__}"
            scope[helper] = _sharer(annotation)
            if each:
                lines += [f"    for item in model.__dict__[{name!r}]:", f"        {helper}(item)"]
            else:
                lines.append(f"    {helper}(model.__dict__[{name!r}])")
    exec("\n".join(lines), scope)  # the code is made here, from field names and types alone
    share: _Step = scope["share"]
    return share


def _unpack_lines(annotation: Any, var: str, scope: dict[str, Any], indent: str) -> list[str]:
    """Code that checks, and where needed converts, the packed value in var."""
    wrong = f"{indent}    raise TypeError('cached value has the wrong type')"
    if annotation is int:
        return [f"{indent}if type({var}) is not int_:", wrong]
    if annotation is str:  # text is never empty in a valid report (an empty ID broke the grid)
        return [f"{indent}if type({var}) is not str_ or not {var}:", wrong]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        helper = f"unpack_{annotation.__name__}"
        scope[helper] = _unpacker(annotation)
        return [f"{indent}{var} = {helper}({var})"]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        helper = f"members_{annotation.__name__}"
        scope[helper] = {member.value: member for member in annotation}
        return [f"{indent}{var} = {helper}[{var}]"]
    if typing.get_origin(annotation) is list:
        item = _list_item(annotation)
        head = [f"{indent}if type({var}) is not tuple_:", wrong]
        if item is str:
            return [
                *head,
                f"{indent}for item in {var}:",
                f"{indent}    if type(item) is not str_ or not item:",
                f"{indent}        raise TypeError('cached value has the wrong type')",
                f"{indent}{var} = list_({var})",
            ]
        if isinstance(item, type) and issubclass(item, BaseModel):
            helper = f"unpack_{item.__name__}"
            scope[helper] = _unpacker(item)
            # Most lists are empty (practice, causes, earlier grades): no comprehension for those.
            return [*head, f"{indent}{var} = [{helper}(item) for item in {var}] if {var} else []"]
        raise TypeError(f"the cache cannot hold a field of type {annotation!r}")
    inner = _unpack_lines(_optional_inner(annotation), var, scope, indent + "    ")
    return [f"{indent}if {var} is not None:", *inner]


def _list_item(annotation: Any) -> Any:
    (item,) = typing.get_args(annotation)
    return item


def _optional_inner(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if len(args) != 1 or type(None) not in typing.get_args(annotation):
        raise TypeError(f"the cache cannot hold a field of type {annotation!r}")
    inner = args[0]
    # A type with validators (models.Text) is held as the type it validates.
    return typing.get_args(inner)[0] if typing.get_origin(inner) is typing.Annotated else inner


def _identity(value: Any) -> Any:
    return value


def signature() -> str:
    """A hash of every model's field names and types, in the order the cache packs them."""
    seen: set[type[BaseModel]] = set()
    lines: list[str] = []

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        lines.append(model.__name__)
        for name, field in model.model_fields.items():
            lines.append(f"  {name}: {_spelling(field.annotation)}")
            for inner in _models_in(field.annotation):
                walk(inner)

    walk(Report)
    return digest("\n".join(lines).encode())[:16]


def _spelling(annotation: Any) -> str:
    """A type as the cache holds it, the same in every process: a validator's repr, which
    names its function's address, is left out, as the cache holds the type it validates."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _spelling(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    if not args:
        return getattr(annotation, "__qualname__", repr(annotation))
    return f"{_spelling(typing.get_origin(annotation))}[{', '.join(map(_spelling, args))}]"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
