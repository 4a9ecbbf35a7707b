"""`movement init`, the database's location, file mode and migrations."""

from __future__ import annotations

import os
import sqlite3
import stat


def test_init_creates_the_database_with_mode_0600(cli, tmp_path):
    result = cli("init")
    path = tmp_path / "movement.db"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "created" in result.stderr


def test_init_on_an_existing_database_only_migrates(cli, db):
    result = cli("init")
    assert "up to date" in result.stderr


def test_db_option_beats_the_environment(cli, tmp_path):
    cli("--db", tmp_path / "other.db", "init")
    assert (tmp_path / "other.db").exists()
    assert not (tmp_path / "movement.db").exists()


def test_migrations_are_recorded_and_foreign_keys_and_wal_are_on(cli, db):
    from movement_cli.store.db import Database
    from movement_cli.store.migrations import LATEST

    conn = sqlite3.connect(db)
    assert conn.execute("SELECT MAX(id) FROM schema_migrations").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    opened = Database.open(db, actor="test", command="test")
    assert opened.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
