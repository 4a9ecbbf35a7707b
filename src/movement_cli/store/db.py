"""Opening the database: where it is, migrations, the write lock and transactions.

Every write runs inside ``Database.write()``: it takes the per-database lock file (so two
``movement`` processes never race for SQLite's own lock and see "database is locked"),
starts ``BEGIN IMMEDIATE`` and commits only when the block ends without an exception.
A run that fails, is interrupted or killed leaves the database as it was.

Nothing here prints: a command that wants to say it is waiting for the lock passes
``on_wait``.
"""

from __future__ import annotations

import getpass
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from movement_cli.errors import LockTimeout, MovementError, seconds
from movement_cli.i18n import N_, message_of, system_words
from movement_cli.store import audit
from movement_cli.store.audit import now_iso
from movement_cli.store.migrations import APPLICATION_ID, migrate_if_needed

DEFAULT_WAIT = 60.0
_SQLITE_MAGIC = b"SQLite format 3\x00"


def resolve_path(option: str | None) -> Path:
    """``--db``, else ``MOVEMENT_DB``, else ``movement.db`` in the working directory."""
    chosen = option or os.environ.get("MOVEMENT_DB") or "movement.db"
    return Path(chosen).expanduser().absolute()


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers: the audit still needs one
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def insert_rows(conn: sqlite3.Connection, insert: str, rows: Sequence[tuple],
                per_statement: int = 200) -> None:
    """``{insert} VALUES (…), (…), …`` of ``rows`` (``insert``: "INSERT INTO table
    (columns)"), ``per_statement`` rows to a statement: the values are bound as
    ``executemany`` binds them, but SQLite runs one statement per 200 rows instead of one
    per row, which stages tens of thousands of rows in about 40% less time."""
    if not rows:
        return
    width = len(rows[0])
    # SQLite before 3.32 takes at most 999 values in one statement.
    per_statement = max(1, min(per_statement, 999 // width))
    one = "(" + ",".join("?" * width) + ")"
    whole = len(rows) - len(rows) % per_statement
    statement = f"{insert} VALUES " + ",".join([one] * per_statement)
    for start in range(0, whole, per_statement):
        conn.execute(statement, [value for row in rows[start:start + per_statement]
                                 for value in row])
    if whole < len(rows):
        conn.execute(f"{insert} VALUES " + ",".join([one] * (len(rows) - whole)),
                     [value for row in rows[whole:] for value in row])


@contextmanager
def bulk_load(conn: sqlite3.Connection, *, cache_mib: int | None = 32) -> Iterator[None]:
    """Settings for loading a million rows: a page cache of ``cache_mib`` for index inserts
    (None: leave SQLite's small default, which suits rows that go in near key order and keeps
    more of the CPU cache for the Python side), and Python's cycle collector paused (it would
    rescan every row tuple again and again)."""
    import gc

    size = conn.execute("PRAGMA cache_size").fetchone()[0]
    if cache_mib is not None:
        conn.execute(f"PRAGMA cache_size = {-1024 * int(cache_mib)}")
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        conn.execute(f"PRAGMA cache_size = {int(size)}")


def _holder_note(**values: object) -> str:
    """The note beside the lock saying who holds it: written in English (any process may
    read it), shown in the reader's language (``_HOLDER_NOTE`` reads it back)."""
    return N_("pid {pid}, {actor}, movement {command}, since {at}", **values)


_HOLDER_NOTE = re.compile(r"pid (?P<pid>\d+), (?P<actor>.*), movement (?P<command>.*), "
                          r"since (?P<at>\S+)")


def _not_movement(path: Path, why: str) -> str:
    return N_("{path} is not a movement database ({why}); it was left untouched. Check --db "
              "and MOVEMENT_DB, or give a new path to `movement init`", path=path, why=why)


def _refuse_unless_movement_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a path that cannot be a movement database: a
    folder, an empty file, a file that is not SQLite, another application's SQLite file."""
    if path.is_dir():
        raise MovementError(N_("{path} is a folder, not a database file; give a file with --db",
                               path=path))
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise MovementError(N_("cannot read {path}: {strerror}", path=path,
                               strerror=system_words(exc))) from None
    if not header:
        raise MovementError(_not_movement(path, N_("an empty file")))
    if not header.startswith(_SQLITE_MAGIC):
        raise MovementError(_not_movement(path, N_("not an SQLite file")))
    application = int.from_bytes(header[68:72], "big") if len(header) >= 72 else 0
    if application not in (0, APPLICATION_ID):
        raise MovementError(_not_movement(path, N_("SQLite application id {id:#x}",
                                                   id=application)))


def _has_movement_schema(conn: sqlite3.Connection) -> bool:
    """True for a database this tool made: stamped with its application id, or (made by a
    release before migration 2, which wrote no id) holding its first migration's tables."""
    if conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        return True
    names = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name IN ('schema_migrations', 'unit_versions', 'audit')")}
    if len(names) < 3:
        return False
    try:
        first = conn.execute("SELECT name FROM schema_migrations WHERE id = 1").fetchone()
    except sqlite3.OperationalError:
        return True  # ours, with a damaged migrations table: opening it says so
    return first is not None and first[0] == "initial schema"


class Database:
    """A movement database file with its lock, migrations and audit context."""

    def __init__(self, path: Path, *, actor: str, command: str, wait: float = DEFAULT_WAIT,
                 on_wait: Callable[[str], None] | None = None):
        """``on_wait(message)`` is called when the write lock is held by another process,
        before waiting up to ``wait`` seconds for it."""
        self.path = path
        self.actor = actor
        self.command = command
        self.wait = wait
        self._on_wait = on_wait
        self._conn: sqlite3.Connection | None = None
        self._lock = None
        self._lock_depth = 0

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, **kwargs) -> tuple[Database, bool]:
        """Create (mode 0600) or open the database at ``path``; True when it was created.

        An existing file that is not a movement database is refused and left untouched."""
        created = not os.path.lexists(path)
        if created:
            if not path.parent.is_dir():
                raise MovementError(N_("cannot create {path}: folder {parent} does not exist",
                                       path=path, parent=path.parent))
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        else:
            _refuse_unless_movement_file(path)
        db = cls(path, **kwargs)
        db.connect(new=created)
        return db, created

    @classmethod
    def open(cls, path: Path, **kwargs) -> Database:
        """Open an existing database; a missing file is an error, never a new database, and
        a file that is not a movement database is refused and left untouched."""
        if not os.path.lexists(path):
            raise MovementError(
                N_("no movement database at {path}: run `movement init` to create it (or check "
                   "--db and MOVEMENT_DB)", path=path)
            )
        _refuse_unless_movement_file(path)
        db = cls(path, **kwargs)
        db.connect()
        return db

    def connect(self, *, new: bool = False) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None,
                                   timeout=max(self.wait, 1.0), check_same_thread=False)
        except sqlite3.Error as exc:
            raise MovementError(N_("cannot open {path}: {exc}", path=self.path,
                                   exc=message_of(exc))) from None
        conn.row_factory = sqlite3.Row
        try:
            if not new and not _has_movement_schema(conn):
                raise MovementError(_not_movement(self.path, N_("it holds another "
                                                     "application's tables")))
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                with self.lock():
                    conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise MovementError(_not_movement(self.path, message_of(exc))) from None
        except MovementError:
            conn.close()
            raise
        self._conn = conn
        try:
            self.migrations_applied = migrate_if_needed(conn, self.lock)
        except BaseException:
            self.close()
            raise

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None, "database is not open"
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- locking and transactions ------------------------------------------------------------

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def holder_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock.holder")

    def _holder(self) -> str:
        """Who holds the lock, from the note beside it, in the run's language."""
        try:
            note = self.holder_path.read_text(encoding="utf-8").strip()
        except OSError:
            note = ""
        if not note:
            return N_("unknown process")
        match = _HOLDER_NOTE.fullmatch(note)
        return _holder_note(**match.groupdict()) if match else note

    @contextmanager
    def lock(self) -> Iterator[None]:
        """The database's write lock, re-entrant within this process."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        from filelock import FileLock, Timeout

        # 0600 like the database: the lock and holder files name who works on it.
        lock = FileLock(str(self.lock_path), mode=0o600)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if self._on_wait is not None:
                self._on_wait(N_("waiting up to {wait} for the write lock on {path}, held by "
                                 "{holder}", wait=seconds(self.wait), path=self.path,
                                 holder=self._holder()))
            started = time.monotonic()
            try:
                lock.acquire(timeout=self.wait)
            except Timeout:
                raise LockTimeout(str(self.path), self._holder(),
                                  time.monotonic() - started) from None
        try:
            fd = os.open(self.holder_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as holder:
                holder.write(_holder_note(pid=os.getpid(), actor=self.actor,
                                          command=self.command, at=now_iso()))
        except OSError:
            pass  # the holder note is a courtesy to whoever waits; the lock is what matters
        self._lock_depth = 1
        try:
            yield
        finally:
            self._lock_depth = 0
            try:
                self.holder_path.unlink()
            except OSError:
                pass
            lock.release()

    @contextmanager
    def write(self, *, commit: bool = True) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write transaction under the write lock.

        ``commit=False`` (a dry run) does all the work and rolls it back.
        """
        with self.lock():
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT" if commit else "ROLLBACK")

    # -- audit -----------------------------------------------------------------------------------

    def audit(self, action: str, entity: str, key: str, old=None, new=None) -> None:
        """Record a change; call inside ``write()`` so it commits or rolls back with it."""
        self.audit_many(action, entity, [(key, old, new)])

    def audit_many(self, action: str, entity: str, rows) -> None:
        """Audit rows ``(key, old, new)`` in one statement (imports change many versions).

        Values are compact JSON with sorted keys, the text SQLite's json_object writes for
        the audit rows a results import adds set-based (see ``store.audit``)."""
        audit.write(self.conn, self.actor, self.command, action, entity, rows)
