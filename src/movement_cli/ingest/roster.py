"""Reading and checking a roster for ``movement units import``: blocks of checked rows in the
shape the store takes (``core.roster.ROSTER_FIELDS``) and every problem of the file, row by
row. Nothing here touches the database: the workflow (``workflows.import_units``) applies
the rows and hands back what only the database can tell (repeated codes, unknown parents,
end dates that cannot be applied) for the messages made here."""

from __future__ import annotations

import hashlib
import itertools
import operator
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

from movement_cli.core.kinds import (
    COMMUNE_LEVEL_KINDS,
    DATED_KINDS,
    kind_not_valid_on,
    parse_kind,
    parse_subtype,
)
from movement_cli.core.roster import ROSTER_FIELDS, UNIT_TUPLE, EndConflict, day_before
from movement_cli.errors import InputProblem
from movement_cli.i18n import N_, message_of
from movement_cli.ingest.readers import open_table
from movement_cli.text import find_legacy, parse_date

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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parsed(good: dict[str, str], parse: Callable[[str], str], text: str) -> str:
    """``parse(text)``, remembered in ``good`` when it succeeds (a bad spelling raises
    ValueError again: it is only ever on a row that fails)."""
    found = good.get(text)
    if found is None:
        found = good[text] = parse(text)
    return found


def _coded(good: dict[str, str], cells: Sequence[str]) -> Sequence[str] | None:
    """The column's cells as codes by ``good`` (spelling -> code): the cells themselves when
    each already is its code, None when a spelling has not been seen (or is wrong)."""
    distinct = set(cells)
    if not all(map(good.__contains__, distinct)):
        return None
    if all(good[text] == text for text in distinct):
        return cells
    return list(map(good.__getitem__, cells))


def _ends_before_start(start: str, end: str) -> bool:
    return bool(start and end and end < start)


def _any_end_before_start(starts: Sequence[str], ends: Sequence[str]) -> bool:
    """Whether a row's ISO end date is before its start date (a column at a time: only the
    rows with an end date are compared, and an empty start sorts before every date)."""
    return any(map(operator.lt, itertools.compress(ends, ends), itertools.compress(starts, ends)))


def duplicate_code(shown: str, row: int, code: str) -> InputProblem:
    return InputProblem(shown, row, "code", N_("duplicate code '{code}' (already on an earlier "
                                               "row)", code=code))


