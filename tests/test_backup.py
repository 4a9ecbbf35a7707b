"""`movement backup`: a checked copy, mode 0600, never over an existing file unless --force."""

from __future__ import annotations

import gc
import hashlib
import sqlite3
import stat


def test_backup_is_a_checked_private_copy(cli, hue_2024, tmp_path):
    target = tmp_path / "backups" / "movement-2024-01-17.db"
    document = cli.json("backup", target)
    assert document["file"] == str(target) and document["integrity"] == "ok"
    assert document["bytes"] == target.stat().st_size
    assert document["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no stray files
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT COUNT(*) FROM unit_versions").fetchone()[0] == 89
    conn.close()
    # the copy is a movement database: every command works on it
    assert len(cli.json("--db", target, "units", "list")) > 80


def test_backup_refuses_an_existing_file_unless_force(cli, hue_2024, tmp_path):
    target = tmp_path / "b.db"
    target.write_bytes(b"keep me")
    result = cli("backup", target, code=1)
    assert "--force" in result.stderr and target.read_bytes() == b"keep me"
    cli("backup", target, "--force")
    assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_onto_the_database_itself_is_refused(cli, hue_2024):
    result = cli("backup", hue_2024, "--force", code=1)
    assert "database itself" in result.stderr


def test_restoring_a_backup_brings_the_old_state_back(cli, hue_2024, tmp_path):
    import shutil

    cli("backup", tmp_path / "before.db")
    cli("units", "import", _roster(tmp_path))
    assert cli.json("units", "show", "CQ950")["versions"]
    # No movement process may run during a restore: here the earlier commands ran in this
    # process, so their connections must be gone first.
    gc.collect()
    shutil.copy(tmp_path / "before.db", hue_2024)  # the README's restore: copy it back
    for leftover in (hue_2024.with_name(hue_2024.name + "-wal"),
                     hue_2024.with_name(hue_2024.name + "-shm")):
        leftover.unlink(missing_ok=True)
    assert cli("units", "show", "CQ950", code=1).exit_code == 1


def _roster(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("code,name,kind,parent_code\nCQ950,Cơ quan mới,co_quan,474\n",
                    encoding="utf-8")
    return path
