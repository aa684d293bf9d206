"""The one loader: files or directories in, validated reports out.

It coordinates the steps that live in modules of their own: read the files
(:mod:`.files`), look each one up in the cache (:mod:`.store`), parse the misses
(:mod:`.parse`, on every core through :mod:`.pool` when there are many), and
store what was parsed. Every failure becomes a :class:`PeelError` naming the
file, line, column and field path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from peelcli.dataset.files import Source, decode, discover, read_bytes
from peelcli.errors import PeelError, Problem, memory_limited
from peelcli.models import Report


def parse_report(source: Source) -> Report:
    """One validated report from a file's bytes."""
    from peelcli.dataset.codec import share_fields_set
    from peelcli.dataset.parse import parse_yaml, regular_data
    from peelcli.dataset.validation import validate_data

    data = regular_data(source.data)  # a regular file, read without decoding it first
    if data is None:
        text = decode(source.data, source.name)
        report = validate_data(parse_yaml(text, source.name), text, source.name)
    else:
        report = validate_data(data, lambda: decode(source.data, source.name), source.name)
    share_fields_set(report)  # held with the rest of a corpus: as small as a cached one
    return report


def check_corpus(reports: Sequence[tuple[str, Report]]) -> list[Problem]:
    """Reports that repeat another's force, year and pillar (or areas): their IDs would be
    ambiguous."""
    problems: list[Problem] = []
    first: dict[tuple[str, int, str], str] = {}
    for name, report in reports:
        parts = [(p.id, f"pillar {p.id}") for p in report.pillars]
        if report.areas:
            parts.append(("areas", "the areas"))
        for key_part, what in parts:
            key = (report.force.casefold(), report.year, key_part)
            if key in first:
                problems.append(
                    Problem(
                        f"repeats {what} of {report.force} {report.year}, already in {first[key]}",
                        name,
                    )
                )
            else:
                first[key] = name
    return problems


def load_reports(
    paths: Sequence[Path], use_cache: bool = True, warn: Callable[[str], None] | None = None
) -> list[Report]:
    """Every report the paths name, validated; a PeelError for the first file that fails.

    ``warn`` hears, in one line, why the cache could not be used, if it could not.
    Memory running out is a PeelError too: a limit of the machine, not a defect.
    """
    try:
        return _load_reports(paths, use_cache, warn)
    except (MemoryError, SystemError) as exc:
        if isinstance(exc, SystemError) and not memory_limited():
            raise
        # By now the frames that held the corpus are gone, and their memory with them.
        raise PeelError(Problem(OUT_OF_MEMORY, ", ".join(str(p) for p in paths))) from None


OUT_OF_MEMORY = "ran out of memory loading the reports; free some, or load fewer at once"


def _load_reports(
    paths: Sequence[Path], use_cache: bool, warn: Callable[[str], None] | None
) -> list[Report]:
    files = discover(paths)
    names = [str(f) for f in files]
    if use_cache:
        reports = _cached_reports(files, [str(p) for p in paths], warn or _ignore)
    else:
        reports = [parse_report(Source(str(f), read_bytes(f))) for f in files]
    problems = check_corpus(list(zip(names, reports, strict=True)))
    if problems:
        raise PeelError(problems)
    return reports


def _ignore(message: str) -> None:
    pass


def _cached_reports(
    files: Sequence[Path], asked: Sequence[str], warn: Callable[[str], None]
) -> list[Report]:
    """Reports for the files, from the cache where a file's bytes are unchanged.

    The cache file is the one for the paths asked for: a file added to or taken from a
    directory changes one entry, not which cache file is used. Entries that fail to
    unpack are misses, parsed afresh and written again.

    Files are read one at a time, and what the peak of a large corpus need not hold is
    not kept: a file's bytes go once its entry is unpacked or it is parsed (here at
    once; when helper processes parse the misses, each miss is read again where it is
    parsed, and not read here at all when there is no cache to look in), and the cache
    file's body when the load ends.
    """
    from peelcli.dataset import codec, pool, store

    cache = store.open_store(asked, warn)
    if cache is None:
        return [parse_report(Source(str(f), read_bytes(f))) for f in files]
    try:
        entries, distrust = cache.entries()
        if distrust is not None:
            store.untrusted(warn, cache.directory, distrust)
        # Helpers pay only for many misses on idle cores: else each is parsed as it is read.
        pooled = pool.helpers_wanted(len(files) - len(entries))
        keys: list[str] = []
        reports: list[Report | None] = []
        hits: list[bool] = []  # whose entry is written again as it was read
        misses: list[Source] = []
        changed = False
        for file in files:
            if pooled and not entries:
                # Nothing to look up: each file is read where it is parsed, never held here.
                source = Source(str(file), b"")
                key = ""
                report = None
            else:
                source = Source(str(file), read_bytes(file))
                key = codec.digest(source.data)
                entry = entries.get(key)
                report = codec.unpack(entry) if entry is not None else None
                entry = None
            hits.append(report is not None)
            if report is None and not pooled:
                report = parse_report(source)  # packed as the cache is written
                changed = True
            elif report is None:
                misses.append(Source(source.name, b""))  # read again where it is parsed
                changed = True
            keys.append(key)
            reports.append(report)
        if misses:
            places = [i for i, report in enumerate(reports) if report is None]
            parsed, made_keys = pool.parse_many(misses, parse_report)
            for i, report, key in zip(places, parsed, made_keys, strict=True):
                reports[i] = report
                keys[i] = key  # of the bytes parsed, should the file have changed since
        if distrust is None and (changed or entries.keys() != set(keys)):
            cache.write(
                (key, (hit and entries.get(key)) or codec.pack(report))  # type: ignore[arg-type]
                for key, report, hit in zip(keys, reports, hits, strict=True)
            )
    finally:
        cache.close()
    return reports  # type: ignore[return-value]  # every None was replaced above


def validate_paths(
    paths: Sequence[Path], checked: list[str] | None = None
) -> tuple[int, list[Problem]]:
    """Check every file the paths name; the number of files and every problem found. The
    name of each file checked is added to checked, if given."""
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
            if checked is not None:
                checked.append(str(file))
            try:
                good.append((str(file), parse_report(Source(str(file), read_bytes(file)))))
            except PeelError as exc:
                problems.extend(exc.problems)
            except (MemoryError, SystemError) as exc:
                if isinstance(exc, SystemError) and not memory_limited():
                    raise
                problems.append(Problem(OUT_OF_MEMORY, str(file)))
    problems.extend(check_corpus(good))
    return count, problems