class RowChecker:
    """Turns blocks of roster rows into rows for the store, or records their problems.

    Rosters have up to a million rows, so a block is checked a column at a time: a block
    whose columns pass a few whole-column tests (every kind and subtype spelling seen before,
    no empty cell where one is required, dates that parse, no kind that does not exist on
    its row's date, no short commune code, no unit its own parent) goes to the store as it
    was read when every column of the file is a roster field (cells spelled otherwise
    replaced in place), else as unit tuples built by ``zip``; any other block goes row by row
    through ``_check_fully``, which finds every problem of a row.

    Two checks need the whole file and are left to the caller: a code repeated on a later
    row (the database's primary key finds it as the rows go in) and a parent that is neither
    a row of the file nor a unit of the database (``parents`` collects the codes named).
    """

    def __init__(self, shown: str, columns: dict[str, int], problems: list[InputProblem],
                 as_of: str):
        self.shown = shown
        self.problems = problems
        self.as_of = as_of
        # (row, code, active_to) of the valid rows without active_from that end before the
        # roster's date: wrong for a code the database does not know yet, unless the
        # database is empty (its first roster has no start dates), which the caller knows.
        self.ends_before_as_of: list[tuple[int, str, str]] = []
        # Kinds and subtypes repeat on every row: each spelling that parsed, and its code.
        self.good_kinds: dict[str, str] = {}
        self.good_subtypes: dict[str, str] = {"": ""}
        self.parents: set[str] = set()
        # Date cells seen: their ISO form, or False when they are not dates.
        self.dates: dict[str, str | bool] = {"": ""}
        self.iso_dates: set[str] = {""}
        self.indexes = [columns.get(name, -1) for name in ROSTER_FIELDS]
        self.layout = tuple(self.indexes)
        self.fields_in_file = len(columns)

    def bad(self, row: int, column: str, message: str) -> None:
        self.problems.append(InputProblem(self.shown, row, column, message))

    def check_block(self, rownums: Sequence[int], rows: list[list[str]]
                    ) -> tuple[Sequence[int], Sequence[Sequence[str]], tuple[int, ...]]:
        """The block's valid rows as (their row numbers, rows for the store, their layout: see
        ``ROSTER_FIELDS``); problems are recorded."""
        columns = list(zip(*rows, strict=True))
        empty = ("",) * len(rows)
        codes, names, kinds, parents, subtypes, starts, ends, notes = (
            columns[i] if i >= 0 else empty for i in self.indexes)
        self._check_names(rownums, names)
        kind_codes = _coded(self.good_kinds, kinds)
        subtype_codes = _coded(self.good_subtypes, subtypes)
        iso_starts = self._dates(starts)
        iso_ends = self._dates(ends)
        shortest = min(map(len, codes))
        if (kind_codes is None or subtype_codes is None or not shortest or not all(names)
                or iso_starts is None or iso_ends is None
                or (any(iso_ends) and _any_end_before_start(iso_starts, iso_ends))
                or self._kind_not_valid_on_row_date(kind_codes, iso_starts)
                or (shortest < 5
                    and any(len(code) < 5 and kind in COMMUNE_LEVEL_KINDS
                            for code, kind in zip(codes, kind_codes, strict=True)))
                or any(map(operator.eq, codes, parents))):
            return (*self._check_slowly(rownums, rows), UNIT_TUPLE)
        self.parents.update(parents)
        if any(iso_ends):
            self._note_ends_before_as_of(rownums, codes, iso_starts, iso_ends)
        if len(columns) == self.fields_in_file:
            # Every column of the file is a roster field: the rows go to the store as they
            # are, with the cells spelled otherwise replaced by their codes and ISO dates.
            # (With a column the tool ignores they cannot: SQLite takes exactly as many
            # values per row as its statement has parameters.)
            for field, cells, converted in ((2, kinds, kind_codes), (4, subtypes, subtype_codes),
                                            (5, starts, iso_starts), (6, ends, iso_ends)):
                if converted is not cells:
                    position = self.indexes[field]
                    for row, value in zip(rows, converted, strict=True):
                        row[position] = value
            return rownums, rows, self.layout
        # Empty optional cells stay "": the store turns them into NULL.
        return rownums, list(zip(codes, names, kind_codes, parents, subtype_codes, iso_starts,
                                 iso_ends, notes, strict=True)), UNIT_TUPLE

    def _kind_not_valid_on_row_date(self, kinds: Sequence[str], starts: Sequence[str]) -> bool:
        """Whether a row's kind does not exist on its date (its start, else the roster's
        date): only the few rows of kinds that exist before or after a date are looked at."""
        if DATED_KINDS.isdisjoint(kinds):
            return False
        return any(kind_not_valid_on(kind, start or self.as_of)
                   for kind, start in zip(kinds, starts, strict=True) if kind in DATED_KINDS)

    def _dates(self, texts: tuple[str, ...]) -> tuple | list | None:
        """The cells as ISO dates ("" stays ""); None when one is not a date."""
        distinct = set(texts)
        if distinct <= self.iso_dates:
            return texts  # already ISO (or empty): nothing to convert
        known = self.dates
        for text in [text for text in distinct if text not in known]:
            try:
                known[text] = iso = parse_date(text).isoformat()
            except ValueError:
                known[text] = False
            else:
                if iso == text:
                    self.iso_dates.add(text)
        converted = list(map(known.__getitem__, texts))
        return None if False in converted else converted

    def _check_slowly(self, rownums: Sequence[int], rows: list[list[str]]
                      ) -> tuple[list[int], list[tuple]]:
        """Row by row. A row with a problem still claims its code: it goes in as a stand-in
        (never committed: the import fails), so that a later row with the same code is still
        reported as repeated and a child naming it is not reported as an orphan."""
        good_rows, units = [], []
        for row, cells in zip(rownums, rows, strict=True):
            unit = self._check_fully(row, *(cells[i] if i >= 0 else "" for i in self.indexes))
            if unit is not None:
                good_rows.append(row)
                units.append(unit)
        return good_rows, units

    def _check_fully(self, row: int, code: str, name: str, kind: str, parent: str,
                     subtype: str, active_from: str, active_to: str, note: str) -> tuple | None:
        """The row as a unit tuple, recording its problems; for a row with problems, its
        stand-in (see ``_check_slowly``), or None when it has no code to claim."""
        before = len(self.problems)
        if not name:
            self.bad(row, "name", N_("missing value"))
        if not kind:
            self.bad(row, "kind", N_("missing value"))
        else:
            try:
                kind = _parsed(self.good_kinds, parse_kind, kind)
            except ValueError as exc:
                self.bad(row, "kind", message_of(exc))
                kind = ""
        if not code:
            self.bad(row, "code", N_("missing value"))
        elif kind in COMMUNE_LEVEL_KINDS and code.isdigit() and len(code) < 5:
            code = code.zfill(5)  # Excel turned "00001" into the number 1
        if parent:
            if parent == code:
                self.bad(row, "parent_code", N_("a unit cannot be its own parent"))
            else:
                self.parents.add(parent)
        if subtype:
            try:
                subtype = _parsed(self.good_subtypes, parse_subtype, subtype)
            except ValueError as exc:
                self.bad(row, "subtype", message_of(exc))
        active_from = self._date(row, "active_from", active_from)
        active_to = self._date(row, "active_to", active_to)
        if _ends_before_start(active_from, active_to):
            self.bad(row, "active_to", N_("{active_to} is before active_from {active_from}",
                                          active_to=active_to, active_from=active_from))
        if kind in DATED_KINDS:
            # A row is dated by its own start, else by the roster's date.
            wrong = kind_not_valid_on(kind, active_from or self.as_of)
            if wrong:
                self.bad(row, "kind", wrong)
        if len(self.problems) != before:
            return (code, name, kind, "", "", "", "", "") if code else None
        if active_to:
            self._note_ends_before_as_of((row,), (code,), (active_from,), (active_to,))
        return (code, name, kind, parent, subtype, active_from, active_to, note)

    def _note_ends_before_as_of(self, rownums: Sequence[int], codes: Sequence[str],
                                starts: Sequence[str], ends: Sequence[str]) -> None:
        as_of = self.as_of
        self.ends_before_as_of += [
            (row, code, end) for row, code, start, end in zip(rownums, codes, starts, ends,
                                                               strict=True)
            if end and not start and end < as_of]

    def _date(self, row: int, column: str, text: str) -> str:
        if not text:
            return ""
        try:
            return parse_date(text).isoformat()
        except ValueError as exc:
            self.bad(row, column, message_of(exc))
            return ""

    def _check_names(self, rownums: Sequence[int], names: Sequence[str]) -> None:
        """Refuse names that are legacy-font mojibake."""
        for index, encoding in find_legacy(names):
            self.bad(rownums[index], "name",
                     N_("'{value}' looks like {encoding} text shown in a Unicode font; convert "
                        "the file to Unicode (for example with UniKey's converter) and import "
                        "it again", value=names[index], encoding=encoding))

    def end_conflict(self, row: int, conflict: EndConflict, as_of: str,
                     code: str = "") -> None:
        which = N_("code {code}: ", code=code) if code else ""
        if conflict.next_from is None:
            self.bad(row, "active_to", N_("{which}{end} is before the roster's date {as_of}, "
                                          "and the unit has no version with this row's name, "
                                          "kind, parent and subtype that ends then: give the "
                                          "row's active_from, or import the roster --as-of a "
                                          "date the unit existed on", which=which,
                                          end=conflict.end, as_of=as_of))
        else:
            self.bad(row, "active_to", N_("{which}runs into the unit's version that starts on "
                                          "{next_from}: end it by {value} or leave active_to "
                                          "empty", which=which, next_from=conflict.next_from,
                                          value=day_before(conflict.next_from)))

    def end_before_first_start(self, row: int, end: str, as_of: str) -> None:
        self.bad(row, "active_to", N_("{end} is before the roster's date {as_of}, on which a "
                                      "unit seen for the first time starts: give the row's "
                                      "active_from", end=end, as_of=as_of))

    def unknown_parent(self, row: int, parent: str, as_of: str) -> None:
        self.bad(row, "parent_code", N_("unknown parent '{parent}': not a row of this file and "
                                        "not a unit active on {as_of}", parent=parent, as_of=as_of))


