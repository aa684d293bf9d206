"""Plain data from yaml-rs, for the report files it cannot read otherwise than peel's reader.

yaml-rs (a Rust reader built on saphyr) makes a report's dicts and lists in about half the
time that libyaml's events take through PyYAML, and a cold corpus spends most of its time
there. It reads YAML 1.2 by rules of its own, and peel reads by its rules
(:mod:`peelcli.dataset.parse`), so it is handed only the files where the two cannot part,
and what it gives is checked:

- before, in the bytes: no anchor, alias or tag (no ``&``, ``*`` or ``!`` anywhere), no
  escape (no backslash), no literal or folded block (no ``|`` or ``>``), no tab, no
  directive or document marker at the start of a line, nothing yaml-rs takes for a number
  and peel for text (hexadecimal, octal and binary numbers, digits with underscores), no
  control character or lone carriage return, no character that libyaml refuses or takes
  for a line break (C1 controls, U+2028, U+2029, U+FFFE, U+FFFF), no byte order mark; and
  nesting and values within peel's bounds, counted (:mod:`peelcli.dataset.bounds`), so
  that yaml-rs, which recurses, never meets a deep document;
- after: one mapping, whose keys are all text and whose values are only text, integers of
  at most 20 digits, true/false and null (no float, date or other type).

Where an allocation can fail (under ``ulimit -v`` or ``-d``, or Linux's strict overcommit,
and off Linux, where peel cannot tell) it is not used at all: Rust ends the process when an
allocation fails, where PyYAML raises MemoryError and peel says so in one line. Anything
else, and any error, returns None: the caller reads the file as before, and every verdict
and word (with line and column) is still the reference reader's. Duplicate keys are an
error to yaml-rs. Tests hold this reader to the reference reader on the benchmark
corpus and on each case where the two part (tests/test_yamlrs.py), and the loader's
fuzzing does so on every input it makes (tests/fuzz_loader.py): that fuzzing found each
of the cases above.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from peelcli.dataset.bounds import surely_within
from peelcli.errors import allocations_can_fail

# yaml-rs allocates through mimalloc, which reserves 1 GiB of address space as it loads
# unless told not to. That space costs no memory, but it counts against an RLIMIT_AS: the
# one peel puts on the child that reads a PDF or a page (forked from this process), and a
# user's `ulimit -v`. Told to reserve none, it reads as fast (measured on the benchmark
# corpus); the environment is as it was once it has loaded.
_RESERVE = "MIMALLOC_ARENA_RESERVE"
_before = os.environ.get(_RESERVE)
os.environ[_RESERVE] = "0"
try:
    from yaml_rs import DuplicateKeyPolicy
    from yaml_rs import loads as _loads

    loads: Callable[..., Any] | None = _loads
except ImportError:  # pragma: no cover - yaml-rs has wheels for every platform peel runs on
    loads = None
finally:
    if _before is None:
        del os.environ[_RESERVE]
    else:
        os.environ[_RESERVE] = _before

# Bytes after which yaml-rs may read otherwise than peel: C0 controls but line feed and
# carriage return (tabs too: libyaml refuses some that yaml-rs takes); DEL; the anchor,
# alias and tag marks; the escape mark; the marks of literal and folded blocks, whose rules
# for blank lines and line ends are intricate (yaml-rs reads an empty folded block as a
# line break, libyaml as nothing).
_REFUSED = bytes([*range(0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]) + b"&*!\\|>"
# Numbers to yaml-rs, text to peel: hexadecimal, octal and binary ones, and digits with
# underscores among them, alone between the marks that can start and end a plain value.
# A digit next to an underscore is in every such number: found quickly, it is looked at
# more closely (a file name such as "metropolitan_2016.txt" is not one).
_NUMBER = re.compile(b"0[xXoObB]")
_UNDERSCORED = re.compile(b"_(?:(?<=[0-9]_)|(?=[0-9]))")
_UNDERSCORED_NUMBER = re.compile(
    rb"(?<![^\s\[{,:?])[-+]?[0-9_]*(?:[0-9]_|_[0-9])[0-9_]*(?![^\s\]},:])"
)
_C1 = re.compile(b"\xc2[\x80-\x9f]")  # C1 controls, NEL among them, in UTF-8
# U+FFFE and U+FFFF, which libyaml refuses; a byte order mark, which decoding takes off
_NONCHARACTER = re.compile(b"\xef(?:\xbf[\xbe\xbf]|\xbb\xbf)")
# Document markers and directives, where libyaml and yaml-rs part on what a stream may hold
# (libyaml refuses a document end before any document).
_MARKERS = (b"---", b"...", b"%")
_MARKER = re.compile(b"\n(?:---|\\.\\.\\.|%)")
_BIGGEST = 10**20  # an integer of 21 digits or more is left to the reference reader
# A search for a byte finds it at once; for a sequence, far slower. So each check below looks
# for a byte that the sequence needs, and for the sequence only where that byte is.


def read(data: bytes, max_depth: int, max_values: int) -> dict[str, Any] | None:
    """The mapping a report file's bytes hold, as peel's reader reads them; None for a file
    this reader does not take (the caller reads it the usual way)."""
    # Rust ends the process when an allocation fails, where PyYAML raises MemoryError, which
    # peel words in one line: where an allocation can fail, libyaml reads every file.
    if loads is None or allocations_can_fail() or not _suited(data, max_depth, max_values):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\u2028" in text or "\u2029" in text:  # line breaks to libyaml, not to YAML 1.2
        return None
    try:
        found = loads(text, parse_datetime=False, duplicate_key_policy=DuplicateKeyPolicy.Error)
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # its errors, and a Rust panic, which is not an Exception
        return None
    return found if type(found) is dict and _plain(found) else None


def _suited(data: bytes, max_depth: int, max_values: int) -> bool:
    if len(data.translate(None, _REFUSED)) != len(data) or _NUMBER.search(data):
        return False
    if _UNDERSCORED.search(data) and _UNDERSCORED_NUMBER.search(data):
        return False
    if (b"\xc2" in data and _C1.search(data)) or (b"\xef" in data and _NONCHARACTER.search(data)):
        return False
    if data.startswith(_MARKERS) or _MARKER.search(data):
        return False
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    return surely_within(data, max_depth, max_values)


def _plain(root: dict[Any, Any]) -> bool:
    """Whether every key is text and every value text, a small integer, true/false or null."""
    pending: list[dict[Any, Any] | list[Any]] = [root]
    while pending:
        container = pending.pop()
        if type(container) is dict:
            for key in container:
                if type(key) is not str:
                    return False
            values: Any = container.values()
        else:
            values = container
        for value in values:
            kind = type(value)
            if kind is str or value is None or kind is bool:
                continue
            if kind is int:
                if not -_BIGGEST < value < _BIGGEST:
                    return False
            elif kind is dict or kind is list:
                pending.append(value)
            else:
                return False
    return True
