"""The cache as a plain store: a file of entries, keyed by content, per set of paths asked for.

One cache file per set of paths asked for (a directory's files share one), under
$XDG_CACHE_HOME/peel (else ~/.cache/peel). An entry is keyed by a SHA-256 hash of a
report file's bytes, so any change to a file is seen on the next run, however it
leaves the file's size and time. What an entry holds is the codec's business; this
module only keeps entries. A cache that is missing, corrupt, stale or unwritable
costs speed only. It is written to a temporary file and renamed into place, so a
reader never sees half of one.

The cache trusts only its owner. Its directory is made with mode 0700 and its files
with 0600; a directory or file that another user owns, or that group or others can
write, is neither read nor written, since whoever can write an entry decides what
peel shows. Every file is opened relative to the directory, without following a
symbolic link, and only a regular file of a bounded size, whose header declares the
length it has, is read.

A file is three lines: a header naming the cache format, the Python that wrote it
(marshal's format is its own), a signature of the models' fields and the body's
length; a CRC-32 of the body's index, which finds a torn or damaged file; and the body:
the entries one after another, then the index (a marshalled dict of each entry's key,
offset, length and CRC-32) and the index's length in 8 bytes. An entry is read from the
file only when it is wanted, and its own checksum checked then, so that reading a corpus
never holds the body whole; and written as it comes, so that writing one never holds
them all.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from peelcli import __version__
from peelcli.dataset.codec import digest, signature

FORMAT = 5
CACHE_ENV = "PEEL_CACHE"  # "0" turns the cache off
MAX_CACHE_BYTES = 1 << 30  # far more than the entries of the largest corpus peel reads
UNUSED_FOR = 30 * 24 * 3600  # seconds: a cache file neither read nor written for 30 days goes
STALE_TEMPORARY = 24 * 3600  # seconds: a temporary file left by a crash
# The names peel gives its files: pruning touches nothing else.
_CACHE_NAME = re.compile(r"[0-9a-f]{40}\.cache")
_TEMPORARY_NAME = re.compile(r"\.tmp-[0-9a-f]{16}\.cache")

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def cache_dir() -> Path:
    """Where peel keeps its cache: $XDG_CACHE_HOME/peel, else ~/.cache/peel.

    A relative $XDG_CACHE_HOME is ignored, as the XDG base directory specification says:
    it would put the cache wherever peel happens to be run from.
    """
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "peel"


def _owner_problem(info: os.stat_result) -> str | None:
    """Why a directory or file of the cache is not the current user's alone, if it is not."""
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    if uid is not None and info.st_uid != uid:
        return "is owned by another user"
    if info.st_mode & 0o022:
        return "can be written by other users"
    return None


