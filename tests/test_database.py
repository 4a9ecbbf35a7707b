"""`movement init`, the database's location, file mode and migrations."""

from __future__ import annotations

import os
import re
import sqlite3
import stat

import pytest


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


def test_a_migrations_table_that_cannot_be_read_is_an_error_not_a_new_database(cli, db):
    # Only a missing table means "version 0"; a broken one is said as it is, and no
    # migration runs over the data.
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE schema_migrations RENAME TO old_migrations")
    conn.execute("CREATE TABLE schema_migrations (number INTEGER)")
    conn.commit()
    conn.close()
    result = cli("units", "list", code=1)
    assert "cannot read the database's schema version" in result.stderr
    assert "no such column: id" in result.stderr
    tables = {row[0] for row in sqlite3.connect(db).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "unit_versions" in tables


def _holding_the_lock(db):
    from filelock import FileLock

    return FileLock(str(db) + ".lock")


def test_the_wait_for_the_lock_is_announced_and_the_timeout_rounded(cli, db):
    with _holding_the_lock(db):
        result = cli("--wait", "1", "config", "set", "authority.name", "X", code=75)
    assert "waiting up to 1 s for the write lock" in result.stderr
    assert "held the write lock on" in result.stderr
    # Rounded to whole seconds (not "1.00043 s"); a loaded machine may wait a little longer.
    assert re.search(r"for more than \d+ s;", result.stderr), result.stderr


def test_quiet_silences_the_wait_for_the_lock_but_not_the_timeout(cli, db):
    with _holding_the_lock(db):
        result = cli("-q", "--wait", "0.2", "config", "set", "authority.name", "X", code=75)
    assert "waiting" not in result.stderr
    assert re.search(r"for more than 0\.\d s;", result.stderr), result.stderr


@pytest.mark.parametrize("digits", [310, 5000])
def test_a_wait_too_large_for_a_number_is_a_usage_error_not_a_traceback(cli, db, digits):
    # 310 digits is more than a float holds (it became infinity, and the announcement of
    # the wait crashed on it); 5000 more than Python turns into a number at all.
    with _holding_the_lock(db):
        result = cli("--wait", "1" + "0" * digits, "config", "set", "authority.name", "X",
                     code=2)
    assert f"'--wait': a number of {digits + 1} digits is too large" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_store_prints_nothing_while_it_waits(db, capfd):
    from movement_cli.errors import LockTimeout
    from movement_cli.store.db import Database

    heard = []
    opened = Database.open(db, actor="test", command="test", wait=0.1, on_wait=heard.append)
    silent = Database.open(db, actor="test", command="test", wait=0.1)
    with _holding_the_lock(db):
        for database in (opened, silent):
            with pytest.raises(LockTimeout), database.write():
                pass
    assert len(heard) == 1 and heard[0].startswith("waiting up to 0.1 s")
    assert capfd.readouterr() == ("", "")


def test_a_wait_of_minus_zero_is_announced_as_zero(cli, db):
    with _holding_the_lock(db):
        result = cli("--wait", "-0", "config", "set", "authority.name", "X", code=75)
    assert "waiting up to 0 s" in result.stderr and "-0" not in result.stderr


@pytest.mark.parametrize("count", [0, 1, 199, 200, 201, 1000, 1234])
def test_insert_rows_stores_every_row_in_order_whatever_the_count(count):
    from movement_cli.store.db import insert_rows

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (n INTEGER, text TEXT, maybe TEXT)")
    rows = [(n, f"hàng {n}", None if n % 3 else "'; DROP TABLE t; --") for n in range(count)]
    insert_rows(conn, "INSERT INTO t (n, text, maybe)", rows)
    assert conn.execute("SELECT n, text, maybe FROM t ORDER BY rowid").fetchall() == rows


def test_insert_rows_keeps_each_statement_within_sqlites_oldest_limit_of_values():
    from movement_cli.store.db import insert_rows

    statements: list[str] = []

    class Recording(sqlite3.Connection):
        def execute(self, sql, *args):
            statements.append(sql)
            return super().execute(sql, *args)

    conn = sqlite3.connect(":memory:", factory=Recording)
    conn.execute("CREATE TABLE wide (a, b, c, d, e, f, g)")
    rows = [tuple(range(n, n + 7)) for n in range(1000)]
    insert_rows(conn, "INSERT INTO wide", rows)
    assert conn.execute("SELECT * FROM wide ORDER BY rowid").fetchall() == rows
    assert 999 - 7 < max(statement.count("?") for statement in statements) <= 999
