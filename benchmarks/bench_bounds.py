"""Time what the suite bounds by counting: adversarial imports, a runaway --regex, deep pages.

    python benchmarks/bench_bounds.py

Run it with the Python of an environment where peel is installed with its test extra. The
suite holds these bounds by counting work (tests/work.py), never by the clock, so that it
passes on a busy machine; this prints the times, with the machine's load, and asserts
nothing. It prints:

- importing 8 MiB of each adversarial text of tests/test_importer.py (or refusing it);
- how soon `peel search --regex '(a+)+$'` gives up on a text it would take days over
  (the limit is 0.5 s of no progress on one text, checked at each tick of the timer);
- reading a web page nested 6,000 elements deep.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_support import report_data, write_report  # noqa: E402

from peelcli.errors import PeelError  # noqa: E402
from peelcli.importer import import_text  # noqa: E402
from peelcli.reading import to_text  # noqa: E402

HEAD = "Examplshire PEEL 2016\nEffectiveness\nHow effective is the force at preventing crime?\n"
UNITS = (
    "e.g. A ",
    "2015 ",
    "2015 assessment of good is good ",
    "last year when we judged ",
    "carried over 2015 ",
    "is good. ",
    "Mr. X. ",
    "- x\n",
    "Investigating crime\nGood\n",
)
NESTED = (
    ("tables", "<table><tr><td>x", "</td></tr></table>"),
    ("contents lists", "<ul><li><a href='#x'>x</a>", "</li></ul>"),
    ("lists", "<ul><li>item", "</li></ul>"),
)


def timed(run: object) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        run()  # type: ignore[operator]
        outcome = "imported"
    except PeelError:
        outcome = "refused"
    return time.perf_counter() - start, outcome


def main() -> int:
    print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    size = 8 * 1024 * 1024
    print("\nimport of 8 MiB of one unit over and over:")
    for unit in UNITS:
        text = HEAD + unit * ((size - len(HEAD)) // len(unit))
        seconds, outcome = timed(lambda text=text: import_text(text, "report.txt"))
        print(f"  {unit!r:36} {seconds:6.2f} s  {outcome}")

    peel = Path(sys.executable).with_name("peel")
    with tempfile.TemporaryDirectory() as folder:
        path = write_report(Path(folder) / "aaa.yaml", report_data("a" * 40 + "!", "Kent"))
        command = [str(peel), "search", "--regex", "--all-text", "--data", str(path), "--"]
        start = time.perf_counter()
        done = subprocess.run([*command, "(a+)+$"], capture_output=True, text=True)
        seconds = time.perf_counter() - start
    print(f"\npeel search --regex '(a+)+$' (exit {done.returncode}): {seconds:.2f} s")

    print("\na web page nested 6,000 deep:")
    for name, opening, closing in NESTED:
        page = (
            "<!DOCTYPE html><html><head><title>t</title></head><body>"
            + opening * 6000
            + closing * 6000
            + "<p>The force is good at investigating crime.</p></body></html>"
        )
        seconds, _ = timed(lambda page=page: to_text(page.encode(), "report.html"))
        print(f"  {name:36} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
