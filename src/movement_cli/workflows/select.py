"""`movement select`: decide every unit's eligibility, rank, fill the quota groups, and store
the year's selection for the scope under the rules of proposed and confirmed selections."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from movement_cli.core.calendar import (
    assessment_active_on,
    in_selection_window,
    selection_active_on,
)
from movement_cli.core.eligibility import Decision, Judge, Result, UnitFacts
from movement_cli.core.kinds import SAFETY_MET
from movement_cli.core.labels import group_name
from movement_cli.core.lineage import streak_through_predecessors
from movement_cli.core.model import Policy
from movement_cli.core.selection import (
    INELIGIBLE,
    NO_GROUP,
    OUTSIDE_SCOPE,
    Candidate,
    SelectionOutcome,
    candidate,
    class_rank,
    ranking,
    select,
)
from movement_cli.errors import MovementError, UsageProblem
from movement_cli.i18n import N_, joined, message_of
from movement_cli.store import lineage as lineage_store
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


class Listing:
    """A list of the document (eligible or ineligible units) that is read from the staged
    decisions each time it is iterated, never held whole: a national selection lists a
    million units. ``len`` is its length."""

    def __init__(self, items: Callable[[], Iterator[dict]], count: int):
        self._items = items
        self._count = count

    def __iter__(self) -> Iterator[dict]:
        return self._items()

    def __len__(self) -> int:
        return self._count


@dataclass
class Computed:
    """What ``compute`` found: the outcome of the rules (its ``ranked`` and ``ineligible``
    hold only the units the picks or the proposal need) and the full lists, staged."""

    outcome: SelectionOutcome
    policy: Policy
    eligible: Listing
    ineligible: Listing

    def document(self, scope: str | None, status: str) -> dict:
        """The document ``select --json`` prints, its lists read as they are written."""
        document = self.outcome.as_json(scope, status)
        document["eligible"] = self.eligible
        document["ineligible"] = self.ineligible
        return document


def _basis(result: Result | None, basis_year: int) -> dict[int, Result]:
    """The results the rules decide on: the basis year's (the years before it count only
    through their run of met standards, which the store counts)."""
    return {} if result is None else {basis_year: result}


def _result(safety: str | None, klass: str | None, score: float | None) -> Result | None:
    if safety is None and klass is None and score is None:
        return None
    return Result(safety, klass, score)


class _History:
    """What the merge map says about the candidates: each unit's predecessors, and its run
    of years meeting the standard — its code's own, or, when the policy follows
    predecessors, through the units it was made from (``core.lineage``)."""

    def __init__(self, db: Database, policy: Policy, day: str, basis_year: int):
        self.day = day
        self.basis_year = basis_year
        self.links = lineage_store.links_into(db.conn, day)
        self.met: dict[str, set[int]] | None = None
        if policy.follow_predecessors and self.links:
            codes = set(self.links) | {old for pairs in self.links.values() for old, _ in pairs}
            self.met = lineage_store.met_years(db.conn, codes, basis_year, SAFETY_MET)

    def predecessors(self, code: str) -> tuple[str, ...]:
        pairs = self.links.get(code)
        return tuple(sorted({old for old, _ in pairs})) if pairs else ()

    def streak(self, code: str, own: int) -> int:
        """The unit's consecutive years for the ranking, ``own`` being its code's."""
        if self.met is None or code not in self.links:
            return own
        return streak_through_predecessors(code, self.basis_year, self.met, self.links,
                                           self.day, assessment_active_on)

    def listed(self, unit: dict) -> dict:
        """A unit of the document's lists, with its predecessors when it has any."""
        found = self.predecessors(unit["code"])
        if found:
            unit["predecessors"] = list(found)
        return unit


