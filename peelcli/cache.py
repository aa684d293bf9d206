"""A cache of validated reports, so that a large corpus loads without re-parsing YAML.

One cache file per set of paths asked for (a directory's files share one), under
$XDG_CACHE_HOME/peel (else ~/.cache/peel). Each entry is keyed by a BLAKE2 hash
of a file's bytes, so any change to a file is seen on the next run, however it
leaves the file's size and time. Entries hold data that was validated when it
was written, so reports are rebuilt from them without validating again or
paying for pydantic's validator build. A cache that is missing, corrupt, stale
or unwritable costs speed only: the reports are parsed afresh. It is written to
a temporary file and renamed into place, so a reader never sees half of one.

An entry is a report packed as nested tuples, one value per field in the
models' field order, written with :mod:`marshal`, which loads plain data
several times faster than JSON. The header names the cache format, the Python
that wrote it (marshal's format is its own) and a signature of the models'
fields, so a cache written for other models or another Python is never read;
a CRC-32 of the body finds a torn or damaged file.
"""

from __future__ import annotations

import enum
import json
import marshal
import os
import sys
import tempfile
import typing
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from peelcli import __version__
from peelcli.models import Report

if TYPE_CHECKING:
    from peelcli.loader import Source

try:  # hashlib's import loads OpenSSL; the builtin BLAKE2 module is much cheaper to start
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

FORMAT = 2
CACHE_ENV = "PEEL_CACHE"  # "0" turns the cache off

Packed = tuple[Any, ...]


def cache_dir() -> Path:
    """Where peel keeps its cache."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "peel"


def digest(data: bytes) -> str:
    """A content hash of one file's bytes."""
    return blake2b(data, digest_size=20).hexdigest()


def cached_reports(
    sources: Sequence[Source],
    parse: Callable[[Source], Report],
    asked: Sequence[str] | None = None,
) -> list[Report]:
    """Reports for the sources, from the cache where a file's bytes are unchanged.

    The cache file is the one for the paths asked for (else for the sources' own): a file
    added to or taken from a directory changes one entry, not which cache file is used.
    """
    if os.environ.get(CACHE_ENV) == "0":
        return [parse(s) for s in sources]
    names = [
        os.path.abspath(p) for p in (asked if asked is not None else [s.name for s in sources])
    ]
    file = cache_dir() / f"{digest(json.dumps([FORMAT, __version__, names]).encode())}.cache"
    entries = _read(file)
    keys = [digest(s.data) for s in sources]
    reports: list[Report | None] = []
    packed: list[Packed | None] = []
    for key in keys:
        entry = entries.get(key)
        report = _unpack_or_none(entry) if entry is not None else None
        reports.append(report)
        packed.append(entry if report is not None else None)
    missing = [i for i, report in enumerate(reports) if report is None]
    for i in missing:
        report = parse(sources[i])
        reports[i] = report
        packed[i] = pack(report)
    fresh = dict(zip(keys, packed, strict=True))
    if missing or fresh.keys() != entries.keys():
        _write(file, fresh)
    return reports  # type: ignore[return-value]  # every None was replaced above


# --- the cache file ------------------------------------------------------------------


def _header() -> bytes:
    # Changes whenever what is in a cache file would be read differently.
    return f"peel-cache {FORMAT} {sys.implementation.cache_tag} {_signature()}".encode("ascii")


def _read(file: Path) -> dict[str, Any]:
    try:
        raw = file.read_bytes()
        # Three lines: header, checksum, body. A view, as a copy of the body costs more
        # than checking it.
        first = raw.index(b"\n")
        second = raw.index(b"\n", first + 1)
        body = memoryview(raw)[second + 1 :]
        if raw[:first] != _header() or raw[first + 1 : second] != _checksum(body):
            return {}
        # marshal trusts its input: the cache is the user's own, and only a body whose
        # header and checksum match reaches it.
        entries = marshal.loads(body)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return entries if type(entries) is dict else {}


def _checksum(body: bytes | memoryview) -> bytes:
    # CRC-32 is made to find a torn or damaged file, and takes a third of BLAKE2's time
    # over a large body; the content keys, which must tell any two files apart, stay BLAKE2.
    return b"%08x" % zlib.crc32(body)


def _write(file: Path, entries: dict[str, Packed | None]) -> None:
    body = marshal.dumps(entries)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".cache")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_header() + b"\n" + _checksum(body) + b"\n")
                handle.write(body)
            os.replace(tmp, file)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # an unwritable cache costs speed, never a failure


