"""`movement recognize`: the year-end step. Each unit of the year's confirmed selection is
judged against the model-unit criteria set that applies to its kind on 15 November; the
officials fill one sheet per unit, the answers come back by import, and finalising stores
each unit's outcome with its set's id and file hash, and the commendation proposal of each
recognised unit.

``write_sheets`` is also what `movement cron` calls in Q4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from movement_cli.core.calendar import selection_active_on
from movement_cli.core.model import ModelUnitSet, ModelUnitSets
from movement_cli.core.recognition import (
    Judged,
    RecognitionOutcome,
    evaluate,
    finalize_refusals,
    proposal_for,
    set_day,
)
from movement_cli.errors import MovementError
from movement_cli.i18n import N_, joined
from movement_cli.store import recognitions as store
from movement_cli.store import selections
from movement_cli.store.db import Database
from movement_cli.workflows.locality import check_scope, criteria_dirs, selected_rows

CRITERIA_DIR_HINT = N_("criteria_dir (movement config set criteria_dir FOLDER)")


@dataclass(frozen=True)
class SelectedUnit:
    code: str
    name: str
    kind: str
    criteria_set: ModelUnitSet | None


@dataclass
class Year:
    """A scope's confirmed selection for the year, with the set that judges each unit."""

    year: int
    scope: str | None
    dirs: list[Path]
    sets: ModelUnitSets
    units: list[SelectedUnit]

    @property
    def scope_key(self) -> str:
        return self.scope or selections.WHOLE_DATABASE


def not_confirmed(year: int, scope: str | None) -> MovementError:
    where = f" --scope {scope}" if scope else ""
    return MovementError(
        N_("no confirmed selection for {year}{where}: recognition works on the year's confirmed "
           "model units; confirm it with: movement select --year {year}{where} --confirm",
           year=year, where=where))


def _selected(db: Database, year: int, scope: str | None, sets: ModelUnitSets
              ) -> list[SelectedUnit]:
    stored = selections.load(db, year, scope)
    if stored is None or stored.status != "confirmed":
        raise not_confirmed(year, scope)
    day, judged_on = selection_active_on(year).isoformat(), set_day(year)
    units = []
    rows = selected_rows(db, stored.picks, day)
    for code in stored.picks:
        row = rows[code]
        units.append(SelectedUnit(code, row["name"], row["kind"],
                                  sets.for_kind(row["kind"], judged_on)))
    return units


def load_year(db: Database, year: int, scope: str | None) -> Year:
    """The scope's confirmed selection and sets; exit 1 (MovementError) before one exists."""
    from movement_cli.criteria import load_model_unit_sets

    scope = check_scope(db, scope, selection_active_on(year).isoformat())
    dirs = criteria_dirs(db, scope)
    sets = load_model_unit_sets(dirs)
    return Year(year, scope, dirs, sets, _selected(db, year, scope, sets))


# --- sheets -------------------------------------------------------------------------------


def sheet_path(out_dir: Path, year: int, code: str, name: str) -> Path:
    """``{year}-recognition-{code}-{slug}.xlsx`` inside ``out_dir``."""
    from movement_cli.documents.render import output_path

    return output_path(out_dir, year, "recognition", "xlsx", code, name)


