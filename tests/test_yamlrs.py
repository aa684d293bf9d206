"""yaml-rs, the quick reader: handed only the files where it cannot part from peel's reader,
and then giving exactly the reference reader's data."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from conftest import DATASET, ROOT

from peelcli.dataset import parse, yamlrs
from peelcli.errors import PeelError


def taken(text: str | bytes) -> dict[str, Any] | None:
    data = text.encode() if isinstance(text, str) else text
    return yamlrs.read(data, parse.MAX_DEPTH, parse.MAX_VALUES)


def python(script: str) -> subprocess.CompletedProcess[str]:
    """A script run by a Python of its own: what it printed, and how it ended."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )


def reference(text: str) -> tuple[str, str]:
    try:
        return "data", repr(parse.reference_yaml(text, "r.yaml"))  # repr: True and 1 differ
    except PeelError as exc:
        return "error", str(exc)


def test_yaml_rs_reads_the_shipped_report_and_the_benchmark_corpus_as_the_reference() -> None:
    # The regular case must not be turned away: that is where the time goes.
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    texts = [DATASET.read_text(encoding="utf-8")]
    texts += [corpus.render(i, slot)[1] for i, slot in enumerate(corpus.slots()[:120], 1)]
    for text in texts:
        found = taken(text)
        assert found is not None
        assert ("data", repr(found)) == reference(text)


# Where yaml-rs, reading YAML 1.2 its own way, and peel's reader part: each is turned away.
PARTING = {
    "hexadecimal": "a: 0x1F\n",
    "octal": "a: 0o17\n",
    "binary": "a: 0b101\n",
    "underscores": "a: 1_000\n",
    "a lone underscore": "a: 0_\n",
    "a leading underscore": "a: _1\n",
    "float": "a: 1.5\n",
    "infinity": "a: .inf\n",
    "a tag": "a: !!str 12\n",
    "a local tag": "a: !x b\n",
    "an anchor and an alias": "a: &x b\nc: *x\n",
    "a repeated anchor": "&0\r&0::",
    "an escape": 'a: "\\x41"\n',
    "NEL": "a: b\x85c\n",
    "NEL quoted": 'a: "b\x85c"\n',
    "LINE SEPARATOR": "a: b\u2028c\n",
    "PARAGRAPH SEPARATOR": "a: b\u2029c\n",
    "a C0 control": "a: b\x01c\n",
    "DEL": "a: b\x7fc\n",
    "a C1 control": "a: b\x9bc\n",
    "U+FFFE": "a: b\ufffec\n",
    "a byte order mark": "\ufeffa: 1\n",
    "a tab before a key": "\t? a\n",
    "an empty folded block": "a: >\n",
    "a literal block": "a: |\n  b\n",
    "a document end first": "...\na: 1\n",
    "a directive": "%YAML 1.2\n---\na: 1\n",
    "a second document": "a: 1\n---\nb: 2\n",
    "a lone carriage return": "a: b\rc: d\n",
    "a duplicate key": "a: 1\na: 2\n",
    "a number as a key": "1: a\n",
    "null as a key": "~: a\n",
    "a list as a key": "? [a]\n: b\n",
    "21 digits": "a: 123456789012345678901\n",
    "a list at the top": "- a\n",
    "text at the top": "a\n",
    "nothing": "",
    "too deep": "a:\n" + "".join("  " * i + "- \n" for i in range(1, 66)),
}


@pytest.mark.parametrize("text", PARTING.values(), ids=PARTING.keys())
def test_yaml_rs_is_not_handed_what_it_reads_its_own_way(text: str) -> None:
    assert taken(text) is None
    # and the loader's answer is still the reference reader's
    found = parse.regular_data(text.encode("utf-8", "surrogatepass"))
    assert found is None or ("data", repr(found)) == reference(text)


AGREED = {
    "plain, quoted and folded text": "a: one\n  two\n\n  three\nb: 'it''s'\nc: \"x\"\n",
    "constants": "a: ~\nb: null\nc: true\nd: False\ne: NO\nf: yes\ng:\n",
    "integers": "a: 12\nb: -0\nc: +7\nd: 0012\ne: 12345678901234567890\n",
    "text that looks like other things": "a: 2016-01-01\nb: 12:30\nc: 1e3x\nd: x_1\n",
    "flow collections": "a: [1, {b: c}, []]\nd: {}\n",
    "comments": "a: b #c\nd: e# f\n",
    "CRLF line ends": "a: x\r\n  y\r\nb: 1\r\n",
    "a mapping in a list": "a:\n- b: 1\n  c: [x]\n",
}


