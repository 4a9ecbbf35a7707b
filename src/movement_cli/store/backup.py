"""A consistent copy of the live database through SQLite's online backup API.

The copy is taken in one step, inside one read transaction of the source: in WAL mode other
processes keep reading and writing meanwhile, and the copy holds the database as it stood at
one moment (before or after any write, never half of one). It is written to a temporary file
beside the target (mode 0600 from the start), switched to a rollback journal so that it is
one self-contained file, checked with ``PRAGMA integrity_check`` and only then moved into
place.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from movement_cli.errors import MovementError
from movement_cli.i18n import N_

if TYPE_CHECKING:
    from movement_cli.store.db import Database


@dataclass(frozen=True)
class BackupCopy:
    file: Path
    bytes: int
    integrity: str

    @property
    def sha256(self) -> str:
        """Read from the file when asked (`--json`): a national copy is hundreds of MB."""
        return _sha256(self.file)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def copy_database(db: Database, target: Path, *, replace: bool) -> BackupCopy:
    """Copy ``db`` to ``target``; an existing ``target`` is refused unless ``replace``."""
    target = target.absolute()
    if target.resolve() == db.path.resolve():
        raise MovementError(N_("{target} is the database itself; choose another file",
                               target=target))
    if target.is_dir():
        raise MovementError(N_("{target} is a folder; name the backup file", target=target))
    if target.exists() and not replace:
        raise MovementError(N_("{target} exists; add --force to replace it", target=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)  # mkstemp creates the file with mode 0600, before any byte of data is in it
    temporary = Path(name)
    try:
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            db.conn.backup(copy)  # one step: one read transaction, one consistent state
            copy.execute("PRAGMA journal_mode = DELETE")
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        finally:
            copy.close()
        if problems != ["ok"]:
            raise MovementError(N_("the copy failed its integrity check ({value}); nothing was "
                                   "written", value='; '.join(problems[:5])))
        os.chmod(temporary, 0o600)
        if replace:
            os.replace(temporary, target)
        else:
            _move_unless_there(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return BackupCopy(target, target.stat().st_size, "ok")


def _move_unless_there(temporary: Path, target: Path) -> None:
    """Move ``temporary`` to ``target`` unless a file appeared there meanwhile."""
    try:
        os.link(temporary, target)  # fails, rather than replaces, when the target exists
    except FileExistsError:
        raise MovementError(N_("{target} exists; add --force to replace it",
                               target=target)) from None
    except OSError:  # a file system without hard links: check, then move
        if target.exists():
            raise MovementError(N_("{target} exists; add --force to replace it",
                                   target=target)) from None
        os.replace(temporary, target)
        return
    temporary.unlink()
