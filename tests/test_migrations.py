"""A database written by each earlier schema version opens, upgrades and keeps every row.

Each fixture under tests/fixtures/ was made by the release that introduced its schema
version; add one whenever a migration is added.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("schema-v*.db"))


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'")]
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in tables}
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_earlier_schema_opens_upgrades_and_keeps_every_row(cli, tmp_path, fixture):
    from movement_cli.store.migrations import LATEST

    db = tmp_path / fixture.name
    shutil.copy(fixture, db)
    before = _counts(db)
    assert cli.json("--db", db, "status", "--year", "2024")["selection"]["selected"] == [
        "19798", "CQ002"]
    after = _counts(db)
    assert all(after[table] >= count for table, count in before.items())
    assert after["unit_versions"] == before["unit_versions"]
    version = sqlite3.connect(db).execute("SELECT MAX(id) FROM schema_migrations").fetchone()[0]
    assert version == LATEST
    cli("--db", db, "init")  # migrating again is a no-op


def test_there_is_a_fixture_for_every_schema_version():
    from movement_cli.store.migrations import MIGRATIONS

    assert {f"schema-v{number}" for number, _, _ in MIGRATIONS} == {f.stem for f in FIXTURES}
