"""SQL that gathers where a year stands, for `movement status` and `movement cron`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from movement_cli.store.active import SCOPE_TREE, active_on
from movement_cli.store.units import listing_sql


def units_by_kind(conn: sqlite3.Connection, day: str, scope: str | None) -> dict[str, int]:
    """How many units of each kind are active on ``day`` (under ``scope``), by kind."""
    sql, params = listing_sql("v.kind, COUNT(*)", day, None, scope)
    return dict(conn.execute(sql + " GROUP BY v.kind ORDER BY v.kind", params).fetchall())


def results_coverage(conn: sqlite3.Connection, day: str, year: int, kinds: list[str],
                     scope: str | None, excluded_subtypes=frozenset()
                     ) -> tuple[int, list[str]]:
    """(recorded, missing codes) of ``year``'s results among units of ``kinds`` on ``day``:
    counted and found by SQLite, so that only the missing codes come into Python. A unit of
    an excluded subtype is never missing one (the policy never selects it)."""
    sql, params = listing_sql(
        "v.code, v.subtype, EXISTS (SELECT 1 FROM results r WHERE r.code = v.code"
        " AND r.year = :year AND r.safety IS NOT NULL AND r.class IS NOT NULL) AS recorded",
        day, kinds, scope)
    params["year"] = year
    (recorded,) = conn.execute(f"SELECT SUM(recorded) FROM ({sql})", params).fetchone()
    marks = ", ".join(f":x{i}" for i in range(len(excluded_subtypes))) or "NULL"
    params.update({f"x{i}": subtype for i, subtype in enumerate(sorted(excluded_subtypes))})
    missing = [code for (code,) in conn.execute(
        f"SELECT code FROM ({sql}) WHERE NOT recorded "
        f"AND (subtype IS NULL OR subtype NOT IN ({marks})) ORDER BY code", params)]
    return recorded or 0, missing


def documents(conn: sqlite3.Connection, year: int, scope: str) -> list[dict]:
    return [dict(row) for row in conn.execute(
        "SELECT doc, file, rendered_at FROM documents WHERE year = ? AND scope = ? "
        "ORDER BY rendered_at, file", (year, scope))]


def record_document(conn: sqlite3.Connection, year: int, scope: str, doc: str,
                    unit_code: str | None, file: str, at: str, sha256: str | None = None
                    ) -> None:
    """Remember what was written to ``file`` (its SHA-256 tells a later render whether an
    official has edited it since)."""
    conn.execute("DELETE FROM documents WHERE file = ?", (file,))
    conn.execute(
        "INSERT INTO documents (year, scope, doc, unit_code, file, rendered_at, sha256) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", (year, scope, doc, unit_code, file, at, sha256))


def written_sha256(conn: sqlite3.Connection, file: str) -> str | None:
    """The SHA-256 of what the tool last wrote to ``file`` (None: never, or not known)."""
    row = conn.execute("SELECT sha256 FROM documents WHERE file = ? ORDER BY id DESC LIMIT 1",
                       (file,)).fetchone()
    return row[0] if row else None


def units_missing_results(conn: sqlite3.Connection, day: str, year: int, skip_kinds: list[str],
                          scope: str | None) -> Iterator[tuple[str, str]]:
    """(code, kind) of the units active on ``day`` (under ``scope``), of any kind but
    ``skip_kinds``, with no safety result or no class recorded for ``year``; streamed."""
    marks = ", ".join(f":s{i}" for i in range(len(skip_kinds))) or "NULL"
    params = {"day": day, "year": year, "scope": scope,
              **{f"s{i}": kind for i, kind in enumerate(skip_kinds)}}
    sql = ("SELECT v.code, v.kind FROM unit_versions v "
           f"WHERE {active_on(':day', 'v')} AND v.kind NOT IN ({marks}) "
           "AND NOT EXISTS (SELECT 1 FROM results r WHERE r.code = v.code AND r.year = :year "
           "AND r.safety IS NOT NULL AND r.class IS NOT NULL)")
    if scope is not None:
        sql = (f"WITH RECURSIVE {SCOPE_TREE} {sql}"
               " AND v.code IN (SELECT code FROM tree) AND v.code <> :scope")
    return ((row[0], row[1]) for row in conn.execute(sql, params))


def documents_written(conn: sqlite3.Connection, files: Iterable[str]) -> dict[str, sqlite3.Row]:
    """For each of ``files`` the tool has written a document to (compared without case, as
    some file systems do), the last record of it: its year, scope, doc, unit_code and sha256.

    One pass over the documents, each looked up among ``files``: ``file = ? COLLATE NOCASE``
    can use no index, and asked once per file it read the whole table each time (half a
    second for a hundred unit plans beside fifty thousand documents)."""
    conn.execute("DROP TABLE IF EXISTS temp.files_asked")
    conn.execute("CREATE TEMP TABLE files_asked (file TEXT PRIMARY KEY COLLATE NOCASE)")
    conn.executemany("INSERT OR IGNORE INTO temp.files_asked VALUES (?)", zip(files))
    # The bare columns come from the row of max(d.id): the last record of each file.
    found = {row["asked"]: row for row in conn.execute(
        "SELECT f.file AS asked, max(d.id), d.year, d.scope, d.doc, d.unit_code, d.file,"
        " d.sha256 FROM documents d JOIN temp.files_asked f ON f.file = d.file"
        " GROUP BY f.file")}
    conn.execute("DROP TABLE temp.files_asked")
    return found
