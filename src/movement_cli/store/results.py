"""SQL for yearly results: staging an import, the set-based checks, applying it, listing.

An import streams its validated rows into a temporary table together with their row numbers
in the file; which units exist and are active, which rows repeat a (unit, year), what is new,
changed or unchanged, and the audit rows of the changes are then each one SQL statement over
the whole file, never a query per row (a national file has three million rows).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from movement_cli.core.calendar import assessment_active_on, result_day
from movement_cli.store import audit
from movement_cli.store.active import SCOPE_TREE, active_on
from movement_cli.store.units import vietnamese_order

if TYPE_CHECKING:
    from movement_cli.store.db import Database

RESULT_FIELDS = ("safety", "class", "score", "decision", "note")
# A result is for the unit as it stood on 15 November of its year (core.calendar); in SQL,
# the staged row's year followed by "-11-15".
_DAY = "s.year || '" + assessment_active_on(2000).isoformat()[4:] + "'"
_ACTIVE_UNIT = (
    f"EXISTS (SELECT 1 FROM unit_versions v WHERE v.code = s.code AND {active_on(_DAY, 'v')})"
)
# A staged row changes a stored result when one of its values is given and differs: an empty
# cell (NULL) keeps what is stored.
_DIFFERS = " OR ".join(f"(s.{f} IS NOT NULL AND s.{f} IS NOT r.{f})" for f in RESULT_FIELDS)
_UPSERT_DIFFERS = " OR ".join(
    f"(excluded.{f} IS NOT NULL AND excluded.{f} IS NOT results.{f})" for f in RESULT_FIELDS
)
# Audit values as JSON objects, as Database.audit writes them (see store.audit).
_OLD_JSON = audit.json_object(RESULT_FIELDS, lambda f: f"r.{f}")
_NEW_JSON = audit.json_object(RESULT_FIELDS, lambda f: f"COALESCE(s.{f}, r.{f})")
_STORED = "results r ON r.code = s.code AND r.year = s.year"
_BATCH = 64
_WIDTH = 5  # values of a staged row
_STAGED_ROW = "(?, ?, ?, NULLIF(?, ''), NULLIF(?, ''))"
_STAGE_ONE = "INSERT INTO temp.result_cells VALUES " + _STAGED_ROW
_STAGE_MANY = "INSERT INTO temp.result_cells VALUES " + ", ".join([_STAGED_ROW] * _BATCH)


@dataclass(frozen=True)
class UnitProblem:
    """A staged row whose unit has no version active on 15 November of the row's year.

    ``known`` is False for a code the database has never seen; otherwise ``first_day`` and
    ``last_day`` bound the unit's versions (None where a version has an open end)."""

    row: int
    code: str
    year: int
    known: bool
    first_day: str | None
    last_day: str | None


@dataclass(frozen=True)
class Duplicate:
    """A staged row that repeats the (unit, year) of the earlier row ``first_row``."""

    row: int
    code: str
    year: int
    first_row: int


@dataclass(frozen=True)
class Counts:
    added: int
    updated: int
    unchanged: int


