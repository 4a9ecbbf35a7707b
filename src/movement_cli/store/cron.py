"""SQL for the record of cron steps: which (year, quarter, scope, step) ran, and how."""

from __future__ import annotations

import sqlite3

from movement_cli.store.audit import now_iso

WHOLE_DATABASE = ""  # the scope key of a step run over the whole database


def step_done(conn: sqlite3.Connection, year: int, quarter: int, scope: str | None, step: str
              ) -> sqlite3.Row | None:
    """The record of the step's last run (``ran_at``, ``outcome``, ``message``), or None."""
    return conn.execute(
        "SELECT ran_at, outcome, message FROM cron_runs "
        "WHERE year = ? AND quarter = ? AND scope = ? AND step = ?",
        (year, quarter, scope or WHOLE_DATABASE, step)).fetchone()


def mark_done(conn: sqlite3.Connection, year: int, quarter: int, scope: str | None, step: str,
              outcome: str, message: str) -> None:
    """Record the step as run (inside the caller's write transaction)."""
    conn.execute(
        "INSERT INTO cron_runs (year, quarter, scope, step, ran_at, outcome, message) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (year, quarter, scope, step) DO UPDATE SET "
        "ran_at = excluded.ran_at, outcome = excluded.outcome, message = excluded.message",
        (year, quarter, scope or WHOLE_DATABASE, step, now_iso(), outcome, message))
