"""`movement cron`: the quarter's steps, run unattended at the start of each quarter.

For every scope with scoped configuration (else the whole database) it runs the steps of the
quarter the day falls in (``core.cron``): Q1 ``select`` and ``plan``, Q2/Q3 ``progress``,
Q4 ``sheets`` and ``results-due``.

Each (year, quarter, scope, step) runs once. A step runs under the database's write lock,
from the look at its record to its mark, so two cron runs (or cron and an official's
`select`) never both do it. Its work commits in its own transactions and the mark is
committed after them: a step that fails or is killed is not marked done, and running it
again is safe because every step first looks at what is stored (a stored selection is kept;
a document rendered before and not edited since is rendered again; one an official edited is
kept, even with ``force``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from movement_cli.core import cron as rules
from movement_cli.core.calendar import assessment_active_on
from movement_cli.core.kinds import SCOPE_KINDS
from movement_cli.core.labels import SELECTION_STATUS_NAMES
from movement_cli.errors import BadInput, LockTimeout, MovementError
from movement_cli.i18n import N_, joined, message_of, system_words
from movement_cli.store import config as config_store
from movement_cli.store import cron as cron_store
from movement_cli.store import recognitions as recognition_store
from movement_cli.store import selections, status
from movement_cli.store.audit import now_iso
from movement_cli.store.db import Database

DEFAULT_DOCUMENTS_DIR = "documents"  # beside the database
NO_UNITS = N_("no units")


def _status(code: str) -> str:
    """A selection's status inside a message: the code in the log, its name on a screen."""
    return SELECTION_STATUS_NAMES.get(code, code)


@dataclass(frozen=True)
class StepResult:
    year: int
    quarter: int
    scope: str | None
    step: str
    outcome: str
    message: str

    def as_json(self) -> dict:
        return {"scope": self.scope, "step": self.step, "outcome": self.outcome,
                "message": self.message}


@dataclass
class CronReport:
    day: date
    quarter: int
    steps: list[StepResult] = field(default_factory=list)
    lock_timeout: bool = False

    @property
    def exit_code(self) -> int:
        return rules.exit_code((s.outcome for s in self.steps), lock_timeout=self.lock_timeout)

    def as_json(self) -> dict:
        return {"date": self.day.isoformat(), "quarter": self.quarter,
                "steps": [step.as_json() for step in self.steps]}


class _NotDone(Exception):
    """A step that could not do its work yet (a person must act first): reported as needing
    attention and not marked, so the next run tries again."""


@dataclass(frozen=True)
class _Outcome:
    outcome: str
    message: str


def scopes(db: Database) -> list[str | None]:
    """Every scope with scoped configuration, else the whole database (None)."""
    return list(config_store.configured_scopes(db)) or [None]


def documents_dir(db: Database, scope: str | None) -> Path:
    """Where cron writes documents and sheets for ``scope``: the scope's own
    ``documents_dir``; else the global one (or ``documents`` beside the database) with a
    folder per scope, so that two scopes' plans never share a file."""
    own = config_store.scoped_value(db, scope, "documents_dir") if scope else None
    if own:
        return _beside_database(db, own)
    base = config_store.get_all(db, None).get("documents_dir") or DEFAULT_DOCUMENTS_DIR
    folder = _beside_database(db, base)
    return folder / scope if scope else folder


