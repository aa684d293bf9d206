"""A cache of validated reports, so that a large corpus loads without re-parsing YAML.

One cache file per set of report files, under $XDG_CACHE_HOME/peel (else
~/.cache/peel). Each entry is keyed by a BLAKE2 hash of the file's bytes, so
any change to a file is seen on the next run; the cache file carries a hash of
its own body, so a corrupt one is ignored. Entries hold data that was
validated when it was written, so they are rebuilt with ``model_construct``
without paying for pydantic's validator build. A cache that is missing,
corrupt, stale or unwritable costs speed only: the reports are parsed afresh.
"""

from __future__ import annotations

import json
import os
import tempfile
import typing
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

FORMAT = 1
CACHE_ENV = "PEEL_CACHE"  # "0" turns the cache off


def cache_dir() -> Path:
    """Where peel keeps its cache."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "peel"


def digest(data: bytes) -> str:
    """A content hash of one file's bytes."""
    return blake2b(data, digest_size=20).hexdigest()


def cached_reports(sources: Sequence[Source], parse: Callable[[Source], Report]) -> list[Report]:
    """Reports for the sources, from the cache where a file's bytes are unchanged."""
    if os.environ.get(CACHE_ENV) == "0":
        return [parse(s) for s in sources]
    names = [os.path.abspath(s.name) for s in sources]
    file = cache_dir() / f"{digest(json.dumps([FORMAT, __version__, names]).encode())}.json"
    entries = _read(file)
    reports: list[Report] = []
    fresh: dict[str, Any] = {}
    changed = False
    for source in sources:
        key = digest(source.data)
        data = entries.get(key)
        report = _construct_or_none(Report, data) if data is not None else None
        if report is None:
            report = parse(source)
            data = report.model_dump(mode="json")
            changed = True
        fresh[key] = data
        reports.append(report)
    if changed or fresh.keys() != entries.keys():
        _write(file, fresh)
    return reports


def _read(file: Path) -> dict[str, Any]:
    try:
        raw = file.read_bytes()
        check, _, body = raw.partition(b"\n")
        if check.decode("ascii") != digest(body):
            return {}
        entries = json.loads(body)
    except (OSError, ValueError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _write(file: Path, entries: dict[str, Any]) -> None:
    body = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(digest(body).encode("ascii") + b"\n" + body)
            os.replace(tmp, file)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # an unwritable cache costs speed, never a failure


def _construct_or_none(model: type[Report], data: Any) -> Report | None:
    try:
        report = _construct(model, data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return report if isinstance(report, Report) else None


_PLANS: dict[type[BaseModel], dict[str, Callable[[Any], Any]]] = {}


def _construct(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    """A model from data that was validated when cached, without validating it again."""
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = {
            name: _converter(field.annotation) for name, field in model.model_fields.items()
        }
    if data.keys() != plan.keys():
        raise KeyError("cached entry does not match the model")
    return model.model_construct(**{k: plan[k](v) for k, v in data.items()})


def _converter(annotation: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        convert = _converter(item)
        return lambda values: [convert(v) for v in values]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lambda value: _construct(annotation, value)
    if isinstance(annotation, type):  # an enum, or str/int: check the type or convert
        return lambda value: _plain(annotation, value)
    # Optional[str] and friends
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    inner = _converter(args[0]) if len(args) == 1 else (lambda value: value)
    return lambda value: None if value is None else inner(value)


def _plain(kind: type, value: Any) -> Any:
    if kind in (str, int):
        if type(value) is not kind:
            raise TypeError("cached value has the wrong type")
        return value
    return kind(value)
