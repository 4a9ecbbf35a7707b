"""``movement units import``: read a roster, validate every row, then apply it as dated
unit versions in one transaction — or write nothing and report every problem."""

from __future__ import annotations

import hashlib
import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from movement_cli.core.kinds import COMMUNE_LEVEL_KINDS, parse_kind, parse_subtype
from movement_cli.errors import BadInput, InputProblem
from movement_cli.ingest.readers import open_table
from movement_cli.ingest.text import find_legacy
from movement_cli.ingest.values import parse_date
from movement_cli.store import units as unit_store
from movement_cli.store.db import Database, bulk_load

ROSTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "mã", "mã đơn vị", "ma_don_vi"),
    "name": ("name", "tên", "tên đơn vị", "ten_don_vi"),
    "kind": ("kind", "loại", "loại đơn vị", "cấp"),
    "parent_code": ("parent_code", "parent", "mã đơn vị cha", "mã cha", "ma_cha"),
    "subtype": ("subtype", "loại hình"),
    "active_from": ("active_from", "từ ngày", "hiệu lực từ"),
    "active_to": ("active_to", "đến ngày", "hiệu lực đến"),
    "note": ("note", "ghi chú"),
}
REQUIRED = ("code", "name", "kind")
_BATCH = 5000


@dataclass
class ImportReport:
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "file": self.file}


def _memo(parse: Callable[[str], str]) -> Callable[[str], str]:
    """Kinds and subtypes repeat on every row: parse each distinct spelling once."""
    seen: dict[str, str | ValueError] = {}

    def cached(text: str) -> str:
        result = seen.get(text)
        if result is None:
            try:
                result = parse(text)
            except ValueError as exc:
                result = exc
            seen[text] = result
        if isinstance(result, ValueError):
            raise result
        return result

    return cached


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _RowChecker:
    """Turns roster rows into unit tuples, or records their problems.

    Rosters have up to a million rows, so rows are checked a batch at a time: a batch whose
    columns pass a few whole-column tests (every kind and subtype spelling seen before, no
    empty cell where one is required, no dates, no repeated or short commune code) is turned
    into tuples by ``zip``; any other batch goes row by row through ``_check_fully``, which
    finds every problem of a row.
    """

    OPTIONAL = ("parent_code", "subtype", "active_from", "active_to", "note")

    def __init__(self, shown: str, columns: dict[str, int], problems: list[InputProblem]):
        self.shown = shown
        self.problems = problems
        self.kind_of = _memo(parse_kind)
        self.subtype_of = _memo(parse_subtype)
        self.good_kinds: dict[str, str] = {}
        self.good_subtypes: dict[str, str] = {"": ""}
        self.seen_codes: set[str] = set()
        self.parents_to_check: list[tuple[int, str]] = []
        self.names_to_check: list[tuple[int, str]] = []
        self.known_dates: dict[str, str | bool] = {}
        # A missing optional column reads the empty cell appended to every row.
        self.has_missing_column = any(name not in columns for name in self.OPTIONAL)
        self.cells_of = operator.itemgetter(
            columns["code"], columns["name"], columns["kind"],
            *(columns.get(name, -1) for name in self.OPTIONAL))

    def bad(self, row: int, column: str, message: str) -> None:
        self.problems.append(InputProblem(self.shown, row, column, message))

    def check_batch(self, batch: list[tuple[int, list[str]]]) -> list[tuple]:
        """The batch's valid rows as unit tuples (problems are recorded, not raised)."""
        rownums, rows = zip(*batch, strict=True)
        if self.has_missing_column:
            for cells in rows:
                cells.append("")
        codes, names, kinds, parents, subtypes, starts, ends, notes = zip(
            *map(self.cells_of, rows), strict=True)
        good_kinds, good_subtypes, seen = self.good_kinds, self.good_subtypes, self.seen_codes
        kind_codes = list(map(good_kinds.get, kinds))
        subtype_codes = list(map(good_subtypes.get, subtypes))
        distinct = set(codes)
        starts = self._dates(starts) if any(starts) else None
        ends = self._dates(ends) if any(ends) else None
        if (None in kind_codes or None in subtype_codes or "" in distinct or "" in names
                or len(distinct) != len(codes) or not seen.isdisjoint(distinct)
                or False in (starts or ()) or False in (ends or ())
                or (starts and ends and any(
                    a and b and b < a for a, b in zip(starts, ends, strict=True)))
                or (min(map(len, codes)) < 5
                    and not COMMUNE_LEVEL_KINDS.isdisjoint(kind_codes)
                    and any(len(c) < 5 for c, k in zip(codes, kind_codes, strict=True)
                            if k in COMMUNE_LEVEL_KINDS))
                or not distinct.isdisjoint(parents)
                and any(p == c for c, p in zip(codes, parents, strict=True))):
            return self._check_slowly(rownums, rows)
        seen.update(distinct)
        missing = set(parents) - seen
        missing.discard("")
        if missing:
            self.parents_to_check += [
                (r, p) for r, p in zip(rownums, parents, strict=True) if p in missing]
        self.names_to_check += zip(rownums, names, strict=True)
        self._check_names_when_many()
        # Empty optional cells stay "": the store turns them into NULL.
        empty = ("",) * len(codes)
        return list(zip(codes, names, kind_codes, parents, subtype_codes,
                        empty if starts is None else starts, empty if ends is None else ends,
                        notes, strict=True))

    def _dates(self, texts: tuple[str, ...]) -> tuple | list:
        """ISO dates for the cells ("" stays ""); False for a cell that is not a date."""
        known = self.known_dates
        distinct = set(texts)
        for text in distinct - known.keys():
            try:
                known[text] = parse_date(text).isoformat() if text else ""
            except ValueError:
                known[text] = False
        if all(known[text] == text for text in distinct):
            return texts  # already ISO: nothing to convert
        return list(map(known.__getitem__, texts))

    def _check_slowly(self, rownums, rows) -> list[tuple]:
        units = []
        for row, cells in zip(rownums, rows, strict=True):
            unit = self._check_fully(row, *self.cells_of(cells))
            if unit is not None:
                units.append(unit)
        self._check_names_when_many()
        return units

    def _check_names_when_many(self) -> None:
        if len(self.names_to_check) >= 20_000:
            self.check_names()

    def _check_fully(self, row: int, code: str, name: str, kind: str, parent: str,
                     subtype: str, active_from: str, active_to: str, note: str) -> tuple | None:
        before = len(self.problems)
        if not name:
            self.bad(row, "name", "missing value")
        else:
            self.names_to_check.append((row, name))
        if not kind:
            self.bad(row, "kind", "missing value")
        else:
            try:
                kind_text, kind = kind, self.kind_of(kind)
                self.good_kinds[kind_text] = kind
            except ValueError as exc:
                self.bad(row, "kind", str(exc))
                kind = ""
        if not code:
            self.bad(row, "code", "missing value")
        else:
            if kind in COMMUNE_LEVEL_KINDS and code.isdigit() and len(code) < 5:
                code = code.zfill(5)  # Excel turned "00001" into the number 1
            if code in self.seen_codes:
                self.bad(row, "code", f"duplicate code '{code}' (already on an earlier row)")
            else:
                self.seen_codes.add(code)
        if parent:
            if parent == code:
                self.bad(row, "parent_code", "a unit cannot be its own parent")
            elif parent not in self.seen_codes:
                self.parents_to_check.append((row, parent))
        if subtype:
            try:
                subtype_text, subtype = subtype, self.subtype_of(subtype)
                self.good_subtypes[subtype_text] = subtype
            except ValueError as exc:
                self.bad(row, "subtype", str(exc))
        active_from = self._date(row, "active_from", active_from)
        active_to = self._date(row, "active_to", active_to)
        if active_from and active_to and active_to < active_from:
            self.bad(row, "active_to", f"{active_to} is before active_from {active_from}")
        if len(self.problems) != before:
            return None
        return (code, name, kind, parent or None, subtype or None, active_from, active_to,
                note or None)

    def _date(self, row: int, column: str, text: str) -> str | None:
        if not text:
            return None
        try:
            return parse_date(text).isoformat()
        except ValueError as exc:
            self.bad(row, column, str(exc))
            return None

    def check_names(self) -> None:
        """Refuse names that are legacy-font mojibake (checked in batches: it is per word)."""
        rows = self.names_to_check
        for index, encoding in find_legacy([name for _, name in rows]):
            row, name = rows[index]
            self.bad(row, "name", f"'{name}' looks like {encoding} text shown in a Unicode "
                     "font; convert the file to Unicode (for example with UniKey's converter) "
                     "and import it again")
        rows.clear()

    def unresolved_parents(self) -> list[tuple[int, str]]:
        """Parents that are not rows of this file (a parent may come after its child)."""
        return [(row, parent) for row, parent in self.parents_to_check
                if parent not in self.seen_codes]


