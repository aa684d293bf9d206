"""Broken and hostile files: each is refused with one clear message and exit 2, never a
traceback, a hang, a crash or a gigabyte of memory. Whatever the loader is given, it returns a
report or raises PeelError."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzz_loader import check, fuzz, inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcli.dataset import files, parse
from peelcli.dataset.files import MAX_FILE_BYTES, Source
from peelcli.dataset.loader import parse_report
from peelcli.errors import PeelError

Cli = Callable[..., Any]
Peel = Callable[..., subprocess.CompletedProcess[str]]

BASE = """\
force: Test Police
year: 2016
inspectorate: HMIC
programme: PEEL
title: Test
pillars:
- id: E
  name: Effectiveness
  questions:
  - id: E1
    title: A question?
    grade: good
    areas_for_improvement:
    - id: E1.A1
      text: A finding.
"""
ONLY = "a report holds text, whole numbers, lists, mappings"
NOT_INT = "year: Input should be a valid integer, unable to parse string as an integer"


def year(value: str) -> str:
    return BASE.replace("year: 2016", f"year: {value}")


def source(value: str) -> str:
    return BASE.replace("title: Test\n", f"title: Test\nsource: {value}\n")


# (id, file content, what follows "peel: error: <file>" on the one line of stderr)
CASES: list[tuple[str, str | bytes, str]] = [
    (
        "explicit timestamp",
        year("!!timestamp 2016-13-45"),
        f":2:7: unsupported tag !!timestamp; {ONLY}",
    ),
    ("implicit date", year("2016-13-45"), f":2:7: {NOT_INT} (found '2016-13-45')"),
    ("explicit int", year("!!int abc"), ":2:7: 'abc' is not a decimal integer"),
    ("explicit float", year("!!float 2016.5"), f":2:7: unsupported tag !!float; {ONLY}"),
    ("float", year("2016.5"), f":2:7: {NOT_INT} (found '2016.5')"),
    ("exponent", year("1e3"), f":2:7: {NOT_INT} (found '1e3')"),
    ("infinity", year(".inf"), f":2:7: {NOT_INT} (found '.inf')"),
    ("hexadecimal", year("0x7E0"), f":2:7: {NOT_INT} (found '0x7E0')"),
    (
        "21 digits",
        year("123456789012345678901"),
        ":2:7: '123456789012345678901' is too long a number (more than 20 digits)",
    ),
    ("explicit bool", year("!!bool yes"), ":2:7: 'yes' is not true or false"),
    ("explicit null", year("!!null x"), ":2:7: 'x' is not null"),
    ("integer key", BASE + "1: a\n", ":16:1: keys must be plain text"),
    ("list key", BASE + "? [a, b]\n: c\n", ":16:3: keys must be plain text"),
    ("null key", BASE + "~: a\n", ":16:1: keys must be plain text"),
    ("boolean key", BASE + "true: a\n", ":16:1: keys must be plain text"),
    ("tagged key", BASE + '!!int "7": a\n', ":16:1: keys must be plain text"),
    ("binary", source("!!binary aGVsbG8="), f":6:9: unsupported tag !!binary; {ONLY}"),
    ("set", source("!!set {a, b}"), ":6:9: unsupported tag !!set; only plain mappings"),
    ("ordered map", source("!!omap [a: 1]"), ":6:9: unsupported tag !!omap"),
    (
        "python apply",
        source('!!python/object/apply:os.system ["echo hi"]'),
        ":6:9: unsupported tag !!python/object/apply:os.system",
    ),
    (
        "python name",
        source("!!python/name:os.system ''"),
        f":6:9: unsupported tag !!python/name:os.system; {ONLY}",
    ),
    (
        "python object",
        source("!!python/object:__main__.X {a: 1}"),
        ":6:9: unsupported tag !!python/object:__main__.X; only plain mappings",
    ),
    ("local tag", source("!shell rm -rf"), f":6:9: unsupported tag !shell; {ONLY}"),
    (
        "surrogate escape",
        source('"\\ud800"'),
        ":6:9: \\ud800 is half of a UTF-16 surrogate pair, not a character; write the "
        "character itself, or its \\U escape",
    ),
    (
        "latin-1",
        "force: Caf\xe9 Police\n".encode("latin-1"),
        ":1:11: is not UTF-8 text (byte 0xe9); save it as UTF-8",
    ),
    ("UTF-16", BASE.encode("utf-16"), ":1:1: is not UTF-8 text (byte 0xff); save it as UTF-8"),
    ("NUL byte", b"force: a\x00b\n", ":1:9: contains a NUL byte; is it a binary file?"),
    (
        "raw escape",
        "force: a\x1b[31mb\n",
        ":1:9: invalid YAML: the character \\x1b is not allowed in YAML text; "
        'inside double quotes write it as "\\x1b"',
    ),
    (
        "raw C1",
        "force: é\x9b2J\n",
        ":1:9: invalid YAML: the character \\x9b is not allowed in YAML text; "
        'inside double quotes write it as "\\x9b"',
    ),
    ("empty", "", ": is empty; a report file holds one YAML mapping"),
    ("comments only", "# nothing\n", ": is empty; a report file holds one YAML mapping"),
    (
        "document marker only",
        "---\n",
        ":1:1: expected a mapping of report fields at top level, found nothing (null)",
    ),
    (
        "list at top level",
        "- force: A\n",
        ":1:1: expected a mapping of report fields at top level, found a list",
    ),
    (
        "text at top level",
        "just text\n",
        ":1:1: expected a mapping of report fields at top level, found text",
    ),
    (
        "two documents",
        BASE + "---\n" + BASE,
        ":16:1: holds more than one YAML document ('---'); a report file holds one",
    ),
    (
        "duplicate key",
        BASE.replace("title: Test\n", "title: Test\nforce: Other\n"),
        ":6:1: duplicate key 'force'",
    ),
    (
        "tab indent",
        BASE.replace("  name:", "\tname:"),
        ":8:1: invalid YAML: found character '\\t' that cannot start any token",
    ),
    (
        "unclosed",
        "force: [unclosed\n",
        ":2:1: invalid YAML: expected ',' or ']', but got '<stream end>'",
    ),
]


def write(tmp_path: Path, content: str | bytes, name: str = "report.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_refused(result: Any, expected: str | re.Pattern[str]) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    if isinstance(expected, str):
        assert result.stderr == expected
    else:
        assert expected.fullmatch(result.stderr), result.stderr


@pytest.mark.parametrize(("content", "tail"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_file_is_one_clear_message(
    cli: Cli, tmp_path: Path, content: str | bytes, tail: str
) -> None:
    path = write(tmp_path, content)
    assert_refused(cli("grades", "--data", str(path)), f"peel: error: {path}{tail}\n")
    assert_refused(
        cli("validate", str(path)),
        f"peel: error: {path}{tail}\npeel: error: 1 problem(s) in 1 of 1 file(s)\n",
    )


def test_long_values_are_cut_short_in_messages(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, year("9" * 100_000).replace("grade: good", "grade: " + "g" * 5000))
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"peel: error: {path}:2:7: '{'9' * 60}…' is too long a number (more than 20 digits)"
    )
    path = write(tmp_path, BASE.replace("grade: good", "grade: " + "g" * 5000))
    result = cli("validate", str(path))
    assert result.stderr.splitlines()[0] == (
        f"peel: error: {path}:12:12: pillars[0].questions[0].grade: '{'g' * 60}…' is not a "
        "grade; expected one of 'outstanding', 'good', 'adequate', 'requires improvement', "
        "'inadequate', 'ungraded', 'not stated'"
    )


def test_utf8_bom_is_accepted(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeff" + BASE)
    assert cli("validate", str(path)).stdout == f"{path}: valid\n1 file(s) valid\n"


# Either wording: the alias message names anchors too on some branches.
ALIAS = (
    r"peel: error: {path}:{line}:{column}: "
    r"YAML (anchors and )?aliases \(.*\) are not supported; write the value out\n"
)


def test_alias_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "force: &f A\nyear: 2016\ninspectorate: *f\n")
    expected = ALIAS.format(path=re.escape(str(path)), line=1, column=8)
    assert_refused(cli("grades", "--data", str(path)), re.compile(expected))


def test_billion_laughs_is_refused_at_once(cli: Cli, tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, prev in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    expected = ALIAS.format(path=re.escape(str(path)), line=1, column=4)
    assert_refused(cli("grades", "--data", str(path)), re.compile(expected))


TOO_MANY = "holds more than 100,000 values; a report holds a few thousand at most"


def test_a_million_aliases_is_refused_by_count(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "a: &a [x]\nb: [" + ",".join(["*a"] * 1_000_000) + "]\n")
    # values: the mapping, a, its list, x, b, its list, then the aliases: the excess one is
    # the 99,995th alias, each three characters on from the last.
    column = 5 + 3 * (99_995 - 1)
    assert_refused(
        cli("grades", "--data", str(path)), f"peel: error: {path}:2:{column}: {TOO_MANY}\n"
    )


def test_file_of_tiny_values_is_refused_by_count(cli: Cli, tmp_path: Path) -> None:
    size = MAX_FILE_BYTES - 16
    path = write(tmp_path, "a: [" + ",".join(["x"] * (size // 2)) + "]\n")
    column = 5 + 2 * (100_001 - 3 - 1)  # after the mapping, a and the list
    assert_refused(
        cli("grades", "--data", str(path)), f"peel: error: {path}:1:{column}: {TOO_MANY}\n"
    )


TOO_DEEP = "nesting deeper than 64 levels; a report needs fewer than 10"
DEEP: list[tuple[str, str, str]] = [
    # libyaml scans ahead through '[' and stops at its own limit (1,000) before any event.
    ("flow sequences", "[" * 100_000 + "]" * 100_000, r":1:\d+"),
    ("unclosed flow", "a: " + "[" * 100_000, r":1:\d+"),
    ("flow mappings", "{a: " * 50_000 + "1" + "}" * 50_000, ":1:257"),
    ("mixed flow", "a: " + '[{"k": ' * 20_000, r":1:\d+"),
    ("block sequences", "- " * 50_000 + "x", ":1:129"),
    ("explicit keys", "? " * 30_000 + "x", ":1:129"),
    ("indented mappings", "\n".join(" " * i + "a:" for i in range(3_000)), ":65:65"),
    ("indented sequences", "\n".join(" " * i + "- &x" + str(i) for i in range(3_000)), ":64:66"),
]


@pytest.mark.parametrize(("content", "where"), [d[1:] for d in DEEP], ids=[d[0] for d in DEEP])
def test_deep_nesting_is_refused_before_the_parser_recurses(
    peel: Peel, tmp_path: Path, content: str, where: str
) -> None:
    # In a subprocess: if the guard failed, libyaml's composer could crash the interpreter.
    path = write(tmp_path, content + "\n")
    result = peel("grades", "--data", str(path))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert re.fullmatch(f"peel: error: {re.escape(str(path))}{where}: {TOO_DEEP}\n", result.stderr)


# --- files that are not files --------------------------------------------------------


def test_file_over_the_size_limit(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert_refused(
        cli("grades", "--data", str(path)),
        f"peel: error: {path}: is 8,388,609 bytes; the limit for one report is "
        "8,388,608 bytes (8 MiB)\n",
    )


def test_file_at_the_size_limit_is_read(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "#" + " " * (MAX_FILE_BYTES - 2) + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert_refused(
        cli("grades", "--data", str(path)),
        f"peel: error: {path}: is empty; a report file holds one YAML mapping\n",
    )


def test_directory_with_no_reports(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a report\n", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text(BASE, encoding="utf-8")
    assert_refused(
        cli("grades", "--data", str(tmp_path)),
        f"peel: error: {tmp_path}: directory holds no report files (*.yaml, *.yml)\n"
        "peel: Point --data at a report file or a directory of them.\n",
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_waiting_for_a_writer(peel: Peel, tmp_path: Path) -> None:
    fifo = tmp_path / "report.yaml"
    os.mkfifo(fifo)
    inside = tmp_path / "dir"
    inside.mkdir()
    os.mkfifo(inside / "a.yaml")
    for target, shown in ((fifo, fifo), (inside, inside / "a.yaml")):
        result = peel("grades", "--data", str(target))  # the fixture times out at 60 s
        assert result.returncode == 2
        assert result.stderr == f"peel: error: {shown}: is a FIFO; peel reads report files only\n"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_device_is_refused(cli: Cli, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert_refused(
        cli("grades", "--data", device),
        f"peel: error: {device}: is not a regular file; peel reads report files only\n",
    )


def test_symlink_loop_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    message = "too many levels of symbolic links (a symlink loop?)"
    assert_refused(
        cli("grades", "--data", str(tmp_path / "a.yaml")),
        f"peel: error: {tmp_path / 'a.yaml'}: {message}\n",
    )
    assert_refused(  # found by searching a directory: the first in name order
        cli("grades", "--data", str(tmp_path)), f"peel: error: {tmp_path / 'a.yaml'}: {message}\n"
    )


def test_directory_symlink_loop_is_not_followed(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, BASE, "a.yaml")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    result = cli("findings", "--json", "--data", str(tmp_path))
    assert result.exit_code == 0
    assert '"id": "E1.A1"' in result.stdout


def test_unreadable_file_simulated(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, who can read a mode-000 file: simulate the refusal instead.
    path = write(tmp_path, BASE)
    real_open = os.open

    def refuse(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", refuse)
    assert_refused(cli("grades", "--data", str(path)), f"peel: error: {path}: permission denied\n")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a mode-000 file"
)
def test_unreadable_file(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    path.chmod(0)
    try:
        assert_refused(
            cli("grades", "--data", str(path)), f"peel: error: {path}: permission denied\n"
        )
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    ("name", "tail"),
    [
        ("missing.yaml", ": no such file or directory"),
        ("file.yaml/inside.yaml", ": a part of the path is not a directory"),
    ],
)
def test_path_that_names_nothing(cli: Cli, tmp_path: Path, name: str, tail: str) -> None:
    write(tmp_path, BASE, "file.yaml")
    path = tmp_path / name
    assert_refused(cli("grades", "--data", str(path)), f"peel: error: {path}{tail}\n")


def test_empty_path_is_not_the_current_directory(cli: Cli) -> None:
    expected = "peel: error: an empty path ('') names no report file\n"
    assert_refused(cli("grades", "--data", ""), expected)
    assert_refused(cli("validate", ""), expected)


def test_validate_counts_paths_that_name_no_report(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("validate", str(empty), str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "peel: error: 2 problem(s) in 2 of 2 file(s)"


# --- where PyYAML was built without libyaml -----------------------------------------


def test_lone_surrogate_is_refused_by_the_pure_python_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class PurePython(Reader, Scanner, Parser, Composer, parse._Resolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            parse._Resolver.__init__(self)

    monkeypatch.setattr(parse, "_Composer", PurePython)
    for text, where in ((source('"a\\ud800b"'), "6:9"), (BASE + '"\\udc00": x\n', "16:1")):
        with pytest.raises(PeelError) as info:
            parse_report(Source("report.yaml", text.encode()))
        assert str(info.value).startswith(f"report.yaml:{where}: \\u")
        assert "is half of a UTF-16 surrogate pair, not a character" in str(info.value)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
def test_libyaml_parses_reports() -> None:
    # Valid documents go through libyaml; only a document it refuses is parsed again by
    # the pure-Python parser, for its messages.
    assert parse._FastComposer is not None
    assert "CParser" in {c.__name__ for c in parse._FastComposer.__mro__}


# --- any input -------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs)
def test_loader_accepts_or_raises_only_peel_error(data: bytes) -> None:
    check(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_a_report_or_a_peel_error(data: bytes) -> None:
    try:
        parse_report(Source("fuzz.yaml", data))
    except PeelError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


def test_fuzz_entry_point_checks_the_inputs_asked_for() -> None:
    assert fuzz(examples=50, seed_value=1) == 50


def test_fuzz_entry_point_runs_by_hand(tmp_path: Path) -> None:
    script = Path(__file__).with_name("fuzz_loader.py")
    result = subprocess.run(
        [sys.executable, str(script), "--seconds", "1", "--seed", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"fuzz_loader: \d+ inputs in 1 s, no failure\n", result.stdout)