CheckedBlock = tuple[Sequence[int], Sequence[Sequence[str]], tuple[int, ...], int, "float | None"]


def checked_blocks(path: Path, sheet: str | None, shown: str, as_of: str) -> Generator[
        list[str] | CheckedBlock, None, tuple[RowChecker, list[InputProblem]]]:
    """Read and check the roster: first the columns the tool ignores (once the header is
    read), then each block's valid rows (their row numbers, the rows for the store, their
    layout), the rows read so far and the fraction of the file read; at the end the checker,
    holding the problems of the rows, and the reader's own problems."""
    with open_table(path, columns=ROSTER_COLUMNS, required=REQUIRED, sheet=sheet) as table:
        yield table.unknown_columns
        checker = RowChecker(shown, table.columns, [], as_of)
        rows_read = 0
        for rownums, rows in table.blocks:
            rows_read += len(rows)
            yield (*checker.check_block(rownums, rows), rows_read, table.fraction_read())
        checker.parents.discard("")
        return checker, table.problems  # e.g. more values on a row than columns


def report_rows_found_later(checker: RowChecker, path: Path, sheet: str | None,
                             unknown: set[str], conflicts: dict[str, EndConflict],
                             as_of: str, repeated: set[int]) -> None:
    """Name every row whose parent is unknown or whose end date cannot be applied (see
    ``RosterApplier.end_date_conflicts``). These are found after every row is in, and their
    rows by reading the file again: keeping a million row numbers in memory for these rare
    cases would cost every import."""
    unnamed_parents, unnamed_ends = set(unknown), set(conflicts)
    with open_table(path, columns=ROSTER_COLUMNS, required=REQUIRED, sheet=sheet) as table:
        parent = table.columns.get("parent_code", -1)
        code, kind = table.columns["code"], table.columns["kind"]
        end = table.columns.get("active_to", -1)
        for rownums, rows in table.blocks:
            for row, cells in zip(rownums, rows, strict=True):
                if parent >= 0 and cells[parent] in unknown:
                    checker.unknown_parent(row, cells[parent], as_of)
                    unnamed_parents.discard(cells[parent])
                stored_code = _stored_code(cells[code], cells[kind], checker.good_kinds)
                conflict = conflicts.get(stored_code)
                if (conflict and end >= 0 and row not in repeated
                        and _iso_or_empty(cells[end]) == conflict.end):
                    checker.end_conflict(row, conflict, as_of)
                    unnamed_ends.discard(stored_code)
    # Only if the file changed while it was imported: still never applied.
    for parent_code in sorted(unnamed_parents):
        checker.unknown_parent(0, parent_code, as_of)
    for stored_code in sorted(unnamed_ends):
        checker.end_conflict(0, conflicts[stored_code], as_of, code=stored_code)


