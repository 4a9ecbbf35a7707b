"""Eligibility (đủ điều kiện lựa chọn): may this unit be chosen as a model unit in year Y?

A pure function of the unit, its yearly results and the selection policy; the reasons a
unit is not eligible are codes that ``select --json`` prints as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from movement_cli.core.kinds import SAFETY_MET
from movement_cli.core.model import Policy, QuotaGroup

EXCLUDED_SUBTYPE = "excluded_subtype"
NO_RESULT = "no_result"
SAFETY_NOT_MET = "safety_not_met"
CLASS_BELOW_MINIMUM = "class_below_minimum"
# Not in select's JSON (which lists only units of kinds some group selects), but a pick of
# such a unit needs a reason too.
NO_GROUP = "no_group"
REASONS = (EXCLUDED_SUBTYPE, NO_RESULT, SAFETY_NOT_MET, CLASS_BELOW_MINIMUM, NO_GROUP)


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What the rules need to know about a unit, as it stood on 1 January of the year."""

    code: str
    name: str
    kind: str
    subtype: str | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """One year's results: ANTT standard (``dat``/``chua_dat``), movement class, score."""

    safety: str | None = None
    klass: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """``reasons`` is empty exactly when ``eligible``; ``group`` is the quota group the
    unit's kind belongs to that year, eligible or not."""

    code: str
    eligible: bool
    group: str | None
    reasons: tuple[str, ...]
    consecutive_safety_years: int


def group_for(kind: str, policy: Policy, year: int) -> QuotaGroup | None:
    """The quota group that selects ``kind`` in ``year`` (valid on 1 January of the year)."""
    return policy.group_of(kind, year)


def consecutive_safety_years(results: Mapping[int, Result], before: int) -> int:
    """How many years in a row, ending the year before ``before``, met the ANTT standard.

    The rule's definition. Over a whole database the store counts it in one query
    (``store.selections.consecutive_safety_years``, which tests/test_select.py checks
    against this function) and hands the count to ``decide``."""
    count = 0
    year = before - 1
    while (result := results.get(year)) is not None and result.safety == SAFETY_MET:
        count += 1
        year -= 1
    return count


class Judge:
    """The eligibility rule of one policy and year, applied to a unit's facts.

    ``decide`` is the rule for one unit; a national selection asks it a million times, of
    facts that take only a few hundred distinct values (kind, subtype, the basis year's
    standard and class), so the answers are kept by those facts."""

    def __init__(self, policy: Policy, year: int):
        self.policy = policy
        self.year = year
        self._known: dict[tuple, tuple[str | None, tuple[str, ...]]] = {}

    def __call__(self, kind: str, subtype: str | None, safety: str | None, klass: str | None
                 ) -> tuple[str | None, tuple[str, ...]]:
        """(the unit's quota group or None, every reason it may not be selected, in the
        order of ``REASONS``: none when it may)."""
        facts = (kind, subtype, safety, klass)
        found = self._known.get(facts)
        if found is None:
            found = self._known[facts] = self._judge(*facts)
        return found

    def _judge(self, kind: str, subtype: str | None, safety: str | None, klass: str | None
               ) -> tuple[str | None, tuple[str, ...]]:
        policy = self.policy
        group = policy.group_of(kind, self.year)
        reasons: list[str] = []
        if subtype is not None and subtype in policy.excluded_subtypes:
            reasons.append(EXCLUDED_SUBTYPE)
        if safety is None or klass is None:
            reasons.append(NO_RESULT)
        else:
            if safety != policy.required_safety:
                reasons.append(SAFETY_NOT_MET)
            rank = policy.class_rank
            if rank.get(klass, len(rank)) > rank[policy.minimum_class]:
                reasons.append(CLASS_BELOW_MINIMUM)
        if group is None:
            reasons.append(NO_GROUP)
        return (group.name if group is not None else None), tuple(reasons)


def decide(unit: UnitFacts, results: Mapping[int, Result], policy: Policy, year: int,
           *, safe_years: int | None = None) -> Decision:
    """Whether ``unit`` may be selected in ``year``, and every reason it may not, in the
    order of ``REASONS``. ``results`` maps a year to that year's result (the basis year's is
    the one that decides). ``safe_years`` is how many years in a row before the basis year
    met the ANTT standard, when the caller has counted them; else they are counted from
    ``results``."""
    basis_year = year + policy.basis_year_offset
    basis = results.get(basis_year) or Result()
    group, reasons = Judge(policy, year)(unit.kind, unit.subtype, basis.safety, basis.klass)
    return Decision(
        code=unit.code,
        eligible=not reasons,
        group=group,
        reasons=reasons,
        consecutive_safety_years=(consecutive_safety_years(results, basis_year)
                                  if safe_years is None else safe_years),
    )
