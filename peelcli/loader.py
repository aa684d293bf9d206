"""The only place that reads datasets: files or directories in, validated reports out.

Every failure becomes a :class:`PeelError` naming the file, line, column and
field path. Files are read here; their YAML is parsed in :mod:`peelcli.parse`,
which is imported only for files the cache does not already hold.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from peelcli.errors import PeelError, Problem, os_message
from peelcli.models import Report

MAX_FILE_BYTES = 8 * 1024 * 1024
REPORT_SUFFIXES = (".yaml", ".yml")
DATA_ENV = "PEEL_DATA"
EMBEDDED_NAME = "metropolitan_2016.yaml"
STDIN = "-"


def embedded_dataset() -> Path:
    """The dataset shipped inside the package (or, in a source checkout, in data/)."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / EMBEDDED_NAME
    return packaged if packaged.is_file() else here.parent / "data" / EMBEDDED_NAME


def data_paths(option: Sequence[str] | None) -> list[Path]:
    """The paths to load: --data, else $PEEL_DATA (split on os.pathsep), else the embedded one."""
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
        files = sorted(_walk_reports(path))
        if not files:
            raise PeelError(
                Problem("directory holds no report files (*.yaml, *.yml)", str(path)),
                hint="Point --data at a report file or a directory of them.",
            )
        found.extend(files)
    return found


def _walk_reports(top: Path) -> list[Path]:
    # os.walk does not follow symlinked directories, so a symlink loop cannot trap it. A
    # folder it cannot list is an error, not a silent gap in the corpus.
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem(os_message(exc), str(exc.filename or top)))

    found: list[Path] = []
    for root, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [
            Path(root) / name
            for name in files
            if name.endswith(REPORT_SUFFIXES) and not name.startswith(".")
        ]
    if problems:
        raise PeelError(problems, hint="peel reads every report under a --data directory.")
    return found


def read_bytes(path: Path) -> bytes:
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
        if info.st_size > MAX_FILE_BYTES:
            raise PeelError(
                Problem(
                    f"is {info.st_size:,} bytes; the limit for one report is "
                    f"{MAX_FILE_BYTES:,} bytes (8 MiB)",
                    name,
                )
            )
        data = _read_to_end(fd, info.st_size)
    except OSError as exc:
        raise PeelError(Problem(os_message(exc), name)) from None
    finally:
        os.close(fd)
    return _within_limit(data, name)


def _read_to_end(fd: int, size: int) -> bytes:
    # Up to one byte past the limit. Plain os.read, as a file object costs more than the
    # read itself for a small file: one call reads all that fstat said is there (and one
    # byte more, were the file to have grown), and one more finds the end.
    parts: list[bytes] = []
    total = 0
    want = size + 1
    while total <= MAX_FILE_BYTES:
        part = os.read(fd, min(want, MAX_FILE_BYTES + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
        want = 1 << 16
    return b"".join(parts)


def read_text(path: str) -> tuple[str, str]:
    """The name to show in messages and the UTF-8 text of a file, or of stdin for '-'."""
    if path != STDIN:
        return path, decode(read_bytes(Path(path)), path)
    name = "<stdin>"
    try:
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PeelError(Problem(os_message(exc), name)) from None
    return name, decode(_within_limit(data, name), name)


def _within_limit(data: bytes, name: str) -> bytes:
    # Both readers stop one byte past the limit, so a longer input ends here.
    if len(data) > MAX_FILE_BYTES:
        raise PeelError(Problem(f"is larger than the limit of {MAX_FILE_BYTES:,} bytes", name))
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


def parse_report(source: Source) -> Report:
    """One validated report from a file's bytes."""
    from peelcli.parse import parse_yaml, validate_data

    text = decode(source.data, source.name)
    data, node = parse_yaml(text, source.name)
    return validate_data(data, node, source.name)


def check_corpus(reports: Sequence[tuple[str, Report]]) -> list[Problem]:
    """Reports that repeat another's force, year and pillar: their IDs would be ambiguous."""
    problems: list[Problem] = []
    first: dict[tuple[str, int, str], str] = {}
    for name, report in reports:
        for pillar in report.pillars:
            key = (report.force.casefold(), report.year, pillar.id)
            if key in first:
                problems.append(
                    Problem(
                        f"repeats pillar {pillar.id} of {report.force} {report.year}, "
                        f"already in {first[key]}",
                        name,
                    )
                )
            else:
                first[key] = name
    return problems


def load_reports(paths: Sequence[Path], use_cache: bool = True) -> list[Report]:
    """Every report the paths name, validated; a PeelError for the first file that fails."""
    sources = read_sources(paths)
    if use_cache:
        from peelcli.cache import cached_reports

        reports = cached_reports(sources, parse_report, [str(p) for p in paths])
    else:
        reports = [parse_report(s) for s in sources]
    problems = check_corpus([(s.name, r) for s, r in zip(sources, reports, strict=True)])
    if problems:
        raise PeelError(problems)
    return reports


def validate_paths(paths: Sequence[Path]) -> tuple[int, list[Problem]]:
    """Check every file the paths name; the number of files and every problem found."""
    problems: list[Problem] = []
    good: list[tuple[str, Report]] = []
    count = 0
    for path in paths:
        try:
            files = discover([path])
        except PeelError as exc:
            count += 1  # a path that names no report file is one bad input all the same
            problems.extend(exc.problems)
            continue
        for file in files:
            count += 1
            try:
                good.append((str(file), parse_report(Source(str(file), read_bytes(file)))))
            except PeelError as exc:
                problems.extend(exc.problems)
    problems.extend(check_corpus(good))
    return count, problems
