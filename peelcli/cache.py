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
    entries, keys = _read_while_hashing(file, sources)
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


def _read_while_hashing(file: Path, sources: Sequence[Source]) -> tuple[dict[str, Any], list[str]]:
    """The cache file's entries and the sources' keys.

    For many sources the file is read and checked on another thread while this one hashes
    the sources: reading, CRC-32 and BLAKE2 all let go of the GIL, so the two overlap.
    """
    if len(sources) < PARALLEL_FROM:
        return _read(file), [digest(s.data) for s in sources]
    import threading

    fetched: list[memoryview | None] = []
    reader = threading.Thread(target=lambda: fetched.append(_fetch(file)))
    reader.start()
    keys = [digest(s.data) for s in sources]
    reader.join()
    return _entries(fetched[0] if fetched else _fetch(file)), keys


def _read(file: Path) -> dict[str, Any]:
    return _entries(_fetch(file))


def _fetch(file: Path) -> memoryview | None:
    """The body of a cache file whose header and checksum are right; else None."""
    try:
        raw = file.read_bytes()
        first = raw.index(b"\n")
        second = raw.index(b"\n", first + 1)
    except (OSError, ValueError):
        return None
    # Three lines: header, checksum, body. A view, as a copy of the body costs more than
    # checking it.
    body = memoryview(raw)[second + 1 :]
    if raw[:first] != _header() or raw[first + 1 : second] != _checksum(body):
        return None
    return body


def _entries(body: memoryview | None) -> dict[str, Any]:
    if body is None:
        return {}
    try:
        # marshal trusts its input: the cache is the user's own, and only a body whose
        # header and checksum match reaches it.
        entries = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
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
        return  # an unwritable cache costs speed, never a failure
    _prune(file)


UNUSED_FOR = 30 * 24 * 3600  # seconds: a cache file neither read nor written for 30 days goes


def _prune(written: Path) -> None:
    """Remove cache files nobody has used for a while, and temporary files left by a crash.

    Each set of paths asked for has a file of its own, so without this the directory only
    grows. Last use is the later of the file's access and change times; a file pruned too
    soon costs one parse, never a wrong result.
    """
    import time

    now = time.time()
    try:
        entries = list(os.scandir(written.parent))
    except OSError:
        return
    for entry in entries:
        if entry.path == str(written) or not entry.name.endswith((".cache", ".json")):
            continue
        limit = 24 * 3600 if entry.name.startswith(".tmp-") else UNUSED_FOR
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if now - max(info.st_atime, info.st_mtime) > limit:
                os.unlink(entry.path)


# --- packing reports as plain data and back ------------------------------------------
#
# A model packs into a tuple of its field values in field order: nested models as
# tuples, lists as tuples, enums as their values. Unpacking checks the type of every
# value, so an entry of the wrong shape is refused (and its file parsed afresh) instead
# of becoming a wrong report.
#
# Unpacking is most of a warm load (23,000 models for 1,000 reports), so each model's
# unpacker is generated once as straight-line code for its fields, the way dataclasses
# writes __init__: half the time of walking a table of steps per field.


def pack(report: Report) -> Packed:
    """A validated report as nested tuples of plain values, for marshal."""
    packed: Packed = _packer(Report)(report)
    return packed


def _unpack_or_none(entry: Any) -> Report | None:
    try:
        report = _unpacker(Report)(entry)
    except (KeyError, TypeError, ValueError):
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
        fields = [(name, _packer(f.annotation)) for name, f in annotation.model_fields.items()]
        return lambda model: tuple([step(model.__dict__[name]) for name, step in fields])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return lambda member: member.value
    if typing.get_origin(annotation) is list:
        item = _packer(_list_item(annotation))
        return lambda values: tuple([item(v) for v in values])
    inner = _packer(_optional_inner(annotation))
    return lambda value: None if value is None else inner(value)


def _unpacker(model: type[BaseModel]) -> _Step:
    """A function that rebuilds a model from its packed tuple, or raises."""
    unpack = _UNPACKERS.get(model)
    if unpack is None:
        unpack = _UNPACKERS[model] = _make_unpacker(model)
    return unpack


def _make_unpacker(model: type[BaseModel]) -> _Step:
    names = list(model.model_fields)
    scope: dict[str, Any] = {
        "model": model,
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
    lines += [
        # The data was validated when it was cached: the model is restored as unpickling
        # restores one (pydantic's __setstate__ sets these four), without validating it.
        "    instance = new(model)",
        f"    set_(instance, '__dict__', {{{fields}}})",
        f"    set_(instance, '__pydantic_fields_set__', {{{', '.join(map(repr, names))}}})",
        "    set_(instance, '__pydantic_extra__', None)",
        "    set_(instance, '__pydantic_private__', None)",
        "    return instance",
    ]
    exec("\n".join(lines), scope)  # the code is made here, from field names and types alone
    unpack: _Step = scope["unpack"]
    return unpack


def _unpack_lines(annotation: Any, var: str, scope: dict[str, Any], indent: str) -> list[str]:
    """Code that checks, and where needed converts, the packed value in var."""
    wrong = f"{indent}    raise TypeError('cached value has the wrong type')"
    if annotation in (str, int):
        kind = "str_" if annotation is str else "int_"
        return [f"{indent}if type({var}) is not {kind}:", wrong]
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
                f"{indent}    if type(item) is not str_:",
                f"{indent}        raise TypeError('cached value has the wrong type')",
                f"{indent}{var} = list_({var})",
            ]
        if isinstance(item, type) and issubclass(item, BaseModel):
            helper = f"unpack_{item.__name__}"
            scope[helper] = _unpacker(item)
            return [*head, f"{indent}{var} = [{helper}(item) for item in {var}]"]
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
    return args[0]


def _identity(value: Any) -> Any:
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
