"""Numbered schema migrations, applied in order when a command opens the database.

Each migration is a small function, runs in its own transaction and is recorded in
``schema_migrations``; a database written by any earlier release upgrades without loss.
Add new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from movement_cli.store.db import now_iso

if TYPE_CHECKING:
    import sqlite3

    from movement_cli.store.db import Database


def _m001_initial(conn: sqlite3.Connection) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    # A unit is a code plus the period its name, kind, parent and subtype hold: codes are
    # reused across mergers (19753 was Phường Thuận Lộc, then Phường Phú Xuân).
    # Clustered on (code, version): lookups by code need no second index, and a national
    # roster loads into one B-tree instead of a table and an index.
    conn.execute(
        """CREATE TABLE unit_versions (
            code TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
            kind TEXT NOT NULL, parent_code TEXT, subtype TEXT,
            active_from TEXT, active_to TEXT, note TEXT,
            PRIMARY KEY (code, version)) WITHOUT ROWID"""
    )
    db["unit_versions"].create_index(["parent_code"])
    db["results"].create(
        {"code": str, "year": int, "safety": str, "class": str, "score": float,
         "decision": str, "note": str},
        pk=("code", "year"), not_null={"code", "year"},
    )
    db["results"].create_index(["year"])
    db["selections"].create(
        {"year": int, "scope": str, "status": str, "policy_id": str, "policy_sha256": str,
         "decision": str, "report": str, "created_at": str, "updated_at": str,
         "confirmed_at": str},
        pk=("year", "scope"), not_null={"year", "scope", "status"},
    )
    conn.execute(
        """CREATE TABLE selection_units (
            year INTEGER NOT NULL, scope TEXT NOT NULL, code TEXT NOT NULL,
            group_name TEXT NOT NULL, override_reason TEXT,
            PRIMARY KEY (year, scope, code),
            FOREIGN KEY (year, scope) REFERENCES selections (year, scope) ON DELETE CASCADE)"""
    )
    db["config"].create(
        {"scope": str, "key": str, "value": str}, pk=("scope", "key"), not_null={"scope", "key"}
    )
    db["documents"].create(
        {"id": int, "year": int, "scope": str, "doc": str, "unit_code": str, "file": str,
         "rendered_at": str},
        pk="id",
    )
    db["recognition_answers"].create(
        {"year": int, "code": str, "criterion": str, "met": int, "note": str},
        pk=("year", "code", "criterion"),
    )
    db["recognitions"].create(
        {"year": int, "scope": str, "code": str, "criteria_set": str, "met": int,
         "total": int, "recognized": int, "proposal": str, "finalized_at": str},
        pk=("year", "scope", "code"),
    )
    db["cron_runs"].create(
        {"year": int, "quarter": int, "scope": str, "step": str, "ran_at": str,
         "outcome": str, "message": str},
        pk=("year", "quarter", "scope", "step"),
    )
    db["audit"].create(
        {"id": int, "at": str, "actor": str, "command": str, "action": str, "entity": str,
         "entity_key": str, "old": str, "new": str},
        pk="id",
    )
    db["audit"].create_index(["entity", "entity_key"])


MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "initial schema", _m001_initial),
]
LATEST = MIGRATIONS[-1][0]


def _applied(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM schema_migrations").fetchone()[0]


def migrate_if_needed(db: Database) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the ids applied."""
    conn = db.conn
    try:
        current = conn.execute(
            "SELECT COALESCE(MAX(id), 0) FROM schema_migrations"
        ).fetchone()[0]
    except Exception:
        current = 0
    if current >= LATEST:
        return []
    applied = []
    with db.lock():
        current = _applied(conn)  # another process may have migrated while we waited
        for number, name, step in MIGRATIONS:
            if number <= current:
                continue
            conn.execute("BEGIN IMMEDIATE")
            try:
                step(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)",
                    (number, name, now_iso()),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            applied.append(number)
    return applied