def compute(db: Database, request: SelectRequest, picks: list[str] | None) -> Computed:
    """The selection outcome for the request's year and scope (nothing stored).

    Every unit is decided by the rules (``core.eligibility.Judge``) as it is read, and staged
    with its decision; SQLite then orders the staged units by the policy's ranking (the
    facts of ``core.selection.ranking``), so that only the proposal's or the picks' units
    come back into Python before the document is written."""
    from movement_cli.criteria import load_policy

    year = request.year
    day = selection_active_on(year).isoformat()
    scope = request.scope
    policy = load_policy(criteria_dirs(db, scope))
    basis_year = policy.basis_year(year)
    groups = policy.groups_in(year)
    place = {group.name: i for i, group in enumerate(groups)}
    kinds = sorted({kind for group in groups for kind in group.kinds})
    judge = Judge(policy, year)
    history = _History(db, policy, day, basis_year)

    def decided() -> Iterator[tuple]:
        for code, name, kind, subtype, safety, klass, score, safe_years in store.candidates(
                db.conn, day, basis_year, kinds, scope):
            group, reasons = judge(kind, subtype, safety, klass)
            yield (code, name, kind, place[group], ",".join(reasons) or None, safety, klass,
                   score, history.streak(code, safe_years), class_rank(policy, klass))

    store.stage_decisions(db.conn, decided())
    order = ranking(policy)

    def candidate_of(row: tuple) -> Candidate:
        code, name, kind, grp, reasons, safety, klass, score, safe_years, _ = row
        decision = Decision(code, reasons is None, groups[grp].name,
                            tuple(reasons.split(",")) if reasons else (), safe_years)
        return Candidate(UnitFacts(code, name, kind), decision, _result(safety, klass, score))

    if picks is None:
        # The proposal: each group's best ranked, as many as its minimum.
        ranked = {group.name: tuple(map(candidate_of, store.ranked_decisions(
            db.conn, order, group=i, limit=group.min))) for i, group in enumerate(groups)
            if group.min}
        outcome = select((), policy, year, ranked=ranked)
    else:
        staged = [candidate_of(row) for row in store.ranked_decisions(db.conn, order, codes=picks)]
        ranked: dict[str, list[Candidate]] = {}
        for found in staged:  # eligible picks, in rank order within their group
            ranked.setdefault(found.decision.group, []).append(found)
        staged += map(candidate_of, store.ineligible_decisions(db.conn, codes=picks))
        seen = {found.unit.code for found in staged}
        outside: dict[str, Candidate] = {}
        for code in picks:
            if code in seen:
                continue
            row = unit_store.unit_on(db.conn, code, day)
            if row is None:
                continue  # reported as unknown by the rules; refined below
            unit = UnitFacts(row["code"], row["name"], row["kind"], row["subtype"])
            basis = result_store.result_of(db.conn, code, basis_year)
            found = candidate(unit, _basis(_result(basis["safety"], basis["class"],
                                                   basis["score"]) if basis else None,
                                           basis_year),
                              policy, year,
                              safe_years=history.streak(
                                  code, store.safe_years_of(db.conn, basis_year, code)))
            if scope is None or unit_store.is_under(db.conn, code, scope, day):
                staged.append(found)  # in scope, of a kind no group selects
            else:
                outside[code] = found
        outcome = select(staged, policy, year, picks, outside,
                         ranked={name: tuple(members) for name, members in ranked.items()})

    names = [group.name for group in groups]

    def eligible() -> Iterator[dict]:
        rank, current = 0, None
        for code, name, kind, grp, _, safety, klass, score, safe_years, _ in (
                store.ranked_decisions(db.conn, order)):
            if grp != current:
                rank, current = 0, grp
            rank += 1
            yield history.listed({
                "code": code, "name": name, "kind": kind, "group": names[grp],
                "safety": safety, "class": klass, "score": score, "rank": rank,
                "consecutive_safety_years": safe_years})

    def ineligible() -> Iterator[dict]:
        for code, name, kind, _, reasons, *_ in store.ineligible_decisions(db.conn):
            yield history.listed({"code": code, "name": name, "kind": kind,
                                  "reasons": reasons.split(",")})

    eligible_count, ineligible_count = store.decision_counts(db.conn)
    return Computed(outcome, policy, Listing(eligible, eligible_count),
                    Listing(ineligible, ineligible_count))


def _picks_of(outcome: SelectionOutcome, override: str | None) -> dict[str, tuple[str, str | None]]:
    waived = {problem.code for problem in outcome.problems}
    return {c.unit.code: (c.decision.group or "", override if c.unit.code in waived else None)
            for c in outcome.selected}


