"""SQL for units: dated versions, roster application, listing."""

from __future__ import annotations

import itertools
import operator
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from movement_cli.core.roster import (
    CORRECTION,
    EARLIER_START,
    IN_PLACE,
    ROSTER_FIELDS,
    SUCCESSION,
    UNCHANGED,
    UNIT_TUPLE,
    VERSION_FIELDS,
    EndConflict,
    version_change,
)
from movement_cli.store.active import SCOPE_TREE, active_on

if TYPE_CHECKING:
    from movement_cli.store.db import Database




# ``version`` numbers a code's versions in the order they were recorded (not by date).
# Empty cells arrive as "" and become NULL in SQLite, not in a Python pass over every row.
_INSERT_FIRST = ("INSERT INTO unit_versions (code, version, name, kind, parent_code, subtype, "
                 "active_from, active_to, note) VALUES ({code}, 1, {name}, {kind}, "
                 "NULLIF({parent_code}, ''), NULLIF({subtype}, ''), "
                 "COALESCE(NULLIF({active_from}, ''), {default_from}), NULLIF({active_to}, ''), "
                 "NULLIF({note}, ''))")
_STAGE_KNOWN = ("INSERT INTO temp.roster_known VALUES ({code}, {name}, {kind}, "
                "NULLIF({parent_code}, ''), NULLIF({subtype}, ''), NULLIF({active_from}, ''), "
                "NULLIF({active_to}, ''), NULLIF({note}, ''))")


def _for_layout(template: str, layout: tuple[int, ...], **constants: str) -> str:
    """The statement with each field's parameter placed by ``layout`` ('' when absent)."""
    values = {field: f"?{i + 1}" if i >= 0 else "''"
              for field, i in zip(ROSTER_FIELDS, layout, strict=True)}
    return template.format(**values, **constants)


# A roster that adds this many units (and at least as many as the database held) loads faster
# with the parent index built once at the end than kept up to date row by row: building
# sorts the keys once, while a live index takes a B-tree insert per row (measured on a
# million-row roster: about 1.5-2.5 s of 8).
REBUILD_INDEX_AFTER = 20_000

