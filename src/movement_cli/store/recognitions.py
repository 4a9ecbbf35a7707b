"""SQL for year-end recognition: the answers per criterion (``recognition_answers``, per
year and unit) and the finalised outcomes (``recognitions``, per year, scope and unit), with
their audit rows. A year is finalised for a scope when its outcomes are stored; reopening
removes them (the audit keeps them)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from movement_cli.store import audit
from movement_cli.store.audit import now_iso
from movement_cli.store.db import insert_rows

if TYPE_CHECKING:
    from movement_cli.store.db import Database

# code -> criterion -> (met, note)
Answers = dict[str, dict[str, tuple[bool, str | None]]]


def confirmed_scopes(conn: sqlite3.Connection, year: int) -> list[str | None]:
    """The scopes with a confirmed selection for ``year`` (None: the whole database)."""
    return [row[0] or None for row in conn.execute(
        "SELECT scope FROM selections WHERE year = ? AND status = 'confirmed' ORDER BY scope",
        (year,))]


def answers(conn: sqlite3.Connection, year: int, codes: Iterable[str]) -> Answers:
    """The recorded answers of ``codes`` for ``year``; a unit with none maps to {}."""
    found: Answers = {code: {} for code in codes}
    if not found:
        return found
    marks = ", ".join("?" * len(found))
    for row in conn.execute(
            "SELECT code, criterion, met, note FROM recognition_answers "
            f"WHERE year = ? AND met IS NOT NULL AND code IN ({marks})", (year, *found)):
        found[row["code"]][row["criterion"]] = (bool(row["met"]), row["note"])
    return found


class AnswerChange(NamedTuple):
    """One answer as an import gives it: ``met`` None keeps what is stored. (A tuple: an
    import makes tens of thousands.)"""

    code: str
    criterion: str
    met: bool | None
    note: str | None


# What an answer row was and becomes, as JSON objects written the way Database.audit writes
# them ({"met": true, "note": null}), built by SQLite for every changed answer at once.
_ANSWER_FIELDS = ("met", "note")


def _answer_json(met: str, note: str) -> str:
    built = audit.json_object(_ANSWER_FIELDS, lambda f: (
        f"json(CASE WHEN {met} THEN 'true' ELSE 'false' END)" if f == "met" else note))
    # Most answers have no note: their two possible texts are written out, not built again
    # for each of tens of thousands of rows.
    return (f"CASE WHEN {note} IS NOT NULL THEN {built} "
            f"WHEN {met} THEN '{audit.to_json({'met': True, 'note': None})}' "
            f"ELSE '{audit.to_json({'met': False, 'note': None})}' END")


def save_answers(db: Database, year: int, changes: Sequence[AnswerChange]
                 ) -> tuple[int, int, int]:
    """Store the answers (inside the caller's transaction), with an audit row for each unit
    whose answers they add or change; return (added, updated, unchanged). A change without
    ``met`` changes nothing.

    The answers are staged in a temporary table and compared, audited and stored by SQLite
    set-based: a thousand sheets hold tens of thousands of answers."""
    conn = db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS answer_rows (row INTEGER PRIMARY KEY, "
                 "code TEXT NOT NULL, criterion TEXT NOT NULL, met INTEGER, note TEXT)")
    conn.execute("DELETE FROM temp.answer_rows")
    insert_rows(conn, "INSERT INTO temp.answer_rows (code, criterion, met, note)",
                [(code, criterion, None if met is None else int(met), note or None)
                 for code, criterion, met, note in changes])
    year = int(year)
    # The rows that change, with what they were: counted, audited and stored from there.
    # When none of these units has an answer stored yet (the sheets' first import), that is
    # every answer given; otherwise they are found once by a join, the costly part.
    conn.execute("DROP TABLE IF EXISTS temp.answer_changes")
    stored = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM recognition_answers WHERE year = ? "
        "AND code IN (SELECT code FROM temp.answer_rows))", (year,)).fetchone()[0]
    if stored:
        conn.execute(
            "CREATE TEMP TABLE answer_changes AS SELECT s.row AS row, s.code AS code, "
            "s.criterion AS criterion, s.met AS met, s.note AS note, a.met AS old_met, "
            "a.note AS old_note FROM temp.answer_rows s LEFT JOIN recognition_answers a "
            f"ON a.year = {year} AND a.code = s.code AND a.criterion = s.criterion "
            "WHERE s.met IS NOT NULL AND (a.met IS NULL OR a.met IS NOT s.met "
            "OR a.note IS NOT s.note)")
        changed = "temp.answer_changes"
    else:
        changed = ("(SELECT row, code, criterion, met, note, NULL AS old_met, "
                   "NULL AS old_note FROM temp.answer_rows WHERE met IS NOT NULL)")
    added, updated = conn.execute(
        "SELECT COALESCE(SUM(old_met IS NULL), 0), COALESCE(SUM(old_met IS NOT NULL), 0) "
        f"FROM {changed}").fetchone()
    if added or updated:
        # One audit row per unit: its criteria that changed, each with what it was (those
        # that had an answer) and what it becomes. A thousand sheets are a thousand rows
        # to read back, not thirty-four thousand.
        audit.insert_select(
            conn, db.actor, db.command, "answers", "recognition_answers",
            key=f"'{year}/' || c.code",
            old=f"NULLIF(json_group_object(c.criterion, json("
                f"{_answer_json('c.old_met', 'c.old_note')})) "
                "FILTER (WHERE c.old_met IS NOT NULL), '{}')",
            new=f"json_group_object(c.criterion, json({_answer_json('c.met', 'c.note')}))",
            source=f"FROM (SELECT * FROM {changed} ORDER BY code, criterion) c "
                   "GROUP BY c.code ORDER BY min(c.row)")
        conn.execute(
            "INSERT INTO recognition_answers (year, code, criterion, met, note) "
            f"SELECT {year}, code, criterion, met, note FROM {changed} WHERE true "
            "ON CONFLICT (year, code, criterion) DO UPDATE SET met = excluded.met, "
            "note = excluded.note")
    conn.execute("DROP TABLE IF EXISTS temp.answer_changes")
    conn.execute("DELETE FROM temp.answer_rows")
    return added, updated, len(changes) - added - updated


@dataclass(frozen=True)
class StoredOutcome:
    """A unit's finalised recognition."""

    code: str
    criteria_set: str
    criteria_sha256: str | None
    met: int
    total: int
    failed: tuple[str, ...]
    recognized: bool
    proposal_form: str | None
    proposal: str | None  # the form's label
    finalized_at: str

    def as_audit(self) -> dict:
        return {"criteria_set": self.criteria_set, "criteria_sha256": self.criteria_sha256,
                "met": self.met, "total": self.total, "failed": list(self.failed),
                "recognized": self.recognized, "commendation": self.proposal_form}


def outcomes(conn: sqlite3.Connection, year: int, scope: str) -> dict[str, StoredOutcome]:
    """The finalised outcomes of (year, scope) by code; empty while not finalised."""
    return {row["code"]: StoredOutcome(
        row["code"], row["criteria_set"], row["criteria_sha256"], row["met"], row["total"],
        tuple(json.loads(row["failed"] or "[]")), bool(row["recognized"]),
        row["proposal_form"], row["proposal"], row["finalized_at"])
        for row in conn.execute(
            "SELECT * FROM recognitions WHERE year = ? AND scope = ? "
            "AND finalized_at IS NOT NULL ORDER BY code", (year, scope))}


def finalized_codes(conn: sqlite3.Connection, year: int) -> dict[str, str]:
    """Units whose recognition for ``year`` is finalised, in any scope: code -> scope."""
    return {row[0]: row[1] for row in conn.execute(
        "SELECT code, scope FROM recognitions WHERE year = ? AND finalized_at IS NOT NULL",
        (year,))}


def store_outcomes(db: Database, year: int, scope: str, stored: Sequence[StoredOutcome]
                   ) -> None:
    """Finalise (year, scope) with these outcomes, inside the caller's transaction."""
    at = now_iso()
    db.conn.execute("DELETE FROM recognitions WHERE year = ? AND scope = ?", (year, scope))
    db.conn.executemany(
        "INSERT INTO recognitions (year, scope, code, criteria_set, criteria_sha256, met, "
        "total, failed, recognized, proposal_form, proposal, finalized_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(year, scope, o.code, o.criteria_set, o.criteria_sha256, o.met, o.total,
          json.dumps(list(o.failed)), int(o.recognized), o.proposal_form, o.proposal, at)
         for o in stored])
    db.audit_many("finalize", "recognition",
                  [(f"{year}/{scope or '*'}/{o.code}", None, o.as_audit()) for o in stored])


def reopen(db: Database, year: int, scope: str, reason: str) -> list[str]:
    """Return (year, scope) to answers-open, inside the caller's transaction; the outcomes
    removed are in the audit with the reason. Returns the codes reopened."""
    before = outcomes(db.conn, year, scope)
    db.conn.execute("DELETE FROM recognitions WHERE year = ? AND scope = ?", (year, scope))
    db.audit_many("reopen", "recognition",
                  [(f"{year}/{scope or '*'}/{code}", o.as_audit(), {"reopened": reason})
                   for code, o in before.items()])
    return list(before)
