"""Every loaded report as an Excel workbook for a committee: grades, findings and tracking.

Written with XlsxWriter, which writes a sheet a row at a time in constant memory and, measured
on the same rows, in well under half openpyxl's time (``benchmarks/bench_export.py``). Every
cell is a typed value written as such, never a formula: text goes through ``write_string``
with XlsxWriter's guessing of formulas, numbers and links turned off, and is made safe as CSV
cells are, so that a copy saved as CSV is safe too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from peelcli.models import Report
from peelcli.query import Scope, finding_rows, grade_rows, question_rows
from peelcli.render.formats import sheet_cell
from peelcli.render.records import finding_record, grade_record
from peelcli.render.theme import GRADE_STYLES
from peelcli.render.tracking import TRACK_COLUMNS

if TYPE_CHECKING:
    from peelcli.export.tracked import Tracking

TRACKING_SHEET = "Tracking"

# Columns of the grades sheet: the rows of `peel grades --format csv`, a pillar's overall grade
# and each question's or area's, told apart by `level`, with the counts of a grade record and
# where the text stops short in its source. New columns go at the end.
SUMMARY_COLUMNS = (
    "force",
    "year",
    "level",
    "pillar",
    "id",
    "title",
    "grade",
    "grade_source",
    "carried_over_from",
    "areas_for_improvement",
    "causes_of_concern",
    "recommendations",
    "innovative_practice",
    "promising_practice",
    "truncated",
)
FINDING_COLUMNS = (
    "force",
    "year",
    "pillar",
    "question_id",
    "question",
    "grade",
    "id",
    "kind",
    "text",
    "cause_id",
    "lead_in",
    "title",
    "paragraphs",
    "truncated",
)
# Widths in characters: long text wraps in a wide column, the rest fit their content.
_WIDE = {"text": 80, "title": 50, "question": 50, "lead_in": 40, "paragraphs": 60}
_MAX_NARROW = 24


class Sheet(NamedTuple):
    """A sheet of the workbook: its name, columns and records, and how to colour a cell."""

    name: str
    columns: Sequence[str]
    records: Sequence[dict[str, Any]]
    # column -> the allowed values, offered as a drop-down list
    choices: Mapping[str, Sequence[str]] = MappingProxyType({})
    # column -> value -> fill colour (#RRGGBB)
    colours: Mapping[str, Mapping[str, str]] = MappingProxyType({})


def _fills(styles: Mapping[str, str]) -> dict[str, str]:
    """Each value's colour on the terminal (render.theme), as a cell's fill; none for a value
    shown dim there."""
    from rich.style import Style

    fills = {}
    for value, style in styles.items():
        colour = Style.parse(style).color
        if colour is None:
            continue
        red, green, blue = colour.get_truecolor()
        fills[value] = f"#{red:02X}{green:02X}{blue:02X}"
    return fills


def grade_fills() -> dict[str, str]:
    """Each grade's colour on the terminal, as a cell's fill; none for ungraded or not stated."""
    return _fills({grade.value: style for grade, style in GRADE_STYLES.items()})


def summary_records(reports: Sequence[Report]) -> list[dict[str, Any]]:
    """Each report's grades as `peel grades` lists them: each pillar's overall grade before
    its questions' grades, then its areas'."""
    scope = Scope()
    rows = grade_rows(reports, scope, question_rows(reports, scope))
    records = [grade_record(row) for row in rows]
    return sorted(records, key=lambda r: (r["force"].casefold(), r["year"]))


def report_sheets(reports: Sequence[Report]) -> list[Sheet]:
    """The grades sheet and the findings sheet of the reports."""
    fills = {"grade": grade_fills()}
    findings = [finding_record(row) for row in finding_rows(reports, Scope())]
    return [
        Sheet("Grades", SUMMARY_COLUMNS, summary_records(reports), colours=fills),
        Sheet("Findings", FINDING_COLUMNS, findings, colours=fills),
    ]


def tracking_sheet(tracking: Tracking, reports: Sequence[Report]) -> Sheet:
    """Every finding's tracking, as `peel track list --all --format csv` has it: the sheet
    `peel track import` reads back."""
    from peelcli.export.tracked import CHOICES, sheet_records
    from peelcli.render.theme import RAG_STYLES

    return Sheet(
        TRACKING_SHEET,
        TRACK_COLUMNS,
        sheet_records(tracking, reports),
        choices=CHOICES,
        colours={"rag": _fills(RAG_STYLES)},
    )


def _contrast(fill: str) -> str:
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if red * 299 + green * 587 + blue * 114 > 128_000 else "#FFFFFF"


def write_workbook(path: str, sheets: Sequence[Sheet]) -> None:
    """The sheets as an .xlsx file at path: header row frozen and filtered, text wrapped,
    columns sized, coloured cells, and drop-down lists where a column has choices."""
    import xlsxwriter  # type: ignore[import-untyped]

    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    book = xlsxwriter.Workbook(path, options)
    try:
        header = book.add_format({"bold": True, "valign": "top", "bottom": 1})
        plain = book.add_format({"text_wrap": True, "valign": "top"})
        coloured: dict[str, Any] = {}

        def fill(colour: str) -> Any:
            if colour not in coloured:
                coloured[colour] = book.add_format(
                    {"text_wrap": True, "valign": "top", "bg_color": colour}
                    | {"font_color": _contrast(colour)}
                )
            return coloured[colour]

        for sheet in sheets:
            _write_sheet(book, sheet, header, plain, fill)
    finally:
        book.close()


def _write_sheet(
    book: Any, sheet: Sheet, header: Any, plain: Any, fill: Callable[[str], Any]
) -> None:
    ws = book.add_worksheet(sheet.name)
    columns = list(sheet.columns)
    widths = [len(c) + 2 for c in columns]
    for col, name in enumerate(columns):
        ws.write_string(0, col, name, header)
    for n, record in enumerate(sheet.records, start=1):
        for col, name in enumerate(columns):
            value = record.get(name)
            colours = sheet.colours.get(name)
            style = plain
            if colours and isinstance(value, str) and value in colours:
                style = fill(colours[value])
            if value is None:
                ws.write_blank(n, col, None, style)
            elif isinstance(value, bool):
                ws.write_boolean(n, col, value, style)
            elif isinstance(value, (int, float)):
                ws.write_number(n, col, value, style)
            else:
                text = sheet_cell(value)
                ws.write_string(n, col, text, style)
                widths[col] = max(widths[col], min(len(text), _MAX_NARROW) + 2)
    last = max(len(sheet.records), 1)
    for col, name in enumerate(columns):
        ws.set_column(col, col, _WIDE.get(name, widths[col]))
        if name in sheet.choices:
            values = list(sheet.choices[name])
            ws.data_validation(
                1, col, last, col, {"validate": "list", "source": values, "ignore_blank": True}
            )
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(sheet.records), len(columns) - 1)