_INSERT = ("INSERT INTO unit_versions (code, version, name, kind, parent_code, subtype, "
           "active_from, active_to, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


# For a staged roster row ``k``: the date it describes, whether version ``v`` is valid then,
# and whether ``v`` has the row's identity.
_ROW_DATE = "COALESCE(k.active_from, :as_of)"
_ON_ROW_DATE = active_on(_ROW_DATE, "v")
_SAME_IDENTITY = ("v.name IS k.name AND v.kind IS k.kind AND v.parent_code IS k.parent_code "
                  "AND v.subtype IS k.subtype")


def _version(row) -> dict:
    return {field: row[field] for field in VERSION_FIELDS}


def _in_chunks(values: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    values = iter(values)
    while chunk := list(itertools.islice(values, size)):
        yield chunk


class RosterApplier:
    """Applies validated roster rows inside the caller's transaction.

    Codes the database has never seen go straight into ``unit_versions`` in batches (the
    common case, and the hot path of a national import); rows for known codes are staged and
    compared with the version active on their date in ``finish``. Both tables have the code
    in their primary key, so a code repeated in the file is refused as it goes in.
    """

    def __init__(self, db: Database, as_of: str):
        self.db = db
        self.conn = db.conn
        self.as_of = as_of
        self.known = {row[0] for row in
                      self.conn.execute("SELECT DISTINCT code FROM unit_versions")}
        # The first roster of an empty database describes the past too: open start dates,
        # so that last year's results can be recorded against its units.
        # Written into the statement rather than bound on every row; as_of is an ISO date.
        self.default_from = (f"'{date.fromisoformat(as_of).isoformat()}'" if self.known
                             else "NULL")
        self.statements: dict[tuple[int, ...], tuple[str, str]] = {}
        self.added = 0
        self.rebuild_after = max(REBUILD_INDEX_AFTER, len(self.known))
        # Index definitions dropped for the load, recreated by ``finish`` (inside the same
        # transaction: a failed or interrupted import leaves the indexes as they were).
        self.dropped_indexes: list[str] = []
        self.indexes_dropped = False
        # Rows ``end_date_conflicts`` found to change nothing, or only a note.
        self.restated_ends = 0
        self.restated_notes: list[sqlite3.Row] = []
        self.conn.execute("DROP TABLE IF EXISTS temp.roster_known")
        self.conn.execute(
            "CREATE TEMP TABLE roster_known (code TEXT PRIMARY KEY, name TEXT, kind TEXT,"
            " parent_code TEXT, subtype TEXT, active_from TEXT, active_to TEXT, note TEXT)"
        )

    def add_batch(self, units: Sequence[Sequence[str]],
                  layout: tuple[int, ...] = UNIT_TUPLE) -> list[int]:
        """Rows holding ``ROSTER_FIELDS`` where ``layout`` says (by default unit tuples
        ``(code, name, kind, parent_code, subtype, active_from, active_to, note)``), an empty
        optional value as "". Returns the positions of the rows refused because their code
        is on an earlier row of the file."""
        if not self.indexes_dropped and self.added >= self.rebuild_after:
            self._drop_parent_index()
        insert_new, stage_known = self._statements(layout)
        known = self.known
        code = operator.itemgetter(layout[0])
        if not known or known.isdisjoint(map(code, units)):
            refused = self._insert(insert_new, units)
            self.added += len(units) - len(refused)
            return refused
        new, staged = [], []
        for position, unit in enumerate(units):
            (staged if code(unit) in known else new).append(position)
        refused_new = self._insert(insert_new, [units[i] for i in new])
        self.added += len(new) - len(refused_new)
        refused = [new[i] for i in refused_new]
        refused += [staged[i] for i in self._insert(stage_known, [units[i] for i in staged])]
        return sorted(refused)

    def _statements(self, layout: tuple[int, ...]) -> tuple[str, str]:
        """The insert of new codes and the staging of known ones, for rows of ``layout``."""
        found = self.statements.get(layout)
        if found is None:
            found = self.statements[layout] = (
                _for_layout(_INSERT_FIRST, layout, default_from=self.default_from),
                _for_layout(_STAGE_KNOWN, layout))
        return found

    def _drop_parent_index(self) -> None:
        """Drop the lookup indexes of unit_versions for the rest of the load. Only indexes
        made by CREATE INDEX that enforce nothing: a unique one checks the rows as they go
        in and must stay."""
        self.indexes_dropped = True
        lookups = [name for _, name, unique, origin, _ in
                   self.conn.execute("PRAGMA index_list('unit_versions')")
                   if not unique and origin == "c"]
        for name in lookups:
            (sql,) = self.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                (name,)).fetchone()
            self.conn.execute(f'DROP INDEX "{name}"')
            self.dropped_indexes.append(sql)

    def _insert(self, sql: str, rows: Sequence[Sequence[str]]) -> list[int]:
        """Insert the rows; return the positions of those the primary key refused.

        The primary key is the only constraint a checked row can fail (the tables have no
        triggers), so an IntegrityError here means a code already inserted by this file."""
        refused: list[int] = []
        start = 0
        while start < len(rows):
            before = self.conn.total_changes
            try:
                self.conn.executemany(sql, itertools.islice(rows, start, None))
                break
            except sqlite3.IntegrityError:
                # executemany stops at the refused row; the rows before it are in.
                start += self.conn.total_changes - before
                refused.append(start)
                start += 1
        return refused

    def drop_unchanged(self) -> int:
        """Remove the staged rows that would change nothing and return how many: the same
        name, kind, parent and subtype as the version active on their date, and an end date
        and a note that are empty or equal to the stored ones (``core.roster.version_change``
        says UNCHANGED; tests/test_units_import.py checks that the two agree). Done in one
        statement because re-importing a roster (a national one each year) is mostly such
        rows; ``finish`` decides for the rest one by one."""
        before = self.conn.total_changes
        self.conn.execute(
            f"""DELETE FROM temp.roster_known AS k WHERE EXISTS (
                  SELECT 1 FROM unit_versions v WHERE v.code = k.code AND {_ON_ROW_DATE}
                    AND {_SAME_IDENTITY}
                    AND (k.active_to IS NULL OR k.active_to IS v.active_to)
                    AND (k.note IS NULL OR k.note IS v.note))""",
            {"as_of": self.as_of},
        )
        return self.conn.total_changes - before

    def unknown_parents(self, parents: set[str]) -> set[str]:
        """The parent codes that are neither a row of this file nor a unit active on the
        import's date."""
        # A code the database did not know before is in unit_versions only if this file
        # added it; a known code is a row of the file only if it was staged.
        in_file = _codes_in(self.conn, "unit_versions WHERE version = 1 AND",
                            [code for code in parents if code not in self.known])
        in_file |= _codes_in(self.conn, "temp.roster_known WHERE",
                             [code for code in parents if code in self.known])
        rest = parents - in_file
        return rest - active_codes(self.conn, rest, self.as_of) if rest else set()

    def end_date_conflicts(self) -> dict[str, EndConflict]:
        """Settle the end dates the staged rows give, and return the codes whose row gives one
        that cannot be applied (code -> the conflict); nothing is applied yet.

        A unit must have one name, kind and parent on any date, and no version may end
        before it starts. So a row's end date may not reach the code's next version (an
        older roster's end running into a newer roster's version), nor fall before the
        row's own date, unless the row only repeats an end already stored:

        - the end of the unit's latest version, by a row whose version runs on without a gap
          to that latest one (after a rename, an older roster still gives the unit's end,
          which now belongs to the newer version): the row's version keeps its end;
        - the end of a version with the row's name, kind, parent and subtype, by a row dated
          after it (a roster dated after the unit ended): the row changes nothing but, when
          it gives one, that version's note.
        """
        self._keep_restated_latest_end()
        self._settle_restated_past_ends()
        conflicts = {code: EndConflict(end, None) for code, end in self.conn.execute(
            f"""SELECT k.code, k.active_to FROM temp.roster_known k
                WHERE k.active_to < {_ROW_DATE}
                  AND NOT EXISTS (
                    SELECT 1 FROM unit_versions v WHERE v.code = k.code AND {_ON_ROW_DATE}
                      AND {_SAME_IDENTITY}
                      AND (v.active_from IS NULL OR v.active_from <= k.active_to))""",
            {"as_of": self.as_of})}
        conflicts.update((code, EndConflict(end, next_from)) for code, end, next_from in
                         self.conn.execute(
            f"""SELECT k.code, k.active_to, MIN(w.active_from) AS next_from
                FROM temp.roster_known k
                JOIN unit_versions w ON w.code = k.code AND w.active_from > {_ROW_DATE}
                WHERE k.active_to IS NOT NULL
                  AND NOT EXISTS (
                    SELECT 1 FROM unit_versions v WHERE v.code = k.code AND {_ON_ROW_DATE}
                      AND v.active_to IS k.active_to)
                GROUP BY k.code
                HAVING k.active_to >= MIN(w.active_from)""",
            {"as_of": self.as_of}))
        return conflicts

    def _keep_restated_latest_end(self) -> None:
        """Clear the end date of the staged rows that repeat the end of the unit's latest
        version, when the version on the row's date is an earlier one that runs on to the
        latest without a gap (each later version starting the day after one ends). Across a
        gap the code was reused, or the unit came back: the end is not the row's to give."""
        self.conn.execute(
            # The test that rules out nearly every row of a re-import comes first: a version
            # after the row's date (measured on a million rows with end dates: 1.0 s, not 2).
            f"""UPDATE temp.roster_known AS k SET active_to = NULL
                WHERE k.active_to IS NOT NULL
                  AND EXISTS (SELECT 1 FROM unit_versions w
                              WHERE w.code = k.code AND w.active_from > {_ROW_DATE})
                  AND k.active_to IS (SELECT v.active_to FROM unit_versions v
                                      WHERE v.code = k.code
                                      ORDER BY v.active_from DESC LIMIT 1)
                  AND EXISTS (SELECT 1 FROM unit_versions v
                              WHERE v.code = k.code AND {_ON_ROW_DATE}
                                AND v.active_to IS NOT k.active_to)
                  AND NOT EXISTS (
                    SELECT 1 FROM unit_versions w
                    WHERE w.code = k.code AND w.active_from > {_ROW_DATE}
                      AND NOT EXISTS (SELECT 1 FROM unit_versions u WHERE u.code = k.code
                                        AND u.active_to = date(w.active_from, '-1 day')))""",
            {"as_of": self.as_of})

    def _settle_restated_past_ends(self) -> None:
        """Take out the staged rows dated after their own end date that repeat a stored
        version (its name, kind, parent, subtype and end): a roster dated after a unit ended
        that still lists it. Such a row changes nothing, or only that version's note, which
        ``finish`` writes."""
        matches = f"""FROM temp.roster_known k JOIN unit_versions v
                      ON v.code = k.code AND v.active_to = k.active_to AND {_SAME_IDENTITY}
                      WHERE k.active_to < {_ROW_DATE}"""
        self.restated_notes = self.conn.execute(
            f"SELECT k.note AS new_note, v.* {matches} AND k.note IS NOT NULL "
            "AND k.note IS NOT v.note", {"as_of": self.as_of}).fetchall()
        before = self.conn.total_changes
        self.conn.execute(f"DELETE FROM temp.roster_known WHERE code IN (SELECT k.code {matches})",
                          {"as_of": self.as_of})
        self.restated_ends = self.conn.total_changes - before - len(self.restated_notes)

    def finish(self) -> tuple[int, int, int]:
        """Apply the staged rows; return (added, updated, unchanged)."""
        updated = len(self.restated_notes)
        unchanged = self.restated_ends + self.drop_unchanged()
        in_place: list[tuple] = []
        closes: list[tuple[str, int]] = []
        inserts: list[tuple] = []
        audit: list[tuple] = [(row["code"], _version(row), _version(row))
                              for row in self.restated_notes]
        self.conn.executemany(
            "UPDATE unit_versions SET note = ? WHERE code = ? AND version = ?",
            [(row["new_note"], row["code"], row["version"]) for row in self.restated_notes])
        rows = self.conn.execute(
            f"""SELECT k.*, {_ROW_DATE} AS effective,
                      v.version AS v_version, v.name AS v_name, v.kind AS v_kind,
                      v.parent_code AS v_parent_code, v.subtype AS v_subtype,
                      v.active_from AS v_active_from, v.active_to AS v_active_to,
                      v.note AS v_note,
                      (SELECT MAX(w.version) FROM unit_versions w
                        WHERE w.code = k.code) AS last_version,
                      n.version AS n_version, n.name AS n_name, n.kind AS n_kind,
                      n.parent_code AS n_parent_code, n.subtype AS n_subtype,
                      n.active_from AS n_active_from, n.active_to AS n_active_to,
                      n.note AS n_note
               FROM temp.roster_known k
               LEFT JOIN unit_versions v ON v.code = k.code AND {_ON_ROW_DATE}
               -- the unit's next version: its start is the row's next_from
               LEFT JOIN unit_versions n ON n.code = k.code AND n.active_from = (
                   SELECT MIN(w.active_from) FROM unit_versions w
                    WHERE w.code = k.code AND w.active_from > {_ROW_DATE})""",
            {"as_of": self.as_of},
        )
        # The set-based passes above took out the rows they settle; the rule decides for the
        # rest, one by one (``core.roster.version_change``: the SQL above mirrors it).
        for row in rows:
            current = None
            if row["v_version"] is not None:
                current = {field: row["v_" + field] for field in VERSION_FIELDS}
            following = None
            if row["n_version"] is not None:
                following = {field: row["n_" + field] for field in VERSION_FIELDS}
            change = version_change(
                {field: row[field] for field in VERSION_FIELDS}, row["note"], current,
                row["v_note"], effective=row["effective"], next_from=row["n_active_from"],
                following=following, following_note=row["n_note"])
            version = change.version
            if change.kind == UNCHANGED:
                unchanged += 1
                continue
            if change.kind == EARLIER_START:
                if change.closes_on is not None:
                    closes.append((change.closes_on, row["code"], row["v_version"]))
                in_place.append((*(version[f] for f in VERSION_FIELDS), change.note,
                                 row["code"], row["n_version"]))
                audit.append((row["code"], following, version))
                updated += 1
                continue
            if change.kind in (IN_PLACE, CORRECTION):
                in_place.append((*(version[f] for f in VERSION_FIELDS), change.note,
                                 row["code"], row["v_version"]))
            else:
                if change.kind == SUCCESSION:
                    closes.append((change.closes_on, row["code"], row["v_version"]))
                inserts.append((row["code"], row["last_version"] + 1,
                                *(version[f] for f in VERSION_FIELDS), change.note))
            audit.append((row["code"], current, version))
            updated += 1
        self.conn.executemany(
            "UPDATE unit_versions SET name = ?, kind = ?, parent_code = ?, subtype = ?, "
            "active_from = ?, active_to = ?, note = ? WHERE code = ? AND version = ?", in_place)
        self.conn.executemany(
            "UPDATE unit_versions SET active_to = ? WHERE code = ? AND version = ?", closes)
        self.conn.executemany(_INSERT, inserts)
        self.db.audit_many("version", "unit", audit)
        self.conn.execute("DROP TABLE temp.roster_known")
        for sql in self.dropped_indexes:
            self.conn.execute(sql)
        self.dropped_indexes = []
        return self.added, updated, unchanged


def active_codes(conn: sqlite3.Connection, codes: set[str], day: str) -> set[str]:
    """Which of ``codes`` name a unit active on ``day``."""
    # The day is parameter 1; the codes take the parameters after it.
    return _codes_in(conn, f"unit_versions WHERE {active_on('?1')} AND", codes, (day,))


def _codes_in(conn: sqlite3.Connection, source: str, codes: Iterable[str],
              params: tuple = ()) -> set[str]:
    """Which of ``codes`` are in ``SELECT code FROM {source} code IN (...)``, asked in
    chunks that stay under SQLite's limit of bound values."""
    found: set[str] = set()
    for chunk in _in_chunks(codes):
        marks = ",".join("?" * len(chunk))
        found.update(row[0] for row in conn.execute(
            f"SELECT code FROM {source} code IN ({marks})", (*params, *chunk)))
    return found


def active_units(conn: sqlite3.Connection, day: str, *, kinds: list[str] | None = None,
                 scope: str | None = None) -> list[sqlite3.Row]:
    """Unit versions active on ``day``; with ``scope``, only units under that unit at any
    depth by ``parent_code`` as valid on that day (the scope unit itself is not included)."""
    return conn.execute(*listing_sql(", ".join("v." + f for f in LISTED_FIELDS), day, kinds,
                                     scope)).fetchall()


def vietnamese_order(conn: sqlite3.Connection) -> None:
    """Make ``vi_order(text)`` available in SQL: the sort key of Vietnamese alphabetical order
    (``collation_key``) as bytes, which SQLite compares as Python compares the keys.

    ``ORDER BY vi_order(name), code`` lets SQLite's sorter order a national listing: one key
    per row, compared in C, spilled to a temporary file when large, and the rows read back in
    order from the cursor, where a Python sort would hold every row and its key at once."""
    from movement_cli.text import collation_key

    def key(text: str | None) -> bytes:
        return collation_key(text or "")[0].encode("utf-8", "surrogatepass")

    conn.create_function("vi_order", 1, key, deterministic=True)


LISTED_FIELDS = ("code", "name", "kind", "parent_code", "subtype", "active_from", "active_to")


def listing_sql(columns: str, day: str, kinds: list[str] | None, scope: str | None
                ) -> tuple[str, dict]:
    """``SELECT columns`` over the unit versions active on ``day`` (of ``kinds``, under
    ``scope``), and its parameters."""
    params: dict = {"day": day}
    where = [active_on(":day", "v")]
    if kinds:
        marks = ", ".join(f":k{i}" for i in range(len(kinds)))
        where.append(f"v.kind IN ({marks})")
        params.update({f"k{i}": kind for i, kind in enumerate(kinds)})
    sql = f"SELECT {columns} FROM unit_versions v"
    if scope is not None:
        params["scope"] = scope
        sql = f"WITH RECURSIVE {SCOPE_TREE} {sql}"
        where.append("v.code IN (SELECT code FROM tree) AND v.code <> :scope")
    return sql + " WHERE " + " AND ".join(where), params


def listed_units(conn: sqlite3.Connection, day: str, *, kinds: list[str] | None = None,
                 scope: str | None = None) -> Iterator[tuple]:
    """The units active on ``day`` as ``LISTED_FIELDS`` tuples, in Vietnamese alphabetical
    order of the name, then by code; ``kinds`` and ``scope`` as in ``active_units``. Rows
    come from the cursor as they are read."""
    vietnamese_order(conn)
    sql, params = listing_sql(", ".join("v." + f for f in LISTED_FIELDS), day, kinds, scope)
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a national list makes a million of them
    return cursor.execute(sql + " ORDER BY vi_order(v.name), v.code", params)


def listed_widths(conn: sqlite3.Connection, day: str, *, kinds: list[str] | None = None,
                  scope: str | None = None) -> tuple[int, ...]:
    """The length of the longest value of each of ``LISTED_FIELDS`` in that listing (0 for
    a column of nulls): one pass in SQLite, for laying out a long table."""
    widest = ", ".join(f"COALESCE(MAX(LENGTH(v.{f})), 0)" for f in LISTED_FIELDS)
    sql, params = listing_sql(widest, day, kinds, scope)
    return tuple(conn.execute(sql, params).fetchone())


def unit_versions(conn: sqlite3.Connection, code: str) -> list[sqlite3.Row]:
    """Every version of a code, oldest first (an open start sorts first)."""
    return conn.execute(
        "SELECT name, kind, parent_code, subtype, active_from, active_to, note "
        "FROM unit_versions WHERE code = ? ORDER BY active_from IS NOT NULL, active_from",
        (code,),
    ).fetchall()


def codes_alike(conn: sqlite3.Connection, code: str, limit: int = 3) -> list[str]:
    """Codes on the roster that differ from ``code`` only by case ("cq002" → "CQ002"), for
    a "did you mean" hint."""
    return [row[0] for row in conn.execute(
        "SELECT DISTINCT code FROM unit_versions WHERE code = ? COLLATE NOCASE AND code <> ? "
        "ORDER BY code LIMIT ?", (code, code, limit))]


def unit_on(conn: sqlite3.Connection, code: str, day: str) -> sqlite3.Row | None:
    return units_on(conn, [code], day).get(code)


def units_on(conn: sqlite3.Connection, codes: Iterable[str], day: str
             ) -> dict[str, sqlite3.Row]:
    """The versions of ``codes`` active on ``day``, by code (a code not active is absent),
    asked in chunks rather than a query per unit (a year selects a thousand units)."""
    found: dict[str, sqlite3.Row] = {}
    for chunk in _in_chunks(codes):
        marks = ",".join("?" * len(chunk))
        found.update((row["code"], row) for row in conn.execute(
            "SELECT code, name, kind, parent_code, subtype, active_from, active_to "
            f"FROM unit_versions WHERE {active_on('?1')} AND code IN ({marks})",
            (day, *chunk)))
    return found


def is_under(conn: sqlite3.Connection, code: str, scope: str, day: str) -> bool:
    """Whether ``code`` sits under ``scope`` at any depth by parent_code valid on ``day``."""
    row = conn.execute(
        "WITH RECURSIVE up(code, depth) AS (SELECT parent_code, 1 FROM unit_versions "
        f"WHERE code = :code AND {active_on()} "
        "UNION SELECT v.parent_code, up.depth + 1 FROM unit_versions v JOIN up "
        f"ON v.code = up.code WHERE {active_on(':day', 'v')} AND up.depth < 50) "
        "SELECT EXISTS (SELECT 1 FROM up WHERE code = :scope)",
        {"code": code, "scope": scope, "day": day},
    ).fetchone()
    return bool(row[0])


def is_known(conn: sqlite3.Connection, code: str) -> bool:
    """Whether the roster has ever held ``code`` (on any date)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM unit_versions WHERE code = ?)",
                        (code,)).fetchone()[0] == 1
