"""Selection (lựa chọn đơn vị điển hình): rank the eligible units of each quota group,
propose each group's minimum, or take the officials' picks and say what is wrong with them.

The caller gathers, for every unit in scope active on 1 January of the year, its facts and
its results, and hands them over as ``Candidate``s; everything here is pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from movement_cli.core.eligibility import NO_GROUP, Decision, Result, UnitFacts, decide
from movement_cli.core.model import Policy, QuotaGroup
from movement_cli.i18n import N_

UNKNOWN = "unknown"
OUTSIDE_SCOPE = "outside_scope"
INELIGIBLE = "ineligible"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A unit with its eligibility decision and its basis-year result (None when absent)."""

    unit: UnitFacts
    decision: Decision
    result: Result | None


def candidate(
    unit: UnitFacts, results: Mapping[int, Result], policy: Policy, year: int,
    *, safe_years: int | None = None,
) -> Candidate:
    """Decide for ``unit`` and keep what ranking and the JSON need (``safe_years``: see
    ``eligibility.decide``)."""
    return Candidate(
        unit, decide(unit, results, policy, year, safe_years=safe_years),
        results.get(policy.basis_year(year)),
    )


# How each ranking key of a policy orders units, as data: the fact it compares and whether
# more of it ranks first. ``class_rank`` is the class's place in the policy's class order,
# best first, a unit with no class last; a missing score ranks below any score. A caller
# that sorts in SQL orders by these facts; ``rank_key`` is the same order in Python.
RANK_FACTS = {
    "class": ("class_rank", False),
    "score": ("score", True),
    "consecutive_safety_years": ("safe_years", True),
    "code": ("code", False),
}


def ranking(policy: Policy) -> tuple[tuple[str, bool], ...]:
    """The policy's ranking as (fact, more ranks first) pairs, ``code`` always last."""
    keys = list(policy.ranking)
    if "code" not in keys:
        keys.append("code")
    unknown = [name for name in keys if name not in RANK_FACTS]
    if unknown:
        raise ValueError(N_("unknown ranking key '{value}'", value=unknown[0]))
    return tuple(RANK_FACTS[name] for name in keys)


def class_rank(policy: Policy, klass: str | None) -> int:
    """The ``class_rank`` fact: a class's place in the policy's order, no class last."""
    return policy.class_rank.get(klass, len(policy.class_order))


def rank_key(policy: Policy) -> Callable[[Candidate], tuple]:
    """The sort key of the policy's ranking: better first, ``code`` always last."""

    def fact(name: str) -> Callable[[Candidate], object]:
        if name == "class_rank":
            return lambda c: class_rank(policy, c.result.klass if c.result else None)
        if name == "score":
            return lambda c: c.result.score if c.result else None
        if name == "safe_years":
            return lambda c: c.decision.consecutive_safety_years
        return lambda c: c.unit.code

    def part(name: str, more_first: bool) -> Callable[[Candidate], object]:
        get = fact(name)
        if not more_first:
            return get
        # More first, and a missing value after every value.
        return lambda c: (0, -value) if (value := get(c)) is not None else (1, 0)

    parts = [part(name, more_first) for name, more_first in ranking(policy)]
    return lambda c: tuple(p(c) for p in parts)


def rank(candidates: Iterable[Candidate], policy: Policy) -> dict[str, tuple[Candidate, ...]]:
    """The eligible candidates of each group, best first (rank 1 is position 0)."""
    by_group: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.decision.eligible:
            by_group.setdefault(c.decision.group, []).append(c)
    key = rank_key(policy)
    return {group: tuple(sorted(members, key=key)) for group, members in by_group.items()}


def propose(
    groups: Sequence[QuotaGroup], ranked: Mapping[str, Sequence[Candidate]]
) -> dict[str, tuple[Candidate, ...]]:
    """Each group's ``min`` best-ranked units (none for a group with min 0)."""
    return {group.name: tuple(ranked.get(group.name, ())[: group.min]) for group in groups}


@dataclass(frozen=True, slots=True)
class PickProblem:
    """Why a picked unit should not be selected. ``kind`` is ``unknown`` (not a unit the
    caller knows: never selectable), ``outside_scope``, ``ineligible`` or ``no_group``; the
    caller treats the last three as errors unless the officials override them."""

    code: str
    kind: str
    reasons: tuple[str, ...]
    message: str


@dataclass(frozen=True, slots=True)
class PickOutcome:
    """The picks placed in their groups (eligible ones in rank order, then the others in the
    order picked), the picks no group takes, and the problems found."""

    selected: dict[str, tuple[Candidate, ...]]
    outside_groups: tuple[Candidate, ...]
    problems: tuple[PickProblem, ...]


