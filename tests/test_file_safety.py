"""File safety: a file that is not a movement database is refused by every command, `init`
included, and left byte for byte as it was; the database and its lock files are 0600."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

COMMANDS = [("init",), ("status",), ("units", "list"), ("config", "show"),
            ("assess", "list", "--year", "2023"), ("select", "--year", "2024", "--dry-run")]


def _other_apps_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()


def _foreign_application_id(path: Path) -> None:
    _other_apps_database(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()


def _lookalike(path: Path) -> None:
    """Tables named like ours but not made by movement."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("CREATE TABLE unit_versions (code TEXT)")
    conn.execute("CREATE TABLE audit (id INTEGER)")
    conn.commit()
    conn.close()


MAKERS = {
    "empty file": lambda path: path.write_bytes(b""),
    "text file": lambda path: path.write_text("code,name\n1,x\n", encoding="utf-8"),
    "short sqlite header": lambda path: path.write_bytes(b"SQLite format 3\x00"),
    "another application's database": _other_apps_database,
    "another application id": _foreign_application_id,
    "tables named like ours": _lookalike,
}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("kind", list(MAKERS))
def test_a_file_that_is_not_a_movement_database_is_refused_and_left_untouched(
        cli, tmp_path, kind, command):
    path = tmp_path / "other.db"
    MAKERS[kind](path)
    os.chmod(path, 0o644)
    before = path.read_bytes()
    result = cli("--db", path, *command, code=1)
    assert str(path) in result.stderr and "not a movement database" in result.stderr
    assert path.read_bytes() == before
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_folder_given_as_the_database_is_an_error_naming_it(cli, tmp_path, command):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    result = cli("--db", folder, *command, code=1)
    assert f"{folder} is a folder" in result.stderr
    assert list(folder.iterdir()) == []


def test_only_init_creates_a_database(cli, tmp_path):
    path = tmp_path / "typo.db"
    for command in COMMANDS[1:]:
        result = cli("--db", path, *command, code=1)
        assert "movement init" in result.stderr
    assert not path.exists()
    cli("--db", path, "init")
    cli("--db", path, "status")


def test_a_database_from_init_carries_the_movement_application_id(cli, db):
    from movement_cli.store.db import APPLICATION_ID

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_database_lock_and_holder_files_are_0600_whatever_the_umask(cli, tmp_path, umask):
    previous = os.umask(umask)
    try:
        cli("init")
        roster = tmp_path / "r.csv"
        roster.write_text("code,name,kind\n46,Tỉnh Thừa Thiên Huế,tinh\n", encoding="utf-8")
        cli("units", "import", roster)
    finally:
        os.umask(previous)
    for name in ("movement.db", "movement.db.lock"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
    for extra in ("movement.db-wal", "movement.db-shm", "movement.db.lock.holder"):
        if (tmp_path / extra).exists():
            assert stat.S_IMODE(os.stat(tmp_path / extra).st_mode) & 0o077 == 0, extra