class Store:
    """The cache file for one set of paths, in a directory this user alone can write."""

    def __init__(self, directory: Path, fd: int, name: str) -> None:
        self.directory = directory
        self._fd = fd  # the directory, opened: every file is reached through it
        self.name = name
        self._file = -1  # the cache file, opened, while its entries are being read

    def close(self) -> None:
        """Let go of the directory and the cache file."""
        for fd in (self._file, self._fd):
            if fd >= 0:
                os.close(fd)
        self._file = self._fd = -1

    # --- reading ---

    def entries(self) -> tuple[Entries, str | None]:
        """The cache file's entries, each read when it is looked up, and why the file is not
        trusted (then there are none)."""
        try:
            fd = os.open(
                self.name, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC, dir_fd=self._fd
            )
        except OSError:  # missing, a symbolic link, unreadable: a miss
            return Entries(), None
        try:
            info = os.fstat(fd)
            problem = _owner_problem(info)
            if problem is not None:
                return Entries(), f"its file {self.name} {problem}"
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
                return Entries(), None
            found = _index(fd, info.st_size)
        except (OSError, ValueError, MemoryError):
            found = None
        if found is None:
            os.close(fd)
            return Entries(), None
        self._file = fd  # kept open until close(): the entries are read from it
        index, start = found
        return Entries(fd, start, index), None

    # --- writing ---

    def write(self, entries: Iterable[tuple[str, bytes]]) -> None:
        """Replace the cache file with these entries (the first of a key, where a key comes
        twice); a failure of any kind costs speed only.

        Each entry is written as it comes, so that none need be held for the write: the
        header, of a fixed length, is written last, over the space kept for it.
        """
        temporary = f".tmp-{os.urandom(8).hex()}.cache"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
            fd = os.open(temporary, flags, 0o600, dir_fd=self._fd)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(b" " * len(_head(0, 0)))
                    index: dict[str, tuple[int, int, int]] = {}
                    offset = 0
                    for key, entry in entries:
                        if key not in index:
                            handle.write(entry)
                            index[key] = (offset, len(entry), zlib.crc32(entry))
                            offset += len(entry)
                    tail = _tail(index)
                    handle.write(tail)
                    handle.seek(0)
                    handle.write(_head(offset + len(tail), zlib.crc32(tail)))
                os.replace(temporary, self.name, src_dir_fd=self._fd, dst_dir_fd=self._fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=self._fd)
                raise
        except Exception:  # out of space or memory, a value marshal refuses: no cache this time
            return
        with contextlib.suppress(Exception):  # housekeeping, which memory running out may stop
            self.prune()

    def prune(self) -> None:
        """Remove peel's cache files nobody has used for a while, and temporary files left by
        a crash.

        Each set of paths asked for has a file of its own, so without this the directory only
        grows. Last use is the later of the file's access and change times; a file pruned too
        soon costs one parse, never a wrong result. Only files with the names peel gives its
        own are touched, and nothing is followed out of the directory.
        """
        import time

        now = time.time()
        try:
            with os.scandir(self._fd) as found:
                names = [e.name for e in found if e.is_file(follow_symlinks=False)]
        except OSError:
            return
        for name in names:
            if name == self.name:
                continue
            if _CACHE_NAME.fullmatch(name):
                limit = UNUSED_FOR
            elif _TEMPORARY_NAME.fullmatch(name):
                limit = STALE_TEMPORARY
            else:
                continue
            with contextlib.suppress(OSError):
                info = os.stat(name, dir_fd=self._fd, follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and now - max(info.st_atime, info.st_mtime) > limit:
                    os.unlink(name, dir_fd=self._fd)


def open_store(asked: Sequence[str], warn: Callable[[str], None]) -> Store | None:
    """The store for the paths asked for, or None: the cache is off, or cannot be trusted
    (which ``warn`` is told, in one line naming the directory)."""
    if os.environ.get(CACHE_ENV) == "0":
        return None
    directory = cache_dir()
    names = [os.path.abspath(p) for p in asked]
    name = f"{digest(json.dumps([FORMAT, __version__, names]).encode())}.cache"
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory, 0o700)
        fd = os.open(directory, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        # A symbolic link is not followed: whoever can change where it points decides
        # what peel shows. Say so, since the link was likely made on purpose.
        if os.path.islink(directory):
            untrusted(warn, directory, "it is a symbolic link")
        return None  # otherwise no cache to be had here: only slower
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    problem = _owner_problem(info)
    if problem is not None:
        os.close(fd)
        untrusted(warn, directory, f"it {problem}")
        return None
    return Store(directory, fd, name)


def untrusted(warn: Callable[[str], None], directory: Path, problem: str) -> None:
    """Say once that the cache is not used, and why (a clause such as "it is owned by
    another user")."""
    warn(f"not using the cache in {directory}: {problem}; reading every report afresh")


def _header(length: int) -> bytes:
    # Changes whenever what is in a cache file would be read differently. The length has
    # a fixed number of digits, so that the header can be written after the body.
    tag = sys.implementation.cache_tag
    return f"peel-cache {FORMAT} {tag} {signature()} {length:012d}".encode("ascii")


def _head(length: int, crc: int) -> bytes:
    """The two lines before a body: its header and its checksum."""
    return _header(length) + b"\n" + b"%08x" % crc + b"\n"


def _index(fd: int, size: int) -> tuple[dict[Any, Any], int] | None:
    """The index of an open cache file whose header, length and index checksum are right,
    and where its body starts; else None.

    The header's declared length must match the file's size before anything else is read.
    """
    head = os.pread(fd, 256, 0)
    first = head.find(b"\n")
    second = head.find(b"\n", first + 1)
    if first < 0 or second < 0:
        return None
    declared = head[:first].rpartition(b" ")[2]
    if not declared.isdigit() or head[:first] != _header(int(declared)):
        return None
    length = int(declared)
    start = second + 1
    if start + length != size or length < _INDEX_SIZE:
        return None
    tail_size = _INDEX_SIZE + int.from_bytes(os.pread(fd, _INDEX_SIZE, size - _INDEX_SIZE), "big")
    if tail_size > length:
        return None
    tail = os.pread(fd, tail_size, size - tail_size)
    if len(tail) != tail_size or head[first + 1 : second] != b"%08x" % zlib.crc32(tail):
        return None
    try:
        # marshal trusts its input: only a file of this user's own, whose header, length
        # and index checksum match, reaches it.
        index = marshal.loads(tail[:-_INDEX_SIZE])
    except (ValueError, EOFError, TypeError, MemoryError):
        return None
    if type(index) is not dict:
        return None
    return index, start


_INDEX_SIZE = 8  # bytes at the body's end that give the index's length


def _tail(index: dict[str, tuple[int, int, int]]) -> bytes:
    """The end of a body: its index, and the index's length."""
    packed = marshal.dumps(index)
    return packed + len(packed).to_bytes(_INDEX_SIZE, "big")


class Entries(Mapping[str, bytes]):
    """A cache file's entries by key, each read from the file when it is looked up; one
    whose bytes do not match its checksum (or cannot be read) is not there."""

    def __init__(self, fd: int = -1, start: int = 0, index: dict[Any, Any] | None = None) -> None:
        self._fd = fd
        self._start = start
        self._index = index or {}  # as the file gives it: each place is checked when read
        self._end = os.fstat(fd).st_size if fd >= 0 else 0

    def __getitem__(self, key: str) -> bytes:
        place = self._index[key]
        if type(place) is not tuple or len(place) != 3:
            raise KeyError(key)
        offset, length, crc = place
        if type(offset) is not int or type(length) is not int or type(crc) is not int:
            raise KeyError(key)
        where = self._start + offset
        if min(offset, length) < 0 or where + length > self._end:
            raise KeyError(key)
        try:
            entry = os.pread(self._fd, length, where)
        except (OSError, MemoryError):
            raise KeyError(key) from None
        if len(entry) != length or zlib.crc32(entry) != crc:
            raise KeyError(key)
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: object) -> bool:
        return key in self._index


def _checksum(body: bytes | memoryview) -> bytes:
    """The checksum a header gives for a body: a CRC-32 of its index and the index's length.

    CRC-32 is made to find a torn or damaged file, and costs less than SHA-256; the content
    keys, which must tell any two files apart, stay SHA-256. Each entry has its own in the
    index, checked as the entry is read.
    """
    size = int.from_bytes(body[-_INDEX_SIZE:], "big") + _INDEX_SIZE if len(body) >= 8 else 0
    return b"%08x" % zlib.crc32(body[-size:] if 0 < size <= len(body) else body)
