"""Reading an untrusted PDF or web page under limits: a bomb is one line and exit 2, not a crash.

Each hostile file is built here: a PDF whose one content stream inflates to gigabytes, a PDF of
lines of thousands of dots, pages nested 200,000 deep or with 200,000 attributes on a tag, a PDF
of more pages than any report. `peel import` refuses each with one line that names the file and
the limit, and a signal to peel while a file is read ends peel and the reading child at once.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, peel_executable
from fixture_docs import LEFT, TOP, hand_pdf

from peelcli.errors import PeelError
from peelcli.reading import to_text
from peelcli.reading.limits import (
    DEFAULTS,
    VARIABLES,
    Limits,
    limits_from,
    over_attributes,
    over_cpu,
    over_depth,
    over_memory,
    over_pages,
)

Run = Callable[..., Any]
LIMITED = "peel allows for reading one file; set {} higher to read it, if you trust the file"


def zeros_deflated(mib: int) -> bytes:
    """A zlib stream of ``mib`` MiB of NUL bytes, made without making them: one deflated MiB,
    flushed so that it stands alone, over and over."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = compressor.compress(b"\0" * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = (((mib << 20) % 65521) << 16) | 1  # adler-32 of so many zeros
    return b"\x78\xda" + one * mib + compressor.flush() + checksum.to_bytes(4, "big")


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def flate_bomb(mib: int = 2048) -> bytes:
    """A PDF of a few kilobytes whose page's content, FlateDecoded twice, is ``mib`` MiB."""
    stream = zlib.compress(zeros_deflated(mib), 9)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n%s\nendstream"
            % (len(stream), stream),
        ]
    )


def imported(peel: Run, tmp_path: Path, name: str, data: bytes, **env: str) -> Any:
    source = tmp_path / name
    source.write_bytes(data)
    return peel("import", str(source), env=env)


def one_line(result: Any) -> str:
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return str(result.stderr)


# --- the hostile files ----------------------------------------------------------------


def test_a_pdf_that_inflates_to_gigabytes_is_refused_within_the_memory_limit(
    peel: Run, tmp_path: Path
) -> None:
    bomb = flate_bomb()
    assert len(bomb) < 16_000
    stderr = one_line(imported(peel, tmp_path, "bomb.pdf", bomb))
    assert stderr == (
        f"peel: error: {tmp_path / 'bomb.pdf'}: needs more memory than the 1,024 MiB "
        + LIMITED.format("PEEL_READ_MEMORY")
        + "\n"
    )


def test_under_a_lower_limit_of_the_user_s_own_that_limit_is_named(tmp_path: Path) -> None:
    import resource

    source = tmp_path / "bomb.pdf"
    source.write_bytes(flate_bomb())
    limit = 900 << 20  # below the 1,024 MiB peel allows: `ulimit -v 921600`
    done = subprocess.run(
        [peel_executable(), "import", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)),
    )
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr == (
        f"peel: error: {source}: needs more memory than the 900 MiB this shell's limit "
        "(ulimit -v) allows; raise that limit to read it, if you trust the file\n"
    )


def test_a_library_with_no_room_to_load_in_the_reading_process_is_short_of_memory() -> None:
    import marshal

    from peelcli.reading.isolated import _answer

    def unmappable(data: bytes, name: str, limits: Any) -> Any:
        raise OSError("libpdfium.so: failed to map segment from shared object")

    def missing(data: bytes, name: str, limits: Any) -> Any:
        raise OSError("libpdfium.so: cannot open shared object file")

    assert marshal.loads(_answer(unmappable, b"", "r.pdf", DEFAULTS)) == ("memory",)
    assert marshal.loads(_answer(missing, b"", "r.pdf", DEFAULTS))[0] == "defect"