def write_sheets(db: Database, year: int, scope: str | None = None,
                 out_dir: Path = Path("."), *, force: bool = False,
                 progress: Callable[[int, float | None], None] | None = None) -> list[Path]:
    """One sheet per selected unit in ``out_dir`` (created with its parents), with the
    answers already recorded; return the absolute paths. A unit whose kind no set covers
    stops the run before anything is written, and so does a sheet already there that holds
    answers the database does not (an official filled it and it was not imported yet),
    unless ``force``."""
    from movement_cli.ingest.recognition import SheetUnit, write_sheet

    state = load_year(db, year, scope)
    uncovered = [u.code for u in state.units if u.criteria_set is None]
    if uncovered:
        raise MovementError(
            N_("no model-unit criteria set applies to {value} on {value2}: add one for their "
               "kind under model-unit/ in {CRITERIA_DIR_HINT}", value=', '.join(uncovered),
               value2=set_day(year).isoformat(), CRITERIA_DIR_HINT=CRITERIA_DIR_HINT))
    answers = store.answers(db.conn, year, [u.code for u in state.units])
    out_dir = Path(out_dir).absolute()
    targets = [sheet_path(out_dir, year, u.code, u.name) for u in state.units]
    if not force:
        _refuse_unimported(targets, answers, year)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for done, unit in enumerate(state.units, start=1):
        found = unit.criteria_set
        path = targets[done - 1]
        write_sheet(path, SheetUnit(
            year, unit.code, unit.name, found.id, found.title,
            [(item.id, item.group, item.title) for item in found.items],
            answers.get(unit.code, {})))
        written.append(path)
        if progress is not None:
            progress(done, done / len(state.units))
    return written


def _refuse_unimported(targets: list[Path], answers: store.Answers, year: int) -> None:
    """Refuse to overwrite a sheet whose answers are not all in the database."""
    from movement_cli.errors import BadInput
    from movement_cli.ingest.recognition import read_answers

    kept = []
    for path in targets:
        if not path.exists():
            continue
        try:
            read = read_answers([path], criteria_of=lambda code: None, selected=lambda code: True,
                                closed=lambda code: None, check_criteria=False)
        except BadInput:
            kept.append(path)
            continue
        if read.problems or any(
                a.met is not None and answers.get(a.code, {}).get(a.criterion, (None,))[0]
                != a.met for a in read.answers):
            kept.append(path)
    if kept:
        raise MovementError(
            N_("these sheets hold answers the database does not have; import them first "
               "(movement recognize import FILE... --year {year}), or write over them with "
               "--force: {value}", year=year, value=', '.join(str(p) for p in kept)))


# --- report, finalise, reopen -------------------------------------------------------------


@dataclass
class Report:
    document: dict
    warnings: list[str] = field(default_factory=list)
    missing_answers: bool = False
    message: str | None = None


def _outcomes(db: Database, state: Year) -> dict[str, RecognitionOutcome | None]:
    recorded = store.answers(db.conn, state.year, [u.code for u in state.units])
    return {u.code: None if u.criteria_set is None else evaluate(
        u.criteria_set, {k: met for k, (met, _note) in recorded[u.code].items()})
        for u in state.units}


def _commendation(dirs: list[Path]):
    from movement_cli.criteria import load_commendation

    return load_commendation(dirs)


def _unit_entry(unit: SelectedUnit, outcome: RecognitionOutcome | None,
                stored: store.StoredOutcome | None, sets: ModelUnitSets, commendation
                ) -> dict:
    entry = {"code": unit.code, "name": unit.name, "kind": unit.kind}
    if stored is not None:
        current = sets.by_id(stored.criteria_set)
        form = stored.proposal_form
        entry.update(
            criteria_set=stored.criteria_set, criteria_sha256=stored.criteria_sha256,
            complete=bool(current and current.complete),
            met=stored.met, total=stored.total, failed=list(stored.failed), missing=[],
            recognized=stored.recognized,
            commendation={"form": form, "label": stored.proposal} if form else None,
            criteria_changed=current is None or current.sha256 != stored.criteria_sha256)
        return entry
    found = unit.criteria_set
    form = proposal_for(commendation, unit.kind, bool(outcome and outcome.recognized))
    entry.update(
        criteria_set=found.id if found else None,
        criteria_sha256=found.sha256 if found else None,
        complete=bool(found and found.complete),
        met=outcome.met if outcome else 0, total=outcome.total if outcome else 0,
        failed=list(outcome.failed) if outcome else [],
        missing=list(outcome.missing) if outcome else [],
        recognized=bool(outcome and outcome.recognized),
        commendation={"form": form.id, "label": form.label} if form else None,
        criteria_changed=False)
    return entry


