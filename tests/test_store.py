"""The cache of validated reports: whatever happens to the files or to the cache, a load
gives exactly what a fresh load gives."""

from __future__ import annotations

import marshal
import os
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from conftest import DATASET, make_corpus, report_as

from peelcli.dataset import codec, files, loader, pool, store
from peelcli.errors import PeelError


def fresh(paths: list[Path]) -> list[dict[str, Any]]:
    return [r.model_dump() for r in loader.load_reports(paths, use_cache=False)]


def cached(paths: list[Path]) -> list[dict[str, Any]]:
    return [r.model_dump() for r in loader.load_reports(paths)]


def cache_files() -> list[Path]:
    return sorted(store.cache_dir().glob("*"))


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the loader parses (rather than takes from the cache), in order."""
    names: list[str] = []
    parse = loader.parse_report

    def counting(source: files.Source) -> Any:
        names.append(source.name)
        return parse(source)

    monkeypatch.setattr(loader, "parse_report", counting)
    return names


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any parse fail the test: what follows must come from the cache."""

    def refuse(source: files.Source) -> None:
        pytest.fail(f"parsed {source.name}, which the cache holds")

    monkeypatch.setattr(loader, "parse_report", refuse)


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    """Three reports in a directory, loaded once so that the cache holds them."""
    make_corpus(tmp_path / "reports")
    paths = [tmp_path / "reports"]
    assert cached(paths) == fresh(paths)
    assert len(cache_files()) == 1
    return paths


def test_the_cache_lives_in_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert store.cache_dir() == tmp_path / "xdg" / "peel"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert store.cache_dir() == tmp_path / "home" / ".cache" / "peel"


@pytest.mark.parametrize("relative", ["cache", "./cache", "~/cache"])
def test_a_relative_xdg_cache_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: str
) -> None:
    # The XDG base directory specification: a relative path is invalid and is ignored.
    monkeypatch.setenv("XDG_CACHE_HOME", relative)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert store.cache_dir() == tmp_path / "home" / ".cache" / "peel"


def test_a_warm_load_parses_nothing_and_equals_a_fresh_one(
    corpus: list[Path], request: pytest.FixtureRequest
) -> None:
    expected = fresh(corpus)
    request.getfixturevalue("no_parsing")
    assert cached(corpus) == expected


def test_warm_reports_are_whole_models(corpus: list[Path], request: pytest.FixtureRequest) -> None:
    expected = loader.load_reports(corpus, use_cache=False)[0]
    request.getfixturevalue("no_parsing")
    (report, *_) = loader.load_reports(corpus)
    assert report == expected
    question = report.pillars[0].questions[0]
    assert question.grade.rank == 3  # an enum member, not its value
    assert report.pillars[0].questions[2].causes_of_concern[0].recommendations[0].id == "E3.R1"
    with pytest.raises(ValueError, match="frozen"):
        question.title = "changed"  # type: ignore[misc]


def test_an_edited_file_is_seen(corpus: list[Path]) -> None:
    path = corpus[0] / "001.yaml"
    path.write_text(path.read_text("utf-8").replace("grade: good", "grade: outstanding", 1))
    assert cached(corpus) == fresh(corpus)
    assert cached(corpus)[1]["pillars"][0]["questions"][0]["grade"] == "outstanding"
    (file,) = cache_files()
    assert len(entries_of(file)) == 3  # the entry for the old bytes is gone


