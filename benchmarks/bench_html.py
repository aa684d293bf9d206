"""Time reading a saved report page into the importer's text, and the parsers considered.

    python benchmarks/bench_html.py [--runs N]

Run it with the Python of an environment where peel is installed with its test extra. The
page is the shipped report in the site's furniture (tests/fixture_docs.py) with a menu of
1,500 links and a large inline script, as the inspectorate's saved pages carry. It prints
the median of N runs (default 9) of:

- importing each parser in a fresh process: what `peel import` pays before it reads a byte;
- parsing the page and walking every node, for selectolax (Lexbor) and, where installed,
  beautifulsoup4 with html.parser;
- peelcli.reading.to_text on the page.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import fixture_docs  # noqa: E402

IMPORT = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"


def page() -> bytes:
    text = fixture_docs.html_page(fixture_docs.blocks_of(fixture_docs.shipped_text()))
    links = "".join(
        f"<li><a href='/p/{n}'>Publication {n} on policing</a></li>" for n in range(1500)
    )
    script = "<script>" + "var x = 1;" * 5000 + "</script>"
    return text.replace("<main", f"<nav><ul>{links}</ul></nav>{script}<main").encode()


def median_of(run: Callable[[], object], runs: int) -> float:
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_time(statement: str, runs: int) -> float | None:
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", IMPORT.format(statement)], capture_output=True, text=True
        )
        if done.returncode:
            return None
        times.append(float(done.stdout))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    data = page()
    print(f"a page of {len(data):,} bytes")
    for name, statement in (
        ("selectolax", "from selectolax.lexbor import LexborHTMLParser"),
        ("beautifulsoup4", "from bs4 import BeautifulSoup"),
    ):
        seconds = import_time(statement, runs)
        shown = "not installed" if seconds is None else f"{seconds * 1000:7.1f} ms"
        print(f"import {name:<28} {shown}")

    from selectolax.lexbor import LexborHTMLParser

    def lexbor() -> int:
        tree = LexborHTMLParser(data)
        assert tree.body is not None
        return sum(1 for _ in tree.body.traverse(include_text=True))

    print(f"parse and walk, selectolax        {median_of(lexbor, runs) * 1000:7.1f} ms")
    try:
        from bs4 import BeautifulSoup

        def soup() -> int:
            return sum(1 for _ in BeautifulSoup(data, "html.parser").descendants)

        print(f"parse and walk, bs4 html.parser   {median_of(soup, runs) * 1000:7.1f} ms")
    except ImportError:
        print("parse and walk, bs4 html.parser   not installed")

    from peelcli.reading import to_text

    seconds = median_of(lambda: to_text(data, "report.html"), runs)
    print(f"peelcli.reading.to_text           {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
