"""peel import of every form (text, a saved web page, a PDF) gives the same dataset."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import fixture_docs as docs
import pytest
from conftest import SOURCE_TEXT, peel_executable

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped report and the fictional Exampleshire one, as text, HTML and PDF; the
    files are named .dat so that nothing can be told from a name."""
    folder = tmp_path_factory.mktemp("forms")
    made = {
        "met text": SOURCE_TEXT.read_bytes(),
        "met html": docs.html_page(docs.blocks_of(docs.shipped_text())).encode("utf-8"),
        "met pdf": docs.shipped_pdf().pdf,
        "example text": ("\n".join(docs.exampleshire_lines()) + "\n").encode("utf-8"),
        "example html": docs.html_page(docs.EXAMPLESHIRE).encode("utf-8"),
        "example pdf": docs.pdf_of(
            docs.EXAMPLESHIRE, header="Exampleshire Police PEEL 2023–25", footer="HMICFRS"
        ).pdf,
    }
    paths = {}
    for n, (key, data) in enumerate(made.items()):
        paths[key] = folder / f"report-{n}.dat"
        paths[key].write_bytes(data)
    return paths


def imported(peel: Run, path: Path) -> tuple[str, str]:
    done = peel("import", str(path))
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_the_shipped_report_in_every_form_imports_as_its_text_does(
    peel: Run, forms: dict[str, Path], form: str
) -> None:
    text, _ = imported(peel, forms["met text"])
    other, warnings = imported(peel, forms[f"met {form}"])
    assert other == text
    assert warnings == ""


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_a_fictional_assessment_in_every_form_imports_alike(
    peel: Run, forms: dict[str, Path], form: str
) -> None:
    text, _ = imported(peel, forms["example text"])
    other, _ = imported(peel, forms[f"example {form}"])
    assert other == text


