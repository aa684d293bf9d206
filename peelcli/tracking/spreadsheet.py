"""`peel track import`: a spreadsheet tracker's rows, columns matched by header, each row
matched to a finding as `set` matches keys, and the differences made changes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from peelcli.errors import PeelError, Problem, quoted
from peelcli.tracking.changes import EXTRA, IDENTIFYING, IMPORTED, SHOWN, ImportLine, Plan
from peelcli.tracking.dates import parse_date, today
from peelcli.tracking.facts import deadline
from peelcli.tracking.keys import Index, fingerprint
from peelcli.tracking.model import Change, Entry, RegisterStatus, Status, Tracker

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Headers as people write them, beside peel's own field names.
_ALIASES = {
    "finding": "id",
    "finding_id": "id",
    "ref": "id",
    "reference": "id",
    "due_date": "due",
    "deadline": "due",
    "revised_due_date": "revised_due",
    "revised_date": "revised_due",
    "reason_for_revision": "reason",
    "action_owner": "owner",
    "lead": "owner",
    "register": "register_status",
    "notes": "comment",
    "update": "comment",
}


def _field_name(header: str) -> str:
    name = re.sub(r"[\s\-]+", "_", header.strip().lstrip("'").casefold())
    return _ALIASES.get(name, name)


def column_map(headers: Sequence[str], mapping: Sequence[str]) -> tuple[dict[int, str], list[str]]:
    """Which field each column holds, by its header or by --map COLUMN=FIELD; and the columns
    that hold none."""
    known = (*IDENTIFYING, *IMPORTED, *EXTRA)
    chosen: dict[str, str] = {}
    for item in mapping:
        column, sep, target = item.partition("=")
        target = _field_name(target)
        if not sep or not column.strip():
            raise PeelError(f"--map: {quoted(item)} is not COLUMN=FIELD")
        if target not in known:
            raise PeelError(
                f"--map: {quoted(target)} is not a field to import; expected one of "
                + ", ".join(known)
            )
        chosen[column.strip().casefold()] = target
    columns: dict[int, str] = {}
    unused: list[str] = []
    for n, header in enumerate(headers):
        target = chosen.pop(header.strip().casefold(), "") or _field_name(header)
        if target in known and target not in columns.values():
            columns[n] = target
        elif target not in SHOWN:
            unused.append(header)
    if chosen:
        raise PeelError(f"--map: no column is headed {quoted(next(iter(chosen)))}")
    if not any(f in columns.values() for f in ("key", "id")):
        raise PeelError(
            "no column says which finding a row is: head one 'key' or 'id'",
            hint="Or name it: --map 'Ref=id'.",
        )
    return columns, unused


def read_rows(path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A CSV file's (or a workbook's tracking sheet's) header and its rows, each with its row
    number (the header is row 1)."""
    import csv

    from peelcli.dataset.files import decode, read_input

    name, data = read_input(path)
    if data.startswith(b"PK\x03\x04"):  # a zip archive, as an .xlsx workbook is
        from peelcli.tracking.workbook import read_sheet

        return read_sheet(data, name)
    text = decode(data, name)
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise PeelError(Problem(f"is not CSV: {exc}", name, reader.line_num)) from None
    if not rows:
        raise PeelError(Problem("is empty; expected a header row and rows", name))
    return rows[0], [(n + 2, row) for n, row in enumerate(rows[1:]) if any(c.strip() for c in row)]


