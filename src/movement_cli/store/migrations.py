"""Numbered schema migrations, applied in order when a command opens the database.

Each migration is a small function, runs in its own transaction and is recorded in
``schema_migrations``; a database written by any earlier release upgrades without loss.
Add new migrations at the end; never edit one that has shipped.

The database (``store.db``) runs them when it connects and hands over its connection and
its write lock: this module does not know the ``Database`` class.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from movement_cli.errors import MovementError
from movement_cli.i18n import N_, message_of
from movement_cli.store.audit import now_iso


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


def _m002_recognition_outcomes(conn: sqlite3.Connection) -> None:
    # Finalising stores, per unit, the SHA-256 of the criteria file that judged it (so that a
    # later edit of the file shows as criteria_changed without changing the outcome), the
    # criteria answered "not met", and the proposed form's id beside its label (`proposal`).
    for column in ("criteria_sha256", "failed", "proposal_form"):
        conn.execute(f"ALTER TABLE recognitions ADD COLUMN {column} TEXT")


def _m003_document_sha256(conn: sqlite3.Connection) -> None:
    # What the tool last wrote to each document file, so that a file an official edited
    # since is recognised and kept (render-plan without --force, and cron always). Documents
    # rendered before this migration have none: they count as edited until rendered again.
    conn.execute("ALTER TABLE documents ADD COLUMN sha256 TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS documents_file ON documents (file)")


def _m004_unit_links(conn: sqlite3.Connection) -> None:
    # The merge map of a reorganisation: the unit active under ``old_code`` on the day before
    # ``date`` became (part of) the unit active under ``new_code`` on ``date``. Codes and a
    # date, not version numbers: the names on each side are the versions valid on that side.
    # Keyed by the old code for successors and the closing; indexed by the new one for
    # predecessors.
    conn.execute(
        """CREATE TABLE unit_links (
            old_code TEXT NOT NULL, new_code TEXT NOT NULL, date TEXT NOT NULL, note TEXT,
            PRIMARY KEY (old_code, new_code, date)) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX unit_links_new_code ON unit_links (new_code, date)")


# Written into the SQLite header (PRAGMA application_id) by migration 5: "MVMT".
APPLICATION_ID = 0x4D564D54


def _m005_application_id(conn: sqlite3.Connection) -> None:
    # Marks the file as a movement database in its header, so that every later open can
    # refuse another application's SQLite file before touching it.
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "initial schema", _m001_initial),
    (2, "recognition outcomes keep their criteria file's hash", _m002_recognition_outcomes),
    (3, "documents: the SHA-256 of what was written", _m003_document_sha256),
    (4, "merge map: links between old and new units", _m004_unit_links),
    (5, "the movement application id in the file's header", _m005_application_id),
]
LATEST = MIGRATIONS[-1][0]


def _applied(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM schema_migrations").fetchone()[0]


def _version(conn: sqlite3.Connection) -> int:
    """The number of the last migration applied; 0 for a database that has no migrations
    table yet (a new file). Any other failure to read it is the database's problem, said
    as it is."""
    try:
        return conn.execute("SELECT COALESCE(MAX(id), 0) FROM schema_migrations").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if str(exc).startswith("no such table"):
            return 0
        raise _unreadable(exc) from exc


def _unreadable(exc: sqlite3.Error) -> MovementError:
    return MovementError(N_("cannot read the database's schema version (schema_migrations): "
                            "{exc}", exc=message_of(exc)))


def migrate_if_needed(conn: sqlite3.Connection,
                      lock: Callable[[], AbstractContextManager]) -> list[int]:
    """Apply pending migrations, each in its own transaction under ``lock()`` (the
    database's write lock); return the ids applied."""
    if _version(conn) >= LATEST:
        return []
    applied = []
    with lock():
        try:
            current = _applied(conn)  # another process may have migrated while we waited
        except sqlite3.Error as exc:
            raise _unreadable(exc) from exc
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
            except BaseException as exc:
                conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise MovementError(N_("migration {number} ({name}) failed, nothing of it "
                                           "was applied: {exc}", number=number, name=name,
                                           exc=message_of(exc))) from exc
                raise
            conn.execute("COMMIT")
            applied.append(number)
    return applied
