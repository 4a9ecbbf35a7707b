"""`movement units merge-map`: record a reorganisation in one transaction — the links from
old units to new ones, the old units that end, and the units under an old unit that move to
its successor — or write nothing and report every bad row."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from movement_cli.core.lineage import move_children, plan_merge
from movement_cli.errors import BadInput, InputProblem
from movement_cli.i18n import N_
from movement_cli.ingest.merge_map import read_merge_map
from movement_cli.ingest.roster import sha256_of
from movement_cli.store import units as unit_store
from movement_cli.store.db import Database, bulk_load
from movement_cli.store.lineage import CodeProblem, MergeStaging


@dataclass
class MergeReport:
    file: str
    links: int = 0
    closed: int = 0
    reparented: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"links": self.links, "closed": self.closed, "reparented": self.reparented,
                "unchanged": self.unchanged, "file": self.file}


def run_merge_map(db: Database, path: Path, *, on: date, sheet: str | None = None,
                  dry_run: bool = False) -> MergeReport:
    """Apply the map at ``path`` for units that start on ``on``; raise BadInput with every
    bad row. Re-running the same file changes nothing."""
    shown = str(path)
    report = MergeReport(file=str(path.absolute()))
    day = on.isoformat()
    read = read_merge_map(path, sheet=sheet)
    if read.unknown_columns:
        report.warnings.append(N_("{shown}: ignoring column(s) the tool does not use: {value}",
                                  shown=shown, value=', '.join(read.unknown_columns)))
    # A page cache large enough that the units the checks look up stay cached for the
    # closing and the moves that look them up again (measured: a tenth less time).
    with db.write(commit=not dry_run) as conn, bulk_load(conn):
        staging = MergeStaging(db, day)
        # The plan first (pure, and cheap), so that each staged row carries what it does.
        plan = plan_merge(map(operator.itemgetter(1, 2), read.rows))
        staging.load(read.rows, plan)
        problems = read.problems + [_code_problem(shown, p) for p in staging.code_problems()]
        if problems:
            raise BadInput(sorted(problems, key=lambda p: p.row))
        if not staging.any_new_unit_starts_on_date():
            # Codes are reused, so a map given the wrong date can pass every row check (a
            # 2025 code named a 2024 unit too) and end the old units on the wrong day.
            report.warnings.append(
                N_("{shown}: no unit of the map starts on {day}; check that {day} is the first "
                   "day of the new units (their roster is imported --as-of that day) — try "
                   "--dry-run first", shown=shown, day=day))
        report.links, report.unchanged = staging.record_links()
        report.closed = staging.close()
        children = staging.children()
        moves = move_children(children, plan)
        report.reparented = staging.reparent(moves.moves)
        for child, parent, successors in moves.stay:
            unit = unit_store.unit_on(db.conn, child, day)
            report.warnings.append(
                N_("{child} ({name}) stays under {parent}, which was split into {value} on "
                   "{day}: give its new parent_code in a roster (movement units import FILE "
                   "--as-of {day})", child=child, name=unit['name'], parent=parent,
                   value=', '.join(successors), day=day))
        staging.drop()
        db.audit("merge_map", "units", report.file, None, {
            "file": report.file, "sha256": sha256_of(path), "date": day,
            **{key: value for key, value in report.as_json().items() if key != "file"}})
    return report


def _code_problem(shown: str, problem: CodeProblem) -> InputProblem:
    new = problem.column == "new_code"
    if not problem.known:
        message = (N_("no unit with code '{code}'; import the new roster --as-of {day} first",
                      code=problem.code, day=problem.day) if new else
                   N_("no unit with code '{code}'", code=problem.code))
    else:
        first = problem.first_day or N_("the start of the record")
        last = problem.last_day or N_("the present")
        message = (N_("unit {code} is not active on {day} (the map's date): its versions run "
                      "from {first} to {last}; import the new roster --as-of {day} first",
                      code=problem.code, day=problem.day, first=first, last=last) if new else
                   N_("unit {code} is not active on {day} (the day before the map's date): "
                      "its versions run from {first} to {last}", code=problem.code,
                      day=problem.day, first=first, last=last))
    return InputProblem(shown, problem.row, problem.column, message)