class ResultStaging:
    """The rows of one import (or one ``assess set``), staged inside the caller's write
    transaction and read as the view ``result_rows (row, code, year, safety, class, score,
    decision, note)``.

    The values (year, safety, class, score) repeat endlessly, so each distinct combination is
    stored once in ``result_values`` and a row refers to it by ``value_id``: a staged row is
    five columns, not eight, which is most of the cost of staging it.
    """

    def __init__(self, db: Database):
        self.db = db
        self.conn = db.conn
        self.rows = 0
        self.value_ids: dict[tuple, int] = {}
        for name, kind in (
            ("result_rows", "VIEW"),
            ("result_cells", "TABLE"),
            ("result_values", "TABLE"),
        ):
            self.conn.execute(f"DROP {kind} IF EXISTS temp.{name}")
        self.conn.execute(
            "CREATE TEMP TABLE result_values (id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
            " safety TEXT, class TEXT, score REAL)"
        )
        self.conn.execute(
            "CREATE TEMP TABLE result_cells (row INTEGER PRIMARY KEY, code TEXT NOT NULL,"
            " value_id INTEGER NOT NULL, decision TEXT, note TEXT)"
        )
        self.conn.execute(
            "CREATE TEMP VIEW result_rows AS SELECT c.row, c.code, v.year, v.safety, v.class,"
            " v.score, c.decision, c.note FROM temp.result_cells c"
            " JOIN temp.result_values v ON v.id = c.value_id"
        )

    def value_id(self, values: tuple) -> int:
        """The id of ``(year, safety, class, score)``, which rows are staged with."""
        found = self.value_ids.get(values)
        if found is None:
            found = self.value_ids[values] = len(self.value_ids) + 1
            self.conn.execute(
                "INSERT INTO temp.result_values VALUES (?, ?, ?, ?, ?)", (found, *values)
            )
        return found

    def load(self, blocks: Iterable[list]) -> None:
        """Stage rows (row, code, value_id, decision, note) given as flat lists of their values,
        five a row, a list per block of rows (a generator streams a whole file through here).
        An empty decision or note ("") is stored as NULL.

        Rows go in _BATCH to a statement: per-statement overhead, not SQLite's work, is most
        of the cost of a row."""
        width = _WIDTH * _BATCH
        rest: list = []  # the rows of a block beyond its last whole statement
        for block in blocks:
            self.rows += len(block) // _WIDTH
            if rest:
                block = rest + block
            whole = len(block) - len(block) % width
            self.conn.executemany(
                _STAGE_MANY, (block[start : start + width] for start in range(0, whole, width))
            )
            rest = block[whole:]
        self.conn.executemany(
            _STAGE_ONE, (rest[start : start + _WIDTH] for start in range(0, len(rest), _WIDTH))
        )

    # -- checks ------------------------------------------------------------------------------

    def unit_problems(self) -> list[UnitProblem]:
        """Rows whose unit is unknown or not active on 15 November of their year."""
        rows = self.conn.execute(
            "SELECT s.row, s.code, s.year, count(v.code) AS versions,"
            " CASE WHEN count(v.code) > count(v.active_from) THEN NULL"
            " ELSE min(v.active_from) END AS first_day,"
            " CASE WHEN count(v.code) > count(v.active_to) THEN NULL"
            " ELSE max(v.active_to) END AS last_day"
            f" FROM temp.result_rows s LEFT JOIN unit_versions v ON v.code = s.code"
            f" WHERE NOT {_ACTIVE_UNIT}"
            " GROUP BY s.row ORDER BY s.row"
        )
        return [
            UnitProblem(
                row["row"],
                row["code"],
                row["year"],
                row["versions"] > 0,
                row["first_day"],
                row["last_day"],
            )
            for row in rows
        ]

    def duplicates(self) -> list[Duplicate]:
        """Rows that repeat an earlier row's (unit, year); each reported on the later row."""
        rows = self.conn.execute(
            "SELECT row, code, year, first_row FROM (SELECT row, code, year,"
            " min(row) OVER (PARTITION BY code, year) AS first_row FROM temp.result_rows)"
            " WHERE row > first_row ORDER BY row"
        )
        return [Duplicate(*row) for row in rows]

    def _has_problems(self) -> bool:
        return (
            self.conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM temp.result_rows s WHERE NOT {_ACTIVE_UNIT})"
                " OR EXISTS (SELECT 1 FROM temp.result_rows GROUP BY code, year"
                " HAVING count(*) > 1)"
            ).fetchone()[0]
            == 1
        )

    # -- applying ----------------------------------------------------------------------------

    def apply(self, *, audit_added: bool = False) -> Counts | None:
        """Store the staged rows: new results are added, given values replace stored ones,
        empty ones keep them. Every changed result gets an audit row with its old and new
        values (and, with ``audit_added``, every added one, its old value null).

        Returns None, having stored nothing the caller may keep, when a row fails a check
        (``unit_problems``, ``duplicates`` say which): the caller rolls the transaction back.
        """
        if not self._any_stored():
            if audit_added:
                self._audit_changes(audit_added)
            return self._add_all()
        if self._has_problems():
            return None
        added, updated = self.conn.execute(
            f"SELECT count(*) FILTER (WHERE r.code IS NULL),"
            f" count(*) FILTER (WHERE r.code IS NOT NULL AND ({_DIFFERS}))"
            f" FROM temp.result_rows s LEFT JOIN {_STORED}"
        ).fetchone()
        self._audit_changes(audit_added)
        self.conn.execute(
            "INSERT INTO results (code, year, safety, class, score, decision, note)"
            " SELECT code, year, safety, class, score, decision, note FROM temp.result_rows"
            " WHERE true ON CONFLICT (code, year) DO UPDATE SET "
            + ", ".join(f"{f} = COALESCE(excluded.{f}, results.{f})" for f in RESULT_FIELDS)
            + f" WHERE {_UPSERT_DIFFERS}"
        )
        return Counts(added, updated, self.rows - added - updated)

    def _any_stored(self) -> bool:
        """Whether results are stored for any year of the staged rows."""
        return (
            self.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM results WHERE year IN"
                " (SELECT year FROM temp.result_values))"
            ).fetchone()[0]
            == 1
        )

    def _add_all(self) -> Counts | None:
        """The common case of a year's first import: nothing stored can conflict, so the rows
        go in with one INSERT that checks the units on the way; the primary key catches a
        repeated (unit, year)."""
        before = self.conn.total_changes
        try:
            self.conn.execute(
                "INSERT INTO results (code, year, safety, class, score, decision, note)"
                " SELECT code, year, safety, class, score, decision, note"
                f" FROM temp.result_rows s WHERE {_ACTIVE_UNIT} ORDER BY s.row"
            )
        except sqlite3.IntegrityError:
            return None
        added = self.conn.total_changes - before
        if added != self.rows:
            return None
        return Counts(added, 0, 0)

    def _audit_changes(self, audit_added: bool) -> None:
        wanted = f"(r.code IS NOT NULL AND ({_DIFFERS}))"
        if audit_added:
            wanted = f"(r.code IS NULL OR {wanted})"
        audit.insert_select(
            self.conn, self.db.actor, self.db.command, "result", "result",
            key="s.code || '/' || s.year",
            old=f"CASE WHEN r.code IS NULL THEN NULL ELSE {_OLD_JSON} END", new=_NEW_JSON,
            source=f"FROM temp.result_rows s LEFT JOIN {_STORED} WHERE {wanted} ORDER BY s.row")


