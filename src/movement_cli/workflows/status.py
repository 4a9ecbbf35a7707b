"""`movement status`: where a year stands, for a person or a script. It never fails on what
it finds: unfilled groups and missing results are shown, not signalled."""

from __future__ import annotations

from datetime import date

from movement_cli.core.calendar import (
    RECOGNITION_DUE,
    YearState,
    next_step,
    selection_active_on,
)
from movement_cli.store import results, selections, status
from movement_cli.store.db import Database
from movement_cli.workflows import recognize
from movement_cli.workflows.locality import check_scope, criteria_dirs


def year_status(db: Database, year: int, scope: str | None, today: date) -> dict:
    from movement_cli.criteria import load_classification, load_policy

    day = selection_active_on(year).isoformat()
    scope = check_scope(db, scope, day)
    scope_key = scope or selections.WHOLE_DATABASE
    dirs = criteria_dirs(db, scope)
    policy = load_policy(dirs)
    recognition_due = load_classification(dirs).recognition_deadline or RECOGNITION_DUE
    basis_year = policy.basis_year(year)
    kinds = sorted({k for group in policy.groups_in(year) for k in group.kinds})
    recorded, missing = status.results_coverage(db.conn, day, basis_year, kinds, scope,
                                                policy.excluded_subtypes)
    stored = selections.load(db, year, scope)
    selection = None if stored is None else {
        "status": stored.status, "decision": stored.decision, "selected": sorted(stored.picks)}
    documents = status.documents(db.conn, year, scope_key)
    recognitions = recognize.summary(db, year, scope)
    year_missing: list[str] = []
    if stored is not None:
        have = results.codes_with_safety(db.conn, year, stored.picks)
        year_missing = sorted(code for code in stored.picks if code not in have)
    state = YearState(
        year=year, basis_results_recorded=recorded,
        selection=stored.status if stored else None,
        plan_rendered=any(d["doc"] == "city-plan" for d in documents),
        year_results_missing=len(year_missing),
        recognition_finalized=bool(recognitions and recognitions["finalized"]),
    )
    return {
        "year": year,
        "scope": scope,
        "units": status.units_by_kind(db.conn, day, scope),
        # ``selected_missing``: the selected units still without the year's own ANTT result
        # (shown beside whatever step comes next, recognition included).
        "results": {"basis_year": basis_year, "recorded": recorded, "missing": missing,
                    "selected_missing": year_missing},
        "selection": selection,
        "documents": documents,
        "recognitions": recognitions,
        "next": next_step(today, state, policy.window_months, recognition_due).as_json(),
    }