@pytest.mark.parametrize("text", AGREED.values(), ids=AGREED.keys())
def test_yaml_rs_reads_what_it_is_handed_as_the_reference(text: str) -> None:
    found = taken(text)
    assert found is not None
    assert ("data", repr(found)) == reference(text)


def test_a_document_deep_enough_to_crash_yaml_rs_is_never_handed_to_it() -> None:
    # yaml-rs recurses once per level: 30,000 levels of "- " crash the process. peel counts
    # first, and the reference reader refuses the file with its words.
    script = (
        "from peelcli.dataset.files import Source\n"
        "from peelcli.dataset.loader import parse_report\n"
        "from peelcli.errors import PeelError\n"
        "try:\n"
        "    parse_report(Source('deep.yaml', b'a:\\n' + b'- ' * 30000 + b'x\\n'))\n"
        "except PeelError as exc:\n"
        "    print(exc)\n"
    )
    done = python(script)
    assert done.returncode == 0, done.stderr
    assert "deep.yaml" in done.stdout and "nesting deeper than 64 levels" in done.stdout


def test_without_yaml_rs_libyaml_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    text = DATASET.read_text(encoding="utf-8")
    quick = parse.regular_data(text.encode())
    monkeypatch.setattr(yamlrs, "loads", None)
    assert yamlrs.read(text.encode(), parse.MAX_DEPTH, parse.MAX_VALUES) is None
    assert parse.regular_data(text.encode()) == quick


class _Panic(BaseException):
    """What a Rust panic raises through PyO3: not an Exception."""


def test_a_panic_in_yaml_rs_hands_the_file_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def panics(*args: Any, **kwargs: Any) -> Any:
        raise _Panic("explicit panic")

    monkeypatch.setattr(yamlrs, "loads", panics)
    assert taken("a: 1\n") is None
    assert parse.regular_data(b"a: 1\n") == {"a": 1}  # libyaml's events read it


def test_ctrl_c_inside_yaml_rs_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(yamlrs, "loads", interrupted)
    with pytest.raises(KeyboardInterrupt):
        taken("a: 1\n")


def test_loading_yaml_rs_reserves_no_gigabyte_of_address_space() -> None:
    # Its allocator would reserve 1 GiB, which counts against the RLIMIT_AS of the child
    # that reads a PDF (forked from this process) and against a user's `ulimit -v`.
    script = (
        "import os, re\n"
        "def size():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(re.search(r'VmSize:\\s+(\\d+)', status).group(1))\n"
        "before = size()\n"
        "from peelcli.dataset import yamlrs\n"
        "assert yamlrs.read(b'a: 1\\n', 64, 1000) == {'a': 1}\n"
        "print(size() - before, 'MIMALLOC_ARENA_RESERVE' in os.environ)\n"
    )
    done = python(script)
    assert done.returncode == 0, done.stderr
    grown_kib, left_set = done.stdout.split()
    assert int(grown_kib) < 128 * 1024
    assert left_set == "False"  # the environment is as it was


def test_under_a_limit_on_memory_libyaml_reads_every_file() -> None:
    # Rust ends the process when an allocation fails; PyYAML raises MemoryError, which peel
    # says in one line (tests/test_hardening.py runs peel under such limits).
    script = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))\n"
        "from peelcli.dataset import parse, yamlrs\n"
        "print(yamlrs.read(b'a: 1\\n', 64, 1000), parse.regular_data(b'a: 1\\n'))\n"
    )
    done = python(script)
    assert (done.returncode, done.stdout) == (0, "None {'a': 1}\n"), done.stderr


def test_wherever_an_allocation_can_fail_libyaml_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    # The one rule peel keeps for Rust code (pydantic's validator makes room first): under a
    # limit on memory, Linux's strict overcommit, or off Linux.
    from peelcli import errors

    assert yamlrs.allocations_can_fail is errors.allocations_can_fail
    monkeypatch.setattr(yamlrs, "allocations_can_fail", lambda: True)
    assert taken("a: 1\n") is None
    assert parse.regular_data(b"a: 1\n") == {"a": 1}
