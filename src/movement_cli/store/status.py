"""SQL that gathers where a year stands, for `movement status` and `movement cron`."""

from __future__ import annotations

import sqlite3

from movement_cli.store.units import active_units


def units_by_kind(conn: sqlite3.Connection, day: str, scope: str | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in active_units(conn, day, scope=scope):
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    return dict(sorted(counts.items()))


def results_coverage(conn: sqlite3.Connection, day: str, year: int, kinds: list[str],
                     scope: str | None) -> tuple[int, list[str]]:
    """(recorded, missing codes) of ``year``'s results among units of ``kinds`` on ``day``."""
    units = active_units(conn, day, kinds=kinds, scope=scope)
    recorded = {row[0] for row in conn.execute(
        "SELECT code FROM results WHERE year = ? AND safety IS NOT NULL AND class IS NOT NULL",
        (year,))}
    missing = sorted(row["code"] for row in units if row["code"] not in recorded)
    return len(units) - len(missing), missing


def documents(conn: sqlite3.Connection, year: int, scope: str) -> list[dict]:
    return [dict(row) for row in conn.execute(
        "SELECT doc, file, rendered_at FROM documents WHERE year = ? AND scope = ? "
        "ORDER BY rendered_at, file", (year, scope))]


def record_document(conn: sqlite3.Connection, year: int, scope: str, doc: str,
                    unit_code: str | None, file: str, at: str, sha256: str | None = None
                    ) -> None:
    conn.execute("DELETE FROM documents WHERE year = ? AND scope = ? AND file = ?",
                 (year, scope, file))
    conn.execute(
        "INSERT INTO documents (year, scope, doc, unit_code, file, rendered_at, sha256) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", (year, scope, doc, unit_code, file, at, sha256))


def written_sha256(conn: sqlite3.Connection, file: str) -> str | None:
    """The SHA-256 of what the tool last wrote to ``file`` (None: never, or not known)."""
    row = conn.execute("SELECT sha256 FROM documents WHERE file = ? ORDER BY id DESC LIMIT 1",
                       (file,)).fetchone()
    return row[0] if row else None