def apply_picks(
    picks: Sequence[str],
    candidates: Mapping[str, Candidate],
    groups: Sequence[QuotaGroup],
    ranked: Mapping[str, Sequence[Candidate]],
    outside_scope: Mapping[str, Candidate] | None = None,
) -> PickOutcome:
    """Select exactly the picked codes. ``candidates`` are the units in scope, by code;
    ``outside_scope`` may hold picked units the caller found elsewhere, so that an override
    can still select them."""
    outside_scope = outside_scope or {}
    position = {c.unit.code: i for members in ranked.values() for i, c in enumerate(members)}
    names = {group.name for group in groups}
    placed: dict[str, list[Candidate]] = {group.name: [] for group in groups}
    outside_groups: list[Candidate] = []
    problems: list[PickProblem] = []
    for code in dict.fromkeys(picks):
        c = candidates.get(code)
        if c is None:
            c = outside_scope.get(code)
            if c is None:
                problems.append(PickProblem(code, UNKNOWN, (), N_("{code}: no such unit",
                                                                  code=code)))
                continue
            problems.append(
                PickProblem(code, OUTSIDE_SCOPE, (), N_("{code} ({name}) is outside the scope",
                                                        code=code, name=c.unit.name))
            )
        decision = c.decision
        if decision.group is None or decision.group not in names:
            problems.append(
                PickProblem(
                    code,
                    NO_GROUP,
                    decision.reasons,
                    N_("{code} ({name}) is of kind {kind}, which no quota group selects this "
                       "year", code=code, name=c.unit.name, kind=c.unit.kind),
                )
            )
            outside_groups.append(c)
            continue
        if not decision.eligible:
            problems.append(
                PickProblem(
                    code,
                    INELIGIBLE,
                    decision.reasons,
                    N_("{code} ({name}) is not eligible: {value}", code=code, name=c.unit.name,
                       value=', '.join(decision.reasons)),
                )
            )
        placed[decision.group].append(c)
    unranked = len(position)
    selected = {
        name: tuple(sorted(members, key=lambda c: position.get(c.unit.code, unranked)))
        for name, members in placed.items()
    }
    return PickOutcome(selected, tuple(outside_groups), tuple(problems))


@dataclass(frozen=True, slots=True)
class GroupOutcome:
    """A quota group and the units selected in it; ``met`` when at least ``min`` are."""

    group: QuotaGroup
    selected: tuple[Candidate, ...]

    @property
    def met(self) -> bool:
        return len(self.selected) >= self.group.min


@dataclass(frozen=True)
class SelectionOutcome:
    """Everything ``select`` reports, before it is stored or printed."""

    year: int
    basis_year: int
    policy_id: str
    groups: tuple[GroupOutcome, ...]
    ranked: dict[str, tuple[Candidate, ...]]
    ineligible: tuple[Candidate, ...]
    outside_groups: tuple[Candidate, ...] = ()
    problems: tuple[PickProblem, ...] = ()

    @property
    def unmet_groups(self) -> tuple[str, ...]:
        return tuple(g.group.name for g in self.groups if not g.met)

    @property
    def selected(self) -> tuple[Candidate, ...]:
        return tuple(c for g in self.groups for c in g.selected) + self.outside_groups

    def as_json(self, scope: str | None, status: str) -> dict:
        """The document ``select --json`` prints (product.md)."""
        doc = {
            "year": self.year,
            "basis_year": self.basis_year,
            "scope": scope,
            "policy": self.policy_id,
            "status": status,
            "groups": [
                {
                    "name": g.group.name,
                    "label": g.group.label,
                    "kinds": list(g.group.kinds),
                    "min": g.group.min,
                    "met": g.met,
                    "selected": [_brief(c) for c in g.selected],
                }
                for g in self.groups
            ],
            "eligible": [
                {
                    **_brief(c),
                    "group": group.group.name,
                    "safety": c.result.safety,
                    "class": c.result.klass,
                    "score": c.result.score,
                    "rank": position,
                    "consecutive_safety_years": c.decision.consecutive_safety_years,
                }
                for group in self.groups
                for position, c in enumerate(self.ranked.get(group.group.name, ()), 1)
            ],
            "ineligible": [
                {**_brief(c), "reasons": list(c.decision.reasons)}
                for c in self.ineligible
            ],
        }
        if self.outside_groups:
            doc["selected_outside_groups"] = [_brief(c) for c in self.outside_groups]
        return doc


def _brief(c: Candidate) -> dict:
    return {"code": c.unit.code, "name": c.unit.name, "kind": c.unit.kind}


def select(
    candidates: Iterable[Candidate],
    policy: Policy,
    year: int,
    picks: Sequence[str] | None = None,
    outside_scope: Mapping[str, Candidate] | None = None,
    *,
    ranked: Mapping[str, Sequence[Candidate]] | None = None,
) -> SelectionOutcome:
    """Rank, then propose each group's minimum — or, with ``picks``, select exactly those
    and report their problems. ``ineligible`` holds the units of kinds some group selects
    that are not eligible, by group then code.

    ``ranked``, when given, is the eligible candidates of each group already in the order of
    ``rank``, in place of ranking ``candidates``: a national selection ranks in the database
    and passes only the best of each group (a proposal) or the picked ones, which is all the
    choice depends on."""
    candidates = list(candidates)
    groups = policy.groups_in(year)
    ranked = rank(candidates, policy) if ranked is None else dict(ranked)
    order = {group.name: i for i, group in enumerate(groups)}
    ineligible = sorted(
        (c for c in candidates if not c.decision.eligible and c.decision.group in order),
        key=lambda c: (order[c.decision.group], c.unit.code),
    )
    if picks is None:
        chosen, outside_groups, problems = propose(groups, ranked), (), ()
    else:
        outcome = apply_picks(
            picks, {c.unit.code: c for c in candidates}, groups, ranked, outside_scope
        )
        chosen, outside_groups, problems = (
            outcome.selected,
            outcome.outside_groups,
            outcome.problems,
        )
    return SelectionOutcome(
        year=year,
        basis_year=policy.basis_year(year),
        policy_id=policy.id,
        groups=tuple(GroupOutcome(group, chosen.get(group.name, ())) for group in groups),
        ranked=ranked,
        ineligible=tuple(ineligible),
        outside_groups=tuple(outside_groups),
        problems=tuple(problems),
    )