def test_an_edit_that_keeps_size_and_mtime_is_seen(corpus: list[Path]) -> None:
    path = corpus[0] / "000.yaml"
    before = path.stat()
    text = path.read_text("utf-8")
    edited = text.replace("title: How effective", "title: How efficient", 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    path.write_text(edited, "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reports = cached(corpus)
    assert reports == fresh(corpus)
    assert reports[0]["pillars"][0]["questions"][0]["title"].startswith("How efficient")


def test_an_added_file_is_seen_and_is_all_that_is_parsed(
    corpus: list[Path], parsed: list[str]
) -> None:
    (corpus[0] / "100.yaml").write_text(report_as("Cleveland Police"), "utf-8")
    expected = fresh(corpus)
    parsed.clear()
    reports = cached(corpus)
    assert reports == expected
    assert [r["force"] for r in reports][-1] == "Cleveland Police"
    assert [Path(name).name for name in parsed] == ["100.yaml"]


def test_a_deleted_file_is_seen(corpus: list[Path]) -> None:
    (corpus[0] / "001.yaml").unlink()
    reports = cached(corpus)
    assert reports == fresh(corpus)
    assert len(reports) == 2
    (file,) = cache_files()
    assert len(entries_of(file)) == 2  # its entry is gone from the cache too


def test_a_file_that_turns_bad_fails_as_it_would_fresh(corpus: list[Path]) -> None:
    path = corpus[0] / "002.yaml"
    path.write_text(path.read_text("utf-8").replace("grade: good", "grade: great", 1))
    with pytest.raises(PeelError) as fresh_error:
        loader.load_reports(corpus, use_cache=False)
    with pytest.raises(PeelError) as cached_error:
        loader.load_reports(corpus)
    assert str(cached_error.value) == str(fresh_error.value)
    assert "'great' is not a grade" in str(cached_error.value)


def entries_of(file: Path) -> dict[str, Any]:
    """The entries a cache file holds, read as peel reads them."""
    fd = os.open(file, os.O_RDONLY)
    try:
        found = store._index(fd, os.fstat(fd).st_size)
        assert found is not None
        return dict(store.Entries(fd, found[1], found[0]))
    finally:
        os.close(fd)


def body_of(entries: dict[str, Any]) -> bytes:
    """A cache file's body holding these entries, as peel writes it."""
    index = {}
    offset = 0
    for key, entry in entries.items():
        index[key] = (offset, len(entry), zlib.crc32(entry))
        offset += len(entry)
    return b"".join(bytes(entry) for entry in entries.values()) + store._tail(index)


def _rewrite_body(file: Path, body: bytes, header: bytes | None = None) -> None:
    """Replace a cache file's body, with a checksum and a declared length that match it."""
    header = (header or store._header(0)).rpartition(b" ")[0] + b" %012d" % len(body)
    file.write_bytes(header + b"\n" + store._checksum(body) + b"\n" + body)


def _truncate(file: Path) -> None:
    file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])


def _garbage(file: Path) -> None:
    file.write_bytes(os.urandom(4096))


def _empty(file: Path) -> None:
    file.write_bytes(b"")


def _wrong_checksum(file: Path) -> None:
    # One flipped bit that leaves a body marshal reads, of the right shape, but wrong.
    raw = file.read_bytes()
    assert raw.count(b"HMIC") > 1
    file.write_bytes(raw.replace(b"HMIC", b"hMIC", 1))


def _json_instead(file: Path) -> None:
    _rewrite_body(file, b'{"entries": {"a": [1, 2, 3]}}')


def _list_instead_of_entries(file: Path) -> None:
    _rewrite_body(file, marshal.dumps([1, 2, 3]))


def _entries_of_the_wrong_shape(file: Path) -> None:
    entries = {key: marshal.loads(entry) for key, entry in entries_of(file).items()}
    keys = sorted(entries)
    report = entries[keys[0]]
    entries[keys[0]] = report[:-1]  # a field short
    entries[keys[1]] = (2016, *entries[keys[1]][1:])  # text where a number was expected
    pillars = report[-1]
    question = pillars[0][-1][0]
    bad_grade = (*question[:2], "excellent", *question[3:])
    entries[keys[2]] = (*report[:-1], ((*pillars[0][:-1], (bad_grade,)),))
    _rewrite_body(file, body_of({key: marshal.dumps(entry) for key, entry in entries.items()}))


def _another_python(file: Path) -> None:
    raw = file.read_bytes()
    body = raw.split(b"\n", 2)[2]
    header = raw.split(b"\n", 1)[0].replace(b"cpython-", b"cpython-x", 1)
    _rewrite_body(file, body, header)


