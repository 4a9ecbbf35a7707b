"""SQL for the merge map of a reorganisation: staging a map file, its set-based checks, the
links it records, the old units it closes, the units it moves under a successor, and the
lineage queries (a unit's predecessors and successors).

A national map holds about a hundred thousand rows over a million units, so every check and
change is one statement over the staged rows, never a query per row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import TYPE_CHECKING

from movement_cli.core.lineage import MergePlan
from movement_cli.core.roster import VERSION_FIELDS, day_before
from movement_cli.store import audit
from movement_cli.store.active import active_on

if TYPE_CHECKING:
    from movement_cli.store.db import Database

# The old unit of a link is the one active the day before the link's date.
_ACTIVE_THE_DAY_BEFORE_THE_LINK = active_on("date(l.date, '-1 day')", "v")


def _version_json_with(**changed: str) -> str:
    """The audit JSON of version ``v`` with ``changed`` fields given as SQL expressions: the
    object built afresh, as cheap as the old one (json_set would parse the old one again,
    which doubled the cost of auditing the closing of a national map)."""
    return audit.json_object(VERSION_FIELDS, lambda field: changed.get(field, f"v.{field}"))


# A unit version in the audit, as the roster import writes one.
_VERSION_JSON = _version_json_with()


@dataclass(frozen=True)
class CodeProblem:
    """A staged row whose ``column`` (``old_code`` or ``new_code``) names no unit active on
    the day it must be (``day``): ``known`` is False for a code the database has never seen;
    otherwise ``first_day`` and ``last_day`` bound its versions (None for an open end)."""

    row: int
    column: str
    code: str
    day: str
    known: bool
    first_day: str | None
    last_day: str | None


# What the plan does to the old unit of a staged row (``merge_rows.old_role``): nothing (it
# goes on under its own code alone), its children may move (it went into another unit, or was
# split), or that and it ends (no row continues it under its own code).
_KEPT, _PARENT, _ENDS = 0, 1, 2


@dataclass(frozen=True)
class MergeCounts:
    links: int
    closed: int
    unchanged: int


class MergeStaging:
    """The rows of one map file for links on ``date``, staged in the caller's write
    transaction as ``temp.merge_rows (row, old_code, new_code, note, old_role)``."""

    def __init__(self, db: Database, date: str):
        self.db = db
        self.conn = db.conn
        self.params = {"date": date, "before": day_before(date)}
        # The two days as SQL literals, for the audit statements (whose parameters are
        # positional); ISO dates checked here, so nothing else can reach the SQL text.
        self.date_sql, self.before_sql = (f"'{Date.fromisoformat(day).isoformat()}'"
                                          for day in (date, self.params["before"]))
        self.rows = 0
        for name in ("merge_rows", "merge_moves"):
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
        self.conn.execute("CREATE TEMP TABLE merge_rows (row INTEGER PRIMARY KEY, "
                          "old_code TEXT NOT NULL, new_code TEXT NOT NULL, note TEXT,"
                          " old_role INTEGER NOT NULL)")

    def load(self, rows: Iterable[Sequence], plan: MergePlan) -> None:
        """Stage (row, old code, new code, note) rows; an empty note ("") is NULL. Each row
        carries what ``plan`` does to its old unit, so that the closing and the children
        need no second pass of sixty thousand codes to SQLite (a tenth of a second)."""
        roles = dict.fromkeys(plan.split, _PARENT)
        roles.update(dict.fromkeys(plan.whole, _PARENT))
        roles.update(dict.fromkeys(plan.closing, _ENDS))
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT INTO temp.merge_rows VALUES (?, ?, ?, NULLIF(?, ''), ?)",
            ((row, old, new, note, roles.get(old, _KEPT)) for row, old, new, note in rows))
        self.rows += self.conn.total_changes - before

    def code_problems(self) -> list[CodeProblem]:
        """Rows whose old code names no unit active on the day before the date, or whose
        new code names none active on the date."""
        problems = []
        for column, day in (("old_code", ":before"), ("new_code", ":date")):
            active = active_on(day, "v")
            rows = self.conn.execute(
                f"SELECT s.row, s.{column} AS code, count(v.code) AS versions,"
                " CASE WHEN count(v.code) > count(v.active_from) THEN NULL"
                " ELSE min(v.active_from) END AS first_day,"
                " CASE WHEN count(v.code) > count(v.active_to) THEN NULL"
                " ELSE max(v.active_to) END AS last_day"
                f" FROM temp.merge_rows s LEFT JOIN unit_versions v ON v.code = s.{column}"
                f" WHERE NOT EXISTS (SELECT 1 FROM unit_versions v WHERE v.code = s.{column}"
                f" AND {active}) GROUP BY s.row",
                self.params)
            problems += [CodeProblem(row["row"], column, row["code"],
                                     self.params["before" if column == "old_code" else "date"],
                                     row["versions"] > 0, row["first_day"], row["last_day"])
                         for row in rows]
        return sorted(problems, key=lambda p: (p.row, p.column != "old_code"))

    def any_new_unit_starts_on_date(self) -> bool:
        """Whether the version some new code has on the date starts that day (as the units
        of a roster imported --as-of the date do)."""
        return self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM temp.merge_rows s JOIN unit_versions v"
            " ON v.code = s.new_code AND v.active_from = :date)", self.params).fetchone()[0] == 1

    def record_links(self) -> tuple[int, int]:
        """Record the staged links: (added or given a new note, unchanged)."""
        before = self.conn.total_changes
        self.conn.execute(
            "INSERT INTO unit_links (old_code, new_code, date, note)"
            " SELECT old_code, new_code, :date, note FROM temp.merge_rows WHERE true"
            " ON CONFLICT (old_code, new_code, date) DO UPDATE SET note = excluded.note"
            " WHERE excluded.note IS NOT NULL AND excluded.note IS NOT unit_links.note",
            self.params)
        changed = self.conn.total_changes - before
        return changed, self.rows - changed

    def close(self) -> int:
        """End on the day before the date the versions of the closing old units active that
        day that run on past it; audit each. Returns how many were closed."""
        running_on = (f"v.code IN (SELECT old_code FROM temp.merge_rows"
                      f" WHERE old_role = {_ENDS})"
                      f" AND {active_on(self.before_sql, 'v')}"
                      f" AND (v.active_to IS NULL OR v.active_to > {self.before_sql})")
        self._audit_versions(
            _version_json_with(active_to=self.before_sql),
            f"FROM unit_versions v WHERE {running_on}")
        before = self.conn.total_changes
        self.conn.execute(f"UPDATE unit_versions AS v SET active_to = {self.before_sql}"
                          f" WHERE {running_on}")
        return self.conn.total_changes - before

    def children(self) -> list[tuple[str, str]]:
        """(code, parent code) of the units active on the date under an old unit whose
        children may move."""
        # CROSS JOIN keeps the old units outside: without statistics SQLite chose to scan
        # every unit and look each one's parent up (half a second at a million units).
        rows = self.conn.execute(
            "SELECT v.code, v.parent_code FROM (SELECT DISTINCT old_code AS code"
            f" FROM temp.merge_rows WHERE old_role <> {_KEPT}) p"
            " CROSS JOIN unit_versions v ON v.parent_code = p.code"
            f" WHERE {active_on(':date', 'v')}"
            " ORDER BY v.code", self.params).fetchall()
        return [tuple(row) for row in rows]

    def reparent(self, moves: Iterable[tuple[str, str]]) -> int:
        """Move each (unit code, new parent code) from the date: the unit's version active on
        the date ends the day before and a new version with the new parent starts on the
        date — or, for a version that starts on the date, the version itself takes the new
        parent. Each change is audited. Returns how many units moved."""
        self.conn.execute("CREATE TEMP TABLE merge_moves (code TEXT PRIMARY KEY, "
                          "parent_code TEXT NOT NULL, version INTEGER, starts_on_date INTEGER,"
                          " last_version INTEGER)")
        self.conn.executemany("INSERT INTO temp.merge_moves (code, parent_code) VALUES (?, ?)",
                              moves)
        self.conn.execute(
            "UPDATE temp.merge_moves AS m SET (version, starts_on_date, last_version) = ("
            " SELECT v.version, v.active_from IS :date,"
            "  (SELECT max(w.version) FROM unit_versions w WHERE w.code = m.code)"
            f" FROM unit_versions v WHERE v.code = m.code AND {active_on(':date', 'v')})",
            self.params)
        self.conn.execute("DELETE FROM temp.merge_moves WHERE version IS NULL")
        moved = self.conn.execute("SELECT count(*) FROM temp.merge_moves").fetchone()[0]
        self._audit_versions(
            _version_json_with(parent_code="m.parent_code", active_from=(
                f"CASE WHEN m.starts_on_date THEN v.active_from ELSE {self.date_sql} END")),
            "FROM temp.merge_moves m JOIN unit_versions v"
            " ON v.code = m.code AND v.version = m.version")
        self.conn.execute(
            "INSERT INTO unit_versions (code, version, name, kind, parent_code, subtype,"
            " active_from, active_to, note)"
            " SELECT v.code, m.last_version + 1, v.name, v.kind, m.parent_code, v.subtype,"
            " :date, v.active_to, v.note FROM temp.merge_moves m JOIN unit_versions v"
            " ON v.code = m.code AND v.version = m.version WHERE NOT m.starts_on_date",
            self.params)
        self.conn.execute(
            "UPDATE unit_versions AS v SET active_to = :before FROM temp.merge_moves m"
            " WHERE v.code = m.code AND v.version = m.version AND NOT m.starts_on_date",
            self.params)
        self.conn.execute(
            "UPDATE unit_versions AS v SET parent_code = m.parent_code FROM temp.merge_moves m"
            " WHERE v.code = m.code AND v.version = m.version AND m.starts_on_date")
        return moved

    def _audit_versions(self, new: str, source: str) -> None:
        """Audit rows ('version', 'unit', code, old, new) for the versions ``v`` of ``source``
        (FROM ... WHERE ... ORDER BY), ``new`` being the SQL of the changed version's JSON:
        as the roster import writes them for each version it changes."""
        audit.insert_select(self.conn, self.db.actor, self.db.command, "version", "unit",
                            "v.code", _VERSION_JSON, new, source)

    def drop(self) -> None:
        for name in ("merge_rows", "merge_moves"):
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{name}")


def predecessors(conn: sqlite3.Connection, code: str) -> list[sqlite3.Row]:
    """The units that became (part of) the unit under ``code``: (code, name as it was the day
    before the link's date, date), by date then code."""
    return conn.execute(
        "SELECT l.old_code AS code, v.name, l.date FROM unit_links l"
        " LEFT JOIN unit_versions v ON v.code = l.old_code"
        f" AND {_ACTIVE_THE_DAY_BEFORE_THE_LINK}"
        " WHERE l.new_code = ? ORDER BY l.date, l.old_code", (code,)).fetchall()


def successors(conn: sqlite3.Connection, code: str) -> list[sqlite3.Row]:
    """The units the unit under ``code`` became (part of): (code, name as it is on the link's
    date, date), by date then code."""
    return conn.execute(
        "SELECT l.new_code AS code, v.name, l.date FROM unit_links l"
        " LEFT JOIN unit_versions v ON v.code = l.new_code"
        f" AND {active_on('l.date', 'v')}"
        " WHERE l.old_code = ? ORDER BY l.date, l.new_code", (code,)).fetchall()


def links_into(conn: sqlite3.Connection, day: str) -> dict[str, list[tuple[str, str]]]:
    """For every code some link dated on or before ``day`` leads into: its (old code, date)
    pairs, by date then old code."""
    found: dict[str, list[tuple[str, str]]] = {}
    for new, old, date in conn.execute(
            "SELECT new_code, old_code, date FROM unit_links WHERE date <= ?"
            " ORDER BY new_code, date, old_code", (day,)):
        found.setdefault(new, []).append((old, date))
    return found


def met_years(conn: sqlite3.Connection, codes: Iterable[str], before_year: int,
              safety: str) -> dict[str, set[int]]:
    """For each of ``codes``, the years before ``before_year`` its unit's result was
    ``safety`` (the standard met)."""
    conn.execute("DROP TABLE IF EXISTS temp.lineage_codes")
    conn.execute("CREATE TEMP TABLE lineage_codes (code TEXT PRIMARY KEY)")
    conn.executemany("INSERT OR IGNORE INTO temp.lineage_codes VALUES (?)",
                     zip(codes))
    found: dict[str, set[int]] = {}
    for code, year in conn.execute(
            "SELECT r.code, r.year FROM temp.lineage_codes c JOIN results r ON r.code = c.code"
            " WHERE r.year < ? AND r.safety = ?", (before_year, safety)):
        found.setdefault(code, set()).add(year)
    conn.execute("DROP TABLE temp.lineage_codes")
    return found