def _check_problems(db: Database, outcome: SelectionOutcome, request: SelectRequest) -> None:
    day = selection_active_on(request.year)
    messages = []
    waivable = False
    for problem in outcome.problems:
        if problem.kind not in WAIVABLE:
            if unit_store.unit_versions(db.conn, problem.code):
                messages.append(N_("{code}: not active on {value}", code=problem.code,
                                   value=day.isoformat()))
            else:
                alike = unit_store.codes_alike(db.conn, problem.code)
                if alike:
                    messages.append(N_("{code}: no unit with this code (did you mean {alike}?)",
                                       code=problem.code, alike=" or ".join(alike)))
                else:
                    messages.append(N_("{code}: no unit with this code", code=problem.code))
        elif not request.override:
            messages.append(problem.message)
            waivable = True
    if messages:
        # --override waives what the policy says (eligibility, scope, kind), not a unit that
        # does not exist on the day: only suggest it where it helps.
        hint = N_('; to select anyway, give the reason with --override "REASON"') if waivable \
            else ""
        raise MovementError(N_("cannot select: {problems}{hint}", problems=joined(messages),
                               hint=hint))


def run_select(db: Database, request: SelectRequest, today: date) -> SelectReport:
    """Compute, check and (unless a dry run) store; return what to print and exit with."""
    if request.decision:
        from movement_cli.documents.formatting import document_number

        try:
            request.decision = document_number(request.decision)
        except ValueError as exc:
            raise UsageProblem(N_("--decision: {exc}", exc=message_of(exc))) from None
    if request.replace and not request.reason:
        raise MovementError(N_("--replace needs --reason TEXT: say why the confirmed selection "
                               "changes"))
    request.scope = check_scope(db, request.scope,
                                selection_active_on(request.year).isoformat())
    picks = list(dict.fromkeys(request.picks)) or None
    existing = store.load(db, request.year, request.scope)
    if (picks is None and request.confirm and existing is not None
            and existing.status == "proposed"):
        picks = list(existing.picks)  # --confirm alone confirms the stored proposal
        waived = next((o for _, o in existing.picks.values() if o), None)
        request.override = request.override or waived
    computed = compute(db, request, picks)
    outcome, policy = computed.outcome, computed.policy
    _check_problems(db, outcome, request)
    new_picks = _picks_of(outcome, request.override)

    warnings = []
    if not in_selection_window(today, request.year, policy.window_months):
        warnings.append(N_("selection for {year} normally happens in Q1 of {year} (today is "
                           "{value})", year=request.year, value=today.isoformat()))
    for group in outcome.groups:
        if not group.met:
            warnings.append(N_("group {name}: {selected_count} selected, minimum {min}",
                               name=group_name(group.group.name, group.group.label),
                               selected_count=len(group.selected), min=group.group.min))

    status = "confirmed" if request.confirm else "proposed"
    decision = request.decision or (existing.decision if existing else None)
    if request.dry_run:
        status = "dry_run"
    elif existing is not None and existing.status == "confirmed" and not request.replace:
        if not existing.same_picks(new_picks) or (
                request.decision and existing.decision
                and request.decision != existing.decision):
            raise MovementError(
                N_("the {year} selection{value} is confirmed ({value2}); this run would change "
                   'it. To change a confirmed selection use --replace --reason "WHY"',
                   year=request.year, value=_scope_text(request.scope),
                   value2=', '.join(sorted(existing.picks))))
        status = "confirmed"
        new_picks = existing.picks
    document = computed.document(request.scope, status)
    if status != "dry_run":
        # The stored report names the groups and their units and counts the lists, which
        # the database can give again: a national report would be a hundred megabytes.
        report = {**{key: value for key, value in document.items()
                     if key not in ("eligible", "ineligible")},
                  "eligible_count": len(computed.eligible),
                  "ineligible_count": len(computed.ineligible)}
        selection = store.StoredSelection(
            request.year, request.scope, status, decision, outcome.policy_id,
            policy.sha256, new_picks, report)
        if existing is None or _differs(existing, selection):
            with db.write():
                store.save(db, selection, reason=request.reason if request.replace else None)
    document["decision"] = decision
    return SelectReport(document, warnings, outcome.unmet_groups)


def _differs(old: store.StoredSelection, new: store.StoredSelection) -> bool:
    return (old.status, old.decision, old.picks, old.policy_sha256) != (
        new.status, new.decision, new.picks, new.policy_sha256)


def _scope_text(scope: str | None) -> str:
    return N_(" for scope {scope}", scope=scope) if scope else ""
