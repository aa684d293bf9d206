"""A workbook's tracking sheet read back for `peel track import`: the sheet `peel export --xlsx`
writes, after a person has edited it, as the header and rows a CSV file gives."""

from __future__ import annotations

import datetime
import io
from typing import Any

from peelcli.errors import PeelError, Problem

SHEET = "Tracking"  # the sheet peel export writes; else a workbook's only sheet


def read_sheet(data: bytes, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The tracking sheet's header and its rows, each with its row number (the header is 1),
    every cell as text: a date as YYYY-MM-DD, a whole number without a decimal point."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise PeelError(Problem(f"is not a workbook Excel can open ({exc})", name)) from None
    try:
        if SHEET in book.sheetnames or len(book.sheetnames) == 1:
            sheet = book.worksheets[book.sheetnames.index(SHEET) if SHEET in book.sheetnames else 0]
        else:
            raise PeelError(
                Problem(
                    f"has no sheet named {SHEET!r}; its sheets are "
                    + ", ".join(repr(s) for s in book.sheetnames),
                    name,
                )
            )
        rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise PeelError(Problem("has an empty tracking sheet; expected a header row", name))
    header, *body = rows
    return header, [(n + 2, row) for n, row in enumerate(body) if any(c.strip() for c in row)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
