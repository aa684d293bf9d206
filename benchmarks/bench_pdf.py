"""Time reading a 100-page PDF into the importer's text, as `peel import` will.

    python benchmarks/bench_pdf.py [--pages N] [--runs N] [--compare]

Run it with the Python of an environment where peel is installed with its test extra
(`pip install -e '.[test]'`: reportlab makes the PDF), on an otherwise idle machine. It sets
the shipped report's text over and over as a PDF of at least N pages (default 100), with
running headers and footers, page numbers and a contents page, as tests/fixture_docs.py
does, then times:

- "peel import": the whole command, `peel import report.pdf -o OUT.yaml`, in a new process,
  on a report that imports: the shipped report with each summary paragraph set many times
  over, so that its questions run to N pages between them;
- "new process": a fresh `python` that imports peelcli.reading and reads the file, as a
  user's `peel import report.pdf` pays for it, parser import included;
- "in process": `peelcli.reading.to_text` on the bytes, the parser already imported.

Each of these reads the PDF as `peel import` does, in a child process under the limits on
memory and CPU time (docs/errors.md); the benchmark also prints what that child took of them
for the whole report: its peak resident memory and its CPU time.

Each runs once to warm up, then N times (default 5); it prints the median, min and max.
With --compare it also times the other PDF libraries considered, where installed, at
plain text extraction with no layout work: pypdf and pdfminer.six.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import fixture_docs  # noqa: E402

TARGET_SECONDS = 5.0
READ = """\
import sys
from pathlib import Path
from peelcli.reading import to_text
to_text(Path(sys.argv[1]).read_bytes(), sys.argv[1])
"""
CHILD_COST = (
    READ
    + """
import resource
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""
)


def timed(run: Callable[[], object], runs: int) -> list[float]:
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def show(label: str, times: list[float]) -> None:
    print(
        f"{label:<34} median {statistics.median(times):6.3f} s"
        f"   min {min(times):6.3f} s   max {max(times):6.3f} s"
    )


def pypdf_text(data: bytes) -> object:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def pdfminer_text(data: bytes) -> object:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def long_report_pdf(pages: int) -> fixture_docs.LaidOut:
    """The shipped report as a PDF of at least the given number of pages, that imports: each
    summary paragraph set again and again, its questions and findings as they are."""
    blocks = fixture_docs.blocks_of(fixture_docs.shipped_text())
    copies = max(1, pages // 5)
    while True:
        longer = [
            repeat
            for block in blocks
            for repeat in ([block] * copies if block.kind == "paragraph" else [block])
        ]
        laid = fixture_docs.pdf_of(longer, header="Metropolitan PEEL 2016", footer="HMIC")
        if laid.pages >= pages:
            return laid
        copies += max(1, copies * (pages - laid.pages) // max(laid.pages, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", action="store_true")
    options = parser.parse_args()

    from peelcli.reading import to_text

    report = long_report_pdf(options.pages)
    laid = fixture_docs.long_pdf(options.pages)
    data = laid.pdf
    print(f"a PDF of {laid.pages} pages, {len(data):,} bytes; a report of {report.pages} pages")
    peel = str(Path(sys.executable).parent / "peel")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(data)
        whole = Path(folder) / "whole.pdf"
        whole.write_bytes(report.pdf)
        out = str(Path(folder) / "out.yaml")
        command = [sys.executable, "-c", READ, str(path)]
        imports = [peel, "import", str(whole), "-o", out]
        # Its warnings (paragraphs set over and over) are not what is measured.
        importing = timed(
            lambda: subprocess.run(imports, check=True, stderr=subprocess.DEVNULL), options.runs
        )
        process = timed(lambda: subprocess.run(command, check=True), options.runs)
        cost = [sys.executable, "-c", CHILD_COST, str(whole)]
        kib, cpu = subprocess.run(cost, check=True, capture_output=True, text=True).stdout.split()
    show(f"peel import, {report.pages} pages", importing)
    show("peelcli.reading, new process", process)
    show("peelcli.reading, in process", timed(lambda: to_text(data, "report.pdf"), options.runs))
    from peelcli.reading.limits import limits_from

    limits = limits_from()
    print(
        f"the reading child, {report.pages} pages: peak {int(kib) / 1024:.0f} MiB resident "
        f"(limit {limits.memory:,} MiB of address space), {float(cpu):.2f} s of CPU time "
        f"(limit {limits.cpu:,} s)"
    )
    if options.compare:
        for name, reader in (("pypdf", pypdf_text), ("pdfminer.six", pdfminer_text)):
            try:
                show(
                    f"{name}, text only, in process", timed(lambda r=reader: r(data), options.runs)
                )
            except ImportError:
                print(f"{name}: not installed")
    verdict = "within" if statistics.median(importing) < TARGET_SECONDS else "OVER"
    print(f"target: under {TARGET_SECONDS:.0f} s for {options.pages} pages: {verdict}")


if __name__ == "__main__":
    main()
