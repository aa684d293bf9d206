"""The tracker file on disk: where it is, reading it (strictly, with line and column for every
problem, and a cache keyed by its bytes), and changing it whole or not at all under a lock.

A change is made as git makes one to its index: under a lock (here `fcntl.flock` on
`TRACKER.lock`, which the system lets go of when a process dies, so a crash leaves no stale
lock), the file is read afresh, changed, written to a temporary file beside it, flushed to
disk and renamed over the old one. A reader sees the old file or the new one, never a mix.
A writer killed outright between making its temporary file and renaming it (SIGKILL, a power
cut) leaves that file behind; the next writer, holding the lock, removes it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from peelcli.errors import PeelError, Problem, os_message

if TYPE_CHECKING:
    from peelcli.tracking.model import Tracker

TRACKER_ENV = "PEEL_TRACKER"
DEFAULT_NAME = "peel-tracker.yaml"
MAX_TRACKER_BYTES = 256 << 20
LOCK_WAIT = 60.0  # seconds a change waits for another to finish before giving up
_CACHE_FORMAT = "tracker-1"
T = TypeVar("T")


def locate(option: str | None) -> tuple[Path | None, list[str]]:
    """The tracker named by --tracker, else $PEEL_TRACKER, else peel-tracker.yaml here if it
    exists; and the places looked at, for saying so when there is none."""
    if option:
        return Path(option), [f"--tracker {option}"]
    named = os.environ.get(TRACKER_ENV)
    if named:
        return Path(named), [f"${TRACKER_ENV} ({named})"]
    here = Path(DEFAULT_NAME)
    looked = ["--tracker", f"${TRACKER_ENV}", f"{DEFAULT_NAME} in the current directory"]
    return (here if here.is_file() else None), looked


def load(path: Path, warn: Callable[[str], None] | None = None) -> Tracker:
    """The tracker at path, validated; a PeelError with the line and column of each problem."""
    data = _read(path)
    return _parse(data, str(path), warn)


def _read(path: Path) -> bytes:
    from peelcli.dataset.files import read_bytes

    try:
        return read_bytes(path, MAX_TRACKER_BYTES)
    except PeelError as exc:
        if not path.exists():
            raise PeelError(
                Problem("no such tracker", str(path)),
                hint=f"Make one with: peel track init --tracker {path}",
            ) from None
        raise exc from None


def _parse(data: bytes, name: str, warn: Callable[[str], None] | None) -> Tracker:
    from peelcli.dataset import store
    from peelcli.tracking.model import Tracker

    cache = store.open_store([_cache_name(name)], warn or _ignore)
    key = None
    if cache is not None:
        from peelcli.dataset.codec import digest

        try:
            entries, distrust = cache.entries()
            key = digest(data)
            entry = entries.get(key) if distrust is None else None
            if entry is not None:
                with contextlib.suppress(Exception):  # a stale or damaged entry is a miss
                    # An entry of this user's own cache file, whose checksum matched.
                    return Tracker.model_validate(marshal.loads(entry))
        finally:
            cache.close()
    tracker = _validate(data, name)
    if key is not None:
        remember(data, tracker, name)
    return tracker


def _ignore(message: str) -> None:
    pass


def _cache_name(name: str) -> str:
    # The tracker's real path: a relative name, or a symlink, finds the same cache file.
    return f"{_CACHE_FORMAT}:{os.path.realpath(name)}"


def remember(data: bytes, tracker: Tracker, name: str) -> None:
    """Keep the parsed tracker in the cache under its bytes, so the next run skips the YAML."""
    from peelcli.dataset import store
    from peelcli.dataset.codec import digest

    cache = store.open_store([_cache_name(name)], _ignore)
    if cache is None:
        return
    try:
        cache.write([(digest(data), marshal.dumps(tracker.model_dump(mode="json")))])
    finally:
        cache.close()


def _validate(data: bytes, name: str) -> Tracker:
    from pydantic import ValidationError

    from peelcli.dataset.files import decode
    from peelcli.tracking.model import Tracker
    from peelcli.tracking.yamlio import locate_errors, parse

    text = decode(data, name)
    plain = parse(text, name)
    if not isinstance(plain, dict):
        raise PeelError(Problem("expected a mapping with entries: at top level", name, 1, 1))
    try:
        tracker = Tracker.model_validate(plain)
    except ValidationError as exc:
        raise PeelError(locate_errors(text, name, exc.errors())) from None
    problems = _key_problems(tracker)
    if problems:
        raise PeelError(locate_errors(text, name, problems)) from None
    return tracker


def _key_problems(tracker: Tracker) -> list[dict[str, Any]]:
    import re

    entry = re.compile(r"[^/\s]+/[0-9]{4}/[A-Z][1-9][0-9]*\.[ACRIP][1-9][0-9]*")
    report = re.compile(r"[^/\s]+/[0-9]{4}")
    problems = []
    for section, pattern, example in (
        ("entries", entry, "metropolitan-police-service/2016/E3.R4"),
        ("responses", report, "metropolitan-police-service/2016"),
    ):
        for key in getattr(tracker, section):
            if not pattern.fullmatch(key):
                problems.append(
                    {"loc": (section, key), "msg": f"is not a key such as {example}", "key": True}
                )
    return problems


# --- writing ------------------------------------------------------------------------


def create(path: Path) -> None:
    """A new, empty tracker at path; an error if a file is there already."""
    from peelcli.tracking.model import Tracker
    from peelcli.tracking.yamlio import dump

    text = dump(Tracker())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise PeelError(
            Problem("already exists; peel track init never writes over a file", str(path))
        ) from None
    except OSError as exc:
        raise PeelError(Problem(f"cannot write: {os_message(exc)}", str(path))) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def update(path: Path, change: Callable[[Tracker], T], dry_run: bool = False) -> T:
    """Apply change to the tracker under its lock, then put the new file in place whole.

    The file is read afresh under the lock, so changes made at once by several processes
    all survive. Nothing is written when change raises, or with dry_run.
    """
    real = Path(os.path.realpath(path))
    if not real.exists():
        _read(path)  # the error that says how to make one
    if dry_run:  # nothing to write, so no lock to take: a reader's view of the file
        return change(load(real))
    with _locked(real):
        _remove_stale_temporaries(real)
        tracker = load(real)
        result = change(tracker)
        from peelcli.tracking.yamlio import dump

        data = dump(tracker).encode("utf-8")
        _replace(real, data)
        with contextlib.suppress(Exception):  # the cache costs speed only
            remember(data, tracker, str(real))
    return result


@contextlib.contextmanager
def _locked(path: Path) -> Any:
    import fcntl
    import time

    lock = f"{path}.lock"
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise PeelError(Problem(f"cannot take the lock: {os_message(exc)}", lock)) from None
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PeelError(
                        Problem("another peel has held the tracker's lock for a minute", lock),
                        hint="Try again when it has finished.",
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # closing lets go of the lock


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of this tracker's naming that a killed writer left. Only a
    writer holding the lock makes one, and the caller holds it: any there now is stale."""
    import re

    # `.NAME.` and mkstemp's random letters, with no dot: another tracker's `.NAME.x.….tmp`
    # (a file called NAME.x) never matches.
    stale = re.compile(re.escape(_temporary_prefix(path)) + r"[A-Za-z0-9_]+\.tmp")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return  # the write that follows says what is wrong with the folder
    for name in names:
        if stale.fullmatch(name):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


def _replace(path: Path, data: bytes) -> None:
    import tempfile

    try:
        mode = os.stat(path).st_mode & 0o777
        fd, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=_temporary_prefix(path), suffix=".tmp"
        )
    except OSError as exc:
        raise PeelError(Problem(f"cannot write: {os_message(exc)}", str(path))) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise PeelError(Problem(f"cannot write: {os_message(exc)}", str(path))) from None
        raise
    with contextlib.suppress(OSError):  # the rename itself, on disk
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def check(path: Path) -> list[Problem]:
    """Every problem with a tracker file, each with its line and column (none: it is valid)."""
    try:
        _validate(_read(path), str(path))
    except PeelError as exc:
        return list(exc.problems)
    return []


def is_tracker(path: Path) -> bool:
    """Whether a file given to `peel validate` is a tracker (by its first lines), not a report."""
    import re

    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return head.startswith("# A peel tracker") or (
        re.search(r"^(?:entries|responses):", head, re.MULTILINE) is not None
        and re.search(r"^(?:force|pillars|areas):", head, re.MULTILINE) is None
    )