def test_a_pdf_of_dot_leaders_thousands_long_is_read_at_once(peel: Run, tmp_path: Path) -> None:
    # 10 pages of one line each, ". " 8,000 times and an x: 77 s of CPU when contents
    # entries were found by a backtracking pattern; read now, a running header alone.
    pdf = hand_pdf([[(LEFT, TOP, ". " * 8000 + "x")] for _ in range(10)])
    assert len(pdf) < 8_000
    stderr = one_line(imported(peel, tmp_path, "dots.pdf", pdf))
    assert stderr == (
        f"peel: error: {tmp_path / 'dots.pdf'}: is a PDF with no text besides page furniture\n"
    )


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("<ul><li>", "</li></ul>"),
        ("<blockquote>", "</blockquote>"),
        ("<div>", ""),
        # Each start tag here stops at the one before in HTML's rules, rather than closing it.
        ("<p>x<li>y<td>z<dd>w<option>v", ""),
    ],
    ids=["lists", "blockquotes", "unclosed divs", "items that close nothing"],
)
def test_a_page_nested_200000_deep_is_refused_before_it_is_parsed(
    opening: str, closing: str, peel: Run, tmp_path: Path
) -> None:
    page = f"<html><body>{opening * 200_000}x{closing * 200_000}</body></html>"
    stderr = one_line(imported(peel, tmp_path, "deep.html", page.encode()))
    assert stderr == (
        f"peel: error: {tmp_path / 'deep.html'}:1: nests elements more deeply than the 64 "
        "levels " + LIMITED.format("PEEL_READ_DEPTH") + "\n"
    )


def test_a_tag_of_200000_attributes_is_refused_before_it_is_parsed(
    peel: Run, tmp_path: Path
) -> None:
    attributes = " ".join(f"a{n}=x" for n in range(200_000))
    page = f"<html><body><p {attributes}>x</p></body></html>"
    stderr = one_line(imported(peel, tmp_path, "wide.html", page.encode()))
    assert stderr == (
        f"peel: error: {tmp_path / 'wide.html'}:1: has an element (<p>) with more than 256 "
        "attributes; a web page sets a few on each\n"
    )


def test_a_pdf_of_more_pages_than_the_limit_is_refused_before_a_page_is_read(
    peel: Run, tmp_path: Path
) -> None:
    pdf = hand_pdf([[]] * (DEFAULTS.pages + 1))
    stderr = one_line(imported(peel, tmp_path, "pages.pdf", pdf))
    assert stderr == (
        f"peel: error: {tmp_path / 'pages.pdf'}: has 2,001 pages, more than the 2,000 pages "
        + LIMITED.format("PEEL_READ_PAGES")
        + "\n"
    )


# --- raising and lowering the limits ----------------------------------------------------


def test_a_limit_raised_reads_what_it_refused(
    peel: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = "<html><body>" + "<div>" * 100 + "<p>Deep enough.</p>" + "</div>" * 100
    with pytest.raises(PeelError, match="nests elements more deeply than the 64 levels"):
        to_text(page.encode(), "deep.html")
    monkeypatch.setenv("PEEL_READ_DEPTH", "128")
    assert to_text(page.encode(), "deep.html").text == "Deep enough.\n"
    monkeypatch.setenv("PEEL_READ_PAGES", "2")
    with pytest.raises(PeelError, match="has 3 pages, more than the 2 pages"):
        to_text(hand_pdf([[(LEFT, TOP, "Some text.")]] * 3), "three.pdf")


def test_a_reader_past_its_cpu_time_is_stopped(peel: Run, tmp_path: Path) -> None:
    # Deep lists are quadratic to parse: with the depth allowed, the CPU limit ends it.
    page = "<html><body>" + "<ul><li>" * 400_000
    result = imported(
        peel, tmp_path, "slow.html", page.encode(), PEEL_READ_DEPTH="1000000", PEEL_READ_CPU="1"
    )
    assert one_line(result) == (
        f"peel: error: {tmp_path / 'slow.html'}: needs more CPU time than the 1 seconds "
        + LIMITED.format("PEEL_READ_CPU")
        + "\n"
    )


@pytest.mark.parametrize("variable", [v for v, _ in VARIABLES.values()])
@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "99999999999999999999", "١٢"])
def test_a_bad_limit_is_one_line(variable: str, value: str, peel: Run, tmp_path: Path) -> None:
    result = imported(peel, tmp_path, "page.html", b"<html><body><p>x</p>", **{variable: value})
    unit = {v: u for v, u in VARIABLES.values()}[variable]
    assert one_line(result).startswith(
        f"peel: error: {variable} must be a whole number of {unit} from 1 to "
    )
    assert repr(value) in result.stderr