def _beside_database(db: Database, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else db.path.parent / path


def run_cron(db: Database, day: date, *, force: bool = False,
             on_step: Callable[[StepResult], None] | None = None) -> CronReport:
    """Run the quarter's steps for every scope; ``on_step`` hears of each as it ends (to log
    it at once: a run killed later still leaves the lines of the steps it finished)."""
    number, steps = rules.steps_on(day)
    report = CronReport(day, number)
    for scope in scopes(db):
        for step in steps:
            try:
                result = _run_step(db, day, number, scope, step, force)
            except LockTimeout as exc:
                report.lock_timeout = True
                result = StepResult(day.year, number, scope, step, rules.FAILED, message_of(exc))
            report.steps.append(result)
            if on_step is not None:
                on_step(result)
            if report.lock_timeout:
                return report
    return report


def _run_step(db: Database, day: date, number: int, scope: str | None, step: str,
              force: bool) -> StepResult:
    year = day.year

    def result(outcome: str, message: str) -> StepResult:
        return StepResult(year, number, scope, step, outcome, message)

    with db.lock():  # from the look at the record to the mark: no other writer in between
        record = cron_store.step_done(db.conn, year, number, scope, step)
        if record is not None and not force:
            return result(rules.ALREADY_DONE,
                          N_("already done {ran_at} ({outcome}): {message}",
                             ran_at=record['ran_at'], outcome=record['outcome'],
                             message=record['message']))
        try:
            outcome = STEPS[step](db, day, scope)
        except _NotDone as exc:
            return result(rules.NEEDS_ATTENTION, message_of(exc))
        except BadInput as exc:  # a criteria file with errors: name them, not their count
            return result(rules.FAILED, joined([p.as_message() for p in exc.problems[:5]]))
        except MovementError as exc:
            return result(rules.FAILED, message_of(exc))
        except OSError as exc:  # documents_dir not writable, a full disk: say so in the log
            where = f"{exc.filename}: " if exc.filename else ""
            return result(rules.FAILED, N_("{where}{value}", where=where,
                                           value=system_words(exc)))
        with db.write():
            cron_store.mark_done(db.conn, year, number, scope, step, outcome.outcome,
                                 outcome.message)
    return result(outcome.outcome, outcome.message)


# --- the steps ------------------------------------------------------------------------------


def _select(db: Database, day: date, scope: str | None) -> _Outcome:
    """Propose the year's selection unless one is stored: cron never replaces picks or a
    confirmed selection."""
    from movement_cli.workflows.select import SelectRequest, run_select

    stored = selections.load(db, day.year, scope)
    if stored is not None:
        return _Outcome(rules.DONE, N_("kept the stored {status} selection: {value}",
                                       status=_status(stored.status),
                                       value=', '.join(sorted(stored.picks)) or NO_UNITS))
    report = run_select(db, SelectRequest(year=day.year, scope=scope), day)
    groups = report.document["groups"]
    unmet = [N_("group {name}: {selected} of {min}", name=g["name"], selected=len(g["selected"]),
                min=g["min"]) for g in groups if not g["met"]]
    chosen = [u["code"] for g in groups for u in g["selected"]]
    if unmet:
        return _Outcome(rules.NEEDS_ATTENTION, joined(unmet))
    return _Outcome(rules.DONE, N_("proposed: {value}", value=', '.join(chosen) or NO_UNITS))


def _plan(db: Database, day: date, scope: str | None) -> _Outcome:
    """The draft city plan (docx) in the documents folder; a plan an official edited is
    kept."""
    from movement_cli.workflows.render import DocumentsEdited, RenderRequest, render_plan

    if selections.load(db, day.year, scope) is None:
        raise _NotDone(N_("no selection for {year}: the plan names the selected units; run "
                          "movement select --year {year}", year=day.year))
    request = RenderRequest(year=day.year, scope=scope, doc="city-plan", fmt="docx",
                            out_dir=documents_dir(db, scope), force=False)
    layout: list[str] = []  # a locality's template that breaks Nghị định 30, by rule
    try:
        files = render_plan(db, request, warn=layout.append)
    except DocumentsEdited as exc:
        return _Outcome(rules.NEEDS_ATTENTION,
                        N_("kept {value}: edited since movement wrote it",
                           value=', '.join(str(p) for p in exc.files)))
    return _Outcome(rules.DONE, joined([N_("wrote {files}",
                                           files=", ".join(str(p) for p in files)), *layout]))


def _progress(db: Database, day: date, scope: str | None) -> _Outcome:
    """Where the selected units stand: plans rendered, recognition answers recorded."""
    stored = selections.load(db, day.year, scope)
    if stored is None:
        return _Outcome(rules.NEEDS_ATTENTION, N_("no selection for {year}: run movement select "
                                                  "--year {year}", year=day.year))
    codes = sorted(stored.picks)
    documents = status.documents(db.conn, day.year, scope or selections.WHOLE_DATABASE)
    city_plan = any(d["doc"] == "city-plan" for d in documents)
    unit_plans = {d["file"] for d in documents if d["doc"] == "unit-plan"}
    answered = sum(1 for answers in
                   recognition_store.answers(db.conn, day.year, codes).values() if answers)
    values = {"status": _status(stored.status), "count": len(codes), "codes": ", ".join(codes),
              "plans": len(unit_plans), "answered": answered}
    message = (N_("{status} selection of {count} unit(s) ({codes}); city plan rendered; unit "
                  "plans {plans} of {count}; recognition answers for {answered} of {count}",
                  **values) if city_plan else
               N_("{status} selection of {count} unit(s) ({codes}); city plan not rendered; "
                  "unit plans {plans} of {count}; recognition answers for {answered} of "
                  "{count}", **values))
    if stored.status != "confirmed" or not city_plan:
        return _Outcome(rules.NEEDS_ATTENTION, message)
    return _Outcome(rules.DONE, message)


def _sheets(db: Database, day: date, scope: str | None) -> _Outcome:
    """The recognition sheets of the selected units in the documents folder; sheets an
    official filled in since they were written are kept (none is written then)."""
    from movement_cli.workflows import recognize
    from movement_cli.workflows.render import edited_documents

    try:
        state = recognize.load_year(db, day.year, scope)
    except MovementError as exc:  # no confirmed selection yet
        raise _NotDone(message_of(exc)) from None
    folder = documents_dir(db, scope)
    paths = [recognize.sheet_path(folder, day.year, u.code, u.name) for u in state.units]
    edited = edited_documents(db, paths)
    if edited:
        return _Outcome(rules.NEEDS_ATTENTION, N_("kept {value}: filled in since movement wrote "
                                                  "it; no sheet written",
                                                  value=', '.join(str(p) for p in edited)))
    files = recognize.write_sheets(db, day.year, scope, folder)
    at = now_iso()
    with db.write():
        for path, unit in zip(files, state.units, strict=True):
            status.record_document(db.conn, day.year, scope or selections.WHOLE_DATABASE,
                                   "recognition-sheet", unit.code, str(path), at,
                                   hashlib.sha256(path.read_bytes()).hexdigest())
    return _Outcome(rules.DONE, N_("wrote {files_count} sheet(s) in {folder}",
                                   files_count=len(files), folder=folder))


def _results_due(db: Database, day: date, scope: str | None) -> _Outcome:
    """The units still lacking the year's result, by the deadlines of the classification
    criteria file."""
    from movement_cli.criteria import load_classification
    from movement_cli.workflows.locality import criteria_dirs

    classification = load_classification(criteria_dirs(db, scope))
    missing = status.units_missing_results(
        db.conn, assessment_active_on(day.year).isoformat(), day.year, list(SCOPE_KINDS),
        scope)
    due = rules.results_due(missing, day.year, classification)
    message = rules.results_due_message(day.year, due, day)
    return _Outcome(rules.NEEDS_ATTENTION if due else rules.DONE, message)


STEPS: dict[str, Callable[[Database, date, str | None], _Outcome]] = {
    "select": _select,
    "plan": _plan,
    "progress": _progress,
    "sheets": _sheets,
    "results-due": _results_due,
}
