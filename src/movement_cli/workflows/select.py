"""`movement select`: decide every unit's eligibility, rank, fill the quota groups, and store
the year's selection for the scope under the rules of proposed and confirmed selections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from movement_cli.core.calendar import in_selection_window, selection_active_on
from movement_cli.core.eligibility import Result, UnitFacts
from movement_cli.core.model import Policy
from movement_cli.core.selection import (
    INELIGIBLE,
    NO_GROUP,
    OUTSIDE_SCOPE,
    Candidate,
    SelectionOutcome,
    candidate,
    select,
)
from movement_cli.errors import MovementError
from movement_cli.store import results as result_store
from movement_cli.store import selections as store
from movement_cli.store import units as unit_store
from movement_cli.store.db import Database
from movement_cli.workflows.locality import check_scope, criteria_dirs

# Problems an --override may waive; an unknown or inactive unit can never be selected.
WAIVABLE = {INELIGIBLE, NO_GROUP, OUTSIDE_SCOPE}


@dataclass
class SelectRequest:
    year: int
    scope: str | None = None
    picks: list[str] = field(default_factory=list)
    override: str | None = None
    dry_run: bool = False
    confirm: bool = False
    decision: str | None = None
    replace: bool = False
    reason: str | None = None


@dataclass
class SelectReport:
    document: dict
    warnings: list[str]
    unmet_groups: tuple[str, ...]


def _basis(result: Result | None, basis_year: int) -> dict[int, Result]:
    """The results the rules decide on: the basis year's (the years before it count only
    through their run of met standards, which the store counts)."""
    return {} if result is None else {basis_year: result}


def _row_result(row) -> Result | None:
    if row["safety"] is None and row["class"] is None and row["score"] is None:
        return None
    return Result(row["safety"], row["class"], row["score"])


def compute(db: Database, request: SelectRequest, picks: list[str] | None
            ) -> tuple[SelectionOutcome, Policy]:
    """The selection outcome for the request's year and scope (nothing stored)."""
    from movement_cli.criteria import load_policy

    day = selection_active_on(request.year).isoformat()
    scope = request.scope
    policy = load_policy(criteria_dirs(db, scope))
    basis_year = policy.basis_year(request.year)
    kinds = sorted({kind for group in policy.groups_in(request.year) for kind in group.kinds})
    streaks = store.consecutive_safety_years(db.conn, basis_year)
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for row in store.candidates(db.conn, day, basis_year, kinds, scope):
        unit = UnitFacts(row["code"], row["name"], row["kind"], row["subtype"])
        candidates.append(candidate(unit, _basis(_row_result(row), basis_year), policy,
                                    request.year, safe_years=streaks.get(row["code"], 0)))
        seen.add(row["code"])
    outside: dict[str, Candidate] = {}
    for code in picks or ():
        if code in seen:
            continue
        row = unit_store.unit_on(db.conn, code, day)
        if row is None:
            continue  # reported as unknown by the rules; refined below
        unit = UnitFacts(row["code"], row["name"], row["kind"], row["subtype"])
        basis = result_store.result_of(db.conn, code, basis_year)
        found = candidate(unit, _basis(_row_result(basis) if basis else None, basis_year),
                          policy, request.year, safe_years=streaks.get(code, 0))
        if scope is None or unit_store.is_under(db.conn, code, scope, day):
            candidates.append(found)  # in scope, of a kind no group selects
        else:
            outside[code] = found
    return select(candidates, policy, request.year, picks, outside), policy


def _picks_of(outcome: SelectionOutcome, override: str | None) -> dict[str, tuple[str, str | None]]:
    waived = {problem.code for problem in outcome.problems}
    return {c.unit.code: (c.decision.group or "", override if c.unit.code in waived else None)
            for c in outcome.selected}


def _check_problems(db: Database, outcome: SelectionOutcome, request: SelectRequest) -> None:
    day = selection_active_on(request.year)
    messages = []
    for problem in outcome.problems:
        if problem.kind not in WAIVABLE:
            if unit_store.unit_versions(db.conn, problem.code):
                messages.append(f"{problem.code}: not active on {day.isoformat()}")
            else:
                messages.append(f"{problem.code}: no unit with this code")
        elif not request.override:
            messages.append(problem.message)
    if messages:
        hint = "" if request.override else (
            "; to select anyway, give the reason with --override \"REASON\"")
        raise MovementError("cannot select: " + "; ".join(messages) + hint)


def run_select(db: Database, request: SelectRequest, today: date) -> SelectReport:
    """Compute, check and (unless a dry run) store; return what to print and exit with."""
    if request.replace and not request.reason:
        raise MovementError("--replace needs --reason TEXT: say why the confirmed "
                            "selection changes")
    request.scope = check_scope(db, request.scope,
                                selection_active_on(request.year).isoformat())
    picks = list(dict.fromkeys(request.picks)) or None
    existing = store.load(db, request.year, request.scope)
    if (picks is None and request.confirm and existing is not None
            and existing.status == "proposed"):
        picks = list(existing.picks)  # --confirm alone confirms the stored proposal
        waived = next((o for _, o in existing.picks.values() if o), None)
        request.override = request.override or waived
    outcome, policy = compute(db, request, picks)
    _check_problems(db, outcome, request)
    new_picks = _picks_of(outcome, request.override)

    warnings = []
    if not in_selection_window(today, request.year, policy.window_months):
        warnings.append(f"selection for {request.year} normally happens in Q1 of {request.year} "
                        f"(today is {today.isoformat()})")
    for group in outcome.groups:
        if not group.met:
            warnings.append(f"group {group.group.name}: {len(group.selected)} selected, "
                            f"minimum {group.group.min}")

    status = "confirmed" if request.confirm else "proposed"
    decision = request.decision or (existing.decision if existing else None)
    if request.dry_run:
        status = "dry_run"
    elif existing is not None and existing.status == "confirmed" and not request.replace:
        if not existing.same_picks(new_picks) or (
                request.decision and existing.decision
                and request.decision != existing.decision):
            raise MovementError(
                f"the {request.year} selection{_scope_text(request.scope)} is confirmed "
                f"({', '.join(sorted(existing.picks))}); this run would change it. "
                "To change a confirmed selection use --replace --reason \"WHY\"")
        status = "confirmed"
        new_picks = existing.picks
    document = outcome.as_json(request.scope, status)
    if status != "dry_run":
        selection = store.StoredSelection(
            request.year, request.scope, status, decision, outcome.policy_id,
            policy.sha256, new_picks, document)
        if existing is None or _differs(existing, selection):
            with db.write():
                store.save(db, selection, reason=request.reason if request.replace else None)
    document["decision"] = decision
    return SelectReport(document, warnings, outcome.unmet_groups)


def _differs(old: store.StoredSelection, new: store.StoredSelection) -> bool:
    return (old.status, old.decision, old.picks, old.policy_sha256) != (
        new.status, new.decision, new.picks, new.policy_sha256)


def _scope_text(scope: str | None) -> str:
    return f" for scope {scope}" if scope else ""