def _cell(text: str) -> str:
    """A cell as written, less the ' that peel's CSV puts before what would start a formula."""
    text = text.strip()
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def _evidence(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", cell) if part.strip()]


def plan(
    tracker: Tracker,
    index: Index,
    headers: Sequence[str],
    rows: Sequence[tuple[int, list[str]]],
    mapping: Sequence[str],
    comment: str,
    by: str,
    at: str,
    shown: Callable[[str], str] | None = None,
) -> Plan:
    """Every change the rows make to the tracker, which is changed to match; rows that match no
    finding, or hold a value that cannot be, are listed with why. shown is how peel writes
    text into a spreadsheet (control characters escaped): a cell that holds a value as peel
    wrote it is that value, so that what `track list` writes imports back unchanged."""
    columns, unused = column_map(headers, mapping)
    result = Plan(unused_columns=unused)
    for number, cells in rows:
        values = {f: _cell(cells[n]) if n < len(cells) else "" for n, f in columns.items()}
        given = values.get("key") or values.get("id") or ""
        try:
            key = _row_key(index, values)
            changes = _row_changes(tracker, index, key, values, shown or _as_is)
        except PeelError as exc:
            problem = "; ".join(p.message for p in exc.problems)
            result.lines.append(ImportLine(number, given, None, None, None, problem))
            continue
        if not changes:
            continue
        entry = tracker.entries.get(key)
        if entry is None:
            entry = Entry(fingerprint=fingerprint(index.rows[key].text))
            tracker.entries[key] = entry
        record: dict[str, str | None] = {}
        for name, (old, new) in changes.items():
            result.lines.append(ImportLine(number, key, name, old, new))
            if name == "evidence":
                entry.evidence.extend(_evidence(new or ""))
            elif name == "status":
                entry.status = Status.parse(new or "")
            elif name == "register_status":
                entry.register_status = RegisterStatus.parse(new) if new else None
            else:
                setattr(entry, name, new)
            record[name] = new
        note = values.get("comment") or comment
        entry.history.append(Change(at=at, by=by, comment=note, changes=record))
    return result


def _row_key(index: Index, values: dict[str, str]) -> str:
    if values.get("key"):
        return index.resolve(values["key"])
    ident = values.get("id", "")
    if not ident:
        raise PeelError("no key or id")
    force, year = values.get("force", ""), values.get("year", "")
    if force and year.isdigit():
        report = index.by_force.get((force.casefold(), int(year)))
        if report is None:
            raise PeelError(f"no loaded report is {quoted(force)} {year}")
        return index.resolve(f"{report}/{ident}")
    return index.resolve(ident)


def _as_is(text: str) -> str:
    return text


def _row_changes(
    tracker: Tracker,
    index: Index,
    key: str,
    values: dict[str, str],
    shown: Callable[[str], str],
) -> dict[str, tuple[str | None, str | None]]:
    """field: (as the tracker has it, as the row has it), for each field the row changes."""
    entry = tracker.entries.get(key)
    report_due = deadline(index.rows[key].finding)
    changes: dict[str, tuple[str | None, str | None]] = {}
    for name in IMPORTED:
        if name not in values:
            continue
        cell = values[name] or None
        if name == "status":
            if cell is None or cell.casefold() == "untracked":
                continue
            new = Status.parse(cell).value
            old = entry.status.value if entry else None
        elif name == "register_status":
            new = RegisterStatus.parse(cell).value if cell else None
            old = entry.register_status.value if entry and entry.register_status else None
        elif name == "evidence":
            # Item by item, as the cell's items are a blank line apart: an item with a blank
            # line of its own is written as two.
            have = {part for item in entry.evidence for part in _evidence(item)} if entry else set()
            have |= {shown(part) for part in have}
            added = [item for item in _evidence(cell or "") if item not in have]
            if added:
                changes[name] = (None, "\n\n".join(added))
            continue
        elif name in ("due", "revised_due"):
            if cell is not None:
                cell = parse_date(cell, today(), name).isoformat()
            if name == "due":
                if cell is None:
                    continue  # the report's deadline, or the tracker's date, stands
                old = (entry.due if entry else None) or report_due
            else:
                old = entry.revised_due if entry else None
            new = cell
        else:
            old, new = (getattr(entry, name) if entry else None), cell
        if old != new and not (old is not None and new is not None and shown(old) == new):
            changes[name] = (old, new)
    return changes


def import_path(path: str) -> str:
    """The name a spreadsheet is known by in the history."""
    return Path(path).name if path != "-" else "standard input"
