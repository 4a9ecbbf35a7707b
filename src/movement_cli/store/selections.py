"""SQL for the yearly selections (per year and scope) and the data `select` decides on."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from movement_cli.store.active import SCOPE_TREE, active_on
from movement_cli.store.audit import now_iso

if TYPE_CHECKING:
    from movement_cli.store.db import Database

WHOLE_DATABASE = ""  # the scope key of a selection made over the whole database


@dataclass(frozen=True)
class StoredSelection:
    year: int
    scope: str | None
    status: str
    decision: str | None
    policy_id: str | None
    policy_sha256: str | None
    picks: dict[str, tuple[str, str | None]]  # code -> (group, override reason)
    report: dict | None

    def same_picks(self, picks: dict[str, tuple[str, str | None]]) -> bool:
        return set(self.picks) == set(picks)


def candidates(conn: sqlite3.Connection, day: str, basis_year: int, kinds: list[str],
               scope: str | None) -> Iterator[sqlite3.Row]:
    """Every unit of ``kinds`` active on ``day`` (under ``scope``), with its basis-year result.

    One pass over the units; results joined by primary key.
    """
    marks = ", ".join(f":k{i}" for i in range(len(kinds)))
    params = {"basis": basis_year, "day": day, "scope": scope,
              **{f"k{i}": kind for i, kind in enumerate(kinds)}}
    sql = (
        "SELECT v.code, v.name, v.kind, v.subtype, r.safety, r.class, r.score "
        "FROM unit_versions v LEFT JOIN results r ON r.code = v.code AND r.year = :basis "
        f"WHERE {active_on(':day', 'v')} AND v.kind IN ({marks})"
    )
    if scope is not None:
        sql = (f"WITH RECURSIVE {SCOPE_TREE} {sql}"
               " AND v.code IN (SELECT code FROM tree) AND v.code <> :scope")
    return conn.execute(sql, params)


def consecutive_safety_years(conn: sqlite3.Connection, basis_year: int) -> dict[str, int]:
    """For each unit, how many years in a row just before ``basis_year`` met the standard.

    Numbered newest first, the years of an unbroken run satisfy year + n = basis_year.
    """
    return dict(conn.execute(
        "SELECT code, SUM(year + n = :basis) FROM ("
        " SELECT code, year, ROW_NUMBER() OVER (PARTITION BY code ORDER BY year DESC) AS n"
        " FROM results WHERE year < :basis AND safety = 'dat') "
        "GROUP BY code HAVING SUM(year + n = :basis) > 0",
        {"basis": basis_year},
    ))


def load(db: Database, year: int, scope: str | None) -> StoredSelection | None:
    row = db.conn.execute("SELECT * FROM selections WHERE year = ? AND scope = ?",
                          (year, scope or WHOLE_DATABASE)).fetchone()
    if row is None:
        return None
    picks = {
        r["code"]: (r["group_name"], r["override_reason"]) for r in db.conn.execute(
            "SELECT code, group_name, override_reason FROM selection_units "
            "WHERE year = ? AND scope = ? ORDER BY code", (year, scope or WHOLE_DATABASE))
    }
    return StoredSelection(year, scope, row["status"], row["decision"], row["policy_id"],
                           row["policy_sha256"], picks,
                           json.loads(row["report"]) if row["report"] else None)


def save(db: Database, selection: StoredSelection, *, reason: str | None = None) -> None:
    """Replace the stored selection for (year, scope), inside the caller's transaction."""
    scope_key = selection.scope or WHOLE_DATABASE
    old = load(db, selection.year, selection.scope)
    now = now_iso()
    confirmed_at = now if selection.status == "confirmed" else None
    if old is not None and old.status == "confirmed" and selection.status == "confirmed" \
            and old.same_picks(selection.picks):
        confirmed_at = db.conn.execute(
            "SELECT confirmed_at FROM selections WHERE year = ? AND scope = ?",
            (selection.year, scope_key)).fetchone()[0]
    db.conn.execute(
        "INSERT INTO selections (year, scope, status, policy_id, policy_sha256, decision, "
        "report, created_at, updated_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (year, scope) DO UPDATE SET status = excluded.status, "
        "policy_id = excluded.policy_id, policy_sha256 = excluded.policy_sha256, "
        "decision = excluded.decision, report = excluded.report, "
        "updated_at = excluded.updated_at, confirmed_at = excluded.confirmed_at",
        (selection.year, scope_key, selection.status, selection.policy_id,
         selection.policy_sha256, selection.decision,
         json.dumps(selection.report, ensure_ascii=False) if selection.report else None,
         now, now, confirmed_at),
    )
    db.conn.execute("DELETE FROM selection_units WHERE year = ? AND scope = ?",
                    (selection.year, scope_key))
    db.conn.executemany(
        "INSERT INTO selection_units (year, scope, code, group_name, override_reason) "
        "VALUES (?, ?, ?, ?, ?)",
        [(selection.year, scope_key, code, group, override)
         for code, (group, override) in sorted(selection.picks.items())],
    )

    def summary(s: StoredSelection | None):
        if s is None:
            return None
        return {"status": s.status, "decision": s.decision, "policy": s.policy_id,
                "selected": {code: {"group": g, "override": o} for code, (g, o)
                             in sorted(s.picks.items())}}

    new = summary(selection)
    if reason:
        new["reason"] = reason
    db.audit("selection", "selection", f"{selection.year}/{scope_key or '*'}",
             summary(old), new)