def report(db: Database, year: int, scope: str | None = None) -> Report:
    """Each selected unit's standing: stored once finalised, else what the answers give."""
    state = load_year(db, year, scope)
    stored = store.outcomes(db.conn, year, state.scope_key)
    outcomes = _outcomes(db, state)
    commendation = _commendation(state.dirs)
    units = [_unit_entry(u, outcomes[u.code], stored.get(u.code), state.sets, commendation)
             for u in state.units]
    finalized = bool(stored)
    result = Report({"year": year, "scope": state.scope, "finalized": finalized,
                     "units": units})
    changed = sorted({u["criteria_set"] for u in units if u["criteria_changed"]})
    for ident in changed:
        result.warnings.append(
            N_("criteria set {ident} changed after {year} was finalised; the stored outcomes "
               "stand (to judge again: movement recognize --year {year} --reopen --reason TEXT)",
               ident=ident, year=year))
    result.missing_answers = not finalized and any(u["missing"] for u in units)
    return result


def finalize(db: Database, year: int, scope: str | None = None) -> Report:
    """Store each unit's outcome and proposal; refuse (MovementError, nothing stored) while
    answers are missing or a set in use is incomplete. Finalising a finalised year changes
    nothing and says so."""
    state = load_year(db, year, scope)
    with db.write():
        if store.outcomes(db.conn, year, state.scope_key):
            done = report(db, year, scope)
            done.message = N_("{year} is already finalised", year=year)
            return done
        outcomes = _outcomes(db, state)
        refusals = finalize_refusals(
            [Judged(u.code, u.kind, u.criteria_set, outcomes[u.code]) for u in state.units],
            CRITERIA_DIR_HINT)
        if refusals:
            raise MovementError(N_("cannot finalise {year}; nothing was stored: {refusals}",
                                   year=year, refusals=joined(refusals)))
        commendation = _commendation(state.dirs)
        rows = []
        for unit in state.units:
            outcome, found = outcomes[unit.code], unit.criteria_set
            form = proposal_for(commendation, unit.kind, outcome.recognized)
            rows.append(store.StoredOutcome(
                unit.code, found.id, found.sha256, outcome.met, outcome.total, outcome.failed,
                outcome.recognized, form.id if form else None, form.label if form else None,
                ""))
        store.store_outcomes(db, year, state.scope_key, rows)
    done = report(db, year, scope)
    recognized = sum(1 for u in done.document["units"] if u["recognized"])
    done.message = N_("{year} finalised: {recognized} of {count} unit(s) recognised", year=year,
                      recognized=recognized, count=len(rows))
    return done


def reopen(db: Database, year: int, scope: str | None, reason: str) -> Report:
    """Return a finalised year to answers-open, audited with ``reason``."""
    state = load_year(db, year, scope)
    with db.write():
        reopened = store.reopen(db, year, state.scope_key, reason)
    if not reopened:
        raise MovementError(N_("{year} is not finalised; there is nothing to reopen", year=year))
    done = report(db, year, scope)
    done.message = N_("{year} reopened: answers can change again ({reason})", year=year,
                      reason=reason)
    return done


def summary(db: Database, year: int, scope: str | None) -> dict | None:
    """The `status` view: None before the year's selection is confirmed."""
    stored = selections.load(db, year, scope)
    if stored is None or stored.status != "confirmed":
        return None
    document = report(db, year, scope).document
    units = document["units"]
    missing = sum(len(u["missing"]) for u in units)
    total = sum(u["total"] for u in units)
    recorded = total - missing if not document["finalized"] else total
    return {"finalized": document["finalized"],
            "answers": {"recorded": recorded, "missing": missing if not document["finalized"]
                        else 0},
            "recognized": [u["code"] for u in units if u["recognized"]]}
