"""Report files on disk: which paths to read, their bytes and text, and writing a file safely.

Every failure becomes a :class:`PeelError` naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from peelcli.errors import PeelError, Problem, os_message

MAX_FILE_BYTES = 8 * 1024 * 1024
# A published PDF carries pictures and fonts besides its text, so a report to import may be
# larger than its dataset.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
REPORT_SUFFIXES = (".yaml", ".yml")
DATA_ENV = "PEEL_DATA"
EMBEDDED_NAME = "metropolitan_2016.yaml"
STDIN = "-"
MAX_TREE_DEPTH = 64  # folders below a directory of reports; a corpus needs two or three
TOO_DEEP = (
    f"holds folders more than {MAX_TREE_DEPTH} levels deep; "
    f"peel reads reports at most {MAX_TREE_DEPTH} levels below a directory it is given"
)


def embedded_dataset() -> Path:
    """The dataset shipped inside the package (or, in a source checkout, in data/)."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data" / EMBEDDED_NAME
    return packaged if packaged.is_file() else package.parent / "data" / EMBEDDED_NAME


def data_paths(option: Sequence[str] | None) -> list[Path]:
    """The paths to load: those given, else $PEEL_DATA (split on os.pathsep), else the
    embedded report."""
    if option:
        if not all(option):  # Path("") is ".": the current directory, which nobody asked for
            raise PeelError("an empty path ('') names no report file")
        return [Path(p) for p in option]
    env = os.environ.get(DATA_ENV, "")
    named = [p for p in env.split(os.pathsep) if p]
    return [Path(p) for p in named] if named else [embedded_dataset()]


# --- finding files -----------------------------------------------------------------


def discover(paths: Iterable[Path]) -> list[Path]:
    """Report files named by paths: files as given, directories searched for *.yaml and *.yml."""
    found: list[Path] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError as exc:
            raise PeelError(Problem(os_message(exc), str(path))) from None
        if not is_dir:
            found.append(path)
            continue
        files = sorted(_walk_reports(path), key=str)  # as text: comparing Paths costs more
        if not files:
            raise PeelError(
                Problem("directory holds no report files (*.yaml, *.yml)", str(path)),
                hint="Give a report file or a directory of them.",
                reason="no_report_files",
            )
        found.extend(files)
    return found