LISTED_RESULT_FIELDS = ("code", "name", "kind", "year", "safety", "class", "score", "decision")


def _result_listing(columns: str, year: int, scope: str | None) -> tuple[str, dict]:
    params = {"year": year, "day": result_day(year), "scope": scope}
    sql = (
        f"SELECT {columns} FROM results r LEFT JOIN unit_versions v ON v.code = r.code"
        f" AND {active_on(':day', 'v')} WHERE r.year = :year"
    )
    if scope is not None:
        sql = (
            f"WITH RECURSIVE {SCOPE_TREE} {sql}"
            " AND r.code IN (SELECT code FROM tree) AND r.code <> :scope"
        )
    return sql, params


def listed_results(
    conn: sqlite3.Connection, year: int, scope: str | None = None
) -> Iterator[tuple]:
    """The year's results as ``LISTED_RESULT_FIELDS`` tuples, with each unit's name and kind
    as of 15 November of the year (null for a unit with no version on that day); with
    ``scope``, only the units under it at any depth by ``parent_code`` as valid on that day.
    In Vietnamese alphabetical order of the names (no name first), then by code, read from
    the cursor as they come."""
    vietnamese_order(conn)
    sql, params = _result_listing(
        "r.code, v.name, v.kind, r.year, r.safety, r.class, r.score, r.decision", year, scope
    )
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql + " ORDER BY vi_order(v.name), r.code", params)


def listed_result_widths(
    conn: sqlite3.Connection, year: int, scope: str | None = None
) -> tuple[int, ...]:
    """The longest value of each of ``LISTED_RESULT_FIELDS`` in that listing, in one pass."""
    columns = ("r.code", "v.name", "v.kind", "r.year", "r.safety", "r.class", "r.score",
               "r.decision")
    sql, params = _result_listing(
        ", ".join(f"COALESCE(MAX(LENGTH({c})), 0)" for c in columns), year, scope
    )
    return tuple(conn.execute(sql, params).fetchone())


def result_of(conn: sqlite3.Connection, code: str, year: int) -> sqlite3.Row | None:
    """A unit's stored result for a year (safety, class, score, decision, note), or None."""
    return conn.execute(
        "SELECT safety, class, score, decision, note FROM results WHERE code = ? AND year = ?",
        (code, year)).fetchone()


def codes_with_safety(conn: sqlite3.Connection, year: int, codes: Iterable[str]) -> set[str]:
    """Which of ``codes`` have their ANTT result of ``year`` recorded (asked by primary key:
    a national year holds a million results)."""
    return {code for code in codes if conn.execute(
        "SELECT 1 FROM results WHERE code = ? AND year = ? AND safety IS NOT NULL",
        (code, year)).fetchone()}
