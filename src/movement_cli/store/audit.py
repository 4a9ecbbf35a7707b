"""The audit log's rows: the one place that knows their columns and how values are written.

Every change is recorded as (at, actor, command, action, entity, entity_key, old, new), the
values as compact JSON with sorted keys. Rows come from Python (``write``) or, for imports
that change millions of results, from one INSERT ... SELECT whose JSON SQLite builds
(``insert_select``, ``json_object``): both give the same text for the same values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

_COLUMNS = "(at, actor, command, action, entity, entity_key, old, new)"


def now_iso() -> str:
    """The time the store writes on its rows: UTC, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def to_json(value) -> str | None:
    return None if value is None else json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write(conn: sqlite3.Connection, actor: str, command: str, action: str, entity: str,
          rows: Iterable[tuple]) -> None:
    """Audit rows ``(key, old, new)`` in one statement; inside the caller's transaction."""
    at = now_iso()
    conn.executemany(
        f"INSERT INTO audit {_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ((at, actor, command, action, entity, key, to_json(old), to_json(new))
         for key, old, new in rows),
    )


def json_object(fields: Sequence[str], value_of) -> str:
    """The SQL expression of a JSON object of ``fields`` as ``to_json`` writes it (keys
    sorted), ``value_of(field)`` giving each value's SQL expression."""
    return "json_object(" + ", ".join(f"'{f}', {value_of(f)}" for f in sorted(fields)) + ")"


def insert_select(conn: sqlite3.Connection, actor: str, command: str, action: str,
                  entity: str, key: str, old: str, new: str, source: str) -> None:
    """Audit rows made by SQL: ``key``, ``old`` and ``new`` are SQL expressions over
    ``source`` (the rest of a SELECT: FROM ... WHERE ... ORDER BY ...)."""
    conn.execute(
        f"INSERT INTO audit {_COLUMNS} SELECT ?, ?, ?, ?, ?, {key}, {old}, {new} {source}",
        (now_iso(), actor, command, action, entity),
    )
