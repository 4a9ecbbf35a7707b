"""SQL for configuration: global values (scope '') and per-scope overrides."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from movement_cli.store.db import Database

GLOBAL = ""


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
