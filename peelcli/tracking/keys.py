"""Which finding an entry is: keys made from what a re-import does not change (the force's
canonical name, the cycle's first year, the ID), and keys as people give them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from peelcli.errors import PeelError, Problem, quoted
from peelcli.models import Report
from peelcli.query import FindingRow, Scope, finding_rows
from peelcli.tracking.facts import force_slug


def report_key(report: Report) -> str:
    """A report's key: force-slug/year, such as metropolitan-police-service/2016."""
    return f"{force_slug(report)}/{report.year}"


def finding_key(row: FindingRow) -> str:
    """A finding's key: metropolitan-police-service/2016/E3.R4."""
    return f"{report_key(row.report)}/{row.id}"


def fingerprint(text: str) -> str:
    """A short hash of a finding's words, to tell when a re-import has changed them."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Index:
    """Every loaded finding by key and by ID, and the loaded reports by key."""

    rows: dict[str, FindingRow] = field(default_factory=dict)
    by_id: dict[str, list[str]] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    by_force: dict[tuple[str, int], str] = field(default_factory=dict)

    @classmethod
    def of(cls, reports: Sequence[Report]) -> Index:
        index = cls()
        for report in reports:
            key = report_key(report)
            index.reports[key] = report
            index.by_force[(report.force.casefold(), report.year)] = key
        for row in finding_rows(reports, Scope()):
            key = finding_key(row)
            index.rows[key] = row
            index.by_id.setdefault(row.id, []).append(key)
        return index

    def resolve(self, given: str) -> str:
        """The key of a finding given as a key, an ID (where it names one finding) or a line
        of the JSON that findings and search write; a PeelError naming the nearest."""
        text = given.strip()
        if text.startswith("{"):
            return self._from_record(text)
        if "/" in text:
            slug, _, rest = text.rpartition("/")
            key = f"{slug.lower()}/{rest.upper()}"
            if key in self.rows:
                return key
            raise self._unknown(given, key)
        ident = text.upper()
        keys = self.by_id.get(ident, [])
        if len(keys) == 1:
            return keys[0]
        if keys:
            raise PeelError(
                f"{ident} is in {len(keys)} loaded reports: give its key, such as {keys[0]}",
                hint="Or narrow the reports with --force and --year.",
            )
        raise self._unknown(given, ident)

    def resolve_all(self, given: Iterable[str]) -> list[str]:
        """Each key in turn, without repeats; every one that matches nothing is reported
        together, and then none is used."""
        keys: list[str] = []
        problems: list[Problem] = []
        hints: list[str] = []
        for item in given:
            try:
                key = self.resolve(item)
            except PeelError as exc:
                problems.extend(exc.problems)
                if exc.hint:
                    hints.append(exc.hint)
                continue
            if key not in keys:
                keys.append(key)
        if problems:
            raise PeelError(problems, hint=hints[0] if hints else None)
        return keys

    def _from_record(self, text: str) -> str:
        try:
            record = json.loads(text)
        except ValueError:
            raise PeelError(f"{quoted(text)} is not a line of JSON") from None
        if not isinstance(record, dict):
            raise PeelError(f"{quoted(text)} is not a JSON object with an id")
        if isinstance(record.get("key"), str):
            return self.resolve(record["key"])
        ident, force, year = record.get("id"), record.get("force"), record.get("year")
        if not isinstance(ident, str):
            raise PeelError(f"{quoted(text)} has no finding id")
        if isinstance(force, str) and isinstance(year, int):
            report = self.by_force.get((force.casefold(), year))
            if report is None:
                raise PeelError(f"no loaded report is {quoted(force)} {year}")
            return self.resolve(f"{report}/{ident}")
        return self.resolve(ident)

    def _unknown(self, given: str, key: str) -> PeelError:
        import difflib

        pool = list(self.rows) if "/" in key else list(self.by_id)
        close = difflib.get_close_matches(key, pool, n=4, cutoff=0.5)
        nearest = f"; nearest: {', '.join(close)}" if close else ""
        return PeelError(
            f"no loaded finding has the key {quoted(given.strip())}{nearest}",
            hint="Run 'peel findings' to list the IDs; nothing was written.",
        )


def read_keys(arguments: Sequence[str], stdin_text: str | None) -> list[str]:
    """The keys given, '-' standing for standard input: a key a line, the JSON lines that
    findings and search write, or their JSON list."""
    keys: list[str] = []
    for argument in arguments:
        if argument != "-":
            keys.append(argument)
            continue
        text = (stdin_text or "").strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError:
                raise PeelError("standard input starts a JSON list but is not one") from None
            keys.extend(json.dumps(item) if isinstance(item, dict) else str(item) for item in items)
        else:
            keys.extend(line for line in text.splitlines() if line.strip())
    if not keys:
        raise PeelError(
            "no keys given", hint="Give IDs such as E3.R4, or - to read them from stdin."
        )
    return keys