# --- packing reports as plain data and back ------------------------------------------
#
# Each model gets a plan, made once: how to pack an instance into a tuple of its field
# values in field order, and how to unpack one. Unpacking checks the type of every value,
# so an entry of the wrong shape is refused (and its file parsed afresh) instead of
# becoming a wrong report.

_Step = Callable[[Any], Any]


class _Plan(typing.NamedTuple):
    pack: Callable[[BaseModel], Packed]
    unpack: Callable[[Any], BaseModel]


_PLANS: dict[type[BaseModel], _Plan] = {}


def pack(report: Report) -> Packed:
    """A validated report as nested tuples of plain values, for marshal."""
    return _plan(Report).pack(report)


def _unpack_or_none(entry: Any) -> Report | None:
    try:
        report = _plan(Report).unpack(entry)
    except (KeyError, TypeError, ValueError):
        return None
    return report if isinstance(report, Report) else None


def _plan(model: type[BaseModel]) -> _Plan:
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _make_plan(model)
    return plan


def _make_plan(model: type[BaseModel]) -> _Plan:
    names = tuple(model.model_fields)
    steps = [_steps(field.annotation) for field in model.model_fields.values()]
    packers = tuple(zip(names, [p for p, _ in steps], strict=True))
    # None stands for text, the commonest field, checked inline to save a call.
    unpackers = tuple(zip(names, [u for _, u in steps], strict=True))
    count = len(names)
    new = model.__new__

    def pack_model(instance: BaseModel) -> Packed:
        values = instance.__dict__
        return tuple(
            [values[name] if step is None else step(values[name]) for name, step in packers]
        )

    def unpack_model(entry: Any) -> BaseModel:
        if type(entry) is not tuple or len(entry) != count:
            raise ValueError("cached entry does not match the model")
        values = {}
        for (name, step), value in zip(unpackers, entry, strict=True):
            if step is None:
                if type(value) is not str:
                    raise TypeError("cached value is not text")
                values[name] = value
            else:
                values[name] = step(value)
        # The data was validated when it was cached: restore the model as unpickling
        # does, through pydantic's own __setstate__, without validating it again.
        instance = new(model)
        instance.__setstate__(
            {
                "__dict__": values,
                "__pydantic_fields_set__": set(names),
                "__pydantic_extra__": None,
                "__pydantic_private__": None,
            }
        )
        return instance

    return _Plan(pack_model, unpack_model)


def _steps(annotation: Any) -> tuple[_Step | None, _Step | None]:
    """How to pack and unpack one field's value; None for text, kept as it is."""
    if annotation is str:
        return None, None
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        pack_item, unpack_item = _steps(item)
        pack_one = pack_item or _identity
        unpack_one = unpack_item or _text

        def pack_list(values: list[Any]) -> tuple[Any, ...]:
            return tuple([pack_one(v) for v in values])

        def unpack_list(values: Any) -> list[Any]:
            if type(values) is not tuple:
                raise TypeError("cached value is not a list")
            return [unpack_one(v) for v in values]

        return pack_list, unpack_list
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        plan = _plan(annotation)
        return plan.pack, plan.unpack
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        members = {member.value: member for member in annotation}
        return (lambda member: member.value), members.__getitem__
    if annotation is int:
        return _identity, _whole_number
    # Optional[X]: None, or what X packs to
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if len(args) != 1:
        raise TypeError(f"the cache cannot hold a field of type {annotation!r}")
    pack_inner, unpack_inner = _steps(args[0])
    pack_some = pack_inner or _identity
    unpack_some = unpack_inner or _text
    return (lambda value: None if value is None else pack_some(value)), (
        lambda value: None if value is None else unpack_some(value)
    )


def _identity(value: Any) -> Any:
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("cached value is not text")
    return value


def _whole_number(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("cached value is not a whole number")
    return value


def _signature() -> str:
    """A hash of every model's field names and types, in the order the cache packs them."""
    seen: set[type[BaseModel]] = set()
    lines: list[str] = []

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        lines.append(model.__name__)
        for name, field in model.model_fields.items():
            lines.append(f"  {name}: {field.annotation!r}")
            for inner in _models_in(field.annotation):
                walk(inner)

    walk(Report)
    return digest("\n".join(lines).encode())[:16]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