def test_the_fictional_assessment_is_a_valid_dataset_of_areas(
    peel: Run, forms: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "exampleshire.yaml"
    done = peel("import", str(forms["example pdf"]), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert peel("validate", str(out)).returncode == 0
    grades = json.loads(peel("grades", "--json", "--data", str(out)).stdout)["questions"]
    assert [(q["id"], q["title"], q["grade"]) for q in grades] == [
        ("A1", "Investigating crime", "good"),
        ("A2", "Protecting vulnerable people", "requires improvement"),
        ("A3", "Responding to the public", "adequate"),
        ("A4", "Leadership and force management", "outstanding"),
        ("A5", "Recording data about crime", "inadequate"),
    ]
    found = json.loads(peel("findings", "--json", "--data", str(out)).stdout)
    assert [(f["id"], f["kind"]) for f in found] == [
        ("A1.A1", "area_for_improvement"),
        ("A2.C1", "cause_of_concern"),
        ("A2.R1", "recommendation"),
        ("A2.R2", "recommendation"),
        ("A2.R3", "recommendation"),
        ("A2.I1", "innovative_practice"),
    ]
    assert found[2]["lead_in"] == "Within three months, the force should:"


def test_warnings_about_a_pdf_name_its_page(peel: Run, forms: dict[str, Path]) -> None:
    _, warnings = imported(peel, forms["example pdf"])
    lines = warnings.splitlines()
    assert lines, "the fictional report has areas graded in its table with no section"
    for line in lines:
        assert line.startswith(f"peel: warning: {forms['example pdf']} (page "), line


def test_a_pdf_read_from_stdin(peel: Run, forms: dict[str, Path]) -> None:
    text, _ = imported(peel, forms["met text"])
    done = subprocess.run(
        [peel_executable(), "import", "-"],
        input=forms["met pdf"].read_bytes(),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n" + b"\x00" * 200, "peel: error: {path}: "),
        (b"<!DOCTYPE html><html><body><nav>Home</nav></body></html>", "peel: error: {path}: "),
    ],
    ids=["damaged pdf", "empty page"],
)
def test_a_damaged_pdf_or_an_empty_page_is_one_line_and_exit_2(
    peel: Run, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "report"
    path.write_bytes(data)
    done = peel("import", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith(message.format(path=path)), done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) <= 2


FIXTURE_TEXTS = sorted(
    p.name for p in (SOURCE_TEXT.parents[2] / "tests" / "fixtures").glob("*.txt")
)


@pytest.mark.parametrize("form", ["html", "pdf"])
@pytest.mark.parametrize("fixture", FIXTURE_TEXTS)
def test_each_fixture_set_as_a_page_or_a_pdf_imports_as_its_text_does(
    peel: Run, tmp_path: Path, fixture: str, form: str
) -> None:
    text_path = SOURCE_TEXT.parents[2] / "tests" / "fixtures" / fixture
    text = text_path.read_text(encoding="utf-8")
    blocks = docs.assessment_blocks(text) if "2023" in fixture else docs.blocks_of(text)
    title = next(n for n, b in enumerate(blocks) if b.kind == "title")
    path = tmp_path / "report.dat"
    if form == "html":
        path.write_text(docs.html_page(blocks[title:]), encoding="utf-8")
    else:
        path.write_bytes(docs.pdf_of(blocks[title:], header="Exampleshire", footer="HMICFRS").pdf)
    assert imported(peel, path)[0] == imported(peel, text_path)[0]


# --- reports laid out as the inspectorate publishes them -------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped report and the fictional Northmoor one as published: text as a browser
    copies the page, the page itself, the PDF with its cover, and the page printed to PDF."""
    folder = tmp_path_factory.mktemp("published")
    paths = {}
    for name, report in (("met", docs.met_published()), ("northmoor", docs.NORTHMOOR)):
        made = {
            "text": docs.published_text(report).encode("utf-8"),
            "html": docs.published_page(report).encode("utf-8"),
            "pdf": docs.published_pdf(report).pdf,
            "printed page": docs.published_pdf(report, page=True).pdf,
        }
        for form, data in made.items():
            paths[f"{name} {form}"] = folder / f"{name}-{len(paths)}.dat"
            paths[f"{name} {form}"].write_bytes(data)
    return paths


@pytest.mark.parametrize("report", ["met", "northmoor"])
@pytest.mark.parametrize("form", ["html", "pdf", "printed page"])
def test_a_report_as_published_imports_to_one_dataset_in_every_form(
    peel: Run, published: dict[str, Path], report: str, form: str
) -> None:
    text, text_warnings = imported(peel, published[f"{report} text"])
    other, warnings = imported(peel, published[f"{report} {form}"])
    assert other == text
    assert (text_warnings, warnings) == ("", "")


def test_the_shipped_report_as_published_is_the_shipped_dataset_but_for_its_title(
    peel: Run, published: dict[str, Path]
) -> None:
    import yaml

    made = yaml.safe_load(imported(peel, published["met pdf"])[0])
    # The same month given by hand: due dates count from it alike.
    done = peel("import", str(SOURCE_TEXT), "--published", "2017-03")
    assert done.returncode == 0, done.stderr
    shipped = yaml.safe_load(done.stdout)
    assert made.pop("title") == (
        "PEEL: Police effectiveness 2016 An inspection of the Metropolitan Police Service"
    )
    assert made["force"] == "Metropolitan Police Service"
    # The cover gives the month it was published; the shipped text gives none.
    assert shipped["published"] == made["published"]
    assert (made.pop("published"), made.pop("published_source")) == (
        "2017-03",
        "The report's cover: “March 2017”, which gives the month alone.",
    )
    for key in ("title", "published", "published_source"):
        shipped.pop(key, None)
    assert made == shipped


def test_a_2023_25_report_numbers_its_areas_in_the_order_of_its_sections(
    peel: Run, published: dict[str, Path], tmp_path: Path
) -> None:
    # The victim service assessment comes first in the text, and not in the judgement table.
    out = tmp_path / "northmoor.yaml"
    out.write_text(imported(peel, published["northmoor pdf"])[0], encoding="utf-8")
    done = peel("grades", "--json", "--data", str(out))
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["questions"]
    assert [(q["id"], q["title"], q["grade"]) for q in rows] == [
        ("A1", "Victim service assessment", "ungraded"),
        ("A2", "Police powers and public treatment", "good"),
        ("A3", "Preventing crime and antisocial behaviour", "adequate"),
        ("A4", "Responding to the public", "requires improvement"),
        ("A5", "Investigating crime", "adequate"),
        ("A6", "Protecting vulnerable people", "inadequate"),
        ("A7", "Leadership and force management", "good"),
    ]


@pytest.mark.parametrize(
    ("cover", "date", "force", "cycle", "published"),
    [
        (
            ("PEEL: Police effectiveness 2017", "A inspection of Greater Manchester Police"),
            "March 2018",
            "Greater Manchester Police",
            None,
            "2018-03",
        ),
        (
            (
                "PEEL: Police effectiveness, efficiency and legitimacy 2018/19",
                "An inspection of Lancashire Constabulary",
            ),
            "",
            "Lancashire Constabulary",
            "2018/19",
            None,
        ),
    ],
    ids=["2017 sic", "2018/19 no date"],
)
def test_the_other_covers_of_the_issue_import_from_a_pdf_with_no_options(
    peel: Run,
    tmp_path: Path,
    cover: tuple[str, ...],
    date: str,
    force: str,
    cycle: str | None,
    published: str | None,
) -> None:
    import dataclasses

    import yaml

    report = dataclasses.replace(docs.met_published(), cover=cover, date=date)
    path = tmp_path / "report.pdf"
    path.write_bytes(docs.published_pdf(report).pdf)
    done = peel("import", str(path))
    assert done.returncode == 0, done.stderr
    made = yaml.safe_load(done.stdout)
    assert (made["force"], made.get("cycle"), made.get("published")) == (force, cycle, published)


def test_the_date_under_the_title_is_explained_as_the_publication(
    peel: Run, published: dict[str, Path]
) -> None:
    for form, said in (("pdf", "“March 2025”"), ("html", "“March 2025”")):
        done = peel("import", str(published[f"northmoor {form}"]), "--explain")
        assert done.returncode == 0, done.stderr
        lines = [line for line in done.stderr.splitlines() if ": published: " in line]
        assert len(lines) == 1 and lines[0].endswith(f"published: 2025-03 — {said}"), lines


def _with_new_area(report: docs.Published) -> docs.Published:
    import dataclasses

    blocks = list(report.blocks)
    at = next(n for n, b in enumerate(blocks) if b.text == "Investigating crime")
    new = [
        docs.Block("heading", "Tackling fraud and online crime", level=2),
        docs.Block("paragraph", "Northmoor Police is good at tackling fraud and online crime."),
        docs.Block("paragraph", "It has a team that helps victims of fraud."),
    ]
    after = [
        docs.Block("heading", "About the data", level=2),
        docs.Block("paragraph", "Data in this report comes from the force and the Home Office."),
    ]
    return dataclasses.replace(report, blocks=tuple(blocks[:at] + new + blocks[at:] + after))


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_a_section_with_a_new_name_between_areas_is_an_area_with_a_warning(
    peel: Run, tmp_path: Path, form: str
) -> None:
    report = _with_new_area(docs.NORTHMOOR)
    path = tmp_path / "report.dat"
    if form == "html":
        path.write_text(docs.published_page(report), encoding="utf-8")
    else:
        path.write_bytes(docs.published_pdf(report).pdf)
    done = peel("import", str(path), "-o", str(tmp_path / "out.yaml"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"peel: warning: {path} ({'<h2>' if form == 'html' else 'page 4'}): 'Tackling fraud and "
        "online crime' is read as an area of policing: it is set as a section, as the areas "
        "around it are, but its name is new to peel"
    ]
    rows = json.loads(peel("grades", "--json", "--data", str(tmp_path / "out.yaml")).stdout)
    titles = [(q["id"], q["title"], q["grade"]) for q in rows["questions"]]
    assert titles[3:6] == [
        ("A4", "Responding to the public", "requires improvement"),
        ("A5", "Tackling fraud and online crime", "good"),
        ("A6", "Investigating crime", "adequate"),
    ]
    # The section after the last area is not one: it stays with the area before it.
    assert titles[-1] == ("A8", "Leadership and force management", "good")


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_a_heading_its_contents_does_not_list_is_prose(
    peel: Run, tmp_path: Path, form: str
) -> None:
    # A PDF marks a heading by its type alone, and a page may set a paragraph's lead-in as a
    # heading: where the form has its own contents, only a section it lists is one.
    path = tmp_path / f"report.{form}"
    new = "Tackling fraud and online crime"
    report = _with_new_area(docs.NORTHMOOR)
    if form == "html":
        path.write_text(docs.published_page(report, listed=new.__ne__), encoding="utf-8")
    else:
        path.write_bytes(docs.published_pdf(report, listed=new.__ne__).pdf)
    done = peel("import", str(path), "-o", str(tmp_path / "out.yaml"))
    assert done.returncode == 0, done.stderr
    assert "read as an area of policing" not in done.stderr
    rows = json.loads(peel("grades", "--json", "--data", str(tmp_path / "out.yaml")).stdout)
    assert new not in [q["title"] for q in rows["questions"]]
    assert len(rows["questions"]) == 7


def test_a_pages_own_contents_is_read_as_names_beside_its_text() -> None:
    from peelcli.reading import to_text

    report = _with_new_area(docs.NORTHMOOR)
    document = to_text(docs.published_page(report).encode(), "report.html")
    assert document.contents == tuple(
        b.text for b in report.blocks if b.kind == "heading" and b.level == 2
    )
    # Two links into the page are no contents (skip links, a note's references): none read.
    two = _with_new_area(docs.NORTHMOOR)
    page = docs.published_page(
        two, listed=lambda name: name in ("Investigating crime", "About the data")
    )
    assert to_text(page.encode(), "report.html").contents is None
    # A link to a place the page does not have is no entry of its contents.
    assert "Investigating crime" not in (
        to_text(page.replace("id='investigating-crime'", "id='x'").encode(), "r.html").contents
        or ()
    )


def test_a_pdfs_contents_page_is_read_as_names_beside_its_text() -> None:
    from peelcli.reading import to_text

    report = _with_new_area(docs.NORTHMOOR)
    document = to_text(docs.published_pdf(report).pdf, "report.pdf")
    assert document.contents == tuple(
        b.text for b in report.blocks if b.kind == "heading" and b.level <= 3
    )


def _cover_without_force(report: docs.Published) -> docs.Published:
    import dataclasses

    return dataclasses.replace(report, cover=report.cover[:2])


def test_the_pdfs_title_metadata_names_the_force_where_the_cover_does_not(
    peel: Run, tmp_path: Path
) -> None:
    path = tmp_path / "report.pdf"
    title = "PEEL 2023–25: An inspection of Northmoor Police"
    path.write_bytes(
        docs.published_pdf(_cover_without_force(docs.NORTHMOOR), metadata_title=title).pdf
    )
    done = peel("import", str(path), "--explain")
    assert done.returncode == 0, done.stderr
    assert "force: Northmoor Police\n" in done.stdout
    assert "cycle: 2023–25\n" in done.stdout  # from the cover's first line, as ever
    assert (
        f"peel: explain: {path} (its Title metadata): force: Northmoor Police — “{title}”"
        in done.stderr.splitlines()
    )


def test_the_pdfs_title_metadata_never_names_the_force_over_the_cover(
    peel: Run, tmp_path: Path
) -> None:
    path = tmp_path / "report.pdf"
    other = "PEEL 2023–25: An inspection of Southmoor Police"
    path.write_bytes(docs.published_pdf(docs.NORTHMOOR, metadata_title=other).pdf)
    done = peel("import", str(path))
    assert done.returncode == 0, done.stderr
    assert "force: Northmoor Police\n" in done.stdout
    assert "Southmoor" not in done.stdout + done.stderr


def _first_line_of_cover(report: docs.Published) -> docs.Published:
    import dataclasses

    return dataclasses.replace(report, cover=report.cover[:1])


def _force_unnamed(report: docs.Published) -> docs.Published:
    """The report with its cover naming no force, and its text calling it "the force"."""
    import dataclasses

    blocks = tuple(
        dataclasses.replace(b, text=b.text.replace("Northmoor Police", "the force"))
        for b in report.blocks
    )
    return dataclasses.replace(_cover_without_force(report), blocks=blocks)


@pytest.mark.parametrize(
    ("report", "title", "force"),
    [
        # A short form: the report's text gives the force's name in full.
        (lambda: _cover_without_force(docs.NORTHMOOR), "Northmoor PEEL 2023", "Northmoor Police"),
        # The table of forces knows a short form that the text never writes out.
        (
            lambda: _first_line_of_cover(docs.met_published()),
            "Met PEEL 2016",
            "Metropolitan Police Service",
        ),
        (
            lambda: _force_unnamed(docs.NORTHMOOR),
            "Avon and Somerset PEEL 2018",
            "Avon and Somerset Constabulary",
        ),
        (lambda: _force_unnamed(docs.NORTHMOOR), "Kent Police", "Kent Police"),
    ],
    ids=["northmoor", "met", "avon", "not-a-title"],
)
def test_the_pdfs_title_metadata_names_a_force_by_its_short_form(
    peel: Run,
    tmp_path: Path,
    report: Callable[[], docs.Published],
    title: str,
    force: str,
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(docs.published_pdf(report(), metadata_title=title).pdf)
    done = peel("import", str(path), "--explain")
    assert done.returncode == 0, done.stderr
    assert f"force: {force}\n" in done.stdout
    assert (
        f"peel: explain: {path} (its Title metadata): force: {force} — “{title}”"
        in done.stderr.splitlines()
    )


def test_a_fragment_of_a_name_in_the_title_metadata_is_no_force(peel: Run, tmp_path: Path) -> None:
    # Neither the text nor the table of forces gives "Southmoor" a name in full.
    path = tmp_path / "report.pdf"
    made = docs.published_pdf(
        _cover_without_force(docs.NORTHMOOR), metadata_title="Southmoor PEEL 2023"
    )
    path.write_bytes(made.pdf)
    done = peel("import", str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert "give it with --force NAME" in done.stderr and "Southmoor" not in done.stderr


@pytest.mark.parametrize("title", ["Avon and Somerset PEEL 2018", "Kent Police"])
def test_a_short_form_in_the_title_metadata_never_names_the_force_over_the_cover(
    peel: Run, tmp_path: Path, title: str
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(docs.published_pdf(docs.NORTHMOOR, metadata_title=title).pdf)
    done = peel("import", str(path))
    assert done.returncode == 0, done.stderr
    assert "force: Northmoor Police\n" in done.stdout
    assert title not in done.stdout + done.stderr


def test_what_a_pdf_leaves_open_is_placed_at_its_page(peel: Run, tmp_path: Path) -> None:
    # Not at a line of the text the PDF was read into, which no reader of the PDF can find.
    path = tmp_path / "report.pdf"
    path.write_bytes(docs.published_pdf(_cover_without_force(docs.NORTHMOOR)).pdf)
    done = peel("import", str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"peel: error: {path} (page 1): the title does not name the force (as in "
        "'Metropolitan PEEL 2016'); give it with --force NAME\n"
    )
