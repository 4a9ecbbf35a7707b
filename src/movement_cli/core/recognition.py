"""Year-end recognition (công nhận đơn vị điển hình): a selected unit is recognised when it
meets its criteria set — every criterion, or at least N when the set says so — and a
recognised unit is proposed for the form of commendation its kind is given. A proposal only
makes the unit a candidate; the authority decides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from movement_cli.core.model import Commendation, CommendationForm, ModelUnitSet, MonthDay
from movement_cli.i18n import N_

# The criteria set that judges a unit is the one that applies to its kind on this day of the
# year: the end of the evaluation window of communes and agencies (16/11 to 15/11).
SET_APPLIES_ON = MonthDay(11, 15)


def set_day(year: int) -> date:
    """The day whose criteria set judges year ``year``."""
    return SET_APPLIES_ON.in_year(year)


@dataclass(frozen=True, slots=True)
class RecognitionOutcome:
    """A unit's standing against its set: ``failed`` are criteria answered "not met",
    ``missing`` criteria with no answer, both in the set's order."""

    criteria_set: str
    met: int
    total: int
    missing: tuple[str, ...]
    recognized: bool
    failed: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "criteria_set": self.criteria_set,
            "met": self.met,
            "total": self.total,
            "missing": list(self.missing),
            "recognized": self.recognized,
        }


def evaluate(criteria_set: ModelUnitSet, answers: Mapping[str, bool]) -> RecognitionOutcome:
    """Count the criteria met; answers to ids outside the set are not counted."""
    ids = criteria_set.item_ids()
    met = sum(1 for criterion in ids if answers.get(criterion) is True)
    missing = tuple(criterion for criterion in ids if criterion not in answers)
    failed = tuple(criterion for criterion in ids if answers.get(criterion) is False)
    return RecognitionOutcome(criteria_set.id, met, len(ids), missing,
                              met >= criteria_set.required, failed)


def proposal_for(commendation: Commendation, kind: str, recognized: bool
                 ) -> CommendationForm | None:
    """The form a recognised unit of ``kind`` is proposed for; none for a unit not
    recognised, or of a kind the commendation rules give no form."""
    return commendation.form_for(kind) if recognized else None


@dataclass(frozen=True, slots=True)
class Judged:
    """One selected unit as finalising sees it."""

    code: str
    kind: str
    criteria_set: ModelUnitSet | None
    outcome: RecognitionOutcome | None


def finalize_refusals(units: Sequence[Judged], criteria_dir_hint: str) -> list[str]:
    """Why a year cannot be finalised yet (empty when it can): a unit whose kind has no set,
    a set in use that is incomplete, units with unanswered criteria. Each message says what to
    do."""
    reasons: list[str] = []
    no_set = [u.code for u in units if u.criteria_set is None]
    if no_set:
        reasons.append(
            N_("no model-unit criteria set applies to {value}: add one for their kind under "
               "model-unit/ in {criteria_dir_hint}", value=', '.join(no_set),
               criteria_dir_hint=criteria_dir_hint))
    incomplete = {u.criteria_set.id: u.criteria_set for u in units
                  if u.criteria_set is not None and u.criteria_set.incomplete}
    for ident, found in incomplete.items():
        size = (N_(" of the official {size}", size=found.official_size)
                if found.official_size else "")
        reasons.append(
            N_("criteria set {ident} is incomplete ({items_count}{size} criteria listed): load "
               "the official list through {criteria_dir_hint} (a model-unit/ file with every "
               "criterion, incomplete: false) before finalising", ident=ident,
               items_count=len(found.items), size=size, criteria_dir_hint=criteria_dir_hint))
    missing = [f"{u.code} ({len(u.outcome.missing)})" for u in units
               if u.outcome is not None and u.outcome.missing]
    if missing:
        reasons.append(
            N_("answers are missing for {value}: fill the recognition sheets and run movement "
               "recognize import", value=', '.join(missing)))
    return reasons
