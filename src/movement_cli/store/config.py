"""SQL for configuration: global values (scope '') and per-scope overrides."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from movement_cli.store.db import Database

GLOBAL = ""


def read_language(path: Path) -> str | None:
    """The database's ``ui.language`` by one read-only query, for a run that has not opened
    its database (a command-line usage error): None when the file is missing, is not a
    movement database or cannot be read now. Nothing is created, migrated or locked."""
    import sqlite3

    if not path.is_file():
        return None
    # Without a write-ahead log beside it the file holds every committed change: read it as
    # immutable, so that SQLite creates no -wal and -shm files for this one query. A log
    # without its -shm (a copy, a backup) is not read either: SQLite would create the -shm
    # to read it. No process has that database open, so its file alone is consistent.
    live_log = all(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm"))
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro{'' if live_log else '&immutable=1'}",
                               uri=True, timeout=0.1)
    except (sqlite3.Error, ValueError):
        return None
    try:
        row = conn.execute("SELECT value FROM config WHERE scope = ? AND key = 'ui.language'",
                           (GLOBAL,)).fetchone()
        value = json.loads(row[0]) if row is not None else None
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()
    return value if isinstance(value, str) else None


def get_all(db: Database, scope: str | None) -> dict:
    """The effective configuration for ``scope``: scoped values over global ones."""
    values: dict = {}
    for row in db.conn.execute(
        "SELECT scope, key, value FROM config WHERE scope IN (?, ?) ORDER BY scope = ?, key",
        (GLOBAL, scope or GLOBAL, scope or GLOBAL),
    ):
        values[row["key"]] = json.loads(row["value"])
    return values


def get_value(db: Database, key: str, scope: str | None = None):
    """One key's effective value for ``scope`` (its own, else the global one), or None."""
    row = db.conn.execute(
        "SELECT value FROM config WHERE scope IN (?, ?) AND key = ? ORDER BY scope = ? LIMIT 1",
        (GLOBAL, scope or GLOBAL, key, GLOBAL),
    ).fetchone()
    return None if row is None else json.loads(row["value"])


def scoped_value(db: Database, scope: str, key: str):
    """The value ``scope`` sets for ``key`` itself (None: it takes the global one)."""
    row = db.conn.execute("SELECT value FROM config WHERE scope = ? AND key = ?",
                          (scope, key)).fetchone()
    return None if row is None else json.loads(row["value"])


def configured_scopes(db: Database) -> list[str]:
    """The scopes with configuration of their own: those `movement cron` runs for (issue
    14: "for every scope that has scoped configuration")."""
    return [row[0] for row in db.conn.execute(
        "SELECT DISTINCT scope FROM config WHERE scope <> '' ORDER BY scope")]


def set_values(db: Database, scope: str | None, values: dict) -> int:
    """Store values (inside the caller's write transaction); return how many changed."""
    changed = 0
    for key, value in values.items():
        row = db.conn.execute("SELECT value FROM config WHERE scope = ? AND key = ?",
                              (scope or GLOBAL, key)).fetchone()
        old = None if row is None else json.loads(row["value"])
        if old == value:
            continue
        db.conn.execute(
            "INSERT INTO config (scope, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
            (scope or GLOBAL, key, json.dumps(value, ensure_ascii=False)),
        )
        db.audit("config", "config", f"{scope or '*'}:{key}", old, value)
        changed += 1
    return changed
