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

from peelcli.dataset.files import Source, decode, discover, read_bytes, read_sources
from peelcli.errors import PeelError, Problem, memory_limited
from peelcli.models import Report


def parse_report(source: Source) -> Report:
    """One validated report from a file's bytes."""
    from peelcli.dataset.parse import parse_yaml, validate_data

    text = decode(source.data, source.name)
    return validate_data(parse_yaml(text, source.name), text, source.name)


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
    sources = read_sources(paths)
    if use_cache:
        reports = _cached_reports(sources, [str(p) for p in paths], warn or _ignore)
    else:
        reports = [parse_report(s) for s in sources]
    problems = check_corpus([(s.name, r) for s, r in zip(sources, reports, strict=True)])
    if problems:
        raise PeelError(problems)
    return reports


def _ignore(message: str) -> None:
    pass


def _cached_reports(
    sources: Sequence[Source], asked: Sequence[str], warn: Callable[[str], None]
) -> list[Report]:
    """Reports for the sources, from the cache where a file's bytes are unchanged.

    The cache file is the one for the paths asked for: a file added to or taken from a
    directory changes one entry, not which cache file is used. Entries that fail to
    unpack are misses, parsed afresh and written again.
    """
    from peelcli.dataset import codec, pool, store

    cache = store.open_store(asked, warn)
    if cache is None:
        return [parse_report(s) for s in sources]
    try:
        entries, keys, distrust = cache.entries_and_keys(
            [s.data for s in sources], pool.PARALLEL_FROM
        )
        if distrust is not None:
            store.untrusted(warn, cache.directory, distrust)
        reports: list[Report | None] = []
        packed: list[codec.Packed | None] = []
        for key in keys:
            entry = entries.get(key)
            report = codec.unpack(entry) if entry is not None else None
            reports.append(report)
            packed.append(entry if report is not None else None)
        missing = [i for i, report in enumerate(reports) if report is None]
        parsed = pool.parse_many([sources[i] for i in missing], parse_report)
        for i, (report, entry) in zip(missing, parsed, strict=True):
            reports[i] = report
            packed[i] = entry
        fresh = dict(zip(keys, packed, strict=True))
        if distrust is None and (missing or fresh.keys() != entries.keys()):
            cache.write(fresh)
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
