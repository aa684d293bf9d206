"""peel as a library: `import peelcli` gives the documented API, lazily; its functions return
data, raise peel's own errors carrying facts, and never print or exit; the core speaks no
command-line language, which the command line adds."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

import peelcli
from peelcli.errors import NothingMatched, PeelError

EXAMPLES = ROOT / "docs" / "examples"
Cli = Callable[..., Any]

# --- the public API ---------------------------------------------------------------------


def test_the_public_names_are_listed_and_each_loads() -> None:
    names = set(peelcli.__all__)
    assert names >= {
        "load",
        "scope",
        "grades",
        "grade_grid",
        "questions",
        "findings",
        "show",
        "search",
        "compile_search",
        "compare",
        "similar",
        "validate",
        "schema",
        "import_report",
        "as_json",
        "PeelError",
        "NothingMatched",
    }
    assert set(dir(peelcli)) == names
    for name in names:
        assert getattr(peelcli, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        peelcli.nope  # noqa: B018


def test_a_submodule_is_still_found_beside_the_lazy_names() -> None:
    from peelcli import query

    assert peelcli.query is query


VIEWS: list[tuple[tuple[str, ...], Callable[[Any, Any], Any]]] = [
    (("grades",), lambda r, s: peelcli.grades(r, s)),
    (("grades", "--grid"), lambda r, s: peelcli.grade_grid(r, s)),
    (("questions",), lambda r, s: peelcli.questions(r, s)),
    (("findings",), lambda r, s: peelcli.findings(r, s)),
    (("show", "E3"), lambda r, s: peelcli.show(r, s, ["E3"])),
    (("show", "E"), lambda r, s: peelcli.show(r, s, ["E"])),
    (("search", "domestic abuse"), lambda r, s: peelcli.search(r, s, ["domestic abuse"])),
    (("similar", "E3.R4"), lambda r, s: peelcli.similar(r, s, "E3.R4")),
    (("validate",), lambda r, s: peelcli.validate()),
]


@pytest.mark.parametrize(("args", "call"), VIEWS, ids=[" ".join(a) for a, _ in VIEWS])
def test_as_json_is_what_json_prints(
    cli: Cli, args: tuple[str, ...], call: Callable[[Any, Any], Any]
) -> None:
    result = cli(*args, "--json")
    assert result.exit_code in (0, 1), result.stderr  # similar finds nothing in one report
    found = call(peelcli.load().reports, peelcli.scope())
    assert peelcli.as_json(found) == json.loads(result.stdout)


@pytest.mark.parametrize("args", [("--force", "exampleshire"), ("--year", "2023")])
def test_as_json_of_a_comparison_is_what_json_prints(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli("compare", *args, "--json", "--data", str(EXAMPLES))
    flag, value = args
    chosen = peelcli.scope(forces=value) if flag == "--force" else peelcli.scope(years=int(value))
    found = peelcli.compare(peelcli.load(EXAMPLES).reports, chosen)
    assert peelcli.as_json(found) == json.loads(result.stdout)


def test_as_json_of_similar_findings_is_what_json_prints(cli: Cli) -> None:
    args = ("similar", "A2.A1", "--force", "exampleshire", "--year", "2023")
    result = cli(*args, "--json", "--data", str(EXAMPLES))
    assert result.exit_code == 0
    chosen = peelcli.scope(forces="exampleshire", years=2023)
    found = peelcli.similar(peelcli.load(EXAMPLES).reports, chosen, "A2.A1")
    assert found.neighbours and peelcli.as_json(found) == json.loads(result.stdout)


def test_scope_reads_filters_as_a_person_writes_them() -> None:
    chosen = peelcli.scope(
        forces="met", years=2016, grades=["ri", "Inadequate"], kinds="rec", questions=" e3 "
    )
    assert chosen == peelcli.Scope(
        ("met",),
        (2016,),
        (peelcli.Grade.REQUIRES_IMPROVEMENT, peelcli.Grade.INADEQUATE),
        (peelcli.Kind.RECOMMENDATION,),
        ("E3",),
    )
    with pytest.raises(peelcli.PeelError, match="'middling' is not a grade"):
        peelcli.scope(grades="middling")
    assert peelcli.scope(years="2016").years == (2016,)
    with pytest.raises(peelcli.PeelError, match="'x' is not a year"):
        peelcli.scope(years=["x"])


@pytest.mark.parametrize(
    ("threshold", "limit", "message"),
    [
        (500, 10, "a threshold of 500 is not a score from 0 to 100"),
        (-1, 10, "a threshold of -1 is not a score from 0 to 100"),
        (None, 0, "a limit of 0 findings leaves none to show; give 1 or more"),
    ],
)
def test_similar_refuses_a_threshold_or_limit_out_of_range_as_peel_errors(
    threshold: float | None, limit: int, message: str
) -> None:
    # The command line's options refuse these before any loading; a caller of the library
    # gets peel's own error rather than the similarity engine's.
    reports = peelcli.load().reports
    with pytest.raises(PeelError) as raised:
        peelcli.similar(reports, peelcli.scope(), "E3.R4", threshold, limit)
    assert str(raised.value) == message
    with pytest.raises(PeelError):
        peelcli.compare(reports, peelcli.scope(forces="met"), threshold=threshold or 101)


def test_library_functions_print_nothing_and_never_exit(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from conftest import SHIPPED

    (tmp_path / "bad.yaml").write_text("x: [\n", encoding="utf-8")
    (tmp_path / "good.yaml").write_text(SHIPPED, encoding="utf-8")
    warned: list[str] = []
    reports = peelcli.load(warn=warned.append).reports
    everything = peelcli.scope()
    failing: list[Callable[[], Any]] = [
        lambda: peelcli.load(tmp_path),
        lambda: peelcli.load(tmp_path / "missing.yaml"),
        lambda: peelcli.show(reports, everything, ["Z9"]),
        lambda: peelcli.search(reports, everything, ["("], regex=True),
        lambda: peelcli.similar(reports, peelcli.scope(forces="kent"), "E3.R4"),
        lambda: peelcli.compare(peelcli.load(EXAMPLES).reports, everything),
        lambda: peelcli.import_report(tmp_path / "missing.txt"),
    ]
    for call in failing:
        with pytest.raises((PeelError, NothingMatched)):
            call()
    checked = peelcli.validate(tmp_path)
    assert [p.file for p in checked.problems] == [str(tmp_path / "bad.yaml")]
    assert peelcli.schema()["$id"] == "urn:peelcli:dataset:report"
    assert peelcli.no_hits(reports, everything, ["zebra"]).message
    assert capfd.readouterr() == ("", "") and warned == []


# --- the core speaks no command-line language -----------------------------------------

# The modules below the command line whose messages were cleaned of its words; each
# message a user sees from them names facts, and the command line words its options.
CORE = [
    *sorted((ROOT / "peelcli" / "dataset").glob("*.py")),
    ROOT / "peelcli" / "api.py",
    ROOT / "peelcli" / "errors.py",
    ROOT / "peelcli" / "models.py",
    ROOT / "peelcli" / "forces.py",
    ROOT / "peelcli" / "similarity.py",
    ROOT / "peelcli" / "pattern.py",
    *sorted((ROOT / "peelcli" / "query").glob("*.py")),
    ROOT / "peelcli" / "across_reports.py",
]
# An option (`--data`, `--year`) or a command line (`peel show`, `peel compare`).
COMMAND_WORDS = re.compile(
    r"(?<![-\w])--[a-z]|\bpeel (?:grades|questions|show|findings|search|compare|similar|"
    r"validate|schema|import|export|track)\b"
)


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string in a module's code, docstrings left out (comments are not in the tree)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", CORE, ids=[p.relative_to(ROOT).as_posix() for p in CORE])
def test_the_core_names_no_option_and_no_command(path: Path) -> None:
    found = [(line, text) for line, text in _strings(path) if COMMAND_WORDS.search(text)]
    assert not found, f"{path.name} words a message in the command line's terms: {found}"


def test_the_check_sees_an_option_in_a_message(tmp_path: Path) -> None:
    # The control for the test above: the words it is looking for are found.
    module = tmp_path / "m.py"
    module.write_text(
        '"""Reads --data."""\n'
        'def f(year):\n    raise ValueError(f"no report is from --year {year}")\n'
        'HINT = "Try: peel compare --force NAME"\n',
        encoding="utf-8",
    )
    assert sorted(text for _, text in _strings(module) if COMMAND_WORDS.search(text)) == [
        "Try: peel compare --force NAME",
        "no report is from --year ",
    ]


def test_an_empty_directory_is_an_error_with_its_facts_and_the_cli_names_data(
    cli: Cli, tmp_path: Path
) -> None:
    with pytest.raises(PeelError) as raised:
        peelcli.load(tmp_path)
    error = raised.value
    assert error.reason == "no_report_files"
    assert [p.file for p in error.problems] == [str(tmp_path)]
    assert error.hint == "Give a report file or a directory of them."
    result = cli("grades", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"peel: error: {tmp_path}: directory holds no report files (*.yaml, *.yml)\n"
        "peel: Point --data at a report file or a directory of them.\n"
    )


def test_compare_without_forces_or_years_says_so_in_each_terms(cli: Cli) -> None:
    reports = peelcli.load(EXAMPLES).reports
    with pytest.raises(PeelError) as raised:
        peelcli.compare(reports, peelcli.scope())
    assert raised.value.reason == "compare_what"
    assert "--" not in (raised.value.hint or "")
    result = cli("compare", "--data", str(EXAMPLES))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "peel: Try: peel compare --force NAME, or peel compare --year YEAR\n"
    )


def test_similar_to_a_question_names_the_question_as_a_fact(cli: Cli) -> None:
    reports = peelcli.load().reports
    with pytest.raises(PeelError) as raised:
        peelcli.similar(reports, peelcli.scope(), "E3")
    assert (raised.value.reason, raised.value.facts) == ("not_a_finding", {"question": "E3"})
    assert str(raised.value) == "E3 is a question or area, not a finding"
    result = cli("similar", "E3")
    assert result.exit_code == 2
    assert result.stderr == (
        "peel: error: E3 is a question or area, not a finding\n"
        "peel: Give a finding's ID, such as E3.A1; 'peel show E3' lists them.\n"
    )


def _raised(call: Callable[[], Any]) -> PeelError | NothingMatched:
    try:
        found = call()
    except (PeelError, NothingMatched) as exc:
        return exc
    assert isinstance(found, NothingMatched), found  # no_hits and load return theirs
    return found


def _nothing(loaded: Any) -> NothingMatched:
    assert loaded.nothing is not None
    return loaded.nothing  # type: ignore[no-any-return]


# Each: the library call, its reason and facts, what it says (message, then hints), and the
# command line that meets the same problem with what that says on stderr.
SAID: list[tuple[str, Callable[[Any, Any], Any], str, dict[str, Any], list[str], list[str]]] = [
    (
        "an ID in two reports",
        lambda r, x: peelcli.show(x, peelcli.scope(), ["E1"]),
        "ambiguous_id",
        {"id": "E1", "count": 2},
        [
            "E1 is in 2 reports: Exampleshire Police 2016, Exampleshire Police 2018",
            "Choose one with a scope of one force and year.",
        ],
        ["show", "E1", "--data", str(EXAMPLES)],
    ),
    (
        "an unknown ID with none near",
        lambda r, x: peelcli.show(r, peelcli.scope(), ["Q9"]),
        "unknown_id",
        {"id": "Q9", "near": ""},
        ["no question or finding has the ID 'Q9'", "findings() lists the IDs."],
        ["show", "Q9"],
    ),
    (
        "no search terms",
        lambda r, x: peelcli.search(r, peelcli.scope(), [" "]),
        "no_terms",
        {},
        ["no search terms given", "Give a word or phrase to search for, such as 'domestic abuse'."],
        ["search", " "],
    ),
    (
        "a bad regular expression",
        lambda r, x: peelcli.search(r, peelcli.scope(), ["("], regex=True),
        "bad_regex",
        {"term": "("},
        [
            "invalid regular expression '(': missing ), unterminated subpattern at position 0",
            "Search without regex to find the text as written.",
        ],
        ["search", "--regex", "("],
    ),
    (
        "a search that finds only judgements, with filters",
        lambda r, x: peelcli.no_hits(
            r, peelcli.scope(questions="E3", grades="inadequate"), ["capacity and capability"]
        ),
        "no_hits",
        {
            "where": "findings",
            "sought": '"capacity and capability"',
            "questions": ("E3",),
            "grades": ("inadequate",),
            "kinds": (),
            "other_text": True,
        },
        [
            "no findings match \"capacity and capability\" with question E3, grade 'inadequate'",
            "Judgements or summaries match: search with all_text to find them too.",
            "A phrase in quotes matches only its words side by side; leave out the quotes to "
            "find the words anywhere.",
        ],
        ["search", "capacity and capability", "-q", "E3", "--grade", "inadequate"],
    ),
    (
        "forces that match no report",
        lambda r, x: _nothing(peelcli.load(scope=peelcli.scope(forces=["kent", "essex"]))),
        "no_force",
        {"forces": ("kent", "essex")},
        [
            "no report's force matches 'kent' or 'essex'",
            "Forces loaded: Metropolitan Police Service.",
        ],
        ["findings", "--force", "kent", "--force", "essex"],
    ),
    (
        "a year of no report of the force",
        lambda r, x: _nothing(peelcli.load(scope=peelcli.scope(forces="met", years=2015))),
        "no_year",
        {"forces": ("met",), "years": (2015,)},
        ["no report of the forces chosen is from 2015", "Years loaded: 2016."],
        ["findings", "--force", "met", "--year", "2015"],
    ),
    (
        "a comparison whose force matches several",
        lambda r, x: peelcli.compare(x, peelcli.scope(forces="o", years=2023)),
        "several_forces",
        {"count": 3, "shown": "Exampleshire Police, Sampleton Constabulary, Testford Police"},
        [
            "the forces chosen match 3 forces, not one: Exampleshire Police, Sampleton "
            "Constabulary, Testford Police",
            "Name one force more fully, such as 'Avon and Somerset'.",
        ],
        ["compare", "--force", "o", "--year", "2023", "--data", str(EXAMPLES)],
    ),
]
# What the command line says of each, as it said it before the library spoke in facts.
SAID_AT_THE_COMMAND_LINE = {
    "an ID in two reports": "peel: error: E1 is in 2 reports: Exampleshire Police 2016, "
    "Exampleshire Police 2018\npeel: Choose one with --force and --year.\n",
    "an unknown ID with none near": "peel: error: no question or finding has the ID 'Q9'\n"
    "peel: Run 'peel findings' to list the IDs.\n",
    "no search terms": "peel: error: no search terms given\n"
    "peel: Try: peel search 'domestic abuse'\n",
    "a bad regular expression": "peel: error: invalid regular expression '(': missing ), "
    "unterminated subpattern at position 0\n"
    "peel: Leave out --regex to search for the text as written.\n",
    "a search that finds only judgements, with filters": "peel: no findings match "
    "\"capacity and capability\" with --question E3 --grade 'inadequate'\n"
    "peel: Judgements or summaries match: add --all-text to search them too.\n"
    "peel: A phrase in quotes matches only its words side by side; leave out the quotes to "
    "find the words anywhere.\n",
    "forces that match no report": "peel: no report's force matches --force 'kent' or 'essex'\n"
    "peel: Forces loaded: Metropolitan Police Service.\n",
    "a year of no report of the force": "peel: no report of the forces chosen is from "
    "--year 2015\npeel: Years loaded: 2016.\n",
    "a comparison whose force matches several": "peel: error: --force matches 3 forces: "
    "Exampleshire Police, Sampleton Constabulary, Testford Police\n"
    "peel: Name one force more fully, such as --force 'Avon and Somerset'.\n",
}


@pytest.mark.parametrize(
    ("call", "reason", "facts", "said", "args"),
    [case[1:] for case in SAID],
    ids=[case[0] for case in SAID],
)
def test_the_library_says_it_with_facts_and_the_command_line_with_its_options(
    cli: Cli,
    request: pytest.FixtureRequest,
    call: Callable[[Any, Any], Any],
    reason: str,
    facts: dict[str, Any],
    said: list[str],
    args: list[str],
) -> None:
    error = _raised(lambda: call(peelcli.load().reports, peelcli.load(EXAMPLES).reports))
    assert (error.reason, error.facts) == (reason, facts)
    if isinstance(error, PeelError):
        assert [str(error), error.hint] == said
    else:
        assert [error.message, *error.hints] == said
    assert not [line for line in said if COMMAND_WORDS.search(line)]
    result = cli(*args)
    assert result.exit_code == (2 if isinstance(error, PeelError) else 1)
    case = request.node.callspec.id
    assert result.stderr == SAID_AT_THE_COMMAND_LINE[case]


@pytest.mark.parametrize(("first", "second"), [("force", "year"), ("year", "force")])
def test_a_comparison_of_no_report_names_no_option_until_the_command_line_words_it(
    first: str, second: str
) -> None:
    # The command line narrows to --force and --year before it compares, so that it meets
    # this only from a caller's scope: its words for it are checked here.
    from peelcli.cli.wording import worded_hint, worded_problems

    chosen = peelcli.scope(forces="kent") if first == "force" else peelcli.scope(years=2015)
    with pytest.raises(PeelError) as raised:
        peelcli.compare(peelcli.load().reports, chosen)
    error = raised.value
    assert (error.reason, error.facts) == ("none_chosen", {"first": first, "second": second})
    assert (str(error), error.hint) == (
        f"no report matches the {first} and {second} chosen",
        "grade_grid() shows the forces and years loaded.",
    )
    assert worded_problems(error) == [f"no report matches --{first} and --{second}"]
    assert worded_hint(error) == "Run 'peel grades --grid'."


# --- docs/library.md's example runs ----------------------------------------------------

LIBRARY_MD = ROOT / "docs" / "library.md"
PYCON = re.compile(r"```pycon\n(.*?)```", re.DOTALL)


def test_the_library_docs_example_runs_and_shows_its_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import doctest

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PEEL_DATA", raising=False)
    blocks = PYCON.findall(LIBRARY_MD.read_text(encoding="utf-8"))
    assert len(blocks) >= 4
    # The blocks run in turn, as a notebook's cells do: names stay from one to the next.
    test = doctest.DocTestParser().get_doctest(
        "\n".join(blocks), {}, "docs/library.md", str(LIBRARY_MD), 0
    )
    assert len(test.examples) >= 20
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_a_folder_that_cannot_be_listed_is_named_and_the_cli_names_data(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from conftest import SHIPPED

    (tmp_path / "kent").mkdir()
    (tmp_path / "met.yaml").write_text(SHIPPED, encoding="utf-8")
    locked = str(tmp_path / "kent")
    scandir = os.scandir

    def refusing(path: Any) -> Any:  # as a folder without read permission does (not to root)
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    monkeypatch.setenv("PEEL_CACHE", "0")
    with pytest.raises(PeelError) as raised:
        peelcli.load(tmp_path)
    assert raised.value.reason == "folders_unreadable"
    assert raised.value.hint == "peel reads every report under a directory it is given."
    result = cli("grades", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"peel: error: {locked}: permission denied\n"
        "peel: peel reads every report under a --data directory.\n"
    )


def test_an_imported_reports_dataset_is_what_peel_import_writes(cli: Cli) -> None:
    from conftest import SOURCE_TEXT

    imported = peelcli.import_report(SOURCE_TEXT)
    assert (imported.report.force, imported.report.year) == ("Metropolitan Police Service", 2016)
    result = cli("import", str(SOURCE_TEXT))
    assert result.exit_code == 0
    assert imported.dataset() == result.stdout
