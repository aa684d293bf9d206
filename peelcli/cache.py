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

import contextlib
import enum
import itertools
import json
import marshal
import os
import signal
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
    parsed = _parse_many([sources[i] for i in missing], parse)
    for i, (report, entry) in zip(missing, parsed, strict=True):
        reports[i] = report
        packed[i] = entry
    fresh = dict(zip(keys, packed, strict=True))
    if missing or fresh.keys() != entries.keys():
        _write(file, fresh)
    return reports  # type: ignore[return-value]  # every None was replaced above


# --- parsing what the cache does not hold, on every core when there is much -----------
#
# Parsing is most of a cold run. Where fork is cheap and safe (Linux, no other threads),
# many misses are split into shares in file order: this process parses the first, and a
# forked helper for each other core parses one more and sends back the entries, which
# are rebuilt here as cache hits are. The first file that fails is still the one
# reported, and a helper that fails in any other way only means its share is parsed here.

PARALLEL_FROM = 64  # misses; fewer parse faster than a helper starts
MAX_PROCESSES = 8


def _parse_many(
    sources: Sequence[Source], parse: Callable[[Source], Report]
) -> list[tuple[Report, Packed]]:
    """Each source parsed, with its cache entry, in order."""
    processes = _processes(len(sources))
    if processes < 2:
        return [_parse_one(parse, s) for s in sources]
    # One first, so that imports and pydantic's validator build happen once, before forking.
    results = [_parse_one(parse, sources[0])]
    rest = sources[1:]
    bounds = [len(rest) * n // processes for n in range(processes + 1)]
    shares = [rest[a:b] for a, b in itertools.pairwise(bounds)]
    helpers = [_Helper(share) for share in shares[1:]]
    try:
        for helper in helpers:
            helper.start(parse)
        results += [_parse_one(parse, s) for s in shares[0]]
        for helper in helpers:
            results += _rebuild(helper.share, helper.receive(), parse)
    finally:
        for helper in helpers:
            helper.stop()
    return results


def _parse_one(parse: Callable[[Source], Report], source: Source) -> tuple[Report, Packed]:
    report = parse(source)
    return report, pack(report)


def _processes(misses: int) -> int:
    if misses < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return 1  # a forked child of a threaded process can deadlock
    cores = len(os.sched_getaffinity(0))
    return max(1, min(cores, MAX_PROCESSES, misses // (PARALLEL_FROM // 2)))


class _Helper:
    """A forked process that parses a share of the sources and sends back their entries."""

    def __init__(self, share: Sequence[Source]) -> None:
        self.share = share
        self.pid = 0  # until started, and again once it has exited
        self.output = -1  # the read end of its pipe, while open

    def start(self, parse: Callable[[Source], Report]) -> None:
        """Fork; if that fails, the share is parsed here instead."""
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the helper: parse, send, exit without the parent's clean-up
            code = 1
            try:
                os.close(read_end)
                payload = marshal.dumps(_parse_share(self.share, parse))
                with os.fdopen(write_end, "wb") as out:
                    out.write(payload)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.output = pid, read_end

    def receive(self) -> Any:
        """What the helper sent, once it has exited; None if it did not finish."""
        if not self.pid:
            return None
        output, self.output = self.output, -1
        with os.fdopen(output, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            return marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None

    def stop(self) -> None:
        """End a helper whose work is no longer wanted (this process is raising)."""
        if self.output >= 0:
            os.close(self.output)
            self.output = -1
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = 0


def _parse_share(
    share: Sequence[Source], parse: Callable[[Source], Report]
) -> list[Packed | dict[str, Any]]:
    """Entries for a share of the sources; a PeelError, as plain data, ends it."""
    from peelcli.errors import PeelError

    entries: list[Packed | dict[str, Any]] = []
    for source in share:
        try:
            entries.append(pack(parse(source)))
        except PeelError as exc:
            entries.append({"problems": [tuple(p) for p in exc.problems], "hint": exc.hint})
            break
    return entries


def _rebuild(
    share: Sequence[Source], entries: Any, parse: Callable[[Source], Report]
) -> list[tuple[Report, Packed]]:
    """Reports from a helper's entries: its error raised here, anything missing parsed here."""
    from peelcli.errors import PeelError, Problem

    results: list[tuple[Report, Packed]] = []
    for i, source in enumerate(share):
        entry: Any = entries[i] if type(entries) is list and i < len(entries) else None
        if type(entry) is dict:
            raise PeelError([Problem(*p) for p in entry["problems"]], hint=entry["hint"])
        report = _unpack_or_none(entry)
        results.append((report, entry) if report is not None else _parse_one(parse, source))
    return results


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
