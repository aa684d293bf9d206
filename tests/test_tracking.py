"""The tracking library: dates, the tracker file's reading and writing, keys, RAG, responses,
the history, and spreadsheet import. The commands are tested in test_cli_track.py."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import DATASET, report_as

from peelcli.dataset.loader import load_reports
from peelcli.errors import PeelError
from peelcli.models import Report
from peelcli.query import Scope
from peelcli.tracking import changes, keys, listing, spreadsheet, store, yamlio
from peelcli.tracking.dates import add_months, parse_date
from peelcli.tracking.model import Change, Entry, Rag, Response, Status, Tracker
from peelcli.tracking.status import rag, response_state

DAY = datetime.date(2017, 10, 1)
AT = "2026-12-04T18:00:00Z"
KEY = "metropolitan-police-service/2016/E3.R4"


@pytest.fixture(scope="module")
def met() -> list[Report]:
    return load_reports([DATASET], use_cache=False)


def _edit(**fields: str) -> changes.Edit:
    return changes.Edit(comment="allocated", by="tester", at="2026-12-04T18:00:00Z", **fields)  # type: ignore[arg-type]


# --- dates ---------------------------------------------------------------------------


def test_dates_are_iso_or_relative_to_today() -> None:
    today = datetime.date(2027, 1, 31)
    assert parse_date("2027-03-31", today, "--due") == datetime.date(2027, 3, 31)
    assert parse_date("30d", today, "--due") == datetime.date(2027, 3, 2)
    assert parse_date("2w", today, "--due") == datetime.date(2027, 2, 14)
    assert parse_date("1m", today, "--due") == datetime.date(2027, 2, 28)  # the month's last day
    assert parse_date("3M", today, "--due") == datetime.date(2027, 4, 30)
    assert parse_date("1y", today, "--due") == datetime.date(2028, 1, 31)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/03/2027", "--due: '31/03/2027' is not a date; expected a date such as 2027-03-31"),
        ("2027-02-30", "--due: '2027-02-30' is not a date on the calendar"),
        ("soon", "--due: 'soon' is not a date"),
        ("30x", "--due: '30x' is not a date"),
    ],
)
def test_a_date_that_is_not_one_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(PeelError) as caught:
        parse_date(text, DAY, "--due")
    assert str(caught.value).startswith(message)


# --- the file ------------------------------------------------------------------------

HOSTILE = [
    "DCI Khan",
    "null",
    "123",
    "2017-09-30",
    "yes",
    "a: b",
    "# not a comment",
    "- a list?",
    "line\nbreak",
    "\x1b[31mred\x1b[0m",
    "bidi \u202e reversed",
    "del \x7f and c1 \x85 and ls \u2028",
    "Clare’s Law “quoted”",
    "trailing space ",
    " leading space",
    '"quoted"',
    "'single'",
    "back\\slash",
    "emoji 🚓",
    "",
]


def test_the_file_reads_back_exactly_whatever_text_it_holds(tmp_path: Path) -> None:
    tracker = Tracker()
    for n, text in enumerate(HOSTILE):
        tracker.entries[f"force-{n}/2016/E1.A1"] = Entry(
            fingerprint="0" * 16,
            owner=text or None,
            evidence=[text or "x"],
            history=[
                Change(
                    at="2026-12-04T18:00:00Z",
                    by=text or "x",
                    comment=text or "x",
                    changes={"owner": text},
                )
            ],
        )
    tracker.responses["force-1/2016"] = Response(
        published="2017-04-20", url="https://example.org/a?b=c#d"
    )
    text = yamlio.dump(tracker)
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    assert store.load(path) == tracker
    # And any YAML reader reads it the same: PyYAML's own safe loader, with its YAML 1.1.
    import yaml

    assert yaml.safe_load(text) == tracker.model_dump(mode="json", exclude_defaults=False) | {
        "entries": {
            k: {f: v for f, v in e.model_dump(mode="json").items() if v is not None and v != []}
            for k, e in tracker.entries.items()
        },
        "responses": {
            k: {f: v for f, v in r.model_dump(mode="json").items() if v is not None and v != []}
            for k, r in tracker.responses.items()
        },
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\nentries:\n  a/2016/E1.A1: [\n", "t.yaml:4:1: invalid YAML"),
        (
            "version: 1\nentries:\n  m/2016/E1.A1:\n    fingerprint: x\n    status: done\n",
            "t.yaml:5:13: entries.m/2016/E1.A1.status: 'done' is not one of",
        ),
        (
            "version: 1\nentries:\n  m/2016/E1.A1:\n    fingerprint: x\n    colour: red\n",
            "t.yaml:5:5: entries.m/2016/E1.A1.colour: unknown field 'colour'",
        ),
        (
            "version: 1\nentries:\n  m/2016/E1.A1:\n    fingerprint: x\n    due: 2017-13-01\n",
            "t.yaml:5:10: entries.m/2016/E1.A1.due: '2017-13-01' is not a date",
        ),
        (
            "version: 1\nentries:\n  m/2016/E1.A1:\n    fingerprint: x\n  m/2016/E1.A1:\n"
            "    fingerprint: y\n",
            "t.yaml:5:3: invalid YAML: duplicate key 'm/2016/E1.A1'",
        ),
        (
            "version: 1\nentries:\n  E1.A1:\n    fingerprint: x\n",
            "t.yaml:3:3: entries.E1.A1: is not a key such as "
            "metropolitan-police-service/2016/E3.R4",
        ),
        (
            "version: 1\nentries:\n  m/2016/E1.A1:\n    status: closed\n",
            "t.yaml:4:5: entries.m/2016/E1.A1.fingerprint: missing required field",
        ),
        ("version: 2\n", "t.yaml:1:10: version: tracker format 2 is not one this peel reads (1)"),
        ("- a\n- b\n", "t.yaml:1:1: expected a mapping with entries: at top level"),
    ],
)
def test_a_bad_tracker_is_reported_with_line_and_column(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PeelError) as caught:
        store.load(path)
    message = str(caught.value).replace(str(tmp_path) + "/", "")
    assert message.startswith(expected), message


def test_a_bad_tracker_is_never_written_over(tmp_path: Path, met: list[Report]) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("version: 1\nentries: [\n", encoding="utf-8")
    index = keys.Index.of(met)
    with pytest.raises(PeelError):
        store.update(path, lambda t: changes.apply_edit(t, index, [KEY], _edit(owner="x")))
    assert path.read_text(encoding="utf-8") == "version: 1\nentries: [\n"


def test_a_change_that_fails_leaves_the_file_as_it_was(tmp_path: Path, met: list[Report]) -> None:
    path = tmp_path / "t.yaml"
    store.create(path)
    before = path.read_bytes()

    def fail(tracker: Tracker) -> None:
        tracker.entries.clear()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.update(path, fail)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.yaml", "t.yaml.lock"]


def test_a_write_removes_only_the_stale_temporary_files_of_its_own_tracker(
    tmp_path: Path, met: list[Report]
) -> None:
    path = tmp_path / "t.yaml"
    store.create(path)
    others = ["t.yaml.tmp", ".t.yaml.x.ab12cd34.tmp", ".u.yaml.ab12cd34.tmp", ".t.yaml.notes"]
    for name in [".t.yaml.ab12cd34.tmp", ".t.yaml.q_9z.tmp", *others]:
        (tmp_path / name).write_text("left by a writer killed mid-write", "utf-8")
    index = keys.Index.of(met)
    store.update(path, lambda t: changes.apply_edit(t, index, [KEY], _edit(owner="A")))
    # Another tracker's (t.yaml.x's, u.yaml's) and other files stay.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["t.yaml", "t.yaml.lock", *others])


def test_a_second_read_of_the_same_bytes_skips_the_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, met: list[Report]
) -> None:
    path = tmp_path / "t.yaml"
    store.create(path)
    index = keys.Index.of(met)
    store.update(path, lambda t: changes.apply_edit(t, index, [KEY], _edit(owner="A")))
    calls = []
    real = yamlio.parse
    monkeypatch.setattr(yamlio, "parse", lambda *a: calls.append(1) or real(*a))
    first = store.load(path)  # written by peel: already in the cache
    assert calls == []
    path.write_text(path.read_text(encoding="utf-8").replace("owner: A", "owner: B"), "utf-8")
    second = store.load(path)
    assert calls == [1] and second.entries[KEY].owner == "B"
    store.load(path)
    assert calls == [1]
    assert first.entries[KEY].owner == "A"


def test_init_never_writes_over_a_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("mine\n", encoding="utf-8")
    with pytest.raises(PeelError, match="already exists"):
        store.create(path)
    assert path.read_text(encoding="utf-8") == "mine\n"


# --- keys ----------------------------------------------------------------------------


def test_keys_are_force_year_and_id(met: list[Report]) -> None:
    index = keys.Index.of(met)
    assert index.resolve("e3.r4") == KEY
    assert index.resolve(KEY.upper().replace("E3.R4", "e3.r4")) == KEY
    assert (
        index.resolve('{"id": "E3.R4", "force": "Metropolitan Police Service", "year": 2016}')
        == KEY
    )
    assert index.resolve('{"key": "' + KEY + '"}') == KEY


def test_an_unknown_key_names_the_nearest_and_every_bad_one(met: list[Report]) -> None:
    index = keys.Index.of(met)
    with pytest.raises(PeelError) as caught:
        index.resolve_all(["E3.R4", "E3.R44", "kent-police/2016/E3.R4"])
    problems = [p.message for p in caught.value.problems]
    assert problems[0].startswith("no loaded finding has the key 'E3.R44'; nearest: E3.R4")
    assert problems[1].startswith("no loaded finding has the key 'kent-police/2016/E3.R4'")
    assert len(problems) == 2


def test_an_id_in_several_reports_asks_for_the_key(tmp_path: Path) -> None:
    for force in ("Kent Police", "Essex Police"):
        (tmp_path / f"{force}.yaml").write_text(report_as(force), "utf-8")
    index = keys.Index.of(load_reports([tmp_path], use_cache=False))
    with pytest.raises(PeelError, match=r"E3\.R4 is in 2 loaded reports: give its key"):
        index.resolve("E3.R4")
    assert index.resolve("kent-police/2016/E3.R4") == "kent-police/2016/E3.R4"


def test_keys_come_from_lines_or_json() -> None:
    lines = '{"id":"E3.R4","force":"F","year":2016}\n\nE3.R5\n'
    assert keys.read_keys(["E1.A1", "-"], lines) == [
        "E1.A1",
        '{"id":"E3.R4","force":"F","year":2016}',
        "E3.R5",
    ]
    assert keys.read_keys(["-"], '[{"id": "E3.R4"}]') == ['{"id": "E3.R4"}']
    with pytest.raises(PeelError, match="no keys given"):
        keys.read_keys(["-"], "")


# --- RAG, history, responses ---------------------------------------------------------


def _entry(**fields: object) -> Entry:
    return Entry(fingerprint="x", **fields)  # type: ignore[arg-type]


def test_rag_is_derived_from_the_due_date_the_owner_and_the_status() -> None:
    owned = _entry(owner="A")
    assert rag(owned, "2017-09-30", DAY) is Rag.RED
    assert rag(_entry(), "2017-09-30", DAY) is Rag.RED  # overdue outranks no owner
    assert rag(owned, "2017-10-31", DAY) is Rag.AMBER  # due within 30 days
    assert rag(owned, "2017-11-01", DAY) is Rag.GREEN
    assert rag(_entry(), "2017-11-01", DAY) is Rag.AMBER  # no owner
    assert rag(owned, None, DAY) is Rag.GREEN
    assert rag(_entry(owner="A", status=Status.CLOSED), "2017-01-01", DAY) is Rag.CLOSED
    assert rag(None, "2017-06", DAY) is Rag.RED  # a month alone: its last day


def test_as_at_a_day_an_entry_is_as_its_history_had_it_then() -> None:
    from peelcli.tracking.model import RegisterStatus
    from peelcli.tracking.status import as_it_was

    def change(day: str, **changes: str | None) -> Change:
        return Change(at=f"{day}T09:00:00Z", by="b", comment="c", changes=changes)

    history = [
        change("2017-03-21", status="awaiting allocation", owner="DCI Khan", due="2017-09-30"),
        change("2017-06-30", status="in progress", evidence="audit"),
        change("2017-08-01", status="closed", register_status="complete", evidence="a\n\nb"),
        change("2017-09-01", revised_due="2017-12-31", reason="new system", owner=None),
    ]
    now = _entry(
        status=Status.CLOSED,
        register_status=RegisterStatus.COMPLETE,
        due="2017-09-30",
        revised_due="2017-12-31",
        reason="new system",
        evidence=["by hand", "audit", "a", "b"],
        history=history,
    )

    def seen(day: str) -> tuple[object, ...]:
        then = as_it_was(now, datetime.date.fromisoformat(day))
        register = then.register_status.value if then.register_status else None
        return (
            then.status.value,
            register,
            then.owner,
            then.revised_due,
            then.reason,
            then.evidence,
            len(then.history),
        )

    assert as_it_was(now, datetime.date(2017, 9, 1)) is now  # nothing later: as it is
    assert seen("2017-08-31") == (
        "closed",
        "complete",
        "DCI Khan",
        None,
        None,
        ["by hand", "audit", "a", "b"],
        3,
    )
    assert seen("2017-07-31") == (
        "in progress",
        None,
        "DCI Khan",
        None,
        None,
        ["by hand", "audit"],
        2,
    )
    # Before its first change, an entry is as it was made: nothing earlier is known.
    first = ("awaiting allocation", None, "DCI Khan", None, None, ["by hand"], 1)
    assert seen("2017-06-29") == first and seen("2017-01-01") == first
    assert now.status is Status.CLOSED and len(now.history) == 4  # the entry itself unchanged


def test_set_keeps_every_change_and_a_revised_date_needs_a_reason(met: list[Report]) -> None:
    tracker = Tracker()
    index = keys.Index.of(met)
    changes.apply_edit(tracker, index, [KEY], _edit(owner="DCI Khan", due="2017-09-30"))
    with pytest.raises(PeelError, match="due on 2017-09-30 already; a revised date needs --reason"):
        changes.apply_edit(tracker, index, [KEY], _edit(due="2017-12-31"))
    changes.apply_edit(tracker, index, [KEY], _edit(due="2017-12-31", reason="new system"))
    entry = tracker.entries[KEY]
    assert (entry.due, entry.revised_due, entry.reason) == (
        "2017-09-30",
        "2017-12-31",
        "new system",
    )
    assert [c.changes for c in entry.history] == [
        {"status": "awaiting allocation", "owner": "DCI Khan", "due": "2017-09-30"},
        {"revised_due": "2017-12-31", "reason": "new system"},
    ]
    # The revision was made on 4 December 2026: the day before, the first date stood.
    before = listing.tracked_rows(tracker, met, Scope(), datetime.date(2026, 12, 3))[0]
    assert (before.due, before.rag, before.days_overdue) == ("2017-09-30", Rag.RED, 3351)
    row = listing.tracked_rows(tracker, met, Scope(), datetime.date(2017, 12, 1))[0]
    assert (row.due, row.rag, row.days_overdue) == ("2017-09-30", Rag.RED, 62)
    row = listing.tracked_rows(tracker, met, Scope(), datetime.date(2026, 12, 4))[0]
    assert (row.due, row.rag, row.entry and row.entry.reason) == (
        "2017-12-31",
        Rag.RED,
        "new system",
    )


def test_the_response_is_due_56_days_after_publication(met: list[Report]) -> None:
    report = met[0]
    state = response_state(report, "k", None, datetime.date(2017, 5, 1))
    assert (state.published, state.due, state.state, state.days_late) == (
        "2017-03-02",
        "2017-04-27",
        "late",
        4,
    )
    assert response_state(report, "k", None, datetime.date(2017, 4, 27)).state == "due"
    on_time = Response(published="2017-04-20")
    assert response_state(report, "k", on_time, datetime.date(2017, 5, 1)).state == "responded"
    # Asked about a day before it came, the response had not come.
    assert response_state(report, "k", on_time, datetime.date(2017, 4, 1)).state == "due"


def test_entries_for_reports_not_loaded_are_counted(met: list[Report]) -> None:
    tracker = Tracker()
    for n in range(12):
        tracker.entries[f"kent-police/{2000 + n}/E1.A1"] = _entry()
    tracker.entries["metropolitan-police-service/2016/E9.A1"] = _entry()
    found = listing.unplaced(tracker, keys.Index.of(met))
    assert found.messages() == [
        "12 entries for reports not loaded",
        "1 entry whose finding is not in its loaded report: metropolitan-police-service/2016/E9.A1",
    ]
    del tracker.entries["kent-police/2000/E1.A1"]
    for n in range(3):
        tracker.entries[f"metropolitan-police-service/2016/E9.A{n + 2}"] = _entry()
    assert listing.unplaced(tracker, keys.Index.of(met)).messages() == [
        "11 entries for reports not loaded",
        "4 entries whose finding is not in its loaded report: "
        "metropolitan-police-service/2016/E9.A1, metropolitan-police-service/2016/E9.A2, "
        "metropolitan-police-service/2016/E9.A3 …",
    ]
    only = Tracker(entries={"kent-police/2000/E1.A1": _entry()})
    assert listing.unplaced(only, keys.Index.of(met)).messages() == [
        "1 entry for a report not loaded"
    ]


# --- import --------------------------------------------------------------------------


def test_import_matches_columns_by_header_and_lists_rows_that_match_nothing(
    met: list[Report],
) -> None:
    tracker = Tracker()
    index = keys.Index.of(met)
    headers = ["Ref", "Action owner", "Due date", "Status", "Colour"]
    rows = [
        (2, ["E3.R4", "DCI Khan", "2017-09-30", "In Progress", "red"]),
        (3, ["E9.R9", "Someone", "", "", ""]),
        (4, ["E3.R5", "'=cmd()", "", "", ""]),
    ]
    plan = spreadsheet.plan(
        tracker, index, headers, rows, [], "imported", "me", "2026-12-04T18:00:00Z"
    )
    assert [(line.row, line.field, line.new) for line in plan.lines if not line.problem] == [
        (2, "status", "in progress"),
        (2, "owner", "DCI Khan"),
        (2, "due", "2017-09-30"),
        (4, "owner", "=cmd()"),
    ]
    assert [(line.row, line.key) for line in plan.unmatched] == [(3, "E9.R9")]
    assert plan.unused_columns == ["Colour"]
    assert tracker.entries[KEY].history[0].comment == "imported"
    again = spreadsheet.plan(
        tracker, index, headers, rows[:1], [], "again", "me", "2026-12-04T18:00:00Z"
    )
    assert again.lines == []  # nothing differs now


def test_import_map_names_a_column_for_a_field(met: list[Report]) -> None:
    with pytest.raises(PeelError, match="no column says which finding a row is"):
        spreadsheet.column_map(["Rec", "Who"], [])
    columns, _ = spreadsheet.column_map(["Rec", "Who"], ["Rec=id", "who=owner"])
    assert columns == {0: "id", 1: "owner"}
    with pytest.raises(PeelError, match="'colour' is not a field to import"):
        spreadsheet.column_map(["Rec"], ["Rec=colour"])