def name_first_rows(duplicates: list[InputProblem], repeated_codes: list[str], path: Path,
                    sheet: str | None, checker: RowChecker, shown: str) -> list[InputProblem]:
    """The repeated-code problems, each naming the row that first gave the code. Found by
    reading the file again, as for unknown parents: only a file with repeats pays for it."""
    codes = set(repeated_codes)
    first: dict[str, int] = {}
    with open_table(path, columns=ROSTER_COLUMNS, required=REQUIRED, sheet=sheet) as table:
        code, kind = table.columns["code"], table.columns["kind"]
        for rownums, rows in table.blocks:
            for row, cells in zip(rownums, rows, strict=True):
                stored = _stored_code(cells[code], cells[kind], checker.good_kinds)
                if stored in codes and stored not in first:
                    first[stored] = row
    named = []
    for problem, repeated in zip(duplicates, repeated_codes, strict=True):
        if repeated in first and first[repeated] != problem.row:
            problem = InputProblem(shown, problem.row, "code", N_(
                "duplicate code '{code}' (already on row {row})", code=repeated,
                row=first[repeated]))
        named.append(problem)
    return named


def _iso_or_empty(text: str) -> str:
    try:
        return parse_date(text).isoformat() if text else ""
    except ValueError:
        return ""


def _stored_code(code: str, kind: str, good_kinds: dict[str, str]) -> str:
    """The code as stored: padded back to 5 digits for a commune-level kind (see
    ``RowChecker._check_fully``)."""
    if code.isdigit() and len(code) < 5 and good_kinds.get(kind) in COMMUNE_LEVEL_KINDS:
        return code.zfill(5)
    return code
