"""SQL for `movement export`: each table's rows, streamed from a cursor.

Every function returns the column names and an iterator over row tuples; rows come from
SQLite as they are read, so exporting a million units never holds them all. With
``guard=True`` a text value that a spreadsheet program would run as a formula comes out
behind one apostrophe (``core.cells``), done inside SQLite: the CSV path then hands
SQLite's rows to ``csv.writer`` untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from movement_cli.core.cells import FORMULA_STARTS, GUARD
from movement_cli.i18n import N_
from movement_cli.store.active import SCOPE_TREE, active_on
from movement_cli.store.selections import WHOLE_DATABASE

Rows = tuple[list[str], Iterator[tuple]]

# The columns `units import` and `assess import` read, in the order they are written.
UNIT_COLUMNS = ["code", "name", "kind", "parent_code", "subtype", "active_from", "active_to",
                "note"]
RESULT_COLUMNS = ["code", "name", "year", "safety", "class", "score", "decision", "note"]
SELECTION_COLUMNS = ["year", "scope", "status", "decision", "code", "name", "kind", "group",
                     "override_reason", "confirmed_at"]
RECOGNITION_COLUMNS = ["year", "scope", "code", "name", "criteria_set", "met", "total",
                       "recognized", "proposal", "finalized_at"]
AUDIT_COLUMNS = ["id", "at", "actor", "command", "action", "entity", "entity_key", "old",
                 "new"]

# As SQL character codes: no quoting of quotes, tabs or carriage returns to get wrong.
_STARTS = ", ".join(f"char({ord(start)})" for start in FORMULA_STARTS)
_GUARD = f"char({ord(GUARD)})"


def _text(column: str, guard: bool) -> str:
    if not guard:
        return column
    return (f"CASE WHEN substr({column}, 1, 1) IN ({_STARTS}) "
            f"THEN {_GUARD} || {column} ELSE {column} END")


# A whole-number score as an integer (95, not 95.0): what an official typed.
_SCORE = ("CASE WHEN r.score = CAST(r.score AS INTEGER) THEN CAST(r.score AS INTEGER) "
          "ELSE r.score END")


def _in_scope(sql: str, column: str, scope: str | None) -> str:
    if scope is None:
        return sql
    return (f"WITH RECURSIVE {SCOPE_TREE} {sql} "
            f"AND {column} IN (SELECT code FROM tree) AND {column} <> :scope")


def units(conn: sqlite3.Connection, day: str, scope: str | None, *, guard: bool) -> Rows:
    """The unit versions active on ``day`` in code order, as the roster columns."""
    t = lambda column: _text(column, guard)  # noqa: E731
    sql = (f"SELECT {t('v.code')}, {t('v.name')}, v.kind, {t('v.parent_code')}, v.subtype, "
           f"v.active_from, v.active_to, {t('v.note')} FROM unit_versions v "
           f"WHERE {active_on(':day', 'v')}")
    sql = _in_scope(sql, "v.code", scope) + " ORDER BY v.code"
    return UNIT_COLUMNS, conn.execute(sql, {"day": day, "scope": scope})


def results(conn: sqlite3.Connection, year: int | None, scope: str | None, *, guard: bool
            ) -> Rows:
    """Results (of ``year``, or every year) with each unit's name as of 15 November of the
    result's year, as the columns of `assess import`."""
    t = lambda column: _text(column, guard)  # noqa: E731
    day = "(r.year || '-11-15')"
    sql = (f"SELECT {t('r.code')}, {t('v.name')}, r.year, r.safety, r.class, {_SCORE}, "
           f"{t('r.decision')}, {t('r.note')} FROM results r "
           "LEFT JOIN unit_versions v ON v.code = r.code "
           f"AND {active_on(day, 'v')} "
           "WHERE (:year IS NULL OR r.year = :year)")
    params = {"year": year, "scope": scope, "day": f"{year}-11-15" if year else None}
    if scope is not None:
        if year is None:
            raise ValueError(N_("a scope needs a year: the scope's units are taken on that year"))
        sql = _in_scope(sql, "r.code", scope)
    return RESULT_COLUMNS, conn.execute(sql + " ORDER BY r.year, r.code", params)


def selections(conn: sqlite3.Connection, year: int | None, scope: str | None, *, guard: bool
               ) -> Rows:
    """One row per selected unit, with the unit's name as of 1 January of the year."""
    t = lambda column: _text(column, guard)  # noqa: E731
    day = "(s.year || '-01-01')"
    sql = (f"SELECT s.year, NULLIF(s.scope, ''), s.status, {t('s.decision')}, {t('u.code')}, "
           f"{t('v.name')}, v.kind, u.group_name, {t('u.override_reason')}, s.confirmed_at "
           "FROM selections s JOIN selection_units u ON u.year = s.year AND u.scope = s.scope "
           "LEFT JOIN unit_versions v ON v.code = u.code "
           f"AND {active_on(day, 'v')} "
           "WHERE (:year IS NULL OR s.year = :year) AND (:scope IS NULL OR s.scope = :scope) "
           "ORDER BY s.year, s.scope, u.code")
    return SELECTION_COLUMNS, conn.execute(sql, {"year": year, "scope": _scope_key(scope)})


def recognitions(conn: sqlite3.Connection, year: int | None, scope: str | None, *,
                 guard: bool) -> Rows:
    t = lambda column: _text(column, guard)  # noqa: E731
    day = "(g.year || '-11-15')"
    sql = (f"SELECT g.year, NULLIF(g.scope, ''), {t('g.code')}, {t('v.name')}, "
           "g.criteria_set, g.met, g.total, g.recognized, g.proposal, g.finalized_at "
           "FROM recognitions g LEFT JOIN unit_versions v ON v.code = g.code "
           f"AND {active_on(day, 'v')} "
           "WHERE (:year IS NULL OR g.year = :year) AND (:scope IS NULL OR g.scope = :scope) "
           "ORDER BY g.year, g.scope, g.code")
    return RECOGNITION_COLUMNS, conn.execute(sql, {"year": year, "scope": _scope_key(scope)})


def audit(conn: sqlite3.Connection, year: int | None, *, guard: bool) -> Rows:
    """The audit log in the order it was written (of one calendar year, UTC, with ``year``)."""
    t = lambda column: _text(column, guard)  # noqa: E731
    sql = (f"SELECT id, at, {t('actor')}, {t('command')}, action, entity, {t('entity_key')}, "
           f"{t('old')}, {t('new')} FROM audit "
           "WHERE (:year IS NULL OR substr(at, 1, 4) = :year) ORDER BY id")
    return AUDIT_COLUMNS, conn.execute(sql, {"year": None if year is None else str(year)})


def _scope_key(scope: str | None) -> str | None:
    return None if scope is None else (scope or WHOLE_DATABASE)