def test_the_docs_give_each_limit_its_default_variable_and_message() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| [^|]+ \| ([\d,]+) (\w+) \| `(PEEL_READ_\w+)` \|", text, re.MULTILINE)
    assert {
        variable: (int(default.replace(",", "")), unit) for default, unit, variable in rows
    } == {
        variable: (getattr(DEFAULTS, limit), unit) for limit, (variable, unit) in VARIABLES.items()
    }
    for error in (
        over_memory("bomb.pdf", DEFAULTS),
        over_memory("bomb.pdf", DEFAULTS, 900 << 20),
        over_cpu("slow.pdf", DEFAULTS),
        over_pages("huge.pdf", 400_000, DEFAULTS),
        over_depth("deep.html", 1, DEFAULTS),
        over_attributes("wide.html", 1, "p"),
    ):
        assert f"peel: error: {error}\n" in text


def test_limits_come_from_their_variables() -> None:
    assert limits_from({}) == DEFAULTS
    assert limits_from({"PEEL_READ_MEMORY": " 4096 ", "PEEL_READ_PAGES": ""}) == Limits(memory=4096)


# --- a signal while a file is read ------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="children are read in /proc")
@pytest.mark.parametrize(
    ("signum", "status"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
def test_a_signal_ends_peel_and_the_reading_child_at_once(
    signum: int, status: int, tmp_path: Path
) -> None:
    # A page the parser would take minutes over, with the depth and CPU limits raised.
    source = tmp_path / "slow.html"
    source.write_bytes(("<html><body>" + "<ul><li>" * 400_000).encode())
    env = {**os.environ, "PEEL_READ_DEPTH": "1000000", "PEEL_READ_CPU": "600"}
    process = subprocess.Popen(
        [peel_executable(), "import", str(source)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        child = _wait_for_child(process)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
    assert (process.returncode, stdout) == (status, ""), stderr
    assert "Traceback" not in stderr
    assert not Path(f"/proc/{child}").exists(), "the reading child outlived peel"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="children are read in /proc")
def test_the_reading_child_dies_with_peel_killed_outright(tmp_path: Path) -> None:
    source = tmp_path / "slow.html"
    source.write_bytes(("<html><body>" + "<ul><li>" * 400_000).encode())
    env = {**os.environ, "PEEL_READ_DEPTH": "1000000", "PEEL_READ_CPU": "600"}
    process = subprocess.Popen(
        [peel_executable(), "import", str(source)], env=env, stdout=subprocess.DEVNULL
    )
    try:
        child = _wait_for_child(process)  # type: ignore[arg-type]
        process.kill()  # SIGKILL: no finally runs in peel
    finally:
        process.kill()
        process.wait()
    # Polled, not timed: the kernel kills the child as peel dies, and init reaps it.
    for _ in range(6000):
        if not _alive(child):
            break
        time.sleep(0.01)
    assert not _alive(child), "the reading child outlived peel"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_where_children_cannot_be_forked_the_file_is_read_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from peelcli import forked

    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(os, "fork", None)  # never called
    assert to_text(b"<html><body><p>Read here.</p>", "page.html").text == "Read here.\n"
    monkeypatch.setenv("PEEL_READ_PAGES", "2")
    with pytest.raises(PeelError, match="has 3 pages, more than the 2 pages"):
        to_text(hand_pdf([[(LEFT, TOP, "Some text.")]] * 3), "three.pdf")


def _wait_for_child(process: subprocess.Popen[str]) -> int:
    # Polled, not timed: the child appears once peel has started and read the file.
    for _ in range(6000):
        children = _children(process.pid)
        if children:
            # The child is reading once it has set its limits: its own CPU limit is set.
            limits = Path(f"/proc/{children[0]}/limits")
            if limits.exists() and "600" in limits.read_text():
                return children[0]
        if process.poll() is not None:
            break
        time.sleep(0.01)
    pytest.fail("peel read the file without a child process")


def test_a_reader_that_crashes_is_one_line_naming_the_file() -> None:
    from types import SimpleNamespace

    from peelcli.reading.isolated import _outcome

    usage = SimpleNamespace(ru_utime=0.1, ru_stime=0.0, ru_maxrss=50_000)
    with pytest.raises(PeelError) as crashed:
        _outcome("pdf", b"", signal.SIGSEGV, usage, "odd.pdf", DEFAULTS)
    assert str(crashed.value) == (
        "odd.pdf: the PDF reader was stopped by SIGSEGV on it; is the file damaged?"
    )
    # Stopped having used half its memory or more: PDFium's way of running out.
    usage.ru_maxrss = DEFAULTS.memory * 1024
    with pytest.raises(PeelError, match="needs more memory than the 1,024 MiB"):
        _outcome("pdf", b"", signal.SIGABRT, usage, "bomb.pdf", DEFAULTS)


# --- fuzzed PDF bytes -------------------------------------------------------------------


def test_the_pdf_fuzz_target_checks_the_inputs_asked_for() -> None:
    from fuzz_import import fuzz

    assert fuzz(examples=25, seed_value=1, target="pdf") == 25


def test_the_pdf_fuzz_target_runs_by_hand(tmp_path: Path) -> None:
    import sys

    script = Path(__file__).with_name("fuzz_import.py")
    result = subprocess.run(
        [sys.executable, str(script), "--target", "pdf", "--seconds", "1", "--seed", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"fuzz_import --target pdf: \d+ inputs in 1 s, no failure\n", result.stdout)


# --- the page's pre-scan reads it once ------------------------------------------------------


class CountedText(str):
    """A page's text that counts how often a character of it (or a slice) is looked at."""

    looked = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        CountedText.looked += 1
        return str.__getitem__(self, key)


@pytest.mark.parametrize(
    "unit",
    [
        "<p " + " ".join(f"a{n}='x > y'" for n in range(250)) + ">x",  # attributes, to the limit
        # End tags left to be implied.
        "<ul><li>x<li>y</ul><p>a<p>b<dl><dt>c<dd>d<dt>e</dl><table><tr><td>1<td>2<tr><td>3"
        "</table><select><option>a<option>b</select>",
        "<div>" * 60 + "</div>" * 60,  # as deep as allowed, and back
        "<script>if (a </ b) x('</scrip');</script>",  # end tags that are not
        "<!-- <div> --><!DOCTYPE x><?pi?></nothing>< 5",
        "<svg><path d='M0'/><g/></svg><br/><img src=x>",
    ],
    ids=["attributes", "implied ends", "deep", "scripts", "comments", "self-closing"],
)
def test_the_page_scan_reads_each_character_a_bounded_number_of_times(unit: str) -> None:
    from peelcli.reading.markup import check_markup

    def looked(copies: int) -> int:
        CountedText.looked = 0
        check_markup(CountedText("<html><body>" + unit * copies), "page.html", DEFAULTS)
        return CountedText.looked

    once, twice = looked(200), looked(400)
    assert twice <= 2.1 * once, (once, twice)
    assert once <= 3 * len(unit) * 200 + 100, once


def test_a_defect_in_the_reader_is_an_internal_error_not_a_bad_file() -> None:
    from peelcli.reading.isolated import ReaderDefect, read_isolated

    def broken(data: bytes, name: str, limits: Limits) -> Any:
        return [][1]  # an IndexError, as a bug in a reader would raise

    with pytest.raises(RuntimeError) as raised:
        read_isolated("html", broken, b"<p>x", "page.html", DEFAULTS)
    assert str(raised.value) == "IndexError: list index out of range"
    assert isinstance(raised.value.__cause__, ReaderDefect)
    assert "return [][1]" in str(raised.value.__cause__)


def test_a_child_killed_by_someone_else_is_not_said_to_be_over_its_cpu_time() -> None:
    from types import SimpleNamespace

    from peelcli.reading.isolated import _outcome

    usage = SimpleNamespace(ru_utime=0.2, ru_stime=0.0, ru_maxrss=50_000)
    with pytest.raises(PeelError) as killed:
        _outcome("html", b"", signal.SIGKILL, usage, "page.html", DEFAULTS)
    assert str(killed.value) == (
        "page.html: the web page reader was stopped by SIGKILL on it; is the file damaged?"
    )
    usage.ru_utime = float(DEFAULTS.cpu) + 0.5
    with pytest.raises(PeelError, match="needs more CPU time than the 30 seconds"):
        _outcome("html", b"", signal.SIGKILL, usage, "page.html", DEFAULTS)
