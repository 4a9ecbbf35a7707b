"""SQL for the yearly selections (per year and scope) and the data `select` decides on."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from movement_cli.i18n import N_
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


# For each unit, how many years in a row just before :basis met the standard: numbered newest
# first, the years of an unbroken run satisfy year + n = :basis.
_SAFE_YEARS = (
    "SELECT code, SUM(year + n = :basis) AS safe_years FROM ("
    " SELECT code, year, ROW_NUMBER() OVER (PARTITION BY code ORDER BY year DESC) AS n"
    " FROM results WHERE year < :basis AND safety = 'dat') "
    "GROUP BY code HAVING SUM(year + n = :basis) > 0"
)

CANDIDATE_FIELDS = ("code", "name", "kind", "subtype", "safety", "class", "score",
                    "safe_years")


def candidates(conn: sqlite3.Connection, day: str, basis_year: int, kinds: list[str],
               scope: str | None) -> Iterator[tuple]:
    """Every unit of ``kinds`` active on ``day`` (under ``scope``) as ``CANDIDATE_FIELDS``
    tuples: its basis-year result and its years in a row of met standard before it.

    One pass over the units; results joined by primary key; read as they come."""
    marks = ", ".join(f":k{i}" for i in range(len(kinds)))
    params = {"basis": basis_year, "day": day, "scope": scope,
              **{f"k{i}": kind for i, kind in enumerate(kinds)}}
    sql = (
        "SELECT v.code, v.name, v.kind, v.subtype, r.safety, r.class, r.score, "
        "COALESCE(s.safe_years, 0) "
        "FROM unit_versions v LEFT JOIN results r ON r.code = v.code AND r.year = :basis "
        "LEFT JOIN safe s ON s.code = v.code "
        f"WHERE {active_on(':day', 'v')} AND v.kind IN ({marks})"
    )
    if scope is not None:
        sql += " AND v.code IN (SELECT code FROM tree) AND v.code <> :scope"
        sql = f"WITH RECURSIVE {SCOPE_TREE}, safe AS ({_SAFE_YEARS}) {sql}"
    else:
        sql = f"WITH safe AS ({_SAFE_YEARS}) {sql}"
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a national selection reads a million
    return cursor.execute(sql, params)


def consecutive_safety_years(conn: sqlite3.Connection, basis_year: int) -> dict[str, int]:
    """For each unit, how many years in a row just before ``basis_year`` met the standard
    (units with none left out)."""
    return dict(conn.execute(_SAFE_YEARS, {"basis": basis_year}).fetchall())


def safe_years_of(conn: sqlite3.Connection, basis_year: int, code: str) -> int:
    """``consecutive_safety_years`` of one unit."""
    row = conn.execute(f"SELECT safe_years FROM ({_SAFE_YEARS}) WHERE code = :code",
                       {"basis": basis_year, "code": code}).fetchone()
    return row[0] if row else 0


# The units a selection decided on, staged for the run: a national selection is ordered and
# listed by SQLite, never held in Python. ``reasons`` is null for an eligible unit, else its
# reason codes joined by commas; ``grp`` is the quota group's place in the policy.
DECIDED_FIELDS = ("code", "name", "kind", "grp", "reasons", "safety", "class", "score",
                  "safe_years", "class_rank")


def stage_decisions(conn: sqlite3.Connection, rows: Iterable[Sequence]) -> None:
    """Stage ``DECIDED_FIELDS`` rows in ``temp.select_decided`` (replacing an earlier run's),
    as one transaction of the temporary database, or a savepoint inside the caller's."""
    conn.execute("DROP TABLE IF EXISTS temp.select_decided")
    conn.execute(f"CREATE TEMP TABLE select_decided ({', '.join(DECIDED_FIELDS)})")
    conn.execute("SAVEPOINT stage_decisions")
    try:
        conn.executemany(f"INSERT INTO temp.select_decided VALUES "
                         f"({', '.join('?' * len(DECIDED_FIELDS))})", rows)
    except BaseException:
        conn.execute("ROLLBACK TO stage_decisions")
        conn.execute("RELEASE stage_decisions")
        raise
    conn.execute("RELEASE stage_decisions")


def _rank_order(ranking: Sequence[tuple[str, bool]]) -> str:
    """ORDER BY terms for (fact, more first) pairs: more first puts a missing value last."""
    terms = []
    for fact, more_first in ranking:
        if fact not in DECIDED_FIELDS:
            raise ValueError(N_("no staged fact '{fact}' to rank by", fact=fact))
        terms.append(f"{fact} IS NULL, {fact} DESC" if more_first else fact)
    return ", ".join(terms)


def _tuples(conn: sqlite3.Connection, sql: str, params: Sequence = ()) -> Iterator[tuple]:
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params)


def ranked_decisions(conn: sqlite3.Connection, ranking: Sequence[tuple[str, bool]], *,
                     group: int | None = None, codes: Sequence[str] | None = None,
                     limit: int | None = None) -> Iterator[tuple]:
    """The staged eligible units (``DECIDED_FIELDS``) by group, best ranked first; only
    ``group``'s, only ``codes``, at most ``limit`` when given."""
    where, params = ["reasons IS NULL"], []
    if group is not None:
        where.append("grp = ?")
        params.append(group)
    if codes is not None:
        where.append(f"code IN ({', '.join('?' * len(codes))})")
        params.extend(codes)
    sql = (f"SELECT {', '.join(DECIDED_FIELDS)} FROM temp.select_decided "
           f"WHERE {' AND '.join(where)} ORDER BY grp, {_rank_order(ranking)}")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _tuples(conn, sql, params)


def ineligible_decisions(conn: sqlite3.Connection, codes: Sequence[str] | None = None
                         ) -> Iterator[tuple]:
    """The staged units that are not eligible (``DECIDED_FIELDS``), by group then code;
    only ``codes`` when given."""
    where, params = "reasons IS NOT NULL", []
    if codes is not None:
        where += f" AND code IN ({', '.join('?' * len(codes))})"
        params = list(codes)
    return _tuples(conn, f"SELECT {', '.join(DECIDED_FIELDS)} FROM temp.select_decided "
                         f"WHERE {where} ORDER BY grp, code", params)


def decision_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(eligible, not eligible) among the staged units."""
    eligible, ineligible = conn.execute(
        "SELECT COUNT(*) - COUNT(reasons), COUNT(reasons) FROM temp.select_decided").fetchone()
    return eligible, ineligible


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