CORRUPTIONS = [
    _truncate,
    _garbage,
    _empty,
    _wrong_checksum,
    _json_instead,
    _list_instead_of_entries,
    _entries_of_the_wrong_shape,
    _another_python,
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__.strip("_"))
def test_a_damaged_cache_costs_only_time(
    corpus: list[Path], corrupt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (file,) = cache_files()
    corrupt(file)
    expected = fresh(corpus)
    assert cached(corpus) == expected
    # ... and the next run finds the cache mended.
    monkeypatch.setattr(loader, "parse_report", lambda source: pytest.fail("parsed again"))
    assert cached(corpus) == expected


def test_entries_of_the_wrong_shape_are_refused_one_by_one(
    corpus: list[Path], parsed: list[str]
) -> None:
    (file,) = cache_files()
    _entries_of_the_wrong_shape(file)
    expected = fresh(corpus)
    parsed.clear()
    assert cached(corpus) == expected
    assert len(parsed) == 3  # each of the three damaged entries


def test_an_unwritable_cache_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    paths = make_corpus(tmp_path / "reports")
    assert cached(paths) == fresh(paths)
    assert cached(paths) == fresh(paths)
    assert blocker.read_text() == "a file where the cache directory would be"


def test_a_cache_file_in_the_way_costs_only_time(corpus: list[Path]) -> None:
    (file,) = cache_files()
    file.unlink()
    file.mkdir()  # neither readable nor replaceable as a file
    assert cached(corpus) == fresh(corpus)


def test_peel_cache_0_neither_reads_nor_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEEL_CACHE", "0")
    paths = make_corpus(tmp_path / "reports")
    assert cached(paths) == fresh(paths)
    assert not store.cache_dir().exists()
    monkeypatch.setattr(store.Store, "entries", lambda self: pytest.fail("read the cache"))
    assert cached(paths) == fresh(paths)


def test_writes_are_atomic_and_leave_nothing_behind(corpus: list[Path]) -> None:
    (corpus[0] / "000.yaml").write_text(report_as("Norfolk Constabulary"), "utf-8")
    cached(corpus)
    names = [p.name for p in cache_files()]
    assert len(names) == 1 and not any(n.startswith(".tmp-") for n in names)


def test_one_cache_file_per_set_of_paths_asked_for(tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "reports", 2)
    cached([paths[0]])
    cached([paths[1]])
    cached(paths)
    cached([tmp_path / "reports"])
    assert len(cache_files()) == 4
    (tmp_path / "reports" / "002.yaml").write_text(report_as("Cleveland Police"), "utf-8")
    cached([tmp_path / "reports"])
    assert len(cache_files()) == 4


def test_a_missing_file_fails_as_it_would_fresh(corpus: list[Path]) -> None:
    missing = [corpus[0] / "nowhere.yaml"]
    with pytest.raises(PeelError) as error:
        loader.load_reports(missing)
    assert str(error.value).endswith("nowhere.yaml: no such file or directory")


# --- many files at once: parsed in several processes --------------------------------


@pytest.fixture
def many(tmp_path: Path) -> list[Path]:
    count = pool.PARALLEL_FROM + 6
    make_corpus(tmp_path / "many", count)
    return [tmp_path / "many"]


def test_many_misses_load_as_a_fresh_load_does(many: list[Path]) -> None:
    assert cached(many) == fresh(many)
    assert cached(many) == fresh(many)


@pytest.mark.parametrize("corrupt", [None, *CORRUPTIONS], ids=lambda f: f and f.__name__.strip("_"))
def test_many_files_from_the_cache_are_as_fresh(
    many: list[Path], corrupt: Any, request: pytest.FixtureRequest
) -> None:
    # With many files, the cache file is read on another thread while the files are hashed.
    expected = fresh(many)
    assert cached(many) == expected
    if corrupt:
        (file,) = cache_files()
        corrupt(file)
        assert cached(many) == expected
    request.getfixturevalue("no_parsing")
    assert cached(many) == expected


def test_many_misses_report_the_first_bad_file(many: list[Path]) -> None:
    files = sorted(many[0].iterdir())
    for path in (files[-3], files[-1]):  # both in a helper's share, where there is one
        path.write_text(path.read_text("utf-8").replace("grade: good", "grade: great", 1))
    with pytest.raises(PeelError) as fresh_error:
        loader.load_reports(many, use_cache=False)
    with pytest.raises(PeelError) as cached_error:
        loader.load_reports(many)
    assert str(cached_error.value) == str(fresh_error.value)
    assert files[-3].name in str(cached_error.value)
    # An earlier bad file, in this process's share, comes first.
    files[1].write_text("force: [unclosed\n", "utf-8")
    with pytest.raises(PeelError) as fresh_error:
        loader.load_reports(many, use_cache=False)
    with pytest.raises(PeelError) as cached_error:
        loader.load_reports(many)
    assert str(cached_error.value) == str(fresh_error.value)
    assert fresh_error.value.hint == cached_error.value.hint


def test_a_helper_that_dies_costs_only_time(
    many: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def die(share: Any, parse: Any) -> Any:
        raise RuntimeError("the helper fell over")

    monkeypatch.setattr(pool, "_parse_share", die)
    assert cached(many) == fresh(many)


def test_helpers_are_used_only_for_many_misses_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pool._processes(pool.PARALLEL_FROM - 1) == 1
    monkeypatch.setattr(pool.sys, "platform", "darwin")
    assert pool._processes(10_000) == 1


def test_no_helper_is_forked_from_a_process_with_other_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    monkeypatch.setenv(pool.PROCESSES_ENV, "3")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert pool._processes(10_000) == 3
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert pool._processes(10_000) == 1


def test_writing_prunes_cache_files_unused_for_30_days(tmp_path: Path) -> None:
    directory = store.cache_dir()
    directory.mkdir(parents=True)
    old = time.time() - 31 * 24 * 3600
    stale = directory / ("0" * 40 + ".cache")
    leftover = directory / ".tmp-0123456789abcdef.cache"
    recent = directory / ("1" * 40 + ".cache")
    unrelated = directory / "notes.txt"
    for path in (stale, leftover, recent, unrelated):
        path.write_bytes(b"x")
    for path in (stale, leftover, unrelated):
        os.utime(path, (old, old))
    report = tmp_path / "r.yaml"
    report.write_text(DATASET.read_text(encoding="utf-8"), encoding="utf-8")
    loader.load_reports([report])
    names = {p.name for p in cache_files()}
    assert stale.name not in names and leftover.name not in names
    assert {recent.name, unrelated.name} <= names
    assert len(names) == 3  # and the file just written


# --- the cache trusts only its owner -------------------------------------------------


def forged(corpus: list[Path]) -> None:
    """Plant, in the corpus's cache file, an entry that grades every question outstanding."""
    (file,) = cache_files()
    entries = entries_of(file)
    for key, entry in entries.items():
        report = codec.unpack(entry)
        assert report is not None
        data = report.model_dump(mode="json")
        data["force"] = "Forged Constabulary"
        for question in data["pillars"][0]["questions"]:
            question["grade"] = "outstanding"
        from peelcli.models import Report

        entries[key] = codec.pack(Report.model_validate(data))
    _rewrite_body(file, body_of(entries))


def warnings_of(paths: list[Path]) -> tuple[list[dict[str, Any]], list[str]]:
    heard: list[str] = []
    reports = loader.load_reports(paths, warn=heard.append)
    return [r.model_dump() for r in reports], heard


def test_the_cache_directory_and_files_are_the_owners_alone(corpus: list[Path]) -> None:
    directory = store.cache_dir()
    assert directory.stat().st_mode & 0o777 == 0o700
    (file,) = cache_files()
    assert file.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_directory_others_can_write_is_neither_read_nor_written(
    corpus: list[Path], mode: int
) -> None:
    forged(corpus)
    directory = store.cache_dir()
    directory.chmod(mode)
    before = {p.name: p.read_bytes() for p in cache_files()}
    reports, heard = warnings_of(corpus)
    assert reports == fresh(corpus)
    assert "Forged Constabulary" not in str(reports)
    assert heard == [
        f"not using the cache in {directory}: it can be written by other users; "
        "reading every report afresh"
    ]
    assert {p.name: p.read_bytes() for p in cache_files()} == before  # nothing written


def _chown_if_root(path: Path, uid: int) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(path, uid, -1, follow_symlinks=False)


def test_a_directory_another_user_owns_is_neither_read_nor_written(corpus: list[Path]) -> None:
    forged(corpus)
    directory = store.cache_dir()
    _chown_if_root(directory, 12345)
    before = {p.name: p.read_bytes() for p in cache_files()}
    reports, heard = warnings_of(corpus)
    assert reports == fresh(corpus)
    assert heard == [
        f"not using the cache in {directory}: it is owned by another user; "
        "reading every report afresh"
    ]
    assert {p.name: p.read_bytes() for p in cache_files()} == before


def test_a_file_another_user_owns_is_neither_read_nor_written(corpus: list[Path]) -> None:
    forged(corpus)
    (file,) = cache_files()
    _chown_if_root(file, 12345)
    before = file.read_bytes()
    reports, heard = warnings_of(corpus)
    assert reports == fresh(corpus)
    assert heard == [
        f"not using the cache in {store.cache_dir()}: its file {file.name} is owned by "
        "another user; reading every report afresh"
    ]
    assert file.read_bytes() == before


def test_a_symlinked_cache_directory_is_not_followed_and_is_said_once(
    corpus: list[Path], tmp_path: Path
) -> None:
    forged(corpus)
    directory = store.cache_dir()
    elsewhere = tmp_path / "elsewhere"
    directory.rename(elsewhere)
    directory.symlink_to(elsewhere, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    reports, heard = warnings_of(corpus)
    assert reports == fresh(corpus)
    assert "Forged Constabulary" not in str(reports)
    assert heard == [
        f"not using the cache in {directory}: it is a symbolic link; reading every report afresh"
    ]
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before  # nothing written


def test_a_file_others_can_write_is_not_believed(corpus: list[Path]) -> None:
    forged(corpus)
    (file,) = cache_files()
    file.chmod(0o666)
    reports, heard = warnings_of(corpus)
    assert reports == fresh(corpus)
    assert len(heard) == 1 and "can be written by other users" in heard[0], heard


def test_the_peel_command_says_so_once_on_stderr(corpus: list[Path], cli: Any) -> None:
    forged(corpus)
    store.cache_dir().chmod(0o777)
    result = cli("grades", "--data", str(corpus[0]))
    assert result.exit_code == 0
    assert "Forged" not in result.stdout
    assert result.stderr.count("peel: warning: not using the cache in ") == 1, result.stderr


def test_a_fifo_at_the_cache_file_is_a_miss_not_a_hang(corpus: list[Path]) -> None:
    (file,) = cache_files()
    file.unlink()
    os.mkfifo(file, 0o600)
    reports, heard = warnings_of(corpus)
    assert (reports, heard) == (fresh(corpus), [])
    assert file.is_file()  # replaced by a cache file again


def test_a_symlink_to_dev_zero_is_a_miss_and_is_not_followed(corpus: list[Path]) -> None:
    (file,) = cache_files()
    file.unlink()
    file.symlink_to("/dev/zero")
    reports, heard = warnings_of(corpus)
    assert (reports, heard) == (fresh(corpus), [])
    assert file.is_file() and not file.is_symlink()


def test_a_huge_declared_length_is_refused_before_reading(
    corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    (file,) = cache_files()
    raw = file.read_bytes()
    first = raw.index(b"\n")
    file.write_bytes(raw[:first].rpartition(b" ")[0] + b" 99999999999" + raw[first:])
    real = store.os.pread

    def head_only(fd: int, size: int, offset: int) -> bytes:
        assert offset == 0, "read past the header"
        return real(fd, size, offset)

    monkeypatch.setattr(store.os, "pread", head_only)
    assert cached(corpus) == fresh(corpus)


def test_an_oversized_cache_file_is_not_read(
    corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "MAX_CACHE_BYTES", 100)
    monkeypatch.setattr(store, "_index", lambda *a: pytest.fail("read the file"))
    assert cached(corpus) == fresh(corpus)


def test_an_entry_with_an_empty_question_id_is_a_miss_and_is_rewritten(
    corpus: list[Path], cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (file,) = cache_files()
    entries = entries_of(file)
    for key, entry in entries.items():
        *head, pillars = marshal.loads(entry)
        pillar = pillars[0]
        question = pillar[-1][0]
        emptied = ("", *question[1:])
        entries[key] = marshal.dumps((*head, ((*pillar[:-1], (emptied, *pillar[-1][1:])),)))
    _rewrite_body(file, body_of(entries))
    result = cli("grades", "--grid", "--data", str(corpus[0]))
    assert result.exit_code == 0, result.stderr
    assert "E1" in result.stdout
    expected = fresh(corpus)
    monkeypatch.setattr(loader, "parse_report", lambda source: pytest.fail("parsed again"))
    assert cached(corpus) == expected  # the entries were written again


def test_memory_running_out_while_reading_the_cache_is_a_miss(
    corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_memory(data: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(store.marshal, "loads", no_memory)
    assert cached(corpus) == fresh(corpus)


def test_a_cache_write_that_fails_in_any_way_costs_only_time(
    corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus[0] / "000.yaml").write_text(report_as("Norfolk Constabulary"), "utf-8")
    for error in (ValueError("unmarshallable object"), SystemError("bad"), MemoryError()):

        def fail(entries: Any, error: BaseException = error) -> bytes:
            raise error

        monkeypatch.setattr(store, "_tail", fail)
        assert cached(corpus) == fresh(corpus)


def test_prune_leaves_files_that_are_not_peels_alone(tmp_path: Path) -> None:
    directory = store.cache_dir()
    directory.mkdir(parents=True, mode=0o700)
    old = time.time() - 31 * 24 * 3600
    theirs = [
        directory / "notes.json",
        directory / "other.cache",
        directory / ("a" * 41 + ".cache"),
    ]
    outside = tmp_path / "outside"
    outside.mkdir()
    kept = outside / ("0" * 40 + ".cache")
    kept.write_bytes(b"x")
    os.utime(kept, (old, old))
    (directory / "linked").symlink_to(outside, target_is_directory=True)
    for path in theirs:
        path.write_bytes(b"x")
        os.utime(path, (old, old))
    report = tmp_path / "r.yaml"
    report.write_text(DATASET.read_text(encoding="utf-8"), encoding="utf-8")
    loader.load_reports([report])
    assert all(path.exists() for path in theirs)
    assert kept.exists()


def test_helpers_are_started_only_for_cores_nothing_else_is_running_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    monkeypatch.setattr(pool.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.delenv(pool.PROCESSES_ENV, raising=False)
    # Only this test's thread: another test's left running in this process would rule out
    # helpers (a forked child of a threaded process can deadlock), whatever the load.
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    loadavg = tmp_path / "loadavg"
    monkeypatch.setattr(pool, "LOADAVG", str(loadavg))
    many = 100 * pool.PARALLEL_FROM
    # The fourth field counts the tasks running now, this process among them.
    for running, processes in ((1, 4), (2, 3), (4, 1), (9, 1)):
        loadavg.write_text(f"3.10 2.00 1.00 {running}/300 4242\n", encoding="ascii")
        assert pool._processes(many) == processes, running
    loadavg.unlink()
    assert pool._processes(many) == 1  # nothing known of the load: no helper
    monkeypatch.setenv(pool.PROCESSES_ENV, "3")
    assert pool._processes(many) == 3
    monkeypatch.setenv(pool.PROCESSES_ENV, "0")
    assert pool._processes(many) == 1


# --- what a large corpus's peak need not hold ---------------------------------------


def test_an_entry_is_read_when_it_is_wanted_never_the_whole_body(
    corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    (file,) = cache_files()
    entries = entries_of(file)
    expected = fresh(corpus)
    reads: list[int] = []
    real = store.os.pread

    def counted(fd: int, size: int, offset: int) -> bytes:
        reads.append(size)
        return real(fd, size, offset)

    monkeypatch.setattr(store.os, "pread", counted)
    monkeypatch.setattr(loader, "parse_report", lambda source: pytest.fail("parsed"))
    assert cached(corpus) == expected
    assert max(reads) == max(len(entry) for entry in entries.values())
    assert sum(reads) < file.stat().st_size + 256 * len(reads)  # nothing read twice


def test_a_damaged_entry_is_a_miss_alone(corpus: list[Path], parsed: list[str]) -> None:
    (file,) = cache_files()
    entries = entries_of(file)
    raw = file.read_bytes()
    first = min(entries.values(), key=raw.index)
    at = raw.index(first) + len(first) // 2
    file.write_bytes(raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1 :])  # one bit of one entry
    expected = fresh(corpus)
    parsed.clear()
    assert cached(corpus) == expected
    assert len(parsed) == 1


def test_parsed_models_share_their_class_s_field_names_as_cached_ones_do(
    corpus: list[Path],
) -> None:
    from pydantic import BaseModel

    sets: dict[type, set[int]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            sets.setdefault(type(value), set()).add(id(value.__pydantic_fields_set__))
            assert value.model_fields_set == set(type(value).model_fields)
            for inner in value.__dict__.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for report in loader.load_reports(corpus, use_cache=False):
        walk(report)
    assert len(sets) >= 5
    assert all(len(ids) == 1 for ids in sets.values()), sets


# Run in a process of its own, as peel runs: a test runner's worker may have threads
# running that other tests left, and the pool forks no helper in a threaded process.
HELPERS_READ = r"""
import json, sys
from pathlib import Path
from peelcli.dataset import files, loader, pool

files_read = []
real = files.read_bytes


def counted(path, *args):
    files_read.append(str(path))
    return real(path, *args)


loader.read_bytes = pool.read_bytes = counted
paths = [Path(sys.argv[1])]
expected = [r.model_dump(mode="json") for r in loader.load_reports(paths, use_cache=False)]
files_read.clear()
processes = pool._processes(100)
got = [r.model_dump(mode="json") for r in loader.load_reports(paths)]
print(json.dumps({"processes": processes, "same": got == expected, "read": files_read}))
"""


def test_helpers_read_their_own_files(many: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    # With no cache to look in, nothing is read here for a helper's share: the corpus's
    # bytes are never all held in this process.
    import json
    import subprocess
    import sys

    monkeypatch.setenv(pool.PROCESSES_ENV, "2")
    done = subprocess.run(
        [sys.executable, "-c", HELPERS_READ, str(many[0])],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    outcome = json.loads(done.stdout)
    assert outcome["processes"] == 2 and outcome["same"]
    files_read = outcome["read"]
    count = len(list(many[0].iterdir()))
    assert 0 < len(files_read) < count * 3 // 4  # this process's share only
    assert len(set(files_read)) == len(files_read)


def test_a_new_process_reads_the_cache_another_wrote(tmp_path: Path) -> None:
    # The cache's header holds a signature of the models: it must be the same in every
    # process, or every run would parse afresh and write the cache again.
    import subprocess
    import sys

    paths = make_corpus(tmp_path / "reports")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PEEL_CACHE", None)
    run = [sys.executable, "-m", "peelcli", "grades", "--json", "--data", str(paths[0])]
    subprocess.run(run, env=env, check=True, capture_output=True, timeout=60)
    (file,) = (tmp_path / "cache" / "peel").glob("*.cache")
    before = file.stat()
    subprocess.run(run, env=env, check=True, capture_output=True, timeout=60)
    after = file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
