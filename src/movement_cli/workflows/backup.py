"""`movement backup`: a checked copy of the live database (see ``store.backup``)."""

from __future__ import annotations

from pathlib import Path

from movement_cli.store.backup import BackupCopy, copy_database
from movement_cli.store.db import Database


def back_up(db: Database, target: Path, *, force: bool = False) -> BackupCopy:
    """Copy the database to ``target`` while other processes keep working; the copy passed
    ``PRAGMA integrity_check`` and has mode 0600. ``force`` replaces an existing file."""
    return copy_database(db, target, replace=force)