def import_roster(db: Database, path: Path, *, as_of: date, sheet: str | None = None,
                  dry_run: bool = False) -> ImportReport:
    """Validate the whole file, then apply it; raise BadInput with every problem found.

    Rows go to the database as they are read (the file is never held in memory) inside one
    transaction that is rolled back when any problem is found or on a dry run.
    """
    shown = str(path)
    report = ImportReport(file=str(path.absolute()))
    as_of_iso = as_of.isoformat()
    problems: list[InputProblem] = []

    with open_table(path, columns=ROSTER_COLUMNS, required=REQUIRED, sheet=sheet) as table:
        if table.unknown_columns:
            report.warnings.append(
                f"{shown}: ignoring column(s) the tool does not use: "
                + ", ".join(table.unknown_columns)
            )
        checker = _RowChecker(shown, table.columns, problems)
        with db.write(commit=not dry_run) as conn, bulk_load(conn):
            applier = unit_store.RosterApplier(db, as_of_iso)
            rows = iter(table.rows)
            while batch := list(itertools.islice(rows, _BATCH)):
                units = checker.check_batch(batch)
                if not problems:
                    applier.add_batch(units)
            problems.extend(table.problems)  # e.g. more values on a row than columns
            checker.check_names()
            unresolved = checker.unresolved_parents()
            if unresolved:
                active = unit_store.active_codes(conn, {p for _, p in unresolved}, as_of_iso)
                for row, parent in unresolved:
                    if parent not in active:
                        checker.bad(row, "parent_code",
                                    f"unknown parent '{parent}': not a row of this file and "
                                    f"not a unit active on {as_of_iso}")
            if problems:
                problems.sort(key=lambda p: p.row)
                raise BadInput(problems)
            report.added, report.updated, report.unchanged = applier.finish()
            db.audit("import", "units", str(path.absolute()), None, {
                "file": str(path.absolute()), "sha256": sha256_of(path), "as_of": as_of_iso,
                "added": report.added, "updated": report.updated,
                "unchanged": report.unchanged,
            })
    return report