def _walk_reports(top: Path) -> list[Path]:
    # A walk with a list of folders still to read rather than recursion (os.walk recurses
    # once per level, and a tree a thousand folders deep ran out of stack). Like os.walk, it
    # does not enter symlinked folders, so a symlink loop cannot trap it; hidden folders
    # and files are left out. A folder it cannot list is an error, not a silent gap in the
    # corpus, and so is a tree deeper than any corpus needs.
    problems: list[Problem] = []
    found: list[Path] = []
    pending: list[tuple[str, int]] = [(str(top), 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    if _is_folder(entry):
                        if entry.is_symlink():
                            continue
                        if depth >= MAX_TREE_DEPTH:
                            raise PeelError(
                                Problem(TOO_DEEP, str(top)),
                                hint="Give the folders that hold the reports.",
                                reason="folders_too_deep",
                            )
                        pending.append((entry.path, depth + 1))
                    elif name.endswith(REPORT_SUFFIXES):
                        found.append(Path(entry.path))
        except OSError as exc:
            problems.append(Problem(os_message(exc), str(exc.filename or folder)))
    if problems:
        raise PeelError(
            problems,
            hint="peel reads every report under a directory it is given.",
            reason="folders_unreadable",
        )
    return found


def _is_folder(entry: os.DirEntry[str]) -> bool:
    # Followed, as os.walk does: a symlink to a folder is a folder, left out above.
    try:
        return entry.is_dir()
    except OSError:
        return False


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes; anything else (FIFO, device, too large, unreadable) is refused."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise PeelError(Problem(os_message(exc), name)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
            raise PeelError(Problem(f"is {kind}; peel reads report files only", name))
        if info.st_size > limit:
            raise PeelError(
                Problem(
                    f"is {info.st_size:,} bytes; the limit for one report is "
                    f"{limit:,} bytes ({limit >> 20} MiB)",
                    name,
                )
            )
        data = _read_to_end(fd, info.st_size, limit)
    except OSError as exc:
        raise PeelError(Problem(os_message(exc), name)) from None
    finally:
        os.close(fd)
    return _within_limit(data, name, limit)


def _read_to_end(fd: int, size: int, limit: int) -> bytes:
    # Up to one byte past the limit. Plain os.read, as a file object costs more than the
    # read itself for a small file: one call asks for all that fstat said is there and one
    # byte more, were the file to have grown. A regular file reads short only at its end, so
    # a short read is the end, with no call more to find it.
    parts: list[bytes] = []
    total = 0
    want = size + 1
    while total <= limit:
        request = min(want, limit + 1 - total)
        part = os.read(fd, request)
        if not part:
            break
        parts.append(part)
        total += len(part)
        if len(part) < request:
            break
        want = 1 << 16
    return b"".join(parts)


def read_input(path: str, limit: int = MAX_FILE_BYTES) -> tuple[str, bytes]:
    """The name to show in messages and the bytes of a file, or of stdin for '-'."""
    if path != STDIN:
        return path, read_bytes(Path(path), limit)
    name = "<stdin>"
    # Started with stdin closed (`peel import - <&-`), Python leaves it None.
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise PeelError("standard input is closed; nothing to read")
    try:
        data = stream.read(limit + 1)
    except ValueError:  # closed since
        raise PeelError("standard input is closed; nothing to read") from None
    except OSError as exc:
        raise PeelError(Problem(os_message(exc), name)) from None
    return name, _within_limit(data, name, limit)


def _within_limit(data: bytes, name: str, limit: int) -> bytes:
    # Both readers stop one byte past the limit, so a longer input ends here.
    if len(data) > limit:
        raise PeelError(Problem(f"is larger than the limit of {limit:,} bytes", name))
    return data


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of a file, or a PeelError at the first bad byte or NUL."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise PeelError(
            Problem(
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
                name,
                line,
                column,
            )
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        line, column = _position(text, nul)
        raise PeelError(Problem("contains a NUL byte; is it a binary file?", name, line, column))
    return text.removeprefix("\ufeff")


def _position(data: bytes | str, offset: int) -> tuple[int, int]:
    before = data[:offset]
    newline = b"\n" if isinstance(before, bytes) else "\n"
    line = before.count(newline) + 1  # type: ignore[arg-type]
    column = offset - (before.rfind(newline) + 1) + 1  # type: ignore[arg-type]
    return line, column


# --- reports -----------------------------------------------------------------------


class Source(NamedTuple):
    """A report file's name and bytes."""

    name: str
    data: bytes


def read_sources(paths: Sequence[Path]) -> list[Source]:
    """The bytes of every report file the paths name."""
    return [Source(str(p), read_bytes(p)) for p in discover(paths)]


# --- writing ------------------------------------------------------------------------


def write_file(name: str, text: str, protect: Sequence[str] = ()) -> None:
    """Text to a file as UTF-8, as `> name` in a shell would write it, but whole or not at all.

    A symlink is followed and stays; a regular file where it leads (or a new one) is
    replaced at once by a complete one, with the old file's permissions less any setuid,
    setgid or sticky bit. Anything else (a device, a pipe, /dev/stdout) is written
    through. ``protect`` names files that must not be replaced, such as the input of the
    run ('-' for stdin): compared by device and inode, so no other name for one escapes.
    """
    data = text.encode("utf-8")
    try:
        try:
            info: os.stat_result | None = os.stat(name)
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISREG(info.st_mode) and _is_protected(info, protect):
            raise PeelError(Problem("is the file being read; write to another file", name))
        place = _destination(name)
        if place is None or (info is not None and not stat.S_ISREG(info.st_mode)):
            with open(name, "wb") as handle:  # as the shell does: truncated, then written
                handle.write(data)
            return
        _replace(place, data, None if info is None else info.st_mode)
    except OSError as exc:
        raise PeelError(Problem(f"cannot write: {os_message(exc)}", name)) from None


def _is_protected(info: os.stat_result, protect: Sequence[str]) -> bool:
    for name in protect:
        try:
            other = os.fstat(sys.stdin.fileno()) if name == STDIN else os.stat(name)
        except (OSError, AttributeError, ValueError):  # gone, or stdin closed
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return True
    return False


def _destination(name: str) -> str | None:
    """Where a file is to be replaced: name with its symlinks followed; None to write through.

    A link into /proc/<pid>/fd (/dev/stdout, /dev/fd/1) names a file already open, which
    may be a pipe or one deleted since; it is written through, as `> /dev/stdout` would.
    """
    current = name
    for _ in range(40):  # as the kernel's limit on links in a path
        folder, base = os.path.split(current)
        folder = os.path.realpath(folder or ".")
        current = os.path.join(folder, base)
        if folder.startswith("/proc/") and "/fd" in folder[len("/proc/") :]:
            return None
        try:
            target = os.readlink(current)
        except OSError:  # not a link, or not there: this is the place
            return current
        current = os.path.join(folder, target)
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), name)


def _replace(path: str, data: bytes, mode: int | None) -> None:
    """A complete file at path, put in place in one step: a temporary file in its folder."""
    with _replacing(path, mode) as temporary, open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@contextlib.contextmanager
def _replacing(path: str, mode: int | None) -> Iterator[str]:
    """A temporary file's name in path's folder, to fill; when the block ends well it takes
    path's place in one step, and otherwise it is removed."""
    import tempfile

    if mode is None:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    folder, base = os.path.split(path)
    fd, temporary = tempfile.mkstemp(dir=folder or ".", prefix=f".{base}.", suffix=".tmp")
    os.close(fd)
    try:
        yield temporary
        # Never setuid, setgid or sticky: root replacing another user's 6755 file would
        # otherwise make a root-owned setuid file.
        os.chmod(temporary, mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def replacing(name: str, kind: str, looks_right: Callable[[bytes], bool]) -> Iterator[str]:
    """A file made whole under a temporary name, then put in name's place in one step.

    For writers that need a path of their own (a database, a workbook). name must be a new
    file or a regular file whose first bytes ``looks_right`` accepts as one of the ``kind``
    it replaces: nothing else is written over. Nothing is left half-written on a failure.
    """
    try:
        try:
            info: os.stat_result | None = os.stat(name)
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise PeelError(Problem("is a directory; name a file to write", name))
        place = _destination(name)
        if place is None or (info is not None and not stat.S_ISREG(info.st_mode)):
            raise PeelError(Problem(f"is not a regular file; name a file for the {kind}", name))
        if info is not None:
            with open(place, "rb") as handle:
                head = handle.read(16)
            if head and not looks_right(head):
                raise PeelError(
                    Problem(f"is not a {kind}; peel replaces only a {kind}, so name another", name)
                )
        with _replacing(place, None if info is None else info.st_mode) as temporary:
            yield temporary
    except OSError as exc:
        raise PeelError(Problem(f"cannot write: {os_message(exc)}", name)) from None
